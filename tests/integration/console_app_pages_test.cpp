// The OAuth 应用 console pages (issue 12 §3) against the real binary: create every client type
// through the form, the share icon's link, editing redirect URIs without recreating the app (the
// new URI accepted and the old one refused by OAuth authorize), a client secret shown once and
// usable at the token endpoint, a generated key pair whose private key signs a JWT the server
// accepts, disable / enable of the app's tokens, the user's authorizations with revoke, the
// enterprise context, and the refusals (no CSRF token, another user's app, hostile names).
#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <boost/json.hpp>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/console_browser.hpp"
#include "support/openapi_expect.hpp"
#include "support/scenario.hpp"
#include "support/test_server.hpp"

namespace cozeauth::it {
namespace {
namespace json = boost::json;

const std::string kApi = "/api/permission_api/app/";
constexpr const char* kJwtGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const std::string kOldUri = "http://localhost:8080/callback";
const std::string kNewUri = "https://app.example.com/oauth/done";

std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    for (const std::string* s : {&k, &v}) {
      for (unsigned char c : *s) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
          out += static_cast<char>(c);
        } else {
          char buf[4];
          std::snprintf(buf, sizeof buf, "%%%02X", c);
          out += buf;
        }
      }
      if (s == &k) out += '=';
    }
  }
  return out;
}

// The text of the element with id="ID" (up to its first '<'), HTML entities as sent.
std::string ElementText(const std::string& html, const std::string& id) {
  const std::string needle = "id=\"" + id + "\"";
  size_t at = html.find(needle);
  if (at == std::string::npos) return {};
  at = html.find('>', at);
  if (at == std::string::npos) return {};
  return html.substr(at + 1, html.find('<', at) - at - 1);
}

std::string Unescape(std::string s) {
  const std::pair<std::string, std::string> entities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}};
  for (const auto& [from, to] : entities) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
      s.replace(at, from.size(), to);
    }
  }
  return s;
}

// An RS256 JWT signed with a PKCS#8 private key PEM, as the SDKs build it.
std::string SignJwt(const std::string& private_pem, const std::string& kid, const std::string& iss,
                    const std::string& aud) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(private_pem.data(), static_cast<int>(private_pem.size())), &BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
  if (!key) throw std::runtime_error("cannot read the private key PEM");
  auto b64url = [](std::string_view in) {
    std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(in.data()),
                                  static_cast<int>(in.size()));
    out.resize(static_cast<size_t>(n));
    for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
    while (!out.empty() && out.back() == '=') out.pop_back();
    return out;
  };
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const std::string input =
      b64url(json::serialize(json::object{{"alg", "RS256"}, {"typ", "JWT"}, {"kid", kid}})) + "." +
      b64url(json::serialize(json::object{
          {"iss", iss}, {"aud", aud}, {"iat", now}, {"exp", now + 600}, {"jti", RandomAlnum(24)}}));
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  size_t len = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(input.data());
  if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, in, input.size()) != 1) {
    throw std::runtime_error("cannot sign");
  }
  std::string sig(len, '\0');
  EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, in, input.size());
  sig.resize(len);
  return input + "." + b64url(sig);
}

class ConsoleAppPagesTest : public ::testing::Test {
 protected:
  ConsoleAppPagesTest() : scenario_(server_), http_(server_.Http()) {}

  ConsoleBrowser Login(const UserInfo& u) { return LoginBrowser(http_, u); }

  HttpResponse Page(const ConsoleBrowser& b, const std::string& path,
                    const std::string& lang = "zh") {
    return http_.Get(path + (path.find('?') == std::string::npos ? "?lang=" : "&lang=") + lang,
                     b.Read());
  }

  // A form post as the browser sends it, with the session's CSRF token unless `csrf` is given.
  HttpResponse Form(const ConsoleBrowser& b, const std::string& path,
                    std::vector<std::pair<std::string, std::string>> fields,
                    std::optional<std::string> csrf = std::nullopt) {
    fields.insert(fields.begin(), {"csrf_token", csrf.value_or(b.csrf)});
    if (csrf && csrf->empty()) fields.erase(fields.begin());
    return http_.Post(path, FormEncode(fields), b.Read(), "application/x-www-form-urlencoded");
  }

