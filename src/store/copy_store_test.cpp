// store::CopyStore (copy_store.hpp, store/sql/copy.cpp): SQLite → PostgreSQL → SQLite keeps
// every aggregate, the "newest first" orders and raises the epochs; a non-empty target is
// refused and unchanged; a copy that fails halfway leaves the target empty and a re-run
// completes it; the copy's table list covers both backends' schemas.

#include "store/copy_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "store/contract_test_rows.hpp"
#include "store/contract_test_support.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/sql/copy.hpp"
#include "store/sqlite/sqlite_db.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/store.hpp"
#include "support/pg_cluster.hpp"

namespace cozeauth::store {
namespace {

using contract::CodeOf;
using contract::HashOf;
using contract::Ids;
using contract::TempDbPath;

constexpr int64_t kT = 1'700'000'000;

std::unique_ptr<Store> Open(const std::string& url) {
  auto s = OpenStore(url);
  EXPECT_TRUE(s.has_value()) << s.error().message;
  return s ? std::move(*s) : nullptr;
}

std::string NewPgDatabase() {
  it::PgCluster* pg = it::PgCluster::Shared();
  if (pg == nullptr) return "";
  return pg->NewDatabase();
}

// A row in every aggregate, with same-second rows where an order depends on insertion
// (messages, audit events, refresh-token rotations).
void Seed(Store& s) {
  contract::SeedTenancy(s);
  ASSERT_OK(s.SetEnterpriseRole("ent_1", "1002", domain::OrgRole::kMember));
  ASSERT_OK(s.SetOrgRole("2001", "1002", domain::OrgRole::kMember));
  ASSERT_OK(s.SetWorkspaceRole("3001", "1002", domain::WorkspaceRole::kMember));
  ASSERT_OK(s.CreateBot(contract::MakeBot("5001", "3001", true, kT + 50)));
  ASSERT_OK(s.CreateConversation(contract::MakeConversation("4001", "1001", "5001", "", kT + 60)));
  ASSERT_OK(s.CreateChat(contract::MakeChat("8001", "4001")));
  for (const char* id : {"9300", "9100", "9200"}) {
    ASSERT_OK(s.CreateMessage(contract::MakeMessage(id, "4001", "8001", kT + 70)));
  }
  ASSERT_OK(s.CreateFile(domain::File{"7701", "1001", "a.txt", 12, std::string(64, 'f'), kT}));
  credentials::Token token = contract::MakeToken("6001", HashOf(1), "1001");
  token.expires_at = kT + 1'000'000;
  ASSERT_OK(s.CreateToken(token));
  ASSERT_OK(s.CreateToken(contract::MakeToken("6002", HashOf(2), "1002")));
  ASSERT_OK(s.RevokeToken("6002", kT + 10));  // bumps the auth epoch
  ASSERT_OK(s.CreateSession(Session{"s1", HashOf(3), "csrf", "1001", kT, kT + 3600}));

  credentials::OAuthApp app;
  app.id = "7001";
  app.client_id = "70010000.app.coze";
  app.owner_account_id = "1001";
  app.owner_user_id = "1001";
  app.name = "app";
  app.workspace_permissions = {"chat"};
  app.redirect_uris = {"https://example.com/cb?a=1,2", "http://localhost/cb"};
  app.created_at = kT;
  ASSERT_OK(s.CreateOAuthApp(app));
  ASSERT_OK(s.AddAppPublicKey({"fp1", "7001", "-----BEGIN PUBLIC KEY-----\nx\n", kT}));
  credentials::AppAuthorization auth;
  auth.id = "7101";
  auth.app_id = "7001";
  auth.account_id = "1001";
  auth.grant.all_workspaces = true;
  auth.authorized_by = "1001";
  auth.created_at = kT;
  ASSERT_OK(s.CreateAppAuthorization(auth));
  ASSERT_OK(s.CreateClientSecret({"7201", "7001", HashOf(4), "abc***", kT}));
  credentials::OboGrant grant;
  grant.id = "7301";
  grant.app_id = "7001";
  grant.user_id = "1001";
  grant.context.account_id = "1001";
  grant.created_at = kT;
  ASSERT_OK(s.CreateOboGrant(grant));
  credentials::AuthorizationCode code;
  code.code_hash = HashOf(5);
  code.grant_id = "7301";
  code.app_id = "7001";
  code.created_at = kT;
  code.expires_at = kT + 600;
  ASSERT_OK(s.CreateAuthorizationCode(code));
  // Three rotations of one parent in one second: the successor is the last one inserted.
  for (int n : {9, 7, 8}) {
    ASSERT_OK(s.CreateRefreshToken(
        credentials::RefreshToken{HashOf(n), "7301", "7001", kT, kT + 86400, 0, "p", "6001"}));
  }
  credentials::DeviceCode device;
  device.device_code_hash = HashOf(6);
  device.user_code = "ABCD-EFGH";
  device.app_id = "7001";
  device.workspace_id = "3001";
  device.created_at = kT;
  device.expires_at = kT + 600;
  ASSERT_OK(s.CreateDeviceCode(device));
  ASSERT_OK(s.UseJwtId("7001", "jti-1", kT + 600, kT));
  domain::AccountGrant account_grant;
  account_grant.id = "7401";
  account_grant.personal_account_id = "1001";
  account_grant.enterprise_id = "ent_1";
  account_grant.credential_id = "6001";
  account_grant.granted_by = "1001";
  account_grant.created_at = kT;
  ASSERT_OK(s.CreateAccountGrant(account_grant));
  for (const char* id : {"a3", "a1", "a2"}) {
    ASSERT_OK(s.AppendAudit(
        AuditEvent{id, kT + 80, "operator", "token.revoked", "token", "6002", R"({"n":"é"})"}));
  }
  ASSERT_OK(
      s.AddRequestStats({RequestStat{"6001", "pat", "/v1/bots", "listBot", 0, 28'000'000, 3}}));
  ASSERT_OK(s.CreateAppProject({"7501", "3001", "proj", "", "1001", kT, kT, false}));
  domain::Workflow wf;
  wf.id = "7601";
  wf.workspace_id = "3001";
  wf.app_id = "7501";
  wf.name = "wf";
  wf.definition_json = "{}";
  wf.creator_user_id = "1001";
  wf.created_at = kT;
  wf.updated_at = kT;
  ASSERT_OK(s.CreateWorkflow(wf));
  domain::WorkflowExecution ex;
  ex.id = "7602";
  ex.workflow_id = "7601";
  ex.workspace_id = "3001";
  ex.created_at = kT;
  ex.updated_at = kT;
  ASSERT_OK(s.CreateExecution(ex));
  domain::Rehearsal r;
  r.id = "7701";
  r.workspace_id = "3001";
  r.to_account_id = "2001";
  r.enterprise_id = "ent_1";
  r.started_at = kT;
  r.ends_at = kT + 3600;
  ASSERT_OK(s.CreateRehearsal(r));
  ASSERT_OK(s.AddRehearsalCounts({domain::RehearsalCount{"7701", "6001", "pat", 0, 4101, 2}}));
  domain::Bot bot = contract::MakeBot("5001", "3001", true, kT + 55);
  ASSERT_OK(s.UpdateBot(bot));  // bumps the bot epoch
}

struct Observed {
  credentials::Token token;
  std::vector<std::string> messages;  // newest first
  std::vector<std::string> audit;     // newest first
  std::string successor;              // the refresh token rotated last from parent "p"
  int64_t auth_epoch = 0;
  int64_t bot_epoch = 0;
};

Observed Observe(Store& s) {
  Observed o;
  o.token = VALUE(s.FindTokenByHash(HashOf(1)));
  MessageQuery q;
  q.conversation_id = "4001";
  o.messages = Ids(VALUE(s.ListMessages(q)).items);
  o.audit = Ids(VALUE(s.ListAudit(AuditQuery{})));
  o.successor = VALUE(s.FindRefreshSuccessor("p")).token_hash;
  o.auth_epoch = VALUE(s.AuthEpoch());
  o.bot_epoch = VALUE(s.BotEpoch());
  return o;
}

// `copy` holds what `original` held, with both epochs strictly greater.
void ExpectCopied(const Observed& original, const Observed& copy) {
  EXPECT_EQ(contract::Fields(copy.token), contract::Fields(original.token));
  EXPECT_EQ(copy.messages, original.messages);
  EXPECT_EQ(copy.audit, original.audit);
  EXPECT_EQ(copy.successor, original.successor);
  EXPECT_GT(copy.auth_epoch, original.auth_epoch);
  EXPECT_GT(copy.bot_epoch, original.bot_epoch);
}

void ExpectMatches(const Result<CopyReport>& report) {
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_TRUE(report->matches);
  EXPECT_EQ(report->tables.size(), sql::CopyTables().size());
  for (const TableCheck& t : report->tables) {
    EXPECT_TRUE(t.matches) << t.table;
    EXPECT_EQ(t.source_rows, t.target_rows) << t.table;
    EXPECT_EQ(t.source_checksum.size(), 64u) << t.table;
    // Only the migrations table is left empty by Seed().
    if (t.table != "migrations") {
      EXPECT_GT(t.source_rows, 0) << t.table;
    }
  }
}

// New rows on a copy continue the copied order (PostgreSQL: the identity sequences were set).
void ExpectOrderContinues(Store& s) {
  ASSERT_OK(s.CreateMessage(contract::MakeMessage("9000", "4001", "8001", kT + 70)));
  MessageQuery q;
  q.conversation_id = "4001";
  EXPECT_EQ(Ids(VALUE(s.ListMessages(q)).items),
            (std::vector<std::string>{"9000", "9200", "9100", "9300"}));
  ASSERT_OK(s.AppendAudit(AuditEvent{"a0", kT + 80, "operator", "x", "token", "6002", "{}"}));
  EXPECT_EQ(Ids(VALUE(s.ListAudit(AuditQuery{}))),
            (std::vector<std::string>{"a0", "a2", "a1", "a3"}));
}

TEST(CopyStoreTest, SqliteToPostgresToSqliteKeepsEveryAggregateAndOrder) {
  TempDbPath a("copy_a"), b("copy_b");
  Observed original;
  {
    auto src = Open("sqlite:" + a.path());
    ASSERT_NE(src, nullptr);
    Seed(*src);
    if (HasFatalFailure()) return;
    original = Observe(*src);
  }
  ASSERT_EQ(original.messages, (std::vector<std::string>{"9200", "9100", "9300"}));
  ASSERT_EQ(original.audit, (std::vector<std::string>{"a2", "a1", "a3"}));
  ASSERT_EQ(original.successor, HashOf(8));

  const std::string pg = NewPgDatabase();
  ASSERT_FALSE(pg.empty());
  // trust authentication ignores the password: it is here to show that it is never printed.
  const std::string pg_with_password =
      "postgresql://cz:s3cret@" + pg.substr(std::string("postgresql://cz@").size());
  auto to_pg = CopyStore("sqlite:" + a.path(), pg_with_password);
  ExpectMatches(to_pg);
  ASSERT_TRUE(to_pg.has_value());
  EXPECT_EQ(to_pg->to.find("s3cret"), std::string::npos) << to_pg->to;
  EXPECT_EQ(to_pg->from, "sqlite:" + a.path());

  Observed on_pg;
  {
    auto s = Open(pg);
    ASSERT_NE(s, nullptr);
    on_pg = Observe(*s);
    ExpectCopied(original, on_pg);
    EXPECT_EQ(VALUE(s->CountUsers()), 2);
    EXPECT_EQ(VALUE(s->GetUser("1001")).email, "alice@example.com");
    EXPECT_EQ(VALUE(s->GetBot("5001")).updated_at, kT + 55);
    EXPECT_EQ(VALUE(s->ListRehearsalCounts("7701")).size(), 1u);
    // Updates move PostgreSQL rows to the end of their table's heap, so a copy that relied on
    // the order rows are read in (rather than copying seq and rowid) would reorder them.
    ASSERT_TRUE(s->ConsumeRefreshToken(HashOf(9), kT + 100).has_value());
    domain::Message m = VALUE(s->GetMessage("9300"));
    m.content = "edited";
    ASSERT_OK(s->UpdateMessage(m));
    on_pg = Observe(*s);
    EXPECT_EQ(on_pg.successor, HashOf(8));
    EXPECT_EQ(on_pg.messages, original.messages);
  }

  auto to_sqlite = CopyStore(pg, "sqlite:" + b.path());
  ExpectMatches(to_sqlite);
  {
    auto s = Open("sqlite:" + b.path());
    ASSERT_NE(s, nullptr);
    ExpectCopied(on_pg, Observe(*s));
    EXPECT_EQ(VALUE(s->GetToken("6002")).revoked_at, kT + 10);
    EXPECT_EQ(VALUE(s->GetMessage("9300")).content, "edited");
    EXPECT_EQ(VALUE(s->ConsumeRefreshToken(HashOf(9), kT + 200)).used_at, kT + 100);  // on PG
    EXPECT_EQ(VALUE(s->ConsumeRefreshToken(HashOf(7), kT + 200)).used_at, 0);
    // Integers stay integers and NULLs NULL on SQLite (bound as text, converted by affinity).
    auto raw = sqlite::SqliteConnection::Open(b.path(), /*uri=*/false);
    ASSERT_TRUE(raw.has_value());
    static constexpr char kTypes[] =
        "SELECT (SELECT COUNT(*) FROM messages WHERE typeof(seq) = 'integer' AND "
        "typeof(created_at) = 'integer' AND typeof(id) = 'text') || ' ' || "
        "(SELECT COUNT(*) FROM audit_events WHERE typeof(rowid) = 'integer' AND "
        "typeof(at) = 'integer') || ' ' || "
        "(SELECT COUNT(*) FROM tokens WHERE typeof(app_id) = 'null' AND "
        "typeof(all_workspaces) = 'integer') || ' ' || "
        "(SELECT COUNT(*) FROM users WHERE typeof(email) = 'text')";
    auto st = (*raw)->Prepare(kTypes, "types");
    ASSERT_TRUE(st.has_value());
    ASSERT_TRUE(VALUE(st->Step()));
    EXPECT_EQ(st->Text(0), "3 3 2 2");  // the rows above, every one typed as on the source
    ExpectOrderContinues(*s);
  }
  {
    auto s = Open(pg);
    ASSERT_NE(s, nullptr);
    ExpectOrderContinues(*s);
  }
}

TEST(CopyStoreTest, SqliteToSqlite) {
  TempDbPath a("copy_ss_a"), b("copy_ss_b");
  Observed original;
  {
    auto src = Open("sqlite:" + a.path());
    ASSERT_NE(src, nullptr);
    Seed(*src);
    if (HasFatalFailure()) return;
    original = Observe(*src);
  }
  ExpectMatches(CopyStore("sqlite:" + a.path(), "sqlite:" + b.path()));
  auto s = Open("sqlite:" + b.path());
  ASSERT_NE(s, nullptr);
  ExpectCopied(original, Observe(*s));
}

TEST(CopyStoreTest, NonEmptyTargetIsRefusedAndUnchanged) {
  TempDbPath a("copy_ne_a");
  {
    auto src = Open("sqlite:" + a.path());
    ASSERT_NE(src, nullptr);
    Seed(*src);
  }
  const std::string pg = NewPgDatabase();
  ASSERT_FALSE(pg.empty());
  int64_t epoch = 0;
  {
    auto t = Open(pg);
    ASSERT_NE(t, nullptr);
    ASSERT_OK(t->CreateUser(contract::MakeUser("42", "someone@example.com")));
    epoch = VALUE(t->AuthEpoch());
  }
  auto copied = CopyStore("sqlite:" + a.path(), pg);
  ASSERT_FALSE(copied.has_value());
  EXPECT_EQ(copied.error().code, Errc::kBadRequest);
  EXPECT_NE(copied.error().message.find("already holds data (table users: 1 rows)"),
            std::string::npos)
      << copied.error().message;
  auto t = Open(pg);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(VALUE(t->CountUsers()), 1);
  EXPECT_EQ(CodeOf(t->GetUser("1001")), Errc::kNotFound);
  EXPECT_EQ(VALUE(t->AuthEpoch()), epoch);

  // A SQLite target the same.
  TempDbPath b("copy_ne_b");
  {
    auto s = Open("sqlite:" + b.path());
    ASSERT_NE(s, nullptr);
    ASSERT_OK(s->AppendAudit(AuditEvent{"x", kT, "operator", "x", "token", "1", "{}"}));
  }
  auto again = CopyStore(pg, "sqlite:" + b.path());
  ASSERT_FALSE(again.has_value());
  EXPECT_NE(again.error().message.find("table audit_events: 1 rows"), std::string::npos)
      << again.error().message;
}

TEST(CopyStoreTest, FailureHalfwayLeavesTargetEmptyAndRerunCompletes) {
  TempDbPath a("copy_fail_a");
  Observed original;
  {
    auto src = Open("sqlite:" + a.path());
    ASSERT_NE(src, nullptr);
    Seed(*src);
    if (HasFatalFailure()) return;
    original = Observe(*src);
  }
  // A message of a conversation that does not exist (foreign keys are off on this raw
  // connection): the target refuses it after users, accounts, … were inserted.
  {
    auto raw = sqlite::SqliteConnection::Open(a.path(), /*uri=*/false);
    ASSERT_TRUE(raw.has_value()) << raw.error().message;
    ASSERT_OK((*raw)->Exec(
        "INSERT INTO messages (id, conversation_id, bot_id, chat_id, section_id, role, type, "
        "content, content_type, meta_data, created_at, updated_at) VALUES ('9999', 'nope', '', "
        "'', '', 'user', 'question', '', 'text', '{}', 1, 1)",
        "insert orphan"));
  }
  const std::string pg = NewPgDatabase();
  ASSERT_FALSE(pg.empty());
  auto failed = CopyStore("sqlite:" + a.path(), pg);
  ASSERT_FALSE(failed.has_value());
  EXPECT_NE(failed.error().message.find("table messages"), std::string::npos)
      << failed.error().message;
  {
    auto t = Open(pg);
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(VALUE(t->CountUsers()), 0);
    EXPECT_EQ(CodeOf(t->FindTokenByHash(HashOf(1))), Errc::kNotFound);
    EXPECT_EQ(VALUE(t->AuthEpoch()), 1);
  }
  {
    auto raw = sqlite::SqliteConnection::Open(a.path(), /*uri=*/false);
    ASSERT_TRUE(raw.has_value());
    ASSERT_OK((*raw)->Exec("DELETE FROM messages WHERE id = '9999'", "delete orphan"));
  }
  ExpectMatches(CopyStore("sqlite:" + a.path(), pg));
  auto t = Open(pg);
  ASSERT_NE(t, nullptr);
  ExpectCopied(original, Observe(*t));
}

// The copy's table list is every table of both schemas but schema_version.
TEST(CopyStoreTest, TableListCoversBothSchemas) {
  std::vector<std::string> listed;
  for (const auto& t : sql::CopyTables()) listed.push_back(t.name);
  listed.push_back("schema_version");
  std::sort(listed.begin(), listed.end());

  auto lite = sqlite::Open(":memory:");
  ASSERT_TRUE(lite.has_value()) << lite.error().message;
  ASSERT_OK((*lite)->RunOnWriteConnection(false, [&](sql::Connection& c) -> Status {
    EXPECT_EQ(VALUE(sql::SchemaTables(c, sql::Dialect::kSqlite)), listed);
    return {};
  }));
  const std::string url = NewPgDatabase();
  ASSERT_FALSE(url.empty());
  auto pg = postgres::Open(url);
  ASSERT_TRUE(pg.has_value()) << pg.error().message;
  ASSERT_OK((*pg)->RunOnWriteConnection(false, [&](sql::Connection& c) -> Status {
    EXPECT_EQ(VALUE(sql::SchemaTables(c, sql::Dialect::kPostgres)), listed);
    return {};
  }));
  // A table the list lacks stops the copy.
  TempDbPath a("copy_cov_a"), b("copy_cov_b");
  {
    auto s = Open("sqlite:" + a.path());
    ASSERT_NE(s, nullptr);
  }
  {
    auto raw = sqlite::SqliteConnection::Open(a.path(), /*uri=*/false);
    ASSERT_TRUE(raw.has_value());
    ASSERT_OK((*raw)->Exec("CREATE TABLE future (id TEXT PRIMARY KEY)", "create future"));
  }
  auto copied = CopyStore("sqlite:" + a.path(), "sqlite:" + b.path());
  ASSERT_FALSE(copied.has_value());
  EXPECT_NE(copied.error().message.find("table future of the source schema is missing"),
            std::string::npos)
      << copied.error().message;
}

TEST(CopyStoreTest, BadUrlIsRefusedWithoutThePassword) {
  auto copied = CopyStore("mysql://u:pw@h/db", "sqlite::memory:");
  ASSERT_FALSE(copied.has_value());
  EXPECT_EQ(copied.error().message.find("pw"), std::string::npos) << copied.error().message;
}

TEST(CopyStoreTest, MissingSqliteSourceIsRefusedAndNotCreated) {
  TempDbPath a("copy_missing_a"), b("copy_missing_b");
  auto copied = CopyStore("sqlite:" + a.path(), "sqlite:" + b.path());
  ASSERT_FALSE(copied.has_value());
  EXPECT_EQ(copied.error().code, Errc::kBadRequest);
  EXPECT_NE(copied.error().message.find("no such file"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(a.path()));
}

}  // namespace
}  // namespace cozeauth::store
