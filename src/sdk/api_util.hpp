#pragma once
// Internal helpers of the API groups: reading `data` (or another key) of a successful body into
// a wire type, and the chat-style stream reader. A body of the wrong shape is an Error with
// kClientErrorCode, not an exception.

#include <boost/json.hpp>
#include <coze/client.hpp>
#include <coze/error.hpp>
#include <coze/types.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace coze::sdk {

// A chat-style stream (POST /v3/chat, /v1/workflows/chat; coze-protocol.md §3.4): each event,
// decoded, to `on_event`; the last Chat the stream carried, the `error` event's Error, or an
// Error when it carried no Chat.
Result<Chat> ChatStream(Client& client, const ApiRequest& call,
                        const std::function<bool(const ChatEvent&)>& on_event);

// The JSON of an EnterMessage (coze-protocol.md §9.2 additional_messages items).
boost::json::value EnterMessageJson(const EnterMessage& message);

inline std::string LogIdOf(const boost::json::object& body) {
  if (auto* d = body.if_contains("detail"); d && d->is_object()) {
    if (auto* id = d->as_object().if_contains("logid"); id && id->is_string()) {
      return std::string(id->as_string());
    }
  }
  return {};
}

inline Error ShapeError(const boost::json::object& body, std::string_view what) {
  return Error{kClientErrorCode, "unexpected response shape: " + std::string(what), LogIdOf(body),
               0};
}

// `body[key]` converted with boost::json::value_to<T>.
template <typename T>
Result<T> Field(const boost::json::object& body, std::string_view key) {
  const auto* v = body.if_contains(key);
  if (v == nullptr) return ShapeError(body, "no `" + std::string(key) + "`");
  try {
    return boost::json::value_to<T>(*v);
  } catch (const std::exception& e) {
    return ShapeError(body, std::string(key) + ": " + e.what());
  }
}

template <typename T>
Result<T> Data(const Result<boost::json::object>& body) {
  if (!body) return body.Forward<T>();
  return Field<T>(*body, "data");
}

}  // namespace coze::sdk
