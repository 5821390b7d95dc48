// OAuth 应用 (issue 12 §3): the apps of the personal account at /open/oauth/apps, and those of an
// enterprise's organizations at /enterprise/{enterprise_id}/open/oauth/apps (for the admins the
// app API lets manage them). List with the share icon that copies the share link, create by
// 客户端类型, the app's page (edit name, description and redirect URIs without recreating the
// app; client secrets shown once; public keys uploaded or generated, the private key shown once
// and never stored; disable / enable / delete), and the authorizations the user made, with a
// revoke button. Every change goes through the console app API (console/app_routes.cpp).

#include <boost/json.hpp>
#include <set>

#include "console/pages/api_json.hpp"
#include "console/pages/page.hpp"
#include "console/pages/pages.hpp"
#include "console/pages/points.hpp"
#include "policy/catalogue.hpp"

namespace cozeauth::console {
namespace {

namespace json = boost::json;
using http::Verb;

const std::string kAppApi = "/api/permission_api/app/";

constexpr Text kTitle{"OAuth 应用", "OAuth apps"};
constexpr Text kAppTitle{"OAuth 应用详情", "OAuth app"};
constexpr Text kCreate{"创建应用", "Create an app"};
constexpr Text kName{"应用名称", "Name"};
constexpr Text kDescription{"应用描述", "Description"};
constexpr Text kClientType{"客户端类型", "Client type"};
constexpr Text kAppId{"应用 ID", "App id"};
constexpr Text kClientId{"客户端 ID（client_id）", "Client id (client_id)"};
constexpr Text kStatus{"状态", "Status"};
constexpr Text kCreated{"创建时间", "Created"};
constexpr Text kActions{"操作", "Actions"};
constexpr Text kOrganization{"所属组织", "Organization"};
constexpr Text kRedirectUris{"重定向 URL", "Redirect URIs"};
constexpr Text kRedirectHint{
    "每行一个，1 到 3 个以 http:// 或 https:// 开头的完整地址（仅 Web 后端应用和移动端/PC "
    "桌面端/单页面应用需要）。",
    "One per line, 1 to 3 absolute http:// or https:// URLs (web backend and PKCE apps only)."};
constexpr Text kPermissions{"权限", "Permissions"};
constexpr Text kShareLink{"分享链接", "Share link"};
constexpr Text kCopyShare{"复制分享链接", "Copy the share link"};
constexpr Text kManage{"管理", "Manage"};
constexpr Text kNoApps{"还没有 OAuth 应用。", "No OAuth apps yet."};
constexpr Text kActive{"已启用", "Enabled"};
constexpr Text kDisabled{"已禁用", "Disabled"};
constexpr Text kBack{"返回 OAuth 应用", "Back to OAuth apps"};
constexpr Text kBackToApp{"返回应用详情", "Back to the app"};
constexpr Text kMyAuthorizations{"我的授权", "Your authorizations"};
constexpr Text kNoAuthorizations{"你还没有授权任何应用。", "You have not authorized any app."};
constexpr Text kRevoke{"取消授权", "Revoke"};
constexpr Text kWhere{"授权范围", "Authorized in"};
constexpr Text kPersonalAccount{"个人账号", "Personal account"};
constexpr Text kEnterpriseWide{"企业（所有组织）", "Enterprise (all organizations)"};
constexpr Text kNotAdmin{"只有企业或组织的超级管理员、管理员可以管理组织的 OAuth 应用。",
                         "Only super admins and admins of the enterprise or an organization "
                         "manage its OAuth apps."};

struct ClientTypeLabel {
  std::string_view key;
  Text label;
  Text hint;
};
constexpr ClientTypeLabel kClientTypes[] = {
    {"web",
     {"Web 后端应用", "Web backend app"},
     {"授权码模式，使用客户端密钥换取令牌。",
      "Authorization code flow; the backend exchanges the code with a client secret."}},
    {"pkce",
     {"移动端/PC 桌面端/单页面应用", "Mobile, desktop or single-page app"},
     {"授权码 + PKCE 模式，无客户端密钥。", "Authorization code flow with PKCE; no secret."}},
    {"device",
     {"TV 端/设备应用/类命令行程序", "TV, device or command-line app"},
     {"设备码模式：用户在另一台设备上输入验证码。",
      "Device code flow: the user enters a code on another device."}},
    {"service",
     {"服务类应用", "Service app"},
     {"JWT 模式：应用以私钥签名 JWT 换取令牌（渠道/企业授权）。",
      "JWT flow: the app signs a JWT with its private key to obtain tokens."}},
};

std::string ClientTypeName(const PageCall& c, std::string_view key) {
  for (const auto& t : kClientTypes) {
    if (t.key == key) return std::string(c.T(t.label));
  }
  return std::string(key);
}

std::vector<std::string> Strings(const json::array& a) {
  std::vector<std::string> out;
  for (const auto& v : a) {
    if (v.is_string()) out.emplace_back(v.get_string());
  }
  return out;
}

std::string PathParam(const PageCall& c, std::string_view name) {
  for (const auto& [k, v] : c.req.path_params) {
    if (k == name) return v;
  }
  return {};
}

std::string H(const PageCall& c, const Text& t) { return Escape(c.T(t)); }

std::string StatusCell(const PageCall& c, const std::string& status) {
  const bool active = status == "Active";
  return "<span class=\"" + std::string(active ? "status-active" : "status-disabled") + "\">" +
         H(c, active ? kActive : kDisabled) + "</span>";
}

// The share link: under the configured public URL when there is one, else this site's path,
// which console.js shows and copies as an absolute URL (data-copy-href). Never the Host header.
std::string ShareHref(const PageCall& c, const std::string& appid) {
  std::string path = "/open/oauth/share?appid=" + http::PercentEncode(appid);
  std::string base = c.deps.options.public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + path;
}

std::string ShareLink(const PageCall& c, const std::string& appid, const std::string& app_name) {
  const std::string id = "share-" + appid;
  const std::string href = ShareHref(c, appid);
  const std::string label = std::string(c.T(kCopyShare)) + ": " + app_name;
  return "<a class=\"share-link\" id=\"" + Escape(id) + "\" href=\"" + Escape(href) +
         "\" data-copy-href>" + Escape(href) +
         "</a> <button type=\"button\" class=\"copy secondary share\" id=\"share-button-" +
         Escape(appid) + "\" data-copy=\"" + Escape(id) + "\" data-copied=\"" +
         H(c, {"已复制", "Copied"}) + "\" aria-label=\"" + Escape(label) + "\" title=\"" +
         H(c, kCopyShare) +
         "\"><svg aria-hidden=\"true\" focusable=\"false\" width=\"14\" height=\"14\" "
         "viewBox=\"0 0 24 24\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\">"
         "<circle cx=\"18\" cy=\"5\" r=\"3\"/><circle cx=\"6\" cy=\"12\" r=\"3\"/>"
         "<circle cx=\"18\" cy=\"19\" r=\"3\"/><path d=\"M8.6 13.5l6.8 4M15.4 6.5l-6.8 4\"/>"
         "</svg> " +
         H(c, kShareLink) + "</button>";
}

std::string AppsPath(const PageCall& c) { return c.Link("/open/oauth/apps"); }
std::string AppPath(const PageCall& c, const std::string& appid) {
  return c.Link("/open/oauth/apps/" + http::PercentEncode(appid));
}

// The organizations of the current enterprise (empty on a personal page).
std::vector<domain::Account> Organizations(PageCall& c) {
  auto place = c.CurrentEnterprise();
  if (!place || !*place) return {};
  return (*place)->organizations;
}

// --- the list page (with the create form)

struct AppRow {
  json::value meta;
  std::string org_name;
};

// The apps this page lists: the personal account's, or those of every organization of the
// enterprise the user may manage (the API refuses the others with 4101; they are skipped).
Result<std::vector<AppRow>> ListApps(PageCall& c, bool& refused_somewhere,
                                     std::vector<domain::Account>& managed_orgs) {
  std::vector<AppRow> rows;
  auto place = c.CurrentEnterprise();
  if (!place) return place.error();
  if (!*place) {
    auto list = c.Api(Verb::get, kAppApi + "list_app_meta");
    if (!list) return list.error();
    for (const auto& a : JsonArray(*list, "apps")) rows.push_back({a, ""});
    return rows;
  }
  for (const auto& org : (*place)->organizations) {
    auto list =
        c.Api(Verb::get, kAppApi + "list_app_meta?organization_id=" + http::PercentEncode(org.id));
    if (!list) {
      if (list.error().code == Errc::kPermissionDenied) {
        refused_somewhere = true;
        continue;
      }
      return list.error();
    }
    managed_orgs.push_back(org);
    for (const auto& a : JsonArray(*list, "apps")) rows.push_back({a, org.name});
  }
  return rows;
}

std::string PointsFieldsets(const PageCall& c, const FormFields* prefill) {
  struct LevelInfo {
    policy::Level level;
    std::string_view field;
    Text label;
  };
  const LevelInfo levels[] = {
      {policy::Level::kAccount, "account_permission", {"账号级权限", "Account-level points"}},
      {policy::Level::kWorkspace, "workspace_permission", {"空间级权限", "Workspace-level points"}},
      {policy::Level::kEnterprise,
       "enterprise_permission",
       {"企业级权限", "Enterprise-level points"}},
  };
  std::string out;
  for (const auto& l : levels) {
    std::set<std::string> chosen;
    if (prefill) {
      for (auto& v : prefill->All(l.field)) chosen.insert(v);
    }
    out += "<fieldset id=\"points-" + std::string(l.field) + "\"><legend>" + H(c, l.label) +
           "</legend>";
    for (const auto& p : policy::Catalogue()) {
      if (p.level != l.level) continue;
      const std::string name(p.name);
      const std::string id = "pt-" + std::string(l.field) + "-" + name;
      out += "<label class=\"choice\" for=\"" + Escape(id) + "\"><input type=\"checkbox\" id=\"" +
             Escape(id) + "\" name=\"" + std::string(l.field) + "\" value=\"" + Escape(name) +
             "\"" + (chosen.count(name) ? " checked" : "") + "> <code>" + Escape(name) +
             "</code> " + Escape(PointDescription(c.lang, p.name, p.description)) + "</label>";
    }
    out += "</fieldset>";
  }
  return out;
}

std::string CreateForm(PageCall& c, const std::vector<domain::Account>& orgs,
                       const FormFields* prefill, const std::string& error) {
  std::string out = "<h2 id=\"create\">" + H(c, kCreate) + "</h2>";
  if (!error.empty()) out += ErrorLine(error);
  out += "<form method=\"post\" action=\"" + Escape(AppsPath(c)) + "\" id=\"create-app\">" +
         c.CsrfInput();
  const std::string chosen_type = prefill ? prefill->Get("client_type") : "web";
  out += "<fieldset id=\"client-types\"><legend>" + H(c, kClientType) + "</legend>";
  for (const auto& t : kClientTypes) {
    const std::string id = "type-" + std::string(t.key);
    out += "<label class=\"choice\" for=\"" + id +
           "\"><input type=\"radio\" name=\"client_type\" "
           "id=\"" +
           id + "\" value=\"" + std::string(t.key) + "\"" +
           (chosen_type == t.key ? " checked" : "") + "> " + H(c, t.label) +
           " <span class=\"hint\">" + H(c, t.hint) + "</span></label>";
  }
  out += "</fieldset>";
  if (!orgs.empty()) {
    const std::string chosen_org = prefill ? prefill->Get("organization_id") : "";
    out += "<label for=\"organization\">" + H(c, kOrganization) +
           "</label><select id=\"organization\" name=\"organization_id\">";
    for (const auto& o : orgs) {
      out += "<option value=\"" + Escape(o.id) + "\"" + (chosen_org == o.id ? " selected" : "") +
             ">" + Escape(o.name) + "</option>";
    }
    out += "</select>";
  }
  out += "<label for=\"app-name\">" + H(c, kName) +
         "</label><input type=\"text\" id=\"app-name\" name=\"name\" required maxlength=\"100\" "
         "value=\"" +
         Escape(prefill ? prefill->Get("name") : "") + "\">";
  out += "<label for=\"app-description\">" + H(c, kDescription) +
         "</label><textarea id=\"app-description\" name=\"description\" maxlength=\"1000\">" +
         Escape(prefill ? prefill->Get("description") : "") + "</textarea>";
  out += "<label for=\"app-redirect-uris\">" + H(c, kRedirectUris) +
         "</label><textarea id=\"app-redirect-uris\" name=\"redirect_uris\" "
         "aria-describedby=\"redirect-hint\">" +
         Escape(prefill ? prefill->Get("redirect_uris") : "") +
         "</textarea><p class=\"hint\" id=\"redirect-hint\">" + H(c, kRedirectHint) + "</p>";
  out += "<h3>" + H(c, kPermissions) + "</h3>" + PointsFieldsets(c, prefill);
  out += "<button type=\"submit\" id=\"create-submit\">" + H(c, kCreate) + "</button></form>";
  return out;
}

// "a\nb\r\nc" → {"a","b","c"}, blank lines dropped.
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.pop_back();
    }
    size_t lead = line.find_first_not_of(" \t");
    if (lead != std::string::npos) out.push_back(line.substr(lead));
    start = end + 1;
  }
  return out;
}

