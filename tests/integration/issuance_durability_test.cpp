// Durability of token issuance (issue 10): JWT-bearer grants are group-committed (store.hpp
// IssueJwtToken), and an acknowledged token must survive `kill -9` of the server. Several clients
// issue concurrently; once enough grants were answered the server is killed with SIGKILL while
// the clients are still sending; a server started again over the same SQLite file must accept
// every token whose response a client received, and refuse the assertions those grants spent.
// No sleeps: the test waits for events (answers counted under a condition variable, the process's
// exit).

#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/openapi_expect.hpp"
#include "support/rsa_jwt.hpp"
#include "support/scenario.hpp"
#include "support/test_server.hpp"

namespace cozeauth::it {
namespace {

constexpr const char* kTokenPath = "/api/permission/oauth2/token";
constexpr const char* kJwtGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

// What the clients saw: the answered grants (assertion, token) and anything unexpected.
struct Acknowledged {
  std::mutex mu;
  std::condition_variable changed;
  std::vector<std::pair<std::string, std::string>> grants;
  std::vector<std::string> unexpected;  // a non-200 answer while the server was up
};

// Sends `assertions` one after another until they run out or the server stops answering.
void IssueUntilKilled(const HttpClient& http, const std::vector<std::string>& assertions,
                      Acknowledged& out) {
  for (const std::string& jwt : assertions) {
    HttpResponse res;
    try {
      res = http.PostJson(kTokenPath, {{"grant_type", kJwtGrant}}, Bearer(jwt));
    } catch (const std::exception&) {
      return;  // killed: no answer, so nothing was acknowledged
    }
    std::lock_guard lock(out.mu);
    if (res.status == 200) {
      out.grants.emplace_back(jwt, std::string(res.Json().at("access_token").as_string()));
    } else {
      out.unexpected.push_back(res.Describe());
    }
    out.changed.notify_all();
  }
}

TEST(IssuanceDurability, EveryAcknowledgedTokenSurvivesSigkillDuringIssuance) {
  constexpr int kClients = 6;
  constexpr int kPerClient = 150;
  constexpr size_t kKillAfter = 150;  // answered grants before the kill; most are still to come
  // Several workers, so that concurrent grants meet in one group commit. The audience is fixed
  // by --public-url, so that the restarted server (on another port) takes the same assertions.
  const std::vector<std::string> args = {"--workers", "4", "--public-url", "http://issuer.test"};
  TestServer first({.extra_args = args});
  Scenario scenario(first);
  const UserInfo owner = scenario.CreateUser("issuer");
  const AppInfo app = scenario.CreateApp({.owner = owner.id, .client_type = "service"});
  RsaJwtSigner signer;
  const std::string kid = scenario.AddAppKey(app.id, signer.public_pem());
  scenario.AuthorizeApp(app.id, owner.id, owner.id, "app");
  const std::string aud = "issuer.test";
  std::vector<std::vector<std::string>> assertions(kClients);
  for (auto& list : assertions) {
    for (int i = 0; i < kPerClient; ++i) list.push_back(signer.Sign(kid, app.id, aud));
  }

  Acknowledged acked;
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back(IssueUntilKilled, first.Http(), std::cref(assertions[c]), std::ref(acked));
  }
  {
    std::unique_lock lock(acked.mu);
    const bool enough = acked.changed.wait_for(lock, std::chrono::seconds(90), [&] {
      return acked.grants.size() >= kKillAfter || !acked.unexpected.empty();
    });
    ASSERT_TRUE(enough) << "only " << acked.grants.size() << " grants answered";
    ASSERT_TRUE(acked.unexpected.empty()) << acked.unexpected.front();
  }
  ASSERT_EQ(kill(first.pid(), SIGKILL), 0);
  EXPECT_EQ(first.Stop(), 128 + SIGKILL);  // reaps it: no request is answered after this
  for (auto& t : clients) t.join();
  const size_t answered = acked.grants.size();
  ASSERT_GE(answered, kKillAfter);
  EXPECT_LT(answered, static_cast<size_t>(kClients * kPerClient)) << "the kill came too late";
  EXPECT_TRUE(acked.unexpected.empty()) << acked.unexpected.front();

  TestServer second({.extra_args = args, .db_file = first.db_path()});
  const HttpClient http = second.Http();
  for (const auto& [jwt, token] : acked.grants) {
    EXPECT_TRUE(IsOk(http.Get("/v1/users/me", Bearer(token)))) << "an acknowledged token is lost";
  }
  // The grants' jtis were committed with their tokens: an answered assertion stays spent.
  const auto replay =
      http.PostJson(kTokenPath, {{"grant_type", kJwtGrant}}, Bearer(acked.grants.back().first));
  EXPECT_EQ(replay.status, 401u) << replay.Describe();
  EXPECT_NE(replay.body.find("jti has already been used"), std::string::npos) << replay.Describe();
  EXPECT_EQ(second.Stop(), 0) << second.Stderr();
}

}  // namespace
}  // namespace cozeauth::it
