// Requests per successful call for the guide's plain retry and for coze::FailoverAuth, before
// and after a workspace migration, against the real server on loopback (tests/sdk/
// failover_support.hpp): a user's workspace W with a published bot, a personal PAT and an
// enterprise PAT for all workspaces; `cozeauth migrate run --mode cut` moves W into the
// enterprise's default organization. Each call is a non-streaming chat with W's bot.
//
//   ./build/release/bench/failover_bench [calls per phase, default 200]

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <thread>

#include "sdk/failover_support.hpp"

namespace cozeauth::it {
namespace {

struct Figures {
  int calls = 0, failures = 0;
  uint64_t requests = 0;
  double ms = 0;
};

Figures Measure(int calls, CountingTransport& counting, const std::function<bool(int)>& call) {
  Figures f;
  const uint64_t before = counting.requests.load();
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < calls; ++i) {
    ++f.calls;
    if (!call(i)) ++f.failures;
  }
  f.ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  f.requests = counting.requests.load() - before;
  return f;
}

void Row(const char* phase, const char* strategy, const Figures& f) {
  std::printf("| %-36s | %-28s | %5d | %8d | %8llu | %6.3f | %7.2f |\n", phase, strategy, f.calls,
              f.failures, static_cast<unsigned long long>(f.requests),
              static_cast<double>(f.requests) / (f.calls - f.failures), f.ms / f.calls);
}

int Run(int calls) {
  MigrationWorld m;
  auto counting = std::make_shared<CountingTransport>(coze::MakeCurlTransport());
  auto personal = m.MakeClient(std::make_shared<coze::TokenAuth>(m.personal_pat().token), counting);
  auto enterprise =
      m.MakeClient(std::make_shared<coze::TokenAuth>(m.enterprise_pat().token), counting);
  auto chain = m.MakeChain();
  auto sticky = m.MakeClient(chain, counting);
  auto plain_call = [&](int i) {
    return PlainRetryChat(*personal, *enterprise, m.Ask("plain " + std::to_string(i))).has_value();
  };
  auto sticky_call = [&](int i) {
    return sticky->chat().Create(m.Ask("sticky " + std::to_string(i))).has_value();
  };

  std::printf("| phase | strategy | calls | failures | requests | requests/success | ms/call |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  Row("before the migration", "plain retry", Measure(calls, *counting, plain_call));
  Row("before the migration", "FailoverAuth", Measure(calls, *counting, sticky_call));

  ProcessResult migration = m.Migrate();
  if (migration.exit_code != 0) {
    std::cerr << "failover_bench: cozeauth migrate run failed (exit " << migration.exit_code
              << ")\n"
              << migration.out << migration.err;
    return 1;
  }
  // The server sees another process's writes within one poll (200 ms): wait until the personal
  // PAT has lost W, so that the figures below are all post-migration.
  for (int i = 0; i < 100 && personal->bots().Retrieve(m.world().bot_id); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }

  Row("after the migration", "plain retry", Measure(calls, *counting, plain_call));
  Row("after the migration (incl. 1st call)", "FailoverAuth",
      Measure(calls, *counting, sticky_call));
  // A restart that restores the saved memory pays no fallback at all.
  const std::string saved = chain->Save();
  auto restarted_chain = m.MakeChain();
  if (!restarted_chain->Restore(saved)) return 1;
  auto restarted = m.MakeClient(restarted_chain, counting);
  Row("after a restart with Restore()", "FailoverAuth", Measure(calls, *counting, [&](int i) {
        return restarted->chat().Create(m.Ask("restored " + std::to_string(i))).has_value();
      }));
  return 0;
}

}  // namespace
}  // namespace cozeauth::it

int main(int argc, char** argv) {
  const int calls = argc > 1 ? std::atoi(argv[1]) : 200;
  if (calls <= 0 || calls > 100000) {
    std::cerr << "usage: failover_bench [calls per phase, 1..100000]\n";
    return 2;
  }
  try {
    return cozeauth::it::Run(calls);
  } catch (const std::exception& e) {
    std::cerr << "failover_bench: " << e.what() << "\n";
    return 1;
  }
}