json::array JsonStrings(const std::vector<std::string>& v) {
  return json::array(v.begin(), v.end());
}

std::string RevokeButton(PageCall& c, const std::string& action, const std::string& appid,
                         const std::string& id) {
  std::string fields =
      "<input type=\"hidden\" name=\"authorization_id\" value=\"" + Escape(id) + "\">";
  if (!appid.empty()) {
    fields += "<input type=\"hidden\" name=\"appid\" value=\"" + Escape(appid) + "\">";
  }
  return "<form method=\"post\" class=\"inline\" action=\"" + Escape(c.Link(action)) +
         "\" data-confirm=\"" +
         H(c, {"确定取消授权？该授权签发的令牌将立即失效。",
               "Revoke? Tokens issued through this authorization stop working at once."}) +
         "\">" + c.CsrfInput() + fields + "<button type=\"submit\" class=\"danger\" id=\"revoke-" +
         Escape(id) + "\">" + H(c, kRevoke) + "</button></form>";
}

std::string AuthorizationTable(PageCall& c, const std::string& table_id, const json::array& items,
                               bool consents) {
  std::string out = "<table id=\"" + table_id + "\"><thead><tr><th scope=\"col\">" + H(c, kName) +
                    "</th><th scope=\"col\">" + H(c, kClientType) + "</th><th scope=\"col\">" +
                    H(c, kWhere) + "</th><th scope=\"col\">" + H(c, kPermissions) +
                    "</th><th scope=\"col\">" + H(c, kCreated) + "</th><th scope=\"col\">" +
                    H(c, kActions) + "</th></tr></thead><tbody>";
  for (const auto& a : items) {
    const std::string id = JsonStr(a, "authorization_id");
    std::string where;
    const json::value* wide =
        a.is_object() ? a.get_object().if_contains("enterprise_wide") : nullptr;
    const std::string kind = JsonStr(a, "context_kind");
    if ((wide && wide->is_bool() && wide->get_bool()) || kind == "enterprise") {
      where = std::string(c.T(kEnterpriseWide)) + " " + JsonStr(a, "enterprise_id");
    } else if (JsonStr(a, "account_id") == c.user.id) {
      where = std::string(c.T(kPersonalAccount));
    } else {
      where = std::string(c.T(kOrganization)) + " " + JsonStr(a, "account_id");
    }
    std::string points;
    for (const auto& p : Strings(JsonArray(a, "permission_list"))) {
      points += (points.empty() ? "" : ", ") + p;
    }
    out +=
        "<tr id=\"authorization-" + Escape(id) + "\"><td>" + Escape(JsonStr(a, "app_name")) +
        "</td><td>" + Escape(ClientTypeName(c, JsonStr(a, "client_type"))) + "</td><td>" +
        Escape(where) + "</td><td><code>" + Escape(points) + "</code></td><td>" +
        Escape(FormatTime(JsonInt(a, "created_at"))) + "</td><td>" +
        (consents ? RevokeButton(c, "/open/oauth/authorizations/revoke-consent", "", id)
                  : RevokeButton(c, "/open/oauth/authorizations/revoke", JsonStr(a, "appid"), id)) +
        "</td></tr>";
  }
  return out + "</tbody></table>";
}

