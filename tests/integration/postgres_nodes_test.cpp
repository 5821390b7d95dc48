// Several `cozeauth serve` nodes on one PostgreSQL database (src/store/postgres/): what one node
// writes, every other node honours. A PAT revoked through one node is refused by the other even
// though that one had it cached; a JWT-bearer assertion sent to two nodes at once is redeemed by
// exactly one of them; nodes starting together over an empty database apply each schema version
// once. The database is a fresh one of the test process's own cluster (support/pg_cluster.hpp).
// No sleeps: polls bound failures only, and concurrent requests start together on a latch.

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <array>
#include <boost/json.hpp>
#include <chrono>
#include <exception>
#include <latch>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/console_browser.hpp"
#include "support/openapi_expect.hpp"
#include "support/pg_cluster.hpp"
#include "support/rsa_jwt.hpp"
#include "support/scenario.hpp"
#include "support/test_server.hpp"

namespace cozeauth::it {
namespace {

constexpr const char* kTokenPath = "/api/permission/oauth2/token";
constexpr const char* kJwtGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";
constexpr const char* kDeletePat =
    "/api/permission_api/pat/delete_personal_access_token_and_permission";

// How long another node may take to see a write; a failure bound, generous for loaded machines.
constexpr std::chrono::milliseconds kPropagation{15'000};

// A fresh database of the shared cluster; "" (with the failure recorded) when it cannot start.
std::string NewDatabase() {
  PgCluster* pg = PgCluster::Shared();
  return pg == nullptr ? "" : pg->NewDatabase();
}

HttpResponse Me(const TestServer& node, const std::string& token) {
  return node.Http().Get("/v1/users/me", Bearer(token));
}

TEST(PostgresNodes, ARevocationOnOneNodeIsRefusedByEveryNode) {
  const std::string db = NewDatabase();
  ASSERT_FALSE(db.empty());
  TestServer a({.db_url = db});
  TestServer b({.db_url = db});
  Scenario scenario(a);  // the admin CLI on the shared database
  const UserInfo user = scenario.CreateUser("revoker");
  const TokenInfo pat = scenario.CreatePat(user.id);
  // Both nodes accept the token, and have it cached from now on.
  ASSERT_TRUE(IsOk(Me(a, pat.token)));
  ASSERT_TRUE(IsOk(Me(b, pat.token)));

  // The owner revokes it in the console of node A (Coze's console JSON call).
  const ConsoleBrowser browser = LoginBrowser(a.Http(), user);
  ASSERT_TRUE(IsOk(a.Http().PostJson(kDeletePat, {{"id", pat.id}}, browser.Write())));
  // The node that wrote the revocation refuses the very next request.
  EXPECT_TRUE(IsCozeError(Me(a, pat.token), 4100));
  // Node B learns of it from the database, its cached decision notwithstanding.
  const Polled polled = PollForCode([&] { return Me(b, pat.token); }, 4100, kPropagation);
  EXPECT_TRUE(polled.reached) << "node B still answers " << polled.last.Describe() << " after "
                              << polled.elapsed.count() << " ms";
}

TEST(PostgresNodes, AJwtIdIsRedeemedOnceAcrossNodes) {
  const std::string db = NewDatabase();
  ASSERT_FALSE(db.empty());
  // One public URL for both nodes: the assertion's audience, so that either node may take it.
  const std::vector<std::string> args = {"--public-url", "http://issuer.test"};
  const std::array<std::unique_ptr<TestServer>, 2> nodes = {
      std::make_unique<TestServer>(TestServerOptions{.extra_args = args, .db_url = db}),
      std::make_unique<TestServer>(TestServerOptions{.extra_args = args, .db_url = db})};
  Scenario scenario(*nodes[0]);
  const UserInfo owner = scenario.CreateUser("issuer");
  const AppInfo app = scenario.CreateApp({.owner = owner.id, .client_type = "service"});
  RsaJwtSigner signer;
  const std::string kid = scenario.AddAppKey(app.id, signer.public_pem());
  scenario.AuthorizeApp(app.id, owner.id, owner.id, "app");

  constexpr int kRounds = 100;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const std::string jwt = signer.Sign(kid, app.id, "issuer.test");  // a fresh jti
    // Both requests leave together, so that the two nodes race for the one jti.
    std::array<HttpResponse, 2> answers;
    std::array<std::string, 2> failures;  // a transport error (thrown), per node
    std::latch start(2);
    std::vector<std::thread> clients;
    for (size_t i = 0; i < nodes.size(); ++i) {
      clients.emplace_back([&, i] {
        const HttpClient http = nodes[i]->Http();
        start.arrive_and_wait();
        try {
          answers[i] = http.PostJson(kTokenPath, {{"grant_type", kJwtGrant}}, Bearer(jwt));
        } catch (const std::exception& e) {
          failures[i] = e.what();
        }
      });
    }
    for (auto& t : clients) t.join();
    ASSERT_TRUE(failures[0].empty() && failures[1].empty()) << failures[0] << failures[1];

    const int granted = (answers[0].status == 200) + (answers[1].status == 200);
    ASSERT_EQ(granted, 1) << "node A: " << answers[0].Describe()
                          << "\nnode B: " << answers[1].Describe();
    const size_t winner = answers[0].status == 200 ? 0 : 1;
    const HttpResponse& refused = answers[1 - winner];
    // Refused as a replay, whichever node got there second (not a 5xx of a lost write race).
    EXPECT_EQ(refused.status, 401u) << refused.Describe();
    EXPECT_NE(refused.body.find("jti has already been used"), std::string::npos)
        << refused.Describe();
    const boost::json::value body = answers[winner].Json();
    ASSERT_TRUE(body.is_object() && body.as_object().contains("access_token"))
        << answers[winner].Describe();
    if (round == 0) {
      // The token one node issued is honoured by the other.
      const std::string token(body.at("access_token").as_string());
      EXPECT_TRUE(IsOk(Me(*nodes[1 - winner], token)));
    }
  }
}

TEST(PostgresNodes, ThreeNodesStartingAtOnceApplyTheSchemaOnce) {
  const std::string db = NewDatabase();
  ASSERT_FALSE(db.empty());
  // Each node migrates the empty database as it starts; all three start at the same moment.
  constexpr size_t kNodes = 3;
  std::array<std::unique_ptr<TestServer>, kNodes> nodes;
  std::array<std::string, kNodes> errors;  // why a node did not start
  std::latch start(kNodes);
  std::vector<std::thread> starters;
  for (size_t i = 0; i < kNodes; ++i) {
    starters.emplace_back([&, i] {
      start.arrive_and_wait();
      try {
        nodes[i] = std::make_unique<TestServer>(TestServerOptions{.db_url = db});
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  }
  for (auto& t : starters) t.join();
  for (size_t i = 0; i < kNodes; ++i) {
    ASSERT_NE(nodes[i], nullptr) << "node " << i << " did not start: " << errors[i];
    EXPECT_EQ(nodes[i]->Http().Get("/healthz").status, 200u) << "node " << i;
  }

  std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(db.c_str()), &PQfinish);
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  std::unique_ptr<PGresult, decltype(&PQclear)> res(
      PQexec(conn.get(), "SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_version"), &PQclear);
  ASSERT_EQ(PQresultStatus(res.get()), PGRES_TUPLES_OK) << PQerrorMessage(conn.get());
  const std::string rows = PQgetvalue(res.get(), 0, 0);
  const std::string versions = PQgetvalue(res.get(), 0, 1);
  EXPECT_NE(rows, "0");
  EXPECT_EQ(rows, versions) << "a schema version was recorded more than once";
}

// Runs `sql` on `url` as the cluster's superuser; the test fails on an error.
void RunSql(const std::string& url, const std::string& sql) {
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(url.c_str()), &PQfinish);
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  std::unique_ptr<PGresult, decltype(&PQclear)> res(PQexec(conn.get(), sql.c_str()), &PQclear);
  const ExecStatusType status = PQresultStatus(res.get());
  ASSERT_TRUE(status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
      << sql << ": " << PQerrorMessage(conn.get());
}

// /readyz is what a load balancer checks (docs/deploying.md): a node that cannot reach the
// database leaves the rotation, says nothing about why, and comes back by itself when it can.
TEST(PostgresNodes, ANodeThatCannotReachTheDatabaseIsNotReadyUntilItCanAgain) {
  PgCluster* pg = PgCluster::Shared();
  ASSERT_NE(pg, nullptr);
  const std::string db = pg->NewDatabase();
  const std::string name = db.substr(db.rfind('/') + 1);
  TestServer node({.db_url = db});
  EXPECT_EQ(node.Http().Get("/readyz").status, 200u);

  // Every connection to the node's database is cut, and no new one is let in.
  RunSql(pg->url("postgres"), "ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
  RunSql(pg->url("postgres"),
         "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
  const HttpResponse down = node.Http().Get("/readyz");
  EXPECT_EQ(down.status, 503u) << down.Describe();
  EXPECT_EQ(down.body, R"({"status":"unavailable"})");  // no server name, no libpq message
  EXPECT_EQ(node.Http().Get("/healthz").status, 200u);  // alive all the same

  RunSql(pg->url("postgres"), "ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
  EXPECT_EQ(node.Http().Get("/readyz").status, 200u);
}

}  // namespace
}  // namespace cozeauth::it
