// Micro-benchmarks of the hot path: bearer → SHA-256 → cache → decision, on a real SQLite
// store in memory (the cache makes steady-state requests store-free), and the same under a flood
// of distinct garbage bearers (issue 8, defect 5).
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <ctime>
#include <string>
#include <vector>

#include "admin/operations.hpp"
#include "api/auth/token_cache.hpp"
#include "api/authenticator.hpp"
#include "base/crypto.hpp"
#include "observe/metrics.hpp"
#include "observe/request_stats.hpp"
#include "policy/decision.hpp"

namespace cozeauth {
namespace {

admin::TokenSpec PatSpec(const std::string& user_id, const std::string& name) {
  admin::TokenSpec spec;
  spec.user_id = user_id;
  spec.name = name;
  spec.days = 1;
  spec.workspace_permissions = {"getMetadata"};
  spec.all_workspaces = true;
  return spec;
}

struct Fixture {
  std::unique_ptr<store::Store> store = std::move(store::OpenStore("sqlite::memory:").value());
  IdGenerator ids{SystemClock::Instance(), OsRandom::Instance()};
  admin::Env env{*store, SystemClock::Instance(), OsRandom::Instance(), ids};
  std::string user_id, token, workspace_id;
  Fixture() {
    user_id = admin::CreateUser(env, "bench", "bench@example.com", "benchpass1").value().id;
    workspace_id = admin::CreateWorkspace(env, user_id, user_id, "w").value().id;
    token = admin::CreateToken(env, PatSpec(user_id, "bench")).value().plaintext;
  }
};

// The serve default (--token-cache-capacity 1000000).
std::unique_ptr<api::Authenticator> MakeAuthenticator(store::Store& store) {
  return std::make_unique<api::Authenticator>(store, SystemClock::Instance(),
                                              api::TokenCacheOptions{});
}

void BM_Sha256Token(benchmark::State& state) {
  std::string t = "pat_" + std::string(64, 'a');
  for (auto _ : state) benchmark::DoNotOptimize(Sha256Hex(t));
}
BENCHMARK(BM_Sha256Token);

void BM_AuthenticateCached(benchmark::State& state) {
  static Fixture f;
  auto auth = MakeAuthenticator(*f.store);
  std::string header = "Bearer " + f.token;
  auth->Authenticate(header);
  for (auto _ : state) benchmark::DoNotOptimize(auth->Authenticate(header));
}
BENCHMARK(BM_AuthenticateCached)->Threads(1)->Threads(2);

void BM_AuthenticateAndDecide(benchmark::State& state) {
  static Fixture f;
  auto auth = MakeAuthenticator(*f.store);
  std::string header = "Bearer " + f.token;
  for (auto _ : state) {
    const auto shared = auth->Authenticate(header);
    const policy::Principal& p = *shared;
    api::WorkspaceFacts facts = auth->Workspace(f.workspace_id);
    policy::WorkspaceTarget t{facts.exists,
                              f.workspace_id,
                              facts.owner_account_id,
                              facts.owner_enterprise_id,
                              auth->WorkspaceRole(f.workspace_id, p.user_id),
                              std::nullopt};
    benchmark::DoNotOptimize(policy::Decide(p, "getMetadata", t, Errc::kBotNotFound));
  }
}
BENCHMARK(BM_AuthenticateAndDecide);

// The same request as the OpenAPI wrapper runs it with the migration-rehearsal hook
// (api/auth/rehearsal_shadow.hpp): Begin, the decision with its shadow, Finish. Arg 0: no
// rehearsal is live (the one atomic check); Arg 1: a rehearsal of the request's workspace is
// live, so every request is also decided on the migrated facts and counted.
class AuthFacts final : public api::ShadowFacts {
 public:
  AuthFacts(api::Authenticator& auth, const policy::Principal& p) : auth_(auth), p_(p) {}
  policy::WorkspaceTarget Today(const std::string& workspace_id) override {
    api::WorkspaceFacts f = auth_.Workspace(workspace_id);
    return {f.exists,
            workspace_id,
            f.owner_account_id,
            f.owner_enterprise_id,
            auth_.WorkspaceRole(workspace_id, p_.user_id),
            std::nullopt};
  }
  std::optional<domain::OrgRole> OrgRole(const std::string& org, const std::string& user) override {
    return auth_.OrgRole(org, user);
  }