// 我的授权: the apps the user authorized to act for them (OBO consents), and the apps they
// authorized or installed as an owner or administrator (AppAuth, OBO installations).
std::string MyAuthorizations(PageCall& c) {
  std::string out = "<h2 id=\"my-authorizations-title\">" + H(c, kMyAuthorizations) + "</h2>";
  auto consents = c.Api(Verb::get, kAppApi + "list_my_obo_authorizations");
  out += "<h3>" + H(c, {"代表你操作的应用（OBO 授权）", "Apps acting for you (OBO consents)"}) +
         "</h3>";
  if (!consents) {
    out += ErrorLine(consents.error().message);
  } else if (JsonArray(*consents, "authorizations").empty()) {
    out += "<p class=\"muted\" id=\"no-consents\">" + H(c, kNoAuthorizations) + "</p>";
  } else {
    out += AuthorizationTable(c, "my-consents", JsonArray(*consents, "authorizations"), true);
  }
  auto list = c.Api(Verb::get, kAppApi + "list_authorized_apps");
  out += "<h3>" + H(c, {"你授权或安装的应用", "Apps you authorized or installed"}) + "</h3>";
  if (!list) return out + ErrorLine(list.error().message);
  const auto& items = JsonArray(*list, "authorizations");
  if (items.empty()) {
    return out + "<p class=\"muted\" id=\"no-authorizations\">" + H(c, kNoAuthorizations) + "</p>";
  }
  return out + AuthorizationTable(c, "my-authorizations", items, false);
}

