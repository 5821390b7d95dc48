// Messages of a conversation (coze-protocol.md §9.1, §9.5). Account-level: the parent
// conversation is the decision's target (unknown → 4002, another account's → 4101); a message
// that is unknown or belongs to another conversation → 4005.

#include <boost/json.hpp>
#include <utility>

#include "api/json_input.hpp"
#include "api/openapi_route.hpp"
#include "api/resource_access.hpp"
#include "api/resource_input.hpp"
#include "api/resource_wire.hpp"
#include "api/routes.hpp"
#include "store/store.hpp"

namespace cozeauth::api {
namespace json = boost::json;
namespace {

// Loads the conversation named by ?conversation_id= and authorizes the route's point on it.
std::optional<http::Response> LoadQueryConversation(Call& c, domain::Conversation& conv) {
  auto id = RequiredQueryId(c.req, "conversation_id");
  if (!id) return c.Fail(id.error());
  return LoadConversation(c, id.value(), conv);
}

// Loads ?conversation_id= and ?message_id= (the message must belong to the conversation).
std::optional<http::Response> LoadQueryMessage(Call& c, domain::Message& msg) {
  auto message_id = RequiredQueryId(c.req, "message_id");
  if (!message_id) return c.Fail(message_id.error());
  domain::Conversation conv;
  if (auto err = LoadQueryConversation(c, conv)) return err;
  return LoadMessage(c, conv.id, message_id.value(), msg);
}

http::Response Create(Call& c) {
  auto body = JsonBody(c.req);
  if (!body) return c.Fail(body.error());
  auto in = ParseEnterMessage(body.value(), "");
  if (!in) return c.Fail(in.error());
  domain::Conversation conv;
  if (auto err = LoadQueryConversation(c, conv)) return *err;
  auto msg =
      NewMessage(in.value(), conv, conv.bot_id, "", c.deps.ids.Next(), c.deps.clock.NowSeconds());
  if (auto s = c.deps.store.CreateMessage(msg); !s) return c.Fail(s.error());
  return c.Ok(json::value_from(ToWire(msg)));
}

// The list body (all optional; an empty body lists the newest 50).
Result<store::MessageQuery> ParseListQuery(const http::Request& req) {
  auto body = JsonBody(req, /*allow_empty=*/true);
  if (!body) return body.error();
  store::MessageQuery q;
  auto order = OptString(body.value(), "order");
  if (!order) return order.error();
  if (order.value() && !order.value()->empty()) {
    if (*order.value() != "desc" && *order.value() != "asc") {
      return Error::BadRequest("order", "order must be desc or asc");
    }
    q.descending = *order.value() == "desc";
  }
  auto chat_id = OptId(body.value(), "chat_id");
  if (!chat_id) return chat_id.error();
  q.chat_id = chat_id.value().value_or("");
  auto before = OptId(body.value(), "before_id");
  if (!before) return before.error();
  auto after = OptId(body.value(), "after_id");
  if (!after) return after.error();
  // "0" means no cursor (coze-protocol.md §9.5).
  q.before_id = before.value().value_or("0") == "0" ? "" : *before.value();
  q.after_id = after.value().value_or("0") == "0" ? "" : *after.value();
  if (!q.before_id.empty() && !q.after_id.empty()) {
    return Error::BadRequest("before_id", "before_id and after_id cannot be used together");
  }
  // Wire cursors follow the list's order: the next page is after_id = last_id, the previous one
  // before_id = first_id (coze-protocol.md §9.5; the Python SDK pages a default desc list with
  // after_id = last_id). The store's cursors are chronological (before = older), so a
  // descending list swaps them.
  if (q.descending) std::swap(q.before_id, q.after_id);
  auto limit = OptInt(body.value(), "limit");
  if (!limit) return limit.error();
  if (limit.value() && (*limit.value() < 1 || *limit.value() > 50)) {
    return Error::BadRequest("limit", "limit must be between 1 and 50");
  }
  q.limit = static_cast<int>(limit.value().value_or(50));
  return q;
}

// Top-level data/first_id/last_id/has_more (coze-protocol.md §3.1).
http::Response List(Call& c) {
  auto q = ParseListQuery(c.req);
  if (!q) return c.Fail(q.error());
  domain::Conversation conv;
  if (auto err = LoadQueryConversation(c, conv)) return *err;
  q->conversation_id = conv.id;
  auto page = c.deps.store.ListMessages(q.value());
  if (!page) return c.Fail(page.error());
  const auto& items = page->items;
  return OkTopLevel(c.req, json::object{{"data", MessagesJson(items)},
                                        {"first_id", items.empty() ? "" : items.front().id},
                                        {"last_id", items.empty() ? "" : items.back().id},
                                        {"has_more", page->has_more}});
}

http::Response Retrieve(Call& c) {
  domain::Message msg;
  if (auto err = LoadQueryMessage(c, msg)) return *err;
  return c.Ok(json::value_from(ToWire(msg)));
}

// Applies the optional content/content_type/meta_data of a modify body to `msg`.
Status ApplyModify(const json::object& body, domain::Message& msg) {
  auto content = OptString(body, "content");
  if (!content) return content.error();
  auto content_type = OptString(body, "content_type");
  if (!content_type) return content_type.error();
  if (content_type.value() && !content_type.value()->empty()) {
    if (auto s = ValidateContentType(*content_type.value(), "content_type"); !s) return s;
    msg.content_type = *content_type.value();
  }
  if (content.value()) msg.content = *content.value();
  if (auto s = ValidateContent(msg.content_type, msg.content, "content"); !s) return s;
  if (body.contains("meta_data") && !body.at("meta_data").is_null()) {
    auto meta = ParseMetaData(body, "meta_data", "meta_data");
    if (!meta) return meta.error();
    msg.meta_data_json = MetaDataJson(meta.value());
  }
  return {};
}

// The result is under the top-level key "message", not "data" (coze-protocol.md §3.1).
http::Response Modify(Call& c) {
  auto body = JsonBody(c.req, /*allow_empty=*/true);
  if (!body) return c.Fail(body.error());
  domain::Message msg;
  if (auto err = LoadQueryMessage(c, msg)) return *err;
  if (auto s = ApplyModify(body.value(), msg); !s) return c.Fail(s.error());
  msg.updated_at = c.deps.clock.NowSeconds();
  if (auto s = c.deps.store.UpdateMessage(msg); !s) return c.Fail(s.error());
  return OkTopLevel(c.req, json::object{{"message", json::value_from(ToWire(msg))}});
}

http::Response Delete(Call& c) {
  domain::Message msg;
  if (auto err = LoadQueryMessage(c, msg)) return *err;
  if (auto s = c.deps.store.DeleteMessage(msg.id); !s) return c.Fail(s.error());
  return c.Ok(json::value_from(ToWire(msg)));
}

}  // namespace

void RegisterMessageRoutes(http::Router& router, Deps& deps) {
  AddOpenApi(router, deps, http::Verb::post, "/v1/conversation/message/create", "createMessage",
             Create);
  AddOpenApi(router, deps, http::Verb::post, "/v1/conversation/message/list", "listMessage", List);
  AddOpenApi(router, deps, http::Verb::get, "/v1/conversation/message/retrieve", "retrieveMessage",
             Retrieve);
  AddOpenApi(router, deps, http::Verb::post, "/v1/conversation/message/modify", "modifyMessage",
             Modify);
  AddOpenApi(router, deps, http::Verb::post, "/v1/conversation/message/delete", "deleteMessage",
             Delete);
}

}  // namespace cozeauth::api
