// The lenient getters: every member type in, the documented value out, and never a throw.
#include "wire/json_read.hpp"

#include <gtest/gtest.h>

namespace cozeauth::wire {
namespace {

namespace json = boost::json;

const json::object& Sample() {
  static const json::object o = json::parse(R"({
    "s": "text", "digits": "42", "signed": "-7", "plus": "+8", "junk": "12abc", "empty": "",
    "i": 17, "neg": -3, "u": 18446744073709551615, "small_u": 9223372036854775807,
    "d": 899.5, "huge_d": 1e300, "b": true, "n": null, "o": {"k": "v"},
    "list": ["a", 1, "b", null]})")
                                    .as_object();
  return o;
}

TEST(JsonRead, StringMemberTakesStringsOnly) {
  EXPECT_EQ(StringMember(Sample(), "s"), "text");
  EXPECT_EQ(StringMember(Sample(), "i"), "");
  EXPECT_EQ(StringMember(Sample(), "n"), "");
  EXPECT_EQ(StringMember(Sample(), "missing"), "");
}

TEST(JsonRead, IdMemberTakesStringsAndIntegers) {
  EXPECT_EQ(IdMember(Sample(), "s"), "text");
  EXPECT_EQ(IdMember(Sample(), "i"), "17");
  EXPECT_EQ(IdMember(Sample(), "u"), "18446744073709551615");
  EXPECT_EQ(IdMember(Sample(), "d"), "");
  EXPECT_EQ(IdMember(Sample(), "missing"), "");
}

TEST(JsonRead, IntMemberIsLenientButNeverWraps) {
  struct Row {
    const char* key;
    std::optional<int64_t> want;
  };
  const Row rows[] = {
      {"i", 17},
      {"neg", -3},
      {"small_u", INT64_MAX},
      {"u", std::nullopt},
      {"d", 899},
      {"huge_d", std::nullopt},
      {"digits", 42},
      {"signed", -7},
      {"plus", 8},
      {"junk", std::nullopt},
      {"empty", std::nullopt},
      {"s", std::nullopt},
      {"b", std::nullopt},
      {"n", std::nullopt},
      {"missing", std::nullopt},
  };
  for (const auto& r : rows) EXPECT_EQ(IntMember(Sample(), r.key), r.want) << r.key;
}

TEST(JsonRead, BoolObjectAndList) {
  EXPECT_TRUE(BoolMember(Sample(), "b"));
  EXPECT_FALSE(BoolMember(Sample(), "s"));
  EXPECT_TRUE(BoolMember(Sample(), "missing", true));
  EXPECT_EQ(ObjectMember(Sample(), "o"), (json::object{{"k", "v"}}));
  EXPECT_TRUE(ObjectMember(Sample(), "s").empty());
  EXPECT_EQ(StringListMember(Sample(), "list"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(StringListMember(Sample(), "o").empty());
}

}  // namespace
}  // namespace cozeauth::wire
