// Online observation against the real binary (docs/observe.md): `GET /metrics` counts requests
// by route, credential kind and code, plus the authenticator cache; `cozeauth observe` shows
// per-credential requests, successes and 4100/4101 denials once the server has flushed them
// (every second, and at shutdown); `cozeauth audit` lists token.created / token.revoked without
// any secret; the console's observe endpoints show the signed-in user's own credentials and
// events; counts older than --stats-retention-days are purged. No assertion depends on timing:
// the stored counts are read after a graceful restart, which flushes them
// (TestServer::Restart); the two other waits poll for their events.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/openapi_expect.hpp"
#include "support/shared_world.hpp"
#include "support/sqlite_file.hpp"

namespace cozeauth::it {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;

constexpr const char* kLogin = "/api/passport/web/email/login/";
constexpr const char* kCreatePat =
    "/api/permission_api/pat/create_personal_access_token_and_permission";
constexpr const char* kObserveCredentials = "/api/permission_api/observe/credentials";
constexpr const char* kObserveAudit = "/api/permission_api/observe/audit";

// `cozeauth <args…> --db <url> --json` (observe and audit are top-level commands).
CliResult RunCommand(const std::string& db_url, std::vector<std::string> args) {
  std::vector<std::string> argv{CozeauthBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--db", db_url, "--json"});
  ProcessResult p = RunProcess(argv, {}, 60s);
  CliResult r;
  r.args = std::move(args);
  r.exit_code = p.exit_code;
  r.out = std::move(p.out);
  r.err = std::move(p.err);
  boost::system::error_code ec;
  auto v = json::parse(r.out, ec);
  if (!ec) r.json = std::move(v);
  return r;
}

// The value of the sample `series` ("name{labels}" exactly as exposed); nullopt when absent.
std::optional<double> Sample(const std::string& exposition, const std::string& series) {
  std::istringstream in(exposition);
  for (std::string line; std::getline(in, line);) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
        line[series.size()] == ' ') {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return std::nullopt;
}

std::string RequestsSeries(const std::string& route, const std::string& credential, int code) {
  return "cozeauth_http_requests_total{route=\"" + route + "\",credential=\"" + credential +
         "\",code=\"" + std::to_string(code) + "\"}";
}

// The row of `credential_id` in an observe report (CLI JSON or the console's data); null if none.
const json::object* RowOf(const json::value& report, const std::string& credential_id) {
  const auto* rows = report.as_object().if_contains("credentials");
  if (rows == nullptr) return nullptr;
  for (const auto& row : rows->as_array()) {
    if (row.at("credential_id").as_string() == credential_id) return &row.as_object();
  }
  return nullptr;
}

int64_t Field(const json::object* row, const char* key) {
  return row == nullptr ? -1 : row->at(key).as_int64();
}

class Observe : public SharedWorld<Observe> {
 protected:
  // A good PAT, one that lacks getMetadata (→ 4101 on a bot) and one used once then revoked.
  struct Credentials {
    TokenInfo good, narrow, revoked;
  };

  static Credentials MakeTraffic(const std::string& label) {
    Credentials c;
    c.good = scenario().CreatePat(world().user.id, {.name = label + "-good"});
    c.narrow = scenario().CreatePat(world().user.id, {.name = label + "-narrow",
                                                      .account_permissions = {"listWorkspace"},
                                                      .workspace_permissions = {"listBot"}});
    c.revoked = scenario().CreatePat(world().user.id, {.name = label + "-revoked"});
    for (int i = 0; i < 3; ++i) {
      EXPECT_TRUE(IsOk(http().Get("/v1/users/me", Bearer(c.good.token))));
    }
    for (int i = 0; i < 2; ++i) {
      EXPECT_TRUE(
          IsCozeError(http().Get("/v1/bots/" + world().bot_id, Bearer(c.narrow.token)), 4101));
    }
    EXPECT_TRUE(IsOk(http().Get("/v1/users/me", Bearer(c.revoked.token))));
    scenario().RevokeToken(c.revoked.id);
    // The CLI wrote in another process: the server sees it within its poll interval.
    Polled p =
        PollForCode([&] { return http().Get("/v1/users/me", Bearer(c.revoked.token)); }, 4100, 10s);
    EXPECT_TRUE(p.reached) << p.last.Describe();
    EXPECT_TRUE(IsCozeError(http().Get("/v1/users/me", Bearer(c.revoked.token)), 4100));
    return c;
  }

  struct Console {
    std::string cookie;
    std::string csrf;
    Headers Read() const { return {{"Cookie", cookie}}; }
    Headers Write() const { return {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}; }
  };
  static Console Login(const UserInfo& u) {
    auto res = http().PostJson(kLogin, {{"email", u.email}, {"password", u.password}});
    const json::value body = OkBody(res);
    Console c;
    c.csrf = Str(body, "data.csrf_token");
    for (const auto& [k, v] : res.headers) {
      if ((k == "Set-Cookie" || k == "set-cookie") && v.rfind("cozeauth_session=", 0) == 0) {
        c.cookie = v.substr(0, v.find(';'));
      }
    }
    if (c.cookie.empty()) throw std::runtime_error("login set no session: " + res.Describe());
    return c;
  }
};

TEST_F(Observe, MetricsCountRequestsByRouteCredentialAndCodeAndTheCache) {
  MakeTraffic("metrics");
  auto res = http().Get("/metrics");
  ASSERT_EQ(res.status, 200u) << res.Describe();
  EXPECT_EQ(res.Header("Content-Type").rfind("text/plain; version=0.0.4", 0), 0u)
      << res.Header("Content-Type");
  const std::string& text = res.body;

  EXPECT_GE(Sample(text, RequestsSeries("/v1/users/me", "pat", 0)).value_or(0), 4);
  // A revoked token is still attributed to its kind; an unknown one would be "-".
  EXPECT_GE(Sample(text, RequestsSeries("/v1/users/me", "pat", 4100)).value_or(0), 2);
  EXPECT_GE(Sample(text, RequestsSeries("/v1/bots/{bot_id}", "pat", 4101)).value_or(0), 2);

  EXPECT_NE(text.find("# TYPE cozeauth_http_requests_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE cozeauth_auth_decision_duration_seconds histogram\n"),
            std::string::npos);
  EXPECT_GE(Sample(text, "cozeauth_auth_decision_duration_seconds_count").value_or(0), 8);
  EXPECT_TRUE(Sample(text, "cozeauth_auth_decision_duration_seconds_bucket{le=\"+Inf\"}"));
  for (const char* grant :
       {"pat", "sat", "authorization_code", "refresh_token", "device_code", "jwt_bearer"}) {
    EXPECT_TRUE(
        Sample(text, std::string("cozeauth_tokens_issued_total{grant_type=\"") + grant + "\"}"))
        << grant;
  }
  const double hits = Sample(text, "cozeauth_auth_cache_hits_total").value_or(-1);
  const double misses = Sample(text, "cozeauth_auth_cache_misses_total").value_or(-1);
  const double ratio = Sample(text, "cozeauth_auth_cache_hit_ratio").value_or(-1);
  EXPECT_GT(hits, 0) << "repeated requests with one PAT hit the cache";
  EXPECT_GT(misses, 0);
  EXPECT_GT(ratio, 0);
  EXPECT_LE(ratio, 1);
  // Never a token in the exposition.
  EXPECT_EQ(text.find("pat_"), std::string::npos);
}

// The token cache's series follow what the requests did to it; the process's and the store's
// memory are there for sizing --token-cache-capacity (docs/observe.md).
TEST_F(Observe, MetricsShowTheTokenCacheTheStoresMemoryAndTheProcess) {
  const std::string known = "cozeauth_token_cache_entries{kind=\"known\"}";
  const std::string unknown = "cozeauth_token_cache_entries{kind=\"unknown\"}";
  const std::string known_evictions = "cozeauth_token_cache_evictions_total{kind=\"known\"}";
  const std::string before = http().Get("/metrics").body;
  const double known_before = Sample(before, known).value_or(-1);
  const double unknown_before = Sample(before, unknown).value_or(-1);
  ASSERT_GE(known_before, 0) << before;
  ASSERT_GE(unknown_before, 0) << before;

  const TokenInfo pat = scenario().CreatePat(world().user.id, {.name = "cache-series"});
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(IsOk(http().Get("/v1/users/me", Bearer(pat.token))));
  // Well-formed, never issued: the store is asked once, then the bearer is remembered.
  const std::string stranger = "pat_" + std::string(64, 'q');
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(IsCozeError(http().Get("/v1/users/me", Bearer(stranger)), 4100));
  }

  const std::string text = http().Get("/metrics").body;
  EXPECT_EQ(Sample(text, known).value_or(-1), known_before + 1) << text;
  EXPECT_EQ(Sample(text, unknown).value_or(-1), unknown_before + 1) << text;
  EXPECT_EQ(Sample(text, known_evictions).value_or(-1), 0);
  // The default --token-cache-capacity, a million, rounded up for the shards' spread.
  EXPECT_GE(Sample(text, "cozeauth_token_cache_capacity{kind=\"known\"}").value_or(0), 1e6);
  EXPECT_GT(Sample(text, "cozeauth_token_cache_capacity{kind=\"unknown\"}").value_or(0), 0);
  EXPECT_NE(text.find("# TYPE cozeauth_token_cache_evictions_total counter\n"), std::string::npos);

  // The store is a SQLite file here: its page caches are part of the process's memory.
  const double store_memory = Sample(text, "cozeauth_store_memory_bytes").value_or(0);
  const double resident = Sample(text, "process_resident_memory_bytes").value_or(0);
  EXPECT_GT(store_memory, 0) << text;
  EXPECT_GT(resident, store_memory);
  EXPECT_GE(Sample(text, "process_virtual_memory_bytes").value_or(0), resident);
  EXPECT_GE(Sample(text, "process_open_fds").value_or(0), 3);
  EXPECT_GT(Sample(text, "process_max_fds").value_or(0), 0);
  EXPECT_GT(Sample(text, "process_cpu_seconds_total").value_or(0), 0);
  const double started = Sample(text, "process_start_time_seconds").value_or(0);
  const double now = static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());
  EXPECT_LE(started, now + 1);
  EXPECT_GT(started, now - 24 * 3600) << "the server started with this suite";
  EXPECT_EQ(text.find(pat.token), std::string::npos);
}

