// RateLimiter on a FakeClock: burst, refill, independence of keys, Retry-After, and the bound
// on tracked keys (a flood of new keys neither grows memory nor resets tracked keys).

#include "oauth/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "base/clock.hpp"

namespace cozeauth::oauth {
namespace {

RateLimiter::Limits Limits(int64_t burst, int64_t per_minute, size_t max_keys = 100'000) {
  return {.burst = burst, .per_minute = per_minute, .max_keys = max_keys};
}

TEST(RateLimiter, AllowsTheBurstThenRefusesWithRetryAfter) {
  FakeClock clock;
  RateLimiter limiter(clock, Limits(3, 6));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.Acquire("app"), 0) << i;
  // 6 a minute: the next token is 10 s away.
  EXPECT_EQ(limiter.Acquire("app"), 10);
  clock.Advance(9);
  EXPECT_EQ(limiter.Acquire("app"), 1);
  clock.Advance(1);
  EXPECT_EQ(limiter.Acquire("app"), 0);
  EXPECT_GT(limiter.Acquire("app"), 0);
}

TEST(RateLimiter, KeysAreIndependent) {
  FakeClock clock;
  RateLimiter limiter(clock, Limits(2, 1));
  EXPECT_EQ(limiter.Acquire("a"), 0);
  EXPECT_EQ(limiter.Acquire("a"), 0);
  EXPECT_GT(limiter.Acquire("a"), 0);
  EXPECT_EQ(limiter.Acquire("b"), 0);
  EXPECT_EQ(limiter.Acquire("b"), 0);
  EXPECT_GT(limiter.Acquire("b"), 0);
}

TEST(RateLimiter, RefillsToTheBurstAndNoFurther) {
  FakeClock clock;
  RateLimiter limiter(clock, Limits(2, 60));
  EXPECT_EQ(limiter.Acquire("k"), 0);
  EXPECT_EQ(limiter.Acquire("k"), 0);
  clock.Advance(3600);  // an hour idle: full again, but only `burst` tokens
  EXPECT_EQ(limiter.Acquire("k"), 0);
  EXPECT_EQ(limiter.Acquire("k"), 0);
  EXPECT_EQ(limiter.Acquire("k"), 1);
}

TEST(RateLimiter, RefusedRequestsDoNotSpendTokens) {
  FakeClock clock;
  RateLimiter limiter(clock, Limits(1, 1));
  EXPECT_EQ(limiter.Acquire("k"), 0);
  for (int i = 0; i < 100; ++i) EXPECT_GT(limiter.Acquire("k"), 0);
  clock.Advance(60);
  EXPECT_EQ(limiter.Acquire("k"), 0);  // hammering did not push the next token further away
}

TEST(RateLimiter, ManySmallStepsRefillExactly) {
  // Refill must not lose fractions when a key is seen often: 7 a minute, polled every second
  // (burst 2 so that the cap never trims what accumulates between two tokens).
  FakeClock clock;
  RateLimiter limiter(clock, Limits(2, 7));
  EXPECT_EQ(limiter.Acquire("k"), 0);
  EXPECT_EQ(limiter.Acquire("k"), 0);
  int allowed = 0;
  for (int s = 0; s < 60; ++s) {
    clock.Advance(1);
    if (limiter.Acquire("k") == 0) ++allowed;
  }
  EXPECT_EQ(allowed, 7);
}

TEST(RateLimiter, AFloodOfNewKeysIsBoundedAndDoesNotResetTrackedKeys) {
  FakeClock clock;
  RateLimiter limiter(clock, Limits(1, 1, 10));
  EXPECT_EQ(limiter.Acquire("victim-limited"), 0);
  for (int i = 0; i < 100; ++i) (void)limiter.Acquire("flood-" + std::to_string(i));
  EXPECT_LE(limiter.TrackedKeys(), 10u);
  EXPECT_GT(limiter.Acquire("victim-limited"), 0) << "the flood must not reset a tracked key";
  // Once the busy keys have refilled, they are dropped and new keys are served again.
  clock.Advance(61);
  EXPECT_EQ(limiter.Acquire("newcomer"), 0);
  EXPECT_LE(limiter.TrackedKeys(), 10u);
}

TEST(RateLimiter, ExtremeClockJumpsSaturate) {
  FakeClock clock(0);
  RateLimiter limiter(clock, Limits(2, 1'000'000'000));
  EXPECT_EQ(limiter.Acquire("k"), 0);
  clock.Set(std::numeric_limits<int64_t>::max() / 1000);  // elapsed × rate overflows
  EXPECT_EQ(limiter.Acquire("k"), 0);
  EXPECT_EQ(limiter.Acquire("k"), 0);
  EXPECT_EQ(limiter.Acquire("k"), 1);
}

}  // namespace
}  // namespace cozeauth::oauth
