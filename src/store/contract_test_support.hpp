#pragma once
// Shared by the storage contract suites (*_store_contract_test.cpp): status assertions, a
// temporary database file, and a fixture that runs each TEST_P on every backend — an in-memory
// SQLite database and a file (WAL, reader pool). Test-only.
//
//   class FooContract : public StoreContractTest {
//     void Seed() override { ASSERT_OK(store().CreateUser(…)); }
//   };
//   COZEAUTH_STORE_CONTRACT(FooContract);
//   TEST_P(FooContract, Bar) { EXPECT_EQ(CodeOf(store().GetUser("x")), Errc::kNotFound); }

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "store/store.hpp"

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
  bool file;
};
inline void PrintTo(const Backend& b, std::ostream* os) { *os << b.name; }

class StoreContractTest : public testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string url = "sqlite::memory:";
    if (GetParam().file) {
      const auto* info = testing::UnitTest::GetInstance()->current_test_info();
      std::string name = std::string(info->test_suite_name()) + "_" + info->name();
      std::replace(name.begin(), name.end(), '/', '_');
      db_.emplace(name);
      url = "sqlite:" + db_->path();
    }
    auto opened = OpenStore(url);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    store_ = std::move(opened).value();
    Seed();
  }
  // Fixture rows every test of the suite starts with.
  virtual void Seed() {}

  Store& store() { return *store_; }

  std::optional<TempDbPath> db_;  // declared first: the store closes before its file goes
  std::unique_ptr<Store> store_;
};

}  // namespace cozeauth::store::contract

#define COZEAUTH_STORE_CONTRACT(Suite)                                                        \
  INSTANTIATE_TEST_SUITE_P(                                                                   \
      Sqlite, Suite,                                                                          \
      testing::Values(::cozeauth::store::contract::Backend{"memory", false},                  \
                      ::cozeauth::store::contract::Backend{"file", true}),                    \
      [](const testing::TestParamInfo<::cozeauth::store::contract::Backend>& info) {          \
        return std::string(info.param.name);                                                  \
      })
