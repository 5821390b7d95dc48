// Hardening of the OAuth endpoints over HTTP against the real binary (issue 8): JWT-bearer
// numeric claims (an exp near INT64_MAX was accepted and then replayable without limit), the
// lifetime cap, the JWT audience (it was checked against the request's Host header, so a
// client chose its own), and the rate limit of the unauthenticated device-code endpoint.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <limits>
#include <string>

#include "support/openapi_expect.hpp"
#include "support/rsa_jwt.hpp"
#include "support/scenario.hpp"
#include "support/test_server.hpp"

namespace cozeauth::it {
namespace {
namespace json = boost::json;

constexpr const char* kTokenPath = "/api/permission/oauth2/token";
constexpr const char* kDeviceCodePath = "/api/permission/oauth2/device/code";
constexpr const char* kJwtGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A response read off a raw connection: status and body.
struct RawResponse {
  unsigned status = 0;
  json::value body;
  std::string text;
};

RawResponse ParseRaw(const std::string& raw) {
  RawResponse r;
  r.text = raw;
  if (raw.rfind("HTTP/1.1 ", 0) == 0) r.status = static_cast<unsigned>(std::stoi(raw.substr(9, 3)));
  const size_t body = raw.find("\r\n\r\n");
  if (body != std::string::npos) {
    boost::system::error_code ec;
    r.body = json::parse(raw.substr(body + 4), ec);
  }
  return r;
}

class OAuthHardening : public ::testing::Test {
 protected:
  explicit OAuthHardening(TestServerOptions options = {})
      : server_(std::move(options)), scenario_(server_), http_(server_.Http()) {}

  void SetUpServiceApp() {
    user_ = scenario_.CreateUser("owner");
    app_ = scenario_.CreateApp({.owner = user_.id, .client_type = "service"});
    kid_ = scenario_.AddAppKey(app_.id, signer_.public_pem());
    scenario_.AuthorizeApp(app_.id, user_.id, user_.id, "app");
  }

  std::string OwnAudience() const { return "127.0.0.1:" + std::to_string(server_.port()); }

  // {iss, aud, iat, exp, jti} with iat and exp as raw JSON numbers.
  std::string Payload(const std::string& aud, const std::string& iat, const std::string& exp,
                      const std::string& jti) const {
    return R"({"iss":")" + app_.id + R"(","aud":")" + aud + R"(","iat":)" + iat + R"(,"exp":)" +
           exp + R"(,"jti":")" + jti + R"("})";
  }

  HttpResponse Exchange(const std::string& jwt) {
    return http_.PostJson(kTokenPath, {{"grant_type", kJwtGrant}}, Bearer(jwt));
  }

