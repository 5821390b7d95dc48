#pragma once
// SqlStore: the Store of the SQL backends (architecture.md §8), one implementation over a
// sql::Driver (driver.hpp) and its Connections (connection.hpp): SQLite in WAL mode
// (store/sqlite/sqlite_store.hpp) and PostgreSQL (store/postgres/pg_store.hpp).
//
// Connections: one write connection behind a mutex serves every write and Transaction(); each
// plain write runs in its own write transaction (Begin(true), which also serializes it with the
// writers of other processes and nodes), with the auth-epoch bump when the write needs one.
// Reads lease a connection from a small pool, so readers wait neither for each other nor for
// the writer (WAL, or PostgreSQL's MVCC, gives each read a snapshot). A thread inside Transaction()
// uses the write connection for every call on this store, reads included, and so sees its own
// uncommitted writes; each write it makes there is atomic on its own (a savepoint). AuthEpoch()
// and BotEpoch() share a dedicated connection and re-read both counters (rows of `meta`) only
// when `PRAGMA data_version` or this store's own commit count says that something was committed
// since they last looked (SQLite; PostgreSQL reads them on every call, which the 200 ms poll
// makes cheap, and its driver reports other nodes' bumps at once through LISTEN/NOTIFY).
//
// Thread safety: as Store. Behaviour store.hpp leaves open:
//   - users.email is unique ignoring ASCII case and FindUserByEmail ignores case; an empty email
//     means "none" (any number of users may have none; FindUserByEmail("") finds nobody).
//   - Lists of users, accounts, workspaces and members come in creation (join) order, then id.
//     ListEnterprisesOfUser counts a role in the enterprise or in any of its organizations.
//     Re-setting a role keeps the member's original joined_at; removing a non-member is
//     kNotFound.
//   - ListTokensOfUser lists newest first. RevokeToken keeps the first revocation time.
//   - Update* replace every field except identity, ownership and creation (id, the owner/parent
//     ids, created_at); updating a missing row is kNotFound.
//   - ListMessages: before_id selects messages strictly older than the cursor message, after_id
//     strictly newer (older/newer by created_at, then insertion order); the page holds the
//     `limit` (1..50) messages nearest the cursor (without a cursor: the newest when descending,
//     the oldest otherwise), ordered as q.descending says; has_more tells whether more exist
//     beyond the page, away from the cursor. A cursor id not in the conversation is kNotFound.
//   - The writes that bump the auth epoch are those each aggregate interface lists in its
//     "Bumps the auth epoch:" paragraph (Write(Epoch::kBump, …) in sql_*.cpp); no other.
//     UpdateBot bumps the bot epoch instead (Write(Epoch::kBumpBots, …)), and nothing else does.
//   - OAuth lists (apps of an account, public keys, authorizations, client secrets, OBO grants)
//     come oldest first, then by id. FindDeviceCodeByUserCode breaks a created_at tie by the
//     larger device code digest. ListAuthorizationsInEnterprise("") is empty. Revoke* keep the
//     first revocation time.
//   - Foreign keys: members need their user and enterprise/account/workspace, workspaces their
//     owner account, bots, workflows and app projects their workspace, workflow executions their
//     workflow, messages and chats their conversation, sessions their user, OAuth apps their
//     owner account and user, public keys and client secrets their app, authorizations their app
//     and authorizing user, OBO grants their user; a missing one makes the write fail with
//     kNotFound.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "store/sql/connection.hpp"
#include "store/sql/driver.hpp"
#include "store/sql/group_commit.hpp"
#include "store/store.hpp"

namespace cozeauth::store::sql {

class SqlStore final : public Store {
 public:
  // Opens the database of `driver` and applies pending schema versions. `clock` stamps
  // membership join times and schema versions; it must outlive the store.
  static Result<std::unique_ptr<SqlStore>> Open(std::unique_ptr<Driver> driver,
                                                const Clock& clock = SystemClock::Instance());
  ~SqlStore() override;
  SqlStore(const SqlStore&) = delete;
  SqlStore& operator=(const SqlStore&) = delete;

  // --- UnitOfWork (unit_of_work.hpp)
  Status Transaction(const std::function<Status()>& fn) override;
  Result<int64_t> AuthEpoch() override;

