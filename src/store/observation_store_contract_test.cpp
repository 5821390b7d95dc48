// The storage contract of ObservationStore (observation_store.hpp): the audit log (AppendAudit,
// ListAudit with its filters, newest first, limit) and per-credential request counts
// (AddRequestStats adds to the stored counts in one transaction per batch; ListRequestStats by
// minute window and token). Written against the interface; each TEST_P runs on an in-memory
// database and on a file.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "store/contract_test_rows.hpp"
#include "store/contract_test_support.hpp"
#include "store/store.hpp"

namespace cozeauth::store {
namespace {

using contract::AggregateContractTest;

constexpr int64_t kT = 1'700'000'000;  // a multiple of 60 plus 20 s
constexpr int64_t kMinute = kT / 60;

AuditEvent Event(std::string id, int64_t at, std::string actor, std::string action,
                 std::string target, std::string detail = "{}") {
  return AuditEvent{std::move(id),     at,      std::move(actor),
                    std::move(action), "token", std::move(target),
                    std::move(detail)};
}

RequestStat Stat(std::string token, std::string route, int code, int64_t minute, int64_t count) {
  return RequestStat{std::move(token), "pat", std::move(route), "chat", code, minute, count};
}

std::vector<std::string> Ids(const std::vector<AuditEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.id);
  return out;
}

class ObservationStoreContract : public AggregateContractTest<ObservationStore> {};

COZEAUTH_STORE_CONTRACT(ObservationStoreContract);

// --- audit

TEST_P(ObservationStoreContract, AuditRoundTripsEveryField) {
  AuditEvent e{
      "9001", kT, "1001", "token.created", "token", "5001", R"({"kind":"pat","name":"prod"})"};
  ASSERT_OK(store().AppendAudit(e));
  auto events = VALUE(store().ListAudit({}));
  ASSERT_EQ(events.size(), 1u);
  const AuditEvent& got = events[0];
  EXPECT_EQ(got.id, e.id);
  EXPECT_EQ(got.at, e.at);
  EXPECT_EQ(got.actor, e.actor);
  EXPECT_EQ(got.action, e.action);
  EXPECT_EQ(got.target_kind, e.target_kind);
  EXPECT_EQ(got.target_id, e.target_id);
  EXPECT_EQ(got.detail_json, e.detail_json);
}

TEST_P(ObservationStoreContract, AuditListsNewestFirstWithTiesInReverseInsertionOrder) {
  ASSERT_OK(store().AppendAudit(Event("1", kT, "a", "token.created", "t1")));
  ASSERT_OK(store().AppendAudit(Event("2", kT + 5, "a", "token.revoked", "t1")));
  ASSERT_OK(store().AppendAudit(Event("3", kT + 5, "a", "app.created", "x")));
  ASSERT_OK(store().AppendAudit(Event("4", kT - 5, "a", "app.deleted", "x")));
  EXPECT_EQ(Ids(VALUE(store().ListAudit({}))), (std::vector<std::string>{"3", "2", "1", "4"}));
}

TEST_P(ObservationStoreContract, AuditFiltersCombine) {
  ASSERT_OK(store().AppendAudit(Event("1", kT, "1001", "token.created", "t1")));
  ASSERT_OK(store().AppendAudit(Event("2", kT + 10, "1001", "token.revoked", "t1")));
  ASSERT_OK(store().AppendAudit(Event("3", kT + 20, "operator", "token.created", "t2")));
  ASSERT_OK(store().AppendAudit(Event("4", kT + 30, "1001", "app.created", "a1")));
  ASSERT_OK(store().AppendAudit(Event("5", kT + 40, "1001", "tokenish.thing", "t1")));

  AuditQuery q;
  q.action_prefix = "token.";
  EXPECT_EQ(Ids(VALUE(store().ListAudit(q))), (std::vector<std::string>{"3", "2", "1"}));
  q.actor = "1001";
  EXPECT_EQ(Ids(VALUE(store().ListAudit(q))), (std::vector<std::string>{"2", "1"}));
  q = {};
  q.target_id = "t1";
  EXPECT_EQ(Ids(VALUE(store().ListAudit(q))), (std::vector<std::string>{"5", "2", "1"}));
  q = {};
  q.since = kT + 10;  // inclusive
  q.until = kT + 30;  // exclusive
  EXPECT_EQ(Ids(VALUE(store().ListAudit(q))), (std::vector<std::string>{"3", "2"}));
  q = {};
  q.limit = 2;
  EXPECT_EQ(Ids(VALUE(store().ListAudit(q))), (std::vector<std::string>{"5", "4"}));
}

TEST_P(ObservationStoreContract, AuditPrefixIsLiteralNotAPattern) {
  ASSERT_OK(store().AppendAudit(Event("1", kT, "a", "token.created", "t")));
  ASSERT_OK(store().AppendAudit(Event("2", kT, "a", "tokenXcreated", "t")));
  AuditQuery q;
  q.action_prefix = "token.";
  EXPECT_EQ(Ids(VALUE(store().ListAudit(q))), (std::vector<std::string>{"1"}));
  q.action_prefix = "token_";  // '_' is a LIKE wildcard; here it is a character
  EXPECT_TRUE(VALUE(store().ListAudit(q)).empty());
  q.action_prefix = "%";
  EXPECT_TRUE(VALUE(store().ListAudit(q)).empty());
}

TEST_P(ObservationStoreContract, AuditDuplicateIdIsAlreadyExists) {
  ASSERT_OK(store().AppendAudit(Event("1", kT, "a", "token.created", "t")));
  auto again = store().AppendAudit(Event("1", kT, "a", "token.revoked", "t"));
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, Errc::kAlreadyExists);
  EXPECT_EQ(VALUE(store().ListAudit({})).size(), 1u);
}

