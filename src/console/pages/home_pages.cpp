// The console's entry pages: `/` (the personal overview, with the guide's path through the
// console), `/enterprise/{enterprise_id}` (an enterprise's overview: its id, as the guide's
// enterpriseAccountId), `/account` (账号设置: the UID — the guide's personalAccountId), and
// sign-out.

#include "admin/operations.hpp"
#include "api/admin_env.hpp"
#include "console/pages/page.hpp"
#include "console/pages/pages.hpp"
#include "console/session.hpp"

namespace cozeauth::console {
namespace {

using http::Verb;

constexpr Text kOverview{"概览", "Overview"};
constexpr Text kEnterpriseOverview{"企业概览", "Enterprise overview"};
constexpr Text kAccount{"账号设置", "Account settings"};
constexpr Text kUid{"UID（个人账号 ID）", "UID (personal account id)"};
constexpr Text kName{"名称", "Name"};
constexpr Text kEmail{"邮箱", "Email"};
constexpr Text kCreated{"创建时间", "Created"};
constexpr Text kRole{"你的角色", "Your role"};
constexpr Text kEnterpriseId{"企业 ID", "Enterprise id"};
constexpr Text kEdition{"版本", "Edition"};
constexpr Text kOrganizations{"组织", "Organizations"};
constexpr Text kDefaultOrg{"默认组织", "default organization"};
constexpr Text kYourPlaces{"你所在的企业和团队", "Your enterprises and teams"};
constexpr Text kNoPlaces{"你还不属于任何企业或团队。",
                         "You do not belong to an enterprise or team yet."};
constexpr Text kGuide{"迁移指南的步骤", "The migration guide, step by step"};

std::string_view RoleLabel(const PageCall& c, domain::OrgRole r) {
  switch (r) {
    case domain::OrgRole::kSuperAdmin:
      return c.T({"超级管理员", "Super admin"});
    case domain::OrgRole::kAdmin:
      return c.T({"管理员", "Admin"});
    case domain::OrgRole::kMember:
      return c.T({"成员", "Member"});
    case domain::OrgRole::kGuest:
      return c.T({"访客", "Guest"});
  }
  return "";
}

std::string EditionName(const PageCall& c, domain::Edition e) {
  return std::string(
      c.T(e == domain::Edition::kTeam ? Text{"团队版", "Team"} : Text{"企业版", "Enterprise"}));
}

std::string Fact(const PageCall& c, const Text& label, const std::string& value_html) {
  return "<dt>" + Escape(c.T(label)) + "</dt><dd>" + value_html + "</dd>";
}

std::string Link(std::string_view href, std::string_view text) {
  return "<a href=\"" + Escape(href) + "\">" + Escape(text) + "</a>";
}

// The guide's steps as links into the console: on the personal side, then as the
// administrator of `admin_of` (an enterprise the user administers, if any).
std::string GuideSteps(const PageCall& c, const EnterpriseContext* admin_of) {
  const std::string ent = admin_of ? "/enterprise/" + admin_of->enterprise.id : "";
  auto step = [&](const Text& text, const std::string& href) {
    return "<li>" + (href.empty() ? Escape(c.T(text)) : Link(href, c.T(text))) + "</li>";
  };
  std::string out = "<h2>" + Escape(c.T(kGuide)) + "</h2><ol class=\"steps\">";
  out += step({"在「OAuth 应用」中找到应用，点击分享图标复制分享链接",
               "In OAuth apps, find the app and copy its share link (the share icon)"},
              "/open/oauth/apps");
  out += step({"企业管理员打开分享链接，授权范围选择「企业」、工作空间选择「所有工作空间」，并在「"
               "应用安装管理」中确认",
               "As the enterprise admin, open the link, authorize for the enterprise and all "
               "workspaces, and confirm it under App installation management"},
              admin_of ? ent + "/open/oauth/installations" : "");
  out += step({"创建对所有工作空间有效的企业个人访问令牌",
               "Create an enterprise personal access token valid for all workspaces"},
              admin_of ? ent + "/open/oauth/pats" : "");
  out +=
      step({"阅读迁移检查清单，迁移空间到团队或企业", "Read the checklist and move the workspace"},
           "/migrate");
  out += step({"线上观测：旧凭证的请求下降，新凭证的请求上升",
               "Watch the old credential's traffic fall and the new one's rise"},
              admin_of ? ent + "/observe" : "");
  out += step({"在「个人账号资源授权」中授权企业令牌访问个人账号资源",
               "Open personal account resources to enterprise tokens"},
              admin_of ? ent + "/personal-resources" : "");
  return out + "</ol>";
}

http::Response Home(PageCall& c) {
  auto enterprises = c.Enterprises();
  if (!enterprises) return c.Failure(kOverview, enterprises.error());
  std::string body = "<h1>" + Escape(c.T(kOverview)) + "</h1><dl class=\"facts\">";
  body +=
      Fact(c, kUid, "<code id=\"uid\">" + Escape(c.user.id) + "</code> " + CopyButton(c, "uid"));
  body += Fact(c, kName, Escape(c.user.name));
  body += Fact(c, kEmail, Escape(c.user.email));
  body += "</dl><h2>" + Escape(c.T(kYourPlaces)) + "</h2>";
  const EnterpriseContext* admin_of = nullptr;
  if ((*enterprises)->empty()) {
    body += "<p class=\"muted\">" + Escape(c.T(kNoPlaces)) + "</p>";
  } else {
    body += "<table id=\"enterprises\"><thead><tr><th scope=\"col\">" + Escape(c.T(kName)) +
            "</th><th scope=\"col\">" + Escape(c.T(kEnterpriseId)) + "</th><th scope=\"col\">" +
            Escape(c.T(kEdition)) + "</th><th scope=\"col\">" + Escape(c.T(kRole)) +
            "</th></tr></thead><tbody>";
    for (const auto& e : **enterprises) {
      if (!admin_of && e.IsAdmin()) admin_of = &e;
      body += "<tr><td>" + Link("/enterprise/" + e.enterprise.id, e.enterprise.name) +
              "</td><td><code>" + Escape(e.enterprise.id) + "</code></td><td>" +
              Escape(EditionName(c, e.enterprise.edition)) + "</td><td>" +
              Escape(RoleLabel(c, e.role)) + "</td></tr>";
    }
    body += "</tbody></table>";
  }
  body += GuideSteps(c, admin_of);
  return c.Render(kOverview, body);
}

http::Response EnterpriseHome(PageCall& c) {
  auto place = c.CurrentEnterprise();
  if (!place) return c.Failure(kEnterpriseOverview, place.error());
  const EnterpriseContext& e = **place;
  std::string body =
      "<h1 id=\"enterprise-name\">" + Escape(e.enterprise.name) + "</h1><dl class=\"facts\">";
  body += Fact(c, kEnterpriseId,
               "<code id=\"enterprise-id\">" + Escape(e.enterprise.id) + "</code> " +
                   CopyButton(c, "enterprise-id"));
  body += Fact(c, kEdition, Escape(EditionName(c, e.enterprise.edition)));
  body += Fact(c, kRole, Escape(RoleLabel(c, e.role)));
  body += Fact(c, kCreated, Escape(FormatTime(e.enterprise.created_at)));
  body += "</dl><h2>" + Escape(c.T(kOrganizations)) +
          "</h2><table id=\"organizations\"><thead><tr><th scope=\"col\">" + Escape(c.T(kName)) +
          "</th><th scope=\"col\">ID</th></tr></thead><tbody>";
  for (const auto& org : e.organizations) {
    body += "<tr><td>" + Escape(org.name);
    if (org.id == e.enterprise.default_org_account_id) {
      body += " <span class=\"muted\">(" + Escape(c.T(kDefaultOrg)) + ")</span>";
    }
    body += "</td><td><code>" + Escape(org.id) + "</code></td></tr>";
  }
  body += "</tbody></table>";
  if (e.IsAdmin()) body += GuideSteps(c, &e);
  return c.Render(kEnterpriseOverview, body);
}

constexpr Text kPasswordTitle{"修改密码", "Change password"};
constexpr Text kPasswordChanged{"密码已修改，其他设备上的登录已退出。",
                                "Password changed; your other sign-ins have been signed out."};

std::string AccountBody(PageCall& c, std::string_view error) {
  std::string body = "<h1>" + Escape(c.T(kAccount)) + "</h1>" +
                     c.Notice({{"password-changed", kPasswordChanged}}) + "<dl class=\"facts\">";
  body +=
      Fact(c, kUid, "<code id=\"uid\">" + Escape(c.user.id) + "</code> " + CopyButton(c, "uid"));
  body += Fact(c, kName, Escape(c.user.name));
  body += Fact(c, kEmail, Escape(c.user.email));
  body += Fact(c, kCreated, Escape(FormatTime(c.user.created_at)));
  body +=
      "</dl><p class=\"hint\">" +
      Escape(c.T({"UID 即迁移指南中的 personalAccountId：个人账号的 ID。",
                  "The UID is the guide's personalAccountId: the id of your personal account."})) +
      "</p>";
  body += "<h2>" + Escape(c.T(kPasswordTitle)) + "</h2>";
  if (!error.empty()) body += ErrorLine(error);
  auto field = [&](std::string_view id, const Text& label, std::string_view autocomplete) {
    return "<label for=\"" + std::string(id) + "\">" + Escape(c.T(label)) + "</label><input id=\"" +
           std::string(id) + "\" name=\"" + std::string(id) +
           "\" type=\"password\" required autocomplete=\"" + std::string(autocomplete) + "\">";
  };
  body += "<form method=\"post\" action=\"/account/password\">" + c.CsrfInput() +
          field("current_password", {"当前密码", "Current password"}, "current-password") +
          field("new_password", {"新密码（至少 8 个字符）", "New password (at least 8 characters)"},
                "new-password") +
          field("confirm_password", {"确认新密码", "Confirm the new password"}, "new-password") +
          "<div><button type=\"submit\" id=\"change-password\">" + Escape(c.T(kPasswordTitle)) +
          "</button></div></form>";
  return body;
}

http::Response Account(PageCall& c) { return c.Render(kAccount, AccountBody(c, "")); }

// POST /account/password: admin::ChangePassword behind the sign-in throttle (a stolen session
// must not become a fast password oracle), then back to the account page.
http::Response ChangePassword(PageCall& c, api::LoginThrottle& throttle) {
  auto refuse = [&](const Text& why, unsigned status) {
    return c.Render(kAccount, AccountBody(c, c.T(why)), status);
  };
  const std::string next = c.form.Get("new_password");
  if (next != c.form.Get("confirm_password")) {
    return refuse({"两次输入的新密码不一致。", "The two new passwords differ."}, 400);
  }
  if (throttle.Blocked(c.user.email, c.req.remote_address)) {
    return refuse({"尝试次数过多，请稍后再试。", "Too many attempts, retry later."}, 429);
  }
  auto env = api::AdminEnv(c.deps, c.user.id);
  Status s =
      admin::ChangePassword(env, c.user.id, c.form.Get("current_password"), next, c.session.id);
  if (!s) {
    if (s.error().code == Errc::kUnauthenticated) {
      throttle.RecordFailure(c.user.email, c.req.remote_address);
      return refuse({"当前密码不正确。", "The current password is wrong."}, 400);
    }
    if (s.error().code == Errc::kBadRequest) {
      return refuse(
          {"新密码至少 8 个字符，最多 256 个字符。", "The new password needs 8 to 256 characters."},
          400);
    }
    return c.Failure(kPasswordTitle, s.error());
  }
  throttle.RecordSuccess(c.user.email);
  return c.SeeOther("/account", "password-changed");
}

http::Response Logout(PageCall& c) {
  if (auto s = c.deps.store.DeleteSession(c.session.id); !s && s.error().code != Errc::kNotFound) {
    return c.Failure({"退出登录", "Sign out"}, s.error());
  }
  http::Response res = c.SeeOther("/sign");
  api::ClearSessionCookies(res, c.deps);
  return res;
}

}  // namespace

void RegisterHomePages(http::Router& router, api::Deps& deps) {
  AddPage(router, deps, Verb::get, "/", Home);
  AddPage(router, deps, Verb::get, "/enterprise/{enterprise_id}", EnterpriseHome);
  AddPage(router, deps, Verb::get, "/account", Account);
  auto throttle = api::SignInThrottle(deps);
  AddPage(router, deps, Verb::post, "/account/password",
          [throttle](PageCall& c) { return ChangePassword(c, *throttle); }, {.slow = true});
  AddPage(router, deps, Verb::post, "/console/logout", Logout);
}

}  // namespace cozeauth::console