  // Creates an app through the page's form; returns its appid (from the 303 to its page).
  std::string CreateThroughPage(const ConsoleBrowser& b, const std::string& name,
                                const std::string& type, const std::string& prefix = "",
                                std::vector<std::pair<std::string, std::string>> extra = {}) {
    std::vector<std::pair<std::string, std::string>> fields = {
        {"client_type", type},
        {"name", name},
        {"description", "made by the page"},
        {"account_permission", "listWorkspace"},
        {"workspace_permission", "chat"}};
    if (type == "web" || type == "pkce") fields.push_back({"redirect_uris", kOldUri + "\r\n"});
    fields.insert(fields.end(), extra.begin(), extra.end());
    auto res = Form(b, prefix + "/open/oauth/apps", fields);
    EXPECT_EQ(res.status, 303u) << res.Describe();
    const std::string location = res.Header("Location");
    const std::string base = prefix + "/open/oauth/apps/";
    EXPECT_EQ(location.rfind(base, 0), 0u) << location;
    std::string appid = location.substr(base.size());
    return appid.substr(0, appid.find('?'));
  }

  json::value AppMeta(const ConsoleBrowser& b, const std::string& appid) {
    auto res = http_.Get(kApi + "get_app_meta?appid=" + appid, b.Read());
    return IsOk(res) ? Path(OkBody(res), "data.app") : json::value(nullptr);
  }

  std::string Audience() const { return "127.0.0.1:" + std::to_string(server_.port()); }

  TestServer server_;
  Scenario scenario_;
  HttpClient http_;
};

TEST_F(ConsoleAppPagesTest, CreatesEveryClientTypeAndListsThemWithTheShareLink) {
  UserInfo alice = scenario_.CreateUser("alice");
  ConsoleBrowser b = Login(alice);
  const std::string web = CreateThroughPage(b, "web-app", "web");
  const std::string pkce = CreateThroughPage(b, "spa-app", "pkce");
  const std::string device = CreateThroughPage(b, "tv-app", "device");
  const std::string service = CreateThroughPage(b, "svc-app", "service");
  EXPECT_EQ(Str(AppMeta(b, web), "client_type"), "web");
  EXPECT_EQ(Str(AppMeta(b, pkce), "client_type"), "pkce");
  EXPECT_EQ(Str(AppMeta(b, device), "client_type"), "device");
  EXPECT_EQ(Str(AppMeta(b, service), "client_type"), "service");
  EXPECT_EQ(Str(AppMeta(b, web), "redirect_uris.0"), kOldUri);
  EXPECT_EQ(Str(AppMeta(b, service), "declared_permission.account_permission.0"), "listWorkspace");

  auto zh = Page(b, "/open/oauth/apps", "zh");
  ASSERT_EQ(zh.status, 200u) << zh.Describe();
  for (const char* label :
       {"OAuth 应用", "客户端类型", "操作", "Web 后端应用", "移动端/PC 桌面端/单页面应用",
        "TV 端/设备应用/类命令行程序", "服务类应用", "已启用", "创建应用", "我的授权"}) {
    EXPECT_NE(zh.body.find(label), std::string::npos) << label;
  }
  for (const std::string& id : {web, pkce, device, service}) {
    EXPECT_NE(zh.body.find("href=\"/open/oauth/share?appid=" + id + "\" data-copy-href"),
              std::string::npos)
        << "share link of " << id;
    EXPECT_NE(zh.body.find("data-copy=\"share-" + id + "\""), std::string::npos);
    EXPECT_NE(zh.body.find("href=\"/open/oauth/apps/" + id + "\""), std::string::npos);
    EXPECT_NE(zh.body.find(Str(AppMeta(b, id), "client_id")), std::string::npos);
  }
  auto en = Page(b, "/open/oauth/apps", "en");
  for (const char* label : {"Client type", "Actions", "Web backend app", "Service app", "Enabled",
                            "Create an app", "Your authorizations"}) {
    EXPECT_NE(en.body.find(label), std::string::npos) << label;
  }
  // The share link leads to today's share page.
  auto share = http_.Get("/open/oauth/share?appid=" + service, b.Read());
  EXPECT_EQ(share.status, 200u) << share.Describe();

  // A refused form is shown again with the error and the values typed, nothing created.
  auto bad = Form(b, "/open/oauth/apps",
                  {{"client_type", "web"}, {"name", "no-uri"}, {"account_permission", "chat"}});
  EXPECT_EQ(bad.status, 400u) << bad.Describe();
  EXPECT_NE(bad.body.find("id=\"form-error\""), std::string::npos);
  EXPECT_NE(bad.body.find("value=\"no-uri\""), std::string::npos);
  EXPECT_EQ(Int(OkBody(http_.Get(kApi + "list_app_meta", b.Read())), "data.total"), 4);
}

