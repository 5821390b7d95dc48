// The enterprise pages of the console (issue 12) and the 成员与角色 JSON API they use, over HTTP
// against the real binary, on the Coze guide's setup (tests/support/guide_world.hpp: user_ is
// super_admin of ent_, jwt_app_ is authorized enterprise-wide there, ent_pat_ is the user's
// enterprise PAT "prod"):
//
//   /enterprise/{id}/open/oauth/installations  应用安装管理: list, disable / enable, uninstall;
//   /enterprise/{id}/members                   成员与角色: list, add, change role, remove;
//   /enterprise/{id}/personal-resources        个人账号资源授权: list, authorize, revoke;
//   /api/console/members/…                     who may change which members
//   (console/member_routes.cpp).
//
// Each page in zh-CN and en; each form's effect checked through the JSON API; a plain member gets
// no admin page and cannot post its forms; another enterprise's objects are unreachable; a form
// without the CSRF token changes nothing; hostile names render escaped.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cctype>
#include <cstdio>
#include <string>
#include <vector>

#include "support/console_browser.hpp"
#include "support/guide_world.hpp"
#include "support/openapi_expect.hpp"

namespace cozeauth::it {
namespace {
namespace json = boost::json;

const std::string kMembersApi = "/api/console/members/";
const std::string kInstallationsApi = "/api/permission_api/app/list_app_installations";
const std::string kCandidatesApi =
    "/api/permission_api/app/get_apps_and_patlist_for_personalaccountpermission_authorization";

// A hostile display name: markup, both quotes and a right-to-left override (U+202E).
const std::string kHostile =
    "<script>alert(1)</script>\"'\xE2\x80\xAE"
    "evil";

std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += k + '=';
    for (unsigned char ch : v) {
      if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
        out += static_cast<char>(ch);
      } else {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%%%02X", ch);
        out += buf;
      }
    }
  }
  return out;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Every U+202E in `html` sits inside a <bdi> element, and no hostile markup is raw.
::testing::AssertionResult HostileEscaped(const std::string& html) {
  if (Contains(html, "<script>alert")) {
    return ::testing::AssertionFailure() << "raw <script> in the page";
  }
  if (!Contains(html, "&lt;script&gt;alert(1)&lt;/script&gt;")) {
    return ::testing::AssertionFailure() << "the hostile name is not shown escaped";
  }
  for (size_t at = html.find("\xE2\x80\xAE"); at != std::string::npos;
       at = html.find("\xE2\x80\xAE", at + 1)) {
    const size_t open = html.rfind("<bdi>", at);
    const size_t close = html.rfind("</bdi>", at);
    const bool inside_attribute = html.rfind('"', at) > html.rfind('>', at);
    if (!inside_attribute &&
        (open == std::string::npos || (close != std::string::npos && close > open))) {
      return ::testing::AssertionFailure() << "U+202E outside <bdi> at " << at;
    }
  }
  return ::testing::AssertionSuccess();
}

class EnterprisePages : public GuideWorld {
 protected:
  void SetUp() override {
    GuideWorld::SetUp();
    if (HasFatalFailure()) return;
    admin_ = LoginBrowser(http_, user_);
    team_ws_ = scenario_.CreateWorkspace(ent_.default_org_account_id, user_.id, "Team space");
  }

  std::string Ent(const std::string& suffix) const { return "/enterprise/" + ent_.id + suffix; }

  HttpResponse Page(const ConsoleBrowser& b, const std::string& path,
                    const std::string& lang = "zh") const {
    return http_.Get(path + (path.find('?') == std::string::npos ? "?" : "&") + "lang=" + lang,
                     b.Read());
  }
  // A form post as the browser sends it, with the session's CSRF token unless `csrf` says
  // otherwise ("-" = none).
  HttpResponse Form(const ConsoleBrowser& b, const std::string& path,
                    std::vector<std::pair<std::string, std::string>> fields,
                    const std::string& csrf = "") const {
    if (csrf != "-") fields.insert(fields.begin(), {"csrf_token", csrf.empty() ? b.csrf : csrf});
    return http_.Post(path, FormEncode(fields), b.Read(), "application/x-www-form-urlencoded");
  }
  HttpResponse Api(const ConsoleBrowser& b, const std::string& call, const json::object& body) {
    return http_.PostJson(kMembersApi + call, body, b.Write());
  }
  HttpResponse MemberList(const ConsoleBrowser& b, const std::string& ent) {
    return http_.Get(kMembersApi + "list?enterprise_id=" + ent, b.Read());
  }
  json::value Installations(const ConsoleBrowser& b) {
    return Path(OkBody(http_.Get(kInstallationsApi + "?enterprise_id=" + ent_.id, b.Read())),
                "data.installations");
  }
  json::value Candidates(const ConsoleBrowser& b) {
    return Path(OkBody(http_.PostJson(kCandidatesApi,
                                      json::object{{"enterprise_id", ent_.id}, {"page_size", 100}},
                                      b.Write())),
                "data.crossaccount_authinfo");
  }

