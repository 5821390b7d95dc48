#pragma once
// TokenCache: the authenticator's memory of bearer-token digests (issue 8, defect 5). Two
// bounded, sharded caches that never share space:
//  - known tokens: digests the store found (active, expired, revoked or app-disabled): at least
//    `capacity` of them stay cached, and hardly more (KnownCapacityFor), CLOCK (second-chance)
//    eviction;
//  - unknown digests: the store had no row, at most `unknown_capacity` of them, each remembered
//    for `unknown_ttl_millis` so a client repeating a bad token costs no store read.
// Admission to the known cache is the store lookup itself: only a digest the store found enters
// it, so no number of distinct garbage bearers can evict a known token — a flood only recycles
// the unknown cache.
//
// Every entry carries the generation it was loaded in (TokenVerifier's invalidation counter,
// bumped when the store's auth epoch moves). A lookup in another generation misses; an entry
// loaded before a bump carries the old generation and is never served after it.
//
// Thread-safe: each shard has its own mutex, held only for one map operation, never across store
// I/O. Values are immutable and shared.
//
// Memory (x86-64, libstdc++/glibc), measured by bench/auth_bench's BM_TokenCacheMemory: a known
// entry is its map node (digest, expiry, last use, the id inline, a pointer to its interned
// principal: 112 bytes, from its shard's pool, clock_cache.hpp), a bucket and a CLOCK ring slot —
// ~140 bytes, so 1M tokens ≈ 134 MiB. The principal itself is shared by every token of the same
// shape (TokenVerifier interns them: a user's PATs with one grant, an app's tokens in one place),
// not copied per token. An unknown entry ~90 bytes.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>

#include "api/auth/clock_cache.hpp"
#include "base/clock.hpp"
#include "base/crypto.hpp"
#include "policy/decision.hpp"

namespace cozeauth::api {

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

// A token's id, held inline: no allocation per cached token. Issued ids are 19 decimal digits
// (base/ids.hpp); anything longer than kMax is not an id we issued and is never cached.
class TokenId {
 public:
  static constexpr size_t kMax = 23;
  TokenId() = default;
  // False (and empty) when `id` is longer than kMax.
  bool Assign(std::string_view id) {
    if (id.size() > kMax) return false;
    std::memcpy(chars_.data(), id.data(), id.size());
    size_ = static_cast<uint8_t>(id.size());
    return true;
  }
  std::string_view view() const { return {chars_.data(), size_}; }
  bool empty() const { return size_ == 0; }

 private:
  std::array<char, kMax> chars_{};
  uint8_t size_ = 0;
};

// A token's last_used_at is recorded at most once per this many seconds (the first use after
// it is recorded, later ones within it are not): the store sees one write per active token per
// interval, not one per request or per flush. The console's "last used" is therefore at most
// this old (GitLab throttles its access tokens' last-used time the same way).
inline constexpr int64_t kLastUsedIntervalSeconds = 600;

// What the hot path keeps for a digest the store found: the token's id, its expiry, checked per
// request because it depends on the time of the request, its principal (built once per
// generation, with app status and cross-account grants, and interned) and the last use
// recorded. Stored by value in the cache's map node: no allocation of its own.
struct CachedToken {
  int64_t expires_at = -1;    // Unix seconds; -1: never
  int64_t last_used_at = -1;  // the last use recorded, or the store's when loaded; -1: never
  TokenId id;
  std::shared_ptr<const policy::Principal> principal;  // never null

  // Whether a use at `now_seconds` (>= 0) is one to record: the first, or the first a whole
  // interval after the last one recorded (a use before that one — a clock step back — is not).
  // Notes it as recorded.
  bool NoteUse(int64_t now_seconds) {
    // Both times are >= 0 here: the difference cannot overflow.
    if (last_used_at >= 0 && now_seconds - last_used_at < kLastUsedIntervalSeconds) return false;
    last_used_at = now_seconds;
    return true;
  }
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
  size_t known_capacity = 0, unknown_capacity = 0;  // KnownCapacity(), UnknownCapacity()
};

class TokenCache {
 public:
  // `clock` times unknown entries (monotonic); it must outlive the cache.
  TokenCache(const TokenCacheOptions& options, const Clock& clock);

  struct Lookup {
    std::optional<CachedToken> known;  // set: the store found this digest
    bool unknown = false;              // the store had no row, recently
    bool record_use = false;           // known, and this use is one to record (NoteUse)
    bool hit() const { return known.has_value() || unknown; }
  };
  // A use at `now_seconds` of the digest's token, if cached: noted in its entry (NoteUse).
  Lookup Find(const TokenDigest& digest, uint64_t generation, int64_t now_seconds);
  void PutKnown(const TokenDigest& digest, uint64_t generation, CachedToken token);
  void PutUnknown(const TokenDigest& digest, uint64_t generation);

  TokenCacheStats Stats() const;
  size_t KnownCapacity() const { return known_.Capacity(); }
  // The known cache's size for `capacity` tokens over `shards`. Each shard holds an equal share
  // and evicts when full, so `capacity` distinct tokens spread unevenly would start evicting
  // before the total is reached — and a working set cycled through a cache even slightly too
  // small misses on every lookup (CLOCK, like LRU, keeps none of a cycle longer than itself).
  // So from shares of 1024 up each shard gets five standard deviations of the binomial spread
  // on top: `capacity` active tokens stay cached (1M over 16 shards: +1.9 %, 1,019,376).
  static size_t KnownCapacityFor(size_t capacity, size_t shards);
  size_t UnknownCapacity() const { return unknown_.Capacity(); }

 private:
  const Clock& clock_;
  const int64_t unknown_ttl_millis_;
  ClockCache<TokenDigest, CachedToken, TokenDigestHash> known_;
  ClockCache<TokenDigest, int64_t, TokenDigestHash> unknown_;  // value: expiry, monotonic ms
};

}  // namespace cozeauth::api