  // The token request with the Host header a client chooses (HttpClient always sends its own).
  RawResponse ExchangeWithHost(const std::string& jwt, const std::string& host) {
    const std::string body = json::serialize(json::object{{"grant_type", kJwtGrant}});
    return ParseRaw(http_.Raw(
        std::string("POST ") + kTokenPath + " HTTP/1.1\r\nHost: " + host +
        "\r\nAuthorization: Bearer " + jwt +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\nConnection: close\r\n\r\n" + body));
  }

  // Device codes for `client_id` until the first refusal (at most `bound` requests): how many
  // were allowed, and the refusal (status 0 if none came).
  std::pair<int, HttpResponse> DeviceCodesUntilRefused(const std::string& client_id, int bound) {
    for (int allowed = 0; allowed < bound; ++allowed) {
      auto res = http_.PostJson(kDeviceCodePath, {{"client_id", client_id}});
      if (res.status != 200) return {allowed, res};
    }
    return {bound, HttpResponse{}};
  }

  TestServer server_;
  Scenario scenario_;
  HttpClient http_;
  RsaJwtSigner signer_;
  UserInfo user_;
  AppInfo app_;
  std::string kid_;
};

TEST_F(OAuthHardening, JwtWithExpNearInt64MaxIsRefusedEveryTime) {
  SetUpServiceApp();
  const std::string jwt = signer_.SignPayload(
      kid_, Payload(OwnAudience(), std::to_string(Now()),
                    std::to_string(std::numeric_limits<int64_t>::max() - 59), "huge-exp-jti"));
  // Before the fix the first exchange issued a token and so did every replay (exp + 60 wrapped,
  // the used-jti row got a negative expiry and was purged at once).
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto res = Exchange(jwt);
    EXPECT_EQ(res.status, 400u) << attempt << ": " << res.Describe();
    EXPECT_EQ(OAuthErrorOf(res), "invalid_request") << res.Describe();
    EXPECT_FALSE(res.Json().as_object().contains("access_token"));
  }
}

TEST_F(OAuthHardening, JwtNumericClaimsOutOfRangeOrNotIntegersAreInvalidRequest) {
  SetUpServiceApp();
  const std::string now = std::to_string(Now());
  const std::string soon = std::to_string(Now() + 900);
  int i = 0;
  for (const auto& [iat, exp] : std::vector<std::pair<std::string, std::string>>{
           {"1e300", soon},                         // a double far out of int64's range
           {now, soon + ".5"},                      // a fraction
           {now, "\"" + soon + "\""},               // a string
           {"-1", soon},                            // negative
           {now, std::to_string(Now() + 3601)}}) {  // lifetime over the default 3600 s cap
    auto res = Exchange(signer_.SignPayload(
        kid_, Payload(OwnAudience(), iat, exp, "claims-" + std::to_string(i++))));
    EXPECT_EQ(res.status, 400u) << iat << " " << exp << ": " << res.Describe();
    EXPECT_EQ(OAuthErrorOf(res), "invalid_request") << res.Describe();
  }
  // The Coze SDKs' 15 minutes passes, once.
  const std::string ok = signer_.SignPayload(kid_, Payload(OwnAudience(), now, soon, "ok-jti"));
  auto issued = Exchange(ok);
  ASSERT_EQ(issued.status, 200u) << issued.Describe();
  auto replay = Exchange(ok);
  EXPECT_EQ(replay.status, 401u) << replay.Describe();
  EXPECT_EQ(OAuthErrorOf(replay), "invalid_client");
}

TEST_F(OAuthHardening, JwtLifetimeMayMatchTheRequestedDurationButNoMore) {
  SetUpServiceApp();
  const std::string now = std::to_string(Now());
  const std::string two_hours = std::to_string(Now() + 7200);
  // The Go SDK signs exp = iat + ttl and asks for duration_seconds = ttl: a 2-hour token needs a
  // 2-hour assertion, which the default cap (3600 s) alone would refuse.
  auto go_style = http_.PostJson(
      kTokenPath, {{"grant_type", kJwtGrant}, {"duration_seconds", 7200}},
      Bearer(signer_.SignPayload(kid_, Payload(OwnAudience(), now, two_hours, "go-ttl"))));
  EXPECT_EQ(go_style.status, 200u) << go_style.Describe();
  // The same assertion lifetime for the default 15-minute token is over the cap.
  auto longer =
      Exchange(signer_.SignPayload(kid_, Payload(OwnAudience(), now, two_hours, "long-for-short")));
  EXPECT_EQ(longer.status, 400u) << longer.Describe();
  EXPECT_EQ(OAuthErrorOf(longer), "invalid_request");
}

TEST_F(OAuthHardening, JwtAudienceIsTheServersHostNotTheRequestsHost) {
  SetUpServiceApp();
  const std::string now = std::to_string(Now());
  const std::string soon = std::to_string(Now() + 900);
  // Before the fix the server accepted any aud that matched the Host header the client sent.
  auto evil = ExchangeWithHost(
      signer_.SignPayload(kid_, Payload("evil.example", now, soon, "aud-evil")), "evil.example");
  EXPECT_EQ(evil.status, 401u) << evil.text;
  ASSERT_TRUE(evil.body.is_object()) << evil.text;
  EXPECT_EQ(evil.body.at("error").as_string(), "invalid_client");
  EXPECT_FALSE(evil.body.as_object().contains("access_token"));

  // The listen address, with or without the port, is this server's audience whatever the Host.
  auto own = ExchangeWithHost(
      signer_.SignPayload(kid_, Payload(OwnAudience(), now, soon, "aud-own")), "evil.example");
  EXPECT_EQ(own.status, 200u) << own.text;
  auto bare = Exchange(signer_.SignPayload(kid_, Payload("127.0.0.1", now, soon, "aud-bare")));
  EXPECT_EQ(bare.status, 200u) << bare.Describe();
  auto local = Exchange(signer_.SignPayload(
      kid_, Payload("localhost:" + std::to_string(server_.port()), now, soon, "aud-local")));
  EXPECT_EQ(local.status, 200u) << local.Describe();
}

TEST_F(OAuthHardening, DeviceCodeIsRateLimitedPerAppAndOtherAppsAreUnaffected) {
  UserInfo owner = scenario_.CreateUser("owner");
  AppInfo a = scenario_.CreateApp({.owner = owner.id, .client_type = "device"});
  AppInfo b = scenario_.CreateApp({.owner = owner.id, .client_type = "device"});
  // oauth_token_routes.cpp: 30 at once and 30 a minute per app. Tokens come back while the
  // requests run, so the test does not guess when the first refusal comes (no timing
  // assumption): it sends until refused. The burst guarantees at least 30 successes first, and
  // any machine answers 200 requests in far less than the 340 s needed never to be refused.
  constexpr int kPerAppBurst = 30;
  constexpr int kBound = 200;
  auto [allowed, refused] = DeviceCodesUntilRefused(a.client_id, kBound);
  // Before the fix every request created a row, without limit.
  ASSERT_EQ(refused.status, 429u) << "never refused in " << kBound << " requests";
  EXPECT_GE(allowed, kPerAppBurst);
  EXPECT_EQ(OAuthErrorOf(refused), "slow_down") << refused.Describe();
  EXPECT_GE(std::stoi(refused.Header("Retry-After")), 1) << refused.Describe();
  EXPECT_FALSE(refused.Json().as_object().contains("device_code"));

  // The per-address bucket (60 at once, 60 a minute) drains at most half as fast as an app's
  // refills, so at this point it still has ≥ 29 tokens: another app is served.
  auto other = http_.PostJson(kDeviceCodePath, {{"client_id", b.client_id}});
  EXPECT_EQ(other.status, 200u) << other.Describe();
}

// The rate is a setting (--device-codes-per-minute, docs/running.md). With 3 a minute, an app
// gets its burst of 3 and then slow_down; nothing the refused requests asked for is stored.
class DeviceCodeRate : public OAuthHardening {
 protected:
  DeviceCodeRate()
      : OAuthHardening(TestServerOptions{.extra_args = {"--device-codes-per-minute", "3"}}) {}
};

TEST_F(DeviceCodeRate, TheConfiguredRateLimitsAnApp) {
  UserInfo owner = scenario_.CreateUser("owner");
  AppInfo a = scenario_.CreateApp({.owner = owner.id, .client_type = "device"});
  // Tokens come back at 3 a minute, one per 20 s: the test sends until refused (no timing
  // assumption about when) and bounds the successes by the burst and what could refill.
  constexpr int kBurst = 3;
  constexpr int kBound = 40;
  auto [allowed, refused] = DeviceCodesUntilRefused(a.client_id, kBound);
  ASSERT_EQ(refused.status, 429u) << "never refused in " << kBound << " requests";
  EXPECT_GE(allowed, kBurst);
  // One more token needs 20 s; two more 40 s, far beyond the few requests sent here.
  EXPECT_LE(allowed, kBurst + 2) << "the default rate (30) applied, not the configured one";
  EXPECT_EQ(OAuthErrorOf(refused), "slow_down") << refused.Describe();
}

TEST_F(OAuthHardening, DeviceVerificationUriNeverEchoesAForeignHost) {
  UserInfo owner = scenario_.CreateUser("owner");
  AppInfo app = scenario_.CreateApp({.owner = owner.id, .client_type = "device"});
  const std::string body = json::serialize(json::object{{"client_id", app.client_id}});
  auto res =
      ParseRaw(http_.Raw(std::string("POST ") + kDeviceCodePath +
                         " HTTP/1.1\r\nHost: evil.example\r\nContent-Type: "
                         "application/json\r\nContent-Length: " +
                         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body));
  ASSERT_EQ(res.status, 200u) << res.text;
  EXPECT_EQ(res.body.at("verification_uri").as_string(), server_.base_url() + "/device");
}

}  // namespace
}  // namespace cozeauth::it
