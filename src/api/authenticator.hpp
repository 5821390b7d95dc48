#pragma once
// Authenticator: the hot path bearer → SHA-256 → cache → Principal (architecture.md §8).
// No KDF, no lock held across I/O: the cache is sharded; a miss reads the store without holding
// a shard lock. Cache entries carry the generation they were loaded in; the store's listener
// for its own epoch-bumping commits (Store::OnAuthEpochBump → Invalidate(), so this process's
// writes apply on the next request) and a background poll of the auth epoch (writes by other
// processes, every 200 ms) bump the generation, so a revoked or re-scoped credential is never
// served stale for more than one poll interval. last_used_at is recorded in memory and flushed in batches by the
// same background thread, never written per request. Also caches the role and ownership facts
// that decisions need (workspace → owner, user roles, bots) and OAuth app status (a disabled
// app's tokens authenticate as kAppDisabled → 4100), under the same generation.
//
// Thread-safe. Start() launches the background thread; the destructor stops it and flushes.

#include <array>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

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
  uint64_t hits = 0;
  uint64_t misses = 0;
};

class Authenticator {
 public:
  Authenticator(store::Store& store, const Clock& clock);
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
  struct Entry {
    uint64_t generation = 0;
    std::shared_ptr<const void> value;
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Entry> map;
  };
  static constexpr size_t kShards = 16;
  static constexpr size_t kMaxEntriesPerShard = 4096;

  template <typename T, typename Load>
  std::shared_ptr<const T> Cached(const std::string& key, Load&& load);
  void RecordUse(const std::string& token_id);
  // Personal accounts opened to this token by cross-account grants.
  std::vector<std::string> GrantedAccounts(const credentials::Token& t);
  // Whether an OAuth app is active (cached per generation: its status change bumps the epoch).
  bool AppActive(const std::string& app_id);
  void Loop();
  void Flush();

  store::Store& store_;
  const Clock& clock_;
  std::array<Shard, kShards> shards_;
  std::atomic<uint64_t> generation_{1};
  std::atomic<uint64_t> hits_{0}, misses_{0};
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
