// The SDK's text/event-stream parser (include/coze/sse.hpp), fed what a server (or anything
// between it and the client) sends. The first byte chooses where to cut the rest into chunks.
// Property: the events do not depend on how the stream is cut — all at once, byte by byte and
// in the fuzzer's chunks give the same events.
#include <coze/sse.hpp>

#include "fuzz_support.hpp"

namespace {
std::vector<coze::SseEvent> Parse(std::string_view stream, size_t step) {
  coze::SseParser parser;
  std::vector<coze::SseEvent> out;
  auto sink = [&out](coze::SseEvent&& e) { out.push_back(std::move(e)); };
  for (size_t at = 0; at < stream.size(); at += step) parser.Feed(stream.substr(at, step), sink);
  parser.Finish(sink);
  return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cozeauth;
  if (size == 0) return 0;
  const size_t step = 1 + data[0] % 16;
  const std::string_view stream = fuzz::AsView(data + 1, size - 1);
  const auto whole = Parse(stream, stream.size() + 1);
  FUZZ_CHECK(Parse(stream, 1) == whole);
  FUZZ_CHECK(Parse(stream, step) == whole);
  return 0;
}
