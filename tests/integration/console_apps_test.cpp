// The console's OAuth-app self-service over HTTP against the real binary, at Coze's paths
// /api/permission_api/app/… (coze-platform.md §5.2–§5.4): app metadata for every client type,
// client secrets shown once, public keys → fingerprints, disable/enable/delete, AppAuth
// authorizations, OBO installations into an enterprise and its installation list, and the
// refusals (no session, no CSRF, another user's app, bad input, a member listing installations).
#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <boost/json.hpp>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "support/console_browser.hpp"
#include "support/openapi_expect.hpp"
#include "support/scenario.hpp"
#include "support/test_server.hpp"

namespace cozeauth::it {
namespace {
namespace json = boost::json;

const std::string kApp = "/api/permission_api/app/";

using Session = ConsoleBrowser;

// A 2048-bit RSA key pair: the public half as SPKI PEM and its kid, base64url(SHA-256(DER SPKI))
// without padding (coze-protocol.md §4.7), computed here independently of the server.
struct RsaKey {
  std::string public_pem;
  std::string private_pem;
  std::string fingerprint;
};

RsaKey GenerateRsaKey() {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), &EVP_PKEY_free);
  if (!key) throw std::runtime_error("EVP_RSA_gen failed");
  auto pem = [&](bool priv) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    const int ok =
        priv ? PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr)
             : PEM_write_bio_PUBKEY(bio.get(), key.get());
    if (ok != 1) throw std::runtime_error("PEM_write failed");
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(n));
  };
  unsigned char* der = nullptr;
  const int der_len = i2d_PUBKEY(key.get(), &der);
  if (der_len <= 0) throw std::runtime_error("i2d_PUBKEY failed");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  EVP_Digest(der, static_cast<size_t>(der_len), digest, &digest_len, EVP_sha256(), nullptr);
  OPENSSL_free(der);
  unsigned char b64[128];
  const int b64_len = EVP_EncodeBlock(b64, digest, static_cast<int>(digest_len));
  std::string kid(reinterpret_cast<char*>(b64), static_cast<size_t>(b64_len));
  for (char& ch : kid) ch = ch == '+' ? '-' : ch == '/' ? '_' : ch;
  while (!kid.empty() && kid.back() == '=') kid.pop_back();
  return RsaKey{pem(false), pem(true), kid};
}

class ConsoleAppsTest : public ::testing::Test {
 protected:
  ConsoleAppsTest() : scenario_(server_), http_(server_.Http()) {}

  Session Login(const UserInfo& u) { return LoginBrowser(http_, u); }

  static json::object AppBody(const std::string& name, const std::string& client_type) {
    json::object body{{"name", name},
                      {"description", "made by " + name},
                      {"client_type", client_type},
                      {"declared_permission",
                       {{"account_permission", json::array{"listWorkspace", "createConversation"}},
                        {"workspace_permission", json::array{"chat"}}}}};
    if (client_type == "web" || client_type == "pkce" || client_type == "WebBackend" ||
        client_type == "SinglePageOrNative") {
      body["redirect_uris"] = json::array{"http://localhost:8080/callback"};
    }
    return body;
  }

  HttpResponse Post(const std::string& op, const json::object& body, const Session& s) {
    return http_.PostJson(kApp + op, body, s.Write());
  }
  HttpResponse Get(const std::string& op_and_query, const Session& s) {
    return http_.Get(kApp + op_and_query, s.Read());
  }

  // Creates an app and returns its AppMeta.
  json::value Create(const Session& s, const std::string& name, const std::string& client_type,
                     json::object extra = {}) {
    json::object body = AppBody(name, client_type);
    for (auto& kv : extra) body[kv.key()] = kv.value();
    auto res = Post("create_app_meta", body, s);
    EXPECT_TRUE(IsOk(res)) << res.Describe();
    return Path(OkBody(res), "data.app");
  }

  json::value GetApp(const Session& s, const std::string& appid) {
    auto res = Get("get_app_meta?appid=" + appid, s);
    EXPECT_TRUE(IsOk(res)) << res.Describe();
    return Path(OkBody(res), "data.app");
  }

  int64_t AppCount(const Session& s) { return Int(OkBody(Get("list_app_meta", s)), "data.total"); }

  TestServer server_;
  Scenario scenario_;
  HttpClient http_;
};