TEST_F(Observe, ObserveShowsPerCredentialRequestsSuccessesAndDenials) {
  Credentials c = MakeTraffic("observe");
  const std::string db = server().db_url();
  // The server flushes every second and at shutdown: a graceful restart stores every request.
  server().Restart();
  CliResult r = RunCommand(db, {"observe", "--since", "5m"});
  ASSERT_TRUE(r.ok() && r.json.is_object()) << r.Describe();
  const json::value report = r.json;
  ASSERT_TRUE(Field(RowOf(report, c.revoked.id), "denied_4100") >= 2 &&
              Field(RowOf(report, c.narrow.id), "denied_4101") >= 2 &&
              Field(RowOf(report, c.good.id), "successes") >= 3)
      << json::serialize(report);

  const json::object* good = RowOf(report, c.good.id);
  EXPECT_EQ(good->at("kind").as_string(), "pat");
  EXPECT_EQ(good->at("name").as_string(), "observe-good");
  EXPECT_EQ(Field(good, "requests"), 3);
  EXPECT_EQ(Field(good, "successes"), 3);
  EXPECT_EQ(Field(good, "denied_4100") + Field(good, "denied_4101"), 0);

  const json::object* narrow = RowOf(report, c.narrow.id);
  EXPECT_EQ(Field(narrow, "requests"), 2);
  EXPECT_EQ(Field(narrow, "denied_4101"), 2);
  EXPECT_EQ(Field(narrow, "successes"), 0);

  const json::object* revoked = RowOf(report, c.revoked.id);
  EXPECT_GE(Field(revoked, "successes"), 1);
  EXPECT_GE(Field(revoked, "denied_4100"), 2);
  EXPECT_EQ(Field(revoked, "requests"),
            Field(revoked, "successes") + Field(revoked, "denied_4100"));

  // --token narrows the report to one credential.
  CliResult one = RunCommand(db, {"observe", "--since", "5m", "--token", c.narrow.id});
  ASSERT_TRUE(one.ok()) << one.Describe();
  ASSERT_EQ(one.json.at("credentials").as_array().size(), 1u) << one.Describe();
  EXPECT_TRUE(RowOf(one.json, c.narrow.id));

  // Bad input: a clear error, exit 1.
  CliResult bad = RunCommand(db, {"observe", "--since", "soon"});
  EXPECT_EQ(bad.exit_code, 1) << bad.Describe();
  EXPECT_NE(bad.err.find("since"), std::string::npos) << bad.Describe();
  CliResult unknown = RunCommand(db, {"observe", "--migration", "123"});
  EXPECT_EQ(unknown.exit_code, 1) << unknown.Describe();
}

