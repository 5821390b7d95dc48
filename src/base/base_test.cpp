#include <gtest/gtest.h>

#include <cctype>
#include <limits>
#include <set>
#include <stdexcept>
#include <thread>

#include "base/blocking.hpp"
#include "base/checked.hpp"
#include "base/clock.hpp"
#include "base/crypto.hpp"
#include "base/ids.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "base/strings.hpp"
#include "base/thread_name.hpp"

namespace cozeauth {
namespace {

TEST(Crypto, Sha256HexKnownVectors) {
  struct {
    std::string_view in, hex;
  } cases[] = {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
  };
  for (const auto& c : cases) EXPECT_EQ(Sha256Hex(c.in), c.hex) << c.in;
}

TEST(Crypto, Base64UrlRoundTripsAndRejectsJunk) {
  struct {
    std::string_view raw, enc;
  } cases[] = {{"", ""}, {"f", "Zg"}, {"fo", "Zm8"}, {"foo", "Zm9v"}, {"\xfb\xff", "-_8"}};
  for (const auto& c : cases) {
    EXPECT_EQ(Base64UrlEncode(c.raw), c.enc);
    auto dec = Base64UrlDecode(c.enc);
    ASSERT_TRUE(dec.has_value());
    EXPECT_EQ(*dec, c.raw);
  }
  EXPECT_FALSE(Base64UrlDecode("a+b/").has_value());
  EXPECT_FALSE(Base64UrlDecode("abcde").has_value());
}

TEST(Crypto, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

TEST(Crypto, PasswordHashVerifies) {
  auto h = HashPassword("s3cret");
  EXPECT_NE(h.find("$argon2id$"), std::string::npos);
  EXPECT_TRUE(VerifyPassword("s3cret", h));
  EXPECT_FALSE(VerifyPassword("s3cret!", h));
}

TEST(Random, AlnumHasRequestedLengthAndAlphabet) {
  OsRandom& r = OsRandom::Instance();
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    auto s = r.Alnum(64);
    ASSERT_EQ(s.size(), 64u);
    for (char c : s) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << s;
    seen.insert(s);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(Ids, NineteenDigitsAndUnique) {
  FakeClock clock;
  OsRandom& r = OsRandom::Instance();
  IdGenerator ids(clock, r);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto id = ids.Next();
    ASSERT_EQ(id.size(), 19u) << id;
    EXPECT_TRUE(IsNumericId(id));
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
  auto logid = ids.NextLogId();
  EXPECT_EQ(logid.size(), 34u);
}

TEST(Ids, LogIdsKeepTheCloudsFormatAndNeverRepeat) {
  FakeClock clock(1'764'633'600);  // 2025-12-02T00:00:00Z, never advancing
  IdGenerator a(clock, OsRandom::Instance()), b(clock, OsRandom::Instance());
  std::set<std::string> seen;
  for (int i = 0; i < 100'000; ++i) {
    const std::string id = (i % 2 == 0 ? a : b).NextLogId();
    ASSERT_EQ(id.size(), 34u) << id;
    ASSERT_EQ(id.substr(0, 14), "20251202000000");
    for (char c : id.substr(14)) ASSERT_TRUE(std::isdigit(c) || (c >= 'A' && c <= 'F')) << id;
    ASSERT_TRUE(seen.insert(id).second) << "duplicate log id after " << i << ": " << id;
  }
}

// The date is formatted once per second (per thread): a log id always carries its own second,
// also when the clock moves under one thread's generators, forwards or back.
TEST(Ids, ALogIdCarriesTheSecondItWasMadeIn) {
  FakeClock clock(1'764'633'600);  // 2025-12-02T00:00:00Z
  IdGenerator ids(clock, OsRandom::Instance());
  EXPECT_EQ(ids.NextLogId().substr(0, 14), "20251202000000");
  clock.Advance(1);
  EXPECT_EQ(ids.NextLogId().substr(0, 14), "20251202000001");
  clock.Advance(86'399);
  EXPECT_EQ(ids.NextLogId().substr(0, 14), "20251203000000");
  FakeClock earlier(1'700'000'000);  // 2023-11-14T22:13:20Z
  IdGenerator other(earlier, OsRandom::Instance());
  EXPECT_EQ(other.NextLogId().substr(0, 14), "20231114221320");
  EXPECT_EQ(ids.NextLogId().substr(0, 14), "20251203000000");
}

TEST(Ids, UniqueAtAnyRateEvenWhenTheClockStandsStill) {
  // 22 random bits per millisecond collided after a few thousand ids in one second; the
  // sequence makes one generator's ids unique however fast they are drawn.
  FakeClock clock;  // never advances: every id is drawn in the same millisecond
  SeededRandom r(7);
  IdGenerator ids(clock, r);
  std::set<std::string> seen;
  std::string previous;
  for (int i = 0; i < 200'000; ++i) {
    auto id = ids.Next();
    ASSERT_EQ(id.size(), 19u);
    ASSERT_TRUE(seen.insert(id).second) << "duplicate id after " << i << " ids: " << id;
    if (!previous.empty()) {
      EXPECT_LT(previous, id);  // time-ordered within the generator
    }
    previous = id;
  }
}

TEST(Result, CarriesValueOrError) {
  Result<int> ok = 3;
  Result<int> bad = Error::BadRequest("name", "too long");
  EXPECT_TRUE(ok.has_value());
  EXPECT_EQ(ok.transform([](int v) { return v * 2; }).value(), 6);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, Errc::kBadRequest);
  EXPECT_EQ(bad.error().field, "name");
  EXPECT_FALSE(bad.transform([](int v) { return v; }).has_value());
}

TEST(Strings, SplitNonEmptyTrims) {
  EXPECT_EQ(SplitNonEmpty(" a, b ,,c ", ','), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(SplitNonEmpty("", ',').empty());
}

TEST(Checked, AddSubMulDetectOverflow) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  EXPECT_EQ(CheckedAdd(1, 2), 3);
  EXPECT_EQ(CheckedAdd(kMax - 59, 60), std::nullopt);
  EXPECT_EQ(CheckedAdd(kMin, -1), std::nullopt);
  EXPECT_EQ(CheckedSub(kMin + 1, 1), kMin);
  EXPECT_EQ(CheckedSub(kMin, 1), std::nullopt);
  EXPECT_EQ(CheckedMul(kMax / 86400 + 1, 86400), std::nullopt);
  EXPECT_EQ(CheckedMul(30, 86400), 2'592'000);
}

TEST(Checked, SaturatingStaysOnTheRightSide) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  EXPECT_EQ(SaturatingAdd(kMax - 59, 60), kMax);  // an expiry past the range stays in the future
  EXPECT_EQ(SaturatingAdd(kMin, -1), kMin);
  EXPECT_EQ(SaturatingAdd(10, -3), 7);
  EXPECT_EQ(SaturatingSub(kMin + 5, 60), kMin);
  EXPECT_EQ(SaturatingSub(kMax, -1), kMax);
}

TEST(Blocking, OnlyInsideAScopeOnThisThreadDoesABlockingCallThrow) {
  EXPECT_FALSE(NonBlockingScope::Active());
  EXPECT_NO_THROW(MayBlockOrThrow());
  {
    NonBlockingScope outer;
    EXPECT_THROW(MayBlockOrThrow(), WouldBlock);
    {
      NonBlockingScope inner;
      EXPECT_TRUE(NonBlockingScope::Active());
    }
    EXPECT_TRUE(NonBlockingScope::Active());  // the inner scope restores, not clears
    // Another thread is not marked.
    bool other_active = true;
    std::thread([&] { other_active = NonBlockingScope::Active(); }).join();
    EXPECT_FALSE(other_active);
    // WouldBlock is no std::exception: the per-request guard's catch lets it through.
    bool caught_as_std = false;
    try {
      try {
        MayBlockOrThrow();
      } catch (const std::exception&) {
        caught_as_std = true;
      }
    } catch (const WouldBlock&) {
    }
    EXPECT_FALSE(caught_as_std);
  }
  EXPECT_FALSE(NonBlockingScope::Active());
  EXPECT_NO_THROW(MayBlockOrThrow());
}

TEST(ThreadName, NamesTheCallingThreadOnlyAndKeepsFifteenBytes) {
  const std::string before = CurrentThreadName();
  std::string named;
  std::string truncated;
  std::thread([&] {
    NameThisThread("cz-test");
    named = CurrentThreadName();
    NameThisThread("cz-a-name-longer-than-fifteen");
    truncated = CurrentThreadName();
  }).join();
  EXPECT_EQ(named, "cz-test");
  EXPECT_EQ(truncated, "cz-a-name-longe");
  EXPECT_EQ(CurrentThreadName(), before);
}

}  // namespace
}  // namespace cozeauth
