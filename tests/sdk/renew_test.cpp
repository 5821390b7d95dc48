// Renewal after a 4100 (auth.hpp) over a FakeTransport that answers both the token endpoint and
// the API: JWTAuth mints and OAuthAuth refreshes once, the request is sent once more, and only a
// renewed token that is refused again surfaces — after exactly one retry. A fixed token, other
// codes and a failing renewal do not retry. In a FailoverAuth chain a renewed token refused again
// falls back to the next credential; OboAuth refreshes once before the reauthorization signal.
// Every test counts the requests sent.

#include <gtest/gtest.h>

#include <coze/client.hpp>
#include <coze/failover.hpp>
#include <coze/oauth.hpp>

#include "sdk/fake_transport.hpp"
#include "sdk/rsa_keys.hpp"

namespace coze {
namespace {
using test::FakeTransport;

constexpr const char* kBase = "https://coze.test";
constexpr const char* kMe = R"({"code":0,"msg":"","data":{"user_id":"1","user_name":"u"}})";
constexpr const char* kRefused = R"({"code":4100,"msg":"token invalid"})";

std::string TokenBody(const std::string& access, int64_t expires_at,
                      const std::string& refresh = "") {
  std::string body = R"({"access_token":")" + access + R"(","expires_in":)" +
                     std::to_string(expires_at) + R"(,"token_type":"Bearer")";
  if (!refresh.empty()) body += R"(,"refresh_token":")" + refresh + R"(")";
  return body + "}";
}

class RenewTest : public ::testing::Test {
 protected:
  std::shared_ptr<FakeTransport> fake_ = std::make_shared<FakeTransport>();
  int64_t now_ = 1'700'000'000;

