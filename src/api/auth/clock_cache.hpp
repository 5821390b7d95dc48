#pragma once
// ClockCache: the bounded, sharded, generation-tagged map under every authenticator cache
// (tokens, unknown digests, decision facts, bots, app status). The contract is the class comment
// below; GenerationCache (generation_cache.hpp) adds an owned generation and hit counts.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

namespace cozeauth::api {

// ClockCache: a bounded map with CLOCK eviction and generation-tagged entries, split into shards
// that each hold an equal share of the capacity (a full shard evicts, even if another has room).
// Eviction in a full shard takes, from the clock hand on, the first entry of an older generation
// or the first not found since the hand last passed it (a found entry gets a second chance); a
// newly stored entry has not been found yet, so a one-off entry goes before a reused one.
// Thread-safe; Value is copied out under the shard lock (keep it small: a shared_ptr, an int, a
// CachedToken).
//
// Memory: each shard's map nodes come from a pool of its own (kPoolChunk nodes a chunk), used
// only under the shard's lock: nodes packed without malloc's per-allocation header, an evicted
// entry's node reused by the next insert, and none interleaved with the short-lived allocations
// of the threads that fill the cache in malloc's per-thread arenas, where freed request garbage
// between live nodes stayed resident. Bucket arrays past the first few (above kPoolBlock) come
// from malloc and are freed on rehash. A pool keeps its chunks until the cache is destroyed: no
// more than its shard's share of nodes plus one chunk, and the first few bucket arrays.
// (Measured: bench/auth_bench's BM_TokenCacheMemory, 152 -> 140 bytes a known token;
// bench/compare.sh's resident memory after a million tokens cycled, 245 -> 203 MiB.)
template <typename Key, typename Value, typename Hash>
class ClockCache {
 public:
  ClockCache(size_t capacity, size_t shards)
      : shard_count_(std::max<size_t>(1, std::min(shards, capacity))),
        per_shard_(std::max<size_t>(1, (capacity + shard_count_ - 1) / shard_count_)),
        shards_(std::make_unique<Shard[]>(shard_count_)) {}

  // The value stored for `key` in `generation` (and marks it used); nullopt otherwise.
  std::optional<Value> Find(const Key& key, uint64_t generation) {
    return Find(key, generation, [](Value&) {});
  }
  // Likewise, first calling `update(value)` on the stored value under the shard lock (a
  // bookkeeping field the entry keeps: it must not throw).
  template <typename Update>
  std::optional<Value> Find(const Key& key, uint64_t generation, Update&& update) {
    Shard& s = ShardOf(key);
    std::lock_guard lock(s.mu);
    auto it = s.map.find(key);
    if (it == s.map.end() || it->second.generation != generation) return std::nullopt;
    it->second.referenced = true;
    update(it->second.value);
    return it->second.value;
  }

  // Stores `value`, loaded in `generation`. An entry of a newer generation (a concurrent load
  // that began after an invalidation) is kept. Evicts one entry when the shard is full.
  void Put(const Key& key, uint64_t generation, Value value) {
    Shard& s = ShardOf(key);
    std::lock_guard lock(s.mu);
    if (auto it = s.map.find(key); it != s.map.end()) {
      Entry& e = it->second;
      if (e.generation > generation) return;
      e.value = std::move(value);
      e.generation = generation;
      return;
    }
    if (s.map.size() < per_shard_) {
      auto it = s.map.emplace(key, Entry{std::move(value), generation, false}).first;
      s.ring.push_back(&*it);
      return;
    }
    // Full: sweep. Ends within one turn, since a turn clears every `referenced`.
    while (true) {
      Entry& e = s.ring[s.hand]->second;
      if (e.generation < generation || !e.referenced) break;
      e.referenced = false;
      s.hand = (s.hand + 1) % s.ring.size();
    }
    // Insert before erasing, so a failed allocation leaves the ring intact; node pointers
    // (unlike iterators) survive the rehash an insert may do.
    auto* victim = s.ring[s.hand];
    auto* inserted = &*s.map.emplace(key, Entry{std::move(value), generation, false}).first;
    s.map.erase(s.map.find(victim->first));
    s.ring[s.hand] = inserted;
    s.hand = (s.hand + 1) % s.ring.size();
    ++s.evictions;
  }

  size_t Size() const {
    size_t n = 0;
    for (size_t i = 0; i < shard_count_; ++i) {
      std::lock_guard lock(shards_[i].mu);
      n += shards_[i].map.size();
    }
    return n;
  }
  uint64_t Evictions() const {
    uint64_t n = 0;
    for (size_t i = 0; i < shard_count_; ++i) {
      std::lock_guard lock(shards_[i].mu);
      n += shards_[i].evictions;
    }
    return n;
  }
  // The most entries held: the capacity rounded up to a multiple of the shard count.
  size_t Capacity() const { return per_shard_ * shard_count_; }

 private:
  struct Entry {
    Value value;
    uint64_t generation;
    bool referenced;  // found since the clock hand last passed
  };
  using Map = std::pmr::unordered_map<Key, Entry, Hash>;
  static constexpr size_t kPoolChunk = 256;  // nodes a chunk: at most that many unused a shard
  static constexpr size_t kPoolBlock = 256;  // bytes: the largest block pooled (a map node)
  struct Shard {
    mutable std::mutex mu;
    std::pmr::unsynchronized_pool_resource pool{std::pmr::pool_options{
        .max_blocks_per_chunk = kPoolChunk, .largest_required_pool_block = kPoolBlock}};
    // After pool, which outlives it.
    Map map{typename Map::allocator_type(&pool)};
    // CLOCK order; node pointers stay valid across rehashing.
    std::vector<typename Map::value_type*> ring;
    size_t hand = 0;
    uint64_t evictions = 0;
  };

  Shard& ShardOf(const Key& key) {
    // A finalizer (splitmix64) so the shard index is independent of the bucket index.
    uint64_t h = Hash{}(key);
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
    return shards_[(h ^ (h >> 31)) % shard_count_];
  }

  const size_t shard_count_;
  const size_t per_shard_;
  std::unique_ptr<Shard[]> shards_;
};

}  // namespace cozeauth::api
