#include "api/chat_stream.hpp"

#include "api/resource_wire.hpp"
#include "runtime/bot_runtime.hpp"

namespace cozeauth::api {
namespace json = boost::json;
namespace {

// The chat as it was at an earlier stage: no completion time and no usage yet.
json::value ChatAt(const domain::Chat& completed, std::string_view status) {
  domain::Chat c = completed;
  c.status = std::string(status);
  c.completed_at = 0;
  c.input_count = c.output_count = 0;
  return json::value_from(ToWire(c));
}

}  // namespace

std::string SseEvent(std::string_view name, const json::value& data) {
  std::string out = "event:";
  out += name;
  out += "\ndata:";
  out += json::serialize(data);
  out += "\n\n";
  return out;
}

std::string SseDone() { return SseEvent("done", json::value("[DONE]")); }

std::vector<std::string> CompletedChatEvents(const domain::Chat& completed,
                                             const domain::Message& answer) {
  std::vector<std::string> events;
  events.push_back(SseEvent("conversation.chat.created", ChatAt(completed, "created")));
  events.push_back(SseEvent("conversation.chat.in_progress", ChatAt(completed, "in_progress")));
  wire::Message delta = ToWire(answer);
  for (auto& piece : runtime::Deltas(answer.content)) {
    delta.content = std::move(piece);
    events.push_back(SseEvent("conversation.message.delta", json::value_from(delta)));
  }
  events.push_back(SseEvent("conversation.message.completed", json::value_from(ToWire(answer))));
  events.push_back(SseEvent("conversation.chat.completed", json::value_from(ToWire(completed))));
  events.push_back(SseDone());
  return events;
}

}  // namespace cozeauth::api
