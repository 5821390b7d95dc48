// Console: 成员与角色 — the members of an enterprise, of its organizations and of its workspaces,
// with their roles (coze-platform.md §6.3), read and changed by the people who run them. The
// writes are admin::'s (operations.hpp), exactly as for the operator CLI; this file decides who
// may make them, in one place (the console pages call these routes):
//
//   the enterprise and its organizations: its super_admins and admins;
//   a workspace of the enterprise: its owner and admins, and the enterprise's super_admins/admins;
//   super_admin is given, and a super_admin changed or removed, only by a super_admin;
//   nobody changes or removes the enterprise's owner or a workspace's owner (no transfer here),
//   removes or demotes the last super_admin of the enterprise or of an organization, or removes
//   from the enterprise someone who owns one of its workspaces.
//
// The operator CLI is the escape hatch and is not bound by these rules.
//
//   GET  /api/console/members/list?enterprise_id=E
//     → {enterprise{enterprise_id, name, owner_user_id}, your_role, manages_enterprise,
//        members[], organizations[{organization_id, name, is_default, members[]}],
//        workspaces[{workspace_id, name, organization_id, owner_user_id, members[]}]}
//     members: {user_id, name, email, role, joined_at}; only what the caller manages is listed
//     (an enterprise admin: everything; a workspace owner/admin: their workspaces).
//   POST /api/console/members/add          {enterprise_id, scope, organization_id | workspace_id,
//                                           user (email or user id), role}
//   POST /api/console/members/update_role  {…, user_id, role}
//   POST /api/console/members/remove       {…, user_id}
//     scope: "enterprise" | "organization" | "workspace".
//
// Errors: bad input or a broken rule above → 4000 naming the field; not allowed, or an enterprise
// the caller is not a member of (the same answer, so ids cannot be probed) → 4101; an
// organization or workspace not in the enterprise, an unknown user, or (update/remove) someone
// who is not a member → 4200; add of someone already a member → 4201.

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "admin/operations.hpp"
#include "api/json_input.hpp"
#include "console/routes.hpp"
#include "console/session.hpp"

