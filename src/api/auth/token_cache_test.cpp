// TokenCache and ClockCache: a garbage flood never evicts a known token, CLOCK keeps what is
// used, generations invalidate, unknown entries expire and stay bounded (issue 8, defect 5).
#include "api/auth/token_cache.hpp"

#include <gtest/gtest.h>

#include <string>

namespace cozeauth::api {
namespace {

// Distinct digests without hashing: a counter in the first bytes (the hash) and a tag.
TokenDigest Digest(uint64_t n, unsigned char tag = 0) {
  TokenDigest d{};
  // Spread the counter so consecutive values land in different buckets and shards.
  uint64_t h = (n + 1) * 0x9e3779b97f4a7c15ULL;
  std::memcpy(d.data(), &h, sizeof h);
  std::memcpy(d.data() + 8, &n, sizeof n);
  d[31] = tag;
  return d;
}

CachedToken Token(const std::string& id) {
  static const auto kActive = [] {
    auto p = std::make_shared<policy::Principal>();
    p->state = policy::CredentialState::kActive;
    return p;
  }();
  CachedToken t;
  EXPECT_TRUE(t.id.Assign(id));
  t.principal = kActive;
  return t;
}

constexpr uint64_t kGen = 7;
constexpr int64_t kNow = 1'750'000'000;  // Unix seconds

TEST(TokenCache, UnknownFloodEvictsNoKnownToken) {
  FakeClock clock;
  TokenCacheOptions o;
  o.capacity = 1024;  // 64 a shard: room for the 64 known tokens however they spread
  o.unknown_capacity = 32;
  TokenCache cache(o, clock);
  for (uint64_t i = 0; i < 64; ++i) cache.PutKnown(Digest(i), kGen, Token(std::to_string(i)));
  // The old cache (one map, a shard cleared whole when full) lost every entry to this.
  constexpr uint64_t kFlood = 100'000;  // >> both capacities
  for (uint64_t i = 0; i < kFlood; ++i) {
    const TokenDigest garbage = Digest(i, 0xff);
    EXPECT_FALSE(cache.Find(garbage, kGen, kNow).hit());  // each is new: a miss, then remembered
    cache.PutUnknown(garbage, kGen);
  }
  for (uint64_t i = 0; i < 64; ++i) {
    auto found = cache.Find(Digest(i), kGen, kNow);
    ASSERT_TRUE(found.known) << i;
    EXPECT_EQ(found.known->id.view(), std::to_string(i));
  }
  const TokenCacheStats s = cache.Stats();
  EXPECT_EQ(s.known, 64u);
  EXPECT_EQ(s.known_evictions, 0u);
  EXPECT_LE(s.unknown, cache.UnknownCapacity());
  EXPECT_GE(s.unknown_evictions, kFlood - cache.UnknownCapacity());
}

// A working set as large as the capacity stays cached however the digests spread over the shards.
TEST(TokenCache, AWorkingSetOfTheCapacityStaysCached) {
  FakeClock clock;
  TokenCacheOptions o;
  o.capacity = 64 * 1024;  // 4096 a shard
  o.unknown_capacity = 16;
  TokenCache cache(o, clock);
  EXPECT_GE(cache.KnownCapacity(), o.capacity);
  EXPECT_LE(cache.KnownCapacity(), o.capacity * 11 / 10);
  for (uint64_t i = 0; i < o.capacity; ++i) {
    cache.PutKnown(Sha256("token " + std::to_string(i)), kGen, Token(std::to_string(i)));
  }
  EXPECT_EQ(cache.Stats().known_evictions, 0u);
  for (uint64_t round = 0; round < 2; ++round) {
    for (uint64_t i = 0; i < o.capacity; ++i) {
      ASSERT_TRUE(cache.Find(Sha256("token " + std::to_string(i)), kGen, kNow).known) << i;
    }
  }
  // Small caches are exact (the tests below count evictions).
  EXPECT_EQ(TokenCache::KnownCapacityFor(100, 16), 100u);
}

TEST(TokenCache, RepeatedGarbageIsAnsweredFromMemory) {
  FakeClock clock;
  TokenCache cache({.capacity = 8}, clock);
  const TokenDigest garbage = Digest(1, 0xff);
  EXPECT_FALSE(cache.Find(garbage, kGen, kNow).hit());
  cache.PutUnknown(garbage, kGen);
  auto found = cache.Find(garbage, kGen, kNow);
  EXPECT_TRUE(found.unknown);
  EXPECT_FALSE(found.known);
  EXPECT_EQ(cache.Stats().known, 0u);  // never admitted to the known cache
}

TEST(TokenCache, KnownCacheEvictsOnlyOverCapacityAndKeepsUsedEntries) {
  FakeClock clock;
  TokenCacheOptions o;
  o.capacity = 100;
  o.shards = 1;  // one CLOCK, so "over capacity" is exact
  TokenCache cache(o, clock);
  for (uint64_t i = 0; i < 100; ++i) cache.PutKnown(Digest(i), kGen, Token(std::to_string(i)));
  EXPECT_EQ(cache.Stats().known_evictions, 0u);
  for (uint64_t i = 0; i < 100; ++i) ASSERT_TRUE(cache.Find(Digest(i), kGen, kNow).known) << i;
  // Only the first half is used again (the lookups above set every bit; the next sweep clears
  // them, so use the first half after one eviction round has started).
  cache.PutKnown(Digest(1000), kGen, Token("1000"));  // clears all bits, evicts entry 0
  EXPECT_EQ(cache.Stats().known_evictions, 1u);
  EXPECT_FALSE(cache.Find(Digest(0), kGen, kNow).known);
  for (uint64_t i = 1; i < 50; ++i) ASSERT_TRUE(cache.Find(Digest(i), kGen, kNow).known) << i;
  // 50 new tokens: each evicts one entry, never a used one while an unused one is left.
  for (uint64_t i = 1001; i < 1051; ++i) cache.PutKnown(Digest(i), kGen, Token(std::to_string(i)));
  const TokenCacheStats s = cache.Stats();
  EXPECT_EQ(s.known, 100u);
  EXPECT_EQ(s.known_evictions, 51u);
  for (uint64_t i = 1; i < 50; ++i) EXPECT_TRUE(cache.Find(Digest(i), kGen, kNow).known) << i;
  for (uint64_t i = 50; i < 100; ++i) EXPECT_FALSE(cache.Find(Digest(i), kGen, kNow).known) << i;
  for (uint64_t i = 1001; i < 1051; ++i) EXPECT_TRUE(cache.Find(Digest(i), kGen, kNow).known) << i;
}

TEST(TokenCache, ShardedKnownCacheStaysWithinCapacity) {
  FakeClock clock;
  TokenCache cache({.capacity = 1000}, clock);  // 16 shards
  EXPECT_GE(cache.KnownCapacity(), 1000u);
  EXPECT_LT(cache.KnownCapacity(), 1016u);
  for (uint64_t i = 0; i < 10'000; ++i) cache.PutKnown(Digest(i), kGen, Token("t"));
  EXPECT_LE(cache.Stats().known, cache.KnownCapacity());
  EXPECT_EQ(cache.Stats().known_evictions, 10'000u - cache.Stats().known);
  // The most recent insert of each shard is still there.
  EXPECT_TRUE(cache.Find(Digest(9'999), kGen, kNow).known);
}

TEST(TokenCache, GenerationBumpInvalidatesKnownAndUnknown) {
  FakeClock clock;
  TokenCache cache({.capacity = 8}, clock);
  cache.PutKnown(Digest(1), kGen, Token("1"));
  cache.PutUnknown(Digest(2), kGen);
  ASSERT_TRUE(cache.Find(Digest(1), kGen, kNow).known);
  ASSERT_TRUE(cache.Find(Digest(2), kGen, kNow).unknown);
  EXPECT_FALSE(cache.Find(Digest(1), kGen + 1, kNow).hit());
  EXPECT_FALSE(cache.Find(Digest(2), kGen + 1, kNow).hit());
}

TEST(TokenCache, LoadFromBeforeABumpIsNeverServedAfterIt) {
  FakeClock clock;
  TokenCache cache({.capacity = 8}, clock);
  // A load began in generation kGen; the generation moved to kGen + 1 while it read the store.
  cache.PutKnown(Digest(1), kGen, Token("stale"));
  EXPECT_FALSE(cache.Find(Digest(1), kGen + 1, kNow).hit());
  // A newer load wins, and a late older one does not overwrite it.
  cache.PutKnown(Digest(1), kGen + 1, Token("fresh"));
  cache.PutKnown(Digest(1), kGen, Token("late"));
  auto found = cache.Find(Digest(1), kGen + 1, kNow);
  ASSERT_TRUE(found.known);
  EXPECT_EQ(found.known->id.view(), "fresh");
}

TEST(TokenCache, StaleEntriesAreEvictedBeforeUsedOnes) {
  FakeClock clock;
  TokenCacheOptions o;
  o.capacity = 4;
  o.shards = 1;
  TokenCache cache(o, clock);
  for (uint64_t i = 0; i < 4; ++i) {
    cache.PutKnown(Digest(i), kGen, Token("old"));
    ASSERT_TRUE(cache.Find(Digest(i), kGen, kNow).known);  // all used
  }
  // Entries 0-2 are reloaded in the new generation and used; entry 3 is left stale. Without
  // the stale rule the sweep would clear all four bits and evict entry 0.
  for (uint64_t i = 0; i < 3; ++i) {
    cache.PutKnown(Digest(i), kGen + 1, Token("new"));
    ASSERT_TRUE(cache.Find(Digest(i), kGen + 1, kNow).known);
  }
  cache.PutKnown(Digest(10), kGen + 1, Token("new"));
  for (uint64_t i = 0; i < 3; ++i) EXPECT_TRUE(cache.Find(Digest(i), kGen + 1, kNow).known) << i;
  EXPECT_TRUE(cache.Find(Digest(10), kGen + 1, kNow).known);
  EXPECT_EQ(cache.Stats().known, 4u);
}

TEST(TokenCache, UnknownEntriesExpire) {
  FakeClock clock;
  TokenCacheOptions o;
  o.capacity = 8;
  o.unknown_ttl_millis = 60'000;
  TokenCache cache(o, clock);
  cache.PutUnknown(Digest(1), kGen);
  clock.Advance(59);
  EXPECT_TRUE(cache.Find(Digest(1), kGen, kNow).unknown);
  clock.Advance(1);
  EXPECT_FALSE(cache.Find(Digest(1), kGen, kNow).hit());  // asked again: the row may exist by now
  cache.PutUnknown(Digest(1), kGen);
  EXPECT_TRUE(cache.Find(Digest(1), kGen, kNow).unknown);
  EXPECT_EQ(cache.Stats().unknown, 1u);  // refreshed in place
}

TEST(TokenCache, UnknownEntriesAreBounded) {
  FakeClock clock;
  TokenCacheOptions o;
  o.capacity = 8;
  o.unknown_capacity = 100;
  o.shards = 1;
  TokenCache cache(o, clock);
  for (uint64_t i = 0; i < 1000; ++i) cache.PutUnknown(Digest(i, 0xff), kGen);
  EXPECT_EQ(cache.Stats().unknown, 100u);
  EXPECT_EQ(cache.Stats().unknown_evictions, 900u);
  EXPECT_TRUE(cache.Find(Digest(999, 0xff), kGen, kNow).unknown);
  EXPECT_FALSE(cache.Find(Digest(0, 0xff), kGen, kNow).hit());
}

TEST(ClockCache, TinyCapacityStillWorks) {
  ClockCache<std::string, int, std::hash<std::string>> cache(1, 16);
  EXPECT_EQ(cache.Capacity(), 1u);
  cache.Put("a", 1, 1);
  cache.Put("b", 1, 2);
  EXPECT_FALSE(cache.Find("a", 1));
  EXPECT_EQ(cache.Find("b", 1), 2);
  EXPECT_EQ(cache.Evictions(), 1u);
}

// A token's uses are recorded at most once per kLastUsedIntervalSeconds: the first use, then
// the first one a whole interval after the last recorded, never one before it.
TEST(CachedToken, AUseIsRecordedOncePerInterval) {
  CachedToken t = Token("4001");
  EXPECT_TRUE(t.NoteUse(kNow));  // never used
  EXPECT_EQ(t.last_used_at, kNow);
  EXPECT_FALSE(t.NoteUse(kNow));
  EXPECT_FALSE(t.NoteUse(kNow + kLastUsedIntervalSeconds - 1));
  EXPECT_EQ(t.last_used_at, kNow);
  EXPECT_FALSE(t.NoteUse(kNow - 3600));  // the clock stepped back: the store has a later time
  EXPECT_TRUE(t.NoteUse(kNow + kLastUsedIntervalSeconds));
  EXPECT_EQ(t.last_used_at, kNow + kLastUsedIntervalSeconds);
}

// The cache notes the use in the entry it holds, so each cached copy handed out agrees: of many
// lookups within an interval exactly the first says "record".
TEST(TokenCache, OnlyTheFirstLookupOfAnIntervalRecordsAUse) {
  FakeClock clock;
  TokenCache cache({.capacity = 8}, clock);
  cache.PutKnown(Digest(1), kGen, Token("4001"));
  EXPECT_TRUE(cache.Find(Digest(1), kGen, kNow).record_use);
  for (int i = 1; i < 10; ++i) EXPECT_FALSE(cache.Find(Digest(1), kGen, kNow + i).record_use);
  auto later = cache.Find(Digest(1), kGen, kNow + kLastUsedIntervalSeconds);
  EXPECT_TRUE(later.record_use);
  EXPECT_EQ(later.known->last_used_at, kNow + kLastUsedIntervalSeconds);
  EXPECT_FALSE(cache.Find(Digest(2), kGen, kNow).record_use);  // not cached: nothing to note
}

}  // namespace
}  // namespace cozeauth::api