  // A new user who is `role` of ent_ (through the operator CLI).
  UserInfo EnterpriseUser(const std::string& label, const std::string& role) {
    UserInfo u = scenario_.CreateUser(label);
    scenario_.cli().Must(
        {"enterprise", "add-member", "--enterprise", ent_.id, "--user", u.id, "--role", role});
    return u;
  }

  // The role of `user_id` in a members list `group` (an array of member objects); "" if absent.
  static std::string RoleIn(const json::value& group, const std::string& user_id) {
    for (const auto& m : group.as_array()) {
      if (m.at("user_id").as_string() == user_id) return std::string(m.at("role").as_string());
    }
    return {};
  }
  std::string EnterpriseRole(const std::string& user_id) {
    return RoleIn(Path(OkBody(MemberList(admin_, ent_.id)), "data.members"), user_id);
  }
  std::string WorkspaceRole(const std::string& user_id) {
    const json::value data = Path(OkBody(MemberList(admin_, ent_.id)), "data");
    for (const auto& w : data.at("workspaces").as_array()) {
      if (w.at("workspace_id").as_string() == team_ws_) return RoleIn(w.at("members"), user_id);
    }
    return "(no workspace)";
  }

  ConsoleBrowser admin_;
  std::string team_ws_;
};

// ============================================================ 应用安装管理

TEST_F(EnterprisePages, InstallationsListTheEnterpriseWideAppWithScopeAndWhoInBothLanguages) {
  const json::value list = Installations(admin_);
  ASSERT_EQ(list.as_array().size(), 1u);
  const std::string app_name = Str(list.as_array()[0], "app_name");

  auto zh = Page(admin_, Ent("/open/oauth/installations"));
  ASSERT_EQ(zh.status, 200u) << zh.Describe();
  EXPECT_TRUE(Contains(zh.body, "<html lang=\"zh-CN\""));
  EXPECT_TRUE(Contains(zh.body, "<h1>应用安装管理</h1>"));
  EXPECT_TRUE(Contains(zh.body, app_name));
  EXPECT_TRUE(Contains(zh.body, jwt_app_.id));
  EXPECT_TRUE(Contains(zh.body, "已安装 AppAuth"));
  EXPECT_TRUE(Contains(zh.body, "所有工作空间"));
  EXPECT_TRUE(Contains(zh.body, "<bdi>" + user_.name + "</bdi>"));  // who authorized
  EXPECT_TRUE(Contains(zh.body, "id=\"disable-note\""));
  EXPECT_TRUE(Contains(zh.body, "name=\"csrf_token\""));

  auto en = Page(admin_, Ent("/open/oauth/installations"), "en");
  ASSERT_EQ(en.status, 200u) << en.Describe();
  EXPECT_TRUE(Contains(en.body, "<h1>App installation management</h1>"));
  EXPECT_TRUE(Contains(en.body, "Installed (AppAuth)"));
  EXPECT_TRUE(Contains(en.body, "all workspaces (present and future)"));
  EXPECT_TRUE(Contains(en.body, "Disable pauses an installation without deleting it"));
}

TEST_F(EnterprisePages, InstallationsNameTheListedWorkspacesAndTheOboInstall) {
  const std::string ws2 = scenario_.CreateWorkspace(ent_.default_org_account_id, user_.id, "Sales");
  AppInfo listed = scenario_.CreateApp({.owner = user_.id, .name = "listed-app"});
  scenario_.AuthorizeApp(listed.id, user_.id, ent_.id, "app", {.workspaces = ws2});
  AppInfo web = scenario_.CreateApp({.owner = user_.id, .name = "web-app", .client_type = "web"});
  scenario_.AuthorizeApp(web.id, user_.id, ent_.id, "obo");

  auto zh = Page(admin_, Ent("/open/oauth/installations"));
  ASSERT_EQ(zh.status, 200u) << zh.Describe();
  EXPECT_TRUE(Contains(zh.body, "listed-app"));
  EXPECT_TRUE(Contains(zh.body, "工作空间：<bdi>Sales</bdi>"));
  EXPECT_TRUE(Contains(zh.body, "web-app"));
  EXPECT_TRUE(Contains(zh.body, "已安装 OBO"));
}

TEST_F(EnterprisePages, UninstallRemovesTheInstallation) {
  AppInfo web = scenario_.CreateApp({.owner = user_.id, .name = "web-app", .client_type = "web"});
  const std::string obo = scenario_.AuthorizeApp(web.id, user_.id, ent_.id, "obo");
  std::string app_auth;
  const json::value installed = Installations(admin_);
  for (const auto& i : installed.as_array()) {
    if (Str(i, "installation_status") == "approved_app_auth") app_auth = Str(i, "authorization_id");
  }
  ASSERT_FALSE(app_auth.empty());
  ASSERT_EQ(Installations(admin_).as_array().size(), 2u);

  for (const auto& id : {obo, app_auth}) {
    auto res = Form(admin_, Ent("/open/oauth/installations/uninstall"), {{"authorization_id", id}});
    ASSERT_EQ(res.status, 303u) << res.Describe();
    EXPECT_EQ(res.Header("Location"), Ent("/open/oauth/installations?notice=uninstalled"));
  }
  EXPECT_TRUE(Installations(admin_).as_array().empty());
  auto page = Page(admin_, Ent("/open/oauth/installations?notice=uninstalled"), "en");
  EXPECT_TRUE(Contains(page.body, "id=\"notice\""));
  EXPECT_TRUE(Contains(page.body, "id=\"no-installations\""));
  // The enterprise token of the uninstalled app stops working.
  EXPECT_TRUE(Becomes([&] { return BotAs(enterprise_jwt_); }, 4100));
}

