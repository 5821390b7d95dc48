#include "support/guide_world.hpp"

#include <boost/json.hpp>

#include "support/console_browser.hpp"
#include "support/openapi_expect.hpp"

namespace cozeauth::it {
namespace json = boost::json;

GuideWorld::GuideWorld() : scenario_(server_), http_(server_.Http()) {}

void GuideWorld::SetUp() {
  user_ = scenario_.CreateUser("owner");
  ws_ = scenario_.CreateWorkspace(user_.id, user_.id, "W");
  bot_ = scenario_.CreateBot(ws_, "W bot", "Hi:", true);
  personal_pat_ = scenario_.CreatePat(user_.id, {.name = "personal"});
  jwt_app_ = scenario_.CreateApp({.owner = user_.id, .client_type = "service"});
  kid_ = scenario_.AddAppKey(jwt_app_.id, signer_.public_pem());
  scenario_.AuthorizeApp(jwt_app_.id, user_.id, user_.id, "app");
  conversation_ =
      Str(OkBody(http_.PostJson("/v1/conversation/create", json::object{{"bot_id", bot_}},
                                Bearer(personal_pat_.token))),
          "data.id");

  ent_ = scenario_.CreateEnterprise("Acme", user_.id);
  ent_pat_ =
      scenario_.CreatePat(user_.id, {.account_id = ent_.default_org_account_id, .name = "prod"});
  scenario_.AuthorizeApp(jwt_app_.id, user_.id, ent_.id, "app");

  web_app_ =
      scenario_.CreateApp({.owner = user_.id, .client_type = "web", .redirect_uris = {kRedirect}});
  const std::string secret = scenario_.CreateClientSecret(web_app_.id);
  obo_token_ =
      ObtainOboToken(http_, LoginBrowser(http_, user_), web_app_, secret, kRedirect, "personal");
  personal_jwt_ = JwtToken("/api/permission/oauth2/account/" + user_.id + "/token");
  enterprise_jwt_ = JwtToken("/api/permission/oauth2/enterprise_id/" + ent_.id + "/token");
  for (const auto& t : {personal_pat_.token, personal_jwt_, obo_token_}) {
    ASSERT_TRUE(IsOk(BotAs(t))) << "before the migration the personal credentials reach W";
  }
  for (const auto& t : {ent_pat_.token, enterprise_jwt_}) {
    ASSERT_TRUE(IsCozeError(BotAs(t), 4101)) << "… and the enterprise ones do not";
  }
}

std::string GuideWorld::JwtToken(const std::string& path) {
  const std::string aud = "127.0.0.1:" + std::to_string(server_.port());
  auto res = http_.PostJson(path, {{"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"}},
                            Bearer(signer_.Sign(kid_, jwt_app_.id, aud)));
  EXPECT_EQ(res.status, 200u) << res.Describe();
  return res.status == 200 ? std::string(res.Json().at("access_token").as_string()) : "";
}

HttpResponse GuideWorld::BotAs(const std::string& token) {
  return http_.Get("/v1/bots/" + bot_, Bearer(token));
}

HttpResponse GuideWorld::ConversationAs(const std::string& token) {
  return http_.Get("/v1/conversation/retrieve?conversation_id=" + conversation_, Bearer(token));
}

::testing::AssertionResult GuideWorld::Becomes(const std::function<HttpResponse()>& request,
                                               int code) {
  auto polled = PollForCode(request, code, kPropagation);
  if (polled.reached) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "wanted code " << code << ", got " << polled.last.Describe();
}

void GuideWorld::FlushServer() {
  server_.Restart();
  http_ = server_.Http();
}

}  // namespace cozeauth::it
