// The SDK's OAuth clients and Auth providers against the real server (tests/support): JWT in
// the owner's account, for an organisation (account_id) and for an enterprise (enterprise_id);
// the web code flow with refresh; PKCE with S256 and plain; the device flow approved through the
// verification endpoint. The browser's part (login, consent) is done over HTTP, as
// tests/integration/oauth_flows_test.cpp does. Every token then calls users().Me() through a
// coze::Client over libcurl.

#include <fstream>

#include "sdk/sdk_oauth_world.hpp"

namespace cozeauth::it {
namespace {

// --- JWT

TEST_F(SdkOAuth, JwtTokenInTheOwnersAccount) {
  auto client = Jwt();
  auto token = Eventually([&] { return client.GetAccessToken(); });
  ASSERT_TRUE(token) << token.Describe();
  EXPECT_EQ(token->access_token.rfind("czs_", 0), 0u);
  EXPECT_TRUE(token->refresh_token.empty());
  EXPECT_NEAR(static_cast<double>(token->expires_in),
              static_cast<double>(coze::SystemUnixSeconds() + 900), 5);
  auto me = MeWith(token->access_token);
  EXPECT_TRUE(me) << me.Describe();

  // JWTAuth buys once and reuses the token.
  auto auth =
      std::make_shared<coze::JWTAuth>(client, coze::JWTTokenRequest{.duration_seconds = 1200});
  auto first = auth->Token();
  ASSERT_TRUE(first) << first.Describe();
  EXPECT_EQ(*auth->Token(), *first);
  auto via_auth = Me(auth);
  EXPECT_TRUE(via_auth) << via_auth.Describe();
}

TEST_F(SdkOAuth, JwtTokenForAnOrganisationByAccountId) {
  auto auth = std::make_shared<coze::JWTAuth>(
      Jwt(), coze::JWTTokenRequest{.account_id = F().enterprise.default_org_account_id});
  auto token = Eventually([&] { return auth->Token(); });
  ASSERT_TRUE(token) << token.Describe();
  auto me = Me(auth);
  EXPECT_TRUE(me) << me.Describe();

  // An account that never authorized the app: access_deny, as an AuthError.
  auto stranger = scenario().CreateUser("stranger");
  auto refused = Jwt().GetAccessToken({.account_id = stranger.id});
  ASSERT_TRUE(refused.is_auth_error()) << refused.Describe();
  EXPECT_EQ(refused.auth_error().error_code, coze::oauth_error::kAccessDeny);
  EXPECT_EQ(refused.auth_error().http_status, 400);
  EXPECT_FALSE(refused.auth_error().logid.empty());
}

TEST_F(SdkOAuth, JwtTokenForAnEnterpriseByEnterpriseId) {
  auto auth = std::make_shared<coze::JWTAuth>(
      Jwt(), coze::JWTTokenRequest{.enterprise_id = F().enterprise.id});
  auto token = Eventually([&] { return auth->Token(); });
  ASSERT_TRUE(token) << token.Describe();
  auto me = Me(auth);
  EXPECT_TRUE(me) << me.Describe();
}

TEST_F(SdkOAuth, JwtWithAnUnregisteredKeyIsInvalidClient) {
  coze::OAuthClientOptions o = Options(F().service.id);
  o.private_key = NewRsaKey().private_pkcs8;
  o.public_key_id = F().kid;  // the registered kid, another key's signature
  auto client = coze::JWTOAuthClient::Create(o);
  ASSERT_TRUE(client) << client.Describe();
  auto token = client->GetAccessToken();
  ASSERT_TRUE(token.is_auth_error()) << token.Describe();
  EXPECT_EQ(token.auth_error().error_code, coze::oauth_error::kInvalidClient);
  EXPECT_EQ(token.auth_error().http_status, 401);
}

// --- web

TEST_F(SdkOAuth, WebCodeFlowAndRefresh) {
  coze::OAuthClientOptions o = Options(F().web.client_id);
  o.client_secret = F().web_secret;
  coze::WebOAuthClient web(o);
  const std::string redirect = Consent(web.GetAuthorizationUrl(kWebRedirect, "st-1"));
  ASSERT_EQ(redirect.rfind(std::string(kWebRedirect) + "?", 0), 0u) << redirect;
  EXPECT_EQ(QueryParam(redirect, "state"), "st-1");
  const std::string code = QueryParam(redirect, "code");
  ASSERT_EQ(code.rfind("code_", 0), 0u) << redirect;

  auto token = web.GetAccessToken(code, kWebRedirect);
  ASSERT_TRUE(token) << token.Describe();
  EXPECT_EQ(token->access_token.rfind("czu_", 0), 0u);
  EXPECT_FALSE(token->refresh_token.empty());
  auto me = MeWith(token->access_token);
  ASSERT_TRUE(me) << me.Describe();
  EXPECT_EQ(me->user_id, world().user.id);

  // The code is single use.
  auto again = web.GetAccessToken(code, kWebRedirect);
  ASSERT_TRUE(again.is_auth_error()) << again.Describe();
  EXPECT_EQ(again.auth_error().error_code, coze::oauth_error::kInvalidGrant);
}

TEST_F(SdkOAuth, WebOAuthAuthRefreshesAndPersistsTheRotatedPair) {
  coze::OAuthClientOptions o = Options(F().web.client_id);
  o.client_secret = F().web_secret;
  coze::WebOAuthClient web(o);
  const std::string redirect = Consent(web.GetAuthorizationUrl(kWebRedirect, ""));
  auto token = web.GetAccessToken(QueryParam(redirect, "code"), kWebRedirect);
  ASSERT_TRUE(token) << token.Describe();

  // Pretend the access token is about to expire: the first Token() refreshes.
  coze::OAuthToken stale = *token;
  stale.expires_in = coze::SystemUnixSeconds() + 5;
  std::vector<coze::OAuthToken> persisted;
  auto auth = std::make_shared<coze::OAuthAuth>(
      web, stale, [&](const coze::OAuthToken& t) { persisted.push_back(t); });
  auto me = Me(auth);
  ASSERT_TRUE(me) << me.Describe();
  EXPECT_EQ(me->user_id, world().user.id);
  ASSERT_EQ(persisted.size(), 1u);
  EXPECT_NE(persisted[0].access_token, token->access_token);
  EXPECT_NE(persisted[0].refresh_token, token->refresh_token) << "refresh tokens rotate";
  EXPECT_EQ(auth->token().refresh_token, persisted[0].refresh_token);

  // The client rotates again, so its successor is used: the spent refresh token is then reuse
  // even within the grace window for lost responses (docs/oauth.md), refused, and revokes the
  // consent's tokens (§4.6).
  auto again = web.RefreshToken(persisted[0].refresh_token);
  ASSERT_TRUE(again) << again.Describe();
  auto reused = web.RefreshToken(token->refresh_token);
  ASSERT_TRUE(reused.is_auth_error()) << reused.Describe();
  EXPECT_EQ(reused.auth_error().error_code, coze::oauth_error::kInvalidGrant);
}

// --- PKCE

TEST_F(SdkOAuth, PkceS256AndPlain) {
  coze::PKCEOAuthClient pkce(Options(F().pkce.client_id));
  for (auto method : {coze::CodeChallengeMethod::kS256, coze::CodeChallengeMethod::kPlain}) {
    SCOPED_TRACE(method == coze::CodeChallengeMethod::kS256 ? "S256" : "plain");
    auto authorization = pkce.GetAuthorizationUrl(kPkceRedirect, "p", method);
    const std::string redirect = Consent(authorization.url);
    const std::string code = QueryParam(redirect, "code");
    ASSERT_FALSE(code.empty()) << redirect;

    auto token = pkce.GetAccessToken(code, kPkceRedirect, authorization.code_verifier);
    ASSERT_TRUE(token) << token.Describe();
    auto me = MeWith(token->access_token);
    ASSERT_TRUE(me) << me.Describe();
    EXPECT_EQ(me->user_id, world().user.id);

    // A public client refreshes without a secret.
    auto next = pkce.RefreshToken(token->refresh_token);
    ASSERT_TRUE(next) << next.Describe();
    EXPECT_NE(next->refresh_token, token->refresh_token);
    EXPECT_TRUE(MeWith(next->access_token));
  }
}

TEST_F(SdkOAuth, PkceWrongVerifierIsInvalidGrant) {
  coze::PKCEOAuthClient pkce(Options(F().pkce.client_id));
  auto authorization = pkce.GetAuthorizationUrl(kPkceRedirect, "p");
  const std::string code = QueryParam(Consent(authorization.url), "code");
  auto token = pkce.GetAccessToken(code, kPkceRedirect, authorization.code_verifier + "0");
  ASSERT_TRUE(token.is_auth_error()) << token.Describe();
  EXPECT_EQ(token.auth_error().error_code, coze::oauth_error::kInvalidGrant);
}

// --- device

TEST_F(SdkOAuth, DeviceFlowPollsUntilTheUserApproves) {
  coze::OAuthClientOptions o = Options(F().device.client_id);
  std::vector<std::chrono::seconds> sleeps;
  std::string user_code;
  // The user approves while the SDK waits; the wait itself is real (the server enforces the
  // 5 s interval).
  o.sleep = [&](std::chrono::seconds d) {
    if (sleeps.empty()) DecideDevice(user_code, true);
    sleeps.push_back(d);
    std::this_thread::sleep_for(d);
  };
  coze::DeviceOAuthClient device(o);
  auto code = device.GetDeviceCode();
  ASSERT_TRUE(code) << code.Describe();
  user_code = code->user_code;
  EXPECT_EQ(code->verification_uri, server().base_url() + "/device");
  EXPECT_EQ(code->verification_url, code->verification_uri + "?user_code=" + code->user_code);
  EXPECT_EQ(code->interval, 5);

  auto token = device.GetAccessToken(code->device_code);
  ASSERT_TRUE(token) << token.Describe();
  EXPECT_EQ(sleeps, std::vector<std::chrono::seconds>{std::chrono::seconds(5)});
  EXPECT_EQ(token->access_token.rfind("czu_", 0), 0u);

  auto auth = std::make_shared<coze::OAuthAuth>(device, *token);
  auto me = Me(auth);
  ASSERT_TRUE(me) << me.Describe();
  EXPECT_EQ(me->user_id, world().user.id);
}

TEST_F(SdkOAuth, DeviceFlowDeniedIsAccessDenied) {
  coze::DeviceOAuthClient device(Options(F().device.client_id));
  auto code = device.GetDeviceCode();
  ASSERT_TRUE(code) << code.Describe();
  DecideDevice(code->user_code, false);
  auto token = device.GetAccessToken(code->device_code);
  ASSERT_TRUE(token.is_auth_error()) << token.Describe();
  EXPECT_EQ(token.auth_error().error_code, coze::oauth_error::kAccessDenied);
}

// --- config

TEST_F(SdkOAuth, ConfigExportedByTheCliLoadsAWorkingClient) {
  const auto dir = server().dir();
  const std::string key_file = (dir / "sdk_private.pem").string();
  {
    std::ofstream out(key_file);
    out << F().key.private_pkcs8;
  }
  const std::string config_file = (dir / "coze_oauth_config.json").string();
  scenario().cli().Must({"app", "export-config", "--app", F().service.id, "--api-base",
                         server().base_url(), "--private-key-file", key_file, "--out",
                         config_file});
  auto app = coze::LoadOAuthAppFromConfig(config_file);
  ASSERT_TRUE(app) << app.Describe();
  auto* jwt = std::get_if<coze::JWTOAuthClient>(&*app);
  ASSERT_NE(jwt, nullptr);
  auto me = Me(std::make_shared<coze::JWTAuth>(*jwt));
  EXPECT_TRUE(me) << me.Describe();
}

}  // namespace
}  // namespace cozeauth::it
