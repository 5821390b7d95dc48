#pragma once
// Fakes of the narrow store interfaces the authenticator pieces take (test only). Each Unused*
// base implements every method of one aggregate interface (store/*_store.hpp) as a failure
// naming the method, so that a test fails loudly if a piece reaches beyond what its contract
// says it reads; each Fake* overrides only the few methods the piece does read, over maps the
// test fills, and counts the reads. Not thread-safe: the unit tests drive them from one thread.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "credentials/token.hpp"
#include "store/content_store.hpp"
#include "store/credential_store.hpp"
#include "store/migration_store.hpp"
#include "store/oauth_store.hpp"
#include "store/tenancy_store.hpp"

namespace cozeauth::api::fakes {

// The error every method a piece must not call returns (kInternal: never cached as "absent").
inline Error Unused(const char* method) {
  return Error::Make(Errc::kInternal, std::string("fake store: unexpected call to ") + method);
}

// The row of `key` in `rows`, or kNotFound naming `what`.
template <typename Map>
Result<typename Map::mapped_type> FindRow(const Map& rows, const typename Map::key_type& key,
                                          const char* what) {
  auto it = rows.find(key);
  if (it == rows.end()) return Error::Make(Errc::kNotFound, std::string(what) + " not found");
  return it->second;
}

class UnusedCredentialStore : public store::CredentialStore {
 public:
  Status CreateToken(const credentials::Token&) override { return Unused("CreateToken"); }
  Result<credentials::Token> GetToken(const std::string&) override { return Unused("GetToken"); }
  Result<credentials::Token> FindTokenByHash(const std::string&) override {
    return Unused("FindTokenByHash");
  }
  Result<std::vector<credentials::Token>> ListTokensOfUser(
      const std::string&, std::optional<credentials::TokenKind>) override {
    return Unused("ListTokensOfUser");
  }
  Status UpdateToken(const credentials::Token&) override { return Unused("UpdateToken"); }
  Status RevokeToken(const std::string&, int64_t) override { return Unused("RevokeToken"); }
  Status TouchTokens(const std::vector<std::pair<std::string, int64_t>>&) override {
    return Unused("TouchTokens");
  }
};

class UnusedOAuthStore : public store::OAuthStore {
 public:
  Status CreateOAuthApp(const credentials::OAuthApp&) override { return Unused("CreateOAuthApp"); }
  Result<credentials::OAuthApp> GetOAuthApp(const std::string&) override {
    return Unused("GetOAuthApp");
  }
  Result<std::vector<credentials::OAuthApp>> ListOAuthAppsOfAccount(const std::string&) override {
    return Unused("ListOAuthAppsOfAccount");
  }
  Result<credentials::OAuthApp> FindOAuthAppByClientId(const std::string&) override {
    return Unused("FindOAuthAppByClientId");
  }
  Status SetOAuthAppStatus(const std::string&, credentials::AppStatus) override {
    return Unused("SetOAuthAppStatus");
  }
  Status UpdateOAuthAppMeta(const std::string&, const std::string&, const std::string&,
                            const std::vector<std::string>&) override {
    return Unused("UpdateOAuthAppMeta");
  }
  Status AddAppPublicKey(const credentials::AppPublicKey&) override {
    return Unused("AddAppPublicKey");
  }
  Result<credentials::AppPublicKey> GetAppPublicKey(const std::string&) override {
    return Unused("GetAppPublicKey");
  }
  Result<std::vector<credentials::AppPublicKey>> ListAppPublicKeys(const std::string&) override {
    return Unused("ListAppPublicKeys");
  }
  Status DeleteAppPublicKey(const std::string&, const std::string&) override {
    return Unused("DeleteAppPublicKey");
  }
  Status CreateAppAuthorization(const credentials::AppAuthorization&) override {
    return Unused("CreateAppAuthorization");
  }
  Result<credentials::AppAuthorization> GetAppAuthorization(const std::string&) override {
    return Unused("GetAppAuthorization");
  }
  Result<std::vector<credentials::AppAuthorization>> ListAppAuthorizations(
      const std::string&) override {
    return Unused("ListAppAuthorizations");
  }
  Result<std::vector<credentials::AppAuthorization>> ListAuthorizationsInEnterprise(
      const std::string&) override {
    return Unused("ListAuthorizationsInEnterprise");
  }
  Status RevokeAppAuthorization(const std::string&, int64_t) override {
    return Unused("RevokeAppAuthorization");
  }
  Status SetAppAuthorizationDisabled(const std::string&, int64_t) override {
    return Unused("SetAppAuthorizationDisabled");
  }
  Result<bool> IsAuthorizationDisabled(const std::string&) override {
    return Unused("IsAuthorizationDisabled");
  }
  Status UseJwtId(const std::string&, const std::string&, int64_t, int64_t) override {
    return Unused("UseJwtId");
  }
  Status CreateClientSecret(const credentials::ClientSecret&) override {
    return Unused("CreateClientSecret");
  }
  Result<std::vector<credentials::ClientSecret>> ListClientSecrets(const std::string&) override {
    return Unused("ListClientSecrets");
  }
  Status DeleteClientSecret(const std::string&, const std::string&) override {
    return Unused("DeleteClientSecret");
  }
  Status CreateOboGrant(const credentials::OboGrant&) override { return Unused("CreateOboGrant"); }
  Result<credentials::OboGrant> GetOboGrant(const std::string&) override {
    return Unused("GetOboGrant");
  }
  Result<std::vector<credentials::OboGrant>> ListOboGrantsOfApp(const std::string&) override {
    return Unused("ListOboGrantsOfApp");
  }
  Status RevokeOboGrant(const std::string&, int64_t) override { return Unused("RevokeOboGrant"); }
  Status CreateAuthorizationCode(const credentials::AuthorizationCode&) override {
    return Unused("CreateAuthorizationCode");
  }
  Result<credentials::AuthorizationCode> ConsumeAuthorizationCode(const std::string&,
                                                                  int64_t) override {
    return Unused("ConsumeAuthorizationCode");
  }
  Status CreateRefreshToken(const credentials::RefreshToken&) override {
    return Unused("CreateRefreshToken");
  }
  Result<credentials::RefreshToken> ConsumeRefreshToken(const std::string&, int64_t) override {
    return Unused("ConsumeRefreshToken");
  }
  Result<credentials::RefreshToken> FindRefreshSuccessor(const std::string&) override {
    return Unused("FindRefreshSuccessor");
  }
  Status CreateDeviceCode(const credentials::DeviceCode&) override {
    return Unused("CreateDeviceCode");
  }
  Result<credentials::DeviceCode> GetDeviceCode(const std::string&) override {
    return Unused("GetDeviceCode");
  }
  Result<credentials::DeviceCode> FindDeviceCodeByUserCode(const std::string&) override {
    return Unused("FindDeviceCodeByUserCode");
  }
  Status UpdateDeviceCode(const credentials::DeviceCode&, credentials::DeviceStatus) override {
    return Unused("UpdateDeviceCode");
  }
  Result<int64_t> PurgeExpired(int64_t) override { return Unused("PurgeExpired"); }
};

class UnusedMigrationStore : public store::MigrationStore {
 public:
  Status MigrateWorkspace(const domain::Migration&) override { return Unused("MigrateWorkspace"); }
  Result<domain::Migration> GetMigration(const std::string&) override {
    return Unused("GetMigration");
  }
  Result<std::vector<domain::Migration>> ListMigrations(const std::string&) override {
    return Unused("ListMigrations");
  }
  Result<store::Paged<domain::Conversation>> ListConversationsOfWorkspaceBots(const std::string&,
                                                                              const std::string&,
                                                                              int) override {
    return Unused("ListConversationsOfWorkspaceBots");
  }
  Result<std::vector<credentials::Token>> ListLiveTokensOfAccount(const std::string&,
                                                                  int64_t) override {
    return Unused("ListLiveTokensOfAccount");
  }
  Result<std::vector<credentials::Token>> ListLiveTokensOfEnterprise(const std::string&,
                                                                     int64_t) override {
    return Unused("ListLiveTokensOfEnterprise");
  }
  Result<std::vector<credentials::AppAuthorization>> ListAuthorizationsOfAccount(
      const std::string&) override {
    return Unused("ListAuthorizationsOfAccount");
  }
  Result<std::vector<credentials::OboGrant>> ListOboGrantsOfAccount(const std::string&) override {
    return Unused("ListOboGrantsOfAccount");
  }
  Status CreateAccountGrant(const domain::AccountGrant&) override {
    return Unused("CreateAccountGrant");
  }
  Result<domain::AccountGrant> GetAccountGrant(const std::string&) override {
    return Unused("GetAccountGrant");
  }
  Result<std::vector<domain::AccountGrant>> ListAccountGrants(const std::string&) override {
    return Unused("ListAccountGrants");
  }
  Status RevokeAccountGrant(const std::string&, int64_t) override {
    return Unused("RevokeAccountGrant");
  }
  Result<std::vector<std::string>> GrantedAccounts(domain::GrantedCredential,
                                                   const std::string&) override {
    return Unused("GrantedAccounts");
  }
};

class UnusedTenancyStore : public store::TenancyStore {
 public:
  Status CreateUser(const domain::User&) override { return Unused("CreateUser"); }
  Result<domain::User> GetUser(const std::string&) override { return Unused("GetUser"); }
  Result<domain::User> FindUserByEmail(const std::string&) override {
    return Unused("FindUserByEmail");
  }
  Status SetUserPassword(const std::string&, const std::string&) override {
    return Unused("SetUserPassword");
  }
  Result<int64_t> CountUsers() override { return Unused("CountUsers"); }
  Result<std::vector<domain::User>> ListUsers() override { return Unused("ListUsers"); }
  Status CreateAccount(const domain::Account&) override { return Unused("CreateAccount"); }
  Result<domain::Account> GetAccount(const std::string&) override { return Unused("GetAccount"); }
  Result<std::vector<domain::Account>> ListOrganizations(const std::string&) override {
    return Unused("ListOrganizations");
  }
  Status CreateEnterprise(const domain::Enterprise&) override { return Unused("CreateEnterprise"); }
  Result<domain::Enterprise> GetEnterprise(const std::string&) override {
    return Unused("GetEnterprise");
  }
  Status UpdateEnterpriseEdition(const std::string&, domain::Edition) override {
    return Unused("UpdateEnterpriseEdition");
  }
  Status SetEnterpriseRole(const std::string&, const std::string&, domain::OrgRole) override {
    return Unused("SetEnterpriseRole");
  }
  Status RemoveEnterpriseMember(const std::string&, const std::string&) override {
    return Unused("RemoveEnterpriseMember");
  }
  Result<std::optional<domain::OrgRole>> GetEnterpriseRole(const std::string&,
                                                           const std::string&) override {
    return Unused("GetEnterpriseRole");
  }
  Result<std::vector<domain::Member>> ListEnterpriseMembers(const std::string&) override {
    return Unused("ListEnterpriseMembers");
  }
  Status SetOrgRole(const std::string&, const std::string&, domain::OrgRole) override {
    return Unused("SetOrgRole");
  }
  Status RemoveOrgMember(const std::string&, const std::string&) override {
    return Unused("RemoveOrgMember");
  }
  Result<std::optional<domain::OrgRole>> GetOrgRole(const std::string&,
                                                    const std::string&) override {
    return Unused("GetOrgRole");
  }
  Result<std::vector<domain::Enterprise>> ListEnterprisesOfUser(const std::string&) override {
    return Unused("ListEnterprisesOfUser");
  }
  Status CreateWorkspace(const domain::Workspace&) override { return Unused("CreateWorkspace"); }
  Result<domain::Workspace> GetWorkspace(const std::string&) override {
    return Unused("GetWorkspace");
  }
  Result<std::vector<domain::Workspace>> ListWorkspacesOfAccount(const std::string&) override {
    return Unused("ListWorkspacesOfAccount");
  }
  Result<std::vector<domain::Workspace>> ListWorkspacesOfEnterprise(const std::string&) override {
    return Unused("ListWorkspacesOfEnterprise");
  }
  Status SetWorkspaceRole(const std::string&, const std::string&, domain::WorkspaceRole) override {
    return Unused("SetWorkspaceRole");
  }
  Status RemoveWorkspaceMember(const std::string&, const std::string&) override {
    return Unused("RemoveWorkspaceMember");
  }
  Result<std::optional<domain::WorkspaceRole>> GetWorkspaceRole(const std::string&,
                                                                const std::string&) override {
    return Unused("GetWorkspaceRole");
  }
  Result<std::vector<domain::Member>> ListWorkspaceMembers(const std::string&) override {
    return Unused("ListWorkspaceMembers");
  }
};

class UnusedContentStore : public store::ContentStore {
 public:
  Status CreateBot(const domain::Bot&) override { return Unused("CreateBot"); }
  Result<domain::Bot> GetBot(const std::string&) override { return Unused("GetBot"); }
  Status UpdateBot(const domain::Bot&) override { return Unused("UpdateBot"); }
  Result<store::Paged<domain::Bot>> ListBots(const std::string&, std::optional<bool>,
                                             store::Page) override {
    return Unused("ListBots");
  }
  Status CreateConversation(const domain::Conversation&) override {
    return Unused("CreateConversation");
  }
  Result<domain::Conversation> GetConversation(const std::string&) override {
    return Unused("GetConversation");
  }
  Status UpdateConversation(const domain::Conversation&) override {
    return Unused("UpdateConversation");
  }
  Status DeleteConversation(const std::string&) override { return Unused("DeleteConversation"); }
  Result<store::Paged<domain::Conversation>> ListConversations(const std::string&,
                                                               const std::string&,
                                                               const std::string&, bool,
                                                               store::Page) override {
    return Unused("ListConversations");
  }
  Status CreateMessage(const domain::Message&) override { return Unused("CreateMessage"); }
  Result<domain::Message> GetMessage(const std::string&) override { return Unused("GetMessage"); }
  Status UpdateMessage(const domain::Message&) override { return Unused("UpdateMessage"); }
  Status DeleteMessage(const std::string&) override { return Unused("DeleteMessage"); }
  Result<store::MessagePage> ListMessages(const store::MessageQuery&) override {
    return Unused("ListMessages");
  }
  Result<std::vector<domain::Message>> ListChatMessages(const std::string&) override {
    return Unused("ListChatMessages");
  }
  Status CreateChat(const domain::Chat&) override { return Unused("CreateChat"); }
  Result<domain::Chat> GetChat(const std::string&) override { return Unused("GetChat"); }
  Status UpdateChat(const domain::Chat&) override { return Unused("UpdateChat"); }
  Status CreateFile(const domain::File&) override { return Unused("CreateFile"); }
  Result<domain::File> GetFile(const std::string&) override { return Unused("GetFile"); }
  Result<int64_t> BotEpoch() override { return Unused("BotEpoch"); }
};

// Tokens by digest (FindTokenByHash) and the last-used batches written (TouchTokens).
class FakeCredentialStore : public UnusedCredentialStore {
 public:
  // Stores `t` as the row of `bearer` (its token_hash set from the bearer).
  void Add(const std::string& bearer, credentials::Token t) {
    t.token_hash = credentials::HashToken(bearer);
    tokens[t.token_hash] = std::move(t);
  }
  Result<credentials::Token> FindTokenByHash(const std::string& token_hash) override {
    ++finds;
    if (fault) return Error::Make(Errc::kInternal, "fake store: fault");
    Result<credentials::Token> found = FindRow(tokens, token_hash, "token");
    if (found && during_find) {  // once: e.g. a concurrent write and invalidation
      auto fn = std::exchange(during_find, nullptr);
      fn();
    }
    return found;
  }
  Status TouchTokens(const std::vector<std::pair<std::string, int64_t>>& last_used) override {
    touched.push_back(last_used);
    if (fault) return Error::Make(Errc::kInternal, "fake store: fault");
    return {};
  }

