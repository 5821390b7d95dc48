// chat v3: create, stream, retrieve, message list, cancel, create-and-poll; the chat-style stream
// reader that /v1/workflows/chat shares
// (coze-protocol.md §9.2).

#include <coze/client.hpp>
#include <thread>

#include "sdk/api_util.hpp"
#include "wire/json_read.hpp"

namespace coze {
namespace json = boost::json;
using cozeauth::wire::IntMember;
using cozeauth::wire::StringMember;
using sdk::Data;

namespace {

json::object ChatBody(const ChatRequest& request, bool stream) {
  json::object body{{"bot_id", request.bot_id},
                    {"user_id", request.user_id},
                    {"stream", stream},
                    {"auto_save_history", request.auto_save_history}};
  json::array messages;
  for (const auto& m : request.additional_messages) messages.push_back(sdk::EnterMessageJson(m));
  body["additional_messages"] = std::move(messages);
  if (!request.custom_variables.empty()) body["custom_variables"] = request.custom_variables;
  if (!request.meta_data.empty()) body["meta_data"] = request.meta_data;
  if (!request.extra_params.empty()) body["extra_params"] = request.extra_params;
  if (!request.connector_id.empty()) body["connector_id"] = request.connector_id;
  return body;
}

ApiRequest ChatCall(const ChatRequest& request, bool stream) {
  ApiRequest call{.method = "POST", .path = "/v3/chat", .json = ChatBody(request, stream)};
  // The conversation goes in the query string, not the body (§9.2).
  if (!request.conversation_id.empty()) call.query = {{"conversation_id", request.conversation_id}};
  return call;
}

// Decodes the `data:` of a chat stream event by its name (§9.2 table).
ChatEvent Decode(const SseEvent& sse) {
  ChatEvent event{.event = sse.event, .data = sse.data};
  const bool is_chat = sse.event.rfind("conversation.chat.", 0) == 0;
  const bool is_message = sse.event.rfind("conversation.message.", 0) == 0 ||
                          sse.event.rfind("conversation.audio.", 0) == 0;
  if (!is_chat && !is_message && sse.event != chat_event::kError) return event;
  boost::system::error_code ec;
  json::value data = json::parse(sse.data, ec);
  if (ec || !data.is_object()) {
    if (sse.event == chat_event::kError) {
      event.error = Error{kClientErrorCode, "stream error: " + sse.data, {}, 0};
    }
    return event;
  }
  if (is_chat) {
    event.chat = json::value_to<Chat>(data);
  } else if (is_message) {
    event.message = json::value_to<Message>(data);
  } else {
    const auto& o = data.as_object();
    event.error = Error{IntMember(o, "code").value_or(0), StringMember(o, "msg"), {}, 0};
  }
  return event;
}

bool IsFinal(const std::string& status) {
  return status == "completed" || status == "failed" || status == "requires_action" ||
         status == "canceled";
}

}  // namespace

Result<Chat> Chats::Create(const ChatRequest& request) {
  return Data<Chat>(client_.Call(ChatCall(request, false)));
}

Result<Chat> Chats::Stream(const ChatRequest& request, const EventCallback& on_event) {
  return sdk::ChatStream(client_, ChatCall(request, true), on_event);
}

Result<Chat> sdk::ChatStream(Client& client, const ApiRequest& call,
                             const std::function<bool(const ChatEvent&)>& on_event) {
  std::optional<Chat> last_chat;
  std::optional<Error> stream_error;
  auto status = client.CallStream(call, [&](const SseEvent& sse) {
    ChatEvent event = Decode(sse);
    if (event.chat) last_chat = *event.chat;
    if (event.error && !stream_error) stream_error = *event.error;
    return on_event ? on_event(event) : true;
  });
  if (!status) return status.Forward<Chat>();
  if (stream_error) return *stream_error;
  if (!last_chat) return Error{kClientErrorCode, "the chat stream carried no chat", {}, 0};
  return *last_chat;
}

Result<Chat> Chats::Retrieve(const std::string& conversation_id, const std::string& chat_id) {
  return Data<Chat>(
      client_.Call({.path = "/v3/chat/retrieve",
                    .query = {{"conversation_id", conversation_id}, {"chat_id", chat_id}}}));
}

Result<std::vector<Message>> Chats::MessageList(const std::string& conversation_id,
                                                const std::string& chat_id) {
  return Data<std::vector<Message>>(
      client_.Call({.path = "/v3/chat/message/list",
                    .query = {{"conversation_id", conversation_id}, {"chat_id", chat_id}}}));
}

Result<Chat> Chats::Cancel(const std::string& conversation_id, const std::string& chat_id) {
  return Data<Chat>(client_.Call(
      {.method = "POST",
       .path = "/v3/chat/cancel",
       .json = json::object{{"conversation_id", conversation_id}, {"chat_id", chat_id}}}));
}

Result<Chat> Chats::SubmitToolOutputs(const std::string& conversation_id,
                                      const std::string& chat_id,
                                      const std::vector<ToolOutput>& outputs) {
  json::array items;
  for (const auto& o : outputs) {
    items.push_back(json::object{{"tool_call_id", o.tool_call_id}, {"output", o.output}});
  }
  return Data<Chat>(
      client_.Call({.method = "POST",
                    .path = "/v3/chat/submit_tool_outputs",
                    .query = {{"conversation_id", conversation_id}, {"chat_id", chat_id}},
                    .json = json::object{{"tool_outputs", std::move(items)}, {"stream", false}}}));
}

Result<ChatPoll> Chats::CreateAndPoll(const ChatRequest& request,
                                      std::chrono::milliseconds interval,
                                      std::chrono::milliseconds timeout) {
  auto chat = Create(request);
  if (!chat) return chat.Forward<ChatPoll>();
  // The poll deadline is a wall-clock bound on waiting, not protocol time.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!IsFinal(chat->status)) {
    if (std::chrono::steady_clock::now() >= deadline) {
      (void)Cancel(chat->conversation_id, chat->id);
      return Error{kClientErrorCode, "chat " + chat->id + " did not finish in time", {}, 0};
    }
    std::this_thread::sleep_for(interval);
    chat = Retrieve(chat->conversation_id, chat->id);
    if (!chat) return chat.Forward<ChatPoll>();
  }
  auto messages = MessageList(chat->conversation_id, chat->id);
  if (!messages) return messages.Forward<ChatPoll>();
  return ChatPoll{std::move(*chat), std::move(*messages)};
}

}  // namespace coze