TEST_P(ObservationStoreContract, AuditDoesNotBumpTheAuthEpoch) {
  const int64_t before = VALUE(backend().AuthEpoch());
  ASSERT_OK(store().AppendAudit(Event("1", kT, "a", "token.created", "t")));
  EXPECT_EQ(VALUE(backend().AuthEpoch()), before);
}

TEST_P(ObservationStoreContract, AuditJoinsAnEnclosingTransactionAndRollsBackWithIt) {
  auto failed = backend().Transaction([&]() -> Status {
    if (auto s = store().AppendAudit(Event("1", kT, "a", "token.created", "t")); !s) return s;
    return Error::Make(Errc::kInternal, "boom");
  });
  ASSERT_FALSE(failed.has_value());
  EXPECT_TRUE(VALUE(store().ListAudit({})).empty());
}

// --- request stats

TEST_P(ObservationStoreContract, RequestStatsAddToStoredCounts) {
  ASSERT_OK(store().AddRequestStats({Stat("t1", "/v1/bots/{bot_id}", 0, kMinute, 3),
                                     Stat("t1", "/v1/bots/{bot_id}", 4101, kMinute, 1)}));
  ASSERT_OK(store().AddRequestStats({Stat("t1", "/v1/bots/{bot_id}", 0, kMinute, 2)}));
  auto rows = VALUE(store().ListRequestStats(0, 0, ""));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].code, 0);
  EXPECT_EQ(rows[0].count, 5);
  EXPECT_EQ(rows[1].code, 4101);
  EXPECT_EQ(rows[1].count, 1);
  EXPECT_EQ(rows[0].token_id, "t1");
  EXPECT_EQ(rows[0].credential_kind, "pat");
  EXPECT_EQ(rows[0].route, "/v1/bots/{bot_id}");
  EXPECT_EQ(rows[0].permission, "chat");
  EXPECT_EQ(rows[0].minute, kMinute);
}

TEST_P(ObservationStoreContract, RequestStatsWindowIsSinceInclusiveUntilExclusiveInSeconds) {
  ASSERT_OK(
      store().AddRequestStats({Stat("t1", "/r", 0, kMinute - 1, 1), Stat("t1", "/r", 0, kMinute, 2),
                               Stat("t1", "/r", 0, kMinute + 1, 4)}));
  auto sum = [&](int64_t since, int64_t until) {
    int64_t n = 0;
    for (const auto& r : VALUE(store().ListRequestStats(since, until, ""))) n += r.count;
    return n;
  };
  EXPECT_EQ(sum(kMinute * 60, 0), 6);
  EXPECT_EQ(sum(kMinute * 60 + 1, 0), 4) << "minute*60 must be >= since";
  EXPECT_EQ(sum(kMinute * 60 - 59, 0), 6);
  EXPECT_EQ(sum(0, kMinute * 60), 1) << "minute*60 must be < until";
  EXPECT_EQ(sum(0, kMinute * 60 + 1), 3);
  EXPECT_EQ(sum(kMinute * 60, kMinute * 60), 0);
  EXPECT_EQ(sum(kMinute * 60 + 60, kMinute * 60), 0);
}

TEST_P(ObservationStoreContract, RequestStatsFilterByTokenInMinuteOrder) {
  ASSERT_OK(store().AddRequestStats({Stat("t2", "/r", 0, kMinute + 1, 1),
                                     Stat("t1", "/r", 4100, kMinute, 1),
                                     Stat("t2", "/r", 0, kMinute, 1)}));
  auto rows = VALUE(store().ListRequestStats(0, 0, "t2"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].minute, kMinute);
  EXPECT_EQ(rows[1].minute, kMinute + 1);
  EXPECT_EQ(VALUE(store().ListRequestStats(0, 0, "nobody")).size(), 0u);
  EXPECT_EQ(VALUE(store().ListRequestStats(0, 0, "")).size(), 3u);
}

TEST_P(ObservationStoreContract, RequestStatsEmptyBatchAndZeroCountsWriteNothing) {
  ASSERT_OK(store().AddRequestStats(std::vector<RequestStat>{}));
  ASSERT_OK(store().AddRequestStats(std::span<const RequestStatView>{}));
  ASSERT_OK(store().AddRequestStats({Stat("t1", "/r", 0, kMinute, 0)}));
  EXPECT_TRUE(VALUE(store().ListRequestStats(0, 0, "")).empty());
}