  std::map<std::string, credentials::Token> tokens;  // by token_hash
  bool fault = false;                 // every call fails with kInternal (a backend fault)
  std::function<void()> during_find;  // runs once, after a row is read, before it is returned
  int finds = 0;
  std::vector<std::vector<std::pair<std::string, int64_t>>> touched;
};

// OAuth apps by id (GetOAuthApp).
class FakeOAuthStore : public UnusedOAuthStore {
 public:
  Result<credentials::OAuthApp> GetOAuthApp(const std::string& id) override {
    ++reads;
    return FindRow(apps, id, "app");
  }
  Result<bool> IsAuthorizationDisabled(const std::string& authorization_id) override {
    ++authorization_reads;
    if (authorization_fault) return Error::Make(Errc::kInternal, "store unavailable");
    return disabled_authorizations.count(authorization_id) != 0;
  }

  std::map<std::string, credentials::OAuthApp> apps;
  std::set<std::string> disabled_authorizations;
  bool authorization_fault = false;
  int reads = 0;
  int authorization_reads = 0;
};

// Cross-account grants by credential id (GrantedAccounts).
class FakeMigrationStore : public UnusedMigrationStore {
 public:
  Result<std::vector<std::string>> GrantedAccounts(domain::GrantedCredential kind,
                                                   const std::string& credential_id) override {
    ++reads;
    auto it = granted.find({kind, credential_id});
    if (it == granted.end()) return std::vector<std::string>{};
    return it->second;
  }

