// The storage contract of UnitOfWork (unit_of_work.hpp): Transaction() commits or rolls back
// everything its function wrote, joins the calls made on its thread to every aggregate, and
// nests; the auth epoch moves only when a bumping write commits; the OnAuthEpochBump() listener
// runs once per committed bumping write or transaction of this store. Concurrent readers and
// writers all succeed. Every TEST_P runs on an in-memory database and on a file (WAL, reader
// pool); which writes bump is each aggregate suite's business.

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <latch>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "store/contract_test_rows.hpp"
#include "store/contract_test_support.hpp"
#include "store/store.hpp"

namespace cozeauth {
namespace store {
namespace {

using namespace contract;  // NOLINT(google-build-using-namespace): the suite's vocabulary

class UnitOfWorkContract : public TenancySeededContractTest<UnitOfWork> {
 protected:
  void TearDown() override { backend().OnAuthEpochBump(nullptr); }
};

COZEAUTH_STORE_CONTRACT(UnitOfWorkContract);

TEST_P(UnitOfWorkContract, TransactionCommitsOrRollsBackEverything) {
  // An error from fn undoes every write, reads inside see the uncommitted writes.
  Status failed = store().Transaction([&]() -> Status {
    if (Status st = backend().CreateUser(MakeUser("1001", "a@example.com")); !st) return st;
    if (Status st = backend().CreateAccount(PersonalAccount("1001")); !st) return st;
    auto seen = backend().GetUser("1001");
    if (!seen) return seen.error();
    EXPECT_EQ(VALUE(backend().CountUsers()), 1);
    return Error::Make(Errc::kBadRequest, "changed my mind");
  });
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().message, "changed my mind");
  EXPECT_EQ(CodeOf(backend().GetUser("1001")), Errc::kNotFound);
  EXPECT_EQ(CodeOf(backend().GetAccount("1001")), Errc::kNotFound);

  // An exception is rethrown after the rollback, and the store stays usable.
  EXPECT_THROW((void)store().Transaction([&]() -> Status {
    EXPECT_OK(backend().CreateUser(MakeUser("1002", "b@example.com")));
    throw std::runtime_error("bug");
  }),
               std::runtime_error);
  EXPECT_EQ(CodeOf(backend().GetUser("1002")), Errc::kNotFound);

