// Conversations (coze-protocol.md §9.1, §9.3): account-level resources owned by the account the
// credential acts in, plus its JWT session_name (architecture.md §4). Unknown ids → 4002;
// another account's conversation → 4101 (the decision).

#include <boost/json.hpp>

#include "api/json_input.hpp"
#include "api/openapi_route.hpp"
#include "api/resource_access.hpp"
#include "api/resource_input.hpp"
#include "api/resource_wire.hpp"
#include "api/routes.hpp"
#include "base/strings.hpp"

namespace cozeauth::api {
namespace json = boost::json;
namespace {

constexpr size_t kMaxNameLength = 100;  // coze-protocol.md §9.3

Result<std::string> ParseName(const json::object& body, bool required) {
  auto name = OptString(body, "name");
  if (!name) return name.error();
  if (!name.value()) {
    if (required) return Error::BadRequest("name", "name is required");
    return std::string();
  }
  if (name.value()->size() > kMaxNameLength || (required && name.value()->empty())) {
    return Error::BadRequest("name", "name must be 1-100 characters");
  }
  return std::move(*name.value());
}

// Conversation create's body, validated; nothing is written before this succeeds.
struct CreateInput {
  std::optional<std::string> bot_id;
  std::string name;
  std::string connector_id = domain::kApiConnectorId;
  json::object meta_data;
  std::vector<EnterMessage> messages;
};

Result<CreateInput> ParseCreate(const http::Request& req) {
  auto body = JsonBody(req, /*allow_empty=*/true);
  if (!body) return body.error();
  CreateInput in;
  auto bot_id = OptId(body.value(), "bot_id");
  if (!bot_id) return bot_id.error();
  in.bot_id = bot_id.value();
  auto name = ParseName(body.value(), false);
  if (!name) return name.error();
  in.name = std::move(name.value());
  auto connector = OptId(body.value(), "connector_id");
  if (!connector) return connector.error();
  if (connector.value()) in.connector_id = *connector.value();
  auto meta = ParseMetaData(body.value(), "meta_data", "meta_data");
  if (!meta) return meta.error();
  in.meta_data = std::move(meta.value());
  auto messages = ParseEnterMessages(body.value(), "messages");
  if (!messages) return messages.error();
  in.messages = std::move(messages.value());
  return in;
}

// Coze checks only that a named bot exists (not that the credential reaches it).
Status CheckBotExists(Call& c, const std::string& bot_id) {
  auto bot = c.deps.store.GetBot(bot_id);
  if (bot) return {};
  if (bot.error().code != Errc::kNotFound) return bot.error();
  return Error::Make(Errc::kBotNotFound, "bot " + bot_id + " not found");
}

http::Response Create(Call& c) {
  auto in = ParseCreate(c.req);
  if (!in) return c.Fail(in.error());
  if (in->bot_id) {
    if (auto s = CheckBotExists(c, *in->bot_id); !s) return c.Fail(s.error());
  }
  const int64_t now = c.deps.clock.NowSeconds();
  domain::Conversation conv;
  conv.id = c.deps.ids.Next();
  conv.owner_account_id = c.principal.acting_account_id();
  conv.session_name = c.principal.session_name;
  conv.bot_id = in->bot_id.value_or("");
  conv.name = in->name;
  conv.meta_data_json = MetaDataJson(in->meta_data);
  conv.creator_id = c.principal.user_id;
  conv.connector_id = in->connector_id;
  conv.last_section_id = c.deps.ids.Next();
  conv.created_at = conv.updated_at = now;
  Status written = c.deps.store.Transaction([&]() -> Status {
    if (auto s = c.deps.store.CreateConversation(conv); !s) return s;
    for (const auto& m : in->messages) {
      auto msg = NewMessage(m, conv, conv.bot_id, "", c.deps.ids.Next(), now);
      if (auto s = c.deps.store.CreateMessage(msg); !s) return s;
    }
    return {};
  });
  if (!written) return c.Fail(written.error());
  return c.Ok(json::value_from(ToWire(conv)));
}

http::Response Retrieve(Call& c) {
  auto id = RequiredQueryId(c.req, "conversation_id");
  if (!id) return c.Fail(id.error());
  domain::Conversation conv;
  if (auto err = LoadConversation(c, id.value(), conv)) return *err;
  return c.Ok(json::value_from(ToWire(conv)));
}

// Lists the acting account's conversations with a bot (in the credential's session).
http::Response List(Call& c) {
  auto bot_id = RequiredQueryId(c.req, "bot_id");
  if (!bot_id) return c.Fail(bot_id.error());
  auto page_num = QueryInt(c.req, "page_num", 1, 1, 100000);
  if (!page_num) return c.Fail(page_num.error());
  auto page_size = QueryInt(c.req, "page_size", 50, 1, 50);
  if (!page_size) return c.Fail(page_size.error());
  if (auto connector = QueryId(c.req, "connector_id"); !connector) {
    return c.Fail(connector.error());
  }
  bool ascending = false;
  if (auto order = c.req.Query("sort_order"); order && !order->empty()) {
    if (!EqualsIgnoreCase(*order, "asc") && !EqualsIgnoreCase(*order, "desc")) {
      return c.Fail(Error::BadRequest("sort_order", "sort_order must be ASC or DESC"));
    }
    ascending = EqualsIgnoreCase(*order, "asc");
  }
  auto page = c.deps.store.ListConversations(c.principal.acting_account_id(), bot_id.value(),
                                             c.principal.session_name, ascending,
                                             {page_num.value(), page_size.value()});
  if (!page) return c.Fail(page.error());
  json::array items;
  for (const auto& conv : page->items) items.push_back(json::value_from(ToWire(conv)));
  return c.Ok(json::object{{"conversations", std::move(items)}, {"has_more", page->has_more}});
}

http::Response Rename(Call& c) {
  auto body = JsonBody(c.req);
  if (!body) return c.Fail(body.error());
  auto name = ParseName(body.value(), true);
  if (!name) return c.Fail(name.error());
  domain::Conversation conv;
  if (auto err = LoadConversation(c, c.req.PathParam("conversation_id"), conv)) return *err;
  conv.name = std::move(name.value());
  conv.updated_at = c.deps.clock.NowSeconds();
  if (auto s = c.deps.store.UpdateConversation(conv); !s) return c.Fail(s.error());
  return c.Ok(json::value_from(ToWire(conv)));
}

// The response has no payload (the Python SDK's delete returns True on code 0).
http::Response Delete(Call& c) {
  domain::Conversation conv;
  if (auto err = LoadConversation(c, c.req.PathParam("conversation_id"), conv)) return *err;
  if (auto s = c.deps.store.DeleteConversation(conv.id); !s) return c.Fail(s.error());
  return OkTopLevel(c.req, json::object{});
}

// Starts a new context section; earlier messages stay but belong to the old section.
http::Response Clear(Call& c) {
  domain::Conversation conv;
  if (auto err = LoadConversation(c, c.req.PathParam("conversation_id"), conv)) return *err;
  conv.last_section_id = c.deps.ids.Next();
  conv.updated_at = c.deps.clock.NowSeconds();
  if (auto s = c.deps.store.UpdateConversation(conv); !s) return c.Fail(s.error());
  return c.Ok(json::object{{"id", conv.last_section_id}, {"conversation_id", conv.id}});
}

}  // namespace

void RegisterConversationRoutes(http::Router& router, Deps& deps) {
  AddOpenApi(router, deps, http::Verb::post, "/v1/conversation/create", "createConversation",
             Create);
  AddOpenApi(router, deps, http::Verb::get, "/v1/conversation/retrieve", "retrieveConversation",
             Retrieve);
  AddOpenApi(router, deps, http::Verb::get, "/v1/conversations", "listConversation", List);
  AddOpenApi(router, deps, http::Verb::put, "/v1/conversations/{conversation_id}",
             "editConversation", Rename);
  AddOpenApi(router, deps, http::Verb::delete_, "/v1/conversations/{conversation_id}",
             "editConversation", Delete);
  AddOpenApi(router, deps, http::Verb::post, "/v1/conversations/{conversation_id}/clear",
             "editConversation", Clear);
}

}  // namespace cozeauth::api
