#include "observe/request_stats.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <tuple>
#include <utility>

#include "base/checked.hpp"
#include "base/thread_name.hpp"

namespace cozeauth::observe {
namespace {

size_t Mix(size_t h, size_t v) { return h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2)); }

}  // namespace

size_t RequestStats::KeyHash::operator()(const KeyView& k) const {
  std::hash<std::string_view> hs;
  size_t h = hs(k.token_id);
  h = Mix(h, hs(k.route));
  h = Mix(h, hs(k.kind));
  h = Mix(h, hs(k.permission));
  h = Mix(h, std::hash<int>{}(k.code));
  return Mix(h, std::hash<int64_t>{}(k.minute));
}

size_t RequestStats::KeyHash::operator()(const Key& k) const {
  return (*this)(KeyView{k.token_id, k.kind, k.route, k.permission, k.code, k.minute});
}

bool RequestStats::KeyEq::operator()(const KeyView& a, const KeyView& b) const {
  return a.code == b.code && a.minute == b.minute && a.token_id == b.token_id &&
         a.route == b.route && a.kind == b.kind && a.permission == b.permission;
}
bool RequestStats::KeyEq::operator()(const Key& a, const KeyView& b) const {
  return (*this)(KeyView{a.token_id, a.kind, a.route, a.permission, a.code, a.minute}, b);
}
bool RequestStats::KeyEq::operator()(const KeyView& a, const Key& b) const { return (*this)(b, a); }
bool RequestStats::KeyEq::operator()(const Key& a, const Key& b) const {
  return (*this)(a, KeyView{b.token_id, b.kind, b.route, b.permission, b.code, b.minute});
}

RequestStats::RequestStats(store::Store& store, const Clock& clock, Registry& metrics)
    : store_(store),
      clock_(clock),
      metrics_(metrics),
      shards_(std::make_unique<Shard[]>(kShards)) {}

RequestStats::~RequestStats() { Stop(); }

void RequestStats::Record(std::string_view token_id, std::string_view credential_kind,
                          std::string_view route, std::string_view permission, int code) {
  if (token_id.empty()) return;
  const KeyView key{token_id, credential_kind, route, permission, code, clock_.NowSeconds() / 60};
  Shard& shard = shards_[ThisThreadShard()];
  std::lock_guard lock(shard.mu);
  auto it = shard.counts.find(key);
  if (it != shard.counts.end()) {
    ++it->second;
    return;
  }
  ++shard.taken;
  if (!shard.spare.empty()) {
    // A forgotten key's node, strings and all: assigning into them allocates nothing when the
    // new key's strings fit (token ids are all of one length).
    Counts::node_type node = std::move(shard.spare.back());
    shard.spare.pop_back();
    Key& k = node.key();
    k.token_id.assign(token_id);
    k.kind.assign(credential_kind);
    k.route.assign(route);
    k.permission.assign(permission);
    k.code = code;
    k.minute = key.minute;
    node.mapped() = 1;
    shard.counts.insert(std::move(node));
    return;
  }
  ++shard.allocated;
  shard.counts.emplace(Key{std::string(token_id), std::string(credential_kind), std::string(route),
                           std::string(permission), code, key.minute},
                       1);
}

uint64_t RequestStats::NodesAllocated() const {
  uint64_t n = 0;
  for (size_t s = 0; s < kShards; ++s) {
    std::lock_guard lock(shards_[s].mu);
    n += shards_[s].allocated;
  }
  return n;
}

