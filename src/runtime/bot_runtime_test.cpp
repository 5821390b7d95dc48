#include "runtime/bot_runtime.hpp"

#include <gtest/gtest.h>

#include <numeric>

namespace cozeauth::runtime {
namespace {

TEST(BotRuntime, ReplyIsMessageOrPromptThenMessage) {
  struct {
    std::string_view prompt, message, reply;
  } cases[] = {
      {"", "hello", "hello"},
      {"Echo:", "hello", "Echo: hello"},
      {"You are a bot.", "", "You are a bot. "},
      {"", "", ""},
      {"前缀", "你好", "前缀 你好"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Reply(c.prompt, c.message), c.reply) << c.prompt << " | " << c.message;
  }
}

TEST(BotRuntime, DeltasSplitAfterEachSpaceAndConcatenateToTheReply) {
  struct {
    std::string_view reply;
    std::vector<std::string> deltas;
  } cases[] = {
      {"", {}},
      {"one", {"one"}},
      {"one two", {"one ", "two"}},
      {"a b c ", {"a ", "b ", "c "}},
      {"  x", {" ", " ", "x"}},
  };
  for (const auto& c : cases) {
    auto deltas = Deltas(c.reply);
    EXPECT_EQ(deltas, c.deltas) << c.reply;
    EXPECT_EQ(std::accumulate(deltas.begin(), deltas.end(), std::string()), c.reply);
  }
}

TEST(BotRuntime, CountTokensCountsWords) {
  struct {
    std::string_view text;
    int tokens;
  } cases[] = {
      {"", 0}, {"   ", 0}, {"one", 1}, {"one two", 2}, {" one\ttwo\nthree ", 3}, {"a  b", 2},
  };
  for (const auto& c : cases) EXPECT_EQ(CountTokens(c.text), c.tokens) << c.text;
}

TEST(BotRuntime, IsDeterministic) {
  EXPECT_EQ(Reply("p", "m"), Reply("p", "m"));
  EXPECT_EQ(Deltas("x y z"), Deltas("x y z"));
}

}  // namespace
}  // namespace cozeauth::runtime