http::Response ListPage(PageCall& c, const FormFields* prefill, const std::string& error,
                        unsigned status) {
  bool refused = false;
  std::vector<domain::Account> orgs;
  auto rows = ListApps(c, refused, orgs);
  if (!rows) return c.Failure(kTitle, rows.error());
  const bool enterprise = !Organizations(c).empty();
  std::string body = "<h1>" + H(c, kTitle) + "</h1>";
  body += c.Notice({{"deleted", {"应用已删除。", "The app was deleted."}},
                    {"revoked", {"授权已取消。", "The authorization was revoked."}}});
  if (enterprise && orgs.empty()) {
    body += "<p class=\"warning\" id=\"not-admin\">" + H(c, kNotAdmin) + "</p>";
    return c.Render(kTitle, body, status);
  }
  if (rows->empty()) {
    body += "<p class=\"muted\" id=\"no-apps\">" + H(c, kNoApps) + "</p>";
  } else {
    body += "<table id=\"apps\"><thead><tr><th scope=\"col\">" + H(c, kName) +
            "</th><th scope=\"col\">" + H(c, kClientType) + "</th>";
    if (enterprise) body += "<th scope=\"col\">" + H(c, kOrganization) + "</th>";
    body += "<th scope=\"col\">" + H(c, kAppId) + "</th><th scope=\"col\">" + H(c, kStatus) +
            "</th><th scope=\"col\">" + H(c, kCreated) + "</th><th scope=\"col\">" +
            H(c, kActions) + "</th></tr></thead><tbody>";
    for (const auto& r : *rows) {
      const std::string appid = JsonStr(r.meta, "appid");
      body += "<tr id=\"app-" + Escape(appid) + "\"><td><a href=\"" + Escape(AppPath(c, appid)) +
              "\">" + Escape(JsonStr(r.meta, "name")) + "</a></td><td>" +
              Escape(ClientTypeName(c, JsonStr(r.meta, "client_type"))) + "</td>";
      if (enterprise) body += "<td>" + Escape(r.org_name) + "</td>";
      body += "<td><code>" + Escape(JsonStr(r.meta, "client_id")) + "</code></td><td>" +
              StatusCell(c, JsonStr(r.meta, "status")) + "</td><td>" +
              Escape(FormatTime(JsonInt(r.meta, "created_at"))) + "</td><td>" +
              ShareLink(c, appid, JsonStr(r.meta, "name")) + " <a href=\"" +
              Escape(AppPath(c, appid)) + "\" aria-label=\"" +
              Escape(std::string(c.T(kManage)) + ": " + JsonStr(r.meta, "name")) + "\">" +
              H(c, kManage) + "</a></td></tr>";
    }
    body += "</tbody></table>";
  }
  if (refused) {
    body += "<p class=\"hint\">" +
            H(c, {"只列出你管理的组织的应用。", "Only the apps of organizations you manage."}) +
            "</p>";
  }
  body += CreateForm(c, orgs, prefill, error);
  if (!enterprise) body += MyAuthorizations(c);
  return c.Render(kTitle, body, status);
}

http::Response List(PageCall& c) { return ListPage(c, nullptr, "", 200); }

