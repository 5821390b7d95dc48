// Per-credential request statistics: in-memory aggregation by (token, kind, route, permission,
// code, minute), batched flushes to the store, and the credential report built from them
// (grouping, windows around a migration, hints, visibility, durations).

#include "observe/request_stats.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "observe/credential_report.hpp"
#include "store/sql/sql_store.hpp"

namespace cozeauth::observe {
namespace {

constexpr int64_t kT = 1'750'000'020;  // the start of a minute

std::unique_ptr<store::Store> MemoryStore() {
  auto s = store::OpenStore("sqlite::memory:");
  EXPECT_TRUE(s.has_value()) << s.error().message;
  return std::move(s).value();
}

int64_t Count(store::Store& store, const std::string& token, int code) {
  int64_t n = 0;
  auto rows = store.ListRequestStats(0, 0, token);
  EXPECT_TRUE(rows.has_value());
  for (const auto& r : rows.value()) {
    if (r.code == code) n += r.count;
  }
  return n;
}

TEST(RequestStats, AggregatesInMemoryAndFlushesOneRowPerKey) {
  auto store = MemoryStore();
  FakeClock clock(kT);
  Registry metrics;
  RequestStats stats(*store, clock, metrics);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 250; ++i)
        stats.Record("t1", "pat", "/v1/bots/{bot_id}", "getMetadata", 0);
      stats.Record("t1", "pat", "/v1/bots/{bot_id}", "getMetadata", 4101);
    });
  }
  for (auto& th : threads) th.join();
  stats.Record("", "-", "/healthz", "", 0);  // no credential: not recorded
  EXPECT_TRUE(store->ListRequestStats(0, 0, "").value().empty()) << "written before a flush";
  ASSERT_TRUE(stats.Flush().has_value());
  auto rows = store->ListRequestStats(0, 0, "").value();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].token_id, "t1");
  EXPECT_EQ(rows[0].credential_kind, "pat");
  EXPECT_EQ(rows[0].route, "/v1/bots/{bot_id}");
  EXPECT_EQ(rows[0].permission, "getMetadata");
  EXPECT_EQ(rows[0].minute, kT / 60);
  EXPECT_EQ(Count(*store, "t1", 0), 1000);
  EXPECT_EQ(Count(*store, "t1", 4101), 4);
  // A second flush adds only what came since.
  ASSERT_TRUE(stats.Flush().has_value());
  EXPECT_EQ(Count(*store, "t1", 0), 1000);
  stats.Record("t1", "pat", "/v1/bots/{bot_id}", "getMetadata", 0);
  ASSERT_TRUE(stats.Flush().has_value());
  EXPECT_EQ(Count(*store, "t1", 0), 1001);
}

TEST(RequestStats, MinutesAreSeparateKeys) {
  auto store = MemoryStore();
  FakeClock clock(kT);
  RequestStats stats(*store, clock);
  stats.Record("t1", "pat", "/r", "", 0);
  clock.Advance(60);
  stats.Record("t1", "pat", "/r", "", 0);
  stats.Record("t1", "pat", "/r", "", 0);
  ASSERT_TRUE(stats.Flush().has_value());
  auto rows = store->ListRequestStats(0, 0, "t1").value();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].minute, kT / 60);
  EXPECT_EQ(rows[0].count, 1);
  EXPECT_EQ(rows[1].minute, kT / 60 + 1);
  EXPECT_EQ(rows[1].count, 2);
}

// A stream of ever-new credentials (a million tokens cycled, each seen once in a while) reuses
// the nodes of the keys forgotten at the last flushes instead of allocating per request, and
// every count still reaches the store.
TEST(RequestStats, NewKeysReuseTheNodesOfForgottenOnes) {
  auto store = MemoryStore();
  FakeClock clock(kT);
  RequestStats stats(*store, clock);
  auto record = [&](const std::string& prefix) {
    for (int i = 0; i < 100; ++i)
      stats.Record(prefix + std::to_string(1000 + i), "pat", "/v1/users/me", "", 0);
  };
  record("t");
  ASSERT_TRUE(stats.Flush().has_value());  // counted, the nodes drained
  ASSERT_TRUE(stats.Flush().has_value());  // the drained nodes are spares now
  EXPECT_EQ(stats.NodesAllocated(), 100u);
  record("u");
  ASSERT_TRUE(stats.Flush().has_value());
  ASSERT_TRUE(stats.Flush().has_value());
  record("v");
  EXPECT_EQ(stats.NodesAllocated(), 100u);  // the same 100 nodes, three times over
  ASSERT_TRUE(stats.Flush().has_value());
  for (const char* prefix : {"t", "u", "v"}) {
    for (int i = 0; i < 100; i += 33)
      EXPECT_EQ(Count(*store, prefix + std::to_string(1000 + i), 0), 1);
  }
  EXPECT_EQ(store->ListRequestStats(0, 0, "").value().size(), 300u);
}

