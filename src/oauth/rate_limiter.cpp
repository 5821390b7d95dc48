#include "oauth/rate_limiter.hpp"

#include <algorithm>
#include <stdexcept>

#include "base/checked.hpp"

namespace cozeauth::oauth {
namespace {
// A token is kUnit units; per_minute tokens a minute is then exactly per_minute units a
// millisecond, so refilling never loses a fraction however often a key is seen.
constexpr int64_t kUnit = 60'000;
constexpr int64_t kSweepEveryMs = 1000;
}  // namespace

RateLimiter::RateLimiter(const Clock& clock, Limits limits) : clock_(clock), limits_(limits) {
  // Nonsense limits would never refill or overflow; they are programming errors.
  if (limits_.burst < 1 || limits_.burst > 1'000'000 || limits_.per_minute < 1 ||
      limits_.per_minute > 1'000'000'000 || limits_.max_keys < 1) {
    throw std::invalid_argument("RateLimiter: burst, per_minute and max_keys must be positive");
  }
}

// Units after refilling for the time elapsed since b.at_ms, saturating at a full bucket (a
// long idle key is simply full).
int64_t RateLimiter::Refilled(const Bucket& b, int64_t now_ms) const {
  const int64_t full = limits_.burst * kUnit;
  const int64_t elapsed = std::max<int64_t>(0, SaturatingSub(now_ms, b.at_ms));
  const auto gained = CheckedMul(elapsed, limits_.per_minute);
  if (!gained) return full;
  return std::min(full, SaturatingAdd(b.units, *gained));
}

void RateLimiter::SweepFull(int64_t now_ms) {
  if (last_sweep_ms_ != std::numeric_limits<int64_t>::min() &&
      SaturatingSub(now_ms, last_sweep_ms_) < kSweepEveryMs)
    return;
  last_sweep_ms_ = now_ms;
  const int64_t full = limits_.burst * kUnit;
  std::erase_if(buckets_, [&](const auto& kv) { return Refilled(kv.second, now_ms) >= full; });
}

int64_t RateLimiter::Acquire(std::string_view key) {
  const int64_t now_ms = clock_.MonotonicMillis();
  std::lock_guard lock(mu_);
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) {
    if (buckets_.size() >= limits_.max_keys) SweepFull(now_ms);
    if (buckets_.size() >= limits_.max_keys) return 60;  // full of busy keys: try in a minute
    it = buckets_.emplace(std::string(key), Bucket{limits_.burst * kUnit, now_ms}).first;
  }
  Bucket& b = it->second;
  b.units = Refilled(b, now_ms);
  b.at_ms = now_ms;
  if (b.units >= kUnit) {
    b.units -= kUnit;
    return 0;
  }
  const int64_t wait_ms = (kUnit - b.units + limits_.per_minute - 1) / limits_.per_minute;
  return std::max<int64_t>(1, (wait_ms + 999) / 1000);
}

size_t RateLimiter::TrackedKeys() const {
  std::lock_guard lock(mu_);
  return buckets_.size();
}

}  // namespace cozeauth::oauth