// With --public-url the share link is under it (never under the request's Host header).
TEST(ConsoleAppPagesPublicUrl, TheShareLinkIsUnderThePublicUrl) {
  TestServer server(TestServerOptions{.extra_args = {"--public-url", "https://auth.example.com"}});
  Scenario scenario(server);
  HttpClient http = server.Http();
  ConsoleBrowser b = LoginBrowser(http, scenario.CreateUser("alice"));
  const std::string body = FormEncode({{"csrf_token", b.csrf},
                                       {"client_type", "service"},
                                       {"name", "svc"},
                                       {"account_permission", "listWorkspace"}});
  auto created = http.Post("/open/oauth/apps", body, b.Read(), "application/x-www-form-urlencoded");
  ASSERT_EQ(created.status, 303u) << created.Describe();
  const std::string appid =
      created.Header("Location").substr(std::string("/open/oauth/apps/").size(), 19);
  auto list = http.Get("/open/oauth/apps", b.Read());
  EXPECT_NE(
      list.body.find("href=\"https://auth.example.com/open/oauth/share?appid=" + appid + "\""),
      std::string::npos)
      << list.body;
}

TEST_F(ConsoleAppPagesTest, EditingTheRedirectUriTakesEffectWithoutRecreatingTheApp) {
  UserInfo alice = scenario_.CreateUser("alice");
  ConsoleBrowser b = Login(alice);
  const std::string appid = CreateThroughPage(b, "web-app", "web");
  const std::string client_id = Str(AppMeta(b, appid), "client_id");
  ASSERT_EQ(http_.Get(AuthorizeTarget(client_id, kOldUri), b.Read()).status, 200u);

  auto page = Page(b, "/open/oauth/apps/" + appid, "en");
  ASSERT_EQ(page.status, 200u) << page.Describe();
  EXPECT_NE(page.body.find("id=\"edit-redirect-uris\""), std::string::npos);
  auto edited = Form(b, "/open/oauth/apps/" + appid + "/edit",
                     {{"name", "web-app 2"}, {"description", "new"}, {"redirect_uris", kNewUri}});
  ASSERT_EQ(edited.status, 303u) << edited.Describe();
  EXPECT_EQ(edited.Header("Location"), "/open/oauth/apps/" + appid + "?notice=saved");

  const json::value meta = AppMeta(b, appid);
  EXPECT_EQ(Str(meta, "appid"), appid);
  EXPECT_EQ(Str(meta, "client_id"), client_id);  // the same app
  EXPECT_EQ(Str(meta, "name"), "web-app 2");
  EXPECT_EQ(Str(meta, "description"), "new");
  ASSERT_EQ(Path(meta, "redirect_uris").as_array().size(), 1u);
  EXPECT_EQ(Str(meta, "redirect_uris.0"), kNewUri);

  auto accepted = http_.Get(AuthorizeTarget(client_id, kNewUri), b.Read());
  EXPECT_EQ(accepted.status, 200u) << accepted.Describe();
  auto refused = http_.Get(AuthorizeTarget(client_id, kOldUri), b.Read());
  EXPECT_NE(refused.status, 200u) << refused.Describe();
  EXPECT_EQ(refused.Header("Location").find(kOldUri), std::string::npos) << refused.Describe();

  // The strict rule of creation applies to edits: nothing written on a bad URI.
  auto bad = Form(b, "/open/oauth/apps/" + appid + "/edit",
                  {{"name", "x"}, {"description", ""}, {"redirect_uris", "javascript:alert(1)"}});
  EXPECT_EQ(bad.status, 400u) << bad.Describe();
  EXPECT_NE(bad.body.find("id=\"form-error\""), std::string::npos);
  EXPECT_EQ(Str(AppMeta(b, appid), "name"), "web-app 2");
  EXPECT_EQ(Str(AppMeta(b, appid), "redirect_uris.0"), kNewUri);
}

