// The SDK's OAuth clients and Auth providers against the real server (tests/support): JWT in
// the owner's account, for an organisation (account_id) and for an enterprise (enterprise_id);
// the web code flow with refresh; PKCE with S256 and plain; the device flow approved through the
// verification endpoint. The browser's part (login, consent) is done over HTTP, as
// tests/integration/oauth_flows_test.cpp does. Every token then calls users().Me() through a
// coze::Client over libcurl.

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <coze/client.hpp>
#include <coze/oauth.hpp>
#include <fstream>
#include <thread>

#include "support/openapi_expect.hpp"
#include "support/shared_world.hpp"

namespace cozeauth::it {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;

constexpr const char* kWebRedirect = "http://localhost:8080/callback";
constexpr const char* kPkceRedirect = "http://127.0.0.1:53682/oauth/callback";

struct RsaPem {
  std::string private_pkcs8, public_spki;
};

RsaPem NewRsaKey() {
  EVP_PKEY* pkey = EVP_RSA_gen(2048);
  if (pkey == nullptr) throw std::runtime_error("EVP_RSA_gen failed");
  auto pem = [](auto write) {
    BIO* bio = BIO_new(BIO_s_mem());
    write(bio);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<size_t>(n));
    BIO_free(bio);
    return out;
  };
  RsaPem k;
  k.private_pkcs8 = pem(
      [&](BIO* b) { PEM_write_bio_PrivateKey(b, pkey, nullptr, nullptr, 0, nullptr, nullptr); });
  k.public_spki = pem([&](BIO* b) { PEM_write_bio_PUBKEY(b, pkey); });
  EVP_PKEY_free(pkey);
  return k;
}

std::string Attr(const std::string& html, const std::string& name) {
  const std::string needle = "name=\"" + name + "\" value=\"";
  const size_t at = html.find(needle);
  if (at == std::string::npos) return {};
  const size_t start = at + needle.size();
  return html.substr(start, html.find('"', start) - start);
}

std::string QueryParam(const std::string& url, const std::string& key) {
  for (const char sep : {'?', '&'}) {
    const size_t at = url.find(sep + key + "=");
    if (at == std::string::npos) continue;
    const size_t start = at + key.size() + 2;
    const size_t end = url.find('&', start);
    return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  }
  return {};
}

struct Browser {
  std::string cookie, csrf;
  Headers Read() const { return {{"Cookie", cookie}}; }
  Headers Write() const { return {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}; }
};

// Retries `f` (returning a Result) while it fails: the CLI's writes reach the server within
// 200 ms. The deadline only bounds a failure, generously, for a loaded machine.
template <typename F>
auto Eventually(F f) {
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  for (;;) {
    auto r = f();
    if (r || std::chrono::steady_clock::now() > deadline) return r;
    std::this_thread::sleep_for(50ms);
  }
}

class SdkOAuth : public SharedWorld<SdkOAuth> {
 protected:
  struct Fixture {
    AppInfo service, web, pkce, device;
    std::string kid, web_secret;
    RsaPem key;
    EnterpriseInfo enterprise;
  };

  static Fixture& F() {
    static std::unique_ptr<Fixture> f;
    if (!f) {
      auto made = std::make_unique<Fixture>();
      const std::string owner = world().user.id;
      made->key = NewRsaKey();
      made->service = scenario().CreateApp({.owner = owner, .client_type = "service"});
      made->kid = scenario().AddAppKey(made->service.id, made->key.public_spki);
      scenario().AuthorizeApp(made->service.id, owner, owner);
      made->enterprise = scenario().CreateEnterprise("SDK OAuth Inc", owner);
      // Enterprise-wide (enterprise_id) and in its default organisation (account_id).
      scenario().AuthorizeApp(made->service.id, owner, made->enterprise.id);
      scenario().AuthorizeApp(made->service.id, owner, made->enterprise.default_org_account_id);
      made->web = scenario().CreateApp(
          {.owner = owner, .client_type = "web", .redirect_uris = {kWebRedirect}});
      made->web_secret = scenario().CreateClientSecret(made->web.id);
      made->pkce = scenario().CreateApp(
          {.owner = owner, .client_type = "pkce", .redirect_uris = {kPkceRedirect}});
      made->device = scenario().CreateApp({.owner = owner, .client_type = "device"});
      f = std::move(made);
    }
    return *f;
  }

  static coze::OAuthClientOptions Options(const std::string& client_id) {
    coze::OAuthClientOptions o;
    o.client_id = client_id;
    o.base_url = server().base_url();
    o.timeout = 20s;
    return o;
  }

  static coze::JWTOAuthClient Jwt() {
    coze::OAuthClientOptions o = Options(F().service.id);
    o.private_key = F().key.private_pkcs8;
    o.public_key_id = F().kid;
    auto client = coze::JWTOAuthClient::Create(o);
    if (!client) throw std::runtime_error(client.Describe());
    return *client;
  }

  static coze::Result<coze::User> Me(std::shared_ptr<coze::Auth> auth) {
    coze::Client client({.base_url = server().base_url(), .auth = std::move(auth), .timeout = 20s});
    return client.users().Me();
  }
  static coze::Result<coze::User> MeWith(const std::string& token) {
    return Me(std::make_shared<coze::TokenAuth>(token));
  }

  static Browser Login() {
    const UserInfo& u = world().user;
    auto res = http().PostJson("/api/passport/web/email/login/",
                               {{"email", u.email}, {"password", u.password}});
    EXPECT_TRUE(IsOk(res)) << res.Describe();
    std::string cookie;
    for (const auto& [k, v] : res.headers) {
      if ((k == "Set-Cookie" || k == "set-cookie") && v.rfind("cozeauth_session=", 0) == 0) {
        cookie = v.substr(0, v.find(';'));
      }
    }
    return {cookie, Str(OkBody(res), "data.csrf_token")};
  }

  // The browser's part of the code flow for an authorize URL the SDK built: the consent page,
  // then the consent (Coze's JSON console call). Returns the URL the app's redirect_uri gets.
  static std::string Consent(const std::string& sdk_url) {
    const std::string base = server().base_url();
    EXPECT_EQ(sdk_url.rfind(base + "/api/permission/oauth2/", 0), 0u) << sdk_url;
    Browser b = Login();
    auto page = http().Get(sdk_url.substr(base.size()), b.Read());
    EXPECT_EQ(page.status, 200u) << page.Describe();
    auto consent = http().PostJson("/api/permission/oauth2/authorize_consent",
                                   {{"authorize_key", Attr(page.body, "authorize_key")},
                                    {"consent", true},
                                    {"place", "personal"}},
                                   b.Write());
    EXPECT_TRUE(IsOk(consent)) << consent.Describe();
    return Str(OkBody(consent), "data.redirect_uri");
  }

  static void DecideDevice(const std::string& user_code, bool approve) {
    Browser b = Login();
    auto res = http().PostJson("/api/permission/oauth2/device/verification",
                               {{"user_code", user_code}, {"consent", approve}}, b.Write());
    ASSERT_TRUE(IsOk(res)) << res.Describe();
  }
};

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
