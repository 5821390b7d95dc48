#pragma once
// Identifier generation. Resource ids are 19-digit decimal strings (coze-protocol.md §6),
// snowflake-style: milliseconds since 2020-01-01 in the high bits, then 22 random bits, so ids
// are unique across processes sharing a store and roughly time-ordered. Log ids follow the
// cloud's observed format YYYYMMDDhhmmss + 20 upper-case hex characters. Thread-safe.

#include <cstdint>
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
};

// True if `s` is a plausible numeric id (1–20 digits).
bool IsNumericId(std::string_view s);

}  // namespace cozeauth
