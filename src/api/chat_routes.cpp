// Chat v3 (coze-protocol.md §9.1–§9.2). Creating a chat (chat_create.hpp) targets the bot's
// workspace; every other route targets an existing chat, an account-level resource reached
// through its owner account and its conversation's session (unknown, or of another
// conversation → 4001; another account's → 4101).

#include <boost/json.hpp>

#include "api/chat_create.hpp"
#include "api/chat_stream.hpp"
#include "api/json_input.hpp"
#include "api/openapi_route.hpp"
#include "api/resource_access.hpp"
#include "api/resource_wire.hpp"
#include "api/routes.hpp"

namespace cozeauth::api {
namespace json = boost::json;
namespace {

// Loads the chat named by ?conversation_id=&chat_id= and authorizes the route's point on it.
std::optional<http::Response> LoadQueryChat(Call& c, domain::Chat& chat) {
  auto conversation_id = RequiredQueryId(c.req, "conversation_id");
  if (!conversation_id) return c.Fail(conversation_id.error());
  auto chat_id = RequiredQueryId(c.req, "chat_id");
  if (!chat_id) return c.Fail(chat_id.error());
  return LoadChat(c, conversation_id.value(), chat_id.value(), chat);
}

// GET (DOC, Go SDK) and POST (JS and Python SDKs) with the same query.
http::Response Retrieve(Call& c) {
  domain::Chat chat;
  if (auto err = LoadQueryChat(c, chat)) return *err;
  return c.Ok(json::value_from(ToWire(chat)));
}

// The chat's messages in creation order: the caller's additional messages, then the answer.
http::Response ListMessages(Call& c) {
  domain::Chat chat;
  if (auto err = LoadQueryChat(c, chat)) return *err;
  auto messages = c.deps.store.ListChatMessages(chat.id);
  if (!messages) return c.Fail(messages.error());
  return c.Ok(MessagesJson(messages.value()));
}

// Only a chat that has not finished can be cancelled (4104 otherwise).
http::Response Cancel(Call& c) {
  auto body = JsonBody(c.req);
  if (!body) return c.Fail(body.error());
  auto conversation_id = RequiredId(body.value(), "conversation_id");
  if (!conversation_id) return c.Fail(conversation_id.error());
  auto chat_id = RequiredId(body.value(), "chat_id");
  if (!chat_id) return c.Fail(chat_id.error());
  domain::Chat chat;
  if (auto err = LoadChat(c, *conversation_id, *chat_id, chat)) return *err;
  if (chat.status != "created" && chat.status != "in_progress") {
    return c.Fail(Error::Make(Errc::kCancelNotAllowed, "chat " + chat.id + " is " + chat.status +
                                                           " and cannot be cancelled"));
  }
  chat.status = "canceled";
  if (auto s = c.deps.store.UpdateChat(chat); !s) return c.Fail(s.error());
  return c.Ok(json::value_from(ToWire(chat)));
}

bool IsToolOutput(const json::value& item) {
  const json::object* o = item.if_object();
  if (o == nullptr) return false;
  const json::value* id = o->if_contains("tool_call_id");
  const json::value* output = o->if_contains("output");
  return id && id->is_string() && !id->as_string().empty() && output && output->is_string();
}

// {tool_outputs:[{tool_call_id, output}], stream?} → stream; validated even though the
// built-in runtime never asks for tool outputs.
Result<bool> ParseToolOutputs(const http::Request& req) {
  auto body = JsonBody(req);
  if (!body) return body.error();
  const json::value* outputs = body->if_contains("tool_outputs");
  if (outputs == nullptr || !outputs->is_array() || outputs->as_array().empty()) {
    return Error::BadRequest("tool_outputs", "tool_outputs must be a non-empty array");
  }
  for (const auto& item : outputs->as_array()) {
    if (!IsToolOutput(item)) {
      return Error::BadRequest("tool_outputs",
                               "tool_outputs items must be {tool_call_id, output} strings");
    }
  }
  auto stream = OptBool(body.value(), "stream");
  if (!stream) return stream.error();
  return stream.value().value_or(false);
}

http::Response SubmitToolOutputs(Call& c) {
  auto stream = ParseToolOutputs(c.req);
  if (!stream) return c.Fail(stream.error());
  domain::Chat chat;
  if (auto err = LoadQueryChat(c, chat)) return *err;
  if (chat.status != "requires_action") {
    return c.Fail(Error::Make(Errc::kBadRequest, "chat is not waiting for tool outputs"));
  }
  // A chat waiting for tools (none today) resumes and completes with the outputs.
  chat.status = "completed";
  chat.completed_at = c.deps.clock.NowSeconds();
  if (auto s = c.deps.store.UpdateChat(chat); !s) return c.Fail(s.error());
  if (!stream.value()) return c.Ok(json::value_from(ToWire(chat)));
  http::Response res;
  res.sse = true;
  res.events = {SseEvent("conversation.chat.completed", json::value_from(ToWire(chat))), SseDone()};
  return res;
}

}  // namespace

void RegisterChatRoutes(http::Router& router, Deps& deps) {
  AddOpenApi(router, deps, http::Verb::post, "/v3/chat", "chat", CreateChat);
  AddOpenApi(router, deps, http::Verb::get, "/v3/chat/retrieve", "getChat", Retrieve);
  AddOpenApi(router, deps, http::Verb::post, "/v3/chat/retrieve", "getChat", Retrieve);
  AddOpenApi(router, deps, http::Verb::get, "/v3/chat/message/list", "listMessage", ListMessages);
  AddOpenApi(router, deps, http::Verb::post, "/v3/chat/cancel", "cancelChat", Cancel);
  AddOpenApi(router, deps, http::Verb::post, "/v3/chat/submit_tool_outputs", "submitToolChat",
             SubmitToolOutputs);
}

}  // namespace cozeauth::api