TEST_F(EnterprisePages, DisableSuspendsTheInstallationsTokensAndEnableRestoresThem) {
  const std::string auth_id = Str(Installations(admin_).as_array()[0], "authorization_id");
  // The page's write is the server's own: it moves the auth epoch before answering, so each
  // check below holds on the very next request.
  auto reach = [&] { return http_.Get("/v1/workspaces", Bearer(enterprise_jwt_)); };
  ASSERT_TRUE(IsOk(reach())) << reach().Describe();
  auto res = Form(admin_, Ent("/open/oauth/installations/status"),
                  {{"authorization_id", auth_id}, {"status", "Deactive"}});
  ASSERT_EQ(res.status, 303u) << res.Describe();
  EXPECT_EQ(res.Header("Location"), Ent("/open/oauth/installations?notice=disabled"));
  EXPECT_EQ(Str(Installations(admin_).as_array()[0], "status"), "Deactive");
  auto zh = Page(admin_, Ent("/open/oauth/installations?notice=disabled"));
  ASSERT_EQ(zh.status, 200u) << zh.Describe();
  EXPECT_TRUE(Contains(zh.body, "已停用。它的访问令牌暂停使用"));  // the notice
  EXPECT_TRUE(Contains(zh.body, "<span class=\"status-disabled\">已停用</span>"));
  EXPECT_TRUE(Contains(zh.body, "id=\"enable-" + auth_id + "\""));
  EXPECT_FALSE(Contains(zh.body, "id=\"disable-" + auth_id + "\""));
  EXPECT_TRUE(IsCozeError(reach(), 4100)) << reach().Describe();

  res = Form(admin_, Ent("/open/oauth/installations/status"),
             {{"authorization_id", auth_id}, {"status", "Active"}});
  ASSERT_EQ(res.status, 303u) << res.Describe();
  EXPECT_EQ(res.Header("Location"), Ent("/open/oauth/installations?notice=enabled"));
  EXPECT_EQ(Str(Installations(admin_).as_array()[0], "status"), "Active");
  // The same token works again: it was suspended, not revoked.
  EXPECT_TRUE(IsOk(reach())) << reach().Describe();

  // A status the API does not know is refused and changes nothing.
  res = Form(admin_, Ent("/open/oauth/installations/status"),
             {{"authorization_id", auth_id}, {"status", "Paused"}});
  EXPECT_EQ(res.status, 400u) << res.Describe();
  EXPECT_EQ(Str(Installations(admin_).as_array()[0], "status"), "Active");
}

TEST_F(EnterprisePages, AnotherEnterprisesInstallationCannotBeReachedOrUninstalled) {
  UserInfo other = scenario_.CreateUser("other-owner");
  EnterpriseInfo ent2 = scenario_.CreateEnterprise("Other Co", other.id);
  AppInfo app2 = scenario_.CreateApp({.owner = other.id, .name = "their-app"});
  const std::string auth2 = scenario_.AuthorizeApp(app2.id, other.id, ent2.id, "app");

  EXPECT_EQ(Page(admin_, "/enterprise/" + ent2.id + "/open/oauth/installations").status, 404u);
  auto res =
      Form(admin_, Ent("/open/oauth/installations/uninstall"), {{"authorization_id", auth2}});
  EXPECT_EQ(res.status, 404u) << res.Describe();
  res = Form(admin_, "/enterprise/" + ent2.id + "/open/oauth/installations/uninstall",
             {{"authorization_id", auth2}});
  EXPECT_EQ(res.status, 404u) << res.Describe();
  ConsoleBrowser them = LoginBrowser(http_, other);
  auto theirs = http_.Get(kInstallationsApi + "?enterprise_id=" + ent2.id, them.Read());
  EXPECT_EQ(Path(OkBody(theirs), "data.installations").as_array().size(), 1u);
  EXPECT_FALSE(Contains(Page(admin_, Ent("/open/oauth/installations")).body, "their-app"));
}

