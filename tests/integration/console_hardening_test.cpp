// Issue 8's console defects, against the real binary: the sign-in redirect (header injection and
// open redirect through GET/POST /sign), the PAT expiry overflow, the cross-tenant read of the
// migration checklist (and the same question asked of the other console routes), one sign-in
// throttle for every way to sign in, Secure session cookies behind an https public URL, and
// internal errors logged with their log id (and no secret).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <cctype>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "support/console_browser.hpp"
#include "support/openapi_expect.hpp"
#include "support/scenario.hpp"
#include "support/sqlite_file.hpp"
#include "support/test_server.hpp"

namespace cozeauth::it {
namespace {
namespace json = boost::json;
namespace urls = boost::urls;

constexpr const char* kLogin = "/api/passport/web/email/login/";
constexpr const char* kCreatePat =
    "/api/permission_api/pat/create_personal_access_token_and_permission";
constexpr const char* kGetPat = "/api/permission_api/pat/get_personal_access_token_and_permission";
constexpr const char* kChecklist = "/api/permission_api/app/get_checklist_for_workspace_migration";
constexpr const char* kMigrate = "/api/permission_api/workspace/migrate";
constexpr const char* kListMigrations = "/api/permission_api/workspace/list_migrations";
constexpr const char* kCandidates =
    "/api/permission_api/app/get_apps_and_patlist_for_personalaccountpermission_authorization";
constexpr const char* kObserve = "/api/permission_api/observe/credentials";
constexpr const char* kGetApp = "/api/permission_api/app/get_app_meta";
constexpr const char* kRevokeAuthorization =
    "/api/permission_api/app/revoke_app_authorized_permission";
constexpr const char* kForm = "application/x-www-form-urlencoded";

// RFC 3986 unreserved characters stay, everything else is %XX: a value delivered intact
// through one decoding (query or form).
std::string Encode(std::string_view s) { return urls::encode(s, urls::unreserved_chars); }

std::vector<std::string> SetCookies(const HttpResponse& res) {
  std::vector<std::string> out;
  for (const auto& [k, v] : res.headers) {
    if (k.size() == 10 && (k == "Set-Cookie" || k == "set-cookie")) out.push_back(v);
  }
  return out;
}

// The cookie pair ("name=value") of Set-Cookie `name`; "" when absent.
std::string CookiePair(const HttpResponse& res, std::string_view name) {
  for (const auto& v : SetCookies(res)) {
    if (v.rfind(std::string(name) + "=", 0) == 0) return v.substr(0, v.find(';'));
  }
  return {};
}

class ConsoleHardening : public ::testing::Test {
 protected:
  explicit ConsoleHardening(TestServerOptions options = {})
      : server_(std::move(options)), scenario_(server_), http_(server_.Http()) {}

  HttpResponse JsonLogin(const UserInfo& u, const std::string& password) {
    return http_.PostJson(kLogin, {{"email", u.email}, {"password", password}});
  }
  HttpResponse FormSignIn(const UserInfo& u, const std::string& password,
                          const std::string& redirect = "/") {
    return http_.Post("/sign",
                      "email=" + Encode(u.email) + "&password=" + Encode(password) +
                          "&redirect=" + Encode(redirect),
                      {}, kForm);
  }

