// Disabling an authorization or installation (企业 › 应用安装管理 › 停用, issue 12) over HTTP
// against the real binary: a disabled AppAuth installation's tokens answer 4100 and the JWT
// grant issues none; a disabled OBO installation suspends the tokens of every member's consent
// through it, refuses their refresh without spending the refresh token, and offers the
// enterprise for no new consent; enabling restores all of it, since nothing was revoked. Only an
// administrator of the place may do it — not a member, nor the app's owner elsewhere — and every
// change is in the enterprise's audit log.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <string>

#include "support/console_browser.hpp"
#include "support/openapi_expect.hpp"
#include "support/rsa_jwt.hpp"
#include "support/scenario.hpp"
#include "support/test_server.hpp"

namespace cozeauth::it {
namespace {
namespace json = boost::json;

constexpr const char* kTokenPath = "/api/permission/oauth2/token";
constexpr const char* kRedirect = "http://localhost:8080/callback";
const std::string kApp = "/api/permission_api/app/";

class InstallationDisable : public ::testing::Test {
 protected:
  InstallationDisable() : scenario_(server_), http_(server_.Http()) {
    boss_ = scenario_.CreateUser("boss");
    dev_ = scenario_.CreateUser("dev");
    ann_ = scenario_.CreateUser("ann");
    ent_ = scenario_.CreateEnterprise("Acme", boss_.id);
    scenario_.cli().Must({"enterprise", "add-member", "--enterprise", ent_.id, "--user", ann_.id,
                          "--role", "member"});
  }

  // POST update_authorization_status as `who`.
  HttpResponse SetStatus(const ConsoleBrowser& who, const std::string& appid,
                         const std::string& authorization_id, const std::string& status) {
    return http_.PostJson(
        kApp + "update_authorization_status",
        {{"appid", appid}, {"authorization_id", authorization_id}, {"status", status}},
        who.Write());
  }

  // The installation's status as the enterprise's list shows it ("" when not listed).
  std::string ListedStatus(const ConsoleBrowser& admin, const std::string& authorization_id) {
    auto list = http_.Get(kApp + "list_app_installations?enterprise_id=" + ent_.id, admin.Read());
    EXPECT_TRUE(IsOk(list)) << list.Describe();
    const json::value body = OkBody(list);
    for (const auto& item : Path(body, "data.installations").as_array()) {
      if (Str(item, "authorization_id") == authorization_id) return Str(item, "status");
    }
    return "";
  }

  HttpResponse JwtGrant(const RsaJwtSigner& signer, const std::string& kid, const AppInfo& app) {
    const std::string aud = "127.0.0.1:" + std::to_string(server_.port());
    return http_.PostJson("/api/permission/oauth2/enterprise_id/" + ent_.id + "/token",
                          {{"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"}},
                          Bearer(signer.Sign(kid, app.id, aud)));
  }

