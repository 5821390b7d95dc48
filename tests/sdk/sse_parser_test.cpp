// SseParser: a realistic chat stream (coze-protocol.md §3.4, §9.2) parsed whole, split at every
// single byte boundary, split into random pieces (seeded), and with CRLF line endings.

#include <gtest/gtest.h>

#include <coze/sse.hpp>
#include <random>

namespace coze {
namespace {

const std::string kChatStream =
    ": keep-alive comment\n"
    "event:conversation.chat.created\n"
    "data:{\"id\":\"7382159487131697202\",\"conversation_id\":\"7381473525342978089\","
    "\"status\":\"created\"}\n"
    "\n"
    "event: conversation.chat.in_progress\n"
    "data: {\"id\":\"7382159487131697202\",\"status\":\"in_progress\"}\n"
    "\n"
    "event:conversation.message.delta\n"
    "data:{\"role\":\"assistant\",\"type\":\"answer\",\"content\":\"Echo:\"}\n"
    "\n"
    "event:conversation.message.delta\n"
    "data:{\"role\":\"assistant\",\"type\":\"answer\",\"content\":\" héllo\"}\n"
    "\n"
    "event:conversation.message.completed\n"
    "data:{\"role\":\"assistant\",\"content\":\"Echo: héllo\"}\n"
    "\n"
    "event:conversation.chat.completed\n"
    "data:{\"id\":\"7382159487131697202\",\"status\":\"completed\",\"usage\":{\"token_count\":3}}\n"
    "\n"
    "event:done\n"
    "data:\"[DONE]\"\n"
    "\n";

std::vector<SseEvent> Expected() {
  return {
      {"conversation.chat.created",
       "{\"id\":\"7382159487131697202\",\"conversation_id\":\"7381473525342978089\","
       "\"status\":\"created\"}",
       ""},
      {"conversation.chat.in_progress",
       "{\"id\":\"7382159487131697202\",\"status\":\"in_progress\"}", ""},
      {"conversation.message.delta",
       "{\"role\":\"assistant\",\"type\":\"answer\",\"content\":\"Echo:\"}", ""},
      {"conversation.message.delta",
       "{\"role\":\"assistant\",\"type\":\"answer\",\"content\":\" héllo\"}", ""},
      {"conversation.message.completed", "{\"role\":\"assistant\",\"content\":\"Echo: héllo\"}",
       ""},
      {"conversation.chat.completed",
       "{\"id\":\"7382159487131697202\",\"status\":\"completed\",\"usage\":{\"token_count\":3}}",
       ""},
      {"done", "\"[DONE]\"", ""},
  };
}

std::string WithCrlf(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\n')
      out += "\r\n";
    else
      out += c;
  }
  return out;
}

std::vector<SseEvent> ParsePieces(const std::string& stream, const std::vector<size_t>& cuts) {
  SseParser parser;
  std::vector<SseEvent> events;
  auto sink = [&](SseEvent&& e) { events.push_back(std::move(e)); };
  size_t prev = 0;
  for (size_t cut : cuts) {
    parser.Feed(std::string_view(stream).substr(prev, cut - prev), sink);
    prev = cut;
  }
  parser.Feed(std::string_view(stream).substr(prev), sink);
  parser.Finish(sink);
  return events;
}

TEST(SseParser, ParsesAWholeChatStream) {
  EXPECT_EQ(ParsePieces(kChatStream, {}), Expected());
  EXPECT_EQ(ParsePieces(WithCrlf(kChatStream), {}), Expected());
}

TEST(SseParser, EverySingleSplitPointGivesTheSameEvents) {
  for (const std::string& stream : {kChatStream, WithCrlf(kChatStream)}) {
    for (size_t cut = 0; cut <= stream.size(); ++cut) {
      ASSERT_EQ(ParsePieces(stream, {cut}), Expected()) << "split at " << cut;
    }
  }
}

TEST(SseParser, RandomSplitsGiveTheSameEvents) {
  std::mt19937 rng(20240708);
  for (const std::string& stream : {kChatStream, WithCrlf(kChatStream)}) {
    for (int round = 0; round < 500; ++round) {
      std::uniform_int_distribution<size_t> pick(0, stream.size());
      std::vector<size_t> cuts(std::uniform_int_distribution<int>(1, 40)(rng));
      for (auto& c : cuts) c = pick(rng);
      std::sort(cuts.begin(), cuts.end());
      ASSERT_EQ(ParsePieces(stream, cuts), Expected()) << "round " << round;
    }
  }
}

TEST(SseParser, ByteByByte) {
  std::vector<size_t> cuts;
  for (size_t i = 1; i < kChatStream.size(); ++i) cuts.push_back(i);
  EXPECT_EQ(ParsePieces(WithCrlf(kChatStream), cuts), Expected());
}

TEST(SseParser, JoinsMultiLineDataAndReadsIds) {
  auto events = ParsePieces("id: 0\nevent: Message\ndata: a\ndata:b\n\n", {});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0], (SseEvent{"Message", "a\nb", "0"}));
}

TEST(SseParser, CarriageReturnAloneEndsALine) {
  EXPECT_EQ(ParsePieces("event:x\rdata:y\r\r", {}), (std::vector<SseEvent>{{"x", "y", ""}}));
}

TEST(SseParser, IgnoresCommentsUnknownFieldsAndEmptyEvents) {
  auto events = ParsePieces(":c\n\nretry: 5\nfoo: bar\n\nevent:e\ndata\n\n", {});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0], (SseEvent{"e", "", ""}));
}

TEST(SseParser, FinishEmitsAnEventWithoutTheFinalBlankLine) {
  EXPECT_EQ(ParsePieces("event:done\ndata:\"[DONE]\"", {}),
            (std::vector<SseEvent>{{"done", "\"[DONE]\"", ""}}));
}

}  // namespace
}  // namespace coze