http::Response Create(PageCall& c) {
  json::object body{
      {"name", c.form.Get("name")},
      {"description", c.form.Get("description")},
      {"client_type", c.form.Get("client_type")},
      {"declared_permission",
       {{"account_permission", JsonStrings(c.form.All("account_permission"))},
        {"workspace_permission", JsonStrings(c.form.All("workspace_permission"))},
        {"enterprise_permission", JsonStrings(c.form.All("enterprise_permission"))}}}};
  const auto uris = Lines(c.form.Get("redirect_uris"));
  if (!uris.empty()) body["redirect_uris"] = JsonStrings(uris);
  auto place = c.CurrentEnterprise();
  if (!place) return c.Failure(kTitle, place.error());
  if (*place) {
    const std::string org = c.form.Get("organization_id");
    bool inside = false;
    for (const auto& o : (*place)->organizations) inside = inside || o.id == org;
    if (!inside) {
      return ListPage(
          c, &c.form,
          std::string(c.T({"请选择本企业的组织。", "Choose an organization of this enterprise."})),
          400);
    }
    body["organization_id"] = org;
  }
  auto created = c.Api(Verb::post, kAppApi + "create_app_meta", std::move(body));
  if (!created) {
    if (created.error().code == Errc::kInternal) return c.Failure(kTitle, created.error());
    return ListPage(c, &c.form,
                    std::string(c.T({"操作未完成：", "Not done: "})) + created.error().message,
                    created.error().code == Errc::kPermissionDenied ? 403 : 400);
  }
  const std::string appid =
      JsonStr(created->as_object().if_contains("app") ? created->as_object().at("app")
                                                      : json::value(nullptr),
              "appid");
  return c.SeeOther(AppPath(c, appid), "created");
}

http::Response RevokeConsent(PageCall& c) {
  auto r = c.Api(Verb::post, kAppApi + "revoke_my_obo_authorization",
                 json::object{{"authorization_id", c.form.Get("authorization_id")}});
  if (!r) return c.Failure(kTitle, r.error());
  return c.SeeOther(AppsPath(c), "revoked");
}

http::Response RevokeAuthorization(PageCall& c) {
  auto r = c.Api(Verb::post, kAppApi + "revoke_app_authorized_permission",
                 json::object{{"appid", c.form.Get("appid")},
                              {"authorization_id", c.form.Get("authorization_id")}});
  if (!r) return c.Failure(kTitle, r.error());
  return c.SeeOther(AppsPath(c), "revoked");
}

// --- the app's page

// The app named in the path, as get_app_meta answers it for this user, and only when it belongs
// to this page's context (the personal account, or an organization of this enterprise).
Result<json::value> LoadApp(PageCall& c) {
  const std::string appid = PathParam(c, "appid");
  auto got = c.Api(Verb::get, kAppApi + "get_app_meta?appid=" + http::PercentEncode(appid));
  if (!got) return got.error();
  json::value app =
      got->as_object().if_contains("app") ? got->as_object().at("app") : json::value(nullptr);
  const std::string org = JsonStr(app, "organization_id");
  auto place = c.CurrentEnterprise();
  if (!place) return place.error();
  bool here = false;
  if (!*place) {
    here = org.empty();
  } else {
    for (const auto& o : (*place)->organizations) here = here || o.id == org;
  }
  if (!here) return Error::Make(Errc::kNotFound, "app " + appid + " not found");
  return app;
}

std::string Fact(const PageCall& c, const Text& label, const std::string& html) {
  return "<dt>" + H(c, label) + "</dt><dd>" + html + "</dd>";
}

std::string ConfirmForm(PageCall& c, const std::string& action, const Text& question,
                        const std::string& fields, const std::string& button_id, const Text& button,
                        const char* klass) {
  return "<form method=\"post\" class=\"inline\" action=\"" + Escape(action) +
         "\" data-confirm=\"" + H(c, question) + "\">" + c.CsrfInput() + fields +
         "<button type=\"submit\" class=\"" + klass + "\" id=\"" + Escape(button_id) + "\">" +
         H(c, button) + "</button></form>";
}