// Idle keys are forgotten along with their nodes once no interval needs them: memory follows
// the traffic down.
TEST(RequestStats, SpareNodesFollowTheTrafficDown) {
  auto store = MemoryStore();
  FakeClock clock(kT);
  RequestStats stats(*store, clock);
  for (int i = 0; i < 50; ++i) stats.Record("t" + std::to_string(i), "pat", "/r", "", 0);
  for (int f = 0; f < 4; ++f) ASSERT_TRUE(stats.Flush().has_value());  // two quiet intervals
  for (int i = 0; i < 50; ++i) stats.Record("u" + std::to_string(i), "pat", "/r", "", 0);
  EXPECT_EQ(stats.NodesAllocated(), 100u);  // nothing was kept for them
}

// Steady traffic on a few credentials: each key starts afresh every interval on a node drained
// two flushes before, so the allocations stop after the second interval.
TEST(RequestStats, SteadyTrafficStopsAllocating) {
  auto store = MemoryStore();
  FakeClock clock(kT);
  RequestStats stats(*store, clock);
  for (int interval = 0; interval < 20; ++interval) {
    for (int i = 0; i < 10; ++i) {
      for (int r = 0; r < 3; ++r) stats.Record("t" + std::to_string(i), "pat", "/r", "", 0);
    }
    ASSERT_TRUE(stats.Flush().has_value());
    EXPECT_EQ(stats.NodesAllocated(), interval == 0 ? 10u : 20u) << "interval " << interval;
  }
  EXPECT_EQ(Count(*store, "t0", 0), 60);
  EXPECT_EQ(Count(*store, "t9", 0), 60);
}

// Flushes while other threads record: each shard's map is swapped out under its lock and walked
// outside it, and no count is lost or counted twice, whatever the interleaving.
TEST(RequestStats, RecordsDuringFlushesAreAllCounted) {
  auto store = MemoryStore();
  FakeClock clock(kT);
  RequestStats stats(*store, clock);
  std::atomic<int> running{4};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5000; ++i) stats.Record("t" + std::to_string(i % 50), "pat", "/r", "", 0);
      running.fetch_sub(1);
    });
  }
  int flushes = 0;
  while (running.load() > 0) {
    ASSERT_TRUE(stats.Flush().has_value());
    ++flushes;
  }
  for (auto& th : threads) th.join();
  ASSERT_TRUE(stats.Flush().has_value());
  int64_t total = 0;
  const auto rows = store->ListRequestStats(0, 0, "").value();
  for (const auto& row : rows) total += row.count;
  EXPECT_EQ(total, 4 * 5000) << flushes << " flushes";
  EXPECT_EQ(Count(*store, "t7", 0), 4 * 100);
}

// While `on` is set, the store refuses every request-stats row (a trigger on its writer), as a
// store that is full, locked out or read-only would.
void RefuseStats(store::Store& store, bool on) {
  auto* sql = dynamic_cast<store::sql::SqlStore*>(&store);
  ASSERT_NE(sql, nullptr);
  const char* ddl = on ? "CREATE TRIGGER refuse_stats BEFORE INSERT ON request_stats "
                         "BEGIN SELECT RAISE(ABORT, 'refused'); END"
                       : "DROP TRIGGER refuse_stats";
  ASSERT_TRUE(sql->RunOnWriteConnection(
                     true, [ddl](store::sql::Connection& c) { return c.Exec(ddl, "refuse stats"); })
                  .has_value());
}

// The sample of a counter without labels in the registry's exposition ("" when absent).
std::string Sample(const Registry& metrics, const std::string& name) {
  const std::string text = metrics.Exposition();
  const size_t at = text.find("\n" + name + " ");
  if (at == std::string::npos) return "";
  const size_t from = at + name.size() + 2;
  return text.substr(from, text.find('\n', from) - from);
}