Status RequestStats::Flush() {
  std::lock_guard flush_lock(flush_mu_);
  std::array<size_t, kShards> spare_caps{};
  size_t rows = pending_.size();
  for (size_t s = 0; s < kShards; ++s) {
    Shard& shard = shards_[s];
    // Only swaps under the shard's lock: the thread recording into it (the I/O thread, under
    // load) waits for two pointer swaps and a splice, not for a walk over every key it saw.
    std::lock_guard lock(shard.mu);
    shard.counts.swap(shard.draining);
    const size_t spare_cap = spare_caps[s] = std::max(shard.taken, shard.taken_before);
    shard.taken_before = std::exchange(shard.taken, 0);
    // The nodes drained at the last flush become this interval's spares, as many as one of
    // the last two intervals took: memory follows the credentials in use, and neither steady
    // traffic nor a stream of ever-new credentials allocates per request.
    if (shard.spare.empty()) shard.spare.swap(shard.recycled);
    while (!shard.recycled.empty() && shard.spare.size() < spare_cap) {
      shard.spare.push_back(std::move(shard.recycled.back()));
      shard.recycled.pop_back();
    }
    // Spares past the bound (the traffic fell) are freed below, outside the lock.
    while (shard.spare.size() > spare_cap) {
      shard.recycled.push_back(std::move(shard.spare.back()));
      shard.spare.pop_back();
    }
    rows += shard.draining.size();
  }
  // One row per key, viewing the drained maps' keys (and the rows refused last time) where they
  // are: copied, every row cost four strings, their allocations, and a sort that moved them.
  // The vector keeps its room from one flush to the next, and gives it back only when the rows
  // fall well below it.
  if (batch_.capacity() > 4 * rows) batch_ = {};
  if (held_.capacity() > 4 * rows) held_ = std::vector<Counts::node_type>();
  batch_.clear();
  batch_.reserve(rows);
  for (const store::RequestStat& p : pending_) batch_.push_back(store::ViewOf(p));
  // The drained nodes are taken out of their maps as they are walked (one pass over memory the
  // recording thread left cold), and held until the write is done: a node handle keeps its key
  // where it is.
  held_.clear();
  held_.reserve(rows - pending_.size());
  std::array<size_t, kShards + 1> held_from{};
  for (size_t s = 0; s < kShards; ++s) {
    held_from[s] = held_.size();
    auto& drained = shards_[s].draining;
    for (auto it = drained.begin(); it != drained.end();) {
      Counts::node_type node = drained.extract(it++);
      const Key& k = node.key();
      batch_.push_back(store::RequestStatView{k.token_id, k.kind, k.route, k.permission, k.code,
                                              k.minute, node.mapped()});
      held_.push_back(std::move(node));
    }
  }
  held_from[kShards] = held_.size();
  Status written;
  if (!batch_.empty()) {
    // One row per (minute, token, route, code): a key counted by two threads' shards, or also
    // refused last time, is summed. The store's key order, so the upserts walk its B-tree
    // forwards.
    auto order = [](const store::RequestStatView& a, const store::RequestStatView& b) {
      return std::tie(a.minute, a.token_id, a.route, a.code) <
             std::tie(b.minute, b.token_id, b.route, b.code);
    };
    std::sort(batch_.begin(), batch_.end(), order);
    size_t kept = 0;
    for (size_t i = 0; i < batch_.size(); ++i) {
      if (kept > 0 && !order(batch_[kept - 1], batch_[i])) {
        batch_[kept - 1].count += batch_[i].count;
      } else {
        batch_[kept++] = batch_[i];
      }
    }
    batch_.resize(kept);
    written = store_.AddRequestStats(std::span<const store::RequestStatView>(batch_));
    if (written) {
      pending_.clear();
    } else {
      metrics_.StatsFlushFailed();
      // Kept for the next flush, owned (the views point into nodes recycled below), up to the
      // bound: past it, the oldest minutes' rows are dropped, and counted.
      const size_t dropped = batch_.size() > kMaxPending ? batch_.size() - kMaxPending : 0;
      if (dropped > 0) metrics_.StatsRowsDropped(dropped);
      std::vector<store::RequestStat> refused;
      refused.reserve(batch_.size() - dropped);
      for (size_t i = dropped; i < batch_.size(); ++i) {
        const store::RequestStatView& v = batch_[i];
        refused.push_back(store::RequestStat{std::string(v.token_id),
                                             std::string(v.credential_kind), std::string(v.route),
                                             std::string(v.permission), v.code, v.minute, v.count});
      }
      pending_ = std::move(refused);
    }
    batch_.clear();
  }
  // The interval's nodes, now that no row views them: kept for the next flush's spares up to
  // the same bound; the rest are freed.
  for (size_t s = 0; s < kShards; ++s) {
    Shard& shard = shards_[s];
    shard.recycled.clear();
    for (size_t i = held_from[s]; i < held_from[s + 1] && shard.recycled.size() < spare_caps[s];
         ++i) {
      shard.recycled.push_back(std::move(held_[i]));
    }
  }
  held_.clear();
  return written;
}

Result<int64_t> RequestStats::PurgeOlderThan(std::chrono::seconds retention) {
  // The first minute kept is the one holding now - retention (rounded down, also before the
  // epoch); saturating, so a retention past the epoch keeps everything instead of wrapping.
  const int64_t cutoff = SaturatingAdd(clock_.NowSeconds(), -retention.count());
  const int64_t first_kept = cutoff / 60 - (cutoff % 60 < 0 ? 1 : 0);
  return store_.PurgeRequestStats(first_kept);
}

void RequestStats::Start(std::chrono::milliseconds interval, std::chrono::seconds retention) {
  std::lock_guard lock(loop_mu_);
  if (thread_.joinable() || stop_) return;
  thread_ = std::thread([this, interval, retention] {
    NameThisThread("cz-stats");
    Loop(interval, retention);
  });
}

void RequestStats::Stop() {
  {
    std::lock_guard lock(loop_mu_);
    if (stop_) return;
    stop_ = true;
  }
  loop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (Status s = Flush(); !s) {
    std::fprintf(stderr, "cozeauth: request statistics lost at shutdown: %s\n",
                 s.error().message.c_str());
  }
}

void RequestStats::Loop(std::chrono::milliseconds interval, std::chrono::seconds retention) {
  std::unique_lock lock(loop_mu_);
  int64_t purged_in = std::numeric_limits<int64_t>::min();  // the minute of the last purge
  while (!loop_cv_.wait_for(lock, interval, [this] { return stop_; })) {
    lock.unlock();
    (void)Flush();  // a failure is counted and the batch retried next time
    if (const int64_t minute = clock_.NowSeconds() / 60; minute != purged_in) {
      purged_in = minute;
      if (auto removed = PurgeOlderThan(retention); !removed) {
        std::fprintf(stderr,
                     "cozeauth: purging request statistics failed (retried in a minute): %s\n",
                     removed.error().message.c_str());
      }
    }
    lock.lock();
  }
}

void RecordRequest(const RequestRecord& e, Registry& metrics, RequestStats* stats) {
  metrics.CountRequest(e.route, e.credential, e.code, std::chrono::microseconds(e.latency_us));
  if (e.served_inline) metrics.CountServedInline();
  if (stats != nullptr && !e.token_id.empty()) {
    stats->Record(e.token_id, e.credential, e.route, e.permission, e.code);
  }
}

}  // namespace cozeauth::observe
