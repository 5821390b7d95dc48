// The console API over HTTP against the real binary: cookie sessions, CSRF, the failed-login
// answer, and PAT / service-identity self-service at Coze's paths (coze-platform.md §3.3, §4).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/openapi_expect.hpp"
#include "support/scenario.hpp"
#include "support/test_server.hpp"

namespace cozeauth::it {
namespace {
namespace json = boost::json;

constexpr const char* kLogin = "/api/passport/web/email/login/";
constexpr const char* kCreatePat =
    "/api/permission_api/pat/create_personal_access_token_and_permission";
constexpr const char* kListPats = "/api/permission_api/pat/list_personal_access_tokens";
constexpr const char* kGetPat = "/api/permission_api/pat/get_personal_access_token_and_permission";
constexpr const char* kUpdatePat =
    "/api/permission_api/pat/update_personal_access_token_and_permission";
constexpr const char* kDeletePat =
    "/api/permission_api/pat/delete_personal_access_token_and_permission";

// A logged-in browser: the session cookie and the CSRF token the login returned.
struct Session {
  std::string cookie;  // "cozeauth_session=…"
  std::string csrf;

  Headers Read() const { return {{"Cookie", cookie}}; }
  Headers Write() const { return {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}; }
};

std::string SetCookie(const HttpResponse& res, std::string_view name) {
  for (const auto& [k, v] : res.headers) {
    if (k.size() == 10 && (k == "Set-Cookie" || k == "set-cookie") &&
        v.rfind(std::string(name) + "=", 0) == 0) {
      return v;
    }
  }
  return {};
}

class ConsoleTest : public ::testing::Test {
 protected:
  ConsoleTest() : scenario_(server_), http_(server_.Http()) {}

  Session Login(const UserInfo& u) {
    auto res = http_.PostJson(kLogin, {{"email", u.email}, {"password", u.password}});
    EXPECT_TRUE(IsOk(res)) << res.Describe();
    std::string cookie = SetCookie(res, "cozeauth_session");
    return Session{cookie.substr(0, cookie.find(';')), Str(OkBody(res), "data.csrf_token")};
  }

  json::object PatBody(const std::string& name, std::string duration = "7") {
    return {{"name", name},
            {"duration_day", duration},
            {"account_permission", {{"permission_list", json::array{"listWorkspace"}}}}};
  }

  int PatCount(const Session& s) {
    auto res = http_.Get(kListPats, s.Read());
    const json::value body = OkBody(res);
    return static_cast<int>(Path(body, "data.personal_access_tokens").as_array().size());
  }

  TestServer server_;
  Scenario scenario_;
  HttpClient http_;
};

TEST_F(ConsoleTest, WrongPasswordAndUnknownEmailGetTheSameAnswer) {
  UserInfo u = scenario_.CreateUser("alice");
  auto wrong = http_.PostJson(kLogin, {{"email", u.email}, {"password", "not-the-password"}});
  auto unknown =
      http_.PostJson(kLogin, {{"email", "nobody@example.com"}, {"password", "whatever1"}});
  for (const auto* res : {&wrong, &unknown}) {
    EXPECT_EQ(res->status, 401u) << res->Describe();
    EXPECT_EQ(CodeOf(*res), 700012006) << res->Describe();
    EXPECT_TRUE(SetCookie(*res, "cozeauth_session").empty());
  }
  EXPECT_EQ(Str(wrong.Json(), "msg"), Str(unknown.Json(), "msg"));
  auto malformed = http_.PostJson(kLogin, {{"email", 5}, {"password", "x"}});
  EXPECT_TRUE(IsCozeError(malformed, 4000)) << malformed.Describe();
}

TEST_F(ConsoleTest, LoginSetsAnHttpOnlySessionCookieThatAuthenticates) {
  UserInfo u = scenario_.CreateUser("alice");
  auto res = http_.PostJson(kLogin, {{"email", u.email}, {"password", u.password}});
  ASSERT_TRUE(IsOk(res)) << res.Describe();
  std::string cookie = SetCookie(res, "cozeauth_session");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos) << cookie;
  EXPECT_EQ(Str(OkBody(res), "data.user_id"), u.id);