TEST_F(EnterprisePages, PlainMemberGetsNoAdminPageAndCannotPostTheForms) {
  UserInfo member = EnterpriseUser("plain", "member");
  ConsoleBrowser m = LoginBrowser(http_, member);
  const std::string auth_id = Str(Installations(admin_).as_array()[0], "authorization_id");

  for (const auto* path : {"/open/oauth/installations", "/members", "/personal-resources"}) {
    auto res = Page(m, Ent(path));
    EXPECT_EQ(res.status, 403u) << path << " " << res.Describe();
  }
  // The navigation does not offer the admin-only installation page.
  const std::string home = Page(m, Ent("")).body;
  EXPECT_FALSE(Contains(home, Ent("/open/oauth/installations")));
  EXPECT_FALSE(Contains(home, Ent("/personal-resources")));

  EXPECT_EQ(
      Form(m, Ent("/open/oauth/installations/uninstall"), {{"authorization_id", auth_id}}).status,
      403u);
  EXPECT_EQ(Form(m, Ent("/open/oauth/installations/status"),
                 {{"authorization_id", auth_id}, {"status", "Deactive"}})
                .status,
            403u);
  EXPECT_EQ(Str(Installations(admin_).as_array()[0], "status"), "Active");
  EXPECT_EQ(Form(m, Ent("/members/add"),
                 {{"scope", "enterprise"}, {"user", member.email}, {"role", "admin"}})
                .status,
            403u);
  EXPECT_EQ(Form(m, Ent("/members/role"),
                 {{"scope", "enterprise"}, {"user_id", member.id}, {"role", "super_admin"}})
                .status,
            403u);
  EXPECT_EQ(Form(m, Ent("/personal-resources/authorize"), {{"item", "pat:" + ent_pat_.id}}).status,
            403u);
  EXPECT_EQ(Installations(admin_).as_array().size(), 1u);
  EXPECT_EQ(EnterpriseRole(member.id), "member");
}

TEST_F(EnterprisePages, FormsWithoutTheCsrfTokenChangeNothing) {
  const std::string auth_id = Str(Installations(admin_).as_array()[0], "authorization_id");
  UserInfo newcomer = scenario_.CreateUser("newcomer");
  for (const std::string csrf : {"-", "wrong-token"}) {
    auto res = Form(admin_, Ent("/open/oauth/installations/uninstall"),
                    {{"authorization_id", auth_id}}, csrf);
    EXPECT_EQ(res.status, 403u) << res.Describe();
    res = Form(admin_, Ent("/members/add"),
               {{"scope", "enterprise"}, {"user", newcomer.email}, {"role", "member"}}, csrf);
    EXPECT_EQ(res.status, 403u) << res.Describe();
    res =
        Form(admin_, Ent("/personal-resources/authorize"), {{"item", "pat:" + ent_pat_.id}}, csrf);
    EXPECT_EQ(res.status, 403u) << res.Describe();
  }
  EXPECT_EQ(Installations(admin_).as_array().size(), 1u);
  EXPECT_EQ(EnterpriseRole(newcomer.id), "");
  const json::value candidates = Candidates(admin_);
  for (const auto& c : candidates.as_array()) EXPECT_FALSE(c.at("is_authorized").as_bool());
}

TEST_F(EnterprisePages, HostileAppNameRendersEscaped) {
  AppInfo app = scenario_.CreateApp({.owner = user_.id, .name = kHostile});
  scenario_.AuthorizeApp(app.id, user_.id, ent_.id, "app");
  for (const auto* lang : {"zh", "en"}) {
    auto res = Page(admin_, Ent("/open/oauth/installations"), lang);
    ASSERT_EQ(res.status, 200u);
    EXPECT_TRUE(HostileEscaped(res.body)) << lang;
  }
}

// ============================================================ 成员与角色 (page)

TEST_F(EnterprisePages, MembersPageListsTheEnterpriseItsOrganizationAndWorkspaces) {
  UserInfo member = EnterpriseUser("bob", "member");
  scenario_.AddWorkspaceMember(team_ws_, member.id, "admin");

  auto zh = Page(admin_, Ent("/members"));
  ASSERT_EQ(zh.status, 200u) << zh.Describe();
  EXPECT_TRUE(Contains(zh.body, "<h1>成员与角色</h1>"));
  EXPECT_TRUE(Contains(zh.body, "id=\"members-enterprise-" + ent_.id + "\""));
  EXPECT_TRUE(Contains(zh.body, "id=\"members-organization-" + ent_.default_org_account_id + "\""));
  EXPECT_TRUE(Contains(zh.body, "id=\"members-workspace-" + team_ws_ + "\""));
  EXPECT_TRUE(Contains(zh.body, "<bdi>Team space</bdi>"));
  // The default organization's members are the enterprise's: roles change there, members not.
  EXPECT_FALSE(Contains(zh.body, "id=\"add-organization-" + ent_.default_org_account_id + "\""));
  EXPECT_TRUE(Contains(zh.body, "id=\"add-enterprise-" + ent_.id + "\""));
  EXPECT_TRUE(Contains(zh.body, "id=\"add-workspace-" + team_ws_ + "\""));
  EXPECT_TRUE(Contains(zh.body, "<bdi>" + member.email + "</bdi>"));
  EXPECT_TRUE(Contains(zh.body, "超级管理员"));
  EXPECT_TRUE(Contains(zh.body, "所有者（不可更改）"));
  EXPECT_TRUE(Contains(zh.body, "id=\"member-workspace-" + team_ws_ + "-" + member.id + "\""));

  auto en = Page(admin_, Ent("/members"), "en");
  ASSERT_EQ(en.status, 200u);
  EXPECT_TRUE(Contains(en.body, "<h1>Members and roles</h1>"));
  EXPECT_TRUE(Contains(en.body, "Enterprise members"));
  EXPECT_TRUE(Contains(en.body, "Super admin"));
  EXPECT_TRUE(Contains(en.body, "Add an existing user (email or user id)"));
}