  std::map<std::pair<domain::GrantedCredential, std::string>, std::vector<std::string>> granted;
  int reads = 0;
};

// Workspaces, accounts and roles (the four reads of the fact cache).
class FakeTenancyStore : public UnusedTenancyStore {
 public:
  using Key = std::pair<std::string, std::string>;  // {workspace or org account, user}

  Result<domain::Workspace> GetWorkspace(const std::string& id) override {
    ++reads;
    return FindRow(workspaces, id, "workspace");
  }
  Result<domain::Account> GetAccount(const std::string& id) override {
    ++reads;
    return FindRow(accounts, id, "account");
  }
  Result<std::optional<domain::WorkspaceRole>> GetWorkspaceRole(
      const std::string& workspace_id, const std::string& user_id) override {
    ++reads;
    return RoleOf(workspace_roles, {workspace_id, user_id});
  }
  Result<std::optional<domain::OrgRole>> GetOrgRole(const std::string& org_account_id,
                                                    const std::string& user_id) override {
    ++reads;
    return RoleOf(org_roles, {org_account_id, user_id});
  }

  // No role is an answer, not an error.
  template <typename Role>
  static std::optional<Role> RoleOf(const std::map<Key, Role>& roles, const Key& key) {
    auto it = roles.find(key);
    if (it == roles.end()) return std::nullopt;
    return it->second;
  }

