#pragma once
// RequestStats: per-credential request counts, aggregated in memory per (token id, credential
// kind, route pattern, permission point, business code, minute) and written to the store in
// batches by a background thread (Store::AddRequestStats: one transaction per batch, counts
// added to the stored ones) — never a store write on the request path. `cozeauth observe` and
// the console's observe endpoint read them back (observe/credential_report.hpp).
//
// Record() is the hot path: a thread-local shard (an uncontended mutex) and a hash lookup with a
// string_view key. Flush() swaps each shard's map for an empty one under the shard's lock and
// walks the full one outside it, so the recording thread never waits for a walk over the keys
// (47k of them each second on the I/O thread with a million tokens cycled). Every key starts
// afresh each interval: memory follows the credentials in use, not all those seen in the
// minute. A drained key's map node is kept for the interval after next (as many as the shard
// took in one of the last two intervals) and given back to Record for a new key, so neither
// steady traffic on a few credentials nor a stream of ever-new ones (a million tokens cycled)
// allocates per request. A batch the store refuses is kept (bounded by kMaxPending rows) and
// retried at the next flush; beyond the bound the oldest rows are dropped and counted in the
// metrics registry.
//
// Visibility: a request is in the store at most `interval` (1 s by default) after it was
// answered, and at Stop() (server shutdown), which flushes the rest.
//
// Retention: the flushing thread deletes the stats of minutes older than `retention` (`serve
// --stats-retention-days`, 90 days by default) once a minute, so the table follows the window
// operators look at (`cozeauth observe --since`, a migration's before and after), not the
// server's age. A failed purge is reported on stderr and retried a minute later.
//
// Thread safety: Record() and Flush() from any thread; Start() and Stop() from one thread.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "base/clock.hpp"
#include "base/request_record.hpp"
#include "base/result.hpp"
#include "observe/metrics.hpp"
#include "store/store.hpp"

namespace cozeauth::observe {

class RequestStats {
 public:
  static constexpr size_t kMaxPending = 100'000;

  RequestStats(store::Store& store, const Clock& clock, Registry& metrics = Metrics());
  ~RequestStats();
  RequestStats(const RequestStats&) = delete;
  RequestStats& operator=(const RequestStats&) = delete;

  // One request attributed to a credential; ignored when token_id is empty.
  void Record(std::string_view token_id, std::string_view credential_kind, std::string_view route,
              std::string_view permission, int code);

  // Launches the flushing thread (every `interval`), which also purges the stats older than
  // `retention` once a minute.
  void Start(std::chrono::milliseconds interval, std::chrono::seconds retention);
  // Stops the thread and flushes what is left. Idempotent.
  void Stop();
  // Writes everything recorded so far as one batch now.
  Status Flush();
  // Deletes the stored stats of the minutes that began more than `retention` ago (by the
  // clock). Rows removed.
  Result<int64_t> PurgeOlderThan(std::chrono::seconds retention);
  // Map nodes allocated so far: what recycling keeps flat (tests).
  uint64_t NodesAllocated() const;

 private:
  struct Key {
    std::string token_id, kind, route, permission;
    int code = 0;
    int64_t minute = 0;
  };
  struct KeyView {
    std::string_view token_id, kind, route, permission;
    int code = 0;
    int64_t minute = 0;
  };
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(const KeyView& k) const;
    size_t operator()(const Key& k) const;
  };
  struct KeyEq {
    using is_transparent = void;
    bool operator()(const KeyView& a, const KeyView& b) const;
    bool operator()(const Key& a, const KeyView& b) const;
    bool operator()(const KeyView& a, const Key& b) const;
    bool operator()(const Key& a, const Key& b) const;
  };
  using Counts = std::unordered_map<Key, int64_t, KeyHash, KeyEq>;
  struct alignas(64) Shard {
    mutable std::mutex mu;
    Counts counts;
    std::vector<Counts::node_type> spare;  // drained keys' nodes, reused by Record
    size_t taken = 0;                      // new keys since the last flush
    size_t taken_before = 0;               // new keys in the interval before
    uint64_t allocated = 0;                // nodes allocated, ever
    // Flush's own (under flush_mu_, not mu): the map it drains, swapped with `counts`, and the
    // nodes it drained, handed to `spare` at the next flush.
    Counts draining;
    std::vector<Counts::node_type> recycled;
  };

  void Loop(std::chrono::milliseconds interval, std::chrono::seconds retention);

  store::Store& store_;
  const Clock& clock_;
  Registry& metrics_;
  std::unique_ptr<Shard[]> shards_;

  std::mutex flush_mu_;  // one flush at a time; guards pending_, batch_ and held_
  std::vector<store::RequestStat> pending_;  // refused by the store, retried
  // A flush's rows, and the drained nodes they view, held until the write; their room is kept
  // between flushes.
  std::vector<store::RequestStatView> batch_;
  std::vector<Counts::node_type> held_;

  std::mutex loop_mu_;
  std::condition_variable loop_cv_;
  bool stop_ = false;
  std::thread thread_;
};

// What the server reports for each answered request (http::ServerOptions::on_request,
// base/request_record.hpp): the request counters and latency histogram, and the per-credential
// stats when a credential was identified (entry.token_id). `stats` may be null (metrics only).
void RecordRequest(const RequestRecord& entry, Registry& metrics, RequestStats* stats);

}  // namespace cozeauth::observe
