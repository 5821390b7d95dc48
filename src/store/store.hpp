#pragma once
// Store: the persistence interface (architecture.md §3, §8). Backends live in store/<backend>/
// and are the only place with SQL. Every method is synchronous and may block on I/O: the HTTP
// layer calls it from the worker pool, never from an I/O thread.
//
// Thread safety: a Store is safe for concurrent use from many threads. Transaction() runs `fn`
// with exclusive write access; calls made on the same thread inside `fn` join that transaction;
// if `fn` returns an error (or throws) everything it wrote is rolled back.
//
// Errors: lookups of a missing row return kNotFound (with a message naming what); unique
// constraint violations return kAlreadyExists; backend faults return kInternal. Ids are
// assigned by the caller (IdGenerator), never by the backend.
//
// Auth epoch: a counter bumped by every write that can change an authorization decision
// (token revoke/update, membership and role changes, workspace ownership, grants). Servers
// poll it (cheaply) to invalidate caches when another process wrote (architecture.md §8).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "credentials/oauth_app.hpp"
#include "credentials/oauth_grant.hpp"
#include "credentials/token.hpp"
#include "domain/migration.hpp"
#include "domain/model.hpp"

namespace cozeauth::store {

struct Page {
  int page_num = 1;   // 1-based
  int page_size = 20;
};

template <typename T>
struct Paged {
  std::vector<T> items;
  int64_t total = 0;
  bool has_more = false;
};

// Cursor query over a conversation's messages (coze-protocol.md §9.5).
struct MessageQuery {
  std::string conversation_id;
  std::string chat_id;    // optional filter
  std::string before_id;  // optional; "0" or empty = none
  std::string after_id;   // optional
  bool descending = true;
  int limit = 50;
};

struct MessagePage {
  std::vector<domain::Message> items;
  bool has_more = false;
};

struct Session {
  std::string id;
  std::string session_hash;  // SHA-256 hex of the cookie value
  std::string csrf_token;    // not secret from its own browser; random per session
  std::string user_id;
  int64_t created_at = 0;
  int64_t expires_at = 0;
};

// One security event (token created / revoked, app authorized / installed / uninstalled /
// disabled, migration, cross-account grant …). Never holds a secret.
struct AuditEvent {
  std::string id;
  int64_t at = 0;
  std::string actor;        // user id, or "operator" for the admin CLI
  std::string action;       // dotted, e.g. "token.revoked", "app.installed", "workspace.migrated"
  std::string target_kind;  // "token", "app", "authorization", "workspace", "account_grant", …
  std::string target_id;
  std::string detail_json = "{}";
};

struct AuditQuery {
  std::string action_prefix;  // "" = any; "app." = every app event
  std::string actor;          // "" = any
  std::string target_id;      // "" = any
  int64_t since = 0;          // inclusive, Unix seconds
  int64_t until = 0;          // exclusive; 0 = no bound
  int limit = 100;            // newest first
};

// Requests of one credential in one minute, by route and outcome (business code, 0 = success),
// for observation before and after a migration and for the plan's "used recently".
struct RequestStat {
  std::string token_id;
  std::string credential_kind;  // pat | sat | obo | app
  std::string route;            // the route pattern
  std::string permission;       // the point the route declared ("" for none)
  int code = 0;
  int64_t minute = 0;  // Unix seconds / 60
  int64_t count = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Runs fn inside one write transaction (see the header comment).
  virtual Status Transaction(const std::function<Status()>& fn) = 0;
  // Cheap check for writes by any connection/process; returns the current auth epoch.
  virtual Result<int64_t> AuthEpoch() = 0;

  // `fn` runs after every commit of this object's own writes that bumped the auth epoch, on the
  // writing thread, so that an in-process cache drops stale decisions before the write's caller
  // even answers (writes by other processes are seen by polling AuthEpoch()). One listener; set
  // it before concurrent use, clear it (nullptr) before the listener goes away.
  void OnAuthEpochBump(std::function<void()> fn) { on_bump_ = std::move(fn); }