// Retention: every minute before the cutoff goes, the cutoff's minute and later stay, however
// many rows lie behind it. 12,000 rows are purged 5,000 per transaction: the chunks end inside
// a minute, between two tokens' rows.
TEST_P(ObservationStoreContract, RequestStatsPurgeDeletesTheMinutesBeforeTheCutoff) {
  std::vector<RequestStat> batch;
  for (int64_t m = kMinute - 3; m < kMinute; ++m) {
    for (int t = 0; t < 4000; ++t) {
      batch.push_back(Stat("t" + std::to_string(10000 + t), "/r", t % 2 == 0 ? 0 : 4101, m, 1));
    }
  }
  for (int64_t m : {kMinute, kMinute + 1}) {
    batch.push_back(Stat("t1", "/r", 0, m, 1));
    batch.push_back(Stat("t2", "/r", 4101, m, 2));
  }
  ASSERT_OK(store().AddRequestStats(batch));
  const int64_t epoch = VALUE(backend().AuthEpoch());
  EXPECT_EQ(VALUE(store().PurgeRequestStats(kMinute)), 12000);
  const auto rows = VALUE(store().ListRequestStats(0, 0, ""));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows.front().minute, kMinute);
  EXPECT_EQ(rows.back().minute, kMinute + 1);
  EXPECT_EQ(VALUE(backend().AuthEpoch()), epoch);
  // Nothing older left: a second purge removes nothing; then the rest; an empty table is no
  // error.
  EXPECT_EQ(VALUE(store().PurgeRequestStats(kMinute)), 0);
  EXPECT_EQ(VALUE(store().PurgeRequestStats(kMinute + 2)), 4);
  EXPECT_EQ(VALUE(store().PurgeRequestStats(kMinute + 2)), 0);
}

TEST_P(ObservationStoreContract, RequestStatsDoNotBumpTheAuthEpoch) {
  const int64_t before = VALUE(backend().AuthEpoch());
  ASSERT_OK(store().AddRequestStats({Stat("t1", "/r", 0, kMinute, 1)}));
  EXPECT_EQ(VALUE(backend().AuthEpoch()), before);
}

TEST_P(ObservationStoreContract, ConcurrentBatchesLoseNoCount) {
  constexpr int kThreads = 4;
  constexpr int kBatches = 25;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      for (int b = 0; b < kBatches; ++b) {
        auto s = store().AddRequestStats(
            {Stat("t1", "/r", 0, kMinute, 1), Stat("t1", "/r", 4101, kMinute, 2)});
        EXPECT_TRUE(s.has_value()) << s.error().message;
      }
    });
  }
  for (auto& t : threads) t.join();
  auto rows = VALUE(store().ListRequestStats(0, 0, "t1"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].count, kThreads * kBatches);
  EXPECT_EQ(rows[1].count, 2 * kThreads * kBatches);
}

// Two store objects on one database (two nodes on PostgreSQL, two processes on a SQLite file),
// each flushing its own counts: the stored counts add up, and a token's last_used_at is the
// latest either saw.
TEST_P(ObservationStoreContract, TwoStoresOnOneDatabaseAddUp) {
  if (!GetParam().file) GTEST_SKIP() << "an in-memory store is one object";
  auto opened = OpenStore(url());
  ASSERT_TRUE(opened.has_value()) << opened.error().message;
  Store& other = **opened;
  ASSERT_OK(backend().CreateUser(contract::MakeUser("1001", "a@example.com")));
  ASSERT_OK(backend().CreateAccount(contract::PersonalAccount("1001")));
  ASSERT_OK(backend().CreateToken(contract::MakeToken("t1", contract::HashOf(1), "1001")));
  constexpr int kBatches = 50;
  std::array<Store*, 2> nodes = {&backend(), &other};
  std::vector<std::thread> threads;
  for (int n = 0; n < 2; ++n) {
    threads.emplace_back([&, n] {
      for (int b = 0; b < kBatches; ++b) {
        auto s = nodes[n]->AddRequestStats({Stat("t1", "/r", 0, kMinute, 1)});
        EXPECT_TRUE(s.has_value()) << s.error().message;
        // Node 0 saw the token last at even seconds, node 1 at odd ones; 1 + 2 * 49 is latest.
        auto t = nodes[n]->TouchTokens({{"t1", kMinute * 60 + n + 2 * b}});
        EXPECT_TRUE(t.has_value()) << t.error().message;
      }
    });
  }
  for (auto& t : threads) t.join();
  auto rows = VALUE(store().ListRequestStats(0, 0, "t1"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].count, 2 * kBatches);
  EXPECT_EQ(VALUE(other.GetToken("t1")).last_used_at, kMinute * 60 + 1 + 2 * (kBatches - 1));
}

}  // namespace
}  // namespace cozeauth::store
