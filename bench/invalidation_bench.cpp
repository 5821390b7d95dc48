// Invalidation across nodes (issue 11): several `cozeauth serve` nodes share one PostgreSQL
// database; for each trial a fresh PAT is created and warmed on every node (so each has it
// cached), then revoked through the store, as `cozeauth admin token revoke` does from any
// machine. One thread per node polls GET /v1/users/me with it back to back; the figure is the
// time from the revoke call to each node's first 4100, reported as p50/p99/max over all trials
// and nodes. The target is p99 <= 1 s (bench/postgres.sh starts the nodes and runs this).
//
//   invalidation_bench --db postgresql://… --nodes 127.0.0.1:P1,127.0.0.1:P2,… [--trials 100]
#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "admin/operations.hpp"
#include "base/clock.hpp"
#include "base/ids.hpp"
#include "base/random.hpp"
#include "store/store.hpp"

namespace {

using namespace cozeauth;
using Steady = std::chrono::steady_clock;

[[noreturn]] void Die(const std::string& what, const std::string& why) {
  std::fprintf(stderr, "invalidation_bench: %s: %s\n", what.c_str(), why.c_str());
  std::exit(1);
}

template <typename T>
T Must(Result<T> r, const std::string& what) {
  if (!r) Die(what, r.error().message);
  return std::move(r).value();
}

namespace asio = boost::asio;
namespace http = boost::beast::http;

struct Node {
  std::string host;
  std::string port;
};

// The code GET /v1/users/me answers on `node` with `token` (-1 when there is no envelope). A
// connection per request, as a client behind a balancer that spreads them would see.
int64_t CodeOf(const Node& node, const std::string& token) {
  try {
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    asio::connect(socket, asio::ip::tcp::resolver(io).resolve(node.host, node.port));
    http::request<http::empty_body> req(http::verb::get, "/v1/users/me", 11);
    req.set(http::field::host, node.host);
    req.set(http::field::authorization, "Bearer " + token);
    http::write(socket, req);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(socket, buffer, res);
    return boost::json::parse(res.body()).as_object().at("code").to_number<int64_t>();
  } catch (const std::exception&) {
    return -1;
  }
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  return v[i];
}

}  // namespace

int main(int argc, char** argv) {
  std::string db, nodes_arg;
  int trials = 100;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--db") db = argv[i + 1];
    if (flag == "--nodes") nodes_arg = argv[i + 1];
    if (flag == "--trials") trials = std::atoi(argv[i + 1]);
  }
  if (db.empty() || nodes_arg.empty() || trials < 1) Die("usage", "--db URL --nodes h:p,h:p …");
  std::vector<Node> nodes;
  for (size_t start = 0; start < nodes_arg.size();) {
    size_t end = nodes_arg.find(',', start);
    if (end == std::string::npos) end = nodes_arg.size();
    const std::string hostport = nodes_arg.substr(start, end - start);
    const size_t colon = hostport.rfind(':');
    if (colon == std::string::npos) Die("--nodes", "expected host:port, got " + hostport);
    nodes.push_back(Node{hostport.substr(0, colon), hostport.substr(colon + 1)});
    start = end + 1;
  }

  auto store = Must(store::OpenStore(db), "open store");
  SystemClock& clock = SystemClock::Instance();
  SecureRandom& random = OsRandom::Instance();
  IdGenerator ids(clock, random);
  admin::Env env{*store, clock, random, ids};
  auto user =
      Must(admin::CreateUser(env, "invalidation", "invalidation@bench.test", "Bench-passw0rd"),
           "create user");

  std::vector<double> millis;
  for (int trial = 0; trial < trials; ++trial) {
    admin::TokenSpec spec;
    spec.kind = credentials::TokenKind::kPat;
    spec.user_id = user.id;
    spec.name = "trial " + std::to_string(trial);
    spec.days = 1;
    spec.account_permissions = {"listWorkspace"};
    spec.all_workspaces = true;
    auto pat = Must(admin::CreateToken(env, spec), "create pat");
    for (const auto& node : nodes) {
      if (CodeOf(node, pat.plaintext) != 0) Die("warm", "a node refused a fresh PAT");
    }
    std::vector<double> seen(nodes.size(), -1);
    std::latch polling(static_cast<std::ptrdiff_t>(nodes.size()) + 1);
    std::atomic<int64_t> revoked_at{0};  // steady-clock nanoseconds of the revoke call
    std::vector<std::thread> pollers;
    for (size_t n = 0; n < nodes.size(); ++n) {
      pollers.emplace_back([&, n] {
        polling.arrive_and_wait();
        const auto deadline = Steady::now() + std::chrono::seconds(30);
        while (Steady::now() < deadline) {
          const int64_t code = CodeOf(nodes[n], pat.plaintext);
          if (code == 4100) {
            const int64_t now = Steady::now().time_since_epoch().count();
            seen[n] = static_cast<double>(now - revoked_at.load()) / 1e6;
            return;
          }
        }
      });
    }
    polling.arrive_and_wait();
    revoked_at.store(Steady::now().time_since_epoch().count());
    if (auto s = store->RevokeToken(pat.token.id, clock.NowSeconds()); !s) {
      Die("revoke", s.error().message);
    }
    for (auto& t : pollers) t.join();
    for (double ms : seen) {
      if (ms < 0) Die("trial " + std::to_string(trial), "a node still accepted after 30 s");
      millis.push_back(std::max(ms, 0.0));
    }
  }
  std::printf(
      "revoke -> first 4100, %zu nodes x %d trials: p50 %.1f ms, p99 %.1f ms, max %.1f ms "
      "(target p99 <= 1000 ms)\n",
      nodes.size(), trials, Percentile(millis, 0.50), Percentile(millis, 0.99),
      *std::max_element(millis.begin(), millis.end()));
  return 0;
}