  // --- users
  virtual Status CreateUser(const domain::User& user) = 0;
  virtual Result<domain::User> GetUser(const std::string& id) = 0;
  virtual Result<domain::User> FindUserByEmail(const std::string& email) = 0;
  virtual Result<int64_t> CountUsers() = 0;
  virtual Result<std::vector<domain::User>> ListUsers() = 0;

  // --- accounts and enterprises
  virtual Status CreateAccount(const domain::Account& account) = 0;
  virtual Result<domain::Account> GetAccount(const std::string& id) = 0;
  virtual Result<std::vector<domain::Account>> ListOrganizations(
      const std::string& enterprise_id) = 0;
  virtual Status CreateEnterprise(const domain::Enterprise& enterprise) = 0;
  virtual Result<domain::Enterprise> GetEnterprise(const std::string& id) = 0;
  virtual Status UpdateEnterpriseEdition(const std::string& id, domain::Edition edition) = 0;
  // Enterprise-level role (bumps the auth epoch).
  virtual Status SetEnterpriseRole(const std::string& enterprise_id, const std::string& user_id,
                                   domain::OrgRole role) = 0;
  virtual Status RemoveEnterpriseMember(const std::string& enterprise_id,
                                        const std::string& user_id) = 0;
  virtual Result<std::optional<domain::OrgRole>> GetEnterpriseRole(
      const std::string& enterprise_id, const std::string& user_id) = 0;
  virtual Result<std::vector<domain::Member>> ListEnterpriseMembers(
      const std::string& enterprise_id) = 0;
  // Organization-level role (bumps the auth epoch).
  virtual Status SetOrgRole(const std::string& org_account_id, const std::string& user_id,
                            domain::OrgRole role) = 0;
  virtual Status RemoveOrgMember(const std::string& org_account_id,
                                 const std::string& user_id) = 0;
  virtual Result<std::optional<domain::OrgRole>> GetOrgRole(const std::string& org_account_id,
                                                            const std::string& user_id) = 0;
  // Enterprises in which the user holds a role.
  virtual Result<std::vector<domain::Enterprise>> ListEnterprisesOfUser(
      const std::string& user_id) = 0;

  // --- workspaces
  virtual Status CreateWorkspace(const domain::Workspace& workspace) = 0;
  virtual Result<domain::Workspace> GetWorkspace(const std::string& id) = 0;
  virtual Result<std::vector<domain::Workspace>> ListWorkspacesOfAccount(
      const std::string& account_id) = 0;
  virtual Result<std::vector<domain::Workspace>> ListWorkspacesOfEnterprise(
      const std::string& enterprise_id) = 0;
  // Workspace roles (bump the auth epoch).
  virtual Status SetWorkspaceRole(const std::string& workspace_id, const std::string& user_id,
                                  domain::WorkspaceRole role) = 0;
  virtual Status RemoveWorkspaceMember(const std::string& workspace_id,
                                       const std::string& user_id) = 0;
  virtual Result<std::optional<domain::WorkspaceRole>> GetWorkspaceRole(
      const std::string& workspace_id, const std::string& user_id) = 0;
  virtual Result<std::vector<domain::Member>> ListWorkspaceMembers(
      const std::string& workspace_id) = 0;

  // --- bots (workspace-level)
  virtual Status CreateBot(const domain::Bot& bot) = 0;
  virtual Result<domain::Bot> GetBot(const std::string& id) = 0;
  // Replaces every mutable field; bumps the auth epoch (the API caches bots with its decisions).
  virtual Status UpdateBot(const domain::Bot& bot) = 0;
  // published: nullopt = all, true/false = filter.
  virtual Result<Paged<domain::Bot>> ListBots(const std::string& workspace_id,
                                              std::optional<bool> published, Page page) = 0;

