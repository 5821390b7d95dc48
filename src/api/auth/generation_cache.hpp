#pragma once
// GenerationCache: a ClockCache (clock_cache.hpp) that owns its generation — the invalidation
// counter its entries are tagged with — and counts its hits and misses. Invalidate() is O(1) and
// makes every entry loaded before it unreachable at once (old-generation entries are skipped by
// Find and evicted first). A load that races with an invalidation stores its value under the
// generation read before the load began, so it is never served after the invalidation.
//
// Thread-safe: the generation and the counters are atomics; the cache locks one shard for one
// map operation, never across the caller's load (store I/O runs unlocked).

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <utility>

#include "api/auth/clock_cache.hpp"
#include "base/blocking.hpp"

namespace cozeauth::api {

// Lookups answered from memory and lookups that had to read the store.
struct CacheCounts {
  uint64_t hits = 0;
  uint64_t misses = 0;
  CacheCounts& operator+=(const CacheCounts& o) {
    hits += o.hits;
    misses += o.misses;
    return *this;
  }
};

template <typename Key, typename Value, typename Hash = std::hash<Key>>
class GenerationCache {
 public:
  GenerationCache(size_t capacity, size_t shards) : cache_(capacity, shards) {}

  uint64_t Generation() const { return generation_.load(); }
  void Invalidate() { generation_.fetch_add(1); }

  // The value stored for `key` in `generation` (a hit), or nullopt (a miss). A miss is followed
  // by a store read: inside a NonBlockingScope it throws WouldBlock instead, uncounted — the
  // request's rerun on a worker counts it once (base/blocking.hpp).
  std::optional<Value> Find(const Key& key, uint64_t generation) {
    std::optional<Value> found = cache_.Find(key, generation);
    if (!found) MayBlockOrThrow();
    (found ? hits_ : misses_).fetch_add(1, std::memory_order_relaxed);
    return found;
  }
  // Stores `value`, loaded after reading `generation` (see Find).
  void Put(const Key& key, uint64_t generation, Value value) {
    cache_.Put(key, generation, std::move(value));
  }

  // The cached value of `key`, else `load()` — called without any lock — stored under the
  // generation read before it.
  template <typename Load>
  Value GetOrLoad(const Key& key, Load&& load) {
    const uint64_t generation = Generation();
    if (std::optional<Value> hit = Find(key, generation)) return std::move(*hit);
    Value value = load();
    cache_.Put(key, generation, value);
    return value;
  }

  CacheCounts Counts() const { return {hits_.load(), misses_.load()}; }
  size_t Size() const { return cache_.Size(); }

 private:
  ClockCache<Key, Value, Hash> cache_;
  std::atomic<uint64_t> generation_{1};
  std::atomic<uint64_t> hits_{0}, misses_{0};
};

}  // namespace cozeauth::api
