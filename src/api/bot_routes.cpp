// The OpenAPI's bot routes (coze-protocol.md §9.1, docs/api.md): create, update, publish,
// unpublish, the two lists (new, and the deprecated published list) and retrieve (new, and the
// legacy get_online_info). Each handler only translates HTTP ↔ operation: it reads the body or
// query (a malformed one → 4000 naming the field), authorizes against the workspace (an unknown
// or unreachable bot → 4006 via LoadBot), calls one operation of admin/bots.hpp — where the
// rules live: field limits, what an update may change, connectors and publish state — and
// writes the wire shape. Reads go to the store directly; there is no rule in them.

#include <boost/json.hpp>
#include <memory>
#include <string>

#include "admin/bots.hpp"
#include "api/admin_env.hpp"
#include "api/json_input.hpp"
#include "api/openapi_route.hpp"
#include "api/resource_access.hpp"
#include "api/respond.hpp"
#include "api/routes.hpp"
#include "wire/openapi.hpp"

namespace cozeauth::api {
namespace json = boost::json;
namespace {

// --- wire shapes

wire::BotInfo ToInfo(const domain::Bot& b) {
  wire::BotInfo w;
  w.bot_id = b.id;
  w.name = b.name;
  w.description = b.description;
  w.icon_url = b.icon_url;
  w.create_time = b.created_at;
  w.update_time = b.updated_at;
  w.version = std::to_string(b.updated_at);
  w.owner_user_id = b.owner_user_id;
  w.space_id = b.workspace_id;
  w.prompt = b.prompt;
  w.prologue = b.prologue;
  w.is_published = b.is_published;
  w.connector_ids = b.connector_ids;
  return w;
}

wire::BotListItem ToItem(const domain::Bot& b) {
  return wire::BotListItem{b.id,           b.name,          b.icon_url,
                           b.description,  b.owner_user_id, b.updated_at,
                           b.is_published, b.published_at};
}

// --- input

// The editable fields of a create/update body, checked for their JSON types only; their values
// are admin::ValidateBotFields's to judge.
Result<admin::BotFields> ReadBotFields(const json::object& body) {
  admin::BotFields fields;
  auto name = OptString(body, "name");
  if (!name) return name.error();
  fields.name = std::move(name.value());
  auto description = OptString(body, "description");
  if (!description) return description.error();
  fields.description = std::move(description.value());
  auto prompt_info = OptObject(body, "prompt_info");
  if (!prompt_info) return prompt_info.error();
  if (prompt_info.value()) {
    auto prompt = OptString(*prompt_info.value(), "prompt");
    if (!prompt) {
      return Error::BadRequest("prompt_info.prompt", "prompt_info.prompt must be a string");
    }
    fields.prompt = std::move(prompt.value());
  }
  auto onboarding = OptObject(body, "onboarding_info");
  if (!onboarding) return onboarding.error();
  if (onboarding.value()) {
    auto prologue = OptString(*onboarding.value(), "prologue");
    if (!prologue) {
      return Error::BadRequest("onboarding_info.prologue",
                               "onboarding_info.prologue must be a string");
    }
    fields.prologue = std::move(prologue.value());
  }
  return fields;
}

// --- writes

http::Response CreateBot(Call& c) {
  auto body = JsonBody(c.req);
  if (!body) return c.Fail(body.error());
  auto space_id = OptId(body.value(), "space_id");
  if (!space_id) return c.Fail(space_id.error());
  if (!space_id.value()) return c.Fail(Error::BadRequest("space_id", "space_id is required"));
  auto fields = ReadBotFields(body.value());
  if (!fields) return c.Fail(fields.error());
  // Bad input is a 4000 before any authorization, whoever sends it.
  if (auto s = admin::ValidateBotFields(*fields, admin::BotFieldsUse::kCreate); !s) {
    return c.Fail(s.error());
  }
  if (auto denied = c.Authorize(c.WorkspaceTarget(*space_id.value()), Errc::kNotFound)) {
    return *denied;
  }
  admin::Env env = AdminEnv(c.deps);
  admin::BotSpec spec{*space_id.value(),
                      *fields->name,
                      fields->description.value_or(""),
                      fields->prompt.value_or(""),
                      fields->prologue.value_or(""),
                      c.principal.user_id,
                      /*publish=*/false};
  auto created = admin::CreateBot(env, spec);
  if (!created) return c.Fail(created.error());
  return c.Ok(json::object{{"bot_id", created->id}});
}

http::Response UpdateBot(Call& c) {
  auto body = JsonBody(c.req);
  if (!body) return c.Fail(body.error());
  auto bot_id = OptId(body.value(), "bot_id");
  if (!bot_id) return c.Fail(bot_id.error());
  domain::Bot bot;
  if (auto err = LoadBot(c, bot_id.value().value_or(""), bot)) return *err;
  auto fields = ReadBotFields(body.value());
  if (!fields) return c.Fail(fields.error());
  admin::Env env = AdminEnv(c.deps);
  if (auto updated = admin::UpdateBot(env, std::move(bot), *fields); !updated) {
    return c.Fail(updated.error());
  }
  return c.Ok(json::object{});
}

http::Response PublishBot(Call& c) {
  auto body = JsonBody(c.req);
  if (!body) return c.Fail(body.error());
  auto bot_id = OptId(body.value(), "bot_id");
  if (!bot_id) return c.Fail(bot_id.error());
  auto named = OptStringList(body.value(), "connector_ids");
  if (!named) return c.Fail(named.error());
  // Checked before the bot is loaded, so bad input is a 4000 whoever sends it.
  auto connectors = admin::PublishConnectors(named.value());
  if (!connectors) return c.Fail(connectors.error());
  domain::Bot bot;
  if (auto err = LoadBot(c, bot_id.value().value_or(""), bot)) return *err;
  admin::Env env = AdminEnv(c.deps);
  auto published = admin::PublishBot(env, std::move(bot), connectors.value());
  if (!published) return c.Fail(published.error());
  return c.Ok(json::object{{"bot_id", published->id},
                           {"version", std::to_string(published->published_at)}});
}

http::Response UnpublishBot(Call& c) {
  auto body = JsonBody(c.req, /*allow_empty=*/true);
  if (!body) return c.Fail(body.error());
  auto connector = OptId(body.value(), "connector_id");
  if (!connector) return c.Fail(connector.error());
  domain::Bot bot;
  if (auto err = LoadBot(c, c.req.PathParam("bot_id"), bot)) return *err;
  admin::Env env = AdminEnv(c.deps);
  if (auto s = admin::UnpublishBot(env, std::move(bot), connector.value()); !s) {
    return c.Fail(s.error());
  }
  return c.Ok(json::object{});
}

// --- reads

http::Response ListBots(Call& c) {
  auto workspace_id = RequiredQueryId(c.req, "workspace_id");
  if (!workspace_id) return c.Fail(workspace_id.error());
  auto page_num = QueryInt(c.req, "page_num", 1, 1, 100000);
  if (!page_num) return c.Fail(page_num.error());
  auto page_size = QueryInt(c.req, "page_size", 20, 1, 100);
  if (!page_size) return c.Fail(page_size.error());
  std::optional<bool> published;
  if (auto ps = c.req.Query("publish_status"); ps && !ps->empty() && *ps != "all") {
    if (*ps == "published_online") {
      published = true;
    } else if (*ps == "unpublished_draft") {
      published = false;
    } else {
      return c.Fail(Error::BadRequest(
          "publish_status", "publish_status is all, published_online or unpublished_draft"));
    }
  }
  if (auto denied = c.Authorize(c.WorkspaceTarget(workspace_id.value()), Errc::kNotFound)) {
    return *denied;
  }
  auto page =
      c.deps.store.ListBots(workspace_id.value(), published, {page_num.value(), page_size.value()});
  if (!page) return c.Fail(page.error());
  json::array items;
  for (const auto& b : page->items) items.push_back(json::value_from(ToItem(b)));
  return c.Ok(json::object{{"items", std::move(items)}, {"total", page->total}});
}

// Deprecated list of published bots, still called by @coze/api's bots.list({space_id})
// (coze-protocol.md §9.1): page_index/page_size, data {total, space_bots[]}.
http::Response ListPublishedBots(Call& c) {
  auto space_id = RequiredQueryId(c.req, "space_id");
  if (!space_id) return c.Fail(space_id.error());
  auto page_index = QueryInt(c.req, "page_index", 1, 1, 100000);
  if (!page_index) return c.Fail(page_index.error());
  auto page_size = QueryInt(c.req, "page_size", 20, 1, 100);
  if (!page_size) return c.Fail(page_size.error());
  if (auto denied = c.Authorize(c.WorkspaceTarget(space_id.value()), Errc::kNotFound)) {
    return *denied;
  }
  auto page = c.deps.store.ListBots(space_id.value(), /*published=*/true,
                                    {page_index.value(), page_size.value()});
  if (!page) return c.Fail(page.error());
  json::array bots;
  for (const auto& b : page->items) {
    bots.push_back(json::object{{"bot_id", b.id},
                                {"bot_name", b.name},
                                {"description", b.description},
                                {"icon_url", b.icon_url},
                                {"publish_time", std::to_string(b.published_at)}});
  }
  return c.Ok(json::object{{"space_bots", std::move(bots)}, {"total", page->total}});
}

http::Response RetrieveBot(Call& c, const std::string& bot_id) {
  std::shared_ptr<const CachedBot> cached;
  if (auto err = LoadCachedBot(c, bot_id, cached)) return *err;
  // Rendered once per cached copy of the bot: a warm read serialises nothing but the envelope.
  const std::string& info = cached->Rendered(
      [](const domain::Bot& bot) { return json::serialize(json::value_from(ToInfo(bot))); });
  return OkSerialized(c.req, info);
}

http::Response GetBot(Call& c) { return RetrieveBot(c, c.req.PathParam("bot_id")); }

// Legacy (coze-protocol.md §9.1): the id in the query.
http::Response GetOnlineInfo(Call& c) {
  auto id = RequiredQueryId(c.req, "bot_id");
  if (!id) return c.Fail(id.error());
  return RetrieveBot(c, id.value());
}

}  // namespace

void RegisterBotRoutes(http::Router& router, Deps& deps) {
  using V = http::Verb;
  auto add = [&](V verb, const char* path, const char* point, http::Response (*fn)(Call&)) {
    AddOpenApi(router, deps, verb, path, point, fn);
  };
  add(V::post, "/v1/bot/create", "createBot", CreateBot);
  add(V::post, "/v1/bot/update", "edit", UpdateBot);
  add(V::post, "/v1/bot/publish", "publish", PublishBot);
  add(V::post, "/v1/bots/{bot_id}/unpublish", "disconnectBot", UnpublishBot);
  add(V::get, "/v1/bots", "listBot", ListBots);
  add(V::get, "/v1/space/published_bots_list", "getPublishedBot", ListPublishedBots);
  // Bots and their decision facts are cached: warm reads are answered on the I/O thread.
  AddOpenApi(router, deps, V::get, "/v1/bots/{bot_id}", "getMetadata", GetBot,
             {.cached_read = true});
  AddOpenApi(router, deps, V::get, "/v1/bot/get_online_info", "getMetadata", GetOnlineInfo,
             {.cached_read = true});
}

}  // namespace cozeauth::api