  // --- conversations, messages, chats, files (account-level)
  virtual Status CreateConversation(const domain::Conversation& c) = 0;
  virtual Result<domain::Conversation> GetConversation(const std::string& id) = 0;
  virtual Status UpdateConversation(const domain::Conversation& c) = 0;
  virtual Status DeleteConversation(const std::string& id) = 0;  // and its messages and chats
  // Conversations of an account with a bot; newest first unless ascending.
  virtual Result<Paged<domain::Conversation>> ListConversations(
      const std::string& owner_account_id, const std::string& bot_id,
      const std::string& session_name, bool ascending, Page page) = 0;

  virtual Status CreateMessage(const domain::Message& m) = 0;
  virtual Result<domain::Message> GetMessage(const std::string& id) = 0;
  virtual Status UpdateMessage(const domain::Message& m) = 0;
  virtual Status DeleteMessage(const std::string& id) = 0;
  virtual Result<MessagePage> ListMessages(const MessageQuery& q) = 0;
  // Messages of one chat in creation order.
  virtual Result<std::vector<domain::Message>> ListChatMessages(const std::string& chat_id) = 0;

  virtual Status CreateChat(const domain::Chat& chat) = 0;
  virtual Result<domain::Chat> GetChat(const std::string& id) = 0;
  virtual Status UpdateChat(const domain::Chat& chat) = 0;

  // File bytes are stored by the caller elsewhere (data dir); the store keeps metadata.
  virtual Status CreateFile(const domain::File& f) = 0;
  virtual Result<domain::File> GetFile(const std::string& id) = 0;

  // --- credentials
  virtual Status CreateToken(const credentials::Token& t) = 0;
  virtual Result<credentials::Token> GetToken(const std::string& id) = 0;
  virtual Result<credentials::Token> FindTokenByHash(const std::string& token_hash) = 0;
  // Tokens of one kind created by a user (kind nullopt: all kinds).
  virtual Result<std::vector<credentials::Token>> ListTokensOfUser(
      const std::string& user_id, std::optional<credentials::TokenKind> kind) = 0;
  // Updates name, grant and expiry (bumps the auth epoch).
  virtual Status UpdateToken(const credentials::Token& t) = 0;
  virtual Status RevokeToken(const std::string& id, int64_t at) = 0;  // bumps the auth epoch
  // Batched last-used timestamps, written off the request path.
  virtual Status TouchTokens(const std::vector<std::pair<std::string, int64_t>>& last_used) = 0;

  // --- OAuth apps (coze-platform.md §5). Status changes, key deletion and authorization
  // changes bump the auth epoch.
  virtual Status CreateOAuthApp(const credentials::OAuthApp& app) = 0;
  virtual Result<credentials::OAuthApp> GetOAuthApp(const std::string& id) = 0;
  virtual Status SetOAuthAppStatus(const std::string& id, credentials::AppStatus status) = 0;
  virtual Status AddAppPublicKey(const credentials::AppPublicKey& key) = 0;
  virtual Result<credentials::AppPublicKey> GetAppPublicKey(const std::string& fingerprint) = 0;
  virtual Result<std::vector<credentials::AppPublicKey>> ListAppPublicKeys(
      const std::string& app_id) = 0;
  virtual Status DeleteAppPublicKey(const std::string& app_id, const std::string& fingerprint) = 0;
  virtual Status CreateAppAuthorization(const credentials::AppAuthorization& a) = 0;
  virtual Result<credentials::AppAuthorization> GetAppAuthorization(const std::string& id) = 0;
  // Every authorization of the app, revoked ones included, oldest first.
  virtual Result<std::vector<credentials::AppAuthorization>> ListAppAuthorizations(
      const std::string& app_id) = 0;
  // Marks it revoked and revokes every token issued through it; for an OBO installation also
  // every OboGrant that depends on it (OboGrant::installation_id) and their tokens.
  virtual Status RevokeAppAuthorization(const std::string& id, int64_t at) = 0;
  // Records a JWT id as used until `expires_at`; kAlreadyExists if the app already used it and it
  // has not expired. Purges expired rows (of every app) on the way.
  virtual Status UseJwtId(const std::string& app_id, const std::string& jti, int64_t expires_at,
                          int64_t now) = 0;
  // Apps whose owner account is `account_id`, oldest first (deleted ones excluded).
  virtual Result<std::vector<credentials::OAuthApp>> ListOAuthAppsOfAccount(
      const std::string& account_id) = 0;
  // The app with this client_id (web/pkce/device "<digits>.app.coze", or a service app's id).
  virtual Result<credentials::OAuthApp> FindOAuthAppByClientId(const std::string& client_id) = 0;
  // Live authorizations and installations into accounts and organizations of the enterprise,
  // and enterprise-wide ones (coze-platform.md §5.4 应用安装管理), oldest first.
  virtual Result<std::vector<credentials::AppAuthorization>> ListAuthorizationsInEnterprise(
      const std::string& enterprise_id) = 0;