  // A failed write inside a transaction undoes only itself; nested transactions join.
  ASSERT_OK(store().Transaction([&]() -> Status {
    if (Status st = backend().CreateUser(MakeUser("1003", "c@example.com")); !st) return st;
    EXPECT_EQ(CodeOf(backend().CreateUser(MakeUser("1004", "c@example.com"))),
              Errc::kAlreadyExists);
    return store().Transaction([&] { return backend().CreateAccount(PersonalAccount("1003")); });
  }));
  EXPECT_EQ(VALUE(backend().GetUser("1003")).email, "c@example.com");
  EXPECT_OK(backend().GetAccount("1003"));
  EXPECT_EQ(CodeOf(backend().GetUser("1004")), Errc::kNotFound);
  EXPECT_EQ(VALUE(backend().CountUsers()), 1);
}

TEST_P(UnitOfWorkContract, FailedOrRolledBackWritesLeaveTheEpochAlone) {
  SeedTenancy();
  ASSERT_OK(backend().CreateToken(MakeToken("4001", HashOf(1), "1001")));
  // A bumping write that fails, or a transaction that rolls back, leaves the epoch alone.
  const int64_t before = VALUE(store().AuthEpoch());
  EXPECT_EQ(CodeOf(backend().RevokeToken("4999", 1)), Errc::kNotFound);
  EXPECT_FALSE(
      store()
          .Transaction([&]() -> Status {
            EXPECT_OK(backend().SetWorkspaceRole("3001", "1002", domain::WorkspaceRole::kMember));
            // Inside the transaction, the epoch already reflects its own write.
            EXPECT_GT(VALUE(store().AuthEpoch()), before);
            return Error::Make(Errc::kInternal, "roll back");
          })
          .has_value());
  EXPECT_EQ(VALUE(store().AuthEpoch()), before);
}

TEST_P(UnitOfWorkContract, ListenerRunsAfterEachCommittedBumpingWrite) {
  SeedTenancy();
  ASSERT_OK(backend().CreateToken(MakeToken("4001", HashOf(1), "1001")));
  int calls = 0;
  int64_t seen_epoch = 0;
  backend().OnAuthEpochBump([&] {
    ++calls;
    seen_epoch = VALUE(store().AuthEpoch());  // the write is committed when the listener runs
  });

  ASSERT_OK(backend().TouchTokens({{"4001", 1'700'001'000}}));  // bumps nothing
  EXPECT_EQ(calls, 0);
  ASSERT_OK(backend().RevokeToken("4001", 1'700'002'000));
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(seen_epoch, VALUE(store().AuthEpoch()));
  // A failed bumping write commits nothing, so nothing is announced.
  EXPECT_EQ(CodeOf(backend().RevokeToken("4999", 1)), Errc::kNotFound);
  EXPECT_EQ(calls, 1);
}

TEST_P(UnitOfWorkContract, ListenerRunsOncePerCommittedTransactionAndNeverOnRollback) {
  SeedTenancy();
  int calls = 0;
  backend().OnAuthEpochBump([&] { ++calls; });

  ASSERT_OK(store().Transaction([&]() -> Status {
    if (Status st = backend().SetWorkspaceRole("3001", "1002", domain::WorkspaceRole::kMember);
        !st) {
      return st;
    }
    if (Status st = backend().SetOrgRole("2001", "1002", domain::OrgRole::kMember); !st) return st;
    EXPECT_EQ(calls, 0);  // not before the commit
    return {};
  }));
  EXPECT_EQ(calls, 1);

  EXPECT_FALSE(store()
                   .Transaction([&]() -> Status {
                     EXPECT_OK(backend().RemoveOrgMember("2001", "1002"));
                     return Error::Make(Errc::kInternal, "roll back");
                   })
                   .has_value());
  EXPECT_EQ(calls, 1);

  // A committed transaction without a bumping write announces nothing.
  ASSERT_OK(store().Transaction([&] { return backend().CreateUser(MakeUser("1003", "")); }));
  EXPECT_EQ(calls, 1);

  backend().OnAuthEpochBump(nullptr);  // cleared: later writes call nothing
  ASSERT_OK(backend().RemoveOrgMember("2001", "1002"));
  EXPECT_EQ(calls, 1);
}

TEST_P(UnitOfWorkContract, ConcurrentReadersAndWritersAllSucceed) {
  SeedTenancy();
  ASSERT_OK(backend().CreateBot(MakeBot("5000", "3001", true, 1)));
  constexpr int kThreads = 4;
  constexpr int kRounds = 25;  // 8 store calls each: 200 per thread
  std::atomic<int> failures{0};
  std::mutex first_failure_mu;
  std::string first_failure;
  auto check = [&](bool ok, const std::string& what) {
    if (ok) return;
    if (failures.fetch_add(1) == 0) {
      std::lock_guard lock(first_failure_mu);
      first_failure = what;
    }
  };
  auto status_text = [](const auto& r) { return r.has_value() ? "" : r.error().message; };

  std::latch start(kThreads);  // maximize overlap: all threads begin together
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      int64_t last_epoch = 0;
      for (int i = 0; i < kRounds; ++i) {
        const std::string n = std::to_string(t * 1000 + i);
        const std::string user_id = "2" + n;
        auto created = backend().CreateUser(MakeUser(user_id, "u" + n + "@example.com"));
        check(created.has_value(), "CreateUser: " + status_text(created));
        auto token = backend().CreateToken(MakeToken("4" + n, HashOf(t * 1000 + i), user_id));
        check(token.has_value(), "CreateToken: " + status_text(token));
        auto found = backend().FindTokenByHash(HashOf(t * 1000 + i));
        check(found.has_value() && found->user_id == user_id,
              "FindTokenByHash: " + status_text(found));
        auto bot = backend().GetBot("5000");
        check(bot.has_value(), "GetBot: " + status_text(bot));
        auto listed = backend().ListBots("3001", std::nullopt, Page{1, 5});
        check(listed.has_value() && listed->total >= 1, "ListBots: " + status_text(listed));
        auto txn = store().Transaction([&]() -> Status {
          if (Status st =
                  backend().SetWorkspaceRole("3001", user_id, domain::WorkspaceRole::kMember);
              !st) {
            return st;
          }
          auto role = backend().GetWorkspaceRole("3001", user_id);
          if (!role) return role.error();
          if (*role != domain::WorkspaceRole::kMember) {
            return Error::Make(Errc::kInternal, "own write not visible");
          }
          return {};
        });
        check(txn.has_value(), "Transaction: " + status_text(txn));
        auto revoked = backend().RevokeToken("4" + n, 1'700'000'000 + i);
        check(revoked.has_value(), "RevokeToken: " + status_text(revoked));
        auto epoch = store().AuthEpoch();
        check(epoch.has_value() && *epoch > last_epoch, "AuthEpoch: " + status_text(epoch));
        if (epoch) last_epoch = *epoch;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0) << first_failure;
  EXPECT_EQ(VALUE(backend().CountUsers()), 2 + kThreads * kRounds);
  EXPECT_EQ(VALUE(backend().ListWorkspaceMembers("3001")).size(),
            static_cast<size_t>(kThreads * kRounds));
  EXPECT_TRUE(VALUE(backend().FindTokenByHash(HashOf(1000 + kRounds - 1))).Revoked());
}

}  // namespace
}  // namespace store
}  // namespace cozeauth
