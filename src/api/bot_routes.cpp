#include <boost/json.hpp>

#include "admin/operations.hpp"
#include "api/json_input.hpp"
#include "api/openapi_route.hpp"
#include "api/resource_access.hpp"
#include "api/routes.hpp"
#include "base/ids.hpp"

#include <algorithm>
#include "wire/openapi.hpp"

namespace cozeauth::api {
namespace json = boost::json;
namespace {

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
  return wire::BotListItem{b.id,         b.name,         b.icon_url,     b.description,
                           b.owner_user_id, b.updated_at, b.is_published, b.published_at};
}

// Applies the optional fields of a create/update body to `bot`.
Status ApplyBotFields(const json::object& body, domain::Bot& bot) {
  auto name = OptString(body, "name");
  if (!name) return name.error();
  if (name.value()) {
    if (name.value()->empty() || name.value()->size() > 100) {
      return Error::BadRequest("name", "name must be 1-100 characters");
    }
    bot.name = *name.value();
  }
  auto description = OptString(body, "description");
  if (!description) return description.error();
  if (description.value()) bot.description = *description.value();
  auto prompt_info = OptObject(body, "prompt_info");
  if (!prompt_info) return prompt_info.error();
  if (prompt_info.value()) {
    auto prompt = OptString(*prompt_info.value(), "prompt");
    if (!prompt) return Error::BadRequest("prompt_info.prompt", "prompt_info.prompt must be a string");
    if (prompt.value()) bot.prompt = *prompt.value();
  }
  auto onboarding = OptObject(body, "onboarding_info");
  if (!onboarding) return onboarding.error();
  if (onboarding.value()) {
    auto prologue = OptString(*onboarding.value(), "prologue");
    if (!prologue) {
      return Error::BadRequest("onboarding_info.prologue", "onboarding_info.prologue must be a string");
    }
    if (prologue.value()) bot.prologue = *prologue.value();
  }
  return {};
}

}  // namespace

