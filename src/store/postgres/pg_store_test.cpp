// What only the PostgreSQL backend can show (the contract suites run on it too): the parameter
// spelling, text it cannot store, reconnecting after the server restarts, and another store's
// bump reaching this store's listener through LISTEN/NOTIFY. Also RedactedUrl, which exists for
// PostgreSQL URLs.
#include "store/postgres/pg_store.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>

#include "store/contract_test_rows.hpp"
#include "store/contract_test_support.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/store.hpp"
#include "support/pg_cluster.hpp"

namespace cozeauth::store {
namespace {

using namespace contract;  // NOLINT(google-build-using-namespace): the suite's vocabulary

std::string Translate(std::string_view sql) {
  int count = 0;
  std::string out = postgres::TranslateParameters(sql, &count);
  return out + " #" + std::to_string(count);
}

TEST(PgParameters, QuestionMarksBecomeNumberedOutsideQuotes) {
  EXPECT_EQ(Translate("SELECT a FROM t WHERE b = ? AND c = ?"),
            "SELECT a FROM t WHERE b = $1 AND c = $2 #2");
  // ?N is N; a bare ? after it is one past the highest so far (SQLite's rule).
  EXPECT_EQ(Translate("WHERE x = ?2 OR y = ?1 OR z = ?"), "WHERE x = $2 OR y = $1 OR z = $3 #3");
  EXPECT_EQ(Translate("WHERE (?1 = '' OR a = ?1)"), "WHERE ($1 = '' OR a = $1) #1");
  EXPECT_EQ(Translate("SELECT '?', \"a?\" FROM t WHERE s = 'it''s ?' AND b = ?"),
            "SELECT '?', \"a?\" FROM t WHERE s = 'it''s ?' AND b = $1 #1");
  EXPECT_EQ(Translate("SELECT 1"), "SELECT 1 #0");
}

TEST(RedactedUrl, HidesThePasswordAndNothingElse) {
  EXPECT_EQ(RedactedUrl("postgresql://cz:s3cret@db.example:5432/coze"),
            "postgresql://cz:***@db.example:5432/coze");
  EXPECT_EQ(RedactedUrl("postgres://cz:p@ss@host/db"), "postgres://cz:***@host/db");
  EXPECT_EQ(RedactedUrl("postgresql://cz@host/db?sslmode=require&password=s3cret&x=1"),
            "postgresql://cz@host/db?sslmode=require&password=***&x=1");
  EXPECT_EQ(RedactedUrl("postgresql://cz@host:5432/db"), "postgresql://cz@host:5432/db");
  EXPECT_EQ(RedactedUrl("sqlite:./var/cozeauth.db"), "sqlite:./var/cozeauth.db");
}

TEST(OpenStoreUrl, AnUnsupportedUrlIsRefusedWithoutEchoingIt) {
  auto opened = OpenStore("mysql://root:hunter2@db/coze");
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code, Errc::kBadRequest);
  EXPECT_EQ(opened.error().message.find("hunter2"), std::string::npos);
}

TEST(PgStore, AnUnreachableServerFailsToOpenWithoutEchoingThePassword) {
  // Port 1 on loopback: nothing listens there.
  auto opened = OpenStore("postgresql://cz:hunter2@127.0.0.1:1/coze?connect_timeout=5");
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code, Errc::kInternal);
  EXPECT_EQ(opened.error().message.find("hunter2"), std::string::npos);
}

class PgStoreTest : public testing::Test {
 protected:
  void SetUp() override {
    pg_ = it::PgCluster::Shared();
    ASSERT_NE(pg_, nullptr);
    url_ = pg_->NewDatabase();
    auto opened = OpenStore(url_);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    store_ = std::move(opened).value();
  }

  it::PgCluster* pg_ = nullptr;
  std::string url_;
  std::unique_ptr<Store> store_;
};

TEST_F(PgStoreTest, TextWithANulIsABadRequestAndWritesNothing) {
  domain::User user = MakeUser("1001", "a@example.com");
  user.name = std::string("al\0ice", 6);
  const Status created = store_->CreateUser(user);
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error().code, Errc::kBadRequest);
  EXPECT_EQ(CodeOf(store_->GetUser("1001")), Errc::kNotFound);
  // The store goes on working.
  ASSERT_OK(store_->CreateUser(MakeUser("1001", "a@example.com")));
}

TEST_F(PgStoreTest, ItReconnectsAfterTheServerRestarts) {
  ASSERT_OK(store_->CreateUser(MakeUser("1001", "a@example.com")));
  ASSERT_OK(store_->GetUser("1001"));  // a pooled reader, a writer and the epoch reader in use
  const int64_t epoch = VALUE(store_->AuthEpoch());
  pg_->Restart();  // terminates every connection
  EXPECT_OK(store_->GetUser("1001"));
  EXPECT_OK(store_->CreateUser(MakeUser("1002", "b@example.com")));
  EXPECT_EQ(VALUE(store_->AuthEpoch()), epoch);
  EXPECT_OK(store_->GetUser("1002"));
}

// Waits for a count of listener calls; the deadline only bounds a failure.
class BumpCounter {
 public:
  void Add() {
    std::lock_guard lock(mu_);
    ++calls_;
    cv_.notify_all();
  }
  bool WaitFor(int calls) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(15), [&] { return calls_ >= calls; });
  }
  int calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int calls_ = 0;
};

TEST_F(PgStoreTest, AnotherStoresBumpReachesThisStoresListener) {
  BumpCounter auth;
  BumpCounter bots;
  store_->OnAuthEpochBump([&] { auth.Add(); });
  store_->OnBotEpochBump([&] { bots.Add(); });
  auto other = OpenStore(url_);  // another node on the same database
  ASSERT_TRUE(other.has_value()) << other.error().message;

  const int64_t epoch_before = VALUE(store_->AuthEpoch());
  ASSERT_OK((*other)->CreateUser(MakeUser("1001", "a@example.com")));
  ASSERT_OK((*other)->CreateAccount(PersonalAccount("1001")));
  ASSERT_OK((*other)->CreateWorkspace(MakeWorkspace("3001", "1001", "1001", 1)));
  ASSERT_OK((*other)->SetWorkspaceRole("3001", "1001", domain::WorkspaceRole::kMember));
  // One call per bump the other store committed (each moved the epoch by one).
  const int bumps = static_cast<int>(VALUE((*other)->AuthEpoch()) - epoch_before);
  ASSERT_GE(bumps, 1);  // at least the role change
  EXPECT_TRUE(auth.WaitFor(bumps)) << "a role change on another node never reached this store";
  // This store's own bump reaches it once, at its commit, not again through NOTIFY: the other
  // store's next bump is delivered after the echo of this one would be (one listening
  // connection delivers notifications in commit order), so once it arrived, the count is final.
  ASSERT_OK(store_->RemoveWorkspaceMember("3001", "1001"));
  EXPECT_EQ(auth.calls(), bumps + 1);
  ASSERT_OK((*other)->SetWorkspaceRole("3001", "1001", domain::WorkspaceRole::kAdmin));
  ASSERT_TRUE(auth.WaitFor(bumps + 2));
  EXPECT_EQ(auth.calls(), bumps + 2);
  store_->OnAuthEpochBump(nullptr);
  store_->OnBotEpochBump(nullptr);
  EXPECT_EQ(bots.calls(), 0);
}

}  // namespace
}  // namespace cozeauth::store
