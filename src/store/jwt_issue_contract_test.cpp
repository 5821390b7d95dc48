// The storage contract of Store::IssueJwtToken (store.hpp): the JWT-bearer grant's jti and token
// in one write, both or neither; a live jti refuses the call, an expired one is taken over; inside
// Transaction() it joins; concurrent calls each get their own outcome (a backend may group-commit
// them), and what was acknowledged is committed (a file store reopened still has it). Each TEST_P
// runs on every backend (contract_test_support.hpp).

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "base/blocking.hpp"
#include "store/contract_test_rows.hpp"
#include "store/contract_test_support.hpp"
#include "store/store.hpp"

namespace cozeauth::store {
namespace {

using namespace contract;  // NOLINT(google-build-using-namespace): the suite's vocabulary

constexpr int64_t kT = 1'700'000'000;

JwtIdUse Jti(const std::string& jti, int64_t expires_at = kT + 960, int64_t now = kT) {
  return {"7001", jti, expires_at, now};
}

credentials::Token AppToken(int n) {
  credentials::Token t = MakeToken(std::to_string(40'000 + n), HashOf(n), "");
  t.kind = credentials::TokenKind::kAppAccess;
  t.context.account_id = "1001";
  t.app_id = "7001";
  t.authorization_id = "8001";
  t.expires_at = kT + 900;
  return t;
}

bool Stored(Store& s, int n) { return s.FindTokenByHash(HashOf(n)).has_value(); }

class JwtIssueContract : public TenancySeededContractTest<Store> {
  void Seed() override { SeedTenancy(); }
};

COZEAUTH_STORE_CONTRACT(JwtIssueContract);

TEST_P(JwtIssueContract, IssuesTheTokenAndSpendsTheJti) {
  ASSERT_OK(store().IssueJwtToken(Jti("j1"), AppToken(1)));
  const credentials::Token got = VALUE(store().FindTokenByHash(HashOf(1)));
  EXPECT_EQ(Fields(got), Fields(AppToken(1)));
  // The jti is spent for UseJwtId as for IssueJwtToken, and the refused call wrote nothing.
  EXPECT_EQ(CodeOf(store().UseJwtId("7001", "j1", kT + 960, kT + 1)), Errc::kAlreadyExists);
  EXPECT_EQ(CodeOf(store().IssueJwtToken(Jti("j1", kT + 960, kT + 1), AppToken(2))),
            Errc::kAlreadyExists);
  EXPECT_FALSE(Stored(store(), 2));
  // Another app may use the same jti.
  JwtIdUse other = Jti("j1");
  other.app_id = "7002";
  EXPECT_OK(store().IssueJwtToken(other, AppToken(3)));
}

TEST_P(JwtIssueContract, AJtiUsedByUseJwtIdIsRefusedUntilItExpires) {
  ASSERT_OK(store().UseJwtId("7001", "j1", kT + 100, kT));
  EXPECT_EQ(CodeOf(store().IssueJwtToken(Jti("j1", kT + 960, kT + 99), AppToken(1))),
            Errc::kAlreadyExists);
  EXPECT_FALSE(Stored(store(), 1));
  // At its expiry the row no longer counts: taken over, with the new expiry.
  ASSERT_OK(store().IssueJwtToken(Jti("j1", kT + 960, kT + 100), AppToken(1)));
  EXPECT_TRUE(Stored(store(), 1));
  EXPECT_EQ(CodeOf(store().UseJwtId("7001", "j1", kT + 960, kT + 959)), Errc::kAlreadyExists);
  EXPECT_EQ(VALUE(backend().PurgeExpired(kT + 959)), 0);
}

TEST_P(JwtIssueContract, ATokenThatCannotBeStoredLeavesTheJtiUnspent) {
  ASSERT_OK(store().CreateToken(AppToken(1)));
  credentials::Token clash = AppToken(2);
  clash.token_hash = HashOf(1);
  EXPECT_EQ(CodeOf(store().IssueJwtToken(Jti("j1"), clash)), Errc::kAlreadyExists);
  ASSERT_OK(store().IssueJwtToken(Jti("j1"), AppToken(3)));
  EXPECT_TRUE(Stored(store(), 3));
}

TEST_P(JwtIssueContract, JoinsTheTransactionItRunsIn) {
  // Rolled back with the transaction: neither the token nor the jti stays.
  const Status failed = backend().Transaction([&]() -> Status {
    if (auto s = store().IssueJwtToken(Jti("j1"), AppToken(1)); !s) return s;
    EXPECT_TRUE(Stored(store(), 1));  // seen inside
    return Error::Make(Errc::kInternal, "abort");
  });
  ASSERT_FALSE(failed.has_value());
  EXPECT_FALSE(Stored(store(), 1));
  // A refused call inside a transaction undoes only itself.
  ASSERT_OK(backend().Transaction([&]() -> Status {
    EXPECT_OK(store().IssueJwtToken(Jti("j1"), AppToken(1)));
    EXPECT_EQ(CodeOf(store().IssueJwtToken(Jti("j1"), AppToken(2))), Errc::kAlreadyExists);
    return store().IssueJwtToken(Jti("j2"), AppToken(3));
  }));
  EXPECT_TRUE(Stored(store(), 1));
  EXPECT_FALSE(Stored(store(), 2));
  EXPECT_TRUE(Stored(store(), 3));
}

TEST_P(JwtIssueContract, ConcurrentCallsEachGetTheirOwnOutcome) {
  // Every jti is brought by two threads at once: exactly one of the two gets a token, whichever
  // batch either call lands in, and a refusal takes no other call's token with it.
  constexpr int kThreads = 8;
  constexpr int kPerThread = 40;
  std::vector<std::vector<std::pair<int, bool>>> outcomes(kThreads);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ready.fetch_add(1);
      while (ready.load() < kThreads) std::this_thread::yield();
      for (int i = 0; i < kPerThread; ++i) {
        const int n = t * kPerThread + i;
        const std::string jti = "j" + std::to_string((t / 2) * kPerThread + i);
        const Status s = store().IssueJwtToken(Jti(jti), AppToken(n));
        EXPECT_TRUE(s.has_value() || s.error().code == Errc::kAlreadyExists) << s.error().message;
        outcomes[t].push_back({n, s.has_value()});
      }
    });
  }
  for (auto& th : threads) th.join();
  int issued = 0;
  for (int t = 0; t < kThreads; t += 2) {
    for (int i = 0; i < kPerThread; ++i) {
      const auto [a, a_ok] = outcomes[t][i];
      const auto [b, b_ok] = outcomes[t + 1][i];
      EXPECT_NE(a_ok, b_ok) << "jti of tokens " << a << " and " << b;
      EXPECT_EQ(Stored(store(), a), a_ok) << a;
      EXPECT_EQ(Stored(store(), b), b_ok) << b;
      issued += static_cast<int>(a_ok) + static_cast<int>(b_ok);
    }
  }
  EXPECT_EQ(issued, kThreads / 2 * kPerThread);
}

TEST_P(JwtIssueContract, RefusesToBlockInsideANonBlockingScope) {
  {
    NonBlockingScope scope;  // base/blocking.hpp: nothing queues or writes on an I/O thread
    EXPECT_THROW((void)store().IssueJwtToken(Jti("j1"), AppToken(1)), WouldBlock);
  }
  EXPECT_FALSE(Stored(store(), 1));
  EXPECT_OK(store().IssueJwtToken(Jti("j1"), AppToken(1)));
}

TEST_P(JwtIssueContract, WhatWasAcknowledgedIsThereAfterReopening) {
  if (!GetParam().file) GTEST_SKIP() << "an in-memory store does not outlive its object";
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  std::atomic<int> acknowledged{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const int n = t * kPerThread + i;
        if (store().IssueJwtToken(Jti("j" + std::to_string(n)), AppToken(n)).has_value()) {
          acknowledged.fetch_add(1);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_EQ(acknowledged.load(), kThreads * kPerThread);
  store_.reset();
  auto reopened = OpenStore(url());
  ASSERT_TRUE(reopened.has_value()) << reopened.error().message;
  for (int n = 0; n < kThreads * kPerThread; ++n) EXPECT_TRUE(Stored(**reopened, n)) << n;
  EXPECT_EQ(CodeOf((*reopened)->UseJwtId("7001", "j0", kT + 960, kT)), Errc::kAlreadyExists);
}

// IssueJwtTokenAsync: the same outcomes without a waiting caller. Every jti is brought twice,
// all calls queued at once from one thread (as an I/O thread would): each callback is called
// exactly once, exactly one call per jti gets a token, and what was acknowledged is stored — also
// in a reopened file store, and also when the store is closed with calls still queued.
TEST_P(JwtIssueContract, AsyncCallsEachHearTheirOwnOutcomeOnce) {
  constexpr int kJtis = 150;
  std::mutex mu;
  std::condition_variable cv;
  std::vector<int> heard(2 * kJtis, 0);
  std::vector<bool> ok(2 * kJtis, false);
  int answered = 0;
  {
    NonBlockingScope scope;  // queueing is not a blocking call for this backend… or it throws
    try {
      store().IssueJwtTokenAsync(Jti("probe"), AppToken(9999), [](Status) {});
    } catch (const WouldBlock&) {
      GTEST_SKIP() << "this backend issues synchronously (the Store default)";
    }
  }
  for (int n = 0; n < 2 * kJtis; ++n) {
    store().IssueJwtTokenAsync(Jti("j" + std::to_string(n % kJtis)), AppToken(n), [&, n](Status s) {
      EXPECT_TRUE(s.has_value() || s.error().code == Errc::kAlreadyExists) << s.error().message;
      std::lock_guard lock(mu);
      heard[n] += 1;
      ok[n] = s.has_value();
      answered += 1;
      cv.notify_all();
    });
  }
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return answered == 2 * kJtis; });
  }
  for (int n = 0; n < kJtis; ++n) {
    EXPECT_EQ(heard[n], 1) << n;
    EXPECT_EQ(heard[n + kJtis], 1) << n + kJtis;
    EXPECT_NE(ok[n], ok[n + kJtis]) << "jti j" << n;
    EXPECT_EQ(Stored(store(), n), ok[n]) << n;
    EXPECT_EQ(Stored(store(), n + kJtis), ok[n + kJtis]) << n + kJtis;
  }
  // Closed with calls still queued: each is still answered, and what was acknowledged stays.
  std::atomic<int> late_ok{0}, late_heard{0};
  for (int n = 0; n < 20; ++n) {
    store().IssueJwtTokenAsync(Jti("late" + std::to_string(n)), AppToken(1000 + n), [&](Status s) {
      late_heard.fetch_add(1);
      if (s) late_ok.fetch_add(1);
    });
  }
  store_.reset();
  EXPECT_EQ(late_heard.load(), 20);
  if (!GetParam().file) return;
  auto reopened = OpenStore(url());
  ASSERT_TRUE(reopened.has_value()) << reopened.error().message;
  int stored = 0;
  for (int n = 0; n < 20; ++n) stored += Stored(**reopened, 1000 + n) ? 1 : 0;
  EXPECT_EQ(stored, late_ok.load());
  for (int n = 0; n < 2 * kJtis; ++n) EXPECT_EQ(Stored(**reopened, n), ok[n]) << n;
}