// A batch the store refuses is kept and written with a later one, its counts added to the same
// keys' — and kept as its own copy: the nodes it was counted in go back to Record, which writes
// other credentials' keys into them.
TEST(RequestStats, RefusedRowsAreRetriedWithTheNextFlush) {
  auto store = MemoryStore();
  FakeClock clock(kT);
  Registry metrics;
  RequestStats stats(*store, clock, metrics);
  for (int i = 0; i < 3; ++i) stats.Record("t1000000000000000001", "pat", "/v1/users/me", "", 0);
  stats.Record("t1000000000000000002", "pat", "/v1/bots/{bot_id}", "getMetadata", 4101);
  RefuseStats(*store, true);
  EXPECT_FALSE(stats.Flush().has_value());
  stats.Record("t1000000000000000001", "pat", "/v1/users/me", "", 0);
  EXPECT_FALSE(stats.Flush().has_value());  // the refused rows and the new count, refused again
  EXPECT_EQ(Sample(metrics, "cozeauth_request_stats_flush_failures_total"), "2");
  EXPECT_TRUE(store->ListRequestStats(0, 0, "").value().empty());
  // Two new keys, on the nodes the first keys were counted in.
  stats.Record("u1000000000000000001", "sat", "/v3/chat", "chat", 0);
  stats.Record("u1000000000000000002", "sat", "/v3/chat", "chat", 4100);
  EXPECT_EQ(stats.NodesAllocated(), 3u);
  RefuseStats(*store, false);
  ASSERT_TRUE(stats.Flush().has_value());
  EXPECT_EQ(Count(*store, "t1000000000000000001", 0), 4);
  EXPECT_EQ(Count(*store, "t1000000000000000002", 4101), 1);
  EXPECT_EQ(Count(*store, "u1000000000000000001", 0), 1);
  EXPECT_EQ(Count(*store, "u1000000000000000002", 4100), 1);
  const auto rows = store->ListRequestStats(0, 0, "").value();
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[1].route, "/v1/bots/{bot_id}");
  EXPECT_EQ(rows[1].permission, "getMetadata");
  // Written once: a further flush adds nothing.
  ASSERT_TRUE(stats.Flush().has_value());
  EXPECT_EQ(Count(*store, "t1000000000000000001", 0), 4);
  EXPECT_EQ(Sample(metrics, "cozeauth_request_stats_dropped_rows_total"), "0");
}

// Refused rows wait up to RequestStats::kMaxPending; past it the oldest minutes' go first, and
// the registry counts them.
TEST(RequestStats, RefusedRowsPastTheBoundAreDroppedOldestFirst) {
  auto store = MemoryStore();
  FakeClock clock(kT);
  Registry metrics;
  RequestStats stats(*store, clock, metrics);
  for (int i = 0; i < 3; ++i) stats.Record("old" + std::to_string(i), "pat", "/r", "", 0);
  clock.Advance(60);
  for (size_t i = 0; i < RequestStats::kMaxPending; ++i) {
    stats.Record("new" + std::to_string(i), "pat", "/r", "", 0);
  }
  RefuseStats(*store, true);
  EXPECT_FALSE(stats.Flush().has_value());
  EXPECT_EQ(Sample(metrics, "cozeauth_request_stats_dropped_rows_total"), "3");
  RefuseStats(*store, false);
  ASSERT_TRUE(stats.Flush().has_value());
  const auto rows = store->ListRequestStats(0, 0, "").value();
  EXPECT_EQ(rows.size(), RequestStats::kMaxPending);
  EXPECT_EQ(rows.front().minute, kT / 60 + 1);
  EXPECT_EQ(Count(*store, "old0", 0), 0);
  EXPECT_EQ(Count(*store, "new99999", 0), 1);
}