TEST_F(Observe, AuditListsTokenCreatedAndRevokedWithoutSecrets) {
  TokenInfo pat = scenario().CreatePat(world().user.id, {.name = "audited"});
  scenario().RevokeToken(pat.id);
  const std::string db = server().db_url();
  CliResult r = RunCommand(db, {"audit", "--target", pat.id});
  ASSERT_TRUE(r.ok()) << r.Describe();
  ASSERT_TRUE(r.json.is_array()) << r.Describe();
  const json::array& events = r.json.as_array();
  ASSERT_EQ(events.size(), 2u) << r.Describe();
  EXPECT_EQ(events[0].at("action").as_string(), "token.revoked") << "newest first";
  EXPECT_EQ(events[1].at("action").as_string(), "token.created");
  for (const auto& e : events) {
    EXPECT_EQ(e.at("actor").as_string(), "operator");
    EXPECT_EQ(e.at("target_kind").as_string(), "token");
    EXPECT_EQ(e.at("target_id").as_string(), pat.id);
    EXPECT_EQ(e.at("detail").at("kind").as_string(), "pat");
    EXPECT_EQ(e.at("detail").at("name").as_string(), "audited");
    EXPECT_TRUE(IsTimestamp(e.at("at")));
  }
  EXPECT_EQ(r.out.find(pat.token), std::string::npos) << "plaintext token in the audit log";
  EXPECT_EQ(r.out.find(pat.token.substr(4)), std::string::npos);
  EXPECT_EQ(r.out.find(Sha256Hex(pat.token)), std::string::npos) << "token digest in the log";

  CliResult created = RunCommand(db, {"audit", "--action", "token.created", "--since", "1h",
                                      "--actor", "operator", "--limit", "1000"});
  ASSERT_TRUE(created.ok()) << created.Describe();
  bool found = false;
  for (const auto& e : created.json.as_array()) {
    EXPECT_EQ(e.at("action").as_string(), "token.created");
    found = found || e.at("target_id").as_string() == pat.id;
  }
  EXPECT_TRUE(found) << created.Describe();
  EXPECT_EQ(RunCommand(db, {"audit", "--limit", "0"}).exit_code, 1);
}

