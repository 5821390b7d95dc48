#include "api/authenticator.hpp"

#include <chrono>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "base/thread_name.hpp"
#include "observe/metrics.hpp"

namespace cozeauth::api {

Authenticator::Authenticator(store::Store& store, const Clock& clock,
                             const TokenCacheOptions& tokens)
    : store_(store),
      clock_(clock),
      verifier_(store, store, store, clock, tokens),
      facts_(store, tokens.shards),
      grant_facts_(store, tokens.shards),
      bots_(store, tokens.shards),
      last_used_(store),
      rehearsal_counts_(store,
                        [](const std::vector<domain::RehearsalCount>& batch) {
                          for (const auto& n : batch) {
                            observe::Metrics().CountRehearsal(n.rehearsal_id, n.shadow_code != 0,
                                                              static_cast<uint64_t>(n.count));
                          }
                        }),
      rehearsal_shadow_(store, clock, rehearsal_counts_) {
  // Own writes (a reused refresh token revoking its family, an app disabled through the console,
  // a migration, a bot update) take effect on the very next request, not at the next poll.
  store_.OnAuthEpochBump([this] { Invalidate(); });
  store_.OnBotEpochBump([this] { InvalidateBots(); });
}

Authenticator::~Authenticator() {
  store_.OnAuthEpochBump(nullptr);
  store_.OnBotEpochBump(nullptr);
  Stop();
}

void Authenticator::Start() {
  {
    std::lock_guard lock(sync_mu_);
    if (auto e = store_.AuthEpoch()) last_auth_epoch_ = e.value();
    if (auto e = store_.BotEpoch()) last_bot_epoch_ = e.value();
  }
  rehearsal_shadow_.Refresh();  // the live rehearsals, before the first request
  thread_ = std::thread([this] {
    NameThisThread("cz-epoch-poll");
    Loop();
  });
}

void Authenticator::Stop() {
  {
    std::lock_guard lock(loop_mu_);
    if (stop_) return;
    stop_ = true;
  }
  loop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  last_used_.Flush();
  (void)rehearsal_counts_.Flush();
}

void Authenticator::Loop() {
  std::unique_lock lock(loop_mu_);
  for (int tick = 1;
       !loop_cv_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stop_; }); ++tick) {
    lock.unlock();
    SyncNow();
#ifdef __GLIBC__
    // Every 5 s: hand the pages freed since back to the system. Filling a large token cache
    // (a miss reads a row, builds a principal and drops all but ~140 bytes) and the flushed
    // batches leave free memory scattered over the threads' arenas, which glibc would keep.
    if (tick % 25 == 0) malloc_trim(0);
#endif
    lock.lock();
  }
}

void Authenticator::SyncNow() {
  {
    std::lock_guard lock(sync_mu_);
    // Each epoch drops only its own caches: a bot edit elsewhere costs no token reload.
    if (auto e = store_.AuthEpoch(); e && e.value() != last_auth_epoch_) {
      last_auth_epoch_ = e.value();
      Invalidate();
      rehearsal_shadow_.Refresh();  // another process may have started or stopped one
    }
    if (auto e = store_.BotEpoch(); e && e.value() != last_bot_epoch_) {
      last_bot_epoch_ = e.value();
      InvalidateBots();
    }
  }
  last_used_.Flush();
  (void)rehearsal_counts_.Flush();  // a refused batch is kept for the next poll
}

void Authenticator::Invalidate() {
  verifier_.Invalidate();
  facts_.Invalidate();
  grant_facts_.Invalidate();
  rehearsal_shadow_.Invalidate();
}

AuthStats Authenticator::Stats() const {
  const VerifierStats v = verifier_.Stats();
  CacheCounts c = v.counts;
  c += facts_.Counts();
  c += grant_facts_.Counts();
  c += bots_.Counts();
  return {c.hits, c.misses, v.unknown_hits, v.token_loads, v.tokens};
}

Verified Authenticator::Authenticate(std::string_view header) {
  static const Verified kMissing{PrincipalInState(policy::CredentialState::kMissing), {}};
  const std::string_view bearer = BearerToken(header);
  if (bearer.empty()) return kMissing;
  const int64_t now = clock_.NowSeconds();
  Verified verified = verifier_.Verify(bearer, now);
  if (verified->state == policy::CredentialState::kActive && verified.record_use)
    last_used_.Record(verified.token_id.view(), now);
  return verified;
}

}  // namespace cozeauth::api
