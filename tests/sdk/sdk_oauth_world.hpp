#pragma once
// SdkOAuth: the shared world of the SDK's OAuth integration tests (sdk_oauth_test.cpp, and
// sdk_renew_test.cpp's suite derived from it; one binary, one server per suite): a service app with
// a registered RSA key, authorized in its owner's account, in an enterprise and in its default
// organisation; a web app with a client secret; a PKCE and a device app. The browser's part of a
// code flow (login, consent) and of the device flow is done over HTTP, as
// tests/integration/oauth_flows_test.cpp does.

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <chrono>
#include <coze/client.hpp>
#include <coze/oauth.hpp>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "support/openapi_expect.hpp"
#include "support/shared_world.hpp"

namespace cozeauth::it {
using namespace std::chrono_literals;

constexpr const char* kWebRedirect = "http://localhost:8080/callback";
constexpr const char* kPkceRedirect = "http://127.0.0.1:53682/oauth/callback";

struct RsaPem {
  std::string private_pkcs8, public_spki;
};

inline RsaPem NewRsaKey() {
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

inline std::string Attr(const std::string& html, const std::string& name) {
  const std::string needle = "name=\"" + name + "\" value=\"";
  const size_t at = html.find(needle);
  if (at == std::string::npos) return {};
  const size_t start = at + needle.size();
  return html.substr(start, html.find('"', start) - start);
}

inline std::string QueryParam(const std::string& url, const std::string& key) {
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
 public:
  // The apps belong to the suite's server: a suite that ends (and so its server) drops them.
  static void TearDownTestSuite() {
    Slot().reset();
    SharedWorld<SdkOAuth>::TearDownTestSuite();
  }

 protected:
  struct Fixture {
    AppInfo service, web, pkce, device;
    std::string kid, web_secret;
    RsaPem key;
    EnterpriseInfo enterprise;
  };

  static std::unique_ptr<Fixture>& Slot() {
    static std::unique_ptr<Fixture> f;
    return f;
  }

  static Fixture& F() {
    std::unique_ptr<Fixture>& f = Slot();
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

}  // namespace cozeauth::it
