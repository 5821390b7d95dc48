// The console's frame and entry pages (console/pages/page.hpp, layout.hpp, home_pages.cpp)
// against the real server: sign-in redirect, language choice (Accept-Language, ?lang=, cookie),
// the strict CSP and the one script and stylesheet, the enterprise context in the URL (members
// only), CSRF on every form, sign-out, and the password change (账号设置).
#include <gtest/gtest.h>

#include <string>

#include "support/console_browser.hpp"
#include "support/openapi_expect.hpp"
#include "support/scenario.hpp"
#include "support/test_server.hpp"

namespace cozeauth::it {
namespace {

constexpr const char* kForm = "application/x-www-form-urlencoded";

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class ConsoleHomePages : public ::testing::Test {
 protected:
  ConsoleHomePages() : scenario_(server_), http_(server_.Http()) {}

  HttpResponse Page(const ConsoleBrowser& b, const std::string& target,
                    const std::string& accept_language = "zh-CN,zh;q=0.9") {
    Headers h = b.Read();
    h.emplace_back("Accept-Language", accept_language);
    return http_.Get(target, h);
  }
  HttpResponse PostForm(const ConsoleBrowser& b, const std::string& target, std::string body) {
    return http_.Post(target, std::move(body), b.Read(), kForm);
  }
  bool SignsIn(const UserInfo& u, const std::string& password) {
    auto res = http_.PostJson("/api/passport/web/email/login/",
                              {{"email", u.email}, {"password", password}});
    return IsOk(res);
  }

  TestServer server_;
  Scenario scenario_;
  HttpClient http_;
};

TEST_F(ConsoleHomePages, AStrangerIsSentToSignInAndComesBack) {
  auto res = http_.Get("/account?lang=en");
  EXPECT_EQ(res.status, 303);
  EXPECT_EQ(res.Header("Location"), "/sign?redirect=%2Faccount%3Flang%3Den");
  auto post = http_.Post("/console/logout", "csrf_token=x", {}, kForm);
  EXPECT_EQ(post.status, 303);
  EXPECT_EQ(post.Header("Location").rfind("/sign?redirect=", 0), 0u);
}

TEST_F(ConsoleHomePages, TheOverviewShowsTheUidInTheChosenLanguage) {
  UserInfo u = scenario_.CreateUser("li");
  ConsoleBrowser b = LoginBrowser(http_, u);

  auto zh = Page(b, "/");
  ASSERT_EQ(zh.status, 200) << zh.Describe();
  EXPECT_TRUE(Contains(zh.body, "<html lang=\"zh-CN\">"));
  EXPECT_TRUE(Contains(zh.body, "<code id=\"uid\">" + u.id + "</code>"));
  EXPECT_TRUE(Contains(zh.body, "个人访问令牌"));

  auto en = Page(b, "/", "en-US,en;q=0.9,zh-CN;q=0.5");
  EXPECT_TRUE(Contains(en.body, "<html lang=\"en\">"));
  EXPECT_TRUE(Contains(en.body, "Personal access tokens"));
  // zh outranks en by q-value here.
  EXPECT_TRUE(Contains(Page(b, "/", "en;q=0.3, zh-CN;q=0.8").body, "<html lang=\"zh-CN\">"));

  // ?lang= wins over the header and is remembered in a cookie.
  auto chosen = Page(b, "/account?lang=en");
  EXPECT_TRUE(Contains(chosen.body, "<html lang=\"en\">"));
  EXPECT_EQ(chosen.Header("Set-Cookie").rfind("cozeauth_lang=en;", 0), 0u)
      << chosen.Header("Set-Cookie");
  Headers with_cookie = {{"Cookie", b.cookie + "; cozeauth_lang=en"}, {"Accept-Language", "zh-CN"}};
  EXPECT_TRUE(Contains(http_.Get("/account", with_cookie).body, "<html lang=\"en\">"));
  // An unknown ?lang= falls back to the header.
  EXPECT_TRUE(Contains(Page(b, "/?lang=fr").body, "<html lang=\"zh-CN\">"));
}

TEST_F(ConsoleHomePages, EveryPageRunsUnderAStrictPolicyWithOneScriptAndOneStylesheet) {
  UserInfo u = scenario_.CreateUser("csp");
  ConsoleBrowser b = LoginBrowser(http_, u);
  for (const char* target : {"/", "/account", "/sign"}) {
    auto res = target == std::string("/sign") ? http_.Get(target) : Page(b, target);
    ASSERT_EQ(res.status, 200) << target;
    const std::string csp = res.Header("Content-Security-Policy");
    EXPECT_TRUE(Contains(csp, "script-src 'self'")) << target << ": " << csp;
    EXPECT_TRUE(Contains(csp, "style-src 'self'")) << csp;
    EXPECT_FALSE(Contains(csp, "unsafe-inline")) << csp;
    EXPECT_TRUE(Contains(csp, "frame-ancestors 'none'")) << csp;
    EXPECT_EQ(res.Header("Cache-Control"), "no-store") << target;
    EXPECT_FALSE(Contains(res.body, "style=\"")) << target;
    EXPECT_FALSE(Contains(res.body, "<script>")) << target;
    EXPECT_TRUE(Contains(res.body, "<script src=\"/console/static/console.js\" defer></script>"));
  }
  auto css = http_.Get("/console/static/console.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.Header("Content-Type"), "text/css; charset=utf-8");
  auto js = http_.Get("/console/static/console.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.Header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_TRUE(Contains(js.body, "data-copy") || Contains(js.body, "dataset.copy"));
}

TEST_F(ConsoleHomePages, AnEnterpriseIsInTheUrlAndOnlyItsMembersSeeIt) {
  UserInfo owner = scenario_.CreateUser("owner");
  UserInfo stranger = scenario_.CreateUser("stranger");
  EnterpriseInfo e = scenario_.CreateEnterprise("Acme <b>\"&'", owner.id);
  ConsoleBrowser ob = LoginBrowser(http_, owner);

  auto page = Page(ob, "/enterprise/" + e.id + "?lang=en");
  ASSERT_EQ(page.status, 200) << page.Describe();
  EXPECT_TRUE(Contains(page.body, "<code id=\"enterprise-id\">" + e.id + "</code>"));
  EXPECT_TRUE(Contains(page.body, "Acme &lt;b&gt;&quot;&amp;&#39;"));
  EXPECT_FALSE(Contains(page.body, "Acme <b>"));
  // The switcher on every page lists it; the navigation is the enterprise's.
  EXPECT_TRUE(Contains(Page(ob, "/").body, "data-context=\"" + e.id + "\""));
  // …with its organizations, each leading to that organization's tokens.
  EXPECT_TRUE(Contains(Page(ob, "/").body, "href=\"/enterprise/" + e.id +
                                               "/open/oauth/pats?organization_id=" +
                                               e.default_org_account_id + "\" data-organization="));
  EXPECT_TRUE(Contains(page.body, "href=\"/enterprise/" + e.id + "/open/oauth/pats\""));

  ConsoleBrowser sb = LoginBrowser(http_, stranger);
  EXPECT_EQ(Page(sb, "/enterprise/" + e.id).status, 404);
  EXPECT_EQ(Page(sb, "/enterprise/ent_999999").status, 404);
  EXPECT_FALSE(Contains(Page(sb, "/").body, e.id));
}

TEST_F(ConsoleHomePages, SignOutNeedsTheFormsCsrfTokenAndEndsTheSession) {
  UserInfo u = scenario_.CreateUser("out");
  ConsoleBrowser b = LoginBrowser(http_, u);
  EXPECT_EQ(PostForm(b, "/console/logout", "").status, 403);
  EXPECT_EQ(PostForm(b, "/console/logout", "csrf_token=wrong").status, 403);
  EXPECT_EQ(http_.Post("/console/logout", "{\"csrf_token\":\"" + b.csrf + "\"}", b.Read()).status,
            400);  // a JSON body is not a form post
  EXPECT_EQ(Page(b, "/").status, 200) << "refused sign-outs changed nothing";

  auto out = PostForm(b, "/console/logout", "csrf_token=" + b.csrf);
  EXPECT_EQ(out.status, 303);
  EXPECT_EQ(out.Header("Location"), "/sign");
  EXPECT_EQ(Page(b, "/").status, 303) << "the session is gone";
}

TEST_F(ConsoleHomePages, PasswordChangeNeedsTheCurrentPasswordAndSignsOutOtherSessions) {
  UserInfo u = scenario_.CreateUser("pw");
  ConsoleBrowser here = LoginBrowser(http_, u);
  ConsoleBrowser elsewhere = LoginBrowser(http_, u);
  const std::string next = "A-new-password-9";
  auto form = [&](const std::string& current, const std::string& fresh, const std::string& again,
                  const std::string& csrf) {
    return "csrf_token=" + csrf + "&current_password=" + current + "&new_password=" + fresh +
           "&confirm_password=" + again;
  };
  // Refusals: each changes nothing.
  EXPECT_EQ(PostForm(here, "/account/password", form(u.password, next, next, "bad")).status, 403);
  auto wrong = PostForm(here, "/account/password", form("not-it-at-all", next, next, here.csrf));
  EXPECT_EQ(wrong.status, 400);
  EXPECT_TRUE(Contains(wrong.body, "id=\"form-error\""));
  EXPECT_EQ(
      PostForm(here, "/account/password", form(u.password, next, "different-9", here.csrf)).status,
      400);
  EXPECT_EQ(
      PostForm(here, "/account/password", form(u.password, "short", "short", here.csrf)).status,
      400);
  EXPECT_TRUE(SignsIn(u, u.password));
  EXPECT_FALSE(SignsIn(u, next));
  EXPECT_EQ(Page(elsewhere, "/").status, 200);

  auto done = PostForm(here, "/account/password", form(u.password, next, next, here.csrf));
  EXPECT_EQ(done.status, 303) << done.Describe();
  EXPECT_EQ(done.Header("Location"), "/account?notice=password-changed");
  EXPECT_TRUE(Contains(Page(here, "/account?notice=password-changed").body, "id=\"notice\""));
  EXPECT_FALSE(SignsIn(u, u.password));
  EXPECT_TRUE(SignsIn(u, next));
  EXPECT_EQ(Page(here, "/").status, 200) << "this session stays";
  EXPECT_EQ(Page(elsewhere, "/").status, 303) << "the other session was signed out";
}

TEST_F(ConsoleHomePages, AHostileUserNameIsText) {
  UserInfo u;
  u.name = "<script>alert(1)</script>\"'\u202E";
  u.email = "hostile@cozeauth.test";
  u.password = "Hostile-Pw-123";
  u.id =
      scenario_.cli()
          .Must({"user", "create", "--name", u.name, "--email", u.email, "--password", u.password})
          .Str({"id", "user_id"});
  ConsoleBrowser b = LoginBrowser(http_, u);
  for (const char* target : {"/", "/account"}) {
    auto res = Page(b, target);
    ASSERT_EQ(res.status, 200) << target;
    EXPECT_FALSE(Contains(res.body, "<script>alert")) << target;
    EXPECT_TRUE(Contains(res.body, "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;\u202E"))
        << target;
  }
  EXPECT_FALSE(Contains(Page(b, "/?notice=%3Cscript%3E").body, "id=\"notice\""))
      << "an unknown notice is not shown, let alone echoed";
}

// The OAuth pages (console/oauth_pages.cpp) are in the console's frame too: the share link's page
// and the consent page in zh-CN by Accept-Language and in English by ?lang=en, under the strict
// policy (the consent page's form-action adds only the app's redirect URI origin).
TEST_F(ConsoleHomePages, TheShareAndConsentPagesSpeakBothLanguagesUnderTheStrictPolicy) {
  UserInfo u = scenario_.CreateUser("owner");
  EnterpriseInfo ent = scenario_.CreateEnterprise("Acme", u.id);
  AppInfo service = scenario_.CreateApp({.owner = u.id, .client_type = "service"});
  const std::string redirect = "http://localhost:8080/callback";
  AppInfo web =
      scenario_.CreateApp({.owner = u.id, .client_type = "web", .redirect_uris = {redirect}});
  ConsoleBrowser b = LoginBrowser(http_, u);
  const std::string share = "/open/oauth/share?appid=" + service.id;
  const std::string consent = AuthorizeTarget(web.client_id, redirect);

  auto check = [&](const HttpResponse& res, const std::string& what) {
    ASSERT_EQ(res.status, 200) << what << ": " << res.Describe();
    const std::string csp = res.Header("Content-Security-Policy");
    EXPECT_TRUE(Contains(csp, "script-src 'self'")) << what << ": " << csp;
    EXPECT_TRUE(Contains(csp, "style-src 'self'")) << what << ": " << csp;
    EXPECT_FALSE(Contains(csp, "unsafe-inline")) << what << ": " << csp;
    EXPECT_TRUE(Contains(csp, "frame-ancestors 'none'")) << what << ": " << csp;
    EXPECT_FALSE(Contains(res.body, "style=\"")) << what;
    EXPECT_FALSE(Contains(res.body, "<script>")) << what;
    EXPECT_TRUE(Contains(res.body, "id=\"signed-in-as\">" + u.email)) << what;
  };

  auto share_zh = Page(b, share, "zh-CN");
  check(share_zh, "share zh");
  EXPECT_TRUE(Contains(share_zh.body, "<html lang=\"zh-CN\">"));
  EXPECT_TRUE(Contains(share_zh.body, "个人账号"));
  EXPECT_TRUE(Contains(share_zh.body, "企业：Acme"));
  EXPECT_TRUE(Contains(share_zh.body, "所有工作空间"));
  EXPECT_TRUE(Contains(share_zh.body, "授权范围"));
  EXPECT_TRUE(Contains(share_zh.body, "id=\"authorize\">授权</button>"));
  EXPECT_EQ(share_zh.Header("Content-Security-Policy").find("localhost:8080"), std::string::npos);

  auto share_en = Page(b, share + "&lang=en", "zh-CN");
  check(share_en, "share en");
  EXPECT_TRUE(Contains(share_en.body, "<html lang=\"en\">"));
  EXPECT_TRUE(Contains(share_en.body, "Personal account"));
  EXPECT_TRUE(Contains(share_en.body, "Enterprise: Acme"));
  EXPECT_TRUE(Contains(share_en.body, "All workspaces, present and future"));
  EXPECT_TRUE(Contains(share_en.body, "id=\"authorize\">Authorize</button>"));
  EXPECT_FALSE(Contains(share_en.body, "个人账号"));

  auto consent_zh = Page(b, consent, "zh-CN");
  check(consent_zh, "consent zh");
  EXPECT_TRUE(Contains(consent_zh.body, "<html lang=\"zh-CN\">"));
  EXPECT_TRUE(Contains(consent_zh.body, "id=\"allow\">授权</button>"));
  EXPECT_TRUE(Contains(consent_zh.body, "id=\"deny\">拒绝</button>"));
  EXPECT_TRUE(Contains(consent_zh.body, "个人账号"));
  EXPECT_TRUE(Contains(consent_zh.body, "授权范围"));
  // The language links keep the authorize request's parameters.
  EXPECT_TRUE(Contains(consent_zh.body, "client_id=" + web.client_id)) << consent_zh.body;
  int policies = 0;  // one policy: a second one would apply too
  for (const auto& [k, v] : consent_zh.headers) policies += k == "Content-Security-Policy";
  EXPECT_EQ(policies, 1);
  EXPECT_TRUE(Contains(consent_zh.Header("Content-Security-Policy"),
                       "form-action 'self' http://localhost:8080;"))
      << consent_zh.Header("Content-Security-Policy");

  auto consent_en = Page(b, consent + "&lang=en", "zh-CN");
  check(consent_en, "consent en");
  EXPECT_TRUE(Contains(consent_en.body, "<html lang=\"en\">"));
  EXPECT_TRUE(Contains(consent_en.body, "id=\"allow\">Allow</button>"));
  EXPECT_TRUE(Contains(consent_en.body, "id=\"deny\">Deny</button>"));
  EXPECT_TRUE(Contains(consent_en.body, "Personal account"));
  EXPECT_TRUE(Contains(consent_en.body, "wants to access your Coze account"));
  EXPECT_FALSE(Contains(consent_en.body, "拒绝"));
}

}  // namespace
}  // namespace cozeauth::it
