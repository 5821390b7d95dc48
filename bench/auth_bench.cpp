// Micro-benchmarks of the hot path: bearer → SHA-256 → cache → decision, on a real SQLite
// store in memory (the cache makes steady-state requests store-free).
#include <benchmark/benchmark.h>

#include "admin/operations.hpp"
#include "api/authenticator.hpp"
#include "base/crypto.hpp"
#include "policy/decision.hpp"

namespace cozeauth {
namespace {

struct Fixture {
  std::unique_ptr<store::Store> store = std::move(store::OpenStore("sqlite::memory:").value());
  IdGenerator ids{SystemClock::Instance(), OsRandom::Instance()};
  admin::Env env{*store, SystemClock::Instance(), OsRandom::Instance(), ids};
  std::string token, workspace_id;
  Fixture() {
    auto user = admin::CreateUser(env, "bench", "bench@example.com", "benchpass1").value();
    workspace_id = admin::CreateWorkspace(env, user.id, user.id, "w").value().id;
    admin::TokenSpec spec;
    spec.user_id = user.id;
    spec.name = "bench";
    spec.days = 1;
    spec.workspace_permissions = {"getMetadata"};
    spec.all_workspaces = true;
    token = admin::CreateToken(env, spec).value().plaintext;
  }
};

void BM_Sha256Token(benchmark::State& state) {
  std::string t = "pat_" + std::string(64, 'a');
  for (auto _ : state) benchmark::DoNotOptimize(Sha256Hex(t));
}
BENCHMARK(BM_Sha256Token);

void BM_AuthenticateCached(benchmark::State& state) {
  static Fixture f;
  api::Authenticator auth(*f.store, SystemClock::Instance());
  std::string header = "Bearer " + f.token;
  auth.Authenticate(header);
  for (auto _ : state) benchmark::DoNotOptimize(auth.Authenticate(header));
}
BENCHMARK(BM_AuthenticateCached)->Threads(1)->Threads(2);

void BM_AuthenticateAndDecide(benchmark::State& state) {
  static Fixture f;
  api::Authenticator auth(*f.store, SystemClock::Instance());
  std::string header = "Bearer " + f.token;
  for (auto _ : state) {
    const auto shared = auth.Authenticate(header);
    const policy::Principal& p = *shared;
    api::WorkspaceFacts facts = auth.Workspace(f.workspace_id);
    policy::WorkspaceTarget t{facts.exists, f.workspace_id, facts.owner_account_id,
                              facts.owner_enterprise_id,
                              auth.WorkspaceRole(f.workspace_id, p.user_id), std::nullopt};
    benchmark::DoNotOptimize(policy::Decide(p, "getMetadata", t, Errc::kBotNotFound));
  }
}
BENCHMARK(BM_AuthenticateAndDecide);

}  // namespace
}  // namespace cozeauth

BENCHMARK_MAIN();
