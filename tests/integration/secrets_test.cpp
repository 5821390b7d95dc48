// Secrets at rest and in logs (architecture.md §6, §8): a token's plaintext is shown once and
// never stored — the SQLite file (and its WAL) holds only the SHA-256 hex — and the access log
// (the server's stdout, one JSON object per line) never carries a token.

#include <gtest/gtest.h>
#include <strings.h>

#include <algorithm>
#include <boost/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "support/openapi_expect.hpp"
#include "support/shared_world.hpp"

namespace cozeauth::it {
namespace {
namespace json = boost::json;

class Secrets : public SharedWorld<Secrets> {
 protected:
  // The bytes of the store: the database file, its WAL and shared-memory index.
  static std::string StoreBytes() {
    std::string all;
    for (const char* suffix : {"", "-wal", "-shm"}) {
      all += ReadFile(server().db_path().string() + suffix);
    }
    return all;
  }

  // Logs in to the console as the world's user; the session cookie and CSRF token.
  struct ConsoleSession {
    std::string cookie_header;  // "name=value; name=value" of every cookie set at login
    std::string session_value;  // the cozeauth_session cookie
    std::string csrf;
  };
  static ConsoleSession Login() {
    auto res = http().PostJson(
        "/api/passport/web/email/login/",
        json::object{{"email", world().user.email}, {"password", world().user.password}});
    auto body = OkBody(res);
    ConsoleSession s;
    s.csrf = Str(body, "data.csrf_token");
    for (const auto& [k, v] : res.headers) {
      if (k.size() != 10 || strncasecmp(k.c_str(), "Set-Cookie", 10) != 0) continue;
      const std::string pair = v.substr(0, v.find(';'));
      const auto eq = pair.find('=');
      if (eq == std::string::npos) continue;
      if (pair.substr(0, eq) == "cozeauth_session") s.session_value = pair.substr(eq + 1);
      s.cookie_header += (s.cookie_header.empty() ? "" : "; ") + pair;
    }
    if (s.session_value.empty()) {
      throw std::runtime_error("login set no cozeauth_session cookie: " + res.Describe());
    }
    return s;
  }
};

TEST_F(Secrets, CliIssuedTokenIsStoredOnlyAsItsSha256) {
  TokenInfo pat = scenario().CreatePat(world().user.id, {.name = "at-rest"});
  ASSERT_TRUE(pat.token.starts_with("pat_")) << pat.token;
  EXPECT_EQ(pat.token.size(), 68u) << "pat_ + 64 characters (architecture.md §6)";
  // Use it, so the server caches it, counts the request and writes last_used_at back — in the
  // background; a graceful restart flushes all of that to the store deterministically.
  ASSERT_TRUE(IsOk(http().Get("/v1/users/me", Bearer(pat.token))));
  server().Restart();

  const std::string bytes = StoreBytes();
  ASSERT_FALSE(bytes.empty());
  EXPECT_EQ(bytes.find(pat.token), std::string::npos) << "plaintext token in the store";
  EXPECT_EQ(bytes.find(pat.token.substr(4)), std::string::npos)
      << "the token's secret part in the store";
  EXPECT_NE(bytes.find(Sha256Hex(pat.token)), std::string::npos)
      << "the SHA-256 hex of the token is not in the store";
  // The world's token, created at suite start and used by many requests, likewise.
  EXPECT_EQ(bytes.find(world().pat.token.substr(4)), std::string::npos);
  EXPECT_NE(bytes.find(Sha256Hex(world().pat.token)), std::string::npos);
}

TEST_F(Secrets, ConsoleIssuedTokenIsStoredOnlyAsItsSha256) {
  ConsoleSession session = Login();
  auto res = http().PostJson(
      "/api/permission_api/pat/create_personal_access_token_and_permission",
      json::object{{"name", "console-issued"},
                   {"duration_day", "7"},
                   {"account_permission", {{"permission_list", json::array{"listWorkspace"}}}},
                   {"workspace_permission",
                    {{"option", 2}, {"permission_list", json::array{"getMetadata"}}}}},
      {{"Cookie", session.cookie_header}, {"X-CSRF-Token", session.csrf}});
  ASSERT_TRUE(IsOk(res));
  const std::string token = Str(res.Json(), "data.token");
  ASSERT_TRUE(token.starts_with("pat_")) << token;
  EXPECT_TRUE(IsId(Path(res.Json(), "data.personal_access_token.id")));

  // The token works over the OpenAPI with exactly its points.
  EXPECT_TRUE(IsOk(http().Get("/v1/workspaces", Bearer(token))));
  EXPECT_TRUE(IsOk(http().Get("/v1/bots/" + world().bot_id, Bearer(token))));
  EXPECT_TRUE(IsCozeError(
      http().Get("/v1/bots?workspace_id=" + world().workspace_id, Bearer(token)), 4101));
  server().Restart();  // flushes the token's request counts and last_used_at to the store

  const std::string bytes = StoreBytes();
  EXPECT_EQ(bytes.find(token.substr(4)), std::string::npos) << "plaintext token in the store";
  EXPECT_NE(bytes.find(Sha256Hex(token)), std::string::npos);
  // The console session's cookie value is a secret too: only its digest is stored.
  ASSERT_GE(session.session_value.size(), 16u) << session.cookie_header;
  EXPECT_EQ(bytes.find(session.session_value), std::string::npos) << "session cookie in the store";
  // The user's password likewise (Argon2id hash only).
  EXPECT_EQ(bytes.find(world().user.password), std::string::npos) << "password in the store";
}

TEST_F(Secrets, AccessLogIsJsonLinesWithoutTokens) {
  // Requests that exercise the log: success, 4100 with a well-formed unknown token, 4101.
  const std::string unknown = "pat_" + RandomAlnum(64);
  auto ok = http().Get("/v1/users/me", auth());
  ASSERT_TRUE(IsOk(ok));
  ASSERT_TRUE(IsCozeError(http().Get("/v1/users/me", Bearer(unknown)), 4100));
  TokenInfo narrow =
      scenario().CreatePat(world().user.id, {.name = "narrow",
                                             .account_permissions = {"listWorkspace"},
                                             .workspace_permissions = {"listBot"}});
  auto denied = http().Get("/v1/bots/" + world().bot_id, Bearer(narrow.token));
  ASSERT_TRUE(IsCozeError(denied, 4101));
  // A request is logged after its response is written: wait for the last one's line (the
  // event; the deadline only bounds a failure).
  std::vector<std::string> lines;
  const std::string logid = denied.Header("X-Tt-Logid");
  for (const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
       std::chrono::steady_clock::now() < deadline;
       std::this_thread::sleep_for(std::chrono::milliseconds(20))) {
    lines = server().AccessLogLines();
    if (std::any_of(lines.begin(), lines.end(),
                    [&](const std::string& l) { return l.find(logid) != std::string::npos; })) {
      break;
    }
  }
  ASSERT_GE(lines.size(), 3u);
  bool saw_ok = false, saw_4100 = false, saw_4101 = false;
  for (const auto& line : lines) {
    SCOPED_TRACE(line);
    EXPECT_EQ(line.find("pat_"), std::string::npos) << "a token prefix in the access log";
    for (const std::string& t : {world().pat.token, unknown, narrow.token}) {
      EXPECT_EQ(line.find(t.substr(4, 24)), std::string::npos) << "token material in the log";
    }
    EXPECT_EQ(line.find(world().user.password), std::string::npos);
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    ASSERT_FALSE(ec) << "not JSON";
    ASSERT_TRUE(v.is_object());
    EXPECT_TRUE(Path(v, "logid").is_string());
    EXPECT_TRUE(Path(v, "route").is_string());
    EXPECT_TRUE(Path(v, "status").is_int64() || Path(v, "status").is_uint64());
    EXPECT_TRUE(Path(v, "code").is_int64());
    EXPECT_TRUE(Path(v, "latency_us").is_int64() || Path(v, "latency_us").is_uint64());
    EXPECT_TRUE(Path(v, "credential").is_string());
    if (Str(v, "logid") == ok.Header("X-Tt-Logid")) {
      saw_ok = true;
      EXPECT_EQ(Str(v, "route"), "/v1/users/me");
      EXPECT_EQ(Int(v, "status"), 200);
      EXPECT_EQ(Int(v, "code"), 0);
      EXPECT_EQ(Str(v, "credential"), "pat");
    }
    if (Str(v, "route") == "/v1/users/me" && Int(v, "code") == 4100) saw_4100 = true;
    if (Str(v, "route") == "/v1/bots/{bot_id}" && Int(v, "code") == 4101) saw_4101 = true;
  }
  EXPECT_TRUE(saw_ok) << "no access-log line with the logid " << ok.Header("X-Tt-Logid");
  EXPECT_TRUE(saw_4100) << "the 4100 request was not logged with its code";
  EXPECT_TRUE(saw_4101) << "the 4101 request was not logged with its code";
}

TEST_F(Secrets, ServerStderrHasNoTokens) {
  ASSERT_TRUE(IsOk(Get("/v1/users/me")));
  const std::string err = server().Stderr();
  EXPECT_EQ(err.find(world().pat.token.substr(4)), std::string::npos);
  EXPECT_EQ(err.find(TestServer::kAdminPassword), std::string::npos)
      << "the bootstrap password given by the operator must not be echoed";
}

}  // namespace
}  // namespace cozeauth::it