  // --- Store (store.hpp). Outside a Transaction(), concurrent calls are group-committed
  // (group_commit.hpp): one transaction of up to kMaxIssueBatch calls, each call's jti and token
  // in a savepoint of its own, so that a used jti undoes and fails only its own call.
  Status IssueJwtToken(const JwtIdUse& jti, const credentials::Token& token) override;
  // The same queued for a committer thread of the store's (AsyncGroupCommit): one transaction
  // for everything queued while the previous one ran, up to kMaxIssueBatch calls, shared with
  // no waiting thread. Inside a Transaction() it joins it, as IssueJwtToken does.
  void IssueJwtTokenAsync(JwtIdUse jti, credentials::Token token,
                          std::function<void(Status)> done) override;
  static constexpr size_t kMaxIssueBatch = 64;
  // IssueJwtToken's group commit so far: transactions run, and calls they served (both paths).
  size_t IssueBatches() const { return issue_queue_.batches() + issue_committer_.batches(); }
  size_t IssueBatchedCalls() const { return issue_queue_.items() + issue_committer_.items(); }

  // --- TenancyStore (tenancy_store.hpp)
  Status CreateUser(const domain::User& user) override;
  Result<domain::User> GetUser(const std::string& id) override;
  Result<domain::User> FindUserByEmail(const std::string& email) override;
  Status SetUserPassword(const std::string& user_id, const std::string& password_hash) override;
  Result<int64_t> CountUsers() override;
  Result<std::vector<domain::User>> ListUsers() override;
  Status CreateAccount(const domain::Account& account) override;
  Result<domain::Account> GetAccount(const std::string& id) override;
  Result<std::vector<domain::Account>> ListOrganizations(const std::string& enterprise_id) override;
  Status CreateEnterprise(const domain::Enterprise& enterprise) override;
  Result<domain::Enterprise> GetEnterprise(const std::string& id) override;
  Status UpdateEnterpriseEdition(const std::string& id, domain::Edition edition) override;
  Status SetEnterpriseRole(const std::string& enterprise_id, const std::string& user_id,
                           domain::OrgRole role) override;
  Status RemoveEnterpriseMember(const std::string& enterprise_id,
                                const std::string& user_id) override;
  Result<std::optional<domain::OrgRole>> GetEnterpriseRole(const std::string& enterprise_id,
                                                           const std::string& user_id) override;
  Result<std::vector<domain::Member>> ListEnterpriseMembers(
      const std::string& enterprise_id) override;
  Status SetOrgRole(const std::string& org_account_id, const std::string& user_id,
                    domain::OrgRole role) override;
  Status RemoveOrgMember(const std::string& org_account_id, const std::string& user_id) override;
  Result<std::optional<domain::OrgRole>> GetOrgRole(const std::string& org_account_id,
                                                    const std::string& user_id) override;
  Result<std::vector<domain::Enterprise>> ListEnterprisesOfUser(
      const std::string& user_id) override;
  Status CreateWorkspace(const domain::Workspace& workspace) override;
  Result<domain::Workspace> GetWorkspace(const std::string& id) override;
  Result<std::vector<domain::Workspace>> ListWorkspacesOfAccount(
      const std::string& account_id) override;
  Result<std::vector<domain::Workspace>> ListWorkspacesOfEnterprise(
      const std::string& enterprise_id) override;
  Status SetWorkspaceRole(const std::string& workspace_id, const std::string& user_id,
                          domain::WorkspaceRole role) override;
  Status RemoveWorkspaceMember(const std::string& workspace_id,
                               const std::string& user_id) override;
  Result<std::optional<domain::WorkspaceRole>> GetWorkspaceRole(
      const std::string& workspace_id, const std::string& user_id) override;
  Result<std::vector<domain::Member>> ListWorkspaceMembers(
      const std::string& workspace_id) override;

  // --- ContentStore (content_store.hpp)
  Status CreateBot(const domain::Bot& bot) override;
  Result<domain::Bot> GetBot(const std::string& id) override;
  Status UpdateBot(const domain::Bot& bot) override;
  Result<Paged<domain::Bot>> ListBots(const std::string& workspace_id,
                                      std::optional<bool> published, Page page) override;
  Status CreateConversation(const domain::Conversation& c) override;
  Result<domain::Conversation> GetConversation(const std::string& id) override;
  Status UpdateConversation(const domain::Conversation& c) override;
  Status DeleteConversation(const std::string& id) override;
  Result<Paged<domain::Conversation>> ListConversations(const std::string& owner_account_id,
                                                        const std::string& bot_id,
                                                        const std::string& session_name,
                                                        bool ascending, Page page) override;
  Status CreateMessage(const domain::Message& m) override;
  Result<domain::Message> GetMessage(const std::string& id) override;
  Status UpdateMessage(const domain::Message& m) override;
  Status DeleteMessage(const std::string& id) override;
  Result<MessagePage> ListMessages(const MessageQuery& q) override;
  Result<std::vector<domain::Message>> ListChatMessages(const std::string& chat_id) override;
  Status CreateChat(const domain::Chat& chat) override;
  Result<domain::Chat> GetChat(const std::string& id) override;
  Status UpdateChat(const domain::Chat& chat) override;
  Status CreateFile(const domain::File& f) override;
  Result<domain::File> GetFile(const std::string& id) override;
  Result<int64_t> BotEpoch() override;