  TestServer server_;
  Scenario scenario_;
  HttpClient http_;
};

// --- 1. the sign-in redirect

struct RedirectCase {
  std::string redirect;  // the value the page receives, after one decoding
  std::string location;  // the Location it must answer
};

const std::vector<RedirectCase>& RedirectCases() {
  static const std::vector<RedirectCase> cases = {
      {"/x%0D%0ASet-Cookie:a=b", "/"},
      {"/x\r\nSet-Cookie:a=b", "/"},
      {"/x\r\n\r\n<script>alert(1)</script>", "/"},
      {"/%09/evil.example", "/"},
      {"/\t/evil.example", "/"},
      {"//evil.example", "/"},
      {"/\\evil", "/"},
      {"https://evil", "/"},
      {"/%2F/evil", "/"},
      {"/ok?a=b", "/ok?a=b"},
      {"/device?user_code=ABCD-EFGH", "/device?user_code=ABCD-EFGH"},
  };
  return cases;
}

TEST_F(ConsoleHardening, SignInRedirectIsAnOriginRelativePathOrSlash) {
  UserInfo ann = scenario_.CreateUser("ann");
  for (const auto& c : RedirectCases()) {
    // GET: the login form carries the redirect on, already validated.
    auto page = http_.Get("/sign?redirect=" + Encode(c.redirect));
    ASSERT_EQ(page.status, 200u) << page.Describe();
    EXPECT_EQ(FormValue(page.body, "redirect"), c.location) << c.redirect;
    EXPECT_TRUE(SetCookies(page).empty()) << c.redirect;

    // POST: the redirect after a successful sign-in.
    auto res = FormSignIn(ann, ann.password, c.redirect);
    ASSERT_EQ(res.status, 302u) << res.Describe();
    EXPECT_EQ(res.Header("Location"), c.location) << c.redirect;
    const auto cookies = SetCookies(res);
    ASSERT_EQ(cookies.size(), 2u) << c.redirect << ": " << res.Describe();
    EXPECT_EQ(cookies[0].rfind("cozeauth_session=", 0), 0u) << cookies[0];
    EXPECT_EQ(cookies[1].rfind("cozeauth_csrf=", 0), 0u) << cookies[1];
    for (const auto& [k, v] : res.headers) {
      EXPECT_EQ(v.find_first_of("\r\n\t"), std::string::npos) << k << ": " << v;
      EXPECT_EQ(v.find("evil"), std::string::npos) << k << ": " << v;
    }
    EXPECT_EQ(res.body.find("alert(1)"), std::string::npos) << c.redirect;
  }
}

// --- 2. PAT expiry

TEST_F(ConsoleHardening, PatExpiryOutOfRangeIs4000AndCreatesNothing) {
  UserInfo ann = scenario_.CreateUser("ann");
  const ConsoleBrowser b = LoginBrowser(http_, ann);
  const SqliteFile db(server_.db_path());
  const int64_t before = db.QueryInt("SELECT COUNT(*) FROM tokens");
  const int64_t max = std::numeric_limits<int64_t>::max();
  const std::vector<json::object> bodies = {
      {{"duration_day", "customize"}, {"expire_at", max}},
      {{"expire_at", max}},
      {{"expire_at", max - 1}},
      {{"expire_at", max - 86398}},
      {{"expire_at", std::numeric_limits<uint64_t>::max()}},
      {{"expire_at", 1e300}},
      {{"duration_day", "9223372036854775807"}},
      {{"duration_day", max}},
      {{"duration_day", "99999999999999999999999"}},
      {{"duration_day", -1}},
  };
  for (json::object body : bodies) {
    body["name"] = "overflow";
    body["account_permission"] = {{"permission_list", json::array{"listWorkspace"}}};
    auto res = http_.PostJson(kCreatePat, body, b.Write());
    EXPECT_TRUE(IsCozeError(res, 4000)) << json::serialize(body) << " → " << res.Describe();
  }
  EXPECT_EQ(db.QueryInt("SELECT COUNT(*) FROM tokens"), before);
}

// --- 3. cross-tenant reads by an administrator of an unrelated enterprise

class CrossTenant : public ConsoleHardening {
 protected:
  void SetUp() override {
    alice_ = scenario_.CreateUser("alice");  // a personal user
    workspace_ = scenario_.CreateWorkspace(alice_.id, alice_.id, "Alice's");
    alice_pat_ = scenario_.CreatePat(alice_.id, {.name = "alice-secret-pat-name"});
    bob_ = scenario_.CreateUser("bob");  // super_admin of an unrelated enterprise
    bob_ent_ = scenario_.CreateEnterprise("Bob Corp", bob_.id);
    alice_b_ = LoginBrowser(http_, alice_);
    bob_b_ = LoginBrowser(http_, bob_);
  }

  // Nothing of Alice's in a refusal: not her user id, her PAT's id or name.
  ::testing::AssertionResult LeaksNothing(const HttpResponse& res) {
    for (const std::string& secret :
         {alice_.id, alice_pat_.id, std::string("alice-secret"), alice_pat_.token}) {
      if (res.body.find(secret) != std::string::npos) {
        return ::testing::AssertionFailure() << "leaks '" << secret << "': " << res.Describe();
      }
    }
    return ::testing::AssertionSuccess();
  }