TEST_F(Observe, ConsoleShowsTheUsersOwnCredentialsAndEvents) {
  // Another user's traffic first: it must not show in the world user's view.
  UserInfo bob = scenario().CreateUser("bob");
  TokenInfo bobs = scenario().CreatePat(bob.id, {.name = "bobs"});
  ASSERT_TRUE(IsOk(http().Get("/v1/users/me", Bearer(bobs.token))));

  const std::string issued_pats = "cozeauth_tokens_issued_total{grant_type=\"pat\"}";
  const double pats_before = Sample(http().Get("/metrics").body, issued_pats).value_or(0);
  Console ann = Login(world().user);
  auto created =
      http().PostJson(kCreatePat,
                      {{"name", "console-made"},
                       {"duration_day", "7"},
                       {"account_permission", {{"permission_list", json::array{"listWorkspace"}}}}},
                      ann.Write());
  ASSERT_TRUE(IsOk(created)) << created.Describe();
  const std::string token = Str(OkBody(created), "data.token");
  const std::string id = Str(OkBody(created), "data.personal_access_token.id");
  ASSERT_TRUE(IsOk(http().Get("/v1/workspaces", Bearer(token))));
  // A PAT minted by the console counts as issued (the admin operation's metrics sink).
  EXPECT_EQ(Sample(http().Get("/metrics").body, issued_pats).value_or(0), pats_before + 1);

  server().Restart();  // a graceful stop stores the request counts; the session survives
  auto observed = http().Get(std::string(kObserveCredentials) + "?since=5m", ann.Read());
  ASSERT_TRUE(IsOk(observed)) << observed.Describe();
  const json::value data = Path(observed.Json(), "data");
  ASSERT_GE(Field(RowOf(data, id), "successes"), 1) << json::serialize(data);
  EXPECT_EQ(RowOf(data, id)->at("name").as_string(), "console-made");
  EXPECT_EQ(RowOf(data, bobs.id), nullptr) << "another user's credential is visible";

  // Without a session: the console's 401.
  auto anonymous = http().Get(kObserveCredentials);
  EXPECT_EQ(anonymous.status, 401u) << anonymous.Describe();
  EXPECT_TRUE(
      IsCozeError(http().Get(std::string(kObserveCredentials) + "?since=x", ann.Read()), 4000));

  // The console-made token's creation is the user's own event, actor = the user.
  auto audit = http().Get(std::string(kObserveAudit) + "?action=token.", ann.Read());
  ASSERT_TRUE(IsOk(audit)) << audit.Describe();
  const json::value body = audit.Json();
  bool found = false;
  for (const auto& e : Path(body, "data.events").as_array()) {
    EXPECT_EQ(e.at("actor").as_string(), world().user.id);
    if (e.at("target_id").as_string() == id) {
      found = true;
      EXPECT_EQ(e.at("action").as_string(), "token.created");
    }
  }
  EXPECT_TRUE(found) << audit.Describe();
  EXPECT_EQ(audit.body.find(token.substr(4)), std::string::npos);
}