namespace cozeauth::api {
namespace json = boost::json;
namespace {

using domain::OrgRole;
using domain::WorkspaceRole;

enum class Scope { kEnterprise, kOrganization, kWorkspace };
enum class Change { kAdd, kUpdate, kRemove };

// Where a change applies, and who asks.
struct Place {
  Scope scope = Scope::kEnterprise;
  domain::Enterprise enterprise;
  OrgRole actor_role = OrgRole::kMember;  // the caller's role in the enterprise
  domain::Account org;                    // kOrganization
  domain::Workspace workspace;            // kWorkspace
};

Error NotAllowed(const std::string& what) { return Error::Make(Errc::kPermissionDenied, what); }

Error NotMemberOfEnterprise(const std::string& enterprise_id) {
  return NotAllowed("you are not a member of enterprise " + enterprise_id);
}

// --- who may act

// The caller's role in the enterprise; 4101 for an unknown enterprise or a non-member.
Result<std::pair<domain::Enterprise, OrgRole>> CallerIn(ConsoleCall& c,
                                                        const std::string& enterprise_id) {
  auto role = c.deps.store.GetEnterpriseRole(enterprise_id, c.user.id);
  if (!role) return role.error();
  if (!role.value()) return NotMemberOfEnterprise(enterprise_id);
  auto e = c.deps.store.GetEnterprise(enterprise_id);
  if (!e && e.error().code == Errc::kNotFound) return NotMemberOfEnterprise(enterprise_id);
  if (!e) return e.error();
  return std::pair{std::move(e.value()), *role.value()};
}

// The organization of `org_id` when it belongs to the enterprise; 4200 otherwise.
Result<domain::Account> OrgOf(ConsoleCall& c, const domain::Enterprise& e,
                              const std::string& org_id) {
  auto org = c.deps.store.GetAccount(org_id);
  if (!org && org.error().code != Errc::kNotFound) return org.error();
  if (!org || org->kind != domain::AccountKind::kOrganization || org->enterprise_id != e.id) {
    return Error::Make(Errc::kNotFound,
                       "organization " + org_id + " not found in enterprise " + e.id);
  }
  return org;
}

// The workspace when one of the enterprise's organizations owns it; 4200 otherwise.
Result<domain::Workspace> WorkspaceOf(ConsoleCall& c, const domain::Enterprise& e,
                                      const std::string& workspace_id) {
  auto w = c.deps.store.GetWorkspace(workspace_id);
  if (!w && w.error().code != Errc::kNotFound) return w.error();
  const Error missing = Error::Make(
      Errc::kNotFound, "workspace " + workspace_id + " not found in enterprise " + e.id);
  if (!w) return missing;
  auto owner = OrgOf(c, e, w->owner_account_id);
  if (!owner && owner.error().code != Errc::kNotFound) return owner.error();
  if (!owner) return missing;
  return w;
}

// Whether the caller runs the workspace: enterprise admin, or its owner or admin.
Result<bool> ManagesWorkspace(ConsoleCall& c, const Place& p, const domain::Workspace& w) {
  if (domain::IsAdmin(p.actor_role)) return true;
  auto role = c.deps.store.GetWorkspaceRole(w.id, c.user.id);
  if (!role) return role.error();
  return role.value() && *role.value() != WorkspaceRole::kMember;
}

// Reads {enterprise_id, scope, organization_id | workspace_id} and checks that the caller may
// change members there.
Result<Place> ReadPlace(ConsoleCall& c, const json::object& body) {
  auto enterprise_id = RequiredEnterpriseId(body);
  if (!enterprise_id) return enterprise_id.error();
  auto scope_name = ReqString(body, "scope");
  if (!scope_name) return scope_name.error();
  Place p;
  if (*scope_name == "enterprise") {
    p.scope = Scope::kEnterprise;
  } else if (*scope_name == "organization") {
    p.scope = Scope::kOrganization;
  } else if (*scope_name == "workspace") {
    p.scope = Scope::kWorkspace;
  } else {
    return Error::BadRequest("scope", "scope must be enterprise, organization or workspace");
  }
  auto caller = CallerIn(c, *enterprise_id);
  if (!caller) return caller.error();
  p.enterprise = std::move(caller->first);
  p.actor_role = caller->second;
  const std::string admins_only = "only the super_admins and admins of enterprise " +
                                  p.enterprise.id + " manage its members and organizations";
  switch (p.scope) {
    case Scope::kEnterprise:
      if (!domain::IsAdmin(p.actor_role)) return NotAllowed(admins_only);
      break;
    case Scope::kOrganization: {
      if (!domain::IsAdmin(p.actor_role)) return NotAllowed(admins_only);
      auto org_id = RequiredId(body, "organization_id");
      if (!org_id) return org_id.error();
      auto org = OrgOf(c, p.enterprise, *org_id);
      if (!org) return org.error();
      p.org = std::move(org.value());
      break;
    }
    case Scope::kWorkspace: {
      auto ws_id = RequiredId(body, "workspace_id");
      if (!ws_id) return ws_id.error();
      auto w = WorkspaceOf(c, p.enterprise, *ws_id);
      if (!w) return w.error();
      auto manages = ManagesWorkspace(c, p, *w);
      if (!manages) return manages.error();
      if (!manages.value()) {
        return NotAllowed("only the owner and admins of workspace " + w->id +
                          " (or the enterprise's admins) manage its members");
      }
      p.workspace = std::move(w.value());
      break;
    }
  }
  return p;
}

// --- the rules about roles

// The role of `user_id` at the place (an OrgRole or a WorkspaceRole as its wire name).
Result<std::optional<std::string>> CurrentRole(ConsoleCall& c, const Place& p,
                                               const std::string& user_id) {
  auto named = [](const auto& r) -> std::optional<std::string> {
    if (!r) return std::nullopt;
    return std::string(domain::ToString(*r));
  };
  switch (p.scope) {
    case Scope::kEnterprise: {
      auto r = c.deps.store.GetEnterpriseRole(p.enterprise.id, user_id);
      if (!r) return r.error();
      return named(r.value());
    }
    case Scope::kOrganization: {
      auto r = c.deps.store.GetOrgRole(p.org.id, user_id);
      if (!r) return r.error();
      return named(r.value());
    }
    case Scope::kWorkspace: {
      auto r = c.deps.store.GetWorkspaceRole(p.workspace.id, user_id);
      if (!r) return r.error();
      return named(r.value());
    }
  }
  return std::optional<std::string>{};
}

// How many super_admins the enterprise (or the organization) has.
Result<size_t> SuperAdmins(ConsoleCall& c, const Place& p) {
  auto members = c.deps.store.ListEnterpriseMembers(p.enterprise.id);
  if (!members) return members.error();
  size_t n = 0;
  const std::string super_admin(domain::ToString(OrgRole::kSuperAdmin));
  for (const auto& m : members.value()) {
    if (p.scope == Scope::kEnterprise) {
      n += m.role == super_admin;
      continue;
    }
    auto r = c.deps.store.GetOrgRole(p.org.id, m.user_id);
    if (!r) return r.error();
    n += r.value() && *r.value() == OrgRole::kSuperAdmin;
  }
  return n;
}

// Whether `user_id` owns a workspace of the enterprise (removal would orphan it).
Result<std::optional<std::string>> OwnedWorkspace(ConsoleCall& c, const Place& p,
                                                  const std::string& user_id) {
  auto spaces = c.deps.store.ListWorkspacesOfEnterprise(p.enterprise.id);
  if (!spaces) return spaces.error();
  for (const auto& w : spaces.value()) {
    if (w.owner_user_id == user_id) return std::optional<std::string>(w.id);
  }
  return std::optional<std::string>{};
}

// Every rule of the header comment for `change` of `user_id` to `role` (empty for removal).
Status CheckChange(ConsoleCall& c, const Place& p, Change change, const std::string& user_id,
                   const std::string& role) {
  if (p.scope == Scope::kWorkspace && user_id == p.workspace.owner_user_id) {
    return Error::BadRequest("user_id", "the owner of workspace " + p.workspace.id +
                                            " keeps the owner role and cannot be removed");
  }
  auto current = CurrentRole(c, p, user_id);
  if (!current) return current.error();
  if (change == Change::kAdd && current.value()) {
    return Error::Make(Errc::kAlreadyExists, "user " + user_id + " is already a member (" +
                                                 *current.value() + "); change the role instead");
  }
  if (change != Change::kAdd && !current.value()) {
    return Error::Make(Errc::kNotFound, "user " + user_id + " is not a member");
  }
  if (p.scope == Scope::kWorkspace) {
    if (change != Change::kRemove && role != "admin" && role != "member") {
      return Error::BadRequest("role", "a workspace role is admin or member");
    }
    return {};
  }
  if (change != Change::kRemove && !domain::ParseOrgRole(role)) {
    return Error::BadRequest("role", "role must be super_admin, admin, member or guest");
  }
  if (change != Change::kAdd && user_id == p.enterprise.owner_user_id) {
    return Error::BadRequest("user_id", "the enterprise's owner stays its super_admin");
  }
  const std::string super_admin(domain::ToString(OrgRole::kSuperAdmin));
  const bool touches_super_admin =
      role == super_admin || (current.value() && *current.value() == super_admin);
  if (touches_super_admin && p.actor_role != OrgRole::kSuperAdmin) {
    return NotAllowed("only a super_admin gives, changes or removes the super_admin role");
  }
  if (current.value() && *current.value() == super_admin && role != super_admin) {
    auto n = SuperAdmins(c, p);
    if (!n) return n.error();
    if (n.value() <= 1) {
      return Error::BadRequest("user_id", "the last super_admin cannot be removed or demoted");
    }
  }
  if (change == Change::kRemove && p.scope == Scope::kEnterprise) {
    auto owned = OwnedWorkspace(c, p, user_id);
    if (!owned) return owned.error();
    if (owned.value()) {
      return Error::BadRequest("user_id", "user " + user_id + " owns workspace " + *owned.value() +
                                              " of the enterprise");
    }
  }
  return {};
}

// The write itself, through the operation the CLI uses.
Status Apply(ConsoleCall& c, const Place& p, Change change, const std::string& user_id,
             const std::string& role) {
  auto env = c.Env();
  switch (p.scope) {
    case Scope::kEnterprise:
      if (change == Change::kRemove) {
        return admin::RemoveEnterpriseMember(env, p.enterprise.id, user_id);
      }
      return admin::AddEnterpriseMember(env, p.enterprise.id, user_id, *domain::ParseOrgRole(role));
    case Scope::kOrganization:
      if (change == Change::kRemove) return admin::RemoveOrganizationMember(env, p.org.id, user_id);
      return admin::SetOrganizationRole(env, p.org.id, user_id, *domain::ParseOrgRole(role));
    case Scope::kWorkspace:
      if (change == Change::kRemove) {
        return admin::RemoveWorkspaceMember(env, p.workspace.id, user_id);
      }
      return admin::AddWorkspaceMember(env, p.workspace.id, user_id,
                                       *domain::ParseWorkspaceRole(role));
  }
  return {};
}

// The user named by `user` (an email, or a user id).
Result<domain::User> FindUser(ConsoleCall& c, const std::string& user) {
  auto found = user.find('@') != std::string::npos ? c.deps.store.FindUserByEmail(user)
                                                   : c.deps.store.GetUser(user);
  if (!found && found.error().code == Errc::kNotFound) {
    return Error::Make(Errc::kNotFound, "no user " + user);
  }
  return found;
}

http::Response Write(ConsoleCall& c, Change change) {
  auto body = JsonBody(c.req);
  if (!body) return c.Fail(body.error());
  auto place = ReadPlace(c, *body);
  if (!place) return c.Fail(place.error());
  std::string user_id;
  if (change == Change::kAdd) {
    auto user = ReqString(*body, "user");
    if (!user) return c.Fail(user.error());
    if (user->empty() || user->size() > 254) {
      return c.Fail(Error::BadRequest("user", "user must be an email or a user id"));
    }
    auto found = FindUser(c, *user);
    if (!found) return c.Fail(found.error());
    user_id = found->id;
  } else {
    auto id = RequiredId(*body, "user_id");
    if (!id) return c.Fail(id.error());
    user_id = *id;
  }
  std::string role;
  if (change != Change::kRemove) {
    auto r = ReqString(*body, "role");
    if (!r) return c.Fail(r.error());
    role = *r;
  }
  // The checks and the write in one transaction, so two admins cannot both demote one of the
  // last two super_admins.
  Status s = c.deps.store.Transaction([&]() -> Status {
    if (auto ok = CheckChange(c, *place, change, user_id, role); !ok) return ok;
    return Apply(c, *place, change, user_id, role);
  });
  if (!s) {
    Error e = s.error();
    if (e.code == Errc::kBadRequest && e.field == "user") e.field = "user_id";
    return c.Fail(e);
  }
  return c.Ok(json::object{{"user_id", user_id}});
}

// --- the list

json::object MemberJson(ConsoleCall& c, const std::string& user_id, std::string_view role,
                        int64_t joined_at) {
  auto u = c.deps.store.GetUser(user_id);
  return {{"user_id", user_id},
          {"name", u ? u->name : ""},
          {"email", u ? u->email : ""},
          {"role", role},
          {"joined_at", joined_at}};
}

http::Response List(ConsoleCall& c) {
  auto enterprise_id = EnterpriseIdValue(c.req.Query("enterprise_id"));
  if (!enterprise_id) return c.Fail(enterprise_id.error());
  if (!enterprise_id.value()) {
    return c.Fail(Error::BadRequest("enterprise_id", "enterprise_id is required"));
  }
  auto caller = CallerIn(c, *enterprise_id.value());
  if (!caller) return c.Fail(caller.error());
  Place p;
  p.enterprise = std::move(caller->first);
  p.actor_role = caller->second;
  const bool admin = domain::IsAdmin(p.actor_role);

  json::array members, organizations, workspaces;
  auto all = c.deps.store.ListEnterpriseMembers(p.enterprise.id);
  if (!all) return c.Fail(all.error());
  if (admin) {
    for (const auto& m : all.value())
      members.push_back(MemberJson(c, m.user_id, m.role, m.joined_at));
    auto orgs = c.deps.store.ListOrganizations(p.enterprise.id);
    if (!orgs) return c.Fail(orgs.error());
    for (const auto& o : orgs.value()) {
      json::array in_org;
      for (const auto& m : all.value()) {
        auto r = c.deps.store.GetOrgRole(o.id, m.user_id);
        if (!r) return c.Fail(r.error());
        if (r.value()) in_org.push_back(MemberJson(c, m.user_id, domain::ToString(*r.value()), 0));
      }
      json::object org{{"organization_id", o.id},
                       {"name", o.name},
                       {"is_default", o.id == p.enterprise.default_org_account_id},
                       {"members", std::move(in_org)}};
      if (org["is_default"].as_bool()) {
        organizations.insert(organizations.begin(), std::move(org));
      } else {
        organizations.push_back(std::move(org));
      }
    }
  }
  auto spaces = c.deps.store.ListWorkspacesOfEnterprise(p.enterprise.id);
  if (!spaces) return c.Fail(spaces.error());
  for (const auto& w : spaces.value()) {
    auto manages = ManagesWorkspace(c, p, w);
    if (!manages) return c.Fail(manages.error());
    if (!manages.value()) continue;
    auto in_ws = c.deps.store.ListWorkspaceMembers(w.id);
    if (!in_ws) return c.Fail(in_ws.error());
    json::array list;
    for (const auto& m : in_ws.value())
      list.push_back(MemberJson(c, m.user_id, m.role, m.joined_at));
    workspaces.push_back(json::object{{"workspace_id", w.id},
                                      {"name", w.name},
                                      {"organization_id", w.owner_account_id},
                                      {"owner_user_id", w.owner_user_id},
                                      {"members", std::move(list)}});
  }
  if (!admin && workspaces.empty()) {
    return c.Fail(NotAllowed("you manage no members in enterprise " + p.enterprise.id +
                             ": only its super_admins and admins, and the owners and admins of "
                             "its workspaces, do"));
  }
  return c.Ok(json::object{{"enterprise",
                            {{"enterprise_id", p.enterprise.id},
                             {"name", p.enterprise.name},
                             {"owner_user_id", p.enterprise.owner_user_id}}},
                           {"your_role", domain::ToString(p.actor_role)},
                           {"manages_enterprise", admin},
                           {"members", std::move(members)},
                           {"organizations", std::move(organizations)},
                           {"workspaces", std::move(workspaces)}});
}

}  // namespace

void RegisterConsoleMemberRoutes(http::Router& router, Deps& deps) {
  using V = http::Verb;
  const std::string base = "/api/console/members/";
  AddConsoleRoute(router, deps, V::get, base + "list", List);
  AddConsoleRoute(router, deps, V::post, base + "add",
                  [](ConsoleCall& c) { return Write(c, Change::kAdd); });
  AddConsoleRoute(router, deps, V::post, base + "update_role",
                  [](ConsoleCall& c) { return Write(c, Change::kUpdate); });
  AddConsoleRoute(router, deps, V::post, base + "remove",
                  [](ConsoleCall& c) { return Write(c, Change::kRemove); });
}

}  // namespace cozeauth::api
