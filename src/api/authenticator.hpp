#pragma once
// Authenticator: the hot path bearer → SHA-256 → cache → Principal (architecture.md §8).
// No KDF, no lock held across I/O: the caches are sharded; a miss reads the store without holding
// a shard lock. Tokens live in a TokenCache (api/token_cache.hpp): known digests in a bounded
// CLOCK cache of `TokenCacheOptions::capacity` entries that only a digest the store found can
// enter, unknown digests in a separate bounded cache with a TTL — so a flood of garbage bearers
// never evicts a valid token. Cache entries carry the generation they were loaded in; the store's
// listener for its own epoch-bumping commits (Store::OnAuthEpochBump → Invalidate(), so this
// process's writes apply on the next request) and a background poll of the auth epoch (writes by
// other processes, every 200 ms) bump the generation, so a revoked or re-scoped credential is
// never served stale for more than one poll interval. last_used_at is recorded in memory and
// flushed in batches by the same background thread, never written per request. Also caches the
// role and ownership facts that decisions need (workspace → owner, user roles, bots) and OAuth
// app status (a disabled app's tokens authenticate as kAppDisabled → 4100), under the same
// generation, in their own bounded CLOCK cache.
//
// Thread-safe. Start() launches the background thread; the destructor stops it and flushes.

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "api/token_cache.hpp"
#include "base/clock.hpp"
#include "policy/decision.hpp"
#include "store/store.hpp"

namespace cozeauth::api {

// A workspace's ownership facts (cached).
struct WorkspaceFacts {
  bool exists = false;
  std::string owner_account_id;
  std::string owner_enterprise_id;
  std::string legacy_account_id;  // grant-mode migration source (domain::Workspace)
};

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
  Authenticator(store::Store& store, const Clock& clock, const TokenCacheOptions& tokens);
  ~Authenticator();

  void Start();
  void Stop();

  // Principal for an Authorization header value (may be empty). Never throws on bad input.
  // Shared and immutable: the cached principal of the token itself (built once per cache
  // generation, with its app status and cross-account grants), not a copy per request.
  std::shared_ptr<const policy::Principal> Authenticate(std::string_view authorization_header);

  // Facts for decisions, cached per generation.
  WorkspaceFacts Workspace(const std::string& workspace_id);
  std::optional<domain::WorkspaceRole> WorkspaceRole(const std::string& workspace_id,
                                                     const std::string& user_id);
  std::optional<domain::OrgRole> OrgRole(const std::string& org_account_id,
                                         const std::string& user_id);
  // A bot, cached per generation (bot updates bump the auth epoch). A bot not found is read
  // from the store again on every call, so one created by another process is seen at once.
  Result<domain::Bot> Bot(const std::string& bot_id);
  // Enterprise of an account ("" for personal accounts and unknown ids).
  std::string EnterpriseOfAccount(const std::string& account_id);

  // Drops every cached entry. Called by the store after each of its own epoch-bumping commits;
  // writes that change a decision bump the epoch, so route handlers need not call it.
  void Invalidate();
  // Polls the store's auth epoch and flushes last-used times now (tests, shutdown).
  void SyncNow();
  AuthStats Stats() const;

 private:
  // Decision facts: few distinct keys (workspaces, accounts, roles, bots, apps), each reached
  // only through an authenticated request; the bound of the cache this replaced.
  static constexpr size_t kFactsCapacity = 65'536;

  template <typename T, typename Load>
  std::shared_ptr<const T> Cached(const std::string& key, Load&& load);
  // Reads a digest's token from the store and caches the answer: the token, or "unknown" when
  // the store has no row. nullptr when unknown or when the store could not tell (not cached).
  std::shared_ptr<const CachedToken> LoadToken(std::string_view bearer, const TokenDigest& digest,
                                               uint64_t generation);
  void RecordUse(const std::string& token_id);
  // Personal accounts opened to this token by cross-account grants.
  std::vector<std::string> GrantedAccounts(const credentials::Token& t);
  // Whether an OAuth app is active (cached per generation: its status change bumps the epoch).
  bool AppActive(const std::string& app_id);
  void Loop();
  void Flush();

  store::Store& store_;
  const Clock& clock_;
  TokenCache tokens_;
  ClockCache<std::string, std::shared_ptr<const void>, std::hash<std::string>> facts_;
  std::atomic<uint64_t> generation_{1};
  std::atomic<uint64_t> hits_{0}, misses_{0}, unknown_hits_{0}, token_loads_{0};
  int64_t last_epoch_ = -1;

  std::mutex used_mu_;
  std::unordered_map<std::string, int64_t> last_used_;

  std::mutex loop_mu_;
  std::condition_variable loop_cv_;
  bool stop_ = false;
  std::thread thread_;
};

// Parses "Bearer <token>" (scheme case-insensitive); empty if absent or malformed.
std::string_view BearerToken(std::string_view authorization_header);

}  // namespace cozeauth::api