TEST_F(EnterprisePages, MemberFormsAddChangeAndRemove) {
  UserInfo carol = scenario_.CreateUser("carol");
  auto res = Form(admin_, Ent("/members/add"),
                  {{"scope", "enterprise"}, {"user", carol.email}, {"role", "member"}});
  ASSERT_EQ(res.status, 303u) << res.Describe();
  EXPECT_EQ(res.Header("Location"), Ent("/members?notice=member-added"));
  EXPECT_EQ(EnterpriseRole(carol.id), "member");

  res = Form(
      admin_, Ent("/members/add"),
      {{"scope", "workspace"}, {"workspace_id", team_ws_}, {"user", carol.id}, {"role", "member"}});
  ASSERT_EQ(res.status, 303u) << res.Describe();
  EXPECT_EQ(WorkspaceRole(carol.id), "member");

  res = Form(admin_, Ent("/members/role"),
             {{"scope", "enterprise"}, {"user_id", carol.id}, {"role", "admin"}});
  ASSERT_EQ(res.status, 303u) << res.Describe();
  EXPECT_EQ(EnterpriseRole(carol.id), "admin");
  EXPECT_TRUE(
      Contains(Page(admin_, Ent("/members?notice=role-changed"), "en").body, "Role changed."));

  res = Form(admin_, Ent("/members/remove"), {{"scope", "enterprise"}, {"user_id", carol.id}});
  ASSERT_EQ(res.status, 303u) << res.Describe();
  EXPECT_EQ(EnterpriseRole(carol.id), "");
  EXPECT_EQ(WorkspaceRole(carol.id), "");  // removal from the enterprise empties its workspaces

  // An unknown user is refused on a page that says why.
  res = Form(admin_, Ent("/members/add"),
             {{"scope", "enterprise"}, {"user", "nobody@nowhere.test"}, {"role", "member"}});
  EXPECT_EQ(res.status, 404u) << res.Describe();
  EXPECT_TRUE(Contains(res.body, "id=\"form-error\""));
}

TEST_F(EnterprisePages, WorkspaceAdminManagesOnlyTheirWorkspace) {
  UserInfo dave = EnterpriseUser("dave", "member");
  UserInfo erin = EnterpriseUser("erin", "member");
  scenario_.AddWorkspaceMember(team_ws_, dave.id, "admin");
  ConsoleBrowser d = LoginBrowser(http_, dave);

  auto page = Page(d, Ent("/members"));
  ASSERT_EQ(page.status, 200u) << page.Describe();
  EXPECT_TRUE(Contains(page.body, "id=\"members-workspace-" + team_ws_ + "\""));
  EXPECT_FALSE(Contains(page.body, "id=\"members-enterprise-"));
  EXPECT_FALSE(Contains(page.body, "id=\"members-organization-"));

  auto res = Form(d, Ent("/members/add"),
                  {{"scope", "workspace"},
                   {"workspace_id", team_ws_},
                   {"user", erin.email},
                   {"role", "member"}});
  ASSERT_EQ(res.status, 303u) << res.Describe();
  EXPECT_EQ(WorkspaceRole(erin.id), "member");
  res = Form(d, Ent("/members/role"),
             {{"scope", "enterprise"}, {"user_id", erin.id}, {"role", "admin"}});
  EXPECT_EQ(res.status, 403u);
  EXPECT_EQ(EnterpriseRole(erin.id), "member");
}

TEST_F(EnterprisePages, HostileMemberNameRendersEscaped) {
  auto r = scenario_.cli().Must({"user", "create", "--name", kHostile, "--email",
                                 "hostile-" + RandomAlnum(6) + "@cozeauth.test", "--password",
                                 "Hostile-Pw-1"});
  const std::string id = r.Str({"id", "user_id"});
  scenario_.cli().Must(
      {"enterprise", "add-member", "--enterprise", ent_.id, "--user", id, "--role", "member"});
  for (const auto* lang : {"zh", "en"}) {
    auto res = Page(admin_, Ent("/members"), lang);
    ASSERT_EQ(res.status, 200u);
    EXPECT_TRUE(HostileEscaped(res.body)) << lang;
  }
}

// ============================================================ 个人账号资源授权

