// Console: workspace migration into an enterprise (coze-platform.md §6.4, Coze's 迁移空间 with its
// API checklist) and enterprise access to personal account resources (§7, 个人账号资源授权), at
// Coze's paths. The decisions are migration::'s (migration.hpp, account_grants.hpp), exactly as
// for the operator CLI; this file reads the request, checks who asks, and maps the errors:
//
//   bad input, or a violated precondition (already migrated, unknown organization, grant mode
//     with nothing to grant, a credential that cannot be granted) → 4000 naming the field;
//   an unknown workspace → 4200;
//   a role problem (not the workspace's owner, not super_admin/admin of the enterprise) → 4101.
//     On the 个人账号资源授权 page an unknown enterprise answers like one the user does not
//     administer (4101), as the OAuth-app console does.
//
// Every write is one store transaction and writes nothing on error; after it the
// authenticator's cache is dropped so the change applies to the very next request.

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "api/json_input.hpp"
#include "api/migration_json.hpp"
#include "console/migration_wire.hpp"
#include "console/routes.hpp"
#include "console/session.hpp"
#include "migration/account_grants.hpp"
#include "migration/migration.hpp"

namespace cozeauth::api {
namespace json = boost::json;
namespace {

constexpr size_t kMaxChecklistWorkspaces = 20;
constexpr size_t kMaxAuthorizeItems = 100;

json::array Strings(const std::vector<std::string>& v) { return json::array(v.begin(), v.end()); }

// --- input

// A required, non-empty array of ids (strings of digits or integers), duplicates dropped.
Result<std::vector<std::string>> RequiredIdList(const json::object& body, std::string_view key,
                                                size_t max) {
  const std::string field(key);
  const json::value* v = body.if_contains(key);
  if (v == nullptr || v->is_null()) return Error::BadRequest(field, field + " is required");
  const std::string shape = field + " must be an array of 1 to " + std::to_string(max) + " ids";
  if (!v->is_array() || v->as_array().empty() || v->as_array().size() > max) {
    return Error::BadRequest(field, shape);
  }
  std::vector<std::string> out;
  for (const auto& item : v->as_array()) {
    auto id = OptId(json::object{{"id", item}}, "id");
    if (!id || !id.value()) return Error::BadRequest(field, shape);
    if (std::find(out.begin(), out.end(), *id.value()) == out.end()) out.push_back(*id.value());
  }
  return out;
}

}  // namespace

// --- errors (shared with rehearsal_routes.cpp through migration_wire.hpp)

Error WireError(Error e, const std::map<std::string, std::string>& renames) {
  if (e.code != Errc::kBadRequest) return e;
  if (e.field == "by") return Error::Make(Errc::kPermissionDenied, e.message);
  if (auto it = renames.find(e.field); it != renames.end()) e.field = it->second;
  if (auto at = e.message.find("use --mode cut"); at != std::string::npos) {
    e.message.replace(at, 14, "use mode \"cut\"");
  }
  return e;
}

Result<MigrationRequest> ReadMigrationRequest(const http::Request& req) {
  auto body = JsonBody(req);
  if (!body) return body.error();
  auto workspace_id = RequiredId(*body, "workspace_id");
  if (!workspace_id) return workspace_id.error();
  auto org_id = RequiredId(*body, "organization_id");
  if (!org_id) return org_id.error();
  auto mode_name = ReqString(*body, "mode");
  if (!mode_name) return mode_name.error();
  auto mode = domain::ParseMigrationMode(*mode_name);
  if (!mode) return Error::BadRequest("mode", "mode must be cut or grant");
  return MigrationRequest{std::move(*body), std::move(*workspace_id), std::move(*org_id), *mode};
}

Result<domain::Workspace> ExistingWorkspace(ConsoleCall& c, const std::string& id) {
  auto w = c.deps.store.GetWorkspace(id);
  if (!w && w.error().code == Errc::kNotFound) {
    return Error::Make(Errc::kNotFound, "workspace " + id + " not found");
  }
  return w;
}

namespace {

// --- who may act

bool IsEnterpriseAdmin(ConsoleCall& c, const std::string& enterprise_id) {
  auto role = c.deps.store.GetEnterpriseRole(enterprise_id, c.user.id);
  return role && role.value() && domain::IsAdmin(*role.value());
}

// Coze: "你不是企业管理员，无权限访问该页面".
Error NotEnterpriseAdmin(const std::string& enterprise_id) {
  return Error::Make(Errc::kPermissionDenied,
                     "you are not a super_admin or admin of enterprise " + enterprise_id +
                         ": only its administrators open their personal account to it");
}

// --- the migration checklist

std::string_view ChecklistType(const std::string& kind) {
  if (kind == "pat") return "PersonalAccessToken";
  if (kind == "sat") return "ServiceAccessToken";
  if (kind == "app_auth") return "AppAuth";
  return "Obo";
}

json::object ChecklistItem(ConsoleCall& c, const migration::PlanRow& r,
                           const std::string& workspace_id) {
  auto owner = c.deps.store.GetUser(r.owner_user_id);
  return {{"id", r.id},
          {"name", r.name},
          {"user_info", {{"user_id", r.owner_user_id}, {"name", owner ? owner->name : ""}}},
          {"affected_workspaces", json::array{json::value(workspace_id)}},
          {"checklist_item_type", ChecklistType(r.kind)},
          {"app_id", r.app_id},
          {"live_tokens", r.live_tokens},
          {"after_cut", r.after_cut},
          {"after_grant", r.after_grant},
          {"keeps_with_grant", r.keeps_with_grant},
          {"covered", r.covered},
          {"coverage", r.coverage},
          {"points", Strings(r.points)},
          {"used_points", Strings(r.used_points)}};
}

// A credential reaching several of the listed workspaces is one item; its points and its
// coverage do not depend on the workspace (a covering credential must reach all workspaces), so
// merging only adds the workspace, and keeps the item uncovered if any of its rows is.
void Merge(json::object& item, const migration::PlanRow& r, const std::string& workspace_id) {
  item["affected_workspaces"].as_array().emplace_back(workspace_id);
  if (!r.covered && item["covered"].as_bool()) {
    item["covered"] = false;
    item["coverage"] = r.coverage;
  }
  json::array& used = item["used_points"].as_array();
  for (const auto& p : r.used_points) {
    if (std::find(used.begin(), used.end(), json::value(p)) == used.end()) used.emplace_back(p);
  }
}

http::Response Checklist(ConsoleCall& c) {
  auto body = JsonBody(c.req);
  if (!body) return c.Fail(body.error());
  auto workspaces = RequiredIdList(*body, "workspace_id_list", kMaxChecklistWorkspaces);
  if (!workspaces) return c.Fail(workspaces.error());
  auto org_id = RequiredId(*body, "organization_id");
  if (!org_id) return c.Fail(org_id.error());
  auto org = c.deps.store.GetAccount(*org_id);
  if (!org && org.error().code != Errc::kNotFound) return c.Fail(org.error());
  if (!org || org->kind != domain::AccountKind::kOrganization) {
    return c.Fail(Error::BadRequest("organization_id", "organization " + *org_id + " not found"));
  }
  // Unknown workspaces are 4200 first (as for the migration). Who may read is decided by
  // migration::MakePlanFor, with the very check the migration makes: the owner of each
  // workspace, as super_admin/admin of the target enterprise. An administrator of the target
  // alone reads nothing (the plan names another user's credentials, their use and conversations).
  for (const auto& id : workspaces.value()) {
    auto w = ExistingWorkspace(c, id);
    if (!w) return c.Fail(w.error());
  }
  auto env = c.Env();
  json::array checklist, plans;
  std::map<std::string, size_t> index;  // "kind/id" → position in checklist
  for (const auto& id : workspaces.value()) {
    auto plan = migration::MakePlanFor(env, id, *org_id, c.user.id);
    if (!plan) {
      return c.Fail(WireError(plan.error(),
                              {{"workspace", "workspace_id_list"}, {"to_org", "organization_id"}}));
    }
    for (const auto& r : plan->credentials) {
      const std::string key = r.kind + "/" + r.id;
      if (auto it = index.find(key); it != index.end()) {
        Merge(checklist[it->second].as_object(), r, id);
        continue;
      }
      index.emplace(key, checklist.size());
      checklist.push_back(ChecklistItem(c, r, id));
    }
    plans.push_back(PlanJson(*plan));
  }
  return c.Ok(json::object{{"checklist", std::move(checklist)}, {"plans", std::move(plans)}});
}

// --- the migration

http::Response MigrateWorkspace(ConsoleCall& c) {
  auto request = ReadMigrationRequest(c.req);
  if (!request) return c.Fail(request.error());
  const std::string& workspace_id = request->workspace_id;
  const std::string& org_id = request->organization_id;
  const domain::MigrationMode mode = request->mode;

  auto w = ExistingWorkspace(c, workspace_id);
  if (!w) return c.Fail(w.error());
  // Who may migrate is migration::'s decision (the same check as the checklist's), made before
  // anything about the workspace's state or the target is revealed.
  auto env = c.Env();
  auto m = migration::Migrate(env, {workspace_id, org_id, mode, c.user.id}, PlanRecord);
  if (!m) {
    return c.Fail(WireError(
        m.error(),
        {{"workspace", "workspace_id"}, {"to_org", "organization_id"}, {"mode", "mode"}}));
  }
  return c.Ok(json::object{{"migration", MigrationJson(*m)}});
}

// The user's own migrations (as the actor) and those of workspaces they own or owned.
http::Response ListMigrations(ConsoleCall& c) {
  auto workspace_id = QueryId(c.req, "workspace_id");
  if (!workspace_id) return c.Fail(workspace_id.error());
  auto all = c.deps.store.ListMigrations(workspace_id.value().value_or(""));
  if (!all) return c.Fail(all.error());
  std::map<std::string, bool> owns;  // workspace id → owned by the user
  auto owned = [&](const std::string& id) {
    auto [it, fresh] = owns.try_emplace(id, false);
    if (fresh) {
      auto w = c.deps.store.GetWorkspace(id);
      it->second = w && w->owner_user_id == c.user.id;
    }
    return it->second;
  };
  json::array items;
  for (const auto& m : all.value()) {
    if (m.actor_user_id == c.user.id || m.from_account_id == c.user.id || owned(m.workspace_id)) {
      items.push_back(MigrationJson(m));
    }
  }
  const auto total = static_cast<int64_t>(items.size());
  return c.Ok(json::object{{"migrations", std::move(items)}, {"total", total}});
}

// --- 个人账号资源授权

// account_grants.hpp's fields → those of the request's item at `prefix`.
std::map<std::string, std::string> GrantRenames(const std::string& prefix) {
  return {{"credential", prefix + ".type"},
          {"credential_id", prefix + ".id"},
          {"enterprise", "enterprise_id"}};
}

http::Response ListGrantCandidates(ConsoleCall& c) {
  auto body = JsonBody(c.req);
  if (!body) return c.Fail(body.error());
  auto enterprise_id = RequiredEnterpriseId(*body);
  if (!enterprise_id) return c.Fail(enterprise_id.error());
  auto page = IntInRange(*body, "page", 1, 1, 1'000'000);
  if (!page) return c.Fail(page.error());
  auto page_size = IntInRange(*body, "page_size", 20, 1, 100);
  if (!page_size) return c.Fail(page_size.error());
  if (!IsEnterpriseAdmin(c, *enterprise_id)) return c.Fail(NotEnterpriseAdmin(*enterprise_id));
  auto enterprise = c.deps.store.GetEnterprise(*enterprise_id);
  if (!enterprise) return c.Fail(enterprise.error());

  auto env = c.Env();
  auto candidates = migration::ListGrantCandidates(env, c.user.id, *enterprise_id);
  if (!candidates)
    return c.Fail(WireError(candidates.error(), GrantRenames("crossaccount_authinfo")));
  const size_t total = candidates->size();
  const size_t begin = std::min(total, size_t(*page - 1) * size_t(*page_size));
  const size_t end = std::min(total, begin + size_t(*page_size));
  json::array items;
  for (size_t i = begin; i < end; ++i) items.push_back(CandidateJson((*candidates)[i]));
  return c.Ok(json::object{{"enterprise_name", enterprise->name},
                           {"crossaccount_authinfo", std::move(items)},
                           {"total", static_cast<int64_t>(total)},
                           {"has_more", end < total}});
}

struct AuthInfo {
  std::string id;
  std::string type;
};

// {id, type} inside `field`; the type is checked by migration:: (which refuses obo and sat).
Result<AuthInfo> ReadAuthInfo(const json::value& v, const std::string& field) {
  if (!v.is_object()) return Error::BadRequest(field, field + " must be an object {id, type}");
  const json::object& o = v.as_object();
  auto id = OptId(o, "id");
  if (!id) return Error::BadRequest(field + ".id", field + ".id must be a numeric id string");
  if (!id.value()) return Error::BadRequest(field + ".id", field + ".id is required");
  auto type = OptString(o, "type");
  if (!type) return Error::BadRequest(field + ".type", field + ".type must be a string");
  if (!type.value() || type.value()->empty()) {
    return Error::BadRequest(field + ".type", field + ".type is required");
  }
  return AuthInfo{std::move(*id.value()), std::move(*type.value())};
}

// All or nothing: every item is read first, then all are granted in one transaction, which
// rolls back (nothing written, nothing audited) when any of them is refused.
http::Response AuthorizeGrants(ConsoleCall& c) {
  auto body = JsonBody(c.req);
  if (!body) return c.Fail(body.error());
  auto enterprise_id = RequiredEnterpriseId(*body);
  if (!enterprise_id) return c.Fail(enterprise_id.error());
  const std::string list_field = "crossaccount_authinfo_list";
  const json::value* list = body->if_contains(list_field);
  if (list == nullptr || list->is_null()) {
    return c.Fail(Error::BadRequest(list_field, list_field + " is required"));
  }
  if (!list->is_array() || list->as_array().empty() ||
      list->as_array().size() > kMaxAuthorizeItems) {
    return c.Fail(Error::BadRequest(list_field, list_field + " must be an array of 1 to " +
                                                    std::to_string(kMaxAuthorizeItems) +
                                                    " objects {id, type}"));
  }
  std::vector<AuthInfo> items;
  std::set<std::pair<std::string, std::string>> seen;
  for (size_t i = 0; i < list->as_array().size(); ++i) {
    const std::string field = list_field + "[" + std::to_string(i) + "]";
    auto item = ReadAuthInfo(list->as_array()[i], field);
    if (!item) return c.Fail(item.error());
    if (!seen.emplace(item->type, item->id).second) {
      return c.Fail(Error::BadRequest(field, field + " repeats " + item->type + " " + item->id));
    }
    items.push_back(std::move(item.value()));
  }
  if (!IsEnterpriseAdmin(c, *enterprise_id)) return c.Fail(NotEnterpriseAdmin(*enterprise_id));

  auto env = c.Env();
  json::array granted;
  Status s = c.deps.store.Transaction([&]() -> Status {
    for (size_t i = 0; i < items.size(); ++i) {
      auto g = migration::GrantAccountAccess(
          env, {c.user.id, *enterprise_id, items[i].type, items[i].id});
      if (!g) {
        const std::string field = list_field + "[" + std::to_string(i) + "]";
        Error e = WireError(g.error(), GrantRenames(field));
        if (e.code != Errc::kBadRequest) e.message = field + ": " + e.message;
        return e;
      }
      granted.push_back(GrantJson(*g));
    }
    return {};
  });
  if (!s) return c.Fail(s.error());
  return c.Ok(json::object{{"grants", std::move(granted)}});
}

// Revokes the live grant of one credential. Allowed to the personal account's owner even when
// they no longer administer the enterprise: closing one's own account is never refused.
http::Response RevokeGrant(ConsoleCall& c) {
  auto body = JsonBody(c.req);
  if (!body) return c.Fail(body.error());
  auto enterprise_id = RequiredEnterpriseId(*body);
  if (!enterprise_id) return c.Fail(enterprise_id.error());
  const std::string field = "crossaccount_authinfo";
  const json::value* v = body->if_contains(field);
  if (v == nullptr || v->is_null()) return c.Fail(Error::BadRequest(field, field + " is required"));
  auto info = ReadAuthInfo(*v, field);
  if (!info) return c.Fail(info.error());
  if (info->type == "obo" || info->type == "sat") {
    return c.Fail(Error::BadRequest(
        field + ".type",
        std::string(info->type == "obo" ? "OBO credentials" : "service access tokens") +
            " are never granted personal account access; only PATs and "
            "AppAuth apps"));
  }
  auto kind = domain::ParseGrantedCredential(info->type);
  if (!kind) return c.Fail(Error::BadRequest(field + ".type", field + ".type must be pat or app"));

  auto grants = c.deps.store.ListAccountGrants(c.user.id);
  if (!grants) return c.Fail(grants.error());
  const domain::AccountGrant* live = nullptr;
  for (const auto& g : grants.value()) {
    if (!g.Revoked() && g.credential_kind == *kind && g.credential_id == info->id &&
        g.enterprise_id == *enterprise_id) {
      live = &g;
    }
  }
  if (live == nullptr) {
    return c.Fail(Error::Make(Errc::kNotFound, info->type + " " + info->id +
                                                   " has no live grant to your personal account "
                                                   "in enterprise " +
                                                   *enterprise_id));
  }
  auto env = c.Env();
  if (auto s = migration::RevokeAccountAccess(env, c.user.id, live->id); !s) {
    return c.Fail(WireError(s.error(), GrantRenames(field)));
  }
  auto revoked = c.deps.store.GetAccountGrant(live->id);
  if (!revoked) return c.Fail(revoked.error());
  return c.Ok(json::object{{"grant", GrantJson(*revoked)}});
}

}  // namespace

void RegisterConsoleMigrationRoutes(http::Router& router, Deps& deps) {
  using V = http::Verb;
  auto add = [&](V verb, std::string path, http::Response (*fn)(ConsoleCall&)) {
    AddConsoleRoute(router, deps, verb, std::move(path), fn);
  };
  const std::string app = "/api/permission_api/app/";
  const std::string workspace = "/api/permission_api/workspace/";
  add(V::post, app + "get_checklist_for_workspace_migration", Checklist);
  add(V::post, workspace + "migrate", MigrateWorkspace);
  add(V::get, workspace + "list_migrations", ListMigrations);
  add(V::post, app + "get_apps_and_patlist_for_personalaccountpermission_authorization",
      ListGrantCandidates);
  add(V::post, app + "authorize_apps_and_patlist_with_personalaccountpermission", AuthorizeGrants);
  add(V::post, app + "revoke_app_and_pat_personalaccountpermission", RevokeGrant);
  RegisterConsoleRehearsalRoutes(router, deps);
}

}  // namespace cozeauth::api
