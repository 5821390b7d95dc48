#pragma once
// Clock: the only source of time outside src/base. Production code receives a Clock& and calls
// Now(); tests pass a FakeClock they advance. Implementations are safe for concurrent use.

#include <atomic>
#include <chrono>
#include <cstdint>

namespace cozeauth {

class Clock {
 public:
  virtual ~Clock() = default;
  // Unix time in seconds.
  virtual int64_t NowSeconds() const = 0;
  // Monotonic milliseconds, for latency and throttling; unrelated to Unix time.
  virtual int64_t MonotonicMillis() const = 0;
  // Unix time in milliseconds (ids); by default the seconds, exactly.
  virtual int64_t NowMillis() const { return NowSeconds() * 1000; }
};

class SystemClock final : public Clock {
 public:
  int64_t NowSeconds() const override;
  int64_t NowMillis() const override;
  int64_t MonotonicMillis() const override;
  static SystemClock& Instance();
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t now_seconds = 1'750'000'000) : now_(now_seconds) {}
  int64_t NowSeconds() const override { return now_.load(); }
  int64_t MonotonicMillis() const override { return now_.load() * 1000; }
  void Advance(int64_t seconds) { now_ += seconds; }
  void Set(int64_t seconds) { now_ = seconds; }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace cozeauth
