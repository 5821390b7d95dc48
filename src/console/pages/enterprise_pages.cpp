// The enterprise pages (issue 12, design/console.md), under /enterprise/{enterprise_id}:
//
//   /open/oauth/installations  企业/团队 API › 应用安装管理: every app installed in the enterprise
//       (AppAuth and OBO), its scope, who authorized it and when, its status; disable / enable;
//       uninstall.
//       Admins only (list_app_installations decides).
//   /members                   成员与角色: the members of the enterprise, of its organizations and
//       of its workspaces, with add / change role / remove (console/member_routes.cpp decides who
//       may do what; a page only shows what that API lists for the user).
//   /personal-resources        个人账号资源授权: the enterprise PATs and AppAuth apps the user may
//       open their personal account to, authorize / revoke (console/migration_routes.cpp).
//
// Every change is a POST form calling the console API's own handler (PageCall::Api), then 303 back
// to the page with a notice.

#include <boost/json.hpp>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "console/pages/api_json.hpp"
#include "console/pages/page.hpp"
#include "console/pages/pages.hpp"

namespace cozeauth::console {
namespace {

namespace json = boost::json;
using http::Verb;

constexpr Text kInstallations{"应用安装管理", "App installation management"};
constexpr Text kMembers{"成员与角色", "Members and roles"};
constexpr Text kResources{"个人账号资源授权", "Personal account resource authorization"};

// --- small helpers

// A name from the store or a user: escaped, and isolated so that a direction override inside
// it (U+202E) cannot reorder the text around it.
std::string Name(std::string_view s) { return "<bdi>" + Escape(s) + "</bdi>"; }

std::string H(const PageCall& c, std::string_view tag, const Text& t, std::string_view id = {}) {
  std::string open = "<" + std::string(tag);
  if (!id.empty()) open += " id=\"" + Escape(id) + "\"";
  return open + ">" + Escape(c.T(t)) + "</" + std::string(tag) + ">";
}

std::string Th(const PageCall& c, const Text& t) {
  return "<th scope=\"col\">" + Escape(c.T(t)) + "</th>";
}

std::string Hidden(std::string_view name, std::string_view value) {
  return "<input type=\"hidden\" name=\"" + Escape(name) + "\" value=\"" + Escape(value) + "\">";
}

// An id attribute value built from ids (digits, ent_…) kept to [A-Za-z0-9_-].
std::string DomId(std::string s) {
  for (char& ch : s) {
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_' && ch != '-') ch = '-';
  }
  return s;
}

std::string EnterpriseQuery(const EnterpriseContext& e) {
  return "?enterprise_id=" + http::PercentEncode(e.enterprise.id);
}

// ===================================================================== 应用安装管理

std::string InstallKind(const PageCall& c, const std::string& status) {
  return std::string(c.T(status == "approved_app_obo"
                             ? Text{"已安装 OBO", "Installed (OBO)"}
                             : Text{"已安装 AppAuth", "Installed (AppAuth)"}));
}

std::string ClientTypeLabel(const PageCall& c, const std::string& t) {
  if (t == "web") return std::string(c.T({"Web 后端应用", "Web backend"}));
  if (t == "pkce")
    return std::string(c.T({"移动端/PC 桌面端/单页面应用", "Mobile / desktop / SPA"}));
  if (t == "device") return std::string(c.T({"TV 端/设备应用/类命令行程序", "Device / CLI"}));
  if (t == "service") return std::string(c.T({"服务类应用", "Service (JWT)"}));
  return t;
}

// 授权范围 of one installation: the enterprise and its workspaces (all, or the listed ones by
// name), or the organization it was authorized in.
std::string ScopeCell(PageCall& c, const EnterpriseContext& e, const json::value& item) {
  auto a = c.deps.store.GetAppAuthorization(JsonStr(item, "authorization_id"));
  std::string out;
  if (JsonBool(item, "enterprise_wide")) {
    out = Escape(c.T({"企业", "Enterprise"})) + " · " + Name(e.enterprise.name);
  } else {
    const std::string account = JsonStr(item, "account_id");
    std::string org_name = account;
    for (const auto& o : e.organizations) {
      if (o.id == account) org_name = o.name;
    }
    out = Escape(c.T({"组织", "Organization"})) + " · " + Name(org_name);
  }
  if (!a) return out;
  const credentials::Grant& g = a->grant;
  out += "<br><span class=\"hint\">" + Escape(c.T({"工作空间：", "Workspaces: "}));
  if (g.all_workspaces) {
    out += Escape(c.T({"所有工作空间（含今后创建的）", "all workspaces (present and future)"}));
  } else if (g.workspace_ids.empty()) {
    out += Escape(c.T({"无（仅账号级和企业级权限）", "none (account and enterprise points only)"}));
  } else {
    std::string names;
    for (const auto& id : g.workspace_ids) {
      auto w = c.deps.store.GetWorkspace(id);
      if (!names.empty()) names += ", ";
      names += w ? Name(w->name) : "<code>" + Escape(id) + "</code>";
    }
    out += names;
  }
  return out + "</span>";
}

std::string AuthorizedBy(PageCall& c, const std::string& authorization_id) {
  auto a = c.deps.store.GetAppAuthorization(authorization_id);
  if (!a) return "—";
  auto u = c.deps.store.GetUser(a->authorized_by);
  return u ? Name(u->name) : "<code>" + Escape(a->authorized_by) + "</code>";
}

// 状态: the installation's own state (an admin here disabled it) and the app's (its owner did).
std::string StatusCell(PageCall& c, const json::value& item) {
  std::string out;
  if (JsonStr(item, "status") == "Deactive") {
    out = "<span class=\"status-disabled\">" + Escape(c.T({"已停用", "Disabled"})) + "</span>";
  } else {
    out = "<span class=\"status-active\">" + Escape(c.T({"已生效", "Active"})) + "</span>";
  }
  auto app = c.deps.store.GetOAuthApp(JsonStr(item, "app_id"));
  if (app && app->status == credentials::AppStatus::kDisabled) {
    out += "<br><span class=\"status-disabled\">" +
           Escape(c.T({"应用已被所有者停用", "App disabled by its owner"})) + "</span>";
  }
  return out;
}

// 停用 / 启用: one form that flips the installation's state.
std::string StatusForm(PageCall& c, const std::string& auth_id, const std::string& app_name,
                       bool disabled) {
  const std::string confirm =
      disabled ? std::string()
               : " data-confirm=\"" +
                     Escape(std::string(c.T({"确定停用应用 ", "Disable the app "})) + app_name +
                            std::string(c.T({"？停用期间它的访问令牌不可用，启用后恢复。",
                                             "? Its access tokens stop working until you enable "
                                             "it again."}))) +
                     "\"";
  return "<form method=\"post\" class=\"inline\" action=\"" +
         Escape(c.Link("/open/oauth/installations/status")) + "\"" + confirm + ">" + c.CsrfInput() +
         Hidden("authorization_id", auth_id) + Hidden("status", disabled ? "Active" : "Deactive") +
         "<button type=\"submit\" id=\"" + (disabled ? "enable-" : "disable-") + DomId(auth_id) +
         "\">" + Escape(disabled ? c.T({"启用", "Enable"}) : c.T({"停用", "Disable"})) +
         "</button></form>";
}

http::Response Installations(PageCall& c) {
  auto place = c.CurrentEnterprise();
  if (!place) return c.Failure(kInstallations, place.error());
  const EnterpriseContext& e = **place;
  auto list =
      c.Api(Verb::get, "/api/permission_api/app/list_app_installations" + EnterpriseQuery(e));
  if (!list) return c.Failure(kInstallations, list.error());

  std::string body = H(c, "h1", kInstallations);
  body += c.Notice(
      {{"uninstalled",
        {"已卸载。该安装签发的令牌已失效。",
         "Uninstalled. The tokens issued through it no longer work."}},
       {"disabled",
        {"已停用。它的访问令牌暂停使用，也不会签发新令牌；启用后恢复。",
         "Disabled. Its access tokens are suspended and no new ones are issued "
         "until you enable it again."}},
       {"enabled", {"已启用。它的访问令牌恢复可用。", "Enabled. Its access tokens work again."}}});
  body +=
      "<p class=\"hint\">" +
      Escape(c.T(
          {"企业/团队 API › 应用安装管理：在本企业安装（授权）的 OAuth 应用。通过分享链接授权时选择"
           "「企业」和「所有工作空间」的应用会出现在这里。",
           "Enterprise/Team API › App installation management: the OAuth apps installed "
           "(authorized) in this enterprise. An app authorized through its share link "
           "for the enterprise and all workspaces appears here."})) +
      "</p>";
  const json::array& items = JsonArray(*list, "installations");
  if (items.empty()) {
    body +=
        "<p class=\"muted\" id=\"no-installations\">" +
        Escape(c.T({"还没有应用安装在本企业。", "No app is installed in this enterprise yet."})) +
        "</p>";
  } else {
    body += "<table id=\"installations\"><thead><tr>" + Th(c, {"应用名称", "App"}) +
            Th(c, {"客户端类型", "Client type"}) + Th(c, {"安装类型", "Installation"}) +
            Th(c, {"授权范围", "Scope"}) + Th(c, {"授权人", "Authorized by"}) +
            Th(c, {"授权时间", "Authorized at"}) + Th(c, {"状态", "Status"}) +
            Th(c, {"操作", "Actions"}) + "</tr></thead><tbody>";
    for (const auto& item : items) {
      const std::string auth_id = JsonStr(item, "authorization_id");
      const std::string app_name = JsonStr(item, "app_name");
      body += "<tr id=\"installation-" + DomId(auth_id) + "\"><td>" + Name(app_name) +
              "<br><code>" + Escape(JsonStr(item, "app_id")) + "</code></td><td>" +
              Escape(ClientTypeLabel(c, JsonStr(item, "client_type"))) + "</td><td>" +
              Escape(InstallKind(c, JsonStr(item, "installation_status"))) + "</td><td>" +
              ScopeCell(c, e, item) + "</td><td>" + AuthorizedBy(c, auth_id) + "</td><td>" +
              Escape(FormatTime(JsonInt(item, "created_at"))) + "</td><td>" + StatusCell(c, item) +
              "</td><td>" + StatusForm(c, auth_id, app_name, JsonStr(item, "status") == "Deactive");
      body += "<form method=\"post\" class=\"inline\" action=\"" +
              Escape(c.Link("/open/oauth/installations/uninstall")) + "\" data-confirm=\"" +
              Escape(std::string(c.T({"确定卸载应用 ", "Uninstall the app "})) + app_name +
                     std::string(c.T({"？它正在使用的所有访问令牌将被删除。",
                                      "? Every access token it is using will be deleted."}))) +
              "\">" + c.CsrfInput() + Hidden("authorization_id", auth_id) +
              "<button type=\"submit\" class=\"danger\" id=\"uninstall-" + DomId(auth_id) + "\">" +
              Escape(c.T({"卸载", "Uninstall"})) + "</button></form></td></tr>";
    }
    body += "</tbody></table>";
  }
  body +=
      "<p class=\"hint\" id=\"disable-note\">" +
      Escape(c.T({"停用：暂停一个安装而不删除它。停用期间，通过它签发的访问令牌（含成员经它授权的 "
                  "OBO 令牌）不可用，也不会签发新令牌；启用后原令牌恢复可用。卸载则删除它和它的"
                  "所有令牌，不可恢复。",
                  "Disable pauses an installation without deleting it: while it is disabled, "
                  "the access tokens issued through it (members' OBO tokens through it "
                  "included) are refused and no new ones are issued; enabling it restores "
                  "them. Uninstall deletes it and all its tokens, for good."})) +
      "</p>";
  return c.Render(kInstallations, body);
}

// The installation the form names, as this enterprise's list shows it: only what the page
// shows can be changed from it.
Result<json::value> ListedInstallation(PageCall& c, const EnterpriseContext& e) {
  auto list =
      c.Api(Verb::get, "/api/permission_api/app/list_app_installations" + EnterpriseQuery(e));
  if (!list) return list.error();
  const std::string auth_id = c.form.Get("authorization_id");
  for (const auto& item : JsonArray(*list, "installations")) {
    if (!auth_id.empty() && JsonStr(item, "authorization_id") == auth_id) return item;
  }
  return Error::Make(Errc::kNotFound,
                     std::string(c.T({"该安装不存在或已卸载。",
                                      "No such installation, or it is already uninstalled."})));
}

http::Response Uninstall(PageCall& c) {
  auto place = c.CurrentEnterprise();
  if (!place) return c.Failure(kInstallations, place.error());
  const EnterpriseContext& e = **place;
  auto found = ListedInstallation(c, e);
  if (!found) return c.Failure(kInstallations, found.error());
  const std::string app_id = JsonStr(*found, "app_id");
  Result<json::value> done = json::value(nullptr);
  if (JsonStr(*found, "installation_status") == "approved_app_obo" &&
      JsonBool(*found, "enterprise_wide")) {
    done = c.Api(Verb::post, "/api/permission_api/app/uninstall_app_obo",
                 json::object{{"appid", app_id}, {"enterprise_id", e.enterprise.id}});
  } else {
    done = c.Api(
        Verb::post, "/api/permission_api/app/revoke_app_authorized_permission",
        json::object{{"appid", app_id}, {"authorization_id", JsonStr(*found, "authorization_id")}});
  }
  if (!done) return c.Failure(kInstallations, done.error());
  return c.SeeOther(c.Link("/open/oauth/installations"), "uninstalled");
}

http::Response SetStatus(PageCall& c) {
  auto place = c.CurrentEnterprise();
  if (!place) return c.Failure(kInstallations, place.error());
  auto found = ListedInstallation(c, **place);
  if (!found) return c.Failure(kInstallations, found.error());
  const std::string status = c.form.Get("status");
  auto done = c.Api(Verb::post, "/api/permission_api/app/update_authorization_status",
                    json::object{{"appid", JsonStr(*found, "app_id")},
                                 {"authorization_id", JsonStr(*found, "authorization_id")},
                                 {"status", status}});
  if (!done) return c.Failure(kInstallations, done.error());
  return c.SeeOther(c.Link("/open/oauth/installations"),
                    status == "Active" ? "enabled" : "disabled");
}

// ===================================================================== 成员与角色

const std::string kMembersApi = "/api/console/members/";

std::string OrgRoleLabel(const PageCall& c, std::string_view role) {
  if (role == "super_admin") return std::string(c.T({"超级管理员", "Super admin"}));
  if (role == "admin") return std::string(c.T({"管理员", "Admin"}));
  if (role == "member") return std::string(c.T({"成员", "Member"}));
  if (role == "guest") return std::string(c.T({"访客", "Guest"}));
  if (role == "owner") return std::string(c.T({"所有者", "Owner"}));
  return std::string(role);
}

// One group of members (the enterprise, an organization, a workspace) with its forms.
struct Group {
  std::string scope;     // enterprise | organization | workspace
  std::string scope_id;  // the organization's or workspace's id; the enterprise's for it
  std::string heading_html;
  const json::array* members = nullptr;
  std::string owner_user_id;  // the member whose row has no forms (enterprise / workspace owner)
  bool fixed_membership = false;  // the default organization: roles change, members do not
};

std::vector<std::string_view> RolesFor(const Group& g) {
  if (g.scope == "workspace") return {"admin", "member"};
  return {"super_admin", "admin", "member", "guest"};
}

std::string ScopeFields(const Group& g) {
  std::string out = Hidden("scope", g.scope);
  if (g.scope == "organization") out += Hidden("organization_id", g.scope_id);
  if (g.scope == "workspace") out += Hidden("workspace_id", g.scope_id);
  return out;
}

std::string RoleSelect(const PageCall& c, const Group& g, std::string_view id,
                       std::string_view current, std::string_view aria_label) {
  std::string out = "<select name=\"role\" id=\"" + Escape(id) + "\"";
  if (!aria_label.empty()) out += " aria-label=\"" + Escape(aria_label) + "\"";
  out += ">";
  for (auto r : RolesFor(g)) {
    out += "<option value=\"" + Escape(r) + "\"" + (r == current ? " selected" : "") + ">" +
           Escape(OrgRoleLabel(c, r)) + "</option>";
  }
  return out + "</select>";
}

std::string MemberGroup(const PageCall& c, const Group& g) {
  const std::string key = DomId(g.scope + "-" + g.scope_id);
  std::string out = "<section id=\"members-" + key + "\">" + g.heading_html;
  out += "<table><thead><tr>" + Th(c, {"名称", "Name"}) + Th(c, {"邮箱", "Email"}) +
         Th(c, {"用户 ID", "User id"}) + Th(c, {"角色", "Role"}) + Th(c, {"操作", "Actions"}) +
         "</tr></thead><tbody>";
  for (const auto& m : *g.members) {
    const std::string uid = JsonStr(m, "user_id");
    const std::string role = JsonStr(m, "role");
    const std::string name = JsonStr(m, "name");
    const std::string row = key + "-" + DomId(uid);
    out += "<tr id=\"member-" + row + "\"><td>" + Name(name) + "</td><td>" +
           Name(JsonStr(m, "email")) + "</td><td><code>" + Escape(uid) + "</code></td><td>" +
           Escape(OrgRoleLabel(c, role)) + "</td><td>";
    if (uid == g.owner_user_id || role == "owner") {
      out += "<span class=\"muted\">" +
             Escape(c.T({"所有者（不可更改）", "Owner (cannot be changed)"})) + "</span>";
    } else {
      out += "<form method=\"post\" class=\"inline\" action=\"" + Escape(c.Link("/members/role")) +
             "\">" + c.CsrfInput() + ScopeFields(g) + Hidden("user_id", uid) +
             RoleSelect(c, g, "role-" + row, role,
                        std::string(c.T({"新角色：", "New role: "})) + name) +
             " <button type=\"submit\" class=\"secondary\" id=\"change-" + row + "\">" +
             Escape(c.T({"更改角色", "Change role"})) + "</button></form>";
      if (g.fixed_membership) {
        out += "</td></tr>";
        continue;
      }
      out += "<form method=\"post\" class=\"inline\" action=\"" +
             Escape(c.Link("/members/remove")) + "\" data-confirm=\"" +
             Escape(std::string(c.T({"确定移除 ", "Remove "})) + name + "?") + "\">" +
             c.CsrfInput() + ScopeFields(g) + Hidden("user_id", uid) +
             "<button type=\"submit\" class=\"danger\" id=\"remove-" + row + "\">" +
             Escape(c.T({"移除", "Remove"})) + "</button></form>";
    }
    out += "</td></tr>";
  }
  out += "</tbody></table>";
  if (g.fixed_membership) return out + "</section>";
  // Add an existing user.
  out += "<form method=\"post\" action=\"" + Escape(c.Link("/members/add")) + "\" id=\"add-" + key +
         "\">" + c.CsrfInput() + ScopeFields(g);
  out += "<label for=\"add-user-" + key + "\">" +
         Escape(c.T({"添加已有用户（邮箱或用户 ID）", "Add an existing user (email or user id)"})) +
         "</label><input type=\"text\" name=\"user\" id=\"add-user-" + key +
         "\" required autocomplete=\"off\">";
  out += "<label for=\"add-role-" + key + "\">" + Escape(c.T({"角色", "Role"})) + "</label>" +
         RoleSelect(c, g, "add-role-" + key, "member", {});
  out += "<button type=\"submit\" id=\"add-submit-" + key + "\">" + Escape(c.T({"添加", "Add"})) +
         "</button></form></section>";
  return out;
}

http::Response Members(PageCall& c) {
  auto place = c.CurrentEnterprise();
  if (!place) return c.Failure(kMembers, place.error());
  const EnterpriseContext& e = **place;
  auto list = c.Api(Verb::get, kMembersApi + "list" + EnterpriseQuery(e));
  if (!list) return c.Failure(kMembers, list.error());
  std::string ent_owner;
  if (const auto* ent = list->as_object().if_contains("enterprise")) {
    ent_owner = JsonStr(*ent, "owner_user_id");
  }

  std::string body = H(c, "h1", kMembers);
  body += c.Notice({{"member-added", {"已添加成员。", "Member added."}},
                    {"role-changed", {"已更改角色。", "Role changed."}},
                    {"member-removed", {"已移除成员。", "Member removed."}}});
  body +=
      "<p class=\"hint\">" +
      Escape(c.T(
          {"企业的超级管理员和管理员管理企业及其组织的成员；工作空间的所有者和管理员（以及企业管理"
           "员）"
           "管理工作空间的成员。只有超级管理员可以授予或更改超级管理员角色；企业所有者和工作空间所"
           "有者不可更改，最后一位超级管理员不可移除或降级。只能添加已有用户。",
           "An enterprise's super admins and admins manage the members of the "
           "enterprise and its organizations; a workspace's owner and admins (and the "
           "enterprise's admins) manage the workspace's. Only a super admin gives or "
           "changes the super admin role; the enterprise's owner and a workspace's "
           "owner cannot be changed, and the last super admin cannot be removed or "
           "demoted. Only existing users can be added."})) +
      "</p>";
  if (JsonBool(*list, "manages_enterprise")) {
    Group g{"enterprise", e.enterprise.id,
            "<h2>" + Escape(c.T({"企业成员", "Enterprise members"})) + " · " +
                Name(e.enterprise.name) + "</h2>",
            &JsonArray(*list, "members"), ent_owner};
    body += MemberGroup(c, g);
    for (const auto& o : JsonArray(*list, "organizations")) {
      std::string heading =
          "<h2>" + Escape(c.T({"组织", "Organization"})) + " · " + Name(JsonStr(o, "name"));
      if (JsonBool(o, "is_default")) {
        heading += " <span class=\"muted\">(" + Escape(c.T({"默认组织", "default organization"})) +
                   ")</span>";
      }
      heading += "</h2>";
      if (JsonBool(o, "is_default")) {
        heading += "<p class=\"hint\">" +
                   Escape(c.T({"企业成员自动加入默认组织；要移除请在企业成员中移除。",
                               "Enterprise members join the default organization; remove them "
                               "from the enterprise instead."})) +
                   "</p>";
      }
      body += MemberGroup(c, Group{"organization", JsonStr(o, "organization_id"), heading,
                                   &JsonArray(o, "members"), ent_owner, JsonBool(o, "is_default")});
    }
  }
  const json::array& spaces = JsonArray(*list, "workspaces");
  for (const auto& w : spaces) {
    std::string heading = "<h2>" + Escape(c.T({"工作空间", "Workspace"})) + " · " +
                          Name(JsonStr(w, "name")) + "</h2>";
    body += MemberGroup(c, Group{"workspace", JsonStr(w, "workspace_id"), heading,
                                 &JsonArray(w, "members"), JsonStr(w, "owner_user_id")});
  }
  if (spaces.empty()) {
    body += "<p class=\"muted\">" +
            Escape(c.T({"本企业还没有工作空间。", "The enterprise has no workspace yet."})) +
            "</p>";
  }
  return c.Render(kMembers, body);
}

// The API body for a member form: enterprise, scope and its id, as posted.
json::object MemberBody(const PageCall& c, const EnterpriseContext& e) {
  json::object b{{"enterprise_id", e.enterprise.id}, {"scope", c.form.Get("scope")}};
  if (c.form.Has("organization_id")) b["organization_id"] = c.form.Get("organization_id");
  if (c.form.Has("workspace_id")) b["workspace_id"] = c.form.Get("workspace_id");
  return b;
}

http::Response MemberChange(PageCall& c, std::string_view call, std::string_view notice) {
  auto place = c.CurrentEnterprise();
  if (!place) return c.Failure(kMembers, place.error());
  json::object b = MemberBody(c, **place);
  if (call == "add") {
    b["user"] = c.form.Get("user");
  } else {
    b["user_id"] = c.form.Get("user_id");
  }
  if (call != "remove") b["role"] = c.form.Get("role");
  auto done = c.Api(Verb::post, kMembersApi + std::string(call), std::move(b));
  if (!done) return c.Failure(kMembers, done.error());
  return c.SeeOther(c.Link("/members"), notice);
}

// ===================================================================== 个人账号资源授权

const std::string kCandidatesApi =
    "/api/permission_api/app/get_apps_and_patlist_for_personalaccountpermission_authorization";
const std::string kAuthorizeApi =
    "/api/permission_api/app/authorize_apps_and_patlist_with_personalaccountpermission";
const std::string kRevokeApi =
    "/api/permission_api/app/revoke_app_and_pat_personalaccountpermission";

std::string TypeLabel(const PageCall& c, const std::string& type) {
  return std::string(c.T(type == "pat" ? Text{"个人访问令牌 PAT", "Personal access token (PAT)"}
                                       : Text{"应用程序 AppAuth", "App (AppAuth)"}));
}

http::Response Resources(PageCall& c) {
  auto place = c.CurrentEnterprise();
  if (!place) return c.Failure(kResources, place.error());
  const EnterpriseContext& e = **place;
  json::array items;
  std::string enterprise_name = e.enterprise.name;
  for (int64_t page = 1; page <= 100; ++page) {
    auto res =
        c.Api(Verb::post, kCandidatesApi,
              json::object{{"enterprise_id", e.enterprise.id}, {"page", page}, {"page_size", 100}});
    if (!res) return c.Failure(kResources, res.error());
    for (const auto& i : JsonArray(*res, "crossaccount_authinfo")) items.push_back(i);
    if (!JsonStr(*res, "enterprise_name").empty())
      enterprise_name = JsonStr(*res, "enterprise_name");
    if (!JsonBool(*res, "has_more")) break;
  }

  std::string body = H(c, "h1", kResources);
  body += c.Notice({{"authorized", {"已授权。", "Authorized."}},
                    {"revoked", {"已撤销授权。", "Authorization revoked."}}});
  body +=
      "<p id=\"resources-intro\">" + Escape(c.T({"授予“", "Give the "})) + Name(enterprise_name) +
      Escape(c.T(
          {"”团队/企业访问个人账号资源的权限：请选择授权访问的对象，授权后可访问你个人账号（UID ",
           " team/enterprise access to your personal account's resources: choose the "
           "credentials below; once authorized they reach every account-level "
           "resource of your personal account (UID "})) +
      "<code>" + Escape(c.user.id) + "</code>" + Escape(c.T({"）下的全部账号级资源。", ")."})) +
      "</p>";
  body += H(c, "h2", {"规则", "Rules"}) + "<ul id=\"resources-rules\">";
  for (const Text& rule : {
           Text{"只能授权个人访问令牌（PAT）和 AppAuth 应用；OBO 授权和服务访问令牌不能授权。",
                "Only personal access tokens (PAT) and AppAuth apps can be authorized; OBO "
                "authorizations and service access tokens cannot."},
           Text{"只开放账号级权限点（如会话、音色等账号级资源），不开放工作空间级权限点。",
                "Only account-level points are opened (account-level resources such as "
                "conversations and voices), never workspace-level points."},
           Text{"列出的是你在本企业中创建的个人访问令牌，以及本企业中所有 AppAuth 应用。",
                "Listed are the PATs you created in this enterprise and every AppAuth app "
                "authorized in it."},
           Text{"迁移空间后，会话、音色等账号级资源仍属于个人账号；授权后企业令牌可以继续使用这些会"
                "话。",
                "After a workspace moves, account-level resources such as conversations stay "
                "with the personal account; once authorized, enterprise tokens can continue "
                "them."},
       }) {
    body += "<li>" + Escape(c.T(rule)) + "</li>";
  }
  body += "</ul>";

  if (items.empty()) {
    body +=
        "<p class=\"muted\" id=\"no-candidates\">" +
        Escape(c.T({"没有可授权的对象：请先在本企业创建带账号级权限的个人访问令牌或 AppAuth 应用。",
                    "Nothing to authorize: first create, in this enterprise, a PAT or an "
                    "AppAuth app with account-level points."})) +
        "</p>";
    return c.Render(kResources, body);
  }
  const std::string authorize = Escape(c.Link("/personal-resources/authorize"));
  body += "<table id=\"candidates\"><thead><tr>" + Th(c, {"选择", "Select"}) +
          Th(c, {"授权对象名称", "Name"}) + Th(c, {"类型", "Type"}) +
          Th(c, {"账号级权限", "Account-level points"}) + Th(c, {"过期时间", "Expires"}) +
          Th(c, {"授权状态", "Status"}) + Th(c, {"操作", "Actions"}) + "</tr></thead><tbody>";
  for (const auto& i : items) {
    const std::string type = JsonStr(i, "type");
    const std::string id = JsonStr(i, "id");
    const std::string name = JsonStr(i, "name");
    const std::string key = DomId(type + "-" + id);
    const std::string value = type + ":" + id;
    const bool authorized = JsonBool(i, "is_authorized");
    std::string points;
    for (const auto& p : JsonArray(i, "account_permissions")) {
      if (!p.is_string()) continue;
      if (!points.empty()) points += " ";
      points += "<code>" + Escape(p.as_string()) + "</code>";
    }
    const int64_t expires = JsonInt(i, "expire_at");
    body += "<tr id=\"candidate-" + key + "\"><td>";
    if (!authorized) {
      body += "<input type=\"checkbox\" form=\"batch-authorize\" name=\"item\" value=\"" +
              Escape(value) + "\" id=\"pick-" + key + "\" aria-label=\"" +
              Escape(std::string(c.T({"选择 ", "Select "})) + name) + "\">";
    }
    body += "</td><td>" + Name(name) + "</td><td>" + Escape(TypeLabel(c, type)) + "</td><td>" +
            (points.empty() ? "—" : points) + "</td><td>" +
            Escape(expires < 0 ? std::string(c.T({"永久有效", "Never"})) : FormatTime(expires)) +
            "</td><td>" +
            (authorized ? "<span class=\"status-active\">" + Escape(c.T({"已授权", "Authorized"}))
                        : "<span class=\"muted\">" + Escape(c.T({"未授权", "Not authorized"}))) +
            "</span></td><td>";
    if (authorized) {
      body += "<form method=\"post\" class=\"inline\" action=\"" +
              Escape(c.Link("/personal-resources/revoke")) + "\" data-confirm=\"" +
              Escape(std::string(c.T({"确定撤销对 ", "Revoke the access of "})) + name +
                     std::string(c.T({" 的授权？", " to your personal account?"}))) +
              "\">" + c.CsrfInput() + Hidden("item", value) +
              "<button type=\"submit\" class=\"danger\" id=\"revoke-" + key + "\">" +
              Escape(c.T({"撤销授权", "Revoke"})) + "</button></form>";
    } else {
      body += "<form method=\"post\" class=\"inline\" action=\"" + authorize + "\">" +
              c.CsrfInput() + Hidden("item", value) + "<button type=\"submit\" id=\"authorize-" +
              key + "\">" + Escape(c.T({"授权", "Authorize"})) + "</button></form>";
    }
    body += "</td></tr>";
  }
  body += "</tbody></table>";
  body += "<form method=\"post\" id=\"batch-authorize\" action=\"" + authorize + "\">" +
          c.CsrfInput() + "<button type=\"submit\" class=\"secondary\" id=\"batch-submit\">" +
          Escape(c.T({"批量授权所选", "Authorize the selected"})) + "</button></form>";
  return c.Render(kResources, body);
}

// "pat:123" → {id, type}; nullopt for anything else.
std::optional<json::object> AuthInfo(const std::string& item) {
  const size_t colon = item.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= item.size()) return std::nullopt;
  return json::object{{"id", item.substr(colon + 1)}, {"type", item.substr(0, colon)}};
}

Error NothingChosen(const PageCall& c) {
  return Error::BadRequest(
      "item", std::string(c.T({"请至少选择一个授权对象。", "Choose at least one credential."})));
}

http::Response AuthorizeResources(PageCall& c) {
  auto place = c.CurrentEnterprise();
  if (!place) return c.Failure(kResources, place.error());
  json::array list;
  for (const auto& item : c.form.All("item")) {
    auto info = AuthInfo(item);
    if (!info) return c.Failure(kResources, NothingChosen(c));
    list.push_back(std::move(*info));
  }
  if (list.empty()) return c.Failure(kResources, NothingChosen(c));
  auto done = c.Api(Verb::post, kAuthorizeApi,
                    json::object{{"enterprise_id", (*place)->enterprise.id},
                                 {"crossaccount_authinfo_list", std::move(list)}});
  if (!done) return c.Failure(kResources, done.error());
  return c.SeeOther(c.Link("/personal-resources"), "authorized");
}

http::Response RevokeResource(PageCall& c) {
  auto place = c.CurrentEnterprise();
  if (!place) return c.Failure(kResources, place.error());
  auto info = AuthInfo(c.form.Get("item"));
  if (!info) return c.Failure(kResources, NothingChosen(c));
  auto done = c.Api(Verb::post, kRevokeApi,
                    json::object{{"enterprise_id", (*place)->enterprise.id},
                                 {"crossaccount_authinfo", std::move(*info)}});
  if (!done) return c.Failure(kResources, done.error());
  return c.SeeOther(c.Link("/personal-resources"), "revoked");
}

}  // namespace

void RegisterEnterprisePages(http::Router& router, api::Deps& deps) {
  const std::string e = "/enterprise/{enterprise_id}";
  AddPage(router, deps, Verb::get, e + "/open/oauth/installations", Installations);
  AddPage(router, deps, Verb::post, e + "/open/oauth/installations/uninstall", Uninstall);
  AddPage(router, deps, Verb::post, e + "/open/oauth/installations/status", SetStatus);
  AddPage(router, deps, Verb::get, e + "/members", Members);
  AddPage(router, deps, Verb::post, e + "/members/add",
          [](PageCall& c) { return MemberChange(c, "add", "member-added"); });
  AddPage(router, deps, Verb::post, e + "/members/role",
          [](PageCall& c) { return MemberChange(c, "update_role", "role-changed"); });
  AddPage(router, deps, Verb::post, e + "/members/remove",
          [](PageCall& c) { return MemberChange(c, "remove", "member-removed"); });
  AddPage(router, deps, Verb::get, e + "/personal-resources", Resources);
  AddPage(router, deps, Verb::post, e + "/personal-resources/authorize", AuthorizeResources);
  AddPage(router, deps, Verb::post, e + "/personal-resources/revoke", RevokeResource);
}

}  // namespace cozeauth::console
