#pragma once
// For unit tests only (link cozeauth::store_sqlite): an admin::Env over a fresh in-memory SQLite
// store, a FakeClock the test advances and a seeded random, so ids and secrets are repeatable.
// One per test; not thread-safe beyond what the store is.

#include <cstdint>
#include <memory>

#include "admin/operations.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace cozeauth::admin {

struct TestEnv {
  explicit TestEnv(uint64_t seed = 7) : random(seed) {}

  FakeClock clock;
  SeededRandom random;
  IdGenerator ids{clock, random};
  std::unique_ptr<store::Store> store = store::sqlite::Open(":memory:").value();
  Env env{*store, clock, random, ids};
};

}  // namespace cozeauth::admin