  // --- CredentialStore (credential_store.hpp)
  Status CreateToken(const credentials::Token& t) override;
  Result<credentials::Token> GetToken(const std::string& id) override;
  Result<credentials::Token> FindTokenByHash(const std::string& token_hash) override;
  Result<std::vector<credentials::Token>> ListTokensOfUser(
      const std::string& user_id, std::optional<credentials::TokenKind> kind) override;
  Status UpdateToken(const credentials::Token& t) override;
  Status RevokeToken(const std::string& id, int64_t at) override;
  Status TouchTokens(const std::vector<std::pair<std::string, int64_t>>& last_used) override;

  // --- OAuthStore (oauth_store.hpp)
  Status CreateOAuthApp(const credentials::OAuthApp& app) override;
  Result<credentials::OAuthApp> GetOAuthApp(const std::string& id) override;
  Status SetOAuthAppStatus(const std::string& id, credentials::AppStatus status) override;
  Status UpdateOAuthAppMeta(const std::string& id, const std::string& name,
                            const std::string& description,
                            const std::vector<std::string>& redirect_uris) override;
  Status AddAppPublicKey(const credentials::AppPublicKey& key) override;
  Result<credentials::AppPublicKey> GetAppPublicKey(const std::string& fingerprint) override;
  Result<std::vector<credentials::AppPublicKey>> ListAppPublicKeys(
      const std::string& app_id) override;
  Status DeleteAppPublicKey(const std::string& app_id, const std::string& fingerprint) override;
  Status CreateAppAuthorization(const credentials::AppAuthorization& a) override;
  Result<credentials::AppAuthorization> GetAppAuthorization(const std::string& id) override;
  Result<std::vector<credentials::AppAuthorization>> ListAppAuthorizations(
      const std::string& app_id) override;
  Status RevokeAppAuthorization(const std::string& id, int64_t at) override;
  Status SetAppAuthorizationDisabled(const std::string& id, int64_t at) override;
  Result<bool> IsAuthorizationDisabled(const std::string& authorization_id) override;
  Status UseJwtId(const std::string& app_id, const std::string& jti, int64_t expires_at,
                  int64_t now) override;
  Result<std::vector<credentials::OAuthApp>> ListOAuthAppsOfAccount(
      const std::string& account_id) override;
  Result<credentials::OAuthApp> FindOAuthAppByClientId(const std::string& client_id) override;
  Result<std::vector<credentials::AppAuthorization>> ListAuthorizationsInEnterprise(
      const std::string& enterprise_id) override;
  Status CreateClientSecret(const credentials::ClientSecret& s) override;
  Result<std::vector<credentials::ClientSecret>> ListClientSecrets(
      const std::string& app_id) override;
  Status DeleteClientSecret(const std::string& app_id, const std::string& id) override;
  Status CreateOboGrant(const credentials::OboGrant& g) override;
  Result<credentials::OboGrant> GetOboGrant(const std::string& id) override;
  Result<std::vector<credentials::OboGrant>> ListOboGrantsOfApp(const std::string& app_id) override;
  Status RevokeOboGrant(const std::string& id, int64_t at) override;
  Status CreateAuthorizationCode(const credentials::AuthorizationCode& c) override;
  Result<credentials::AuthorizationCode> ConsumeAuthorizationCode(const std::string& code_hash,
                                                                  int64_t now) override;
  Status CreateRefreshToken(const credentials::RefreshToken& t) override;
  Result<credentials::RefreshToken> ConsumeRefreshToken(const std::string& token_hash,
                                                        int64_t now) override;
  Result<credentials::RefreshToken> FindRefreshSuccessor(const std::string& parent_hash) override;
  Status CreateDeviceCode(const credentials::DeviceCode& d) override;
  Result<credentials::DeviceCode> GetDeviceCode(const std::string& device_code_hash) override;
  Result<credentials::DeviceCode> FindDeviceCodeByUserCode(const std::string& user_code) override;
  Status UpdateDeviceCode(const credentials::DeviceCode& d,
                          credentials::DeviceStatus expected) override;
  Result<int64_t> PurgeExpired(int64_t now) override;

