#include <boost/json.hpp>

#include "admin/operations.hpp"
#include "api/admin_env.hpp"
#include "api/json_input.hpp"
#include "api/openapi_route.hpp"
#include "api/routes.hpp"
#include "wire/openapi.hpp"

namespace cozeauth::api {
namespace json = boost::json;
namespace {

wire::Workspace ToWire(const domain::Workspace& w, std::string_view role,
                       const std::string& enterprise_id) {
  wire::Workspace out;
  out.id = w.id;
  out.name = w.name;
  out.description = w.description;
  out.role_type = std::string(role);
  out.workspace_type = std::string(domain::ToString(w.type));
  out.enterprise_id = enterprise_id;
  out.owner_uid = w.owner_user_id;
  return out;
}

// Workspaces the credential reaches in its context, in creation order.
Result<std::vector<domain::Workspace>> ReachableWorkspaces(Call& c) {
  const auto& ctx = c.principal.context;
  auto all = ctx.kind == credentials::ContextKind::kEnterprise
                 ? c.deps.store.ListWorkspacesOfEnterprise(ctx.enterprise_id)
                 : c.deps.store.ListWorkspacesOfAccount(ctx.account_id);
  if (!all) return all.error();
  std::vector<domain::Workspace> out;
  for (auto& w : all.value()) {
    if (policy::ReachesWorkspace(c.principal, c.WorkspaceTarget(w.id))) out.push_back(std::move(w));
  }
  return out;
}

}  // namespace

void RegisterWorkspaceRoutes(http::Router& router, Deps& deps) {
  AddOpenApi(router, deps, http::Verb::get, "/v1/workspaces", "listWorkspace", [](Call& c) {
    auto page_num = QueryInt(c.req, "page_num", 1, 1, 100000);
    if (!page_num) return c.Fail(page_num.error());
    auto page_size = QueryInt(c.req, "page_size", 20, 1, 50);
    if (!page_size) return c.Fail(page_size.error());
    auto spaces = ReachableWorkspaces(c);
    if (!spaces) return c.Fail(spaces.error());
    json::array items;
    const size_t begin = size_t(page_num.value() - 1) * page_size.value();
    for (size_t i = begin; i < spaces->size() && i < begin + page_size.value(); ++i) {
      const auto& w = spaces.value()[i];
      std::string role = "member";
      if (c.principal.user_bound()) {
        if (auto r = c.deps.auth.WorkspaceRole(w.id, c.principal.user_id)) {
          role = std::string(domain::ToString(*r));
        }
      }
      items.push_back(
          json::value_from(ToWire(w, role, c.deps.auth.EnterpriseOfAccount(w.owner_account_id))));
    }
    return c.Ok(json::object{{"workspaces", std::move(items)},
                             {"total_count", static_cast<int64_t>(spaces->size())}});
  });

  // Creates a workspace in the credential's account, owned by its user.
  AddOpenApi(router, deps, http::Verb::post, "/v1/workspaces", "createWorkspace", [](Call& c) {
    auto body = JsonBody(c.req);
    if (!body) return c.Fail(body.error());
    auto name = ReqString(body.value(), "name");
    if (!name) return c.Fail(name.error());
    auto description = OptString(body.value(), "description");
    if (!description) return c.Fail(description.error());
    if (c.principal.user_id.empty()) {
      return c.Fail(Error::Make(Errc::kPermissionDenied, "a workspace needs a user owner"));
    }
    admin::Env env = AdminEnv(c.deps);
    auto ws = admin::CreateWorkspace(env, c.principal.acting_account_id(), c.principal.user_id,
                                     name.value(), description.value().value_or(""));
    if (!ws) return c.Fail(ws.error());
    return c.Ok(json::object{{"id", ws->id}});
  });

  AddOpenApi(router, deps, http::Verb::get, "/v1/workspaces/{workspace_id}/members", "readMember",
             [](Call& c) {
               const std::string& wid = c.req.PathParam("workspace_id");
               if (auto denied = c.Authorize(c.WorkspaceTarget(wid), Errc::kNotFound)) {
                 return *denied;
               }
               auto page_num = QueryInt(c.req, "page_num", 1, 1, 100000);
               if (!page_num) return c.Fail(page_num.error());
               auto page_size = QueryInt(c.req, "page_size", 20, 1, 50);
               if (!page_size) return c.Fail(page_size.error());
               auto members = c.deps.store.ListWorkspaceMembers(wid);
               if (!members) return c.Fail(members.error());
               json::array items;
               const size_t begin = size_t(page_num.value() - 1) * page_size.value();
               for (size_t i = begin; i < members->size() && i < begin + page_size.value(); ++i) {
                 const auto& m = members.value()[i];
                 wire::WorkspaceMember wm;
                 wm.user_id = m.user_id;
                 wm.role_type = m.role;
                 if (auto u = c.deps.store.GetUser(m.user_id)) {
                   wm.user_nickname = u->name;
                   wm.user_unique_name = u->name;
                 }
                 items.push_back(json::value_from(wm));
               }
               return c.Ok(json::object{{"items", std::move(items)},
                                        {"total_count", static_cast<int64_t>(members->size())}});
             });
}

}  // namespace cozeauth::api