  OAuthClientOptions Options() {
    OAuthClientOptions o;
    o.client_id = "7000000000000000001";
    o.base_url = kBase;
    o.transport = fake_;
    o.now = [this] { return now_; };
    return o;
  }
  std::shared_ptr<JWTAuth> Jwt(JWTTokenRequest request = {}) {
    OAuthClientOptions o = Options();
    o.private_key = test::RsaKeys().pkcs8;
    o.public_key_id = "kid-1";
    auto client = JWTOAuthClient::Create(o);
    if (!client) throw std::runtime_error(client.Describe());
    return std::make_shared<JWTAuth>(*client, std::move(request));
  }
  std::shared_ptr<OAuthAuth> Oauth(const std::string& access, const std::string& refresh,
                                   std::vector<OAuthToken>* persisted = nullptr) {
    return std::make_shared<OAuthAuth>(WebOAuthClient(Options()),
                                       OAuthToken{access, now_ + 900, refresh, "Bearer"},
                                       [persisted](const OAuthToken& t) {
                                         if (persisted != nullptr) persisted->push_back(t);
                                       });
  }
  std::unique_ptr<Client> MakeClient(std::shared_ptr<Auth> auth) {
    return std::make_unique<Client>(
        ClientOptions{.base_url = kBase, .auth = std::move(auth), .transport = fake_});
  }
  std::string Path(size_t i) const {
    const std::string& url = fake_->requests.at(i).url;
    return url.substr(std::string(kBase).size());
  }
  std::string Bearer(size_t i) const {
    return HttpResponse{0, fake_->requests.at(i).headers, ""}.Header("Authorization");
  }
};

TEST_F(RenewTest, JwtAuthMintsOnceAfterA4100AndTheCallSucceeds) {
  auto auth = Jwt();
  auto client = MakeClient(auth);
  fake_->ReplyJson(200, TokenBody("czs_1", now_ + 900));
  fake_->ReplyJson(200, kMe);
  ASSERT_TRUE(client->users().Me());
  // The server forgets czs_1 (revoked, or restarted without its token state).
  fake_->ReplyJson(401, kRefused);
  fake_->ReplyJson(200, TokenBody("czs_2", now_ + 900));
  fake_->ReplyJson(200, kMe);
  auto me = client->users().Me();
  ASSERT_TRUE(me) << me.Describe();
  ASSERT_EQ(fake_->requests.size(), 5u);
  EXPECT_EQ(Bearer(2), "Bearer czs_1");
  EXPECT_EQ(Path(3), "/api/permission/oauth2/token");
  EXPECT_EQ(Bearer(4), "Bearer czs_2");
  // The new token is cached: the next call sends one request.
  fake_->ReplyJson(200, kMe);
  ASSERT_TRUE(client->users().Me());
  EXPECT_EQ(fake_->requests.size(), 6u);
  EXPECT_EQ(Bearer(5), "Bearer czs_2");
}

TEST_F(RenewTest, JwtAuthSurfacesTheSecondRefusalAfterExactlyOneRetry) {
  auto client = MakeClient(Jwt({.enterprise_id = "ent_1"}));
  fake_->ReplyJson(200, TokenBody("czs_1", now_ + 900));
  fake_->ReplyJson(401, kRefused);
  fake_->ReplyJson(200, TokenBody("czs_2", now_ + 900));
  fake_->ReplyJson(401, R"({"code":4100,"msg":"still invalid","detail":{"logid":"L2"}})");
  auto me = client->users().Me();
  ASSERT_FALSE(me);
  EXPECT_EQ(me.error().code, 4100);
  EXPECT_EQ(me.error().msg, "still invalid");
  EXPECT_EQ(me.error().logid, "L2");
  ASSERT_EQ(fake_->requests.size(), 4u) << "mint, call, mint, call — and no more";
  EXPECT_EQ(Path(2), "/api/permission/oauth2/enterprise_id/ent_1/token") << "same request";
  EXPECT_EQ(Bearer(3), "Bearer czs_2");
}

TEST_F(RenewTest, OtherCodesAndFailedPurchasesAreNotRetried) {
  auto client = MakeClient(Jwt());
  fake_->ReplyJson(200, TokenBody("czs_1", now_ + 900));
  fake_->ReplyJson(403, R"({"code":4101,"msg":"no permission"})");
  auto denied = client->users().Me();
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, 4101);
  EXPECT_EQ(fake_->requests.size(), 2u);
  // A 4100, then the purchase of the next token fails: that failure is the call's result, and
  // the refused token is not sent again although it has not expired.
  fake_->ReplyJson(401, kRefused);
  fake_->ReplyJson(401, R"({"error_code":"invalid_client","error_message":"app disabled"})");
  auto me = client->users().Me();
  ASSERT_TRUE(me.is_auth_error()) << me.Describe();
  EXPECT_EQ(me.auth_error().error_code, "invalid_client");
  EXPECT_EQ(fake_->requests.size(), 4u);
}

TEST_F(RenewTest, AFixedTokenSurfacesThe4100AfterOneRequest) {
  auto client = MakeClient(std::make_shared<TokenAuth>("pat_x"));
  fake_->ReplyJson(401, kRefused);
  auto me = client->users().Me();
  ASSERT_FALSE(me);
  EXPECT_EQ(me.error().code, 4100);
  EXPECT_EQ(fake_->requests.size(), 1u);
}

TEST_F(RenewTest, OAuthAuthRefreshesOnceAfterA4100AndKeepsTheRotatedPair) {
  std::vector<OAuthToken> persisted;
  auto auth = Oauth("czu_1", "rt_1", &persisted);
  auto client = MakeClient(auth);
  fake_->ReplyJson(401, kRefused);
  fake_->ReplyJson(200, TokenBody("czu_2", now_ + 900, "rt_2"));
  fake_->ReplyJson(200, kMe);
  auto me = client->users().Me();
  ASSERT_TRUE(me) << me.Describe();
  ASSERT_EQ(fake_->requests.size(), 3u);
  EXPECT_EQ(Bearer(0), "Bearer czu_1");
  EXPECT_EQ(Path(1), "/api/permission/oauth2/token");
  EXPECT_NE(fake_->requests[1].body.find(R"("refresh_token":"rt_1")"), std::string::npos);
  EXPECT_EQ(Bearer(2), "Bearer czu_2");
  ASSERT_EQ(persisted.size(), 1u);
  EXPECT_EQ(persisted[0].refresh_token, "rt_2");
  EXPECT_EQ(auth->token().access_token, "czu_2");
}

TEST_F(RenewTest, OAuthAuthSurfacesTheSecondRefusalAfterExactlyOneRetry) {
  auto client = MakeClient(Oauth("czu_1", "rt_1"));
  fake_->ReplyJson(401, kRefused);
  fake_->ReplyJson(200, TokenBody("czu_2", now_ + 900, "rt_2"));
  fake_->ReplyJson(401, kRefused);
  auto me = client->users().Me();
  ASSERT_FALSE(me);
  EXPECT_EQ(me.error().code, 4100);
  EXPECT_EQ(fake_->requests.size(), 3u) << "call, refresh, call — and no more";
}

TEST_F(RenewTest, OAuthAuthWhoseRefreshFailsReturnsTheFailureAndDropsTheRefusedToken) {
  auto auth = Oauth("czu_1", "rt_1");
  auto client = MakeClient(auth);
  fake_->ReplyJson(401, kRefused);
  fake_->ReplyJson(400, R"({"error_code":"invalid_grant","error_message":"revoked"})");
  auto me = client->users().Me();
  ASSERT_TRUE(me.is_auth_error()) << me.Describe();
  EXPECT_EQ(me.auth_error().error_code, "invalid_grant");
  EXPECT_EQ(fake_->requests.size(), 2u);
  EXPECT_EQ(auth->token().access_token, "") << "the refused token is never sent again";
  EXPECT_EQ(auth->token().refresh_token, "rt_1");
  // Without a refresh token there is nothing to renew: the 4100 surfaces at once.
  auto fixed = std::make_shared<OAuthAuth>(OAuthToken{"czu_x", now_ + 900, ""}, nullptr, nullptr,
                                           [this] { return now_; });
  EXPECT_FALSE(fixed->Renew("czu_x"));
  EXPECT_EQ(*fixed->Token(), "czu_x");
}

TEST_F(RenewTest, AStreamRefusedBeforeItStartsIsRenewedToo) {
  auto client = MakeClient(Jwt());
  fake_->ReplyJson(200, TokenBody("czs_1", now_ + 900));
  fake_->ReplyJson(401, kRefused);
  fake_->ReplyJson(200, TokenBody("czs_2", now_ + 900));
  fake_->Reply(200, "event: done\ndata: \"[DONE]\"\n\n", {{"Content-Type", "text/event-stream"}});
  std::vector<std::string> events;
  auto status = client->CallStream({.method = "POST", .path = "/v3/chat"}, [&](const SseEvent& e) {
    events.push_back(e.event);
    return true;
  });
  ASSERT_TRUE(status) << status.Describe();
  EXPECT_EQ(events, std::vector<std::string>{"done"});
  EXPECT_EQ(fake_->requests.size(), 4u);
  EXPECT_EQ(Bearer(3), "Bearer czs_2");
}

TEST_F(RenewTest, ConcurrentRenewalsOfOneTokenBuyOneNewToken) {
  auto auth = Jwt();
  fake_->ReplyJson(200, TokenBody("czs_1", now_ + 900));
  ASSERT_EQ(*auth->Token(), "czs_1");
  EXPECT_TRUE(auth->Renew("czs_1"));
  fake_->ReplyJson(200, TokenBody("czs_2", now_ + 900));
  ASSERT_EQ(*auth->Token(), "czs_2");
  // A second caller that saw czs_1 refused too keeps czs_2.
  EXPECT_TRUE(auth->Renew("czs_1"));
  EXPECT_EQ(*auth->Token(), "czs_2");
  EXPECT_EQ(fake_->requests.size(), 2u);
}

// --- FailoverAuth and OboAuth

class RenewChainTest : public RenewTest {
 protected:
  std::shared_ptr<FailoverAuth> Chain(std::shared_ptr<Auth> first, std::shared_ptr<Auth> second) {
    return std::make_shared<FailoverAuth>(std::vector<FailoverCredential>{
        {"personal", std::move(first)}, {"enterprise", std::move(second)}});
  }
  ApiRequest BotGet() const { return {.path = "/v1/bots/7"}; }
};

TEST_F(RenewChainTest, ARenewedTokenThatWorksStaysOnTheFirstCredential) {
  auto chain = Chain(Jwt(), std::make_shared<TokenAuth>("pat_ent"));
  auto client = MakeClient(chain);
  fake_->ReplyJson(200, TokenBody("czs_1", now_ + 900));
  fake_->ReplyJson(401, kRefused);
  fake_->ReplyJson(200, TokenBody("czs_2", now_ + 900));
  fake_->ReplyJson(200, R"({"code":0,"data":{}})");
  ASSERT_TRUE(client->Call(BotGet()));
  EXPECT_EQ(fake_->requests.size(), 4u);
  EXPECT_FALSE(chain->Learned("bot:7")) << "served by the first credential: nothing to learn";
  const auto stats = chain->Stats();
  EXPECT_EQ(stats[0].renewals, 1u);
  EXPECT_EQ(stats[0].successes, 1u);
  EXPECT_EQ(stats[0].attempts, 2u);
  EXPECT_EQ(stats[1].attempts, 0u);
}

TEST_F(RenewChainTest, ARenewedTokenRefusedAgainFallsBackToTheNextCredential) {
  for (const char* second_refusal :
       {kRefused, R"({"code":4101,"msg":"moved"})", R"({"code":4200,"msg":"not found"})"}) {
    SCOPED_TRACE(second_refusal);
    fake_->requests.clear();
    auto chain = Chain(Jwt(), std::make_shared<TokenAuth>("pat_ent"));
    auto client = MakeClient(chain);
    fake_->ReplyJson(200, TokenBody("czs_1", now_ + 900));
    fake_->ReplyJson(401, kRefused);
    fake_->ReplyJson(200, TokenBody("czs_2", now_ + 900));
    fake_->ReplyJson(401, second_refusal);
    fake_->ReplyJson(200, R"({"code":0,"data":{}})");
    auto r = client->Call(BotGet());
    ASSERT_TRUE(r) << r.Describe();
    ASSERT_EQ(fake_->requests.size(), 5u) << "mint, call, mint, call, call with the next";
    EXPECT_EQ(Bearer(4), "Bearer pat_ent");
    EXPECT_EQ(chain->Learned("bot:7"), 1u);
    const auto stats = chain->Stats();
    EXPECT_EQ(stats[0].renewals, 1u);
    EXPECT_EQ(stats[0].fallbacks, 1u);
    EXPECT_EQ(stats[1].successes, 1u);
  }
}

TEST_F(RenewChainTest, EveryCredentialRenewedAndRefusedReturnsTheLastRefusalAfterOneRetryEach) {
  auto chain = Chain(Jwt(), Oauth("czu_1", "rt_1"));
  auto client = MakeClient(chain);
  fake_->ReplyJson(200, TokenBody("czs_1", now_ + 900));
  fake_->ReplyJson(401, kRefused);
  fake_->ReplyJson(200, TokenBody("czs_2", now_ + 900));
  fake_->ReplyJson(401, kRefused);
  fake_->ReplyJson(401, kRefused);                                // czu_1
  fake_->ReplyJson(200, TokenBody("czu_2", now_ + 900, "rt_2"));  // refresh
  fake_->ReplyJson(401, R"({"code":4100,"msg":"last"})");         // czu_2
  auto r = client->Call(BotGet());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().msg, "last");
  EXPECT_EQ(fake_->requests.size(), 7u);
  EXPECT_EQ(chain->Stats()[1].renewals, 1u);
  EXPECT_EQ(chain->Stats()[1].failures, 1u);
}

