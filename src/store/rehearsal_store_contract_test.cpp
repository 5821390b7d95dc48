// The storage contract of RehearsalStore (rehearsal_store.hpp): rehearsals (create, get, list,
// the live ones at a time, stop once), the shadow counts added batch by batch, and which writes
// bump the auth epoch; written against the interface, on every backend
// (contract_test_support.hpp).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/contract_test_support.hpp"
#include "store/store.hpp"

namespace cozeauth::store {
namespace {

using contract::CodeOf;
using domain::MigrationMode;
using domain::Rehearsal;
using domain::RehearsalCount;

constexpr int64_t kT = 1'700'000'000;

Rehearsal Make(const std::string& id, const std::string& workspace, int64_t started_at,
               int64_t ends_at, MigrationMode mode = MigrationMode::kCut) {
  return {id, workspace, "2001", "ent_1", mode, "1001", started_at, ends_at, 0};
}

class RehearsalStoreContract : public contract::AggregateContractTest<RehearsalStore> {};

COZEAUTH_STORE_CONTRACT(RehearsalStoreContract);

TEST_P(RehearsalStoreContract, CreateGetRoundTripsEveryField) {
  ASSERT_OK(store().CreateRehearsal(Make("r1", "3001", kT, kT + 3600, MigrationMode::kGrant)));
  const Rehearsal r = VALUE(store().GetRehearsal("r1"));
  EXPECT_EQ(r.id, "r1");
  EXPECT_EQ(r.workspace_id, "3001");
  EXPECT_EQ(r.to_account_id, "2001");
  EXPECT_EQ(r.enterprise_id, "ent_1");
  EXPECT_EQ(r.mode, MigrationMode::kGrant);
  EXPECT_EQ(r.actor_user_id, "1001");
  EXPECT_EQ(r.started_at, kT);
  EXPECT_EQ(r.ends_at, kT + 3600);
  EXPECT_EQ(r.stopped_at, 0);
  EXPECT_EQ(CodeOf(store().GetRehearsal("r9")), Errc::kNotFound);
  EXPECT_EQ(CodeOf(store().CreateRehearsal(Make("r1", "3002", kT, kT + 1))), Errc::kAlreadyExists);
  EXPECT_EQ(VALUE(store().GetRehearsal("r1")).workspace_id, "3001");  // the duplicate wrote nothing
}

TEST_P(RehearsalStoreContract, ListsNewestFirstFilteredByWorkspace) {
  ASSERT_OK(store().CreateRehearsal(Make("r1", "3001", kT, kT + 10)));
  ASSERT_OK(store().CreateRehearsal(Make("r2", "3002", kT + 1, kT + 10)));
  ASSERT_OK(store().CreateRehearsal(Make("r3", "3001", kT + 2, kT + 10)));
  std::vector<std::string> ids;
  for (const auto& r : VALUE(store().ListRehearsals(""))) ids.push_back(r.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"r3", "r2", "r1"}));
  ids.clear();
  for (const auto& r : VALUE(store().ListRehearsals("3001"))) ids.push_back(r.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"r3", "r1"}));
  EXPECT_TRUE(VALUE(store().ListRehearsals("3999")).empty());
}

TEST_P(RehearsalStoreContract, LiveRehearsalsExcludeStoppedAndEndedOnes) {
  ASSERT_OK(store().CreateRehearsal(Make("r1", "3001", kT, kT + 100)));
  ASSERT_OK(store().CreateRehearsal(Make("r2", "3001", kT + 1, kT + 50)));
  ASSERT_OK(store().CreateRehearsal(Make("r3", "3002", kT + 2, kT + 100)));
  ASSERT_OK(store().StopRehearsal("r3", kT + 5));
  auto ids_at = [&](int64_t now) {
    std::vector<std::string> ids;
    for (const auto& r : VALUE(store().ListLiveRehearsals(now))) ids.push_back(r.id);
    return ids;
  };
  EXPECT_EQ(ids_at(kT + 10), (std::vector<std::string>{"r1", "r2"}));
  EXPECT_EQ(ids_at(kT + 50), (std::vector<std::string>{"r1"}));  // ends_at is exclusive
  EXPECT_TRUE(ids_at(kT + 100).empty());
}

