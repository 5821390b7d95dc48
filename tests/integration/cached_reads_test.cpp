// Cached reads on the I/O thread (issue 10; base/blocking.hpp): GET /v1/users/me and
// GET /v1/bots/{bot_id} are answered on the connection's own thread once the credential, its
// decision facts, the user's name and the bot are cached, and move to a worker at their first
// store read otherwise. Either way the answer is the same, and a revocation or a removed role
// refuses the very next warm request as it refused a cold one.

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "support/openapi_expect.hpp"
#include "support/rsa_jwt.hpp"
#include "support/scenario.hpp"
#include "support/test_server.hpp"

namespace cozeauth::it {
namespace {

// A write by another process reaches a server within its 200 ms epoch poll; this only bounds a
// failure, generously, for loaded machines (as GuideWorld::kPropagation).
constexpr std::chrono::milliseconds kPropagation{30'000};

int64_t ServedInline(const TestServer& server) {
  return server.Metric("cozeauth_http_requests_served_inline_total");
}

class CachedReads : public ::testing::Test {
 protected:
  CachedReads() : scenario_(server_), world_(scenario_.MakeWorld()) {
    server_.Restart();  // empty caches: the first request of each kind below is cold
  }
  HttpResponse Me(const std::string& token) const {
    return server_.Http().Get("/v1/users/me", Bearer(token));
  }
  HttpResponse GetBot(const std::string& token) const {
    return server_.Http().Get("/v1/bots/" + world_.bot_id, Bearer(token));
  }

  TestServer server_;
  Scenario scenario_;
  World world_;
};

TEST_F(CachedReads, WarmReadsAreAnsweredInlineAndColdOnesByAWorkerAlike) {
  const int64_t start = ServedInline(server_);

  const HttpResponse cold_bot = GetBot(world_.pat.token);  // token, facts, bot: all read
  ASSERT_TRUE(IsOk(cold_bot));
  EXPECT_EQ(ServedInline(server_), start) << "a cold read cannot be answered from memory";
  for (int i = 0; i < 3; ++i) {
    const HttpResponse warm = GetBot(world_.pat.token);
    ASSERT_TRUE(IsOk(warm));
    EXPECT_EQ(Path(OkBody(warm), "data"), Path(OkBody(cold_bot), "data"));
  }
  EXPECT_EQ(ServedInline(server_), start + 3);

  // The token is cached now, the user's name not yet: one more store read, then memory.
  const HttpResponse cold_me = Me(world_.pat.token);
  ASSERT_TRUE(IsOk(cold_me));
  EXPECT_EQ(Str(OkBody(cold_me), "data.user_id"), world_.user.id);
  EXPECT_EQ(Str(OkBody(cold_me), "data.user_name"), world_.user.name);
  EXPECT_EQ(ServedInline(server_), start + 3);
  const HttpResponse warm_me = Me(world_.pat.token);
  ASSERT_TRUE(IsOk(warm_me));
  EXPECT_EQ(Path(OkBody(warm_me), "data"), Path(OkBody(cold_me), "data"));
  EXPECT_EQ(ServedInline(server_), start + 4);

  // An unknown bearer is remembered as unknown: refused from memory the second time.
  const std::string garbage = "pat_" + RandomAlnum(64);
  EXPECT_TRUE(IsCozeError(Me(garbage), 4100));
  EXPECT_TRUE(IsCozeError(Me(garbage), 4100));
  EXPECT_EQ(ServedInline(server_), start + 5);
}

TEST_F(CachedReads, ARevocationRefusesTheNextWarmRead) {
  ASSERT_TRUE(IsOk(GetBot(world_.pat.token)));
  ASSERT_TRUE(IsOk(GetBot(world_.pat.token)));  // warm
  const int64_t warm = ServedInline(server_);
  scenario_.RevokeToken(world_.pat.id);  // by the CLI: another process
  const Polled bot = PollForCode([&] { return GetBot(world_.pat.token); }, 4100, kPropagation);
  EXPECT_TRUE(bot.reached) << bot.last.body;
  EXPECT_TRUE(IsCozeError(Me(world_.pat.token), 4100));
  // Refused from memory again once the revoked token is cached as such.
  EXPECT_TRUE(IsCozeError(GetBot(world_.pat.token), 4100));
  EXPECT_GT(ServedInline(server_), warm);
}

TEST_F(CachedReads, ARemovedMemberIsRefusedOnTheNextWarmRead) {
  // Members reach a workspace through an organization credential (decision step 4).
  const UserInfo member = scenario_.CreateUser("member");
  const EnterpriseInfo ent = scenario_.CreateEnterprise("Ent " + member.name, world_.user.id);
  scenario_.cli().Must({"enterprise", "add-member", "--enterprise", ent.id, "--user", member.id,
                        "--role", "member"});
  const std::string ws =
      scenario_.CreateWorkspace(ent.default_org_account_id, world_.user.id, "Org workspace");
  const std::string bot = scenario_.CreateBot(ws, "Org bot", "Org:", true);
  scenario_.AddWorkspaceMember(ws, member.id, "member");
  const TokenInfo pat =
      scenario_.CreatePat(member.id, {.account_id = ent.default_org_account_id, .name = "org"});
  server_.Restart();
  auto reach = [&] { return server_.Http().Get("/v1/bots/" + bot, Bearer(pat.token)); };
  ASSERT_TRUE(IsOk(reach()));
  ASSERT_TRUE(IsOk(reach()));  // warm: served from memory
  const int64_t warm = ServedInline(server_);
  scenario_.RemoveWorkspaceMember(ws, member.id);  // by the CLI: another process
  const Polled after = PollForCode(reach, 4101, kPropagation);
  EXPECT_TRUE(after.reached) << after.last.Describe();
  EXPECT_TRUE(IsCozeError(reach(), 4101));  // and stays refused, warm
  EXPECT_GT(ServedInline(server_), warm);
}

// The token endpoint too: a JWT-bearer grant whose key, app, authorization and account are
// cached is answered on the I/O thread (its write still goes to the committer), a cold one by
// the issue pool; every grant stays single-use by its jti, and the other grants, which read the
// store at once, go to the pool.
TEST_F(CachedReads, AWarmJwtGrantIsAnsweredInlineAndItsJtiStaysSingleUse) {
  const AppInfo app = scenario_.CreateApp({.owner = world_.user.id, .client_type = "service"});
  RsaJwtSigner signer;
  const std::string kid = scenario_.AddAppKey(app.id, signer.public_pem());
  scenario_.AuthorizeApp(app.id, world_.user.id, world_.user.id, "app");
  // The CLI's writes moved the auth epoch; restarted, the server starts at it, so no poll drops
  // the facts the cold grant below caches.
  server_.Restart();
  const std::string aud = "127.0.0.1:" + std::to_string(server_.port());
  auto grant = [&](const std::string& jwt) {
    return server_.Http().PostJson("/api/permission/oauth2/token",
                                   {{"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"}},
                                   Bearer(jwt));
  };

  const int64_t start = ServedInline(server_);
  const HttpResponse cold = grant(signer.Sign(kid, app.id, aud));
  ASSERT_EQ(cold.status, 200u) << cold.Describe();
  EXPECT_EQ(ServedInline(server_), start) << "a cold grant reads its facts on the issue pool";

  const std::string jwt = signer.Sign(kid, app.id, aud);
  const HttpResponse warm = grant(jwt);
  ASSERT_EQ(warm.status, 200u) << warm.Describe();
  EXPECT_EQ(ServedInline(server_), start + 1);
  const std::string token(warm.Json().at("access_token").as_string());
  EXPECT_TRUE(IsOk(server_.Http().Get("/v1/workspaces", Bearer(token))));

  const HttpResponse replay = grant(jwt);
  EXPECT_EQ(replay.status, 401u) << replay.Describe();
  EXPECT_EQ(Str(replay.Json(), "error"), "invalid_client") << replay.Describe();
  EXPECT_EQ(ServedInline(server_), start + 2) << "refused by its write, after the inline part";

  // A refresh grant reads the store first: the pool answers it (here: no such client).
  const HttpResponse refresh = server_.Http().PostJson(
      "/api/permission/oauth2/token",
      {{"grant_type", "refresh_token"}, {"client_id", "nope"}, {"refresh_token", "nope"}});
  EXPECT_EQ(refresh.status, 401u) << refresh.Describe();
  EXPECT_EQ(ServedInline(server_), start + 2);
}

}  // namespace
}  // namespace cozeauth::it
