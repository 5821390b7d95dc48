#pragma once
// The metrics registry behind `GET /metrics` (architecture.md §1 "Observation"), rendered in the
// Prometheus text exposition format (version 0.0.4) with the `cozeauth_` prefix:
//
//   cozeauth_http_requests_total{route,credential,code}   counter: every request the server
//       answered, by matched route pattern ("-" when none matched), credential kind that
//       authorized it (pat | sat | obo | app | session | "-") and business code (0 = success)
//   cozeauth_http_request_duration_seconds                 histogram: read-to-written latency
//   cozeauth_auth_decision_duration_seconds               histogram: bearer → SHA-256 → cache
//       (or store) → decision steps 1–2, as measured by the OpenAPI route wrapper
//   cozeauth_tokens_issued_total{grant_type}               counter: pat, sat, authorization_code,
//       refresh_token, device_code, jwt_bearer (tokens issued by this process)
//   cozeauth_auth_cache_hits_total, _misses_total, cozeauth_auth_cache_hit_ratio
//   cozeauth_request_stats_flush_failures_total             counter (observe/request_stats.hpp)
//   cozeauth_request_stats_dropped_rows_total               counter: refused rows past the
//       retry bound, dropped (observe/request_stats.hpp)
//   cozeauth_http_requests_served_inline_total              counter: requests a warm cache
//       answered on the connection's I/O thread, without the hop to a worker (base/blocking.hpp)
//   cozeauth_rehearsal_requests_total{rehearsal,outcome}   counter: requests a migration
//       rehearsal shadowed (api/auth/rehearsal_shadow.hpp), outcome "ok" or "would_fail" after
//       the migration; added when the counts are flushed (every 200 ms)
//   cozeauth_rehearsal_active{rehearsal,workspace,to_org,mode}   gauge: 1 per live rehearsal
//   cozeauth_token_cache_entries{kind}, _capacity{kind}, _evictions_total{kind}: the token
//       cache, kind "known" or "unknown"
//   cozeauth_store_memory_bytes                            gauge: the embedded SQLite's memory
//   process_cpu_seconds_total, process_resident_memory_bytes, process_virtual_memory_bytes,
//   process_open_fds, process_max_fds, process_start_time_seconds: the standard process series
//
// Hot path cost: no lock is held across I/O and nothing allocates once a series exists. Each
// thread writes its own shard (a thread-local index picks one of kShards), so concurrent
// requests do not share a lock or a cache line: a labelled counter is an uncontended mutex
// around a hash lookup with a string_view key, a histogram three relaxed atomic adds.
// Exposition() merges the shards; series are never removed.
//
// Thread safety: every method may be called from any thread. Metrics() is the process-wide
// registry; tests may construct their own.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "domain/rehearsal.hpp"
#include "observe/process_stats.hpp"

namespace cozeauth::observe {

// A fixed-bucket histogram of durations, sharded per thread.
class Histogram {
 public:
  // Upper bounds in seconds, ascending; +Inf is implicit.
  explicit Histogram(std::vector<double> bounds_seconds);
  void Observe(std::chrono::nanoseconds d);

  struct Snapshot {
    std::vector<uint64_t> cumulative;  // one per bound, then +Inf (= count)
    uint64_t count = 0;
    double sum_seconds = 0;
  };
  Snapshot Collect() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  static constexpr size_t kMaxBuckets = 24;
  struct alignas(64) Shard {
    std::array<std::atomic<uint64_t>, kMaxBuckets + 1> buckets{};
    std::atomic<uint64_t> sum_ns{0};
  };
  std::vector<double> bounds_;
  std::vector<int64_t> bounds_ns_;
  std::unique_ptr<Shard[]> shards_;
};

class Registry {
 public:
  Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // One answered request (called by the server's request observer).
  void CountRequest(std::string_view route, std::string_view credential, int code,
                    std::chrono::microseconds latency);
  // Time spent authenticating and applying decision steps 1–2 for one OpenAPI request.
  void ObserveDecision(std::chrono::nanoseconds d);
  // One token issued; `grant_type` is one of kGrantTypes (anything else counts as "other").
  void TokenIssued(std::string_view grant_type);
  void StatsFlushFailed();
  // `rows` of refused statistics dropped: the retry bound was reached.
  void StatsRowsDropped(uint64_t rows) {
    stats_dropped_.fetch_add(rows, std::memory_order_relaxed);
  }
  // One request answered on its connection's I/O thread from memory (base/blocking.hpp).
  void CountServedInline() { served_inline_.fetch_add(1, std::memory_order_relaxed); }
  uint64_t ServedInline() const { return served_inline_.load(std::memory_order_relaxed); }
  // `n` requests of migration rehearsal `rehearsal_id` flushed, with their shadow outcome.
  void CountRehearsal(std::string_view rehearsal_id, bool would_fail, uint64_t n);

