// PgCluster (support/pg_cluster.hpp): the process's cluster starts, hands out new empty databases
// that accept connections, also to concurrent callers, and serves the same data on the same port
// after Restart().

#include "support/pg_cluster.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace cozeauth::it {
namespace {

using Conn = std::unique_ptr<PGconn, decltype(&PQfinish)>;

Conn Connect(const std::string& url) { return Conn(PQconnectdb(url.c_str()), &PQfinish); }

// The first value of the result of `sql` ("" when it returns no rows), or "error: <message>".
std::string Query(PGconn* conn, const std::string& sql) {
  if (PQstatus(conn) != CONNECTION_OK) return "error: " + std::string(PQerrorMessage(conn));
  std::unique_ptr<PGresult, decltype(&PQclear)> res(PQexec(conn, sql.c_str()), &PQclear);
  const ExecStatusType status = PQresultStatus(res.get());
  if (status == PGRES_COMMAND_OK) return "";
  if (status != PGRES_TUPLES_OK) return "error: " + std::string(PQresultErrorMessage(res.get()));
  return PQntuples(res.get()) > 0 ? PQgetvalue(res.get(), 0, 0) : "";
}

std::string Query(const std::string& url, const std::string& sql) {
  return Query(Connect(url).get(), sql);
}

TEST(PgCluster, NewDatabasesAreEmptyAndAcceptConnections) {
  PgCluster* pg = PgCluster::Shared();
  ASSERT_NE(pg, nullptr);
  const std::string a = pg->NewDatabase();
  const std::string b = pg->NewDatabase();
  ASSERT_NE(a, b);
  const std::string prefix = "postgresql://cz@127.0.0.1:" + std::to_string(pg->port()) + "/cz_";
  EXPECT_TRUE(a.starts_with(prefix)) << a;
  EXPECT_TRUE(b.starts_with(prefix)) << b;
  EXPECT_EQ(pg->url(a.substr(a.rfind('/') + 1)), a);
  for (const std::string& url : {a, b}) {
    EXPECT_EQ(Query(url, "SELECT 1"), "1") << url;
    EXPECT_EQ(Query(url, "SELECT current_database()"), url.substr(url.rfind('/') + 1));
    EXPECT_EQ(Query(url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), "0");
  }
  // The settings the header promises.
  EXPECT_EQ(Query(a, "SHOW fsync"), "off");
  EXPECT_EQ(Query(a, "SHOW max_connections"), "200");
}

TEST(PgCluster, NewDatabaseFromConcurrentThreads) {
  PgCluster* pg = PgCluster::Shared();
  ASSERT_NE(pg, nullptr);
  constexpr int kThreads = 4;
  constexpr int kEach = 3;
  std::vector<std::vector<std::string>> urls(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([pg, &mine = urls[t]] {
      for (int i = 0; i < kEach; ++i) mine.push_back(pg->NewDatabase());
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> all;
  for (const auto& mine : urls) all.insert(mine.begin(), mine.end());
  ASSERT_EQ(all.size(), size_t{kThreads * kEach});
  for (const std::string& url : all) EXPECT_EQ(Query(url, "SELECT 1"), "1") << url;
}

TEST(PgCluster, RestartKeepsDataAndPort) {
  PgCluster* pg = PgCluster::Shared();
  ASSERT_NE(pg, nullptr);
  const std::string url = pg->NewDatabase();
  ASSERT_EQ(Query(url, "CREATE TABLE t (x int); INSERT INTO t VALUES (42)"), "");
  Conn held = Connect(url);
  ASSERT_EQ(Query(held.get(), "SELECT 1"), "1");
  const int port = pg->port();

  pg->Restart();

  EXPECT_EQ(pg->port(), port);
  // The connection open across the restart was cut: the server did go away.
  EXPECT_TRUE(Query(held.get(), "SELECT 1").starts_with("error: "));
  EXPECT_EQ(Query(url, "SELECT 1"), "1");
  EXPECT_EQ(Query(url, "SELECT x FROM t"), "42");
  EXPECT_EQ(Query(pg->NewDatabase(), "SELECT 1"), "1");
}

}  // namespace
}  // namespace cozeauth::it