http::Response AppPage(PageCall& c, const json::value& app, const std::string& error,
                       unsigned status) {
  const std::string appid = JsonStr(app, "appid");
  const std::string type = JsonStr(app, "client_type");
  const std::string base = AppPath(c, appid);
  const bool has_uris = type == "web" || type == "pkce";
  std::string body = "<p><a href=\"" + Escape(AppsPath(c)) + "\">" + H(c, kBack) +
                     "</a></p><h1 id=\"app-name\">" + Escape(JsonStr(app, "name")) + "</h1>";
  body += c.Notice(
      {{"created", {"应用已创建。", "The app was created."}},
       {"saved", {"已保存。", "Saved."}},
       {"secret-deleted", {"客户端密钥已删除。", "The client secret was deleted."}},
       {"key-added", {"公钥已添加。", "The public key was added."}},
       {"key-deleted", {"公钥已删除。", "The public key was deleted."}},
       {"disabled",
        {"应用已禁用，其令牌暂停使用。", "The app is disabled; its tokens are suspended."}},
       {"enabled", {"应用已启用。", "The app is enabled."}}});
  if (!error.empty()) body += ErrorLine(error);
  body += "<dl class=\"facts\">";
  body +=
      Fact(c, kAppId, "<code id=\"appid\">" + Escape(appid) + "</code> " + CopyButton(c, "appid"));
  body += Fact(c, kClientId,
               "<code id=\"client-id\">" + Escape(JsonStr(app, "client_id")) + "</code> " +
                   CopyButton(c, "client-id"));
  body += Fact(c, kClientType, Escape(ClientTypeName(c, type)));
  body += Fact(c, kStatus,
               "<span id=\"app-status\">" + StatusCell(c, JsonStr(app, "status")) + "</span>");
  body += Fact(c, kCreated, Escape(FormatTime(JsonInt(app, "created_at"))));
  body += Fact(c, kDescription, Escape(JsonStr(app, "description")));
  if (has_uris) {
    std::string uris = "<ul id=\"redirect-uris\">";
    for (const auto& u : Strings(JsonArray(app, "redirect_uris"))) {
      uris += "<li><code>" + Escape(u) + "</code></li>";
    }
    body += Fact(c, kRedirectUris, uris + "</ul>");
  }
  std::string points;
  if (app.is_object()) {
    if (const json::value* d = app.as_object().if_contains("declared_permission")) {
      for (const char* level :
           {"account_permission", "workspace_permission", "enterprise_permission"}) {
        for (const auto& p : Strings(JsonArray(*d, level))) {
          const policy::PermissionPoint* point = policy::FindPoint(p);
          points += "<li><code>" + Escape(p) + "</code>" +
                    (point ? " " + Escape(point->description) : std::string()) + "</li>";
        }
      }
    }
  }
  body += Fact(c, kPermissions, "<ul id=\"declared-points\">" + points + "</ul>");
  if (JsonStr(app, "status") == "Active") {
    body += Fact(c, kShareLink, ShareLink(c, appid, JsonStr(app, "name")));
  }
  body += "</dl>";

  // Edit without recreating.
  body += "<h2 id=\"edit\">" + H(c, {"编辑应用", "Edit the app"}) +
          "</h2><form method=\"post\" "
          "action=\"" +
          Escape(base + "/edit") + "\" id=\"edit-app\">" + c.CsrfInput() +
          "<label for=\"edit-name\">" + H(c, kName) +
          "</label><input type=\"text\" id=\"edit-name\" name=\"name\" required "
          "maxlength=\"100\" value=\"" +
          Escape(JsonStr(app, "name")) + "\"><label for=\"edit-description\">" +
          H(c, kDescription) +
          "</label><textarea id=\"edit-description\" name=\"description\" maxlength=\"1000\">" +
          Escape(JsonStr(app, "description")) + "</textarea>";
  if (has_uris) {
    std::string uris;
    for (const auto& u : Strings(JsonArray(app, "redirect_uris"))) uris += u + "\n";
    body += "<label for=\"edit-redirect-uris\">" + H(c, kRedirectUris) +
            "</label><textarea id=\"edit-redirect-uris\" name=\"redirect_uris\" "
            "aria-describedby=\"edit-redirect-hint\">" +
            Escape(uris) + "</textarea><p class=\"hint\" id=\"edit-redirect-hint\">" +
            H(c, kRedirectHint) + " " +
            H(c, {"修改后立即生效，已有授权和令牌不受影响。",
                  "Takes effect at once; existing authorizations and tokens stay."}) +
            "</p>";
  }
  body +=
      "<button type=\"submit\" id=\"edit-submit\">" + H(c, {"保存", "Save"}) + "</button></form>";

  if (type == "web") {
    body += "<h2 id=\"secrets-title\">" + H(c, {"客户端密钥", "Client secrets"}) + "</h2>";
    const auto& secrets = JsonArray(app, "client_secrets");
    if (secrets.empty()) {
      body += "<p class=\"muted\" id=\"no-secrets\">" +
              H(c, {"还没有客户端密钥。", "No client secrets yet."}) + "</p>";
    } else {
      body += "<table id=\"secrets\"><thead><tr><th scope=\"col\">" + H(c, {"密钥", "Secret"}) +
              "</th><th scope=\"col\">" + H(c, kCreated) + "</th><th scope=\"col\">" +
              H(c, kActions) + "</th></tr></thead><tbody>";
      for (const auto& s : secrets) {
        const std::string id = JsonStr(s, "id");
        body += "<tr id=\"secret-" + Escape(id) + "\"><td><code>" + Escape(JsonStr(s, "mask")) +
                "</code></td><td>" + Escape(FormatTime(JsonInt(s, "created_at"))) + "</td><td>" +
                ConfirmForm(c, base + "/secrets/delete",
                            {"确定删除该客户端密钥？使用它的服务将无法换取令牌。",
                             "Delete this client secret? Services using it can no longer "
                             "obtain tokens."},
                            "<input type=\"hidden\" name=\"id\" value=\"" + Escape(id) + "\">",
                            "delete-secret-" + id, {"删除", "Delete"}, "danger") +
                "</td></tr>";
      }
      body += "</tbody></table>";
    }
    body += "<form method=\"post\" action=\"" + Escape(base + "/secrets") +
            "\" id=\"create-secret\">" + c.CsrfInput() +
            "<button type=\"submit\" id=\"create-secret-submit\">" +
            H(c, {"创建客户端密钥", "Create a client secret"}) + "</button></form>";
  }

  if (type == "service") {
    body += "<h2 id=\"keys-title\">" + H(c, {"公钥", "Public keys"}) + "</h2>";
    const auto& keys = JsonArray(app, "public_keys");
    if (keys.empty()) {
      body += "<p class=\"muted\" id=\"no-keys\">" + H(c, {"还没有公钥。", "No public keys yet."}) +
              "</p>";
    } else {
      body += "<table id=\"keys\"><thead><tr><th scope=\"col\">" +
              H(c, {"公钥指纹（kid）", "Fingerprint (kid)"}) + "</th><th scope=\"col\">" +
              H(c, kCreated) + "</th><th scope=\"col\">" + H(c, kActions) +
              "</th></tr></thead><tbody>";
      for (const auto& k : keys) {
        const std::string fp = JsonStr(k, "fingerprint");
        body +=
            "<tr><td><code>" + Escape(fp) + "</code></td><td>" +
            Escape(FormatTime(JsonInt(k, "created_at"))) + "</td><td>" +
            ConfirmForm(c, base + "/keys/delete",
                        {"确定删除该公钥？用对应私钥签名的 JWT 将被拒绝。",
                         "Delete this public key? JWTs signed with its private key will be "
                         "refused."},
                        "<input type=\"hidden\" name=\"fingerprint\" value=\"" + Escape(fp) + "\">",
                        "delete-key-" + fp, {"删除", "Delete"}, "danger") +
            "</td></tr>";
      }
      body += "</tbody></table>";
    }
    body += "<form method=\"post\" action=\"" + Escape(base + "/keys/generate") +
            "\" id=\"generate-key\">" + c.CsrfInput() + "<p class=\"hint\">" +
            H(c, {"在服务器上生成密钥对：公钥自动添加，私钥只显示一次，服务器不保存。",
                  "Generate a key pair on the server: the public key is added, the private key "
                  "is shown once and never stored."}) +
            "</p><button type=\"submit\" id=\"generate-key-submit\">" +
            H(c, {"创建 Key", "Generate a key pair"}) + "</button></form>";
    body += "<form method=\"post\" action=\"" + Escape(base + "/keys") + "\" id=\"upload-key\">" +
            c.CsrfInput() + "<label for=\"public-key-pem\">" +
            H(c, {"上传公钥（PEM）", "Upload a public key (PEM)"}) +
            "</label><textarea id=\"public-key-pem\" name=\"public_key_pem\" required "
            "placeholder=\"-----BEGIN PUBLIC KEY-----\"></textarea>"
            "<button type=\"submit\" id=\"upload-key-submit\">" +
            H(c, {"上传公钥", "Upload"}) + "</button></form>";
  }

  body +=
      "<h2 id=\"status-title\">" + H(c, {"启用、禁用与删除", "Enable, disable, delete"}) + "</h2>";
  if (JsonStr(app, "status") == "Active") {
    body += ConfirmForm(c, base + "/status",
                        {"确定禁用该应用？其所有令牌将暂停使用，直到重新启用。",
                         "Disable the app? All its tokens are suspended until it is enabled."},
                        "<input type=\"hidden\" name=\"status\" value=\"Deactive\">", "disable-app",
                        {"禁用", "Disable"}, "secondary");
  } else {
    body += "<form method=\"post\" class=\"inline\" action=\"" + Escape(base + "/status") + "\">" +
            c.CsrfInput() +
            "<input type=\"hidden\" name=\"status\" value=\"Active\"><button type=\"submit\" "
            "id=\"enable-app\">" +
            H(c, {"启用", "Enable"}) + "</button></form>";
  }
  body += ConfirmForm(c, base + "/delete",
                      {"确定删除该应用？所有授权、安装和令牌将被撤销，且不可恢复。",
                       "Delete the app? Every authorization, installation and token is revoked; "
                       "this cannot be undone."},
                      "", "delete-app", {"删除应用", "Delete the app"}, "danger");
  return c.Render(kAppTitle, body, status);
}

