#pragma once
// RateLimiter: per-key token buckets in memory, for unauthenticated endpoints that create rows
// (POST …/device/code, limited per client id and per client address). A key starts with
// `burst` tokens; each request takes one; tokens come back at `per_minute` a minute, up to
// `burst`. Time is the injected Clock's monotonic milliseconds, so tests drive it with a
// FakeClock.
//
// Memory is bounded: at most `max_keys` keys are tracked. When the table is full, keys whose
// bucket has refilled completely (indistinguishable from an unknown key) are dropped, at most
// once a second; if it is still full, a request with a new key is refused (fail closed: a flood
// of distinct keys must not reset the limits of the keys already tracked).
//
// Thread safety: every method may be called from any thread (one mutex; the critical section is
// a hash lookup).

#include <cstddef>
#include <cstdint>
#include <limits>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/clock.hpp"

namespace cozeauth::oauth {

class RateLimiter {
 public:
  struct Limits {
    int64_t burst = 30;       // requests allowed at once
    int64_t per_minute = 30;  // sustained rate
    size_t max_keys = 100'000;
  };

  RateLimiter(const Clock& clock, Limits limits);
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Takes one token for `key`: 0 when the request may proceed, otherwise the whole seconds
  // (≥ 1) after which the next token is available (the Retry-After value).
  int64_t Acquire(std::string_view key);

  size_t TrackedKeys() const;

 private:
  struct Bucket {
    int64_t units = 0;  // tokens × 60'000 (rate_limiter.cpp)
    int64_t at_ms = 0;  // when units was computed
  };
  int64_t Refilled(const Bucket& b, int64_t now_ms) const;
  void SweepFull(int64_t now_ms);

  const Clock& clock_;
  const Limits limits_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
  int64_t last_sweep_ms_ = std::numeric_limits<int64_t>::min();
};

}  // namespace cozeauth::oauth