TEST_F(RenewChainTest, AFixedFirstCredentialFallsBackAtOnceAsBefore) {
  auto chain = Chain(std::make_shared<TokenAuth>("pat_personal"), Jwt());
  auto client = MakeClient(chain);
  fake_->ReplyJson(401, kRefused);
  fake_->ReplyJson(200, TokenBody("czs_1", now_ + 900));
  fake_->ReplyJson(200, R"({"code":0,"data":{}})");
  ASSERT_TRUE(client->Call(BotGet()));
  EXPECT_EQ(fake_->requests.size(), 3u);
  EXPECT_EQ(chain->Stats()[0].renewals, 0u);
  EXPECT_EQ(chain->Stats()[0].fallbacks, 1u);
}

TEST_F(RenewChainTest, OboRefreshesOnceBeforeTheReauthorizationSignal) {
  auto client = MakeClient(std::make_shared<OboAuth>(OboOptions{.token = Oauth("czu_1", "rt_1")}));
  fake_->ReplyJson(401, kRefused);
  fake_->ReplyJson(200, TokenBody("czu_2", now_ + 900, "rt_2"));
  fake_->ReplyJson(200, kMe);
  ASSERT_TRUE(client->users().Me());
  EXPECT_EQ(fake_->requests.size(), 3u);

  fake_->ReplyJson(401, kRefused);
  fake_->ReplyJson(200, TokenBody("czu_3", now_ + 900, "rt_3"));
  fake_->ReplyJson(401, kRefused);
  auto me = client->users().Me();
  ASSERT_FALSE(me);
  auto reauth = ReauthorizationRequired::From(me.error());
  ASSERT_TRUE(reauth) << me.Describe();
  EXPECT_EQ(reauth->rejected_code, 4100);
  EXPECT_EQ(fake_->requests.size(), 6u);
}

}  // namespace
}  // namespace coze