TEST_F(EnterprisePages, PersonalResourcesListTheEnterprisePatAndAppWithTheRules) {
  auto zh = Page(admin_, Ent("/personal-resources"));
  ASSERT_EQ(zh.status, 200u) << zh.Describe();
  EXPECT_TRUE(Contains(zh.body, "<h1>个人账号资源授权</h1>"));
  EXPECT_TRUE(Contains(zh.body, "id=\"candidate-pat-" + ent_pat_.id + "\""));
  EXPECT_TRUE(Contains(zh.body, "id=\"candidate-app-" + jwt_app_.id + "\""));
  EXPECT_TRUE(Contains(zh.body, "<bdi>prod</bdi>"));
  EXPECT_TRUE(Contains(zh.body, "个人访问令牌 PAT"));
  EXPECT_TRUE(Contains(zh.body, "应用程序 AppAuth"));
  EXPECT_TRUE(Contains(zh.body, "未授权"));
  EXPECT_TRUE(Contains(zh.body, "只能授权个人访问令牌（PAT）和 AppAuth 应用"));
  EXPECT_TRUE(Contains(zh.body, "只开放账号级权限点"));
  EXPECT_TRUE(Contains(zh.body, user_.id));           // the personal account's UID
  EXPECT_FALSE(Contains(zh.body, personal_pat_.id));  // a personal PAT is no candidate

  auto en = Page(admin_, Ent("/personal-resources"), "en");
  ASSERT_EQ(en.status, 200u);
  EXPECT_TRUE(Contains(en.body, "<h1>Personal account resource authorization</h1>"));
  EXPECT_TRUE(Contains(en.body, "Only personal access tokens (PAT) and AppAuth apps"));
  EXPECT_TRUE(Contains(en.body, "Only account-level points are opened"));
  EXPECT_TRUE(Contains(en.body, "Not authorized"));
}

TEST_F(EnterprisePages, AuthorizeAndRevokeThroughTheForms) {
  auto authorized = [&](const std::string& type, const std::string& id) {
    const json::value candidates = Candidates(admin_);
    for (const auto& c : candidates.as_array()) {
      if (c.at("type").as_string() == type && c.at("id").as_string() == id) {
        return c.at("is_authorized").as_bool();
      }
    }
    ADD_FAILURE() << type << " " << id << " is no candidate";
    return false;
  };
  // The batch form: both at once.
  auto res = Form(admin_, Ent("/personal-resources/authorize"),
                  {{"item", "pat:" + ent_pat_.id}, {"item", "app:" + jwt_app_.id}});
  ASSERT_EQ(res.status, 303u) << res.Describe();
  EXPECT_EQ(res.Header("Location"), Ent("/personal-resources?notice=authorized"));
  EXPECT_TRUE(authorized("pat", ent_pat_.id));
  EXPECT_TRUE(authorized("app", jwt_app_.id));
  auto page = Page(admin_, Ent("/personal-resources"), "en");
  EXPECT_TRUE(Contains(page.body, "id=\"revoke-pat-" + ent_pat_.id + "\""));
  // The enterprise PAT now continues the personal conversation.
  EXPECT_TRUE(Becomes([&] { return ConversationAs(ent_pat_.token); }, 0));

  res = Form(admin_, Ent("/personal-resources/revoke"), {{"item", "pat:" + ent_pat_.id}});
  ASSERT_EQ(res.status, 303u) << res.Describe();
  EXPECT_EQ(res.Header("Location"), Ent("/personal-resources?notice=revoked"));
  EXPECT_FALSE(authorized("pat", ent_pat_.id));
  EXPECT_TRUE(authorized("app", jwt_app_.id));

  // The API refuses what the page never offers: a service token type, nothing chosen.
  res = Form(admin_, Ent("/personal-resources/authorize"), {{"item", "sat:" + ent_pat_.id}});
  EXPECT_EQ(res.status, 400u) << res.Describe();
  res = Form(admin_, Ent("/personal-resources/authorize"), {});
  EXPECT_EQ(res.status, 400u) << res.Describe();
}

TEST_F(EnterprisePages, HostilePatNameRendersEscapedOnTheResourcesPage) {
  scenario_.CreatePat(user_.id, {.account_id = ent_.default_org_account_id, .name = kHostile});
  for (const auto* lang : {"zh", "en"}) {
    auto res = Page(admin_, Ent("/personal-resources"), lang);
    ASSERT_EQ(res.status, 200u);
    EXPECT_TRUE(HostileEscaped(res.body)) << lang;
  }
}

// ============================================================ 成员与角色 (JSON API)

class MemberRoutes : public EnterprisePages {
 protected:
  json::object Body(const std::string& scope, json::object extra) {
    json::object b{{"enterprise_id", ent_.id}, {"scope", scope}};
    for (auto& kv : extra) b[kv.key()] = kv.value();
    return b;
  }
};

