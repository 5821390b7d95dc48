#pragma once
// Authenticator: the hot path bearer → SHA-256 → cache → Principal (architecture.md §8), and the
// cached facts that decisions read. A thin facade over the pieces in api/auth/, split along
// Envoy jwt_authn's lines:
//   - BearerToken (auth/bearer.hpp): the token of the Authorization header;
//   - TokenVerifier (auth/token_verifier.hpp): digest → token cache → Principal, with the app
//     status and cross-account grants that belong to it, and the per-request expiry check;
//   - FactCache (auth/fact_cache.hpp): workspace ownership, roles, account → enterprise;
//   - GrantFactCache (auth/grant_fact_cache.hpp): what a JWT-bearer grant reads (keys, apps,
//     authorizations, accounts, enterprises);
//   - BotCache (auth/bot_cache.hpp): bots, under their own generation;
//   - LastUsedRecorder (auth/last_used.hpp): tokens' last_used_at, flushed in batches;
//   - RehearsalShadow (auth/rehearsal_shadow.hpp): the shadow decision of live migration
//     rehearsals, its counts (auth/rehearsal_counts.hpp) flushed with the last-used times.
//
// Invalidation: tokens and facts drop when the store's auth epoch moves, bots when its bot epoch
// moves — an UpdateBot no longer empties the token caches. Own writes apply on the next request
// (the store's OnAuthEpochBump / OnBotEpochBump listeners); writes by other processes within one
// poll of both epochs by the background thread (every 200 ms), which also flushes last-used
// times. No lock is held across I/O; a request that hits the cache does one SHA-256, one
// shard-locked lookup and one short lock to record its use, and allocates nothing.
//
// Thread-safe. Start() launches the background thread; the destructor stops it and flushes.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "api/auth/bearer.hpp"
#include "api/auth/bot_cache.hpp"
#include "api/auth/fact_cache.hpp"
#include "api/auth/grant_fact_cache.hpp"
#include "api/auth/last_used.hpp"
#include "api/auth/rehearsal_counts.hpp"
#include "api/auth/rehearsal_shadow.hpp"
#include "api/auth/token_cache.hpp"
#include "api/auth/token_verifier.hpp"
#include "base/clock.hpp"
#include "policy/decision.hpp"
#include "store/store.hpp"

namespace cozeauth::api {

struct AuthStats {
  uint64_t hits = 0;          // lookups answered from memory (tokens known or unknown, facts)
  uint64_t misses = 0;        // lookups that read the store
  uint64_t unknown_hits = 0;  // of the hits: bearers remembered as unknown to the store
  uint64_t token_loads = 0;   // of the misses: store lookups of a bearer digest
  TokenCacheStats tokens;
};

class Authenticator {
 public:
  // `tokens.capacity` is serve's --token-cache-capacity (ServerOptions::token_cache_capacity).
  // Registers itself as the store's epoch listener until destroyed.
  Authenticator(store::Store& store, const Clock& clock, const TokenCacheOptions& tokens);
  ~Authenticator();
  Authenticator(const Authenticator&) = delete;
  Authenticator& operator=(const Authenticator&) = delete;

  void Start();
  void Stop();

  // Principal for an Authorization header value (may be empty), with the token's id. Never
  // throws on bad input. Shared and immutable: the cached, interned principal of the token
  // (built once per cache generation, with its app status and cross-account grants), not a copy
  // per request.
  Verified Authenticate(std::string_view authorization_header);

  // Facts for decisions, cached per auth generation.
  WorkspaceFacts Workspace(const std::string& workspace_id) {
    return facts_.Workspace(workspace_id);
  }
  std::optional<domain::WorkspaceRole> WorkspaceRole(const std::string& workspace_id,
                                                     const std::string& user_id) {
    return facts_.WorkspaceRole(workspace_id, user_id);
  }
  std::optional<domain::OrgRole> OrgRole(const std::string& org_account_id,
                                         const std::string& user_id) {
    return facts_.OrgRole(org_account_id, user_id);
  }
  // Enterprise of an account ("" for personal accounts and unknown ids).
  std::string EnterpriseOfAccount(const std::string& account_id) {
    return facts_.EnterpriseOfAccount(account_id);
  }
  // A user's name, cached per auth generation (only found users; see FactCache::UserName).
  Result<std::string> UserName(const std::string& user_id) { return facts_.UserName(user_id); }
  // A bot, cached per bot generation. A bot not found is read from the store again on every
  // call, so one created by another process is seen at once.
  Result<domain::Bot> Bot(const std::string& bot_id) { return bots_.Bot(bot_id); }
  // The same, the cached copy itself (BotCache::Shared).
  Result<std::shared_ptr<const CachedBot>> SharedBot(const std::string& bot_id) {
    return bots_.Shared(bot_id);
  }

  // The JWT-bearer grant's reads (oauth::Env::grant_facts), cached per auth generation.
  oauth::GrantFacts& JwtGrantFacts() { return grant_facts_; }

  // Drops every cached token and fact (not bots: they follow the bot epoch). Called by the store
  // after each of its own auth-epoch-bumping commits; writes that change a decision bump the
  // epoch, so route handlers need not call it.
  void Invalidate();
  // Drops every cached bot. Called by the store after each of its own bot-epoch-bumping commits.
  void InvalidateBots() { bots_.Invalidate(); }
  // The shadow decision of live migration rehearsals (Call::Authorize and the OpenAPI wrapper).
  RehearsalShadow& Rehearsals() { return rehearsal_shadow_; }
  // Writes the rehearsal counts recorded so far now (tests; SyncNow and Stop do it too).
  Status FlushRehearsalCounts() { return rehearsal_counts_.Flush(); }
  // Polls the store's auth and bot epochs and flushes last-used times and rehearsal counts now
  // (tests, shutdown).
  void SyncNow();
  AuthStats Stats() const;

 private:
  void Loop();

  store::Store& store_;
  const Clock& clock_;
  TokenVerifier verifier_;
  FactCache facts_;
  GrantFactCache grant_facts_;
  BotCache bots_;
  LastUsedRecorder last_used_;
  RehearsalCounts rehearsal_counts_;
  RehearsalShadow rehearsal_shadow_;

  std::mutex sync_mu_;  // guards the two epochs last seen
  int64_t last_auth_epoch_ = -1;
  int64_t last_bot_epoch_ = -1;

  std::mutex loop_mu_;
  std::condition_variable loop_cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace cozeauth::api
