#pragma once
// Server-sent events of a chat stream (coze-protocol.md §3.4, §9.2). Every event is exactly two
// single-line fields, `event:` then `data:`, and a blank line: no `id:` line and no multi-line
// data, because the Go SDK reads data from the line right after event and the Python SDK
// rejects repeated or extra fields. Serialized JSON never contains a raw newline (Boost.JSON
// escapes it inside strings). Pure functions; thread-safe.

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "domain/model.hpp"

namespace cozeauth::api {

// "event:NAME\ndata:JSON\n\n".
std::string SseEvent(std::string_view name, const boost::json::value& data);
// The stream end: event "done" with the JSON string "[DONE]" (coze-py fixture).
std::string SseDone();

// The full stream of a chat the runtime completed: conversation.chat.created,
// conversation.chat.in_progress, one conversation.message.delta per runtime delta of
// `answer` (same message id, content = the delta), conversation.message.completed (the whole
// answer), conversation.chat.completed (with usage), done.
std::vector<std::string> CompletedChatEvents(const domain::Chat& completed,
                                             const domain::Message& answer);

}  // namespace cozeauth::api
