// OAuth flows over HTTP against the real binary, for what the @coze/api suite (tests/compat)
// cannot see: an OBO token acting in an enterprise loses a workspace the moment its user loses
// the role there (issue 3 §7), consent refuses places the user may not choose, the share link
// installs an app into an enterprise only for its admins, and the login page never redirects
// off-site.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <string>

#include "support/console_browser.hpp"
#include "support/openapi_expect.hpp"
#include "support/scenario.hpp"
#include "support/test_server.hpp"

namespace cozeauth::it {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;

// How long a poll for the server to see the CLI's writes may take before it fails; generous,
// since a loaded machine can starve the server's 200 ms epoch poll (scripts/stress-tests).
constexpr auto kPropagation = 30'000ms;
constexpr const char* kRedirect = "http://localhost:8080/callback";

class OAuthFlows : public ::testing::Test {
 protected:
  OAuthFlows() : scenario_(server_), http_(server_.Http()) {}

  ConsoleBrowser Login(const UserInfo& u) { return LoginBrowser(http_, u); }

  HttpResponse Consent(const ConsoleBrowser& b, const AppInfo& app, const std::string& place) {
    return ConsentJson(http_, b, app.client_id, kRedirect, place);
  }

  TestServer server_;
  Scenario scenario_;
  HttpClient http_;
};

TEST_F(OAuthFlows, EnterpriseOboTokenLosesAWorkspaceWithItsUsersRole) {
  UserInfo boss = scenario_.CreateUser("boss");
  UserInfo ann = scenario_.CreateUser("ann");
  EnterpriseInfo ent = scenario_.CreateEnterprise("Acme", boss.id);
  scenario_.cli().Must(
      {"enterprise", "add-member", "--enterprise", ent.id, "--user", ann.id, "--role", "member"});
  const std::string ws = scenario_.CreateWorkspace(ent.default_org_account_id, boss.id, "Team");
  const std::string bot = scenario_.CreateBot(ws, "Team bot", "Team:", true);
  scenario_.AddWorkspaceMember(ws, ann.id, "member");
  // An app of the enterprise itself: its members may consent without an installation.
  AppInfo app = scenario_.CreateApp({.owner_account = ent.default_org_account_id,
                                     .owner = boss.id,
                                     .client_type = "web",
                                     .redirect_uris = {kRedirect}});
  const std::string secret = scenario_.CreateClientSecret(app.id);

  ConsoleBrowser b = Login(ann);
  auto consent = Consent(b, app, ent.id);
  ASSERT_TRUE(IsOk(consent)) << consent.Describe();
  const std::string location = Str(OkBody(consent), "data.redirect_uri");
  ASSERT_EQ(location.rfind(std::string(kRedirect) + "?code=code_", 0), 0u) << location;
  EXPECT_EQ(QueryValue(location, "state"), "s1");
  const std::string token = ObtainOboToken(http_, b, app, secret, kRedirect, ent.id);
  ASSERT_EQ(token.rfind("czu_", 0), 0u);

  auto reach = [&] { return http_.Get("/v1/bots/" + bot, Bearer(token)); };
  ASSERT_TRUE(IsOk(reach())) << "the OBO token must reach a workspace its user is a member of";
  scenario_.RemoveWorkspaceMember(ws, ann.id);
  auto after = PollForCode(reach, 4101, kPropagation);
  EXPECT_TRUE(after.reached) << after.last.Describe();
  // The token itself is fine: it still reads its user.
  EXPECT_TRUE(IsOk(http_.Get("/v1/users/me", Bearer(token))));
}

TEST_F(OAuthFlows, ConsentRefusesAPlaceTheUserMayNotChoose) {
  UserInfo boss = scenario_.CreateUser("boss");
  UserInfo ann = scenario_.CreateUser("ann");
  EnterpriseInfo ent = scenario_.CreateEnterprise("Other", boss.id);  // ann is no member
  AppInfo app =
      scenario_.CreateApp({.owner = ann.id, .client_type = "web", .redirect_uris = {kRedirect}});
  ConsoleBrowser b = Login(ann);
  auto consent = Consent(b, app, ent.id);
  ASSERT_TRUE(IsOk(consent)) << consent.Describe();  // the app learns of it by redirect
  const std::string location = Str(OkBody(consent), "data.redirect_uri");
  EXPECT_EQ(QueryValue(location, "error"), "access_deny") << location;
  EXPECT_EQ(QueryValue(location, "code"), "");
  // Without the CSRF header the consent is refused and nothing is issued.
  auto page = http_.Get(AuthorizeTarget(app.client_id, kRedirect), b.Read());
  auto no_csrf = http_.PostJson(
      "/api/permission/oauth2/authorize_consent",
      {{"authorize_key", FormValue(page.body, "authorize_key")}, {"consent", true}}, b.Read());
  EXPECT_EQ(no_csrf.status, 403u) << no_csrf.Describe();
}

TEST_F(OAuthFlows, ShareLinkInstallsIntoAnEnterpriseOnlyForItsAdmins) {
  UserInfo dev = scenario_.CreateUser("dev");
  UserInfo boss = scenario_.CreateUser("boss");
  UserInfo member = scenario_.CreateUser("member");
  EnterpriseInfo ent = scenario_.CreateEnterprise("Acme", boss.id);
  scenario_.cli().Must({"enterprise", "add-member", "--enterprise", ent.id, "--user", member.id,
                        "--role", "member"});
  AppInfo app = scenario_.CreateApp({.owner = dev.id, .client_type = "service"});
  const std::string link = "/open/oauth/share?appid=" + app.id;

  ConsoleBrowser m = Login(member);
  auto refused = http_.Get(link, m.Read());
  EXPECT_EQ(refused.status, 403u) << refused.Describe();

  ConsoleBrowser b = Login(boss);
  auto page = http_.Get(link, b.Read());
  ASSERT_EQ(page.status, 200u) << page.Describe();
  EXPECT_NE(page.body.find("value=\"" + ent.id + "\""), std::string::npos);
  EXPECT_EQ(page.body.find("value=\"personal\""), std::string::npos);  // boss does not own it
  auto done = http_.Post(link.substr(0, link.find('?')) + "?lang=en",
                         "appid=" + app.id + "&place=" + ent.id + "&scope=all&csrf_token=" + b.csrf,
                         b.Read(), "application/x-www-form-urlencoded");
  ASSERT_EQ(done.status, 200u) << done.Describe();
  EXPECT_NE(done.body.find("id=\"result\">Authorized"), std::string::npos);
  auto installed = scenario_.cli().Must({"app", "installations", "--enterprise", ent.id});
  EXPECT_NE(installed.out.find(app.id), std::string::npos) << installed.out;
}

TEST_F(OAuthFlows, LoginPageRedirectsOnlyWithinTheSite) {
  UserInfo ann = scenario_.CreateUser("ann");
  for (const std::string target : {"https://evil.example/", "//evil.example/x", "/\\evil"}) {
    auto res = http_.Post(
        "/sign", "email=" + ann.email + "&password=" + ann.password + "&redirect=" + target, {},
        "application/x-www-form-urlencoded");
    EXPECT_EQ(res.status, 302u) << res.Describe();
    EXPECT_EQ(res.Header("Location"), "/") << target;
  }
  auto wrong = http_.Post("/sign", "email=" + ann.email + "&password=nope&redirect=/device", {},
                          "application/x-www-form-urlencoded");
  EXPECT_EQ(wrong.status, 401u);
  EXPECT_FALSE(wrong.HasHeader("Set-Cookie"));
}

TEST_F(OAuthFlows, UnknownClientOrUnregisteredRedirectGetsAnErrorPageNotARedirect) {
  UserInfo ann = scenario_.CreateUser("ann");
  AppInfo app =
      scenario_.CreateApp({.owner = ann.id, .client_type = "web", .redirect_uris = {kRedirect}});
  for (const std::string& target : std::vector<std::string>{
           "/api/permission/oauth2/authorize?response_type=code&client_id=nope.app.coze"
           "&redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Fcallback&state=",
           "/api/permission/oauth2/authorize?response_type=code&client_id=" + app.client_id +
               "&redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Fcallback%2F&state="}) {
    auto res = http_.Get(target);
    EXPECT_EQ(res.status, 400u) << res.Describe();
    EXPECT_FALSE(res.HasHeader("Location"));
    EXPECT_NE(res.body.find("id=\"error\""), std::string::npos);
  }
}

}  // namespace
}  // namespace cozeauth::it