// One batch with refused calls in it. The calls are queued while another thread's transaction
// holds the writer, so that they commit together rather than one by one: a jti in use refuses
// its call alone; a token that cannot be stored (its digest taken) refuses its call alone and
// leaves that call's jti unspent; every other call of the batch gets its token.
TEST_P(JwtIssueContract, ARefusedCallInABatchTakesNoOtherCallWithIt) {
  {
    NonBlockingScope scope;
    try {
      store().IssueJwtTokenAsync(Jti("probe"), AppToken(9999), [](Status) {});
    } catch (const WouldBlock&) {
      GTEST_SKIP() << "this backend issues synchronously (the Store default)";
    }
  }
  ASSERT_OK(store().CreateToken(AppToken(0)));
  ASSERT_OK(store().UseJwtId("7001", "in-use", kT + 960, kT));
  constexpr int kCalls = 40;
  const auto jti_of = [](int n) {
    return n % 10 == 3 ? std::string("in-use") : "j" + std::to_string(n);
  };
  const auto clashes = [](int n) { return n % 10 == 7; };
  std::mutex mu;
  std::condition_variable cv;
  bool held = false, queued = false;
  int answered = 0;
  std::vector<std::optional<Errc>> refused(kCalls + 1);
  std::thread holder([&] {
    ASSERT_OK(backend().Transaction([&]() -> Status {
      std::unique_lock lock(mu);
      held = true;
      cv.notify_all();
      cv.wait(lock, [&] { return queued; });
      return {};
    }));
  });
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return held; });
  }
  for (int n = 1; n <= kCalls; ++n) {
    credentials::Token token = AppToken(n);
    if (clashes(n)) token.token_hash = HashOf(0);
    store().IssueJwtTokenAsync(Jti(jti_of(n)), token, [&, n](Status s) {
      std::lock_guard lock(mu);
      if (!s) refused[n] = s.error().code;
      answered += 1;
      cv.notify_all();
    });
  }
  {
    std::unique_lock lock(mu);
    queued = true;
    cv.notify_all();
    cv.wait(lock, [&] { return answered == kCalls; });
  }
  holder.join();
  for (int n = 1; n <= kCalls; ++n) {
    if (n % 10 == 3 || clashes(n)) {
      EXPECT_EQ(refused[n], Errc::kAlreadyExists) << n;
      EXPECT_FALSE(Stored(store(), n)) << n;
    } else {
      EXPECT_EQ(refused[n], std::nullopt) << n;
      EXPECT_TRUE(Stored(store(), n)) << n;
    }
    // A clashing call's jti was not spent; every other call's was.
    if (clashes(n)) {
      EXPECT_TRUE(store().UseJwtId("7001", jti_of(n), kT + 960, kT).has_value()) << n;
    } else {
      EXPECT_EQ(CodeOf(store().UseJwtId("7001", jti_of(n), kT + 960, kT)), Errc::kAlreadyExists)
          << n;
    }
  }
}

}  // namespace
}  // namespace cozeauth::store