  // --- client secrets (web apps); deleting bumps nothing: a secret only authenticates the
  // token endpoint, which reads it fresh.
  virtual Status CreateClientSecret(const credentials::ClientSecret& s) = 0;
  virtual Result<std::vector<credentials::ClientSecret>> ListClientSecrets(
      const std::string& app_id) = 0;
  virtual Status DeleteClientSecret(const std::string& app_id, const std::string& id) = 0;

  // --- OBO consents, codes, refresh tokens, device codes (credentials/oauth_grant.hpp)
  virtual Status CreateOboGrant(const credentials::OboGrant& g) = 0;
  virtual Result<credentials::OboGrant> GetOboGrant(const std::string& id) = 0;
  // Every grant of the app (revoked ones included), oldest first.
  virtual Result<std::vector<credentials::OboGrant>> ListOboGrantsOfApp(
      const std::string& app_id) = 0;
  // Marks the grant revoked (first time kept) and revokes every token issued through it; bumps
  // the auth epoch. Revoking an already revoked grant succeeds.
  virtual Status RevokeOboGrant(const std::string& id, int64_t at) = 0;

  virtual Status CreateAuthorizationCode(const credentials::AuthorizationCode& c) = 0;
  // Atomically marks the code used at `now` and returns it as it was before (used_at == 0 on the
  // first use; the earlier use time on a replay, so the caller can revoke its grant).
  // kNotFound for an unknown code.
  virtual Result<credentials::AuthorizationCode> ConsumeAuthorizationCode(
      const std::string& code_hash, int64_t now) = 0;

  virtual Status CreateRefreshToken(const credentials::RefreshToken& t) = 0;
  // Same contract as ConsumeAuthorizationCode.
  virtual Result<credentials::RefreshToken> ConsumeRefreshToken(const std::string& token_hash,
                                                                int64_t now) = 0;
  // The newest refresh token whose parent_hash is `parent_hash` (the last one rotated from it);
  // kNotFound when none. `parent_hash` must not be empty.
  virtual Result<credentials::RefreshToken> FindRefreshSuccessor(
      const std::string& parent_hash) = 0;

  // kAlreadyExists when the user code is taken by a live (unexpired) device code.
  virtual Status CreateDeviceCode(const credentials::DeviceCode& d) = 0;
  virtual Result<credentials::DeviceCode> GetDeviceCode(const std::string& device_code_hash) = 0;
  // The most recent device code with this user code (expired ones included).
  virtual Result<credentials::DeviceCode> FindDeviceCodeByUserCode(
      const std::string& user_code) = 0;
  // Writes status, grant_id, last_poll_at and interval of the stored row, but only if its status
  // is still `expected`; kAlreadyExists when it is not (a concurrent poll or approval won),
  // kNotFound when there is no such row.
  virtual Status UpdateDeviceCode(const credentials::DeviceCode& d,
                                  credentials::DeviceStatus expected) = 0;

  // Deletes what can no longer be used: device codes, authorization codes, refresh tokens and
  // used JWT ids whose expires_at <= now (a used JWT id is kept until its assertion expires, so
  // replays stay refused). Live rows are untouched. Returns how many rows went. Bumps nothing.
  virtual Result<int64_t> PurgeExpired(int64_t now) = 0;

