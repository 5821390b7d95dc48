// Renewal after a 4100 (coze/auth.hpp) against the real server: a JWT-minted (czs_) or OAuth
// (czu_) access token is revoked in the server's store — as a server that lost its token state
// would refuse it — and the next call through JWTAuth / OAuthAuth succeeds with a fresh token
// (a JWT purchase, a refresh). Negative: when the server refuses every new token as well, the
// 4100 surfaces after exactly one retry; a FailoverAuth chain then falls back to its next
// credential. A RevokingTransport (libcurl underneath) counts the requests and, on demand,
// revokes each token the token endpoint hands out before the SDK sees it.

#include <atomic>
#include <coze/failover.hpp>
#include <functional>

#include "sdk/sdk_oauth_world.hpp"
#include "support/sqlite_file.hpp"

namespace cozeauth::it {
namespace {
namespace json = boost::json;

constexpr auto kPropagation = 30'000ms;  // bounds a failure only; the wait ends at the 4100
constexpr const char* kTokenPath = "/api/permission/oauth2/token";

// Counts requests; with on_new_token set, calls it with each access token the token endpoint
// hands out before passing the answer on.
class RevokingTransport final : public coze::HttpTransport {
 public:
  coze::Result<coze::HttpResponse> Send(const coze::HttpRequest& request) override {
    auto response = curl_->Send(request);
    if (!request.url.ends_with(kTokenPath)) {
      ++api_requests;
    } else {
      ++token_requests;
      if (response && on_new_token) {
        const auto body = json::parse(response->body).as_object();
        on_new_token(std::string(body.at("access_token").as_string()));
      }
    }
    return response;
  }
  coze::Result<coze::HttpResponse> Stream(const coze::HttpRequest& request,
                                          const coze::ChunkCallback& on_chunk) override {
    ++api_requests;
    return curl_->Stream(request, on_chunk);
  }
  void Reset() { token_requests = api_requests = 0; }

  std::atomic<int> token_requests{0}, api_requests{0};
  std::function<void(const std::string&)> on_new_token;

 private:
  std::shared_ptr<coze::HttpTransport> curl_ = coze::MakeCurlTransport();
};

class SdkRenew : public SdkOAuth {
 protected:
  std::shared_ptr<RevokingTransport> transport_ = std::make_shared<RevokingTransport>();

  // Revokes `token` in the store (by its hash, as the server keeps it), bumps the auth epoch as
  // every authorization-relevant write does, and waits until the server refuses it.
  static void RevokeOnServer(const std::string& token) {
    SqliteFile(server().db_path())
        .Exec(
            "UPDATE tokens SET revoked_at = CAST(strftime('%s','now') AS INTEGER) "
            "WHERE token_hash = '" +
            Sha256Hex(token) +
            "';"
            "UPDATE meta SET value = value + 1 WHERE key = 'auth_epoch';");
    auto polled =
        PollForCode([&] { return http().Get("/v1/users/me", Bearer(token)); }, 4100, kPropagation);
    ASSERT_TRUE(polled.reached) << "revocation not effective: " << polled.last.Describe();
  }

