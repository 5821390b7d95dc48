#include "oauth/expiry_purger.hpp"

#include <cstdio>

#include "base/thread_name.hpp"

namespace cozeauth::oauth {

ExpiryPurger::ExpiryPurger(store::Store& store, const Clock& clock)
    : store_(store), clock_(clock) {}

ExpiryPurger::~ExpiryPurger() { Stop(); }

Result<int64_t> ExpiryPurger::RunOnce() { return store_.PurgeExpired(clock_.NowSeconds()); }

void ExpiryPurger::Start(std::chrono::milliseconds interval) {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stop_) return;
  thread_ = std::thread([this, interval] {
    NameThisThread("cz-purge");
    Loop(interval);
  });
}

void ExpiryPurger::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stop_) return;
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ExpiryPurger::Loop(std::chrono::milliseconds interval) {
  std::unique_lock lock(mu_);
  do {
    lock.unlock();
    if (auto removed = RunOnce(); !removed) {
      std::fprintf(stderr, "cozeauth: purging expired OAuth rows failed (retried in %lld s): %s\n",
                   static_cast<long long>(
                       std::chrono::duration_cast<std::chrono::seconds>(interval).count()),
                   removed.error().message.c_str());
    }
    lock.lock();
  } while (!cv_.wait_for(lock, interval, [this] { return stop_; }));
}

}  // namespace cozeauth::oauth