// Retention: the minutes that ended before now - retention are deleted; the minute holding
// that instant and every later one stay.
TEST(RequestStats, PurgeDeletesTheMinutesOlderThanTheRetention) {
  auto store = MemoryStore();
  FakeClock clock(kT);
  RequestStats stats(*store, clock);
  const std::chrono::seconds retention = std::chrono::hours(24 * 90);
  clock.Advance(20);
  const int64_t edge = kT + 20 - retention.count();  // 20 s into its minute
  const int64_t start = edge - 20;
  for (int64_t at : {start - 3600, start - 1, start, start + 59, start + 60}) {
    ASSERT_TRUE(store
                    ->AddRequestStats({store::RequestStat{"t" + std::to_string(at), "pat", "/r", "",
                                                          0, at / 60, 1}})
                    .has_value());
  }
  auto removed = stats.PurgeOlderThan(retention);
  ASSERT_TRUE(removed.has_value()) << removed.error().message;
  EXPECT_EQ(*removed, 2);  // an hour before and the minute before the edge's
  EXPECT_EQ(Count(*store, "t" + std::to_string(start - 1), 0), 0);
  EXPECT_EQ(Count(*store, "t" + std::to_string(start), 0), 1);
  EXPECT_EQ(Count(*store, "t" + std::to_string(start + 60), 0), 1);
  EXPECT_EQ(store->ListRequestStats(0, 0, "").value().size(), 3u);
  // A minute later, the edge's minute goes too.
  clock.Advance(60);
  EXPECT_EQ(stats.PurgeOlderThan(retention).value(), 2);
  EXPECT_EQ(store->ListRequestStats(0, 0, "").value().size(), 1u);
}

TEST(RequestStats, StopFlushesWhatIsLeft) {
  auto store = MemoryStore();
  FakeClock clock(kT);
  {
    RequestStats stats(*store, clock);
    stats.Start(std::chrono::hours(1), std::chrono::hours(24));  // the loop never fires here
    stats.Record("t9", "sat", "/r", "", 4100);
    stats.Stop();
  }
  EXPECT_EQ(Count(*store, "t9", 4100), 1);
}

TEST(RequestStats, RecordRequestFeedsMetricsAndStats) {
  auto store = MemoryStore();
  FakeClock clock(kT);
  Registry metrics;
  RequestStats stats(*store, clock, metrics);
  RequestRecord e;
  e.route = "/v1/users/me";
  e.credential = "pat";
  e.code = 4100;
  e.token_id = "t5";
  e.latency_us = 120;
  RecordRequest(e, metrics, &stats);
  e.token_id = "";
  e.credential = "-";
  RecordRequest(e, metrics, &stats);
  ASSERT_TRUE(stats.Flush().has_value());
  EXPECT_EQ(metrics.Requests("/v1/users/me", "pat", 4100), 1u);
  EXPECT_EQ(metrics.Requests("/v1/users/me", "-", 4100), 1u);
  EXPECT_EQ(Count(*store, "t5", 4100), 1);
  EXPECT_EQ(store->ListRequestStats(0, 0, "").value().size(), 1u);
}

// --- the credential report

TEST(ParseDuration, AcceptsUnitsAndRejectsGarbage) {
  EXPECT_EQ(ParseDuration("45s").value(), 45);
  EXPECT_EQ(ParseDuration("30m").value(), 1800);
  EXPECT_EQ(ParseDuration("2h").value(), 7200);
  EXPECT_EQ(ParseDuration("1d").value(), 86400);
  EXPECT_EQ(ParseDuration("1w").value(), 7 * 86400);
  EXPECT_EQ(ParseDuration("90").value(), 90);
  for (const char* bad : {"", "m", "0m", "-5m", "5x", "1.5h", "h2", "99999999999d"}) {
    auto r = ParseDuration(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code, Errc::kBadRequest);
    EXPECT_EQ(r.error().field, "since");
  }
}

TEST(OutcomeCounts, SplitsSuccessesDenialsAndOtherErrors) {
  OutcomeCounts c;
  c.Add(0, 5);
  c.Add(4100, 2);
  c.Add(4101, 3);
  c.Add(4006, 1);
  c.Add(5000, 1);
  EXPECT_EQ(c.requests, 12);
  EXPECT_EQ(c.successes, 5);
  EXPECT_EQ(c.denied_4100, 2);
  EXPECT_EQ(c.denied_4101, 3);
  EXPECT_EQ(c.other_errors, 2);
  EXPECT_EQ(c.denials(), 5);
}