  std::map<std::string, domain::Workspace> workspaces;
  std::map<std::string, domain::Account> accounts;
  std::map<Key, domain::WorkspaceRole> workspace_roles;
  std::map<Key, domain::OrgRole> org_roles;
  int reads = 0;
};

// Bots by id (GetBot), with the bot epoch UpdateBot bumps (and notifies, as a backend must).
class FakeContentStore : public UnusedContentStore {
 public:
  Result<domain::Bot> GetBot(const std::string& id) override {
    ++reads;
    Result<domain::Bot> found = FindRow(bots, id, "bot");
    if (found && during_get) {  // once: e.g. a concurrent update and invalidation
      auto fn = std::exchange(during_get, nullptr);
      fn();
    }
    return found;
  }
  Status UpdateBot(const domain::Bot& bot) override {
    auto it = bots.find(bot.id);
    if (it == bots.end()) return Error::Make(Errc::kNotFound, "bot not found");
    it->second = bot;
    ++bot_epoch;
    NotifyBotEpochBump();
    return {};
  }
  Result<int64_t> BotEpoch() override { return bot_epoch; }

  std::map<std::string, domain::Bot> bots;
  std::function<void()> during_get;  // runs once, after a row is read, before it is returned
  int64_t bot_epoch = 1;
  int reads = 0;
};

}  // namespace cozeauth::api::fakes