 private:
  api::Authenticator& auth_;
  const policy::Principal& p_;
};

void BM_AuthorizeWithRehearsalHook(benchmark::State& state) {
  Fixture f;
  if (state.range(0) == 1) {
    const int64_t now = SystemClock::Instance().NowSeconds();
    (void)f.store->CreateRehearsal({f.ids.Next(), f.workspace_id, "2001", "ent_1",
                                    domain::MigrationMode::kCut, f.user_id, now, now + 3600, 0});
  }
  auto auth = MakeAuthenticator(*f.store);
  std::string header = "Bearer " + f.token;
  for (auto _ : state) {
    const auto shared = auth->Authenticate(header);
    const policy::Principal& p = *shared;
    api::ShadowNote note;
    auth->Rehearsals().Begin(note);
    AuthFacts facts(*auth, p);
    const policy::WorkspaceTarget t = facts.Today(f.workspace_id);
    const policy::Decision d = policy::Decide(p, "getMetadata", t, Errc::kBotNotFound);
    if (note.live) {
      auth->Rehearsals().Shadow(note, p, "getMetadata", t, Errc::kBotNotFound, d.allowed(), facts);
      auth->Rehearsals().Finish(note, p, shared.token_id.view(), static_cast<int>(d.code), facts);
    }
    benchmark::DoNotOptimize(d);
  }
  state.counters["shadowed"] = state.range(0);
}
BENCHMARK(BM_AuthorizeWithRehearsalHook)->Arg(0)->Arg(1);

// Valid tokens under a garbage flood: kKnown PATs are used round-robin, and before each use
// come K distinct, never-repeated, well-formed garbage PATs (each a store read: nothing can
// answer a never-seen digest from memory). The manual time (this thread's CPU time, so other
// processes on a busy machine do not count) covers only the valid-token calls,
// so the figure is the hot path's cost per valid request while the flood runs; K = 0 is the
// baseline. `store_reads_per_valid` counts store reads the valid tokens caused (0 when the
// flood evicts nothing; the old cache, a shard cleared whole when full, reloaded them).
constexpr int kKnown = 1000;

// The valid tokens are copies of the fixture's PAT row under new ids and digests, written to the
// store directly (the admin path caps PATs at 10 a user).
struct FloodFixture : Fixture {
  std::vector<std::string> headers;
  FloodFixture() {
    const credentials::Token model = store->FindTokenByHash(credentials::HashToken(token)).value();
    for (int i = 0; i < kKnown; ++i) {
      std::string plaintext = "pat_k" + std::to_string(i);
      plaintext.resize(68, 'v');
      credentials::Token t = model;
      t.id = std::to_string(7'000'000'000'000'000'000ULL + i);
      t.name = "k" + std::to_string(i);
      t.token_hash = credentials::HashToken(plaintext);
      if (!store->CreateToken(t)) std::abort();
      headers.push_back("Bearer " + plaintext);
    }
  }
};

FloodFixture& Flood() {
  static FloodFixture f;
  return f;
}

double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::string GarbageHeader(uint64_t n) {
  std::string s = "Bearer pat_g" + std::to_string(n);
  s.resize(7 + 68, 'x');
  return s;
}

void BM_ValidTokenUnderFlood(benchmark::State& state) {
  FloodFixture& f = Flood();
  static uint64_t garbage_counter = 0;  // never repeat a garbage token across runs
  const int64_t k = state.range(0);
  auto auth = MakeAuthenticator(*f.store);
  for (const auto& h : f.headers) auth->Authenticate(h);  // warm: every valid token cached
  // Warm the flood too: 70,000 garbage tokens (> the old cache's 65,536 entries) first.
  for (int i = 0; i < 70'000 && k > 0; ++i) auth->Authenticate(GarbageHeader(garbage_counter++));
  uint64_t valid_reads = 0, valid = 0;
  size_t next = 0;
  for (auto _ : state) {
    for (int64_t i = 0; i < k; ++i) auth->Authenticate(GarbageHeader(garbage_counter++));
    const uint64_t before = auth->Stats().misses;
    const double start = ThreadCpuSeconds();
    auto p = auth->Authenticate(f.headers[next]);
    const double end = ThreadCpuSeconds();
    benchmark::DoNotOptimize(p);
    valid_reads += auth->Stats().misses - before;
    ++valid;
    next = (next + 1) % f.headers.size();
    state.SetIterationTime(end - start);
  }
  state.counters["store_reads_per_valid"] = static_cast<double>(valid_reads) / valid;
  state.SetItemsProcessed(static_cast<int64_t>(valid));
}
// Fixed iterations: 300,000 garbage store reads per flooded run (the manual time alone would
// ask for millions of iterations).
BENCHMARK(BM_ValidTokenUnderFlood)->Arg(0)->Iterations(300'000)->UseManualTime();
BENCHMARK(BM_ValidTokenUnderFlood)->Arg(1)->Iterations(300'000)->UseManualTime();
BENCHMARK(BM_ValidTokenUnderFlood)->Arg(10)->Iterations(30'000)->UseManualTime();
BENCHMARK(BM_ValidTokenUnderFlood)->Arg(100)->Iterations(3'000)->UseManualTime();

// Whole-request throughput under the flood: one valid + K garbage authentications per
// iteration, everything timed (the garbage costs a store read each, whatever the cache).
void BM_MixedTrafficUnderFlood(benchmark::State& state) {
  FloodFixture& f = Flood();
  static uint64_t garbage_counter = 1'000'000'000;
  const int64_t k = state.range(0);
  auto auth = MakeAuthenticator(*f.store);
  for (const auto& h : f.headers) auth->Authenticate(h);
  size_t next = 0;
  for (auto _ : state) {
    for (int64_t i = 0; i < k; ++i) auth->Authenticate(GarbageHeader(garbage_counter++));
    benchmark::DoNotOptimize(auth->Authenticate(f.headers[next]));
    next = (next + 1) % f.headers.size();
  }
  state.SetItemsProcessed(state.iterations() * (1 + k));
}
BENCHMARK(BM_MixedTrafficUnderFlood)->Arg(0)->Arg(1)->Arg(10);

// Bytes per cache entry, measured with glibc's allocator statistics (the bytes in use, in the
// arenas and in mmap'd blocks): a known token (the interned principal of a real PAT, shared as
// the verifier shares it; ids made distinct) and an unknown digest.
void BM_TokenCacheMemory(benchmark::State& state) {
  static Fixture f;
  constexpr size_t kEntries = 100'000;
  auto probe = MakeAuthenticator(*f.store);
  const api::CachedToken model{.principal = probe->Authenticate("Bearer " + f.token).principal};
  for (auto _ : state) {
    FakeClock clock;
    const auto in_use = [] {
      const struct mallinfo2 m = mallinfo2();
      return m.uordblks + m.hblkhd;
    };
    const size_t base = in_use();
    auto cache = std::make_unique<api::TokenCache>(
        api::TokenCacheOptions{.capacity = kEntries, .unknown_capacity = kEntries}, clock);
    for (size_t i = 0; i < kEntries; ++i) {
      api::CachedToken t = model;
      const std::string id = std::to_string(7'000'000'000'000'000'000ULL + i);  // 19 digits
      t.id.Assign(id);
      cache->PutKnown(Sha256(id), 1, std::move(t));
    }
    const size_t known = in_use();
    for (size_t i = 0; i < kEntries; ++i) cache->PutUnknown(Sha256("g" + std::to_string(i)), 1);
    const size_t unknown = in_use();
    state.counters["bytes_per_known"] = static_cast<double>(known - base) / kEntries;
    state.counters["bytes_per_unknown"] = static_cast<double>(unknown - known) / kEntries;
    cache.reset();
  }
}
BENCHMARK(BM_TokenCacheMemory)->Iterations(1)->Unit(benchmark::kMillisecond);

// The per-credential statistics' flush (observe/request_stats.hpp) as a million cycled tokens
// drive it: each interval, `range(0)` keys of distinct 19-digit token ids, one route, written
// to a SQLite store in memory. Only the flush is timed (Record is the request path's, measured
// end to end by bench/compare.sh); rows_per_s is what one flushing thread keeps up with. The
// ids rotate through a million, so after the first flushes of the minute most upserts add to
// existing rows, as they do under that load.
void BM_RequestStatsFlush(benchmark::State& state) {
  const size_t keys = static_cast<size_t>(state.range(0));
  constexpr size_t kTokens = 1'000'000;
  std::vector<std::string> ids;
  ids.reserve(kTokens);
  for (size_t i = 0; i < kTokens; ++i)
    ids.push_back(std::to_string(7'000'000'000'000'000'000ULL + i));
  auto store = std::move(store::OpenStore("sqlite::memory:").value());
  FakeClock clock(1'750'000'020);
  observe::Registry metrics;
  observe::RequestStats stats(*store, clock, metrics);
  size_t next = 0;
  for (auto _ : state) {
    state.PauseTiming();
    for (size_t i = 0; i < keys; ++i, next = (next + 1) % kTokens) {
      stats.Record(ids[next], "pat", "/v1/users/me", "", 0);
    }
    state.ResumeTiming();
    if (!stats.Flush()) state.SkipWithError("the store refused the batch");
  }
  state.counters["rows_per_s"] =
      benchmark::Counter(static_cast<double>(keys), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_RequestStatsFlush)->Arg(50'000)->Unit(benchmark::kMillisecond)->Iterations(40);

}  // namespace
}  // namespace cozeauth

BENCHMARK_MAIN();