TEST(ObserveShutdown, StatsAreFlushedWhenTheServerStops) {
  TestServer server;
  Scenario scenario(server);
  UserInfo u = scenario.CreateUser("late");
  TokenInfo pat = scenario.CreatePat(u.id, {.name = "last-second"});
  ASSERT_TRUE(IsOk(server.Http().Get("/v1/users/me", Bearer(pat.token))));
  ASSERT_EQ(server.Stop(), 0);
  // No waiting: the stopped server has written everything it counted.
  CliResult r = RunCommand(server.db_url(), {"observe", "--since", "1h", "--token", pat.id});
  ASSERT_TRUE(r.ok()) << r.Describe();
  EXPECT_EQ(Field(RowOf(r.json, pat.id), "successes"), 1) << r.Describe();
}

// --stats-retention-days: the server purges the minutes older than the retention (its first
// pass a second after it starts), and keeps the ones within it. The rows are written into the
// file directly, as a server of two days ago would have; the wait polls for the purge.
TEST(ObserveRetention, MinutesOlderThanTheRetentionArePurged) {
  TestServer server({.extra_args = {"--stats-retention-days", "1"}});
  SqliteFile db(server.db_path());
  const int64_t now_minute = std::chrono::duration_cast<std::chrono::minutes>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
  const int64_t old_minute = now_minute - 2 * 24 * 60;
  const int64_t kept_minute = now_minute - 23 * 60;
  db.Exec(
      "INSERT INTO request_stats (token_id, credential_kind, route, permission, code, minute, "
      "count) VALUES ('old', 'pat', '/v1/users/me', '', 0, " +
      std::to_string(old_minute) + ", 5), ('recent', 'pat', '/v1/users/me', '', 0, " +
      std::to_string(kept_minute) + ", 7)");
  server.Restart();  // its flushing thread purges at its first tick
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (db.QueryInt("SELECT count(*) FROM request_stats WHERE token_id = 'old'") != 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM request_stats WHERE token_id = 'old'"), 0);
  EXPECT_EQ(db.QueryInt("SELECT sum(count) FROM request_stats WHERE token_id = 'recent'"), 7);
}

}  // namespace
}  // namespace cozeauth::it