TEST_F(ConsoleAppPagesTest, ClientSecretIsShownOnceAndWorksAtTheTokenEndpoint) {
  UserInfo alice = scenario_.CreateUser("alice");
  ConsoleBrowser b = Login(alice);
  const std::string appid = CreateThroughPage(b, "web-app", "web");
  auto created = Form(b, "/open/oauth/apps/" + appid + "/secrets", {});
  ASSERT_EQ(created.status, 200u) << created.Describe();
  EXPECT_EQ(created.Header("Cache-Control"), "no-store");
  EXPECT_NE(created.body.find("id=\"shown-once\""), std::string::npos);
  EXPECT_NE(created.body.find("data-copy=\"new-secret\""), std::string::npos);
  const std::string secret = ElementText(created.body, "new-secret");
  ASSERT_GE(secret.size(), 32u) << created.body;

  auto page = Page(b, "/open/oauth/apps/" + appid);
  EXPECT_EQ(page.body.find(secret), std::string::npos) << "the secret is shown only once";
  EXPECT_NE(page.body.find(secret.substr(0, 4) + "****"), std::string::npos);

  const json::value meta = AppMeta(b, appid);
  const AppInfo app{appid, Str(meta, "client_id")};
  const std::string token = ObtainOboToken(http_, b, app, secret, kOldUri, "personal");
  EXPECT_TRUE(IsOk(http_.Get("/v1/workspaces", Bearer(token))));

  // Deleted from the page: the token endpoint refuses it.
  const std::string secret_id = Str(meta, "client_secrets.0.id");
  auto deleted = Form(b, "/open/oauth/apps/" + appid + "/secrets/delete", {{"id", secret_id}});
  ASSERT_EQ(deleted.status, 303u) << deleted.Describe();
  EXPECT_EQ(Path(AppMeta(b, appid), "client_secrets").as_array().size(), 0u);
  EXPECT_THROW(ObtainOboToken(http_, b, app, secret, kOldUri, "personal"), std::runtime_error);
}

TEST_F(ConsoleAppPagesTest, GeneratedPrivateKeySignsAJwtTheServerAcceptsAndDisableSuspends) {
  UserInfo alice = scenario_.CreateUser("alice");
  ConsoleBrowser b = Login(alice);
  const std::string appid = CreateThroughPage(b, "svc-app", "service");
  auto generated = Form(b, "/open/oauth/apps/" + appid + "/keys/generate", {});
  ASSERT_EQ(generated.status, 200u) << generated.Describe();
  EXPECT_EQ(generated.Header("Cache-Control"), "no-store");
  EXPECT_NE(generated.body.find("download=\"private_key.pem\" href=\"data:"), std::string::npos);
  const std::string private_pem = Unescape(ElementText(generated.body, "private-key"));
  const std::string kid = ElementText(generated.body, "new-kid");
  ASSERT_EQ(private_pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u) << generated.body;
  EXPECT_EQ(Str(AppMeta(b, appid), "public_keys.0.fingerprint"), kid);
  // Never stored: the app's page and its API show only the fingerprint.
  auto page = Page(b, "/open/oauth/apps/" + appid);
  EXPECT_EQ(page.body.find("PRIVATE KEY"), std::string::npos);
  EXPECT_NE(page.body.find(kid), std::string::npos);

  ASSERT_TRUE(IsOk(http_.PostJson(kApi + "authorize_app_with_declared_permission",
                                  {{"appid", appid}}, b.Write())));
  auto exchange = [&] {
    return http_.PostJson("/api/permission/oauth2/token", {{"grant_type", kJwtGrant}},
                          Bearer(SignJwt(private_pem, kid, appid, Audience())));
  };
  auto res = exchange();
  ASSERT_EQ(res.status, 200u) << res.Describe();
  const std::string token(res.Json().at("access_token").as_string());
  auto use = [&] { return http_.Get("/v1/workspaces", Bearer(token)); };
  ASSERT_TRUE(IsOk(use())) << use().Describe();

  auto disabled = Form(b, "/open/oauth/apps/" + appid + "/status", {{"status", "Deactive"}});
  ASSERT_EQ(disabled.status, 303u) << disabled.Describe();
  EXPECT_EQ(Str(AppMeta(b, appid), "status"), "Deactive");
  EXPECT_NE(CodeOf(use()), 0) << use().Describe();
  EXPECT_NE(exchange().status, 200u);
  auto page_disabled = Page(b, "/open/oauth/apps/" + appid, "en");
  EXPECT_NE(page_disabled.body.find("id=\"enable-app\""), std::string::npos);

  auto enabled = Form(b, "/open/oauth/apps/" + appid + "/status", {{"status", "Active"}});
  ASSERT_EQ(enabled.status, 303u) << enabled.Describe();
  EXPECT_TRUE(IsOk(use())) << use().Describe();

  // Delete with confirmation: the app is gone and its token with it.
  auto app_page = Page(b, "/open/oauth/apps/" + appid);
  EXPECT_NE(app_page.body.find("data-confirm="), std::string::npos);
  auto deleted = Form(b, "/open/oauth/apps/" + appid + "/delete", {});
  ASSERT_EQ(deleted.status, 303u) << deleted.Describe();
  EXPECT_EQ(deleted.Header("Location"), "/open/oauth/apps?notice=deleted");
  EXPECT_TRUE(AppMeta(b, appid).is_null());
  EXPECT_NE(CodeOf(use()), 0);
}