TEST_F(ConsoleAppsTest, CreatesEveryClientTypeAndListsAndGetsThem) {
  UserInfo alice = scenario_.CreateUser("alice");
  Session s = Login(alice);
  const json::value web = Create(s, "web-app", "web");
  const json::value pkce = Create(s, "spa-app", "SinglePageOrNative");
  const json::value device = Create(s, "tv-app", "Terminal");
  const json::value service = Create(s, "svc-app", "service", {{"app_type", "normal"}});

  EXPECT_TRUE(IsId(Path(web, "appid")));
  EXPECT_EQ(Str(web, "app_owner_id"), alice.id);
  EXPECT_EQ(Str(web, "name"), "web-app");
  EXPECT_EQ(Str(web, "description"), "made by web-app");
  EXPECT_TRUE(IsTimestamp(Path(web, "created_at")));
  EXPECT_EQ(Str(web, "status"), "Active");
  EXPECT_EQ(Str(web, "app_type"), "normal");
  EXPECT_EQ(Str(web, "client_type"), "web");
  EXPECT_EQ(Str(pkce, "client_type"), "pkce");
  EXPECT_EQ(Str(device, "client_type"), "device");
  EXPECT_EQ(Str(service, "client_type"), "service");
  const std::string client_id = Str(web, "client_id");
  EXPECT_EQ(client_id.size(), 32u + std::string(".app.coze").size()) << client_id;
  EXPECT_EQ(client_id.substr(32), ".app.coze");
  EXPECT_EQ(Str(service, "client_id"), Str(service, "appid"));  // the JWT iss
  std::set<std::string> declared;
  for (const auto& p : Path(web, "declared_permission.account_permission").as_array()) {
    declared.insert(std::string(p.as_string()));
  }
  EXPECT_EQ(declared, (std::set<std::string>{"listWorkspace", "createConversation"}));
  EXPECT_EQ(json::serialize(Path(web, "declared_permission.workspace_permission")), R"(["chat"])");

  auto list = Get("list_app_meta", s);
  ASSERT_TRUE(IsOk(list)) << list.Describe();
  const json::value listed = OkBody(list);
  EXPECT_EQ(Int(listed, "data.total"), 4);
  std::set<std::string> ids;
  for (const auto& a : Path(listed, "data.apps").as_array()) ids.insert(Str(a, "appid"));
  EXPECT_EQ(ids, (std::set<std::string>{Str(web, "appid"), Str(pkce, "appid"), Str(device, "appid"),
                                        Str(service, "appid")}));

  const json::value got = GetApp(s, Str(web, "appid"));
  EXPECT_EQ(json::serialize(Path(got, "redirect_uris")), R"(["http://localhost:8080/callback"])");
  EXPECT_EQ(Path(got, "client_secrets").as_array().size(), 0u);
  EXPECT_EQ(Path(got, "public_keys").as_array().size(), 0u);
  EXPECT_EQ(Str(got, "client_id"), client_id);
}

TEST_F(ConsoleAppsTest, ClientSecretPlaintextIsShownOnlyOnCreation) {
  Session s = Login(scenario_.CreateUser("alice"));
  const std::string appid = Str(Create(s, "web-app", "web"), "appid");
  auto created = Post("create_client_secret", {{"appid", appid}}, s);
  ASSERT_TRUE(IsOk(created)) << created.Describe();
  const json::value body = OkBody(created);
  const std::string plaintext = Str(body, "data.client_secret.plaintext");
  const std::string mask = Str(body, "data.client_secret.mask");
  const std::string id = Str(body, "data.client_secret.id");
  EXPECT_GE(plaintext.size(), 32u);
  EXPECT_EQ(mask, plaintext.substr(0, 4) + "****" + plaintext.substr(plaintext.size() - 4));

  auto got = Get("get_app_meta?appid=" + appid, s);
  ASSERT_TRUE(IsOk(got)) << got.Describe();
  EXPECT_EQ(got.body.find(plaintext), std::string::npos) << "get_app_meta leaks the secret";
  EXPECT_EQ(got.body.find(Sha256Hex(plaintext)), std::string::npos);
  const json::value secret = Path(OkBody(got), "data.app.client_secrets.0");
  EXPECT_EQ(Str(secret, "id"), id);
  EXPECT_EQ(Str(secret, "mask"), mask);
  EXPECT_FALSE(Has(secret, "plaintext"));

  ASSERT_TRUE(IsOk(Post("delete_client_secret", {{"appid", appid}, {"id", id}}, s)));
  EXPECT_EQ(Path(GetApp(s, appid), "client_secrets").as_array().size(), 0u);
  EXPECT_TRUE(IsCozeError(Post("delete_client_secret", {{"appid", appid}, {"id", id}}, s), 4200));

  // Only web apps have client secrets.
  const std::string service = Str(Create(s, "svc-app", "service"), "appid");
  auto refused = Post("create_client_secret", {{"appid", service}}, s);
  EXPECT_TRUE(IsCozeError(refused, 4000)) << refused.Describe();
  EXPECT_NE(Str(refused.Json(), "msg").find("appid"), std::string::npos) << refused.Describe();
}

TEST_F(ConsoleAppsTest, PublicKeyUploadReturnsItsFingerprint) {
  Session s = Login(scenario_.CreateUser("alice"));
  const std::string appid = Str(Create(s, "svc-app", "Service"), "appid");
  const RsaKey key = GenerateRsaKey();
  auto uploaded =
      Post("upload_public_key", {{"appid", appid}, {"public_key_pem", key.public_pem}}, s);
  ASSERT_TRUE(IsOk(uploaded)) << uploaded.Describe();
  EXPECT_EQ(Str(OkBody(uploaded), "data.fingerprint"), key.fingerprint);

  const json::value got = GetApp(s, appid);
  ASSERT_EQ(Path(got, "public_keys").as_array().size(), 1u);
  EXPECT_EQ(Str(got, "public_keys.0.fingerprint"), key.fingerprint);
  EXPECT_TRUE(IsTimestamp(Path(got, "public_keys.0.created_at")));

  auto again = Post("upload_public_key", {{"appid", appid}, {"public_key_pem", key.public_pem}}, s);
  EXPECT_TRUE(IsCozeError(again, 4201)) << again.Describe();
  // Only the public half is ever uploaded.
  auto private_half =
      Post("upload_public_key", {{"appid", appid}, {"public_key_pem", key.private_pem}}, s);
  EXPECT_TRUE(IsCozeError(private_half, 4000)) << private_half.Describe();
  auto garbage = Post("upload_public_key", {{"appid", appid}, {"public_key_pem", "nope"}}, s);
  EXPECT_TRUE(IsCozeError(garbage, 4000)) << garbage.Describe();
  EXPECT_NE(Str(garbage.Json(), "msg").find("public_key_pem"), std::string::npos);

  ASSERT_TRUE(
      IsOk(Post("delete_public_key", {{"appid", appid}, {"fingerprint", key.fingerprint}}, s)));
  EXPECT_EQ(Path(GetApp(s, appid), "public_keys").as_array().size(), 0u);

  // A web app has no keys.
  const std::string web = Str(Create(s, "web-app", "web"), "appid");
  EXPECT_TRUE(IsCozeError(
      Post("upload_public_key", {{"appid", web}, {"public_key_pem", key.public_pem}}, s), 4000));
}

TEST_F(ConsoleAppsTest, DisableEnableAndDelete) {
  Session s = Login(scenario_.CreateUser("alice"));
  const std::string appid = Str(Create(s, "svc-app", "service"), "appid");
  auto disabled = Post("update_app_meta", {{"appid", appid}, {"status", "Deactive"}}, s);
  ASSERT_TRUE(IsOk(disabled)) << disabled.Describe();
  EXPECT_EQ(Str(OkBody(disabled), "data.app.status"), "Deactive");
  EXPECT_EQ(Str(GetApp(s, appid), "status"), "Deactive");
  ASSERT_TRUE(IsOk(Post("update_app_meta", {{"appid", appid}, {"status", "Active"}}, s)));
  EXPECT_EQ(Str(GetApp(s, appid), "status"), "Active");

  // Status, name, description and redirect URIs are editable; anything else is refused naming
  // the field, and a refused request changes nothing.
  auto retype = Post("update_app_meta", {{"appid", appid}, {"client_type", "web"}}, s);
  EXPECT_TRUE(IsCozeError(retype, 4000)) << retype.Describe();
  EXPECT_NE(Str(retype.Json(), "msg").find("client_type"), std::string::npos);
  EXPECT_TRUE(IsCozeError(
      Post("update_app_meta", {{"appid", appid}, {"name", "other"}, {"status", "Paused"}}, s),
      4000));
  EXPECT_TRUE(IsCozeError(Post("update_app_meta", {{"appid", appid}}, s), 4000));
  EXPECT_TRUE(IsCozeError(Post("update_app_meta", {{"appid", appid}, {"name", ""}}, s), 4000));
  // A service app has no redirect URIs.
  EXPECT_TRUE(IsCozeError(
      Post("update_app_meta", {{"appid", appid}, {"redirect_uris", json::array{"http://x/cb"}}}, s),
      4000));
  EXPECT_EQ(Str(GetApp(s, appid), "name"), "svc-app");
  auto renamed =
      Post("update_app_meta", {{"appid", appid}, {"name", "other"}, {"description", "d2"}}, s);
  ASSERT_TRUE(IsOk(renamed)) << renamed.Describe();
  EXPECT_EQ(Str(OkBody(renamed), "data.app.name"), "other");
  EXPECT_EQ(Str(GetApp(s, appid), "description"), "d2");
  EXPECT_EQ(Str(GetApp(s, appid), "status"), "Active");

  ASSERT_TRUE(IsOk(Post("delete_app", {{"appid", appid}}, s)));
  EXPECT_TRUE(IsCozeError(Get("get_app_meta?appid=" + appid, s), 4200));
  EXPECT_TRUE(IsCozeError(Post("delete_app", {{"appid", appid}}, s), 4200));
  EXPECT_EQ(AppCount(s), 0);
}

// Redirect URIs change in place (the app, its client_id and secrets stay) under the same rule as
// on creation: 1–3 absolute http(s) URLs without fragment.
TEST_F(ConsoleAppsTest, RedirectUrisChangeWithoutRecreatingTheApp) {
  Session s = Login(scenario_.CreateUser("alice"));
  const json::value web = Create(s, "web-app", "web");
  const std::string appid = Str(web, "appid");
  ASSERT_TRUE(IsOk(Post("create_client_secret", {{"appid", appid}}, s)));
  auto changed =
      Post("update_app_meta",
           {{"appid", appid},
            {"redirect_uris", json::array{"https://a.example/cb", "http://b.example/x"}}},
           s);
  ASSERT_TRUE(IsOk(changed)) << changed.Describe();
  const json::value got = GetApp(s, appid);
  EXPECT_EQ(Str(got, "client_id"), Str(web, "client_id"));
  EXPECT_EQ(Path(got, "client_secrets").as_array().size(), 1u);
  ASSERT_EQ(Path(got, "redirect_uris").as_array().size(), 2u);
  EXPECT_EQ(Str(got, "redirect_uris.0"), "https://a.example/cb");
  for (const json::value& bad :
       {json::value(json::array{}), json::value(json::array{"ftp://x/cb"}),
        json::value(json::array{"http://x/cb#frag"}), json::value(json::array{"/relative"}),
        json::value(json::array{"http://a/1", "http://a/2", "http://a/3", "http://a/4"}),
        json::value("http://x/cb")}) {
    auto res = Post("update_app_meta", {{"appid", appid}, {"redirect_uris", bad}}, s);
    EXPECT_TRUE(IsCozeError(res, 4000)) << json::serialize(bad) << " → " << res.Describe();
    EXPECT_NE(Str(res.Json(), "msg").find("redirect_uris"), std::string::npos) << res.Describe();
  }
  EXPECT_EQ(Str(GetApp(s, appid), "redirect_uris.1"), "http://b.example/x");
}

// generate_key_pair: the public half is registered, the private half is in the response only.
TEST_F(ConsoleAppsTest, GeneratedKeyPairRegistersThePublicHalf) {
  Session s = Login(scenario_.CreateUser("alice"));
  const std::string appid = Str(Create(s, "svc-app", "service"), "appid");
  auto generated = Post("generate_key_pair", {{"appid", appid}}, s);
  ASSERT_TRUE(IsOk(generated)) << generated.Describe();
  const json::value body = OkBody(generated);
  EXPECT_EQ(Str(body, "data.private_key_pem").rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  EXPECT_EQ(Str(body, "data.public_key_pem").rfind("-----BEGIN PUBLIC KEY-----", 0), 0u);
  const json::value got = GetApp(s, appid);
  ASSERT_EQ(Path(got, "public_keys").as_array().size(), 1u);
  EXPECT_EQ(Str(got, "public_keys.0.fingerprint"), Str(body, "data.fingerprint"));
  auto again = Get("get_app_meta?appid=" + appid, s);
  EXPECT_EQ(again.body.find("PRIVATE KEY"), std::string::npos);
  // Service apps only, and only the caller's.
  const std::string web = Str(Create(s, "web-app", "web"), "appid");
  EXPECT_TRUE(IsCozeError(Post("generate_key_pair", {{"appid", web}}, s), 4000));
  Session bob = Login(scenario_.CreateUser("bob"));
  EXPECT_TRUE(IsCozeError(Post("generate_key_pair", {{"appid", appid}}, bob), 4200));
  EXPECT_EQ(Path(GetApp(s, appid), "public_keys").as_array().size(), 1u);
}

TEST_F(ConsoleAppsTest, AuthorizeIntoThePersonalAccountAndRevoke) {
  UserInfo alice = scenario_.CreateUser("alice");
  Session s = Login(alice);
  const std::string appid = Str(Create(s, "svc-app", "service"), "appid");
  auto authorized = Post("authorize_app_with_declared_permission", {{"appid", appid}}, s);
  ASSERT_TRUE(IsOk(authorized)) << authorized.Describe();
  const json::value a = Path(OkBody(authorized), "data.authorization");
  const std::string authorization_id = Str(a, "authorization_id");
  EXPECT_EQ(Str(a, "account_id"), alice.id);
  EXPECT_EQ(Str(a, "installation_status"), "approved_app_auth");
  EXPECT_EQ(Path(a, "permission_list").as_array().size(), 3u);  // every declared point

  auto list = Get("list_authorized_apps", s);
  ASSERT_TRUE(IsOk(list)) << list.Describe();
  EXPECT_EQ(Int(OkBody(list), "data.total"), 1);
  EXPECT_EQ(Str(OkBody(list), "data.authorizations.0.authorization_id"), authorization_id);
  EXPECT_EQ(Str(OkBody(list), "data.authorizations.0.app_name"), "svc-app");

  ASSERT_TRUE(IsOk(Post("revoke_app_authorized_permission",
                        {{"appid", appid}, {"authorization_id", authorization_id}}, s)));
  EXPECT_EQ(Int(OkBody(Get("list_authorized_apps", s)), "data.total"), 0);
  EXPECT_TRUE(IsCozeError(Post("revoke_app_authorized_permission",
                               {{"appid", appid}, {"authorization_id", authorization_id}}, s),
                          4000));
  EXPECT_TRUE(IsCozeError(Post("revoke_app_authorized_permission",
                               {{"appid", appid}, {"authorization_id", RandomId()}}, s),
                          4200));

  // Web apps act for users who consent: they are installed (OBO), not authorized.
  const std::string web = Str(Create(s, "web-app", "web"), "appid");
  EXPECT_TRUE(
      IsCozeError(Post("authorize_app_with_declared_permission", {{"appid", web}}, s), 4000));
}

TEST_F(ConsoleAppsTest, OboInstallIntoAnEnterpriseAndItsInstallationList) {
  UserInfo alice = scenario_.CreateUser("alice");
  UserInfo bob = scenario_.CreateUser("bob");
  const EnterpriseInfo ent = scenario_.CreateEnterprise("Acme", alice.id);
  scenario_.cli().Must(
      {"enterprise", "add-member", "--enterprise", ent.id, "--user", bob.id, "--role", "member"});
  Session s = Login(alice);
  Session b = Login(bob);

  const std::string web = Str(Create(s, "web-app", "web"), "appid");
  auto installed = Post("install_app_obo", {{"appid", web}, {"enterprise_id", ent.id}}, s);
  ASSERT_TRUE(IsOk(installed)) << installed.Describe();
  EXPECT_EQ(Str(OkBody(installed), "data.authorization.installation_status"), "approved_app_obo");
  const std::string service = Str(Create(s, "svc-app", "service"), "appid");
  ASSERT_TRUE(IsOk(Post("authorize_app_with_declared_permission",
                        {{"appid", service}, {"enterprise_id", ent.id}}, s)));

  auto list = Get("list_app_installations?enterprise_id=" + ent.id, s);
  ASSERT_TRUE(IsOk(list)) << list.Describe();
  json::value body = OkBody(list);
  ASSERT_EQ(Int(body, "data.total"), 2) << list.Describe();
  std::map<std::string, std::string> status_of;
  for (const auto& item : Path(body, "data.installations").as_array()) {
    status_of[Str(item, "app_id")] = Str(item, "installation_status");
    EXPECT_EQ(Str(item, "app_owner.user_id"), alice.id);
    EXPECT_FALSE(Str(item, "authorization_id").empty());
    EXPECT_FALSE(Path(item, "permission_list").as_array().empty());
  }
  EXPECT_EQ(status_of[web], "approved_app_obo");
  EXPECT_EQ(status_of[service], "approved_app_auth");

  // A member may neither list the installations nor install, and never sees alice's app.
  auto member_list = Get("list_app_installations?enterprise_id=" + ent.id, b);
  EXPECT_TRUE(IsCozeError(member_list, 4101)) << member_list.Describe();
  EXPECT_TRUE(
      IsCozeError(Post("uninstall_app_obo", {{"appid", web}, {"enterprise_id", ent.id}}, b), 4200));
  const std::string bobs = Str(Create(b, "bobs-app", "device"), "appid");
  EXPECT_TRUE(
      IsCozeError(Post("install_app_obo", {{"appid", bobs}, {"enterprise_id", ent.id}}, b), 4101));
  // Nor create apps in its organization.
  json::object in_org = AppBody("org-app", "service");
  in_org["organization_id"] = ent.default_org_account_id;
  EXPECT_TRUE(IsCozeError(Post("create_app_meta", in_org, b), 4101));
  auto org_app = Post("create_app_meta", in_org, s);
  ASSERT_TRUE(IsOk(org_app)) << org_app.Describe();
  EXPECT_EQ(Str(OkBody(org_app), "data.app.organization_id"), ent.default_org_account_id);
  auto org_list = Get("list_app_meta?organization_id=" + ent.default_org_account_id, s);
  EXPECT_EQ(Int(OkBody(org_list), "data.total"), 1) << org_list.Describe();

  ASSERT_TRUE(IsOk(Post("uninstall_app_obo", {{"appid", web}, {"enterprise_id", ent.id}}, s)));
  body = OkBody(Get("list_app_installations?enterprise_id=" + ent.id, s));
  EXPECT_EQ(Int(body, "data.total"), 1);
  EXPECT_EQ(Str(body, "data.installations.0.app_id"), service);
  EXPECT_TRUE(
      IsCozeError(Post("uninstall_app_obo", {{"appid", web}, {"enterprise_id", ent.id}}, s), 4200));
  EXPECT_TRUE(IsCozeError(Get("list_app_installations?enterprise_id=nope", s), 4000));
}

TEST_F(ConsoleAppsTest, WithoutASessionOrCsrfTokenNothingHappens) {
  Session s = Login(scenario_.CreateUser("alice"));
  auto anonymous_list = http_.Get(kApp + "list_app_meta");
  EXPECT_EQ(anonymous_list.status, 401u) << anonymous_list.Describe();
  EXPECT_EQ(CodeOf(anonymous_list), 700012006);
  auto anonymous_create = http_.PostJson(kApp + "create_app_meta", AppBody("a", "service"));
  EXPECT_EQ(anonymous_create.status, 401u) << anonymous_create.Describe();
  EXPECT_EQ(CodeOf(anonymous_create), 700012006);

  auto no_csrf = http_.PostJson(kApp + "create_app_meta", AppBody("a", "service"), s.Read());
  EXPECT_TRUE(IsCozeError(no_csrf, 4101, 403)) << no_csrf.Describe();
  EXPECT_EQ(AppCount(s), 0);
}

TEST_F(ConsoleAppsTest, AnotherUsersAppIsNotFoundAndUnchanged) {
  Session alice = Login(scenario_.CreateUser("alice"));
  Session bob = Login(scenario_.CreateUser("bob"));
  const std::string appid = Str(Create(alice, "web-app", "web"), "appid");
  const std::string unknown = RandomId();
  const RsaKey key = GenerateRsaKey();

  for (const std::string& id : {appid, unknown}) {
    EXPECT_TRUE(IsCozeError(Get("get_app_meta?appid=" + id, bob), 4200));
    for (const auto& [op, body] : std::vector<std::pair<std::string, json::object>>{
             {"update_app_meta", {{"appid", id}, {"status", "Deactive"}}},
             {"update_app_meta", {{"appid", id}, {"redirect_uris", json::array{"http://e/cb"}}}},
             {"generate_key_pair", {{"appid", id}}},
             {"delete_app", {{"appid", id}}},
             {"create_client_secret", {{"appid", id}}},
             {"upload_public_key", {{"appid", id}, {"public_key_pem", key.public_pem}}},
             {"authorize_app_with_declared_permission", {{"appid", id}}},
             {"revoke_app_authorized_permission",
              {{"appid", id}, {"authorization_id", RandomId()}}},
             {"revoke_app_authorized_permission", {{"appid", id}}},
             {"install_app_obo", {{"appid", id}, {"enterprise_id", "ent_1"}}},
             {"uninstall_app_obo", {{"appid", id}, {"enterprise_id", "ent_1"}}},
         }) {
      auto res = Post(op, body, bob);
      EXPECT_TRUE(IsCozeError(res, 4200))
          << op << " " << json::serialize(body) << " → " << res.Describe();
      // The same answer whether the app exists or not.
      EXPECT_EQ(Str(res.Json(), "msg"), "app " + id + " not found") << op;
    }
  }
  EXPECT_EQ(AppCount(bob), 0);
  const json::value got = GetApp(alice, appid);
  EXPECT_EQ(Str(got, "status"), "Active");
  EXPECT_EQ(Path(got, "client_secrets").as_array().size(), 0u);
  EXPECT_EQ(Int(OkBody(Get("list_authorized_apps", alice)), "data.total"), 0);
}

TEST_F(ConsoleAppsTest, MalformedOrInvalidInputIsRejectedAndWritesNothing) {
  Session s = Login(scenario_.CreateUser("alice"));
  auto malformed = http_.Post(kApp + "create_app_meta", "{\"name\":", s.Write());
  EXPECT_TRUE(IsCozeError(malformed, 4000)) << malformed.Describe();

  struct Case {
    std::string field;  // named in the message
    json::object body;
  };
  auto with = [&](const char* key, json::value v) {
    json::object body = AppBody("bad", "web");
    body[key] = std::move(v);
    return body;
  };
  json::object no_name = AppBody("bad", "web");
  no_name.erase("name");
  json::object declared_wrong = AppBody("bad", "service");
  declared_wrong["declared_permission"] = {{"account_permission", "listWorkspace"}};
  json::object unknown_point = AppBody("bad", "service");
  unknown_point["declared_permission"] = {{"account_permission", json::array{"noSuchPoint"}}};
  json::object nothing_declared = AppBody("bad", "service");
  nothing_declared.erase("declared_permission");
  const std::vector<Case> cases = {
      {"client_type", with("client_type", "mainframe")},
      {"client_type", with("client_type", 3)},
      {"name", with("name", 5)},
      {"name", no_name},
      {"redirect_uris", with("redirect_uris", "http://localhost/cb")},
      {"redirect_uris", with("redirect_uris", json::array{"ftp://x/cb"})},
      {"redirect_uris", with("redirect_uris", json::array{})},
      {"declared_permission", with("declared_permission", json::array{"listWorkspace"})},
      {"declared_permission.account_permission", declared_wrong},
      {"declared_permission.account_permission", unknown_point},
      {"declared_permission", nothing_declared},
      {"organization_id", with("organization_id", "abc")},
      {"organization_id", with("organization_id", json::string(RandomId()))},
      {"app_type", with("app_type", "weird")},
      {"app_type", with("app_type", "connector")},  // connector apps are service apps
  };
  for (const auto& c : cases) {
    auto res = Post("create_app_meta", c.body, s);
    EXPECT_TRUE(IsCozeError(res, 4000)) << json::serialize(c.body) << " → " << res.Describe();
    if (CodeOf(res) == 4000) {
      EXPECT_NE(Str(res.Json(), "msg").find(c.field), std::string::npos)
          << c.field << " not named in " << res.Describe();
    }
  }
  EXPECT_EQ(AppCount(s), 0);

  EXPECT_TRUE(IsCozeError(Get("get_app_meta", s), 4000));
  EXPECT_TRUE(IsCozeError(Get("get_app_meta?appid=x1", s), 4000));
  EXPECT_TRUE(IsCozeError(Post("delete_app", {{"appid", json::array{}}}, s), 4000));
  EXPECT_TRUE(IsCozeError(Get("list_app_installations", s), 4000));
}

}  // namespace
}  // namespace cozeauth::it
