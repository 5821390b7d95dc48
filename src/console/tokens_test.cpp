#include "console/tokens.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace cozeauth::api {
namespace {

namespace json = boost::json;
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kDay = 86400;

struct ExpiryCase {
  int64_t now;
  json::object body;
  std::optional<int> want_days;  // nullopt: refused with 4000 naming `field`
  const char* field;
};

TEST(ParseWireExpiry, ExpireAtIsCheckedArithmeticAndBounded) {
  const int64_t t = 1'700'000'000;
  const ExpiryCase cases[] = {
      {t, {{"expire_at", t + 1}}, 1, "expire_at"},
      {t, {{"expire_at", t + 7 * kDay}}, 7, "expire_at"},
      {t, {{"expire_at", t + 7 * kDay + 1}}, 8, "expire_at"},
      {t, {{"duration_day", "customize"}, {"expire_at", t + 3650 * kDay}}, 3650, "expire_at"},
      {t, {{"expire_at", t + 3650 * kDay + 1}}, std::nullopt, "expire_at"},
      {t, {{"expire_at", kMax}}, std::nullopt, "expire_at"},
      {t, {{"expire_at", t}}, std::nullopt, "expire_at"},
      {t, {{"expire_at", -kMax}}, std::nullopt, "expire_at"},
      // A small clock (a fresh fake clock, or a skewed one): before the fix, the rounding sum
      // wrapped negative and its int cast was an arbitrary day count.
      {0, {{"expire_at", kMax}}, std::nullopt, "expire_at"},
      {1, {{"expire_at", kMax - 86398}}, std::nullopt, "expire_at"},
      {-kMax, {{"expire_at", kMax}}, std::nullopt, "expire_at"},
      {t, {{"duration_day", "999999"}}, 999999, "duration_day"},  // admin:: refuses it
      {t, {{"duration_day", "9999999"}}, std::nullopt, "duration_day"},
      {t, {{"duration_day", kMax}}, std::nullopt, "duration_day"},
      {t, {{"duration_day", -1}}, std::nullopt, "duration_day"},
  };
  for (const auto& c : cases) {
    auto got = ParseWireExpiry(c.body, c.now);
    const std::string what = json::serialize(c.body) + " at now=" + std::to_string(c.now);
    if (c.want_days) {
      ASSERT_TRUE(got.has_value()) << what << ": " << got.error().message;
      ASSERT_TRUE(got.value().has_value()) << what;
      EXPECT_EQ(got.value()->days, c.want_days) << what;
      EXPECT_EQ(got.value()->field, c.field) << what;
    } else {
      ASSERT_FALSE(got.has_value()) << what << " gave " << got.value()->days.value_or(-1);
      EXPECT_EQ(got.error().code, Errc::kBadRequest) << what;
      EXPECT_EQ(got.error().field, c.field) << what;
    }
  }
}

}  // namespace
}  // namespace cozeauth::api