TEST_F(MemberRoutes, AdminAddsByEmailOrIdChangesAndRemoves) {
  UserInfo a = scenario_.CreateUser("a");
  UserInfo b = scenario_.CreateUser("b");
  EXPECT_TRUE(IsOk(Api(admin_, "add", Body("enterprise", {{"user", a.email}, {"role", "admin"}}))));
  EXPECT_TRUE(IsOk(Api(admin_, "add", Body("enterprise", {{"user", b.id}, {"role", "member"}}))));
  EXPECT_EQ(EnterpriseRole(a.id), "admin");
  EXPECT_EQ(EnterpriseRole(b.id), "member");
  // Adding twice is 4201; updating someone who is not a member is 4200.
  EXPECT_TRUE(IsCozeError(
      Api(admin_, "add", Body("enterprise", {{"user", b.id}, {"role", "member"}})), 4201));
  UserInfo stranger = scenario_.CreateUser("stranger");
  EXPECT_TRUE(IsCozeError(Api(admin_, "update_role",
                              Body("enterprise", {{"user_id", stranger.id}, {"role", "member"}})),
                          4200));
  // Organization scope: the default organization follows the enterprise role.
  const json::value data = Path(OkBody(MemberList(admin_, ent_.id)), "data");
  EXPECT_EQ(RoleIn(data.at("organizations").as_array()[0].at("members"), a.id), "admin");
  EXPECT_TRUE(IsOk(Api(admin_, "update_role",
                       Body("organization", {{"organization_id", ent_.default_org_account_id},
                                             {"user_id", a.id},
                                             {"role", "member"}}))));
  EXPECT_TRUE(IsOk(Api(admin_, "remove", Body("enterprise", {{"user_id", b.id}}))));
  EXPECT_EQ(EnterpriseRole(b.id), "");

  // Every change is in the enterprise's audit log, newest first, by the admin who made it;
  // the refusals above are not.
  auto audit = http_.Get("/api/permission_api/observe/audit?enterprise_id=" + ent_.id +
                             "&action=member.&actor=" + user_.id,
                         admin_.Read());
  ASSERT_TRUE(IsOk(audit)) << audit.Describe();
  const json::value body = OkBody(audit);
  std::vector<std::string> events;
  for (const auto& e : Path(body, "data.events").as_array()) {
    events.push_back(Str(e, "action") + " " + Str(e, "target_id"));
  }
  EXPECT_EQ(events,
            (std::vector<std::string>{"member.removed " + b.id, "member.role_set " + a.id,
                                      "member.role_set " + b.id, "member.role_set " + a.id}))
      << audit.Describe();
}

TEST_F(MemberRoutes, PlainMemberAndOutsidersAreRefused) {
  UserInfo member = EnterpriseUser("plain", "member");
  UserInfo other = scenario_.CreateUser("other");
  ConsoleBrowser m = LoginBrowser(http_, member);
  EXPECT_TRUE(IsCozeError(MemberList(m, ent_.id), 4101));
  EXPECT_TRUE(IsCozeError(
      Api(m, "add", Body("enterprise", {{"user", other.id}, {"role", "member"}})), 4101));
  EXPECT_TRUE(IsCozeError(
      Api(m, "update_role", Body("enterprise", {{"user_id", member.id}, {"role", "admin"}})),
      4101));
  EXPECT_TRUE(IsCozeError(
      Api(m, "add",
          Body("workspace", {{"workspace_id", team_ws_}, {"user", member.id}, {"role", "admin"}})),
      4101));
  EXPECT_EQ(EnterpriseRole(member.id), "member");
  EXPECT_EQ(EnterpriseRole(other.id), "");

  // Someone outside the enterprise gets the same 4101 for it as for an unknown one.
  ConsoleBrowser o = LoginBrowser(http_, other);
  EXPECT_TRUE(IsCozeError(MemberList(o, ent_.id), 4101));
  EXPECT_TRUE(IsCozeError(MemberList(o, "ent_9999999999999999999"), 4101));
  EXPECT_TRUE(IsCozeError(
      Api(o, "add", Body("enterprise", {{"user", other.id}, {"role", "super_admin"}})), 4101));
}