TEST_F(ConsoleAppPagesTest, UploadsAPublicKeyAndRevokesTheUsersAuthorization) {
  UserInfo alice = scenario_.CreateUser("alice");
  ConsoleBrowser b = Login(alice);
  const std::string appid = CreateThroughPage(b, "svc-app", "service");
  auto generated = Form(b, "/open/oauth/apps/" + appid + "/keys/generate", {});
  const std::string public_pem = Unescape(ElementText(generated.body, "public-key"));
  const std::string kid = ElementText(generated.body, "new-kid");
  auto removed = Form(b, "/open/oauth/apps/" + appid + "/keys/delete", {{"fingerprint", kid}});
  ASSERT_EQ(removed.status, 303u) << removed.Describe();
  EXPECT_EQ(Path(AppMeta(b, appid), "public_keys").as_array().size(), 0u);
  auto uploaded = Form(b, "/open/oauth/apps/" + appid + "/keys", {{"public_key_pem", public_pem}});
  ASSERT_EQ(uploaded.status, 303u) << uploaded.Describe();
  EXPECT_EQ(Str(AppMeta(b, appid), "public_keys.0.fingerprint"), kid);
  auto garbage = Form(b, "/open/oauth/apps/" + appid + "/keys", {{"public_key_pem", "nope"}});
  EXPECT_EQ(garbage.status, 400u);
  EXPECT_NE(garbage.body.find("id=\"form-error\""), std::string::npos);

  auto authorized = http_.PostJson(kApi + "authorize_app_with_declared_permission",
                                   {{"appid", appid}}, b.Write());
  ASSERT_TRUE(IsOk(authorized)) << authorized.Describe();
  const std::string authorization = Str(OkBody(authorized), "data.authorization.authorization_id");
  auto list = Page(b, "/open/oauth/apps", "en");
  EXPECT_NE(list.body.find("id=\"authorization-" + authorization + "\""), std::string::npos);
  auto revoked = Form(b, "/open/oauth/authorizations/revoke",
                      {{"appid", appid}, {"authorization_id", authorization}});
  ASSERT_EQ(revoked.status, 303u) << revoked.Describe();
  EXPECT_EQ(Int(OkBody(http_.Get(kApi + "list_authorized_apps", b.Read())), "data.total"), 0);
}