  Session s = Login(u);
  auto me = http_.Get("/api/console/me", s.Read());
  EXPECT_TRUE(IsOk(me)) << me.Describe();
  auto anonymous = http_.Get("/api/console/me");
  EXPECT_EQ(anonymous.status, 401u);
  EXPECT_EQ(CodeOf(anonymous), 700012006);
  auto forged = http_.Get("/api/console/me", {{"Cookie", "cozeauth_session=" + RandomAlnum(43)}});
  EXPECT_EQ(forged.status, 401u);
}

TEST_F(ConsoleTest, StateChangesWithoutTheCsrfTokenAreRefusedAndWriteNothing) {
  Session s = Login(scenario_.CreateUser("alice"));
  auto no_header = http_.PostJson(kCreatePat, PatBody("p"), s.Read());
  EXPECT_EQ(no_header.status, 403u) << no_header.Describe();
  EXPECT_EQ(CodeOf(no_header), 4101);
  Headers wrong = s.Read();
  wrong.emplace_back("X-CSRF-Token", RandomAlnum(32));
  auto wrong_header = http_.PostJson(kCreatePat, PatBody("p"), wrong);
  EXPECT_EQ(wrong_header.status, 403u) << wrong_header.Describe();
  EXPECT_EQ(PatCount(s), 0);
}

TEST_F(ConsoleTest, PatLifecycleCreateUseNarrowDelete) {
  Session s = Login(scenario_.CreateUser("alice"));
  auto created = http_.PostJson(kCreatePat, PatBody("laptop"), s.Write());
  ASSERT_TRUE(IsOk(created)) << created.Describe();
  const std::string token = Str(OkBody(created), "data.token");
  const std::string id = Str(OkBody(created), "data.personal_access_token.id");
  ASSERT_EQ(token.size(), 68u);
  EXPECT_EQ(token.rfind("pat_", 0), 0u);
  EXPECT_TRUE(IsOk(http_.Get("/v1/workspaces", Bearer(token))));

  // Listing and reading never show the plaintext or its digest.
  auto list = http_.Get(kListPats, s.Read());
  ASSERT_TRUE(IsOk(list)) << list.Describe();
  EXPECT_EQ(list.body.find(token), std::string::npos);
  EXPECT_EQ(list.body.find(Sha256Hex(token)), std::string::npos);
  auto got = http_.Get(std::string(kGetPat) + "?id=" + id, s.Read());
  ASSERT_TRUE(IsOk(got)) << got.Describe();
  EXPECT_EQ(got.body.find(token), std::string::npos);

  // Narrowing the points takes effect on the next request.
  json::object narrow{
      {"id", id}, {"account_permission", {{"permission_list", json::array{"listConversation"}}}}};
  ASSERT_TRUE(IsOk(http_.PostJson(kUpdatePat, narrow, s.Write())));
  EXPECT_TRUE(IsCozeError(http_.Get("/v1/workspaces", Bearer(token)), 4101));

  ASSERT_TRUE(IsOk(http_.PostJson(kDeletePat, {{"id", id}}, s.Write())));
  EXPECT_TRUE(IsCozeError(http_.Get("/v1/users/me", Bearer(token)), 4100));
  EXPECT_EQ(PatCount(s), 0);
}

TEST_F(ConsoleTest, InvalidPatRequestsAreRejectedAndWriteNothing) {
  Session s = Login(scenario_.CreateUser("alice"));
  json::object unknown_point = PatBody("p");
  unknown_point["account_permission"] = {{"permission_list", json::array{"noSuchPoint"}}};
  json::object wrong_level = PatBody("p");
  wrong_level["account_permission"] = {{"permission_list", json::array{"getMetadata"}}};
  for (const json::object& body : {PatBody("p", "31"), PatBody("p", "permanent"), PatBody("", "7"),
                                   unknown_point, wrong_level}) {
    auto res = http_.PostJson(kCreatePat, body, s.Write());
    EXPECT_TRUE(IsCozeError(res, 4000)) << json::serialize(body) << " → " << res.Describe();
  }
  auto malformed = http_.Post(kCreatePat, "{\"name\":", s.Write());
  EXPECT_TRUE(IsCozeError(malformed, 4000)) << malformed.Describe();
  EXPECT_EQ(PatCount(s), 0);
}

TEST_F(ConsoleTest, AnotherUsersTokenIsNeitherReadableNorDeletable) {
  Session alice = Login(scenario_.CreateUser("alice"));
  Session bob = Login(scenario_.CreateUser("bob"));
  auto created = http_.PostJson(kCreatePat, PatBody("mine"), alice.Write());
  const std::string id = Str(OkBody(created), "data.personal_access_token.id");
  const std::string token = Str(OkBody(created), "data.token");
  EXPECT_TRUE(IsCozeError(http_.Get(std::string(kGetPat) + "?id=" + id, bob.Read()), 4101));
  EXPECT_TRUE(IsCozeError(http_.PostJson(kDeletePat, {{"id", id}}, bob.Write()), 4101));
  EXPECT_TRUE(IsCozeError(http_.Get(std::string(kGetPat) + "?id=" + RandomId(), bob.Read()), 4200));
  EXPECT_TRUE(IsOk(http_.Get("/v1/users/me", Bearer(token))));  // still alive
  EXPECT_EQ(PatCount(bob), 0);
}

TEST_F(ConsoleTest, ServiceIdentityIsPermanentByDefaultAndItsExpiryEditable) {
  Session s = Login(scenario_.CreateUser("alice"));
  json::object body{
      {"name", "batch"},
      {"duration_day", "permanent"},
      {"permission",
       {{"account_permission", {{"permission_list", json::array{"listWorkspace"}}}}}}};
  auto created =
      http_.PostJson("/api/permission_api/service/create_service_identity", body, s.Write());
  ASSERT_TRUE(IsOk(created)) << created.Describe();
  const std::string token = Str(OkBody(created), "data.token");
  const std::string id = Str(OkBody(created), "data.service_identity.id");
  EXPECT_EQ(token.rfind("sat_", 0), 0u);
  EXPECT_EQ(Int(OkBody(created), "data.service_identity.expire_at"), -1);
  auto me = http_.Get("/v1/users/me", Bearer(token));
  ASSERT_TRUE(IsOk(me)) << me.Describe();
  EXPECT_EQ(Str(OkBody(me), "data.user_id"), id);  // the identity, not its creator

  auto updated = http_.PostJson("/api/permission_api/service/update_service_identity",
                                {{"id", id}, {"duration_day", "90"}}, s.Write());
  ASSERT_TRUE(IsOk(updated)) << updated.Describe();
  auto got = http_.Get("/api/permission_api/service/get_service_identity?id=" + id, s.Read());
  EXPECT_GT(Int(OkBody(got), "data.service_identity.expire_at"), 0) << got.Describe();

  ASSERT_TRUE(IsOk(http_.PostJson("/api/permission_api/service/delete_service_identity",
                                  {{"id", id}}, s.Write())));
  EXPECT_TRUE(IsCozeError(http_.Get("/v1/users/me", Bearer(token)), 4100));
}

TEST_F(ConsoleTest, LogoutEndsTheSession) {
  Session s = Login(scenario_.CreateUser("alice"));
  auto out = http_.PostJson("/api/passport/web/logout/", json::object{}, s.Write());
  ASSERT_TRUE(IsOk(out)) << out.Describe();
  EXPECT_NE(SetCookie(out, "cozeauth_session").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(http_.Get("/api/console/me", s.Read()).status, 401u);
}

TEST_F(ConsoleTest, CatalogueListsPointsWithTheirLevels) {
  Session s = Login(scenario_.CreateUser("alice"));
  auto res =
      http_.Get("/api/permission_api/pat/list_personal_access_token_support_permissions", s.Read());
  ASSERT_TRUE(IsOk(res)) << res.Describe();
  bool saw_chat = false, saw_conversation = false;
  const json::value body = OkBody(res);
  for (const auto& p : Path(body, "data.permission_list").as_array()) {
    if (Str(p, "name") == "chat") saw_chat = Str(p, "level") == "workspace";
    if (Str(p, "name") == "createConversation") saw_conversation = Str(p, "level") == "account";
  }
  EXPECT_TRUE(saw_chat);
  EXPECT_TRUE(saw_conversation);
}

}  // namespace
}  // namespace cozeauth::it
