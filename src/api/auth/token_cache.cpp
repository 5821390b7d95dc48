#include "api/auth/token_cache.hpp"

#include <algorithm>
#include <cmath>

#include "base/checked.hpp"

namespace cozeauth::api {

size_t TokenCache::KnownCapacityFor(size_t capacity, size_t shards) {
  shards = std::max<size_t>(1, std::min(shards, capacity));
  const double share = static_cast<double>(capacity) / static_cast<double>(shards);
  if (share < 1024) return capacity;
  // Digests spread binomially over the shards: five standard deviations of slack a shard.
  const double sigma = std::sqrt(share * (1.0 - 1.0 / static_cast<double>(shards)));
  return capacity + shards * static_cast<size_t>(std::ceil(5 * sigma));
}

TokenCache::TokenCache(const TokenCacheOptions& options, const Clock& clock)
    : clock_(clock),
      unknown_ttl_millis_(options.unknown_ttl_millis),
      known_(KnownCapacityFor(options.capacity, options.shards), options.shards),
      unknown_(options.unknown_capacity, options.shards) {}

TokenCache::Lookup TokenCache::Find(const TokenDigest& digest, uint64_t generation,
                                    int64_t now_seconds) {
  Lookup out;
  auto note_use = [&](CachedToken& t) { out.record_use = t.NoteUse(now_seconds); };
  if (auto known = known_.Find(digest, generation, note_use)) {
    out.known = std::move(*known);
    return out;
  }
  // A known token never has a live unknown entry in the same generation (it is only stored on
  // a miss that found no row), so checking the known cache first costs a valid token nothing.
  if (auto expires = unknown_.Find(digest, generation)) {
    out.unknown = clock_.MonotonicMillis() < *expires;
  }
  return out;
}

void TokenCache::PutKnown(const TokenDigest& digest, uint64_t generation, CachedToken token) {
  known_.Put(digest, generation, std::move(token));
}

void TokenCache::PutUnknown(const TokenDigest& digest, uint64_t generation) {
  unknown_.Put(digest, generation, SaturatingAdd(clock_.MonotonicMillis(), unknown_ttl_millis_));
}

TokenCacheStats TokenCache::Stats() const {
  return {.known = known_.Size(),
          .unknown = unknown_.Size(),
          .known_evictions = known_.Evictions(),
          .unknown_evictions = unknown_.Evictions(),
          .known_capacity = known_.Capacity(),
          .unknown_capacity = unknown_.Capacity()};
}

}  // namespace cozeauth::api