TEST_P(RehearsalStoreContract, TheFirstStopWinsAndUnknownIdsAreNotFound) {
  ASSERT_OK(store().CreateRehearsal(Make("r1", "3001", kT, kT + 100)));
  ASSERT_OK(store().StopRehearsal("r1", kT + 5));
  ASSERT_OK(store().StopRehearsal("r1", kT + 9));
  EXPECT_EQ(VALUE(store().GetRehearsal("r1")).stopped_at, kT + 5);
  EXPECT_EQ(CodeOf(store().StopRehearsal("r9", kT)), Errc::kNotFound);
}

TEST_P(RehearsalStoreContract, CountsAddUpPerCredentialAndOutcomePair) {
  ASSERT_OK(store().CreateRehearsal(Make("r1", "3001", kT, kT + 100)));
  ASSERT_OK(store().CreateRehearsal(Make("r2", "3001", kT, kT + 100)));
  ASSERT_OK(store().AddRehearsalCounts({{"r1", "t1", "pat", 0, 0, 3},
                                        {"r1", "t1", "pat", 0, 4101, 2},
                                        {"r1", "t2", "sat", 4101, 4101, 1},
                                        {"r1", "t3", "sat", 0, 0, 0},  // skipped
                                        {"r2", "t1", "pat", 0, 0, 7}}));
  ASSERT_OK(store().AddRehearsalCounts({{"r1", "t1", "pat", 0, 4101, 5}}));
  ASSERT_OK(store().AddRehearsalCounts({}));
  const auto counts = VALUE(store().ListRehearsalCounts("r1"));
  ASSERT_EQ(counts.size(), 3u);
  EXPECT_EQ(counts[0].token_id, "t1");
  EXPECT_EQ(counts[0].shadow_code, 0);
  EXPECT_EQ(counts[0].count, 3);
  EXPECT_EQ(counts[1].token_id, "t1");
  EXPECT_EQ(counts[1].credential_kind, "pat");
  EXPECT_EQ(counts[1].shadow_code, 4101);
  EXPECT_EQ(counts[1].count, 7);
  EXPECT_EQ(counts[2].token_id, "t2");
  EXPECT_EQ(counts[2].real_code, 4101);
  EXPECT_EQ(counts[2].count, 1);
  EXPECT_EQ(VALUE(store().ListRehearsalCounts("r2")).size(), 1u);
  EXPECT_TRUE(VALUE(store().ListRehearsalCounts("r9")).empty());
}

TEST_P(RehearsalStoreContract, ABatchForAnUnknownRehearsalWritesNothing) {
  ASSERT_OK(store().CreateRehearsal(Make("r1", "3001", kT, kT + 100)));
  EXPECT_FALSE(
      store().AddRehearsalCounts({{"r1", "t1", "pat", 0, 0, 1}, {"r9", "t1", "pat", 0, 0, 1}}));
  EXPECT_TRUE(VALUE(store().ListRehearsalCounts("r1")).empty());
}

// rehearsal_store.hpp: "Bumps the auth epoch: CreateRehearsal, StopRehearsal."
TEST_P(RehearsalStoreContract, AuthEpochMovesExactlyOnTheListedWrites) {
  contract::ExpectEpochMoves(
      backend(),
      {
          {"CreateRehearsal",
           [&] { return store().CreateRehearsal(Make("r1", "3001", kT, kT + 9)); }, true},
          {"AddRehearsalCounts",
           [&] {
             return store().AddRehearsalCounts({{"r1", "t1", "pat", 0, 4101, 1}});
           },
           false},
          {"StopRehearsal", [&] { return store().StopRehearsal("r1", kT + 1); }, true},
      });
}

}  // namespace
}  // namespace cozeauth::store