  TestServer server_;
  Scenario scenario_;
  HttpClient http_;
  UserInfo boss_, dev_, ann_;
  EnterpriseInfo ent_;
};

TEST_F(InstallationDisable, AppAuthTokensAreSuspendedAndNoneIssuedUntilEnabledAgain) {
  AppInfo app = scenario_.CreateApp({.owner = dev_.id, .client_type = "service"});
  RsaJwtSigner signer;
  const std::string kid = scenario_.AddAppKey(app.id, signer.public_pem());
  const std::string auth_id = scenario_.AuthorizeApp(app.id, boss_.id, ent_.id, "app");
  auto issued = JwtGrant(signer, kid, app);
  ASSERT_EQ(issued.status, 200u) << issued.Describe();
  const std::string token(issued.Json().at("access_token").as_string());
  auto reach = [&] { return http_.Get("/v1/workspaces", Bearer(token)); };
  ASSERT_TRUE(IsOk(reach())) << reach().Describe();

  ConsoleBrowser boss = LoginBrowser(http_, boss_);
  ConsoleBrowser dev = LoginBrowser(http_, dev_);
  ConsoleBrowser ann = LoginBrowser(http_, ann_);
  // Neither a member nor the app's owner (who administers nothing in Acme) may disable it.
  EXPECT_TRUE(IsCozeError(SetStatus(ann, app.id, auth_id, "Deactive"), 4200));
  EXPECT_TRUE(IsCozeError(SetStatus(dev, app.id, auth_id, "Deactive"), 4101));
  EXPECT_TRUE(IsCozeError(SetStatus(boss, app.id, auth_id, "Paused"), 4000));
  EXPECT_TRUE(IsCozeError(SetStatus(boss, app.id, RandomId(), "Deactive"), 4200));
  EXPECT_TRUE(IsOk(reach()));
  EXPECT_EQ(ListedStatus(boss, auth_id), "Active");

  auto disabled = SetStatus(boss, app.id, auth_id, "Deactive");
  ASSERT_TRUE(IsOk(disabled)) << disabled.Describe();
  EXPECT_EQ(Str(OkBody(disabled), "data.authorization.status"), "Deactive");
  // The server's own write moved the auth epoch: the very next request sees it.
  EXPECT_TRUE(IsCozeError(reach(), 4100)) << reach().Describe();
  auto refused = JwtGrant(signer, kid, app);
  EXPECT_EQ(refused.status, 400u) << refused.Describe();
  EXPECT_EQ(OAuthErrorOf(refused), "access_deny") << refused.Describe();
  // Still listed (not uninstalled), as disabled; disabling again changes nothing.
  EXPECT_EQ(ListedStatus(boss, auth_id), "Deactive");
  EXPECT_TRUE(IsOk(SetStatus(boss, app.id, auth_id, "Deactive")));

  ASSERT_TRUE(IsOk(SetStatus(boss, app.id, auth_id, "Active")));
  EXPECT_TRUE(IsOk(reach())) << "the token issued before was suspended, not revoked";
  auto again = JwtGrant(signer, kid, app);
  EXPECT_EQ(again.status, 200u) << again.Describe();
  EXPECT_EQ(ListedStatus(boss, auth_id), "Active");

  // The enterprise's audit log has both changes, by boss.
  auto audit = http_.Get(
      "/api/permission_api/observe/audit?enterprise_id=" + ent_.id + "&target_id=" + auth_id,
      boss.Read());
  ASSERT_TRUE(IsOk(audit)) << audit.Describe();
  const json::value events = OkBody(audit);
  std::string actions;
  for (const auto& e : Path(events, "data.events").as_array()) {
    if (Str(e, "actor") == boss_.id) actions += Str(e, "action") + " ";
  }
  EXPECT_NE(actions.find("app.authorization_disabled"), std::string::npos) << audit.Describe();
  EXPECT_NE(actions.find("app.authorization_enabled"), std::string::npos) << audit.Describe();
}

TEST_F(InstallationDisable, OboConsentsThroughADisabledInstallationAreSuspendedNotSpent) {
  AppInfo app =
      scenario_.CreateApp({.owner = dev_.id, .client_type = "web", .redirect_uris = {kRedirect}});
  const std::string secret = scenario_.CreateClientSecret(app.id);
  const std::string install_id = scenario_.AuthorizeApp(app.id, boss_.id, ent_.id, "obo");

  // ann consents in the enterprise and exchanges the code: an access and a refresh token.
  ConsoleBrowser ann = LoginBrowser(http_, ann_);
  auto consent = ConsentJson(http_, ann, app.client_id, kRedirect, ent_.id);
  ASSERT_TRUE(IsOk(consent)) << consent.Describe();
  const std::string code = QueryValue(Str(OkBody(consent), "data.redirect_uri"), "code");
  ASSERT_FALSE(code.empty()) << consent.Describe();
  auto exchanged = http_.PostJson(kTokenPath,
                                  {{"grant_type", "authorization_code"},
                                   {"client_id", app.client_id},
                                   {"redirect_uri", kRedirect},
                                   {"code", code}},
                                  Bearer(secret));
  ASSERT_EQ(exchanged.status, 200u) << exchanged.Describe();
  const std::string access(exchanged.Json().at("access_token").as_string());
  const std::string refresh(exchanged.Json().at("refresh_token").as_string());
  auto me = [&] { return http_.Get("/v1/users/me", Bearer(access)); };
  ASSERT_TRUE(IsOk(me())) << me().Describe();
  auto refresh_with = [&](const std::string& rt) {
    return http_.PostJson(
        kTokenPath,
        {{"grant_type", "refresh_token"}, {"client_id", app.client_id}, {"refresh_token", rt}},
        Bearer(secret));
  };

  // boss disables it from the installation page (the console's form, CSRF and all).
  ConsoleBrowser boss = LoginBrowser(http_, boss_);
  auto page =
      http_.Get("/enterprise/" + ent_.id + "/open/oauth/installations?lang=en", boss.Read());
  ASSERT_EQ(page.status, 200u) << page.Describe();
  EXPECT_NE(page.body.find("id=\"disable-" + install_id + "\""), std::string::npos);
  auto form =
      http_.Post("/enterprise/" + ent_.id + "/open/oauth/installations/status?lang=en",
                 "authorization_id=" + install_id + "&status=Deactive&csrf_token=" + boss.csrf,
                 boss.Read(), "application/x-www-form-urlencoded");
  ASSERT_EQ(form.status, 303u) << form.Describe();
  auto after = http_.Get(
      "/enterprise/" + ent_.id + "/open/oauth/installations?lang=en&notice=disabled", boss.Read());
  EXPECT_NE(after.body.find("id=\"enable-" + install_id + "\""), std::string::npos) << after.body;

  EXPECT_TRUE(IsCozeError(me(), 4100)) << me().Describe();
  auto refused = refresh_with(refresh);
  EXPECT_EQ(OAuthErrorOf(refused), "access_deny") << refused.Describe();
  // The enterprise is no longer a place to consent to the app in.
  auto no_consent = ConsentJson(http_, ann, app.client_id, kRedirect, ent_.id);
  ASSERT_TRUE(IsOk(no_consent)) << no_consent.Describe();
  EXPECT_EQ(QueryValue(Str(OkBody(no_consent), "data.redirect_uri"), "error"), "access_deny");

  // Enabled again: the access token works, and the refresh token refused while disabled was not
  // spent — it rotates now, once.
  ConsoleBrowser dev = LoginBrowser(http_, dev_);
  EXPECT_TRUE(IsCozeError(SetStatus(dev, app.id, install_id, "Active"), 4101));
  ASSERT_TRUE(IsOk(SetStatus(boss, app.id, install_id, "Active")));
  EXPECT_TRUE(IsOk(me())) << me().Describe();
  auto rotated = refresh_with(refresh);
  ASSERT_EQ(rotated.status, 200u) << rotated.Describe();
  const std::string fresh(rotated.Json().at("access_token").as_string());
  EXPECT_TRUE(IsOk(http_.Get("/v1/users/me", Bearer(fresh))));
}

TEST_F(InstallationDisable, ARevokedAuthorizationCannotBeDisabledOrEnabled) {
  AppInfo app = scenario_.CreateApp({.owner = dev_.id, .client_type = "service"});
  const std::string auth_id = scenario_.AuthorizeApp(app.id, boss_.id, ent_.id, "app");
  scenario_.RevokeAuthorization(auth_id);
  ConsoleBrowser boss = LoginBrowser(http_, boss_);
  EXPECT_TRUE(IsCozeError(SetStatus(boss, app.id, auth_id, "Deactive"), 4200));
  auto cli = scenario_.cli().Run({"app", "disable-authorization", "--authorization", auth_id});
  EXPECT_NE(cli.exit_code, 0);
  EXPECT_NE(cli.err.find("revoked"), std::string::npos) << cli.err;
}

}  // namespace
}  // namespace cozeauth::it
