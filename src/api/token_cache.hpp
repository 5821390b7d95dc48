#pragma once
// TokenCache: the authenticator's memory of bearer-token digests (issue 8, defect 5). Two
// bounded, sharded caches that never share space:
//  - known tokens: digests the store found (active, expired, revoked or app-disabled), at most
//    `capacity` of them, CLOCK (second-chance) eviction;
//  - unknown digests: the store had no row, at most `unknown_capacity` of them, each remembered
//    for `unknown_ttl_millis` so a client repeating a bad token costs no store read.
// Admission to the known cache is the store lookup itself: only a digest the store found enters
// it, so no number of distinct garbage bearers can evict a known token — a flood only recycles
// the unknown cache.
//
// Every entry carries the generation it was loaded in (the Authenticator's invalidation counter,
// bumped when the store's auth epoch moves). A lookup in another generation misses; an entry
// loaded before a bump carries the old generation and is never served after it.
//
// Thread-safe: each shard has its own mutex, held only for one map operation, never across store
// I/O. Values are immutable and shared.
//
// Memory (x86-64, libstdc++/glibc), measured by bench/auth_bench's BM_TokenCacheMemory: a known
// entry costs ~613 bytes — ~100 of cache structure (map node 80 with malloc's header, bucket 8,
// CLOCK ring 8), the rest one allocation holding CachedToken and its Principal with its strings
// (19-digit ids, one permission) — so 1M tokens ≈ 585 MiB; an unknown entry ~103 bytes.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "base/clock.hpp"
#include "base/crypto.hpp"
#include "policy/decision.hpp"

namespace cozeauth::api {

// ClockCache: a bounded map with CLOCK eviction and generation-tagged entries, split into shards
// that each hold an equal share of the capacity (a full shard evicts, even if another has room).
// Eviction in a full shard takes, from the clock hand on, the first entry of an older generation
// or the first not found since the hand last passed it (a found entry gets a second chance); a
// newly stored entry has not been found yet, so a one-off entry goes before a reused one.
// Thread-safe; Value is copied out under the shard lock (keep it small: a shared_ptr, an int).
template <typename Key, typename Value, typename Hash>
class ClockCache {
 public:
  ClockCache(size_t capacity, size_t shards)
      : shard_count_(std::max<size_t>(1, std::min(shards, capacity))),
        per_shard_(std::max<size_t>(1, (capacity + shard_count_ - 1) / shard_count_)),
        shards_(std::make_unique<Shard[]>(shard_count_)) {}

  // The value stored for `key` in `generation` (and marks it used); nullopt otherwise.
  std::optional<Value> Find(const Key& key, uint64_t generation) {
    Shard& s = ShardOf(key);
    std::lock_guard lock(s.mu);
    auto it = s.map.find(key);
    if (it == s.map.end() || it->second.generation != generation) return std::nullopt;
    it->second.referenced = true;
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
  using Map = std::unordered_map<Key, Entry, Hash>;
  struct Shard {
    mutable std::mutex mu;
    Map map;
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

using TokenDigest = Sha256Digest;  // SHA-256 of the bearer string

// The digest is uniformly distributed: its first 8 bytes are the hash. Unknown digests are
// attacker-chosen only through SHA-256, and chains grown by grinding would slow only the
// unknown cache's own shard, never a known-token lookup (known digests come from the store).
struct TokenDigestHash {
  size_t operator()(const TokenDigest& d) const noexcept {
    uint64_t h;
    std::memcpy(&h, d.data(), sizeof h);
    return static_cast<size_t>(h);
  }
};

// What the hot path keeps for a digest the store found: the principal (built once per
// generation, with app status and cross-account grants) and the expiry, which is checked per
// request because it depends on the time of the request. One allocation.
struct CachedToken {
  int64_t expires_at = -1;  // Unix seconds; -1: never
  policy::Principal principal;
};

struct TokenCacheOptions {
  size_t capacity = 1'000'000;  // known tokens (serve's --token-cache-capacity)
  size_t unknown_capacity = 65'536;
  int64_t unknown_ttl_millis = 60'000;
  size_t shards = 16;
};

struct TokenCacheStats {
  size_t known = 0, unknown = 0;  // entries held (including entries of older generations)
  uint64_t known_evictions = 0, unknown_evictions = 0;
};

class TokenCache {
 public:
  // `clock` times unknown entries (monotonic); it must outlive the cache.
  TokenCache(const TokenCacheOptions& options, const Clock& clock);

  struct Lookup {
    std::shared_ptr<const CachedToken> known;  // set: the store found this digest
    bool unknown = false;                      // the store had no row, recently
    bool hit() const { return known != nullptr || unknown; }
  };
  Lookup Find(const TokenDigest& digest, uint64_t generation);
  void PutKnown(const TokenDigest& digest, uint64_t generation,
                std::shared_ptr<const CachedToken> token);
  void PutUnknown(const TokenDigest& digest, uint64_t generation);

  TokenCacheStats Stats() const;
  size_t KnownCapacity() const { return known_.Capacity(); }
  size_t UnknownCapacity() const { return unknown_.Capacity(); }

 private:
  const Clock& clock_;
  const int64_t unknown_ttl_millis_;
  ClockCache<TokenDigest, std::shared_ptr<const CachedToken>, TokenDigestHash> known_;
  ClockCache<TokenDigest, int64_t, TokenDigestHash> unknown_;  // value: expiry, monotonic ms
};

}  // namespace cozeauth::api