TEST_F(ConsoleAppPagesTest, TheUsersOwnOboConsentIsListedAndRevoked) {
  UserInfo alice = scenario_.CreateUser("alice");
  UserInfo bob = scenario_.CreateUser("bob");
  ConsoleBrowser b = Login(alice);
  const std::string appid = CreateThroughPage(b, "web-app", "web");
  const std::string secret =
      ElementText(Form(b, "/open/oauth/apps/" + appid + "/secrets", {}).body, "new-secret");
  const AppInfo app{appid, Str(AppMeta(b, appid), "client_id")};
  const std::string token = ObtainOboToken(http_, b, app, secret, kOldUri, "personal");
  auto use = [&] { return http_.Get("/v1/workspaces", Bearer(token)); };
  ASSERT_TRUE(IsOk(use()));

  auto listed = http_.Get(kApi + "list_my_obo_authorizations", b.Read());
  ASSERT_TRUE(IsOk(listed)) << listed.Describe();
  ASSERT_EQ(Int(OkBody(listed), "data.total"), 1) << listed.Describe();
  const std::string consent = Str(OkBody(listed), "data.authorizations.0.authorization_id");
  EXPECT_EQ(Str(OkBody(listed), "data.authorizations.0.appid"), appid);
  auto page = Page(b, "/open/oauth/apps", "en");
  EXPECT_NE(page.body.find("id=\"my-consents\""), std::string::npos);
  EXPECT_NE(page.body.find("id=\"authorization-" + consent + "\""), std::string::npos);

  // Not bob's to revoke: refused as unknown, nothing changes.
  ConsoleBrowser other = Login(bob);
  EXPECT_EQ(Int(OkBody(http_.Get(kApi + "list_my_obo_authorizations", other.Read())), "data.total"),
            0);
  auto stolen =
      Form(other, "/open/oauth/authorizations/revoke-consent", {{"authorization_id", consent}});
  EXPECT_EQ(stolen.status, 404u) << stolen.Describe();
  EXPECT_TRUE(IsOk(use()));

  auto revoked =
      Form(b, "/open/oauth/authorizations/revoke-consent", {{"authorization_id", consent}});
  ASSERT_EQ(revoked.status, 303u) << revoked.Describe();
  EXPECT_EQ(revoked.Header("Location"), "/open/oauth/apps?notice=revoked");
  EXPECT_NE(CodeOf(use()), 0) << use().Describe();
  EXPECT_EQ(Int(OkBody(http_.Get(kApi + "list_my_obo_authorizations", b.Read())), "data.total"), 0);
}

TEST_F(ConsoleAppPagesTest, WithoutTheCsrfTokenNothingChanges) {
  UserInfo alice = scenario_.CreateUser("alice");
  ConsoleBrowser b = Login(alice);
  const std::string appid = CreateThroughPage(b, "web-app", "web");
  const std::string base = "/open/oauth/apps/" + appid;
  for (const std::string& csrf : {std::string(), std::string("wrong")}) {
    for (const auto& [path, fields] :
         std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>>{
             {"/open/oauth/apps",
              {{"client_type", "service"}, {"name", "x"}, {"account_permission", "listWorkspace"}}},
             {base + "/edit", {{"name", "renamed"}, {"redirect_uris", kNewUri}}},
             {base + "/status", {{"status", "Deactive"}}},
             {base + "/secrets", {}},
             {base + "/delete", {}}}) {
      auto res = Form(b, path, fields, csrf);
      EXPECT_EQ(res.status, 403u) << path << " " << res.Describe();
    }
  }
  const json::value meta = AppMeta(b, appid);
  EXPECT_EQ(Str(meta, "name"), "web-app");
  EXPECT_EQ(Str(meta, "status"), "Active");
  EXPECT_EQ(Str(meta, "redirect_uris.0"), kOldUri);
  EXPECT_EQ(Path(meta, "client_secrets").as_array().size(), 0u);
  EXPECT_EQ(Int(OkBody(http_.Get(kApi + "list_app_meta", b.Read())), "data.total"), 1);
}

TEST_F(ConsoleAppPagesTest, AnotherUsersAppCannotBeSeenOrChanged) {
  UserInfo alice = scenario_.CreateUser("alice");
  UserInfo bob = scenario_.CreateUser("bob");
  ConsoleBrowser a = Login(alice);
  ConsoleBrowser b = Login(bob);
  const std::string appid = CreateThroughPage(a, "alice-app", "web");
  const std::string base = "/open/oauth/apps/" + appid;
  EXPECT_EQ(Page(b, base).status, 404u);
  auto list = Page(b, "/open/oauth/apps");
  EXPECT_EQ(list.body.find(appid), std::string::npos);
  EXPECT_EQ(list.body.find("alice-app"), std::string::npos);
  for (const auto& [path, fields] :
       std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>>{
           {base + "/edit", {{"name", "mine"}, {"redirect_uris", kNewUri}}},
           {base + "/status", {{"status", "Deactive"}}},
           {base + "/secrets", {}},
           {base + "/keys/generate", {}},
           {base + "/delete", {}}}) {
    auto res = Form(b, path, fields);
    EXPECT_EQ(res.status, 404u) << path << " " << res.Describe();
  }
  const json::value meta = AppMeta(a, appid);
  EXPECT_EQ(Str(meta, "name"), "alice-app");
  EXPECT_EQ(Str(meta, "status"), "Active");
  EXPECT_EQ(Str(meta, "redirect_uris.0"), kOldUri);
  EXPECT_EQ(Path(meta, "client_secrets").as_array().size(), 0u);
}

