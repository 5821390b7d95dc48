// What only the SQLite backend can show, beside the contract suites (../*_contract_test.cpp) that
// every backend runs: each ":memory:" open is a fresh database, the injected clock stamps join
// times, and a file persists, applies its schema once, and is shared with a second store (another
// process, such as the admin CLI).

#include "store/sqlite/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "base/blocking.hpp"
#include "base/clock.hpp"
#include "store/contract_test_rows.hpp"
#include "store/contract_test_support.hpp"
#include "store/sql/codec.hpp"
#include "store/sql/connection.hpp"
#include "store/sqlite/schema.hpp"
#include "store/sqlite/sqlite_db.hpp"
#include "store/store.hpp"

namespace cozeauth {
namespace store {
namespace {

using namespace contract;  // NOLINT(google-build-using-namespace): the suite's vocabulary

TEST(SqliteMemory, EachOpenIsAFreshDatabase) {
  auto first = OpenStore("sqlite::memory:");
  auto second = OpenStore("sqlite::memory:");
  ASSERT_TRUE(first.has_value() && second.has_value());
  ASSERT_OK((*first)->CreateUser(MakeUser("1001", "a@example.com")));
  EXPECT_OK((*first)->GetUser("1001"));
  EXPECT_EQ(CodeOf((*second)->GetUser("1001")), Errc::kNotFound);
}

// No store I/O on an I/O thread (base/blocking.hpp): inside a NonBlockingScope every kind of call
// — a read, a write, a transaction, the epochs — throws WouldBlock before touching the database.
TEST(SqliteMemory, EveryCallRefusesToBlockInsideANonBlockingScope) {
  auto opened = OpenStore("sqlite::memory:");
  ASSERT_TRUE(opened.has_value());
  Store& store = **opened;
  ASSERT_OK(store.CreateUser(MakeUser("1001", "a@example.com")));
  const int64_t epoch = VALUE(store.AuthEpoch());
  {
    NonBlockingScope scope;
    EXPECT_THROW((void)store.GetUser("1001"), WouldBlock);
    EXPECT_THROW((void)store.CreateUser(MakeUser("1002", "b@example.com")), WouldBlock);
    EXPECT_THROW((void)store.RevokeToken("1", 1), WouldBlock);
    EXPECT_THROW((void)store.Transaction([] { return Status(); }), WouldBlock);
    EXPECT_THROW((void)store.AuthEpoch(), WouldBlock);
    EXPECT_THROW((void)store.BotEpoch(), WouldBlock);
  }
  // Nothing was written, and the store works as before outside the scope.
  EXPECT_EQ(CodeOf(store.GetUser("1002")), Errc::kNotFound);
  EXPECT_EQ(VALUE(store.AuthEpoch()), epoch);
  EXPECT_OK(store.GetUser("1001"));
}

TEST(SqliteClock, JoinTimesComeFromTheInjectedClock) {
  FakeClock clock(1'750'000'000);
  auto opened = sqlite::Open(":memory:", clock);
  ASSERT_TRUE(opened.has_value()) << opened.error().message;
  Store& store = **opened;
  ASSERT_OK(store.CreateUser(MakeUser("1001", "a@example.com")));
  ASSERT_OK(store.CreateAccount(PersonalAccount("1001")));
  ASSERT_OK(store.CreateWorkspace(MakeWorkspace("3001", "1001", "1001", 1)));
  ASSERT_OK(store.SetWorkspaceRole("3001", "1001", domain::WorkspaceRole::kMember));
  clock.Advance(3600);
  ASSERT_OK(store.SetWorkspaceRole("3001", "1001", domain::WorkspaceRole::kAdmin));
  auto members = VALUE(store.ListWorkspaceMembers("3001"));
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].role, "admin");
  EXPECT_EQ(members[0].joined_at, 1'750'000'000);  // re-setting a role keeps the join time
}

TEST(SqliteFile, ReopenFindsDataAndAppliesTheSchemaOnce) {
  const TempDbPath db("reopen");
  const std::string path = db.path();
  ASSERT_FALSE(std::filesystem::exists(db.dir()));
  {
    auto opened = OpenStore("sqlite:" + path);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    ASSERT_OK((*opened)->CreateUser(MakeUser("1001", "a@example.com")));
    ASSERT_OK((*opened)->CreateToken(MakeToken("4001", HashOf(1), "1001")));
  }
  for (int reopen = 0; reopen < 2; ++reopen) {
    auto opened = OpenStore("sqlite:" + path);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    EXPECT_EQ(VALUE((*opened)->GetUser("1001")).email, "a@example.com");
    EXPECT_EQ(VALUE((*opened)->FindTokenByHash(HashOf(1))).id, "4001");
  }

  // One schema_version row per version: reopening applied nothing twice.
  auto conn = sqlite::SqliteConnection::Open(path, /*uri=*/false);
  ASSERT_TRUE(conn.has_value()) << conn.error().message;
  static constexpr char kVersions[] = "SELECT COUNT(*), MAX(version) FROM schema_version";
  auto st = (*conn)->Prepare(kVersions, "read versions");
  ASSERT_TRUE(st.has_value()) << st.error().message;
  ASSERT_TRUE(VALUE(st->Step()));
  EXPECT_EQ(st->Int(0), sqlite::LatestSchemaVersion());
  EXPECT_EQ(st->Int(1), sqlite::LatestSchemaVersion());
}

// Column `column` of every row `sql` returns on a raw connection to `path`, joined by "; ".
std::string Texts(const std::string& path, const char* sql, int column = 0) {
  auto conn = sqlite::SqliteConnection::Open(path, /*uri=*/false);
  EXPECT_TRUE(conn.has_value()) << conn.error().message;
  if (!conn) return "";
  auto st = (*conn)->Prepare(sql, "read");
  EXPECT_TRUE(st.has_value()) << st.error().message;
  std::string out;
  while (st && VALUE(st->Step())) out += (out.empty() ? "" : "; ") + st->Text(column);
  return out;
}

// A database at the latest version, taken back to an older one by `downgrade` (which drops the
// newer schema_version rows), then opened again: the upgrade runs on what `downgrade` left.
Result<std::unique_ptr<store::sql::SqlStore>> OpenAfterDowngrade(const std::string& path,
                                                                 const Clock& clock,
                                                                 const char* downgrade) {
  if (auto opened = sqlite::Open(path, clock); !opened) return opened.error();
  {
    auto conn = sqlite::SqliteConnection::Open(path, /*uri=*/false);
    if (!conn) return conn.error();
    if (Status st = (*conn)->Exec(downgrade, "downgrade"); !st) return st.error();
  }
  return sqlite::Open(path, clock);
}

// Version 13 (schema.cpp): used_jwt_ids is a rowid table, so the grants of one second go to the
// end of its expiry index rather than to random places in that second's stretch of it. A
// version-12 database keeps its jtis through the upgrade.
TEST(SqliteFile, UsedJwtIdsAreARowidTableKeptThroughTheUpgrade) {
  const TempDbPath db("used_jwt_ids");
  const std::string path = db.path();
  FakeClock clock(1'750'000'000);
  // Back to version 12's table, with a live jti in it.
  auto opened =
      OpenAfterDowngrade(path, clock,
                         "DROP TABLE used_jwt_ids; "
                         "CREATE TABLE used_jwt_ids (app_id TEXT NOT NULL, jti TEXT NOT NULL, "
                         "expires_at INTEGER NOT NULL, PRIMARY KEY (app_id, jti)) WITHOUT ROWID; "
                         "CREATE INDEX used_jwt_ids_by_expiry ON used_jwt_ids (expires_at); "
                         "INSERT INTO used_jwt_ids VALUES ('7001', 'j1', 1750000900); "
                         "DELETE FROM schema_version WHERE version >= 13");
  ASSERT_TRUE(opened.has_value()) << opened.error().message;
  store::Store& store = **opened;
  EXPECT_EQ(CodeOf(store.UseJwtId("7001", "j1", 1'750'000'960, 1'750'000'000)),
            Errc::kAlreadyExists);  // kept
  EXPECT_OK(store.UseJwtId("7001", "j2", 1'750'000'960, 1'750'000'000));
  EXPECT_OK(store.UseJwtId("7001", "j1", 1'750'000'960, 1'750'000'900));  // expired: taken over

  const std::string table =
      Texts(path, "SELECT sql FROM sqlite_schema WHERE name = 'used_jwt_ids'");
  EXPECT_NE(table.find("PRIMARY KEY (app_id, jti)"), std::string::npos) << table;
  EXPECT_EQ(table.find("WITHOUT ROWID"), std::string::npos) << table;
  EXPECT_EQ(Texts(path,
                  "SELECT name FROM sqlite_schema "
                  "WHERE type = 'index' AND tbl_name = 'used_jwt_ids' AND sql IS NOT NULL"),
            "used_jwt_ids_by_expiry");
  // The purge still finds the expired jtis by the expiry index.
  const std::string plan =
      Texts(path, "EXPLAIN QUERY PLAN DELETE FROM used_jwt_ids WHERE expires_at <= 1750000960", 3);
  EXPECT_NE(plan.find("used_jwt_ids_by_expiry"), std::string::npos) << plan;
}

// Version 12 (schema.cpp): request_stats is one B-tree keyed by minute first, so a flush's
// upserts land together at its end, ListRequestStats reads in key order without a sort, and no
// separate minute index is kept. A version-11 database keeps its rows through the upgrade.
TEST(SqliteFile, RequestStatsAreOneTreeKeyedByMinuteAndKeptThroughTheUpgrade) {
  const TempDbPath db("request_stats");
  const std::string path = db.path();
  FakeClock clock(1'750'000'000);
  // Back to version 11's table, with a row in it.
  auto opened = OpenAfterDowngrade(
      path, clock,
      "DROP TABLE request_stats; "
      "CREATE TABLE request_stats (token_id TEXT NOT NULL, credential_kind TEXT NOT NULL, "
      "route TEXT NOT NULL, permission TEXT NOT NULL, code INTEGER NOT NULL, "
      "minute INTEGER NOT NULL, count INTEGER NOT NULL, "
      "PRIMARY KEY (token_id, route, code, minute)); "
      "CREATE INDEX request_stats_by_minute ON request_stats (minute); "
      "INSERT INTO request_stats VALUES ('t1', 'pat', '/v1/users/me', '', 0, 29000000, 5); "
      "DELETE FROM schema_version WHERE version >= 12");
  ASSERT_TRUE(opened.has_value()) << opened.error().message;
  store::Store& store = **opened;
  ASSERT_OK(store.AddRequestStats({{"t1", "pat", "/v1/users/me", "", 0, 29000000, 2},
                                   {"t0", "pat", "/v1/users/me", "", 0, 29000001, 1}}));
  auto rows = VALUE(store.ListRequestStats(0, 0, ""));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].token_id, "t1");
  EXPECT_EQ(rows[0].count, 7);  // the upgraded row, added to
  EXPECT_EQ(rows[1].token_id, "t0");

  const std::string table =
      Texts(path, "SELECT sql FROM sqlite_schema WHERE name = 'request_stats'");
  EXPECT_NE(table.find("PRIMARY KEY (minute, token_id, route, code)"), std::string::npos) << table;
  EXPECT_NE(table.find("WITHOUT ROWID"), std::string::npos) << table;
  EXPECT_EQ(Texts(path,
                  "SELECT name FROM sqlite_schema "
                  "WHERE type = 'index' AND tbl_name = 'request_stats' AND sql IS NOT NULL"),
            "");
  // ListRequestStats's query reads in key order: no temporary B-tree sorts it.
  const std::string plan =
      Texts(path,
            "EXPLAIN QUERY PLAN SELECT token_id, count FROM request_stats "
            "WHERE minute >= ?1 AND (?2 = 0 OR minute < ?2) AND "
            "(?3 = '' OR token_id = ?3) ORDER BY minute, token_id, route, code",
            3);
  EXPECT_NE(plan, "");
  EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
}

// The writer connection's value of `pragma` (an integer).
int64_t WriterPragma(sql::SqlStore& store, const std::string& pragma) {
  int64_t out = -1;
  EXPECT_OK(store.RunOnWriteConnection(false, [&](sql::Connection& c) -> Status {
    const std::string sql = "PRAGMA " + pragma;
    auto st = c.Prepare(sql.c_str(), "read a pragma");
    if (!st) return st.error();
    auto value = sql::FetchInt(*st);
    if (!value) return value.error();
    out = *value;
    return {};
  }));
  return out;
}

// A savepoint's sub-journal (each grant of a group-committed batch has one) stays in memory:
// on disk it cost two pwrite()s per page it saved, beside the WAL's own (sqlite_store.cpp).
TEST(SqliteFile, TheWriterKeepsSavepointJournalsInMemory) {
  const TempDbPath db("temp_store");
  FakeClock clock(1'750'000'000);
  auto opened = sqlite::Open(db.path(), clock);
  ASSERT_TRUE(opened.has_value()) << opened.error().message;
  EXPECT_EQ(WriterPragma(**opened, "temp_store"), 2);  // MEMORY (0, the default: a file)
}

// The writer keeps 16 MiB of pages (negative: KiB), not SQLite's 2 MiB: the random index leaves
// a grant's token and jti land on stay cached between grants (sqlite_store.cpp).
TEST(SqliteFile, TheWriterCachesSixteenMebibytesOfPages) {
  const TempDbPath db("cache_size");
  FakeClock clock(1'750'000'000);
  auto opened = sqlite::Open(db.path(), clock);
  ASSERT_TRUE(opened.has_value()) << opened.error().message;
  EXPECT_EQ(WriterPragma(**opened, "cache_size"), -16384);
}

// One commit of `rows` rows of 4,000 bytes, a page each.
Status Fill(sql::SqlStore& store, int rows) {
  return store.RunOnWriteConnection(true, [rows](sql::Connection& c) -> Status {
    if (Status s = c.Exec("CREATE TABLE IF NOT EXISTS filler (b BLOB)", "create"); !s) return s;
    const std::string sql =
        "INSERT INTO filler SELECT zeroblob(4000) FROM (WITH RECURSIVE n(i) AS (SELECT 1 "
        "UNION ALL SELECT i + 1 FROM n WHERE i < " +
        std::to_string(rows) + ") SELECT i FROM n)";
    return c.Exec(sql.c_str(), "fill");
  });
}

// MemoryInUse (GET /metrics' cozeauth_store_memory_bytes) is SQLite's own count, which the
// writer's page cache fills: 2,000 pages written stay cached on it (16 MiB hold 4,096).
TEST(SqliteFile, MemoryInUseCountsTheWritersPageCache) {
  const TempDbPath db("memory");
  FakeClock clock(1'750'000'000);
  auto opened = sqlite::Open(db.path(), clock);
  ASSERT_TRUE(opened.has_value()) << opened.error().message;
  const std::optional<uint64_t> before = (*opened)->MemoryInUse();
  ASSERT_TRUE(before.has_value());
  EXPECT_GT(*before, 0u);
  ASSERT_TRUE(Fill(**opened, 2000));
  EXPECT_GT((*opened)->MemoryInUse().value_or(0), *before + 2000 * 4096);
}

// The writer never checkpoints the WAL itself (SQLite's automatic checkpoint is off on it); a
// commit that takes the WAL past 1000 pages has a thread of the store's own copy it back into
// the database file.
TEST(SqliteFile, TheWalIsCheckpointedOffTheWritersThread) {
  const TempDbPath db("checkpoint");
  FakeClock clock(1'750'000'000);
  auto opened = sqlite::Open(db.path(), clock);
  ASSERT_TRUE(opened.has_value()) << opened.error().message;
  sql::SqlStore& store = **opened;
  EXPECT_EQ(WriterPragma(store, "wal_autocheckpoint"), 0);
  const auto db_size = [&] { return std::filesystem::file_size(db.path()); };
  const uintmax_t before = db_size();

  // 1,200 pages in one commit: the WAL holds them, the database file does not yet.
  ASSERT_OK(Fill(store, 1200));
  store.SettleBackgroundWork();
  EXPECT_GE(db_size(), before + 1200u * 4000u);
}

// A pass per 1000 new pages, not per commit: the pages every commit rewrites are copied once a
// pass. Commits of 400 pages each, the WAL kept from starting over by a reader: the first pass
// comes at 1200 pages, the next at 2400, none between.
TEST(SqliteFile, TheWalIsCheckpointedOncePerThousandNewPages) {
  const TempDbPath db("checkpoint_passes");
  FakeClock clock(1'750'000'000);
  auto opened = sqlite::Open(db.path(), clock);
  ASSERT_TRUE(opened.has_value()) << opened.error().message;
  sql::SqlStore& store = **opened;
  sqlite3* reader = nullptr;
  ASSERT_EQ(sqlite3_open(db.path().c_str(), &reader), SQLITE_OK);
  std::vector<uint64_t> passes;
  for (int commit = 0; commit < 6; ++commit) {
    ASSERT_OK(Fill(store, 400));
    passes.push_back(store.SettleBackgroundWork());
    if (commit == 0) {  // a read transaction from here on: the WAL cannot start over
      ASSERT_EQ(
          sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM filler", nullptr, nullptr, nullptr),
          SQLITE_OK);
    }
  }
  sqlite3_close(reader);
  EXPECT_EQ(passes, (std::vector<uint64_t>{0, 0, 1, 1, 1, 2}));
}

// A writer that never pauses never starts the WAL over while another thread copies it, so past
// 8000 pages the writer checkpoints once itself, within the commit: the next commit writes from
// the WAL's start.
TEST(SqliteFile, TheWriterBoundsTheWal) {
  const TempDbPath db("wal_bound");
  FakeClock clock(1'750'000'000);
  auto opened = sqlite::Open(db.path(), clock);
  ASSERT_TRUE(opened.has_value()) << opened.error().message;
  sql::SqlStore& store = **opened;
  // The WAL's length in frames, as another connection finds it (a checkpoint of nothing).
  auto wal_frames = [&] {
    sqlite3* raw = nullptr;
    EXPECT_EQ(sqlite3_open(db.path().c_str(), &raw), SQLITE_OK);
    int frames = -1;
    EXPECT_EQ(sqlite3_exec(raw, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, nullptr),
              SQLITE_OK);
    EXPECT_EQ(sqlite3_wal_checkpoint_v2(raw, nullptr, SQLITE_CHECKPOINT_PASSIVE, &frames, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
    return frames;
  };
  const uintmax_t before = std::filesystem::file_size(db.path());
  ASSERT_OK(Fill(store, 8500));
  // Copied by the commit itself, before it returned: nothing was waited for.
  EXPECT_GE(std::filesystem::file_size(db.path()), before + 8500u * 4000u);
  store.SettleBackgroundWork();
  ASSERT_OK(Fill(store, 10));
  EXPECT_LT(wal_frames(), 100);
}

TEST(SqliteFile, SecondStoreSeesWritesAndEpochOfTheFirst) {
  // The server and the admin CLI are two processes on one file; two stores model them.
  const TempDbPath db("two_stores");
  const std::string path = db.path();
  auto server = OpenStore("sqlite:" + path);
  ASSERT_TRUE(server.has_value()) << server.error().message;
  auto cli = OpenStore("sqlite:" + path);
  ASSERT_TRUE(cli.has_value()) << cli.error().message;

  ASSERT_OK((*cli)->CreateUser(MakeUser("1001", "a@example.com")));
  ASSERT_OK((*cli)->CreateToken(MakeToken("4001", HashOf(1), "1001")));
  EXPECT_FALSE(VALUE((*server)->FindTokenByHash(HashOf(1))).Revoked());

  const int64_t before = VALUE((*server)->AuthEpoch());
  EXPECT_EQ(VALUE((*server)->AuthEpoch()), before);  // cached: nothing changed
  ASSERT_OK((*cli)->RevokeToken("4001", 1'700'000'000));
  const int64_t after = VALUE((*server)->AuthEpoch());
  EXPECT_GT(after, before);
  EXPECT_EQ(after, VALUE((*cli)->AuthEpoch()));
  EXPECT_TRUE(VALUE((*server)->FindTokenByHash(HashOf(1))).Revoked());

  // A write that does not bump leaves the other store's epoch where it was.
  ASSERT_OK((*cli)->TouchTokens({{"4001", 1'700'000'100}}));
  EXPECT_EQ(VALUE((*server)->AuthEpoch()), after);

  // A bot updated elsewhere (a second server) must reach this store's bot cache: the bot epoch
  // moves, polled like the auth epoch — and the auth epoch does not (issue 9).
  ASSERT_OK((*cli)->CreateAccount(PersonalAccount("1001")));
  ASSERT_OK((*cli)->CreateWorkspace(MakeWorkspace("3001", "1001", "1001", 1)));
  const int64_t auth = VALUE((*server)->AuthEpoch());
  ASSERT_OK((*cli)->CreateBot(MakeBot("5001", "3001", true, 1)));
  const int64_t bots = VALUE((*server)->BotEpoch());
  EXPECT_EQ(VALUE((*server)->BotEpoch()), bots);  // cached: nothing changed
  ASSERT_OK((*cli)->UpdateBot(MakeBot("5001", "3001", false, 2)));
  EXPECT_GT(VALUE((*server)->BotEpoch()), bots);
  EXPECT_EQ(VALUE((*server)->BotEpoch()), VALUE((*cli)->BotEpoch()));
  EXPECT_EQ(VALUE((*server)->AuthEpoch()), auth);
  EXPECT_FALSE(VALUE((*server)->GetBot("5001")).is_published);
}

TEST(SqliteFile, OpenReportsAnUnusablePath) {
  // The parent "directory" is a regular file, so it cannot be created.
  const TempDbPath db("unusable");
  std::filesystem::create_directories(db.dir());
  const std::string blocker = (db.dir() / "file").string();
  { std::ofstream(blocker) << "x"; }
  auto opened = OpenStore("sqlite:" + blocker + "/store.db");
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code, Errc::kInternal);
}

}  // namespace
}  // namespace store
}  // namespace cozeauth