// A personal user 1001 (workspace 3001) and enterprise ent_1 (organization 2001); a personal
// PAT 5001, an enterprise PAT 5002, and JWT-app tokens 5003/5004 of service app 7001 in ent_1.
class CredentialReportTest : public testing::Test {
 protected:
  void SetUp() override {
    store_ = MemoryStore();
    store::Store& s = *store_;
    ASSERT_TRUE(s.CreateUser({"1001", "ann", "ann@x", "$argon2id$fake", kT}).has_value());
    domain::Account personal;
    personal.id = "1001";
    personal.kind = domain::AccountKind::kPersonal;
    personal.user_id = "1001";
    personal.name = "ann";
    ASSERT_TRUE(s.CreateAccount(personal).has_value());
    domain::Enterprise e;
    e.id = "ent_1";
    e.name = "E";
    e.owner_user_id = "1001";
    e.default_org_account_id = "2001";
    ASSERT_TRUE(s.CreateEnterprise(e).has_value());
    domain::Account org;
    org.id = "2001";
    org.kind = domain::AccountKind::kOrganization;
    org.enterprise_id = "ent_1";
    org.name = "org";
    org.is_default = true;
    ASSERT_TRUE(s.CreateAccount(org).has_value());
    domain::Workspace w;
    w.id = "3001";
    w.name = "W";
    w.owner_account_id = "1001";
    w.owner_user_id = "1001";
    ASSERT_TRUE(s.CreateWorkspace(w).has_value());
    credentials::OAuthApp app;
    app.id = "7001";
    app.client_id = "7001";
    app.owner_account_id = "2001";
    app.owner_user_id = "1001";
    app.name = "jwt-app";
    app.workspace_permissions = {"chat"};
    ASSERT_TRUE(s.CreateOAuthApp(app).has_value());
    AddToken("5001", credentials::TokenKind::kPat, "personal-pat", "1001", "");
    AddToken("5002", credentials::TokenKind::kPat, "enterprise-pat", "2001", "ent_1");
    AddToken("5003", credentials::TokenKind::kAppAccess, "", "2001", "ent_1", "7001");
    AddToken("5004", credentials::TokenKind::kAppAccess, "", "2001", "ent_1", "7001");
  }

  void AddToken(const std::string& id, credentials::TokenKind kind, const std::string& name,
                const std::string& account, const std::string& enterprise,
                const std::string& app_id = "") {
    credentials::Token t;
    t.id = id;
    t.kind = kind;
    t.name = name;
    t.token_hash = std::string(60, 'a') + id;
    t.user_id = "1001";
    t.context = {enterprise.empty() ? credentials::ContextKind::kPersonal
                                    : credentials::ContextKind::kOrganization,
                 account, enterprise};
    t.app_id = app_id;
    t.created_at = kT;
    ASSERT_TRUE(store_->CreateToken(t).has_value());
  }

  void AddStat(const std::string& token, const std::string& kind, int code, int64_t at,
               int64_t count) {
    ASSERT_TRUE(store_->AddRequestStats({{token, kind, "/v3/chat", "chat", code, at / 60, count}})
                    .has_value());
  }

  const CredentialRow* Row(const CredentialReport& r, const std::string& id) {
    for (const auto& row : r.rows) {
      if (row.credential_id == id) return &row;
    }
    return nullptr;
  }

  std::unique_ptr<store::Store> store_;
};

TEST_F(CredentialReportTest, OneWindowGroupsOAuthTokensByApp) {
  FakeClock clock(kT + 3600);
  AddStat("5001", "pat", 0, kT, 3);
  AddStat("5001", "pat", 4101, kT + 60, 2);
  AddStat("5003", "app", 0, kT, 4);
  AddStat("5004", "app", 4100, kT + 120, 1);
  AddStat("5002", "pat", 0, kT - 7200, 9);  // outside a 1 h window
  auto report = BuildCredentialReport(*store_, clock, {.since_seconds = 3600});
  ASSERT_TRUE(report.has_value()) << report.error().message;
  ASSERT_EQ(report->rows.size(), 2u);
  const CredentialRow* pat = Row(*report, "5001");
  ASSERT_NE(pat, nullptr);
  EXPECT_EQ(pat->kind, "pat");
  EXPECT_EQ(pat->name, "personal-pat");
  EXPECT_EQ(pat->total.requests, 5);
  EXPECT_EQ(pat->total.successes, 3);
  EXPECT_EQ(pat->total.denied_4101, 2);
  const CredentialRow* app = Row(*report, "7001");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->kind, "app");
  EXPECT_EQ(app->name, "jwt-app");
  EXPECT_EQ(app->token_ids, (std::vector<std::string>{"5003", "5004"}));
  EXPECT_EQ(app->total.requests, 5);
  EXPECT_EQ(app->total.denied_4100, 1);
  EXPECT_EQ(app->enterprise_id, "ent_1");

  // Filters: one credential by token id or app id; a visibility predicate.
  auto one =
      BuildCredentialReport(*store_, clock, {.since_seconds = 3600, .credential_id = "5004"});
  ASSERT_EQ(one->rows.size(), 1u);
  EXPECT_EQ(one->rows[0].credential_id, "7001");
  auto mine = BuildCredentialReport(
      *store_, clock,
      {.since_seconds = 3600, .visible = [](const CredentialRow& r) { return r.kind == "pat"; }});
  ASSERT_EQ(mine->rows.size(), 1u);
  EXPECT_EQ(mine->rows[0].credential_id, "5001");
  auto json = ReportJson(*report);
  EXPECT_EQ(json.at("credentials").as_array().size(), 2u);
  EXPECT_FALSE(json.contains("migration"));
}