TEST_F(MemberRoutes, AdminCannotTouchSuperAdminsAndNobodyChangesTheOwners) {
  UserInfo admin = EnterpriseUser("admin", "admin");
  UserInfo super2 = EnterpriseUser("super2", "super_admin");
  UserInfo x = EnterpriseUser("x", "member");
  ConsoleBrowser a = LoginBrowser(http_, admin);
  EXPECT_TRUE(IsCozeError(
      Api(a, "update_role", Body("enterprise", {{"user_id", x.id}, {"role", "super_admin"}})),
      4101));
  EXPECT_TRUE(IsCozeError(
      Api(a, "update_role", Body("enterprise", {{"user_id", super2.id}, {"role", "member"}})),
      4101));
  EXPECT_TRUE(IsCozeError(Api(a, "remove", Body("enterprise", {{"user_id", super2.id}})), 4101));
  EXPECT_TRUE(
      IsOk(Api(a, "update_role", Body("enterprise", {{"user_id", x.id}, {"role", "admin"}}))));
  // The enterprise's owner, even for a super_admin.
  EXPECT_TRUE(IsCozeError(
      Api(admin_, "update_role", Body("enterprise", {{"user_id", user_.id}, {"role", "admin"}})),
      4000));
  EXPECT_TRUE(
      IsCozeError(Api(admin_, "remove", Body("enterprise", {{"user_id", user_.id}})), 4000));
  // A workspace's owner.
  EXPECT_TRUE(IsCozeError(
      Api(admin_, "update_role",
          Body("workspace",
               {{"workspace_id", team_ws_}, {"user_id", user_.id}, {"role", "member"}})),
      4000));
  // Someone who owns a workspace of the enterprise cannot be removed from it.
  const std::string theirs =
      scenario_.CreateWorkspace(ent_.default_org_account_id, x.id, "x's space");
  EXPECT_TRUE(IsCozeError(Api(admin_, "remove", Body("enterprise", {{"user_id", x.id}})), 4000));
  EXPECT_EQ(EnterpriseRole(super2.id), "super_admin");
  EXPECT_EQ(EnterpriseRole(user_.id), "super_admin");
  EXPECT_EQ(EnterpriseRole(x.id), "admin");
  (void)theirs;
}

TEST_F(MemberRoutes, TheLastSuperAdminStays) {
  // The operator demotes the owner; super2 is then the only super_admin.
  UserInfo super2 = EnterpriseUser("super2", "super_admin");
  scenario_.cli().Must(
      {"enterprise", "add-member", "--enterprise", ent_.id, "--user", user_.id, "--role", "admin"});
  ConsoleBrowser s = LoginBrowser(http_, super2);
  EXPECT_TRUE(IsCozeError(
      Api(s, "update_role", Body("enterprise", {{"user_id", super2.id}, {"role", "admin"}})),
      4000));
  EXPECT_TRUE(IsCozeError(Api(s, "remove", Body("enterprise", {{"user_id", super2.id}})), 4000));
  EXPECT_EQ(EnterpriseRole(super2.id), "super_admin");
}

TEST_F(MemberRoutes, AnotherEnterprisesWorkspaceAndOrganizationAreNotFound) {
  UserInfo other = scenario_.CreateUser("other-owner");
  EnterpriseInfo ent2 = scenario_.CreateEnterprise("Other Co", other.id);
  const std::string ws2 = scenario_.CreateWorkspace(ent2.default_org_account_id, other.id, "W2");
  UserInfo x = EnterpriseUser("x", "member");
  EXPECT_TRUE(IsCozeError(
      Api(admin_, "add",
          Body("workspace", {{"workspace_id", ws2}, {"user", x.id}, {"role", "member"}})),
      4200));
  EXPECT_TRUE(
      IsCozeError(Api(admin_, "add",
                      Body("organization", {{"organization_id", ent2.default_org_account_id},
                                            {"user", x.id},
                                            {"role", "member"}})),
                  4200));
  // A personal workspace is no workspace of the enterprise either.
  EXPECT_TRUE(IsCozeError(
      Api(admin_, "add",
          Body("workspace", {{"workspace_id", ws_}, {"user", x.id}, {"role", "member"}})),
      4200));
  // Nor can the admin of ent_ act in ent2.
  json::object b{
      {"enterprise_id", ent2.id}, {"scope", "enterprise"}, {"user", x.id}, {"role", "member"}};
  EXPECT_TRUE(IsCozeError(Api(admin_, "add", b), 4101));
}

TEST_F(MemberRoutes, WorkspaceRolesAndTheCsrfToken) {
  UserInfo x = EnterpriseUser("x", "member");
  UserInfo outsider = scenario_.CreateUser("outsider");
  // Only admin or member; only members of the enterprise.
  EXPECT_TRUE(IsCozeError(
      Api(admin_, "add",
          Body("workspace", {{"workspace_id", team_ws_}, {"user", x.id}, {"role", "owner"}})),
      4000));
  EXPECT_TRUE(IsCozeError(
      Api(admin_, "add",
          Body("workspace",
               {{"workspace_id", team_ws_}, {"user", outsider.id}, {"role", "member"}})),
      4000));
  // Without the CSRF header nothing is written.
  auto res = http_.PostJson(
      kMembersApi + "add",
      Body("workspace", {{"workspace_id", team_ws_}, {"user", x.id}, {"role", "member"}}),
      admin_.Read());
  EXPECT_EQ(res.status, 403u) << res.Describe();
  EXPECT_EQ(WorkspaceRole(x.id), "");
  EXPECT_TRUE(IsOk(
      Api(admin_, "add",
          Body("workspace", {{"workspace_id", team_ws_}, {"user", x.id}, {"role", "admin"}}))));
  EXPECT_EQ(WorkspaceRole(x.id), "admin");
  EXPECT_TRUE(IsOk(
      Api(admin_, "remove", Body("workspace", {{"workspace_id", team_ws_}, {"user_id", x.id}}))));
  EXPECT_EQ(WorkspaceRole(x.id), "");
}

}  // namespace
}  // namespace cozeauth::it