  // --- MigrationStore (migration_store.hpp)
  Status MigrateWorkspace(const domain::Migration& m) override;
  Result<domain::Migration> GetMigration(const std::string& id) override;
  Result<std::vector<domain::Migration>> ListMigrations(const std::string& workspace_id) override;
  Result<Paged<domain::Conversation>> ListConversationsOfWorkspaceBots(
      const std::string& workspace_id, const std::string& owner_account_id, int limit) override;
  Result<std::vector<credentials::Token>> ListLiveTokensOfAccount(const std::string& account_id,
                                                                  int64_t now) override;
  Result<std::vector<credentials::Token>> ListLiveTokensOfEnterprise(
      const std::string& enterprise_id, int64_t now) override;
  Result<std::vector<credentials::AppAuthorization>> ListAuthorizationsOfAccount(
      const std::string& account_id) override;
  Result<std::vector<credentials::OboGrant>> ListOboGrantsOfAccount(
      const std::string& account_id) override;
  Status CreateAccountGrant(const domain::AccountGrant& g) override;
  Result<domain::AccountGrant> GetAccountGrant(const std::string& id) override;
  Result<std::vector<domain::AccountGrant>> ListAccountGrants(
      const std::string& personal_account_id) override;
  Status RevokeAccountGrant(const std::string& id, int64_t at) override;
  Result<std::vector<std::string>> GrantedAccounts(domain::GrantedCredential kind,
                                                   const std::string& credential_id) override;

  // --- ObservationStore (observation_store.hpp)
  Status AppendAudit(const AuditEvent& e) override;
  Result<std::vector<AuditEvent>> ListAudit(const AuditQuery& q) override;
  using ObservationStore::AddRequestStats;
  Status AddRequestStats(std::span<const RequestStatView> stats) override;
  Result<std::vector<RequestStat>> ListRequestStats(int64_t since, int64_t until,
                                                    const std::string& token_id) override;
  Result<int64_t> PurgeRequestStats(int64_t before_minute) override;

  // --- RehearsalStore (rehearsal_store.hpp)
  Status CreateRehearsal(const domain::Rehearsal& r) override;
  Result<domain::Rehearsal> GetRehearsal(const std::string& id) override;
  Result<std::vector<domain::Rehearsal>> ListRehearsals(const std::string& workspace_id) override;
  Result<std::vector<domain::Rehearsal>> ListLiveRehearsals(int64_t now) override;
  Status StopRehearsal(const std::string& id, int64_t at) override;
  Status AddRehearsalCounts(const std::vector<domain::RehearsalCount>& counts) override;
  Result<std::vector<domain::RehearsalCount>> ListRehearsalCounts(
      const std::string& rehearsal_id) override;

  // --- SessionStore (session_store.hpp)
  Status CreateSession(const Session& s) override;
  Result<Session> FindSessionByHash(const std::string& session_hash) override;
  Status DeleteSession(const std::string& id) override;
  Status DeleteOtherSessionsOfUser(const std::string& user_id, const std::string& keep_id) override;

  // --- WorkflowStore (workflow_store.hpp)
  Status CreateAppProject(const domain::AppProject& app) override;
  Result<domain::AppProject> GetAppProject(const std::string& id) override;
  Result<Paged<domain::AppProject>> ListAppProjects(const std::string& workspace_id,
                                                    Page page) override;
  Status CreateWorkflow(const domain::Workflow& w) override;
  Result<domain::Workflow> GetWorkflow(const std::string& id) override;
  Status UpdateWorkflow(const domain::Workflow& w) override;
  Result<Paged<domain::Workflow>> ListWorkflows(const WorkflowQuery& q, Page page) override;
  Result<int64_t> CountWorkflows(const std::string& workspace_id) override;
  Result<int64_t> CountAppProjects(const std::string& workspace_id) override;
  Status CreateExecution(const domain::WorkflowExecution& e) override;
  Result<domain::WorkflowExecution> GetExecution(const std::string& id) override;
  Status FinishExecution(const domain::WorkflowExecution& e) override;
  Result<domain::WorkflowExecution> ConsumeInterrupt(const std::string& id,
                                                     const std::string& event_id,
                                                     int64_t now) override;

  // For whole-database tools only (store/sql/copy.hpp: `cozeauth store copy`), not for the
  // Store's callers: runs `fn` on the write connection, holding the write mutex, inside one
  // transaction of its own. `write`: a write transaction (Begin(true), serialized with every
  // other writer of the database), committed only if fn succeeds and rolled back otherwise;
  // else a read transaction (one snapshot), always rolled back. Bumps and notifies nothing.
  // Must not be called inside this store's Transaction() (kInternal).
  Status RunOnWriteConnection(bool write, const std::function<Status(Connection&)>& fn);
  // Waits for the backend's own background work asked for so far (Driver::Settle) and returns
  // how many passes of it have run. Tests.
  uint64_t SettleBackgroundWork() { return driver_->Settle(); }
  std::optional<uint64_t> MemoryInUse() const override { return driver_->MemoryInUse(); }

