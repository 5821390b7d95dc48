// The storage contract of OAuthStore's housekeeping (oauth_store.hpp): refresh-token lineage
// (FindRefreshSuccessor, used by the reuse grace window) and PurgeExpired (expired device codes,
// authorization codes, refresh tokens and used JWT ids go; live rows stay). Each TEST_P runs on
// every backend (contract_test_support.hpp).

#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "store/contract_test_support.hpp"
#include "store/store.hpp"

namespace cozeauth::store {
namespace {

using contract::AggregateContractTest;
using contract::CodeOf;
using credentials::AuthorizationCode;
using credentials::DeviceCode;
using credentials::RefreshToken;

constexpr int64_t kT = 1'700'000'000;

std::string Hash(char tag, int i) { return std::string(63, tag) + std::to_string(i % 10); }

RefreshToken Refresh(const std::string& hash, const std::string& parent, int64_t created_at,
                     int64_t expires_at) {
  return RefreshToken{hash,       "9001", "7001", created_at,
                      expires_at, 0,      parent, "6" + hash.substr(0, 3)};
}

AuthorizationCode Code(const std::string& hash, int64_t expires_at) {
  AuthorizationCode c;
  c.code_hash = hash;
  c.grant_id = "9001";
  c.app_id = "7001";
  c.redirect_uri = "https://example.com/cb";
  c.created_at = kT;
  c.expires_at = expires_at;
  return c;
}

DeviceCode Device(const std::string& hash, const std::string& user_code, int64_t expires_at) {
  DeviceCode d;
  d.device_code_hash = hash;
  d.user_code = user_code;
  d.app_id = "7001";
  d.created_at = kT;
  d.expires_at = expires_at;
  return d;
}

class OAuthHousekeepingContract : public AggregateContractTest<OAuthStore> {};
COZEAUTH_STORE_CONTRACT(OAuthHousekeepingContract);

TEST_P(OAuthHousekeepingContract, RefreshLineageRoundTripsAndFindsTheNewestSuccessor) {
  const std::string root = Hash('a', 0);
  ASSERT_OK(store().CreateRefreshToken(Refresh(root, "", kT, kT + 100)));
  EXPECT_EQ(CodeOf(store().FindRefreshSuccessor(root)), Errc::kNotFound);
  // An empty parent is "first of a chain", never a successor of anything.
  EXPECT_EQ(CodeOf(store().FindRefreshSuccessor("")), Errc::kNotFound);

  const RefreshToken first = Refresh(Hash('b', 1), root, kT + 10, kT + 110);
  const RefreshToken second = Refresh(Hash('b', 2), root, kT + 10, kT + 110);  // same second
  const RefreshToken other = Refresh(Hash('c', 3), Hash('z', 9), kT + 20, kT + 120);
  ASSERT_OK(store().CreateRefreshToken(first));
  ASSERT_OK(store().CreateRefreshToken(second));
  ASSERT_OK(store().CreateRefreshToken(other));

  const RefreshToken found = VALUE(store().FindRefreshSuccessor(root));
  EXPECT_EQ(found.token_hash, second.token_hash);  // the later insert wins a tie
  EXPECT_EQ(found.parent_hash, root);
  EXPECT_EQ(found.access_token_id, second.access_token_id);
  EXPECT_EQ(found.used_at, 0);
  // Consumption returns the lineage as stored, and the successor shows its use.
  const RefreshToken consumed = VALUE(store().ConsumeRefreshToken(second.token_hash, kT + 30));
  EXPECT_EQ(consumed.parent_hash, root);
  EXPECT_EQ(consumed.access_token_id, second.access_token_id);
  EXPECT_EQ(VALUE(store().FindRefreshSuccessor(root)).used_at, kT + 30);
  EXPECT_EQ(VALUE(store().FindRefreshSuccessor(Hash('z', 9))).token_hash, other.token_hash);
}

TEST_P(OAuthHousekeepingContract, PurgeExpiredRemovesExpiredRowsAndKeepsLiveOnes) {
  const int64_t now = kT + 1000;
  // Expired (expires_at <= now) and live (expires_at > now) rows of each kind.
  ASSERT_OK(store().CreateDeviceCode(Device(Hash('d', 1), "BCDF-GHJK", now)));
  ASSERT_OK(store().CreateDeviceCode(Device(Hash('d', 2), "LMNP-QRST", now + 1)));
  ASSERT_OK(store().CreateAuthorizationCode(Code(Hash('e', 1), now - 5)));
  ASSERT_OK(store().CreateAuthorizationCode(Code(Hash('e', 2), now + 600)));
  ASSERT_OK(store().CreateRefreshToken(Refresh(Hash('f', 1), "", kT, now - 1)));
  ASSERT_OK(store().CreateRefreshToken(Refresh(Hash('f', 2), "", kT, now + 86400)));
  ASSERT_OK(store().UseJwtId("7001", "old-jti", now - 1, kT));
  ASSERT_OK(store().UseJwtId("7001", "live-jti", now + 60, kT));

  EXPECT_EQ(VALUE(store().PurgeExpired(now)), 4);

  EXPECT_EQ(CodeOf(store().GetDeviceCode(Hash('d', 1))), Errc::kNotFound);
  EXPECT_EQ(VALUE(store().GetDeviceCode(Hash('d', 2))).user_code, "LMNP-QRST");
  EXPECT_EQ(CodeOf(store().ConsumeAuthorizationCode(Hash('e', 1), now)), Errc::kNotFound);
  EXPECT_EQ(VALUE(store().ConsumeAuthorizationCode(Hash('e', 2), now)).used_at, 0);
  EXPECT_EQ(CodeOf(store().ConsumeRefreshToken(Hash('f', 1), now)), Errc::kNotFound);
  EXPECT_EQ(VALUE(store().ConsumeRefreshToken(Hash('f', 2), now)).used_at, 0);
  // UseJwtId purges by its own `now`; passing the old time shows the row is gone because of
  // PurgeExpired alone, while the live id is still refused.
  EXPECT_OK(store().UseJwtId("7001", "old-jti", now - 1, kT));
  EXPECT_EQ(CodeOf(store().UseJwtId("7001", "live-jti", now + 60, kT)), Errc::kAlreadyExists);

  // Only the expired id just written again goes; live rows stay however often it runs.
  EXPECT_EQ(VALUE(store().PurgeExpired(now)), 1);
  EXPECT_EQ(VALUE(store().PurgeExpired(now)), 0);
  EXPECT_EQ(CodeOf(store().UseJwtId("7001", "live-jti", now + 60, kT)), Errc::kAlreadyExists);
}

TEST_P(OAuthHousekeepingContract, PurgeExpiredKeepsRowsExpiringFarInTheFuture) {
  // An expiry at the end of int64 (a saturated sum) is "never" and must survive any purge.
  ASSERT_OK(store().UseJwtId("7001", "far", std::numeric_limits<int64_t>::max(), kT));
  EXPECT_EQ(VALUE(store().PurgeExpired(kT + 1'000'000'000)), 0);
  EXPECT_EQ(CodeOf(store().UseJwtId("7001", "far", std::numeric_limits<int64_t>::max(), kT)),
            Errc::kAlreadyExists);
}

}  // namespace
}  // namespace cozeauth::store