TEST_F(CredentialReportTest, MigrationWindowsSidesAndHints) {
  const int64_t t = kT + 600;  // the migration, 20 s into its minute
  domain::Migration m;
  m.id = "8001";
  m.workspace_id = "3001";
  m.from_account_id = "1001";
  m.to_account_id = "2001";
  m.enterprise_id = "ent_1";
  m.actor_user_id = "1001";
  m.created_at = t;
  m.plan_json = "{}";
  ASSERT_TRUE(store_->MigrateWorkspace(m).has_value());
  AddStat("5001", "pat", 0, t - 300, 10);   // personal PAT served before
  AddStat("5001", "pat", 4101, t + 60, 4);  // and is denied after
  AddStat("5002", "pat", 0, t + 120, 7);    // the enterprise PAT serves after
  AddStat("5003", "app", 0, t - 5000, 1);   // before the window: not counted
  FakeClock clock(t + 3600);
  auto report =
      BuildCredentialReport(*store_, clock, {.since_seconds = 3600, .migration_id = "8001"});
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->split, t / 60 * 60);
  ASSERT_EQ(report->rows.size(), 2u);
  EXPECT_EQ(report->rows[0].side, "personal") << "old credentials come first";
  const CredentialRow* old_pat = Row(*report, "5001");
  ASSERT_NE(old_pat, nullptr);
  EXPECT_EQ(old_pat->before.successes, 10);
  EXPECT_EQ(old_pat->after.denied_4101, 4);
  EXPECT_EQ(old_pat->hint, "still tried first: 4 denials after migration");
  const CredentialRow* new_pat = Row(*report, "5002");
  ASSERT_NE(new_pat, nullptr);
  EXPECT_EQ(new_pat->side, "enterprise");
  EXPECT_EQ(new_pat->after.successes, 7);
  EXPECT_EQ(new_pat->hint, "serving");

  auto json = ReportJson(*report);
  EXPECT_EQ(json.at("migration").at("id").as_string(), "8001");
  EXPECT_TRUE(json.at("windows").at("after").is_object());

  auto unknown = BuildCredentialReport(*store_, clock, {.migration_id = "nope"});
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, Errc::kNotFound);
}

TEST_F(CredentialReportTest, PersonalCredentialWithoutTrafficAfterIsSafeToDelete) {
  const int64_t t = kT + 600;
  domain::Migration m;
  m.id = "8002";
  m.workspace_id = "3001";
  m.from_account_id = "1001";
  m.to_account_id = "2001";
  m.enterprise_id = "ent_1";
  m.actor_user_id = "1001";
  m.created_at = t;
  m.plan_json = "{}";
  ASSERT_TRUE(store_->MigrateWorkspace(m).has_value());
  AddStat("5001", "pat", 0, t - 300, 10);
  FakeClock clock(t + 3600);
  auto report = BuildCredentialReport(*store_, clock, {.migration_id = "8002"});
  ASSERT_TRUE(report.has_value());
  ASSERT_EQ(report->rows.size(), 1u);
  EXPECT_EQ(report->rows[0].hint, "no traffic after migration: safe to delete");
}

TEST(AuditEventJson, ParsesDetailBack) {
  store::AuditEvent e{"1", kT, "operator", "token.created", "token", "5001", R"({"kind":"pat"})"};
  auto o = AuditEventJson(e);
  EXPECT_EQ(o.at("detail").at("kind").as_string(), "pat");
  e.detail_json = "not json";
  EXPECT_EQ(AuditEventJson(e).at("detail").at("raw").as_string(), "not json");
}

}  // namespace
}  // namespace cozeauth::observe
