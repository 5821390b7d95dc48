#pragma once
// Strict parsing of a Coze chat SSE body (coze-protocol.md §3.4): every event must be exactly
// `event:NAME\ndata:DATA\n\n` — two single-line fields in that order, nothing else (no `id:`,
// no comments, no multi-line data), because the Go and Python SDKs break otherwise. Pure.

#include <string>
#include <string_view>
#include <vector>

namespace cozeauth::it {

struct SseEvent {
  std::string event;
  std::string data;
};

struct SseParse {
  std::vector<SseEvent> events;  // the events read before any violation
  std::string error;             // empty when the whole body follows the format
  bool ok() const { return error.empty(); }
};

SseParse ParseChatSse(std::string_view body);

}  // namespace cozeauth::it