void RegisterBotRoutes(http::Router& router, Deps& deps) {
  AddOpenApi(router, deps, http::Verb::post, "/v1/bot/create", "createBot", [](Call& c) {
    auto body = JsonBody(c.req);
    if (!body) return c.Fail(body.error());
    auto space_id = OptId(body.value(), "space_id");
    if (!space_id) return c.Fail(space_id.error());
    if (!space_id.value()) return c.Fail(Error::BadRequest("space_id", "space_id is required"));
    domain::Bot bot;
    if (auto s = ApplyBotFields(body.value(), bot); !s) return c.Fail(s.error());
    if (bot.name.empty()) return c.Fail(Error::BadRequest("name", "name is required"));
    if (auto denied = c.Authorize(c.WorkspaceTarget(*space_id.value()), Errc::kNotFound)) {
      return *denied;
    }
    admin::Env env{c.deps.store, c.deps.clock, c.deps.random, c.deps.ids};
    admin::BotSpec spec{*space_id.value(), bot.name,          bot.description,
                        bot.prompt,        bot.prologue,      c.principal.user_id, false};
    auto created = admin::CreateBot(env, spec);
    if (!created) return c.Fail(created.error());
    return c.Ok(json::object{{"bot_id", created->id}});
  });

  AddOpenApi(router, deps, http::Verb::post, "/v1/bot/update", "edit", [](Call& c) {
    auto body = JsonBody(c.req);
    if (!body) return c.Fail(body.error());
    auto bot_id = OptId(body.value(), "bot_id");
    if (!bot_id) return c.Fail(bot_id.error());
    domain::Bot bot;
    if (auto err = LoadBot(c, bot_id.value().value_or(""), bot)) return *err;
    if (auto s = ApplyBotFields(body.value(), bot); !s) return c.Fail(s.error());
    bot.updated_at = c.deps.clock.NowSeconds();
    if (auto s = c.deps.store.UpdateBot(bot); !s) return c.Fail(s.error());
    return c.Ok(json::object{});
  });

  AddOpenApi(router, deps, http::Verb::post, "/v1/bot/publish", "publish", [](Call& c) {
    auto body = JsonBody(c.req);
    if (!body) return c.Fail(body.error());
    auto bot_id = OptId(body.value(), "bot_id");
    if (!bot_id) return c.Fail(bot_id.error());
    auto connectors = OptStringList(body.value(), "connector_ids");
    if (!connectors) return c.Fail(connectors.error());
    std::vector<std::string> ids = connectors.value().value_or(std::vector<std::string>{"1024"});
    if (ids.empty()) return c.Fail(Error::BadRequest("connector_ids", "connector_ids is empty"));
    for (const auto& id : ids) {
      if (!IsNumericId(id)) {
        return c.Fail(Error::BadRequest("connector_ids", "connector ids are numeric strings"));
      }
    }
    domain::Bot bot;
    if (auto err = LoadBot(c, bot_id.value().value_or(""), bot)) return *err;
    const int64_t now = c.deps.clock.NowSeconds();
    for (auto& id : ids) {
      if (std::find(bot.connector_ids.begin(), bot.connector_ids.end(), id) ==
          bot.connector_ids.end()) {
        bot.connector_ids.push_back(id);
      }
    }
    bot.is_published = true;
    bot.published_at = now;
    bot.updated_at = now;
    if (auto s = c.deps.store.UpdateBot(bot); !s) return c.Fail(s.error());
    return c.Ok(json::object{{"bot_id", bot.id}, {"version", std::to_string(now)}});
  });

  AddOpenApi(router, deps, http::Verb::post, "/v1/bots/{bot_id}/unpublish", "disconnectBot",
             [](Call& c) {
               auto body = JsonBody(c.req, /*allow_empty=*/true);
               if (!body) return c.Fail(body.error());
               auto connector = OptId(body.value(), "connector_id");
               if (!connector) return c.Fail(connector.error());
               domain::Bot bot;
               if (auto err = LoadBot(c, c.req.PathParam("bot_id"), bot)) return *err;
               const std::string which = connector.value().value_or("1024");
               std::erase(bot.connector_ids, which);
               bot.is_published = !bot.connector_ids.empty();
               bot.updated_at = c.deps.clock.NowSeconds();
               if (auto s = c.deps.store.UpdateBot(bot); !s) return c.Fail(s.error());
               return c.Ok(json::object{});
             });

  AddOpenApi(router, deps, http::Verb::get, "/v1/bots", "listBot", [](Call& c) {
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
    auto page = c.deps.store.ListBots(workspace_id.value(), published,
                                      {page_num.value(), page_size.value()});
    if (!page) return c.Fail(page.error());
    json::array items;
    for (const auto& b : page->items) items.push_back(json::value_from(ToItem(b)));
    return c.Ok(json::object{{"items", std::move(items)}, {"total", page->total}});
  });

  // Deprecated list of published bots, still called by @coze/api's bots.list({space_id})
  // (coze-protocol.md §9.1): page_index/page_size, data {total, space_bots[]}.
  AddOpenApi(router, deps, http::Verb::get, "/v1/space/published_bots_list", "getPublishedBot",
             [](Call& c) {
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
             });

  auto retrieve = [](Call& c, const std::string& bot_id) {
    domain::Bot bot;
    if (auto err = LoadBot(c, bot_id, bot)) return *err;
    return c.Ok(json::value_from(ToInfo(bot)));
  };
  AddOpenApi(router, deps, http::Verb::get, "/v1/bots/{bot_id}", "getMetadata",
             [retrieve](Call& c) { return retrieve(c, c.req.PathParam("bot_id")); });
  // Legacy (coze-protocol.md §9.1).
  AddOpenApi(router, deps, http::Verb::get, "/v1/bot/get_online_info", "getMetadata",
             [retrieve](Call& c) {
               auto id = RequiredQueryId(c.req, "bot_id");
               if (!id) return c.Fail(id.error());
               return retrieve(c, id.value());
             });
}

}  // namespace cozeauth::api
