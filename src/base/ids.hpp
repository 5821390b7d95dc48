#pragma once
// Identifier generation. Resource ids are 19-digit decimal strings (coze-protocol.md §6),
// snowflake-style: milliseconds since 2020-01-01 in the high bits, then a 12-bit sequence and 10
// random bits. Within one generator ids never repeat (the sequence counts the ids of a
// millisecond; past 4096 the generator borrows the next millisecond), and the random bits and a
// random starting sequence keep processes sharing a store apart. Roughly time-ordered. Log ids
// follow the cloud's observed format YYYYMMDDhhmmss + 20 upper-case hex characters. Thread-safe.

#include <cstdint>
#include <mutex>
#include <string>

#include "base/clock.hpp"
#include "base/random.hpp"

namespace cozeauth {

class IdGenerator {
 public:
  IdGenerator(const Clock& clock, SecureRandom& random) : clock_(clock), random_(random) {}
  std::string Next();
  std::string NextLogId();

 private:
  const Clock& clock_;
  SecureRandom& random_;
  std::mutex mu_;
  uint64_t last_millis_ = 0;  // the millisecond the last id used (guarded by mu_)
  uint64_t sequence_ = 0;     // ids issued in it so far, from a random start (guarded by mu_)
};

// True if `s` is a plausible numeric id (1–20 digits).
bool IsNumericId(std::string_view s);

}  // namespace cozeauth