  // --- workspace migration (domain/migration.hpp)
  // In one transaction: the workspace's owner account becomes m.to_account_id (type team; its
  // id and everything in it unchanged), legacy_account_id becomes m.from_account_id for grant
  // mode ('' for cut), and `m` is recorded. Bumps the auth epoch. kNotFound for an unknown
  // workspace; cost independent of how much the workspace holds.
  virtual Status MigrateWorkspace(const domain::Migration& m) = 0;
  virtual Result<domain::Migration> GetMigration(const std::string& id) = 0;
  // Newest first; workspace_id "" = every workspace.
  virtual Result<std::vector<domain::Migration>> ListMigrations(
      const std::string& workspace_id) = 0;
  // Conversations owned by `owner_account_id` whose bot is in the workspace, newest first, at
  // most `limit`, with the total count.
  virtual Result<Paged<domain::Conversation>> ListConversationsOfWorkspaceBots(
      const std::string& workspace_id, const std::string& owner_account_id, int limit) = 0;
  // Live tokens acting in the account (context account_id = it), every kind, newest first.
  virtual Result<std::vector<credentials::Token>> ListLiveTokensOfAccount(
      const std::string& account_id, int64_t now) = 0;
  // Live tokens acting in the enterprise or one of its organizations, newest first.
  virtual Result<std::vector<credentials::Token>> ListLiveTokensOfEnterprise(
      const std::string& enterprise_id, int64_t now) = 0;
  // Live authorizations (both kinds) into the account, oldest first.
  virtual Result<std::vector<credentials::AppAuthorization>> ListAuthorizationsOfAccount(
      const std::string& account_id) = 0;
  // Live OBO consents acting in the account, oldest first.
  virtual Result<std::vector<credentials::OboGrant>> ListOboGrantsOfAccount(
      const std::string& account_id) = 0;

  // --- cross-account grants (create and revoke bump the auth epoch)
  virtual Status CreateAccountGrant(const domain::AccountGrant& g) = 0;
  virtual Result<domain::AccountGrant> GetAccountGrant(const std::string& id) = 0;
  // Every grant of the personal account, revoked ones included, oldest first.
  virtual Result<std::vector<domain::AccountGrant>> ListAccountGrants(
      const std::string& personal_account_id) = 0;
  virtual Status RevokeAccountGrant(const std::string& id, int64_t at) = 0;
  // The personal accounts that live grants open to this credential.
  virtual Result<std::vector<std::string>> GrantedAccounts(domain::GrantedCredential kind,
                                                           const std::string& credential_id) = 0;

  // --- observation (src/observe)
  virtual Status AppendAudit(const AuditEvent& e) = 0;
  virtual Result<std::vector<AuditEvent>> ListAudit(const AuditQuery& q) = 0;
  // Adds the counts to the stored ones (same token, route, code, minute).
  virtual Status AddRequestStats(const std::vector<RequestStat>& stats) = 0;
  // Stats with since <= minute*60 < until (until 0 = no bound); token_id "" = every credential.
  virtual Result<std::vector<RequestStat>> ListRequestStats(int64_t since, int64_t until,
                                                            const std::string& token_id) = 0;

  // --- console sessions
  virtual Status CreateSession(const Session& s) = 0;
  virtual Result<Session> FindSessionByHash(const std::string& session_hash) = 0;
  virtual Status DeleteSession(const std::string& id) = 0;

 protected:
  void NotifyAuthEpochBump() const {
    if (on_bump_) on_bump_();
  }

 private:
  std::function<void()> on_bump_;
};

// Opens the backend named by `url`: "sqlite:PATH" (PATH may be relative; its parent directory
// is created), or "sqlite::memory:" for tests. Applies pending schema versions.
Result<std::unique_ptr<Store>> OpenStore(const std::string& url);

}  // namespace cozeauth::store