  struct CacheStats {
    uint64_t hits = 0;
    uint64_t misses = 0;
  };
  // The token cache (api/auth/token_cache.hpp): bearers the store knows, and bearers it was
  // found not to know (remembered for a while so that a flood of them reads the store once).
  struct TokenCacheStats {
    uint64_t known = 0, unknown = 0;  // entries held
    uint64_t known_capacity = 0, unknown_capacity = 0;
    uint64_t known_evictions = 0, unknown_evictions = 0;
  };
  // What a scrape samples outside the registry; each series only when given.
  struct Sampled {
    std::optional<CacheStats> cache;
    std::optional<TokenCacheStats> tokens;
    std::vector<domain::Rehearsal> live;  // the live rehearsals' gauge
    std::optional<ProcessStats> process;  // the standard process_* series
    std::optional<uint64_t> store_memory_bytes;
  };
  // The whole registry in the Prometheus text format, with what `sampled` gives.
  std::string Exposition(const Sampled& sampled = {}) const;
  uint64_t RehearsalRequests(std::string_view rehearsal_id, bool would_fail) const;

  // Read-back for tests and the console: the summed count of one series.
  uint64_t Requests(std::string_view route, std::string_view credential, int code) const;
  uint64_t TokensIssued(std::string_view grant_type) const;
  Histogram::Snapshot Decisions() const { return decisions_.Collect(); }

  static constexpr std::array<std::string_view, 6> kGrantTypes = {
      "pat", "sat", "authorization_code", "refresh_token", "device_code", "jwt_bearer"};

 private:
  struct Key {
    std::string route;
    std::string credential;
    int code = 0;
  };
  struct KeyView {
    std::string_view route;
    std::string_view credential;
    int code = 0;
  };
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(const KeyView& k) const;
    size_t operator()(const Key& k) const {
      return (*this)(KeyView{k.route, k.credential, k.code});
    }
  };
  struct KeyEq {
    using is_transparent = void;
    static KeyView View(const Key& k) { return {k.route, k.credential, k.code}; }
    static KeyView View(const KeyView& k) { return k; }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      KeyView x = View(a), y = View(b);
      return x.code == y.code && x.route == y.route && x.credential == y.credential;
    }
  };
  struct alignas(64) RequestShard {
    mutable std::mutex mu;
    std::unordered_map<Key, uint64_t, KeyHash, KeyEq> counts;
  };
  std::map<std::tuple<std::string, std::string, int>, uint64_t> MergedRequests() const;

  std::unique_ptr<RequestShard[]> request_shards_;
  Histogram request_latency_;
  Histogram decisions_;
  std::array<std::atomic<uint64_t>, kGrantTypes.size() + 1> tokens_issued_{};  // + "other"
  std::atomic<uint64_t> flush_failures_{0};
  std::atomic<uint64_t> stats_dropped_{0};
  std::atomic<uint64_t> served_inline_{0};
  mutable std::mutex rehearsal_mu_;  // off the hot path: taken once per flushed batch row
  std::map<std::pair<std::string, bool>, uint64_t> rehearsal_requests_;
};

// The process-wide registry.
Registry& Metrics();

// Shards per registry, and this thread's shard (stable for the thread's lifetime).
inline constexpr size_t kShards = 16;
size_t ThisThreadShard();

// Prometheus label-value escaping: backslash, double quote and newline (text format 0.0.4).
std::string EscapeLabelValue(std::string_view v);

}  // namespace cozeauth::observe
