// ExpiryPurger: RunOnce purges by the injected clock; Start runs it at once on its thread and
// Stop joins it (no sleeps: the test waits for the row to disappear, bounded).

#include "oauth/expiry_purger.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "base/clock.hpp"
#include "store/store.hpp"

namespace cozeauth::oauth {
namespace {

constexpr int64_t kT = 1'700'000'000;

credentials::DeviceCode Device(const std::string& hash, const std::string& user_code,
                               int64_t expires_at) {
  credentials::DeviceCode d;
  d.device_code_hash = hash;
  d.user_code = user_code;
  d.app_id = "7001";
  d.created_at = kT;
  d.expires_at = expires_at;
  return d;
}

std::unique_ptr<store::Store> MemoryStore() {
  auto opened = store::OpenStore("sqlite::memory:");
  EXPECT_TRUE(opened.has_value());
  return std::move(opened).value();
}

TEST(ExpiryPurger, RunOncePurgesWhatExpiredByTheClock) {
  auto store = MemoryStore();
  FakeClock clock(kT);
  ASSERT_TRUE(store->CreateDeviceCode(Device("h1", "BCDF-GHJK", kT + 300)).has_value());
  ExpiryPurger purger(*store, clock);
  EXPECT_EQ(purger.RunOnce().value(), 0);
  EXPECT_TRUE(store->GetDeviceCode("h1").has_value());
  clock.Advance(300);
  EXPECT_EQ(purger.RunOnce().value(), 1);
  EXPECT_FALSE(store->GetDeviceCode("h1").has_value());
}

TEST(ExpiryPurger, StartPurgesRightAwayAndStopJoins) {
  auto store = MemoryStore();
  FakeClock clock(kT);
  ASSERT_TRUE(store->CreateDeviceCode(Device("h1", "BCDF-GHJK", kT - 1)).has_value());
  ExpiryPurger purger(*store, clock);
  purger.Start(std::chrono::hours(1));  // only the first, immediate run can purge here
  // Wait for the event (the row going), with a generous bound so a hang fails instead of
  // blocking the suite; no fixed sleep.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  bool gone = false;
  while (!gone && std::chrono::steady_clock::now() < deadline) {
    gone = !store->GetDeviceCode("h1").has_value();
    if (!gone) std::this_thread::yield();
  }
  purger.Stop();
  purger.Stop();  // idempotent
  EXPECT_TRUE(gone);
}

}  // namespace
}  // namespace cozeauth::oauth