http::Response ShowApp(PageCall& c) {
  auto app = LoadApp(c);
  if (!app) return c.Failure(kAppTitle, app.error());
  return AppPage(c, *app, "", 200);
}

// Runs an app API call for the app in the path (checked to belong to this context first);
// success → 303 back to the app's page with `notice`, refusal → the app's page with the error.
http::Response AppAction(PageCall& c, const std::string& op, json::object extra,
                         std::string_view notice) {
  auto app = LoadApp(c);
  if (!app) return c.Failure(kAppTitle, app.error());
  const std::string appid = JsonStr(*app, "appid");
  extra["appid"] = appid;
  auto r = c.Api(Verb::post, kAppApi + op, std::move(extra));
  if (!r) {
    if (r.error().code == Errc::kInternal || r.error().code == Errc::kNotFound) {
      return c.Failure(kAppTitle, r.error());
    }
    return AppPage(c, *app, std::string(c.T({"操作未完成：", "Not done: "})) + r.error().message,
                   r.error().code == Errc::kPermissionDenied ? 403 : 400);
  }
  return c.SeeOther(AppPath(c, appid), notice);
}

http::Response Edit(PageCall& c) {
  json::object change{{"name", c.form.Get("name")}, {"description", c.form.Get("description")}};
  if (c.form.Has("redirect_uris")) {
    change["redirect_uris"] = JsonStrings(Lines(c.form.Get("redirect_uris")));
  }
  return AppAction(c, "update_app_meta", std::move(change), "saved");
}

http::Response SetStatus(PageCall& c) {
  const std::string status = c.form.Get("status");
  return AppAction(c, "update_app_meta", json::object{{"status", status}},
                   status == "Active" ? "enabled" : "disabled");
}

http::Response DeleteSecret(PageCall& c) {
  return AppAction(c, "delete_client_secret", json::object{{"id", c.form.Get("id")}},
                   "secret-deleted");
}

http::Response UploadKey(PageCall& c) {
  return AppAction(c, "upload_public_key",
                   json::object{{"public_key_pem", c.form.Get("public_key_pem")}}, "key-added");
}

http::Response DeleteKey(PageCall& c) {
  return AppAction(c, "delete_public_key", json::object{{"fingerprint", c.form.Get("fingerprint")}},
                   "key-deleted");
}

http::Response DeleteApp(PageCall& c) {
  auto app = LoadApp(c);
  if (!app) return c.Failure(kAppTitle, app.error());
  auto r =
      c.Api(Verb::post, kAppApi + "delete_app", json::object{{"appid", JsonStr(*app, "appid")}});
  if (!r) return c.Failure(kAppTitle, r.error());
  return c.SeeOther(AppsPath(c), "deleted");
}