 private:
  using Role = Driver::Role;
  enum class Epoch { kKeep, kBump, kBumpBots };  // kBump: the auth epoch
  using WriteFn = std::function<Status(Connection&)>;

  // The connection one read call uses: the write connection when this thread is inside this
  // store's Transaction(), otherwise a pooled reader, returned to the pool on destruction.
  class ReadLease {
   public:
    explicit ReadLease(SqlStore& store);
    ~ReadLease();
    ReadLease(const ReadLease&) = delete;
    ReadLease& operator=(const ReadLease&) = delete;

    // Prepares `sql` (see Connection::Prepare) on the leased connection, or fails with the
    // error that leasing one met.
    Result<Statement> Prepare(const char* sql, const char* what);
    // Makes the statements that follow read one snapshot (a count and its page agree).
    Status Snapshot();

   private:
    SqlStore& store_;
    std::unique_ptr<Connection> pooled_;
    Connection* conn_ = nullptr;
    std::optional<Error> error_;
  };

  SqlStore(std::unique_ptr<Driver> driver, const Clock& clock, std::unique_ptr<Connection> writer,
           std::unique_ptr<Connection> epoch_reader);
  // A connection of `role`, with the writer's statements that must never fail to prepare.
  Result<std::unique_ptr<Connection>> Connect(Role role);

  // Runs fn on the write connection: joined to this thread's Transaction() when there is one
  // (inside a savepoint), otherwise in a transaction of its own. kBump also increments the auth
  // epoch, kBumpBots the bot epoch, in the same transaction.
  Status Write(Epoch epoch, const WriteFn& fn);
  bool InTransaction() const;
  // The rows of CreateToken and of IssueJwtToken, on `c` (sql_credentials.cpp,
  // sql_issue.cpp).
  static Status InsertToken(Connection& c, const credentials::Token& t);
  static Status InsertIssued(Connection& c, const JwtIdUse& jti, const credentials::Token& t);
  // The jti's row: true if written (the jti was free, or its last use expired), false if it is
  // in use (then nothing was written).
  static Result<bool> UseJwtId(Connection& c, const JwtIdUse& jti);
  struct IssueItem {
    const JwtIdUse* jti;
    const credentials::Token* token;
  };
  struct OwnedIssueItem {
    JwtIdUse jti;
    credentials::Token token;
  };
  // One transaction for `items` (both group commits); see sql_issue.cpp.
  template <typename ItemPtr>
  void RunIssueBatch(std::span<const ItemPtr> items, std::span<Status> outcomes);
  // Both epochs as committed (see the header comment); inside this thread's Transaction(), as
  // its own writes left them.
  struct Epochs {
    int64_t auth = 0;
    int64_t bots = 0;
  };
  Result<Epochs> ReadEpochs();
  Result<std::unique_ptr<Connection>> AcquireReader();
  void ReleaseReader(std::unique_ptr<Connection> conn);

  const std::unique_ptr<Driver> driver_;
  const Clock& clock_;

  std::unique_ptr<Connection> writer_;
  std::mutex write_mu_;               // guards writer_, except for the thread inside Transaction()
  std::atomic<uint64_t> commits_{0};  // transactions committed on writer_
  bool txn_bumped_ = false;           // the open Transaction() bumped the epoch (write_mu_)
  bool txn_bumped_bots_ = false;      // … the bot epoch (write_mu_)

  GroupCommit<IssueItem> issue_queue_{kMaxIssueBatch};  // IssueJwtToken outside Transaction()
  // IssueJwtTokenAsync; stopped first thing in the destructor, while everything it uses lives.
  AsyncGroupCommit<OwnedIssueItem> issue_committer_{
      kMaxIssueBatch, [this](std::span<const OwnedIssueItem* const> items, std::span<Status> out) {
        RunIssueBatch(items, out);
      }};

  std::mutex readers_mu_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;

  std::mutex epoch_mu_;  // guards the members below
  std::unique_ptr<Connection> epoch_reader_;
  bool epoch_cached_ = false;
  Epochs epochs_;
  int64_t seen_change_stamp_ = 0;
  uint64_t seen_commits_ = 0;
};

}  // namespace cozeauth::store::sql
