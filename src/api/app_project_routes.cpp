// GET /v1/apps (coze-go apps.List; coze-platform.md §2: point listApp, workspace-level): the
// app projects of a workspace — Coze "apps", projects that hold workflows — paginated by
// page_num/page_size, data {total, items[{id, name, description, icon_url, is_published,
// owner_user_id, updated_at, published_at}]}. An app counts as published while it holds a
// published workflow. publish_status and connector_id are checked, not applied (every app is
// listed).

#include <boost/json.hpp>

#include "api/json_input.hpp"
#include "api/openapi_route.hpp"
#include "api/routes.hpp"

namespace cozeauth::api {
namespace json = boost::json;
namespace {

http::Response ListApps(Call& c) {
  auto workspace_id = RequiredQueryId(c.req, "workspace_id");
  if (!workspace_id) return c.Fail(workspace_id.error());
  auto page_num = QueryInt(c.req, "page_num", 1, 1, 100000);
  if (!page_num) return c.Fail(page_num.error());
  auto page_size = QueryInt(c.req, "page_size", 20, 1, 100);
  if (!page_size) return c.Fail(page_size.error());
  if (auto ps = c.req.Query("publish_status"); ps && !ps->empty() && *ps != "all" &&
                                               *ps != "published_online" &&
                                               *ps != "unpublished_draft") {
    return c.Fail(Error::BadRequest(
        "publish_status", "publish_status is all, published_online or unpublished_draft"));
  }
  if (auto connector = QueryId(c.req, "connector_id"); !connector) {
    return c.Fail(connector.error());
  }
  if (auto denied = c.Authorize(c.WorkspaceTarget(workspace_id.value()), Errc::kNotFound)) {
    return *denied;
  }
  auto page =
      c.deps.store.ListAppProjects(workspace_id.value(), {page_num.value(), page_size.value()});
  if (!page) return c.Fail(page.error());
  json::array items;
  for (const auto& a : page->items) {
    json::object item{{"id", a.id},
                      {"name", a.name},
                      {"description", a.description},
                      {"icon_url", ""},
                      {"is_published", a.has_published_workflow},
                      {"owner_user_id", a.creator_user_id},
                      {"updated_at", a.updated_at}};
    if (a.has_published_workflow) item["published_at"] = a.updated_at;
    items.push_back(std::move(item));
  }
  return c.Ok(json::object{{"items", std::move(items)}, {"total", page->total}});
}

}  // namespace

void RegisterAppProjectRoutes(http::Router& router, Deps& deps) {
  AddOpenApi(router, deps, http::Verb::get, "/v1/apps", "listApp", ListApps);
}

}  // namespace cozeauth::api
