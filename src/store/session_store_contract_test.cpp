// The storage contract of SessionStore (session_store.hpp): console sessions found by the digest
// of their cookie, written against the interface so that every backend runs it. Each TEST_P runs
// on an in-memory database and on a file (WAL, reader pool).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/contract_test_rows.hpp"
#include "store/contract_test_support.hpp"
#include "store/store.hpp"

namespace cozeauth {
namespace store {
namespace {

using namespace contract;  // NOLINT(google-build-using-namespace): the suite's vocabulary

class SessionContract : public TenancySeededContractTest<SessionStore> {};

COZEAUTH_STORE_CONTRACT(SessionContract);

TEST_P(SessionContract, CreatesFindsAndDeletes) {
  SeedTenancy();
  const Session session{"s1", std::string(64, 'e'), "csrf-1", "1001", 1'700'000'190, 1'700'086'590};
  ASSERT_OK(store().CreateSession(session));
  EXPECT_EQ(Fields(VALUE(store().FindSessionByHash(session.session_hash))), Fields(session));
  ASSERT_OK(store().DeleteSession("s1"));
  EXPECT_EQ(CodeOf(store().FindSessionByHash(session.session_hash)), Errc::kNotFound);
}

TEST_P(SessionContract, DeletesTheOtherSessionsOfThatUserOnly) {
  SeedTenancy();
  ASSERT_OK(store().CreateSession(Session{"s1", HashOf(51), "c1", "1001", 1, 2}));
  ASSERT_OK(store().CreateSession(Session{"s2", HashOf(52), "c2", "1001", 1, 2}));
  ASSERT_OK(store().CreateSession(Session{"s3", HashOf(53), "c3", "1002", 1, 2}));
  ASSERT_OK(store().DeleteOtherSessionsOfUser("1001", "s1"));
  EXPECT_EQ(VALUE(store().FindSessionByHash(HashOf(51))).id, "s1");
  EXPECT_EQ(CodeOf(store().FindSessionByHash(HashOf(52))), Errc::kNotFound);
  EXPECT_EQ(VALUE(store().FindSessionByHash(HashOf(53))).id, "s3");
  ASSERT_OK(store().DeleteOtherSessionsOfUser("1001", "s1"));  // none left: not an error
}

TEST_P(SessionContract, MissingRowsAreNotFound) {
  SeedTenancy();
  const std::string secret_hash = HashOf(998);
  ExpectNotFound({{"DeleteSession", [&] { return CodeOf(store().DeleteSession("s9")); }}});

  // Lookups by secret digest never echo the digest.
  ExpectNotFoundWithoutEcho(store().FindSessionByHash(secret_hash), secret_hash);
}

TEST_P(SessionContract, DuplicatesAreAlreadyExists) {
  SeedTenancy();
  ASSERT_OK(store().CreateSession(Session{"s1", HashOf(50), "c", "1001", 1, 2}));
  ExpectAlreadyExists(
      {{"same session hash", store().CreateSession(Session{"s2", HashOf(50), "c", "1001", 1, 2})}},
      HashOf(1));
}

// session_store.hpp: "Bumps the auth epoch: nothing."
TEST_P(SessionContract, AuthEpochNeverMoves) {
  SeedTenancy();
  ExpectEpochMoves(
      backend(), {
                     {"CreateSession",
                      [&] {
                        return store().CreateSession(Session{"s1", HashOf(50), "c", "1001", 1, 2});
                      },
                      false},
                     {"DeleteSession", [&] { return store().DeleteSession("s1"); }, false},
                     {"DeleteOtherSessionsOfUser",
                      [&] { return store().DeleteOtherSessionsOfUser("1001", "s0"); }, false},
                 });
}

}  // namespace
}  // namespace store
}  // namespace cozeauth