  HttpResponse Checklist(const ConsoleBrowser& b, const std::string& org) {
    return http_.PostJson(
        kChecklist,
        json::object{{"workspace_id_list", json::array{workspace_}}, {"organization_id", org}},
        b.Write());
  }

  UserInfo alice_, bob_;
  std::string workspace_;
  TokenInfo alice_pat_;
  EnterpriseInfo bob_ent_;
  ConsoleBrowser alice_b_, bob_b_;
};

TEST_F(CrossTenant, MigrationChecklistNeedsTheWorkspaceAndTheEnterprise) {
  // Bob administers the target, not the workspace: 4101 and nothing of Alice's.
  auto by_bob = Checklist(bob_b_, bob_ent_.default_org_account_id);
  EXPECT_TRUE(IsCozeError(by_bob, 4101)) << by_bob.Describe();
  EXPECT_TRUE(LeaksNothing(by_bob));
  auto migrate = http_.PostJson(kMigrate,
                                json::object{{"workspace_id", workspace_},
                                             {"organization_id", bob_ent_.default_org_account_id},
                                             {"mode", "cut"}},
                                bob_b_.Write());
  EXPECT_TRUE(IsCozeError(migrate, 4101)) << migrate.Describe();
  EXPECT_TRUE(LeaksNothing(migrate));

  // Alice owns the workspace but does not administer Bob's enterprise: 4101 too.
  auto by_alice = Checklist(alice_b_, bob_ent_.default_org_account_id);
  EXPECT_TRUE(IsCozeError(by_alice, 4101)) << by_alice.Describe();

  // Owner and administrator of the target: the plan, with her PAT (the refusals above are not
  // vacuous).
  EnterpriseInfo alice_ent = scenario_.CreateEnterprise("Alice Corp", alice_.id);
  auto ok = Checklist(alice_b_, alice_ent.default_org_account_id);
  ASSERT_TRUE(IsOk(ok)) << ok.Describe();
  EXPECT_NE(ok.body.find(alice_pat_.id), std::string::npos) << ok.body;
}

TEST_F(CrossTenant, OtherConsoleRoutesDecideByTheActorNotTheTarget) {
  // Alice migrates her workspace into her own enterprise; Bob asks about it.
  EnterpriseInfo alice_ent = scenario_.CreateEnterprise("Alice Corp", alice_.id);
  auto migrated = http_.PostJson(kMigrate,
                                 json::object{{"workspace_id", workspace_},
                                              {"organization_id", alice_ent.default_org_account_id},
                                              {"mode", "cut"}},
                                 alice_b_.Write());
  ASSERT_TRUE(IsOk(migrated)) << migrated.Describe();
  const std::string migration_id = Str(OkBody(migrated), "data.migration.id");

  auto observe = http_.Get(std::string(kObserve) + "?migration_id=" + migration_id, bob_b_.Read());
  EXPECT_TRUE(IsCozeError(observe, 4101)) << observe.Describe();
  EXPECT_TRUE(LeaksNothing(observe));

  auto migrations = http_.Get(kListMigrations, bob_b_.Read());
  ASSERT_TRUE(IsOk(migrations)) << migrations.Describe();
  EXPECT_EQ(migrations.body.find(migration_id), std::string::npos) << migrations.body;
  EXPECT_TRUE(LeaksNothing(migrations));

  // The 个人账号资源授权 page of Alice's enterprise: Bob administers another one.
  auto candidates =
      http_.PostJson(kCandidates, json::object{{"enterprise_id", alice_ent.id}}, bob_b_.Write());
  EXPECT_TRUE(IsCozeError(candidates, 4101)) << candidates.Describe();
  EXPECT_TRUE(LeaksNothing(candidates));

  // Alice's PAT, by id.
  auto pat = http_.Get(std::string(kGetPat) + "?id=" + alice_pat_.id, bob_b_.Read());
  EXPECT_TRUE(IsCozeError(pat, 4101)) << pat.Describe();
  EXPECT_TRUE(LeaksNothing(pat));

  // Alice's service app authorized in her enterprise: Bob neither reads it nor revokes it.
  AppInfo app = scenario_.CreateApp({.owner = alice_.id, .client_type = "service"});
  const std::string authorization = scenario_.AuthorizeApp(app.id, alice_.id, alice_ent.id);
  auto meta = http_.Get(std::string(kGetApp) + "?appid=" + app.id, bob_b_.Read());
  EXPECT_TRUE(IsCozeError(meta, 4200)) << meta.Describe();
  EXPECT_TRUE(LeaksNothing(meta));
  auto revoke = http_.PostJson(kRevokeAuthorization,
                               json::object{{"appid", app.id}, {"authorization_id", authorization}},
                               bob_b_.Write());
  EXPECT_TRUE(IsCozeError(revoke, 4200)) << revoke.Describe();
  auto still = scenario_.cli().Must({"app", "installations", "--enterprise", alice_ent.id});
  EXPECT_NE(still.out.find(authorization), std::string::npos) << still.out;
}

// --- 4. one sign-in throttle

TEST_F(ConsoleHardening, FailuresOnTheJsonLoginLockTheSignInForm) {
  UserInfo ann = scenario_.CreateUser("ann");
  for (int i = 0; i < 5; ++i) {
    auto wrong = JsonLogin(ann, "wrong-password-" + std::to_string(i));
    ASSERT_EQ(wrong.status, 401u) << wrong.Describe();
  }
  auto right = FormSignIn(ann, ann.password);
  EXPECT_EQ(right.status, 401u) << right.Describe();
  EXPECT_TRUE(SetCookies(right).empty()) << right.Describe();
  // No Accept-Language: the sign-in page speaks Chinese ("too many attempts" in English).
  EXPECT_NE(right.body.find("尝试次数过多"), std::string::npos) << right.body;
}

TEST_F(ConsoleHardening, FailuresOnTheSignInFormLockTheJsonLogin) {
  UserInfo ann = scenario_.CreateUser("ann");
  for (int i = 0; i < 5; ++i) {
    auto wrong = FormSignIn(ann, "wrong-password-" + std::to_string(i));
    ASSERT_EQ(wrong.status, 401u) << wrong.Describe();
  }
  auto right = JsonLogin(ann, ann.password);
  EXPECT_EQ(right.status, 401u) << right.Describe();
  EXPECT_TRUE(CookiePair(right, "cozeauth_session").empty()) << right.Describe();
}

// The limit is a setting (--login-max-failures, docs/running.md): with 2, the third attempt is
// refused even with the right password, and a user under the limit still signs in.
class LoginLimit : public ConsoleHardening {
 protected:
  LoginLimit() : ConsoleHardening(TestServerOptions{.extra_args = {"--login-max-failures", "2"}}) {}
};

TEST_F(LoginLimit, TheConfiguredNumberOfFailuresLocksEveryWayToSignIn) {
  UserInfo ann = scenario_.CreateUser("ann");
  UserInfo bob = scenario_.CreateUser("bob");
  ASSERT_EQ(JsonLogin(bob, "wrong-password").status, 401u);
  auto bob_right = FormSignIn(bob, bob.password);  // one failure: under the limit
  EXPECT_EQ(bob_right.status, 302u) << bob_right.Describe();

  for (int i = 0; i < 2; ++i) {
    auto wrong = JsonLogin(ann, "wrong-password-" + std::to_string(i));
    ASSERT_EQ(wrong.status, 401u) << wrong.Describe();
  }
  auto form = FormSignIn(ann, ann.password);
  EXPECT_EQ(form.status, 401u) << form.Describe();
  EXPECT_TRUE(SetCookies(form).empty()) << form.Describe();
  auto api = JsonLogin(ann, ann.password);
  EXPECT_EQ(api.status, 401u) << api.Describe();
  EXPECT_TRUE(CookiePair(api, "cozeauth_session").empty()) << api.Describe();
}

// --- 5. Secure cookies

TEST_F(ConsoleHardening, CookiesAreNotSecureOnAPlainHttpPublicUrl) {
  UserInfo ann = scenario_.CreateUser("ann");
  auto res = JsonLogin(ann, ann.password);
  ASSERT_TRUE(IsOk(res)) << res.Describe();
  const auto cookies = SetCookies(res);
  ASSERT_EQ(cookies.size(), 2u);
  for (const auto& c : cookies) EXPECT_EQ(c.find("Secure"), std::string::npos) << c;
}

class SecureCookies : public ConsoleHardening {
 protected:
  SecureCookies()
      : ConsoleHardening(
            TestServerOptions{.extra_args = {"--public-url", "https://auth.example.test"}}) {}
};

TEST_F(SecureCookies, SessionAndCsrfCookiesAreSecureBehindAnHttpsPublicUrl) {
  UserInfo ann = scenario_.CreateUser("ann");
  std::vector<HttpResponse> answers;
  answers.push_back(JsonLogin(ann, ann.password));
  answers.push_back(FormSignIn(ann, ann.password));
  ASSERT_TRUE(IsOk(answers[0])) << answers[0].Describe();
  ASSERT_EQ(answers[1].status, 302u) << answers[1].Describe();
  // Logout clears them with the same attributes (a cookie is replaced only by a match).
  const std::string session = CookiePair(answers[0], "cozeauth_session");
  const std::string csrf = Str(OkBody(answers[0]), "data.csrf_token");
  answers.push_back(http_.PostJson("/api/passport/web/logout/", json::object{},
                                   {{"Cookie", session}, {"X-CSRF-Token", csrf}}));
  ASSERT_TRUE(IsOk(answers[2])) << answers[2].Describe();
  for (const auto& res : answers) {
    const auto cookies = SetCookies(res);
    ASSERT_EQ(cookies.size(), 2u) << res.Describe();
    for (const auto& c : cookies) EXPECT_NE(c.find("; Secure"), std::string::npos) << c;
  }
}

// --- 6. internal errors are logged

TEST_F(ConsoleHardening, InternalErrorIsLoggedWithItsLogidAndNoSecret) {
  UserInfo ann = scenario_.CreateUser("ann");
  const ConsoleBrowser b = LoginBrowser(http_, ann);
  // A deterministic store failure (as a full disk would be): every insert into tokens aborts,
  // with a cause that quotes a credential, which the log line must not repeat.
  const std::string secret = "pat_S3cretS3cretS3cretS3cretS3cret";
  SqliteFile(server_.db_path())
      .Exec(
          "CREATE TRIGGER it_fail_token_insert BEFORE INSERT ON tokens BEGIN SELECT "
          "RAISE(ABORT, 'simulated store failure, Bearer " +
          secret + "'); END;");
  auto res = http_.PostJson(
      kCreatePat,
      json::object{{"name", "doomed"},
                   {"duration_day", "7"},
                   {"account_permission", {{"permission_list", json::array{"listWorkspace"}}}}},
      b.Write());
  ASSERT_EQ(res.status, 500u) << res.Describe();
  EXPECT_EQ(CodeOf(res), 5000) << res.Describe();
  const std::string logid = Str(res.Json(), "detail.logid");
  ASSERT_FALSE(logid.empty());
  EXPECT_EQ(res.body.find("simulated"), std::string::npos) << "the cause stays out of the body";

  // Fail() writes the line before the response leaves: it is there now.
  std::string line;
  const std::string err = server_.Stderr();
  for (size_t at = 0; at < err.size();) {
    size_t end = err.find('\n', at);
    if (end == std::string::npos) end = err.size();
    std::string l = err.substr(at, end - at);
    if (l.find(logid) != std::string::npos) line = l;
    at = end + 1;
  }
  ASSERT_FALSE(line.empty()) << "no stderr line with logid " << logid << " in:\n" << err;
  json::value v = json::parse(line);
  EXPECT_EQ(Str(v, "level"), "error");
  EXPECT_EQ(Str(v, "logid"), logid);
  EXPECT_EQ(Int(v, "code"), 5000);
  EXPECT_NE(Str(v, "error").find("simulated store failure"), std::string::npos) << line;
  EXPECT_EQ(err.find(secret), std::string::npos) << err;
  EXPECT_EQ(err.find("S3cret"), std::string::npos) << err;
}

}  // namespace
}  // namespace cozeauth::it
