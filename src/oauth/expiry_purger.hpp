#pragma once
// ExpiryPurger: deletes expired one-time OAuth rows (device codes, authorization codes, refresh
// tokens, used JWT ids: Store::PurgeExpired) on a schedule, so that unauthenticated endpoints
// that create rows cannot grow the store without bound. `cozeauth serve` starts it after the
// store opens and stops it at shutdown.
//
// RunOnce() purges now (tests call it directly with a FakeClock); Start() runs it on a
// background thread every `interval`, first right away. A failed purge is reported on stderr
// and retried at the next interval; it never stops the server.
//
// Thread safety: RunOnce() from any thread; Start() and Stop() from one thread. Stop() is
// idempotent and called by the destructor.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "store/store.hpp"

namespace cozeauth::oauth {

class ExpiryPurger {
 public:
  ExpiryPurger(store::Store& store, const Clock& clock);
  ~ExpiryPurger();
  ExpiryPurger(const ExpiryPurger&) = delete;
  ExpiryPurger& operator=(const ExpiryPurger&) = delete;

  // Rows removed, or the store's error.
  Result<int64_t> RunOnce();
  void Start(std::chrono::milliseconds interval = std::chrono::minutes(1));
  void Stop();

 private:
  void Loop(std::chrono::milliseconds interval);

  store::Store& store_;
  const Clock& clock_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace cozeauth::oauth
