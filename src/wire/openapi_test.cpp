// The direct JSON writers against Boost.JSON's serializer: byte for byte the same output.
#include "wire/openapi.hpp"

#include <gtest/gtest.h>

#include <string>

namespace cozeauth::wire {
namespace {

namespace json = boost::json;

std::string Quoted(std::string_view s) {
  std::string out = "prefix:";  // appends, never replaces
  AppendJsonString(out, s);
  return out;
}

TEST(AppendJsonString, EveryByteAsBoostJsonWritesIt) {
  for (int b = 0; b < 256; ++b) {
    const std::string s = "a" + std::string(1, static_cast<char>(b)) + "z";
    EXPECT_EQ(Quoted(s), "prefix:" + json::serialize(json::string_view(s))) << "byte " << b;
  }
}

TEST(AppendJsonString, LongAndMixedStrings) {
  const std::string cases[] = {
      "",
      "plain",
      "quote \" backslash \\ newline \n tab \t nul " + std::string(1, '\0') + " end",
      "用户名 ünïcode 🙂",
      std::string(1000, '"'),          // escapes far past the 256-byte read buffer
      std::string(700, 'x') + "\x01",  // an escape straddling a buffer boundary
  };
  for (const std::string& s : cases) {
    EXPECT_EQ(Quoted(s), "prefix:" + json::serialize(json::string_view(s))) << s.size();
  }
}

TEST(AppendUserJson, IsWhatValueFromSerialises) {
  const User users[] = {
      {"7482365519375474707", "bench", "bench", ""},
      {"1", "na\"me\\", "昵称\n", "https://example.com/a.png?x=1&y=\"2\""},
      {"", "", "", ""},
  };
  for (const User& u : users) {
    std::string out;
    AppendUserJson(out, u.user_id, u.user_name, u.nick_name, u.avatar_url);
    EXPECT_EQ(out, json::serialize(json::value_from(u)));
    EXPECT_EQ(json::value_to<User>(json::parse(out)).nick_name, u.nick_name);
  }
}

}  // namespace
}  // namespace cozeauth::wire