  coze::OAuthClientOptions Counted(coze::OAuthClientOptions o) const {
    o.transport = transport_;
    return o;
  }
  std::shared_ptr<coze::JWTAuth> JwtAuth() const {
    coze::OAuthClientOptions o = Counted(Options(F().service.id));
    o.private_key = F().key.private_pkcs8;
    o.public_key_id = F().kid;
    auto client = coze::JWTOAuthClient::Create(o);
    if (!client) throw std::runtime_error(client.Describe());
    return std::make_shared<coze::JWTAuth>(*client);
  }
  // A web app's token pair for the world's user, obtained through the consent page.
  std::shared_ptr<coze::OAuthAuth> WebAuth() const {
    coze::OAuthClientOptions o = Counted(Options(F().web.client_id));
    o.client_secret = F().web_secret;
    coze::WebOAuthClient web(o);
    const std::string redirect = Consent(web.GetAuthorizationUrl(kWebRedirect, "renew"));
    auto token = web.GetAccessToken(QueryParam(redirect, "code"), kWebRedirect);
    if (!token) throw std::runtime_error(token.Describe());
    return std::make_shared<coze::OAuthAuth>(web, *token);
  }
  coze::Result<coze::User> MeThrough(std::shared_ptr<coze::Auth> auth) const {
    coze::Client client({.base_url = server().base_url(),
                         .auth = std::move(auth),
                         .transport = transport_,
                         .timeout = 20s});
    return client.users().Me();
  }
};

TEST_F(SdkRenew, JwtAuthReMintsARevokedTokenAndTheCallSucceeds) {
  auto auth = JwtAuth();
  auto first = Eventually([&] { return auth->Token(); });  // the authorization has propagated
  ASSERT_TRUE(first) << first.Describe();
  ASSERT_TRUE(MeThrough(auth));
  RevokeOnServer(*first);
  transport_->Reset();

  auto me = MeThrough(auth);
  ASSERT_TRUE(me) << me.Describe();
  EXPECT_EQ(transport_->api_requests, 2) << "refused once, then sent with the new token";
  EXPECT_EQ(transport_->token_requests, 1);
  auto now = auth->Token();
  ASSERT_TRUE(now);
  EXPECT_NE(*now, *first);
  EXPECT_EQ(now->rfind("czs_", 0), 0u);
}

TEST_F(SdkRenew, OAuthAuthRefreshesARevokedAccessTokenAndTheCallSucceeds) {
  auto auth = WebAuth();
  const coze::OAuthToken before = auth->token();
  RevokeOnServer(before.access_token);
  transport_->Reset();

  auto me = MeThrough(auth);
  ASSERT_TRUE(me) << me.Describe();
  EXPECT_EQ(me->user_id, world().user.id);
  EXPECT_EQ(transport_->api_requests, 2);
  EXPECT_EQ(transport_->token_requests, 1) << "one refresh";
  const coze::OAuthToken after = auth->token();
  EXPECT_NE(after.access_token, before.access_token);
  EXPECT_NE(after.refresh_token, before.refresh_token) << "the rotated pair is kept";
}

TEST_F(SdkRenew, ARenewedTokenRefusedAgainSurfacesAfterExactlyOneRetry) {
  auto jwt = JwtAuth();
  auto first = Eventually([&] { return jwt->Token(); });
  ASSERT_TRUE(first) << first.Describe();
  auto web = WebAuth();
  RevokeOnServer(*first);
  RevokeOnServer(web->token().access_token);
  transport_->on_new_token = RevokeOnServer;  // every new token is refused as well

  for (const auto& auth : std::vector<std::shared_ptr<coze::Auth>>{jwt, web}) {
    transport_->Reset();
    auto me = MeThrough(auth);
    ASSERT_FALSE(me);
    ASSERT_FALSE(me.is_auth_error()) << me.Describe();
    EXPECT_EQ(me.error().code, 4100);
    EXPECT_EQ(transport_->api_requests, 2) << "one retry, no more";
    EXPECT_EQ(transport_->token_requests, 1);
  }

  // In a failover chain the same exhausted renewal moves on to the next credential.
  transport_->Reset();
  auto chain = std::make_shared<coze::FailoverAuth>(std::vector<coze::FailoverCredential>{
      {"jwt", jwt}, {"pat", std::make_shared<coze::TokenAuth>(world().pat.token)}});
  auto me = MeThrough(chain);
  ASSERT_TRUE(me) << me.Describe();
  EXPECT_EQ(transport_->api_requests, 3) << "jwt, renewed jwt, pat";
  EXPECT_EQ(chain->Stats()[0].renewals, 1u);
  EXPECT_EQ(chain->Stats()[0].fallbacks, 1u);
  EXPECT_EQ(chain->Stats()[1].successes, 1u);
}

}  // namespace
}  // namespace cozeauth::it
