#pragma once
// Checked and saturating arithmetic for time sums (expiries, lifetimes, windows). Every
// `now + duration` in the server goes through these: a client-supplied or configured value near
// INT64_MAX must never wrap into the past (a wrapped expiry is an expiry that never holds, or a
// row purged at once). Pure functions, safe everywhere.

#include <cstdint>
#include <limits>
#include <optional>

namespace cozeauth {

// a + b, or nullopt when the sum does not fit in int64_t.
constexpr std::optional<int64_t> CheckedAdd(int64_t a, int64_t b) {
  int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) return std::nullopt;
  return sum;
}

// a - b, or nullopt when the difference does not fit in int64_t.
constexpr std::optional<int64_t> CheckedSub(int64_t a, int64_t b) {
  int64_t diff = 0;
  if (__builtin_sub_overflow(a, b, &diff)) return std::nullopt;
  return diff;
}

// a * b, or nullopt when the product does not fit in int64_t.
constexpr std::optional<int64_t> CheckedMul(int64_t a, int64_t b) {
  int64_t product = 0;
  if (__builtin_mul_overflow(a, b, &product)) return std::nullopt;
  return product;
}

// a + b clamped to [INT64_MIN, INT64_MAX]: for expiries where "later than representable" means
// "never" and must stay in the future.
constexpr int64_t SaturatingAdd(int64_t a, int64_t b) {
  if (auto sum = CheckedAdd(a, b)) return *sum;
  return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
}

// a - b clamped likewise.
constexpr int64_t SaturatingSub(int64_t a, int64_t b) {
  if (auto diff = CheckedSub(a, b)) return *diff;
  return b < 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
}

}  // namespace cozeauth