std::string ShownOnceWarning(const PageCall& c) {
  return "<p class=\"warning\" role=\"alert\" id=\"shown-once\">" +
         H(c, {"请立即复制并妥善保存。关闭此页面后将无法再次查看。",
               "Copy it now and keep it safe. It is not shown again after you leave this page."}) +
         "</p>";
}

// The secret is in this POST's response only (never in a URL), with Cache-Control: no-store.
http::Response CreateSecret(PageCall& c) {
  auto app = LoadApp(c);
  if (!app) return c.Failure(kAppTitle, app.error());
  const std::string appid = JsonStr(*app, "appid");
  auto r = c.Api(Verb::post, kAppApi + "create_client_secret", json::object{{"appid", appid}});
  if (!r) {
    if (r.error().code == Errc::kBadRequest) {
      return AppPage(c, *app, std::string(c.T({"操作未完成：", "Not done: "})) + r.error().message,
                     400);
    }
    return c.Failure(kAppTitle, r.error());
  }
  const json::value secret = r->as_object().if_contains("client_secret")
                                 ? r->as_object().at("client_secret")
                                 : json::value(nullptr);
  constexpr Text kSecretTitle{"客户端密钥已创建", "Client secret created"};
  std::string body =
      "<h1>" + H(c, kSecretTitle) + "</h1>" + ShownOnceWarning(c) + "<p>" +
      Escape(JsonStr(*app, "name")) + " · <code>" + Escape(JsonStr(*app, "client_id")) +
      "</code></p><code class=\"secret\" "
      "id=\"new-secret\">" +
      Escape(JsonStr(secret, "plaintext")) + "</code>" + CopyButton(c, "new-secret") +
      "<p><a href=\"" + Escape(AppPath(c, appid)) + "\">" + H(c, kBackToApp) + "</a></p>";
  return c.Render(kSecretTitle, body);
}

// The private key is in this POST's response only: shown, copyable and downloadable as
// private_key.pem (a data: link), never stored on the server.
http::Response GenerateKey(PageCall& c) {
  auto app = LoadApp(c);
  if (!app) return c.Failure(kAppTitle, app.error());
  const std::string appid = JsonStr(*app, "appid");
  auto r = c.Api(Verb::post, kAppApi + "generate_key_pair", json::object{{"appid", appid}});
  if (!r) {
    if (r.error().code == Errc::kBadRequest || r.error().code == Errc::kAlreadyExists) {
      return AppPage(c, *app, std::string(c.T({"操作未完成：", "Not done: "})) + r.error().message,
                     400);
    }
    return c.Failure(kAppTitle, r.error());
  }
  const std::string pem = JsonStr(*r, "private_key_pem");
  constexpr Text kKeyTitle{"密钥对已生成", "Key pair generated"};
  std::string body =
      "<h1>" + H(c, kKeyTitle) + "</h1>" + ShownOnceWarning(c) + "<dl class=\"facts\">" +
      Fact(c, kAppId, "<code id=\"appid\">" + Escape(appid) + "</code>") +
      Fact(c, {"公钥指纹（kid）", "Fingerprint (kid)"},
           "<code id=\"new-kid\">" + Escape(JsonStr(*r, "fingerprint")) + "</code> " +
               CopyButton(c, "new-kid")) +
      "</dl><h2>" + H(c, {"私钥", "Private key"}) +
      "</h2><pre class=\"secret\" id=\"private-key\">" + Escape(pem) + "</pre>" +
      CopyButton(c, "private-key") +
      " <a class=\"button secondary\" id=\"download-private-key\" download=\"private_key.pem\" "
      "href=\"" +
      Escape("data:application/x-pem-file;charset=utf-8," + http::PercentEncode(pem)) + "\">" +
      H(c, {"下载私钥", "Download the private key"}) + "</a><h2>" + H(c, {"公钥", "Public key"}) +
      "</h2><pre class=\"secret\" id=\"public-key\">" + Escape(JsonStr(*r, "public_key_pem")) +
      "</pre><p><a href=\"" + Escape(AppPath(c, appid)) + "\">" + H(c, kBackToApp) + "</a></p>";
  return c.Render(kKeyTitle, body);
}

void AddAll(http::Router& router, api::Deps& deps, const std::string& prefix) {
  const std::string apps = prefix + "/open/oauth/apps";
  const std::string app = apps + "/{appid}";
  AddPage(router, deps, Verb::get, apps, List);
  AddPage(router, deps, Verb::post, apps, Create);
  AddPage(router, deps, Verb::get, app, ShowApp);
  AddPage(router, deps, Verb::post, app + "/edit", Edit);
  AddPage(router, deps, Verb::post, app + "/status", SetStatus);
  AddPage(router, deps, Verb::post, app + "/delete", DeleteApp);
  AddPage(router, deps, Verb::post, app + "/secrets", CreateSecret);
  AddPage(router, deps, Verb::post, app + "/secrets/delete", DeleteSecret);
  AddPage(router, deps, Verb::post, app + "/keys", UploadKey);
  AddPage(router, deps, Verb::post, app + "/keys/generate", GenerateKey);
  AddPage(router, deps, Verb::post, app + "/keys/delete", DeleteKey);
  AddPage(router, deps, Verb::post, prefix + "/open/oauth/authorizations/revoke",
          RevokeAuthorization);
  AddPage(router, deps, Verb::post, prefix + "/open/oauth/authorizations/revoke-consent",
          RevokeConsent);
}

}  // namespace

void RegisterAppPages(http::Router& router, api::Deps& deps) {
  AddAll(router, deps, "");
  AddAll(router, deps, "/enterprise/{enterprise_id}");
}

}  // namespace cozeauth::console
