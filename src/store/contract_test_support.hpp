#pragma once
// Shared by the storage contract suites (<interface>_contract_test.cpp, one per aggregate
// interface of store.hpp): status assertions, a temporary database file, a fixture that runs
// each TEST_P on every backend — an in-memory SQLite database, a file (WAL, reader pool) and a
// database of the test process's own PostgreSQL cluster (tests/support/pg_cluster.hpp) —
// and the table that checks which writes bump the auth epoch. Test-only.
//
//   class FooContract : public AggregateContractTest<TenancyStore> {
//     void Seed() override { ASSERT_OK(backend().CreateUser(…)); }
//   };
//   COZEAUTH_STORE_CONTRACT(FooContract);
//   TEST_P(FooContract, Bar) { EXPECT_EQ(CodeOf(store().GetUser("x")), Errc::kNotFound); }
//
// store() is the interface under test, so a suite's assertions can only reach its aggregate;
// backend() is the whole Store, for rows of other aggregates that foreign keys need, for
// Transaction() and for AuthEpoch().

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "store/store.hpp"
#include "support/pg_cluster.hpp"

namespace cozeauth {
// Readable failure output for error codes.
inline void PrintTo(Errc code, std::ostream* os) {
  *os << "Errc(" << static_cast<int>(code) << ")";
}
}  // namespace cozeauth

#define ASSERT_OK(expr)                                                           \
  do {                                                                            \
    auto status_ = (expr);                                                        \
    ASSERT_TRUE(status_.has_value()) << #expr << ": " << status_.error().message; \
  } while (0)
#define EXPECT_OK(expr)                                                           \
  do {                                                                            \
    auto status_ = (expr);                                                        \
    EXPECT_TRUE(status_.has_value()) << #expr << ": " << status_.error().message; \
  } while (0)
#define VALUE(expr) ::cozeauth::store::contract::Unwrap((expr), #expr)

namespace cozeauth::store::contract {

// The value of a Result, or a recorded failure and T{}.
template <typename T>
T Unwrap(Result<T> r, const char* expr) {
  if (!r.has_value()) {
    ADD_FAILURE() << expr << ": " << r.error().message;
    return T{};
  }
  return std::move(r).value();
}

// The error code of a Status or Result (kOk on success).
template <typename R>
Errc CodeOf(const R& r) {
  return r.has_value() ? Errc::kOk : r.error().code;
}

// A directory of its own under the test temp dir, removed with the object.
class TempDbPath {
 public:
  explicit TempDbPath(const std::string& name)
      : dir_(std::filesystem::path(testing::TempDir()) / "cozeauth_store_contract" /
             (std::to_string(::getpid()) + "_" + name)) {
    std::filesystem::remove_all(dir_);
  }
  ~TempDbPath() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TempDbPath(const TempDbPath&) = delete;
  TempDbPath& operator=(const TempDbPath&) = delete;
  // Not created here: the store creates it on open (and tests may check that it does).
  const std::filesystem::path& dir() const { return dir_; }
  std::string path() const { return (dir_ / "store.db").string(); }

 private:
  std::filesystem::path dir_;
};

struct Backend {
  const char* name;
  bool file;              // a database that outlives its store object (a file, a server)
  bool postgres = false;  // a database of the test process's PostgreSQL cluster (PgCluster)
};
inline void PrintTo(const Backend& b, std::ostream* os) { *os << b.name; }

class StoreContractTest : public testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string url = "sqlite::memory:";
    if (GetParam().postgres) {
      it::PgCluster* pg = it::PgCluster::Shared();
      ASSERT_NE(pg, nullptr);
      url = pg->NewDatabase();
    } else if (GetParam().file) {
      const auto* info = testing::UnitTest::GetInstance()->current_test_info();
      std::string name = std::string(info->test_suite_name()) + "_" + info->name();
      std::replace(name.begin(), name.end(), '/', '_');
      db_.emplace(name);
      url = "sqlite:" + db_->path();
    }
    url_ = url;
    auto opened = OpenStore(url);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    store_ = std::move(opened).value();
    Seed();
  }
  // The URL the store was opened with (OpenStore opens it again).
  const std::string& url() const { return url_; }
  // Fixture rows every test of the suite starts with.
  virtual void Seed() {}

  // The whole backend.
  Store& backend() { return *store_; }

  std::optional<TempDbPath> db_;  // declared first: the store closes before its file goes
  std::string url_;
  std::unique_ptr<Store> store_;
};

// A suite of one aggregate interface: store() is that interface (see the header comment).
template <typename Interface>
class AggregateContractTest : public StoreContractTest {
 protected:
  Interface& store() { return backend(); }
};

// One call that must fail with kNotFound; `name` labels a failure.
struct NotFoundCase {
  const char* name;
  std::function<Errc()> call;
};

inline void ExpectNotFound(const std::vector<NotFoundCase>& cases) {
  for (const auto& c : cases) EXPECT_EQ(c.call(), Errc::kNotFound) << c.name;
}

// A lookup by a secret's digest that found nothing: kNotFound, and the message never echoes the
// digest.
template <typename R>
void ExpectNotFoundWithoutEcho(const R& r, const std::string& digest) {
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::kNotFound);
  EXPECT_EQ(r.error().message.find(digest), std::string::npos);
}

// The result of a write that must have failed with kAlreadyExists, with a message that does not
// echo `secret` (a digest the write carried).
struct DuplicateCase {
  const char* name;
  Status status;
};

inline void ExpectAlreadyExists(const std::vector<DuplicateCase>& cases,
                                const std::string& secret) {
  for (const auto& c : cases) {
    ASSERT_FALSE(c.status.has_value()) << c.name;
    EXPECT_EQ(c.status.error().code, Errc::kAlreadyExists)
        << c.name << ": " << c.status.error().message;
    EXPECT_EQ(c.status.error().message.find(secret), std::string::npos) << c.name;
  }
}

// One write and whether its interface's contract lists it as bumping the auth epoch.
struct EpochCase {
  const char* name;
  std::function<Status()> write;
  bool bumps;
};

// Runs the writes in order; each must succeed, and move the epoch forward exactly when it bumps.
inline void ExpectEpochMoves(UnitOfWork& uow, const std::vector<EpochCase>& cases) {
  for (const auto& c : cases) {
    const int64_t before = Unwrap(uow.AuthEpoch(), "AuthEpoch() before");
    const Status written = c.write();
    ASSERT_TRUE(written.has_value()) << c.name << ": " << written.error().message;
    const int64_t after = Unwrap(uow.AuthEpoch(), "AuthEpoch() after");
    if (c.bumps) {
      EXPECT_GT(after, before) << c.name;
    } else {
      EXPECT_EQ(after, before) << c.name;
    }
  }
}

}  // namespace cozeauth::store::contract

#define COZEAUTH_STORE_CONTRACT(Suite)                                               \
  INSTANTIATE_TEST_SUITE_P(                                                          \
      Sqlite, Suite,                                                                 \
      testing::Values(::cozeauth::store::contract::Backend{"memory", false},         \
                      ::cozeauth::store::contract::Backend{"file", true}),           \
      [](const testing::TestParamInfo<::cozeauth::store::contract::Backend>& info) { \
        return std::string(info.param.name);                                         \
      });                                                                            \
  INSTANTIATE_TEST_SUITE_P(                                                          \
      Postgres, Suite,                                                               \
      testing::Values(::cozeauth::store::contract::Backend{"server", true, true}),   \
      [](const testing::TestParamInfo<::cozeauth::store::contract::Backend>& info) { \
        return std::string(info.param.name);                                         \
      })
