#include "base/ids.hpp"

#include <cstring>
#include <ctime>

namespace cozeauth {

std::string IdGenerator::Next() {
  constexpr uint64_t kEpochMillis = 1'577'836'800'000ull;  // 2020-01-01T00:00:00Z
  constexpr uint64_t kSequenceSpan = 1u << 12;
  const uint64_t now = static_cast<uint64_t>(clock_.NowMillis()) - kEpochMillis;
  const uint64_t rnd = random_.NextU64();
  uint64_t millis = 0, sequence = 0;
  {
    std::lock_guard lock(mu_);
    if (now > last_millis_) {
      last_millis_ = now;
      sequence_ = (rnd >> 10) % (kSequenceSpan / 2);  // a random start, with room to count up
    } else if (++sequence_ >= kSequenceSpan) {
      ++last_millis_;  // the clock stood still (or went back): borrow the next millisecond
      sequence_ = 0;
    }
    millis = last_millis_;
    sequence = sequence_;
  }
  // 2^60 > 10^18: keep the value in [10^18, 2^63) so it always prints as 19 digits.
  uint64_t v = (millis << 22) | (sequence << 10) | (rnd & 0x3FF);
  v = 1'000'000'000'000'000'000ull + (v % 8'000'000'000'000'000'000ull);
  return std::to_string(v);
}

std::string IdGenerator::NextLogId() {
  // One per request: the date is formatted once per second per thread, the rest by hand.
  struct Stamp {
    int64_t second = -1;
    char text[15] = {};  // YYYYMMDDhhmmss and the terminator strftime writes
  };
  thread_local Stamp stamp;
  if (const int64_t now = clock_.NowSeconds(); now != stamp.second) {
    std::time_t t = static_cast<std::time_t>(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    if (std::strftime(stamp.text, sizeof stamp.text, "%Y%m%d%H%M%S", &tm) != 14) {
      std::memcpy(stamp.text, "00000000000000", 14);  // a year of other than four digits
    }
    stamp.second = now;
  }
  // A bijection of the counter (xor with the key, then splitmix64's finalizer, each step
  // invertible): distinct counts give distinct values.
  uint64_t v = log_count_.fetch_add(1, std::memory_order_relaxed) ^ log_key_;
  v = (v ^ (v >> 30)) * 0xbf58476d1ce4e5b9ULL;
  v = (v ^ (v >> 27)) * 0x94d049bb133111ebULL;
  v ^= v >> 31;
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out(34, '0');
  std::memcpy(out.data(), stamp.text, 14);
  for (int i = 0; i < 4; ++i) out[14 + i] = kHex[(log_prefix_ >> (12 - 4 * i)) & 0xF];
  for (int i = 0; i < 16; ++i) out[18 + i] = kHex[(v >> (60 - 4 * i)) & 0xF];
  return out;
}

bool IsNumericId(std::string_view s) {
  if (s.empty() || s.size() > 20) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace cozeauth
