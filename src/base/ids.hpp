#pragma once
// Identifier generation. Resource ids are 19-digit decimal strings (coze-protocol.md §6),
// snowflake-style: milliseconds since 2020-01-01 in the high bits, then a 12-bit sequence and 10
// random bits. Within one generator ids never repeat (the sequence counts the ids of a
// millisecond; past 4096 the generator borrows the next millisecond), and the random bits and a
// random starting sequence keep processes sharing a store apart. Roughly time-ordered. Log ids
// follow the cloud's observed format YYYYMMDDhhmmss + 20 upper-case hex characters: 16 bits of a
// key drawn once per generator, then a counter mixed by a bijection keyed by another 64 — never
// repeated by one generator, apart from other processes', and without a system call per request
// (a log id is a correlation handle, not a secret). Thread-safe.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

#include "base/clock.hpp"
#include "base/random.hpp"

namespace cozeauth {

class IdGenerator {
 public:
  IdGenerator(const Clock& clock, SecureRandom& random)
      : clock_(clock),
        random_(random),
        log_prefix_(random.NextU64() & 0xFFFF),
        log_key_(random.NextU64()) {}
  std::string Next();
  std::string NextLogId();

 private:
  const Clock& clock_;
  SecureRandom& random_;
  std::mutex mu_;
  uint64_t last_millis_ = 0;  // the millisecond the last id used (guarded by mu_)
  uint64_t sequence_ = 0;     // ids issued in it so far, from a random start (guarded by mu_)
  const uint64_t log_prefix_;
  const uint64_t log_key_;
  std::atomic<uint64_t> log_count_{0};
};

// True if `s` is a plausible numeric id (1–20 digits).
bool IsNumericId(std::string_view s);

}  // namespace cozeauth