TEST_F(ConsoleAppPagesTest, EnterpriseAdminsManageTheirOrganizationsApps) {
  UserInfo boss = scenario_.CreateUser("boss");
  UserInfo ann = scenario_.CreateUser("ann");
  UserInfo eve = scenario_.CreateUser("eve");
  EnterpriseInfo ent = scenario_.CreateEnterprise("Acme", boss.id);
  scenario_.cli().Must(
      {"enterprise", "add-member", "--enterprise", ent.id, "--user", ann.id, "--role", "member"});
  ConsoleBrowser b = Login(boss);
  const std::string prefix = "/enterprise/" + ent.id;
  const std::string appid = CreateThroughPage(b, "org-app", "service", prefix,
                                              {{"organization_id", ent.default_org_account_id}});
  EXPECT_EQ(Str(AppMeta(b, appid), "organization_id"), ent.default_org_account_id);
  auto list = Page(b, prefix + "/open/oauth/apps");
  ASSERT_EQ(list.status, 200u) << list.Describe();
  EXPECT_NE(list.body.find("href=\"" + prefix + "/open/oauth/apps/" + appid + "\""),
            std::string::npos);
  EXPECT_NE(list.body.find("/open/oauth/share?appid=" + appid), std::string::npos);
  EXPECT_EQ(Page(b, prefix + "/open/oauth/apps/" + appid).status, 200u);
  // Not a personal app: the personal page neither lists nor shows it.
  EXPECT_EQ(Page(b, "/open/oauth/apps").body.find(appid), std::string::npos);
  EXPECT_EQ(Page(b, "/open/oauth/apps/" + appid).status, 404u);

  // A member sees no apps and cannot change them; a non-member gets 404 for the enterprise.
  ConsoleBrowser m = Login(ann);
  auto member_list = Page(m, prefix + "/open/oauth/apps");
  EXPECT_EQ(member_list.body.find(appid), std::string::npos);
  EXPECT_NE(member_list.body.find("id=\"not-admin\""), std::string::npos);
  EXPECT_EQ(
      Form(m, prefix + "/open/oauth/apps/" + appid + "/status", {{"status", "Deactive"}}).status,
      404u);
  ConsoleBrowser outsider = Login(eve);
  EXPECT_EQ(Page(outsider, prefix + "/open/oauth/apps").status, 404u);
  EXPECT_EQ(Str(AppMeta(b, appid), "status"), "Active");
}

TEST_F(ConsoleAppPagesTest, HostileNamesRenderEscaped) {
  UserInfo alice = scenario_.CreateUser("alice");
  ConsoleBrowser b = Login(alice);
  const std::string hostile = "<script>alert(\"x\")</script>' \xE2\x80\xAE evil";
  const std::string appid = CreateThroughPage(b, hostile, "web");
  for (const std::string& path : {std::string("/open/oauth/apps"), "/open/oauth/apps/" + appid}) {
    auto page = Page(b, path);
    ASSERT_EQ(page.status, 200u) << page.Describe();
    EXPECT_EQ(page.body.find("<script>alert"), std::string::npos) << path;
    EXPECT_NE(page.body.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;"),
              std::string::npos)
        << path;
    EXPECT_NE(page.body.find("\xE2\x80\xAE"), std::string::npos);  // kept as text, escaped around
  }
  auto secret = Form(b, "/open/oauth/apps/" + appid + "/secrets", {});
  EXPECT_EQ(secret.body.find("<script>alert"), std::string::npos);
}

}  // namespace
}  // namespace cozeauth::it
