// The OAuth clients and Auth providers over a FakeTransport (coze-protocol.md §4): the exact
// requests (path, headers, JSON body keys), the JWT checked with the public key, token caching
// and renewal on an injected clock, device polling with the sleeps recorded, and the error
// mapping of OAuth errors, envelope errors and non-JSON failures.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <atomic>
#include <coze/client.hpp>
#include <coze/oauth.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "sdk/fake_transport.hpp"
#include "sdk/rsa_keys.hpp"

namespace coze {
namespace {
namespace json = boost::json;
using test::FakeTransport;
using test::RsaKeys;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

// --- keys and JWT decoding

std::string Base64UrlDecode(std::string_view in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    throw std::runtime_error("not base64url");
  };
  std::string out;
  uint32_t buf = 0;
  int bits = 0;
  for (char c : in) {
    buf = (buf << 6) | static_cast<uint32_t>(value(c));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buf >> bits) & 0xFF));
    }
  }
  return out;
}

struct DecodedJwt {
  json::object header, claims;
  bool signature_ok = false;
};

DecodedJwt Decode(const std::string& jwt, const std::string& public_pem) {
  const size_t a = jwt.find('.');
  const size_t b = jwt.find('.', a + 1);
  if (a == std::string::npos || b == std::string::npos) throw std::runtime_error("not a JWT");
  DecodedJwt d;
  d.header = json::parse(Base64UrlDecode(jwt.substr(0, a))).as_object();
  d.claims = json::parse(Base64UrlDecode(jwt.substr(a + 1, b - a - 1))).as_object();
  const std::string input = jwt.substr(0, b);
  const std::string sig = Base64UrlDecode(jwt.substr(b + 1));
  BIO* bio = BIO_new_mem_buf(public_pem.data(), static_cast<int>(public_pem.size()));
  EVP_PKEY* pub = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  d.signature_ok =
      pub != nullptr && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, pub) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(pub);
  BIO_free(bio);
  return d;
}

// --- fixture

std::string Token(const std::string& access, int64_t expires_at, const std::string& refresh = "") {
  json::object o{{"access_token", access}, {"expires_in", expires_at}, {"token_type", "Bearer"}};
  if (!refresh.empty()) o["refresh_token"] = refresh;
  return json::serialize(o);
}

std::string OAuthErrorBody(const std::string& code, const std::string& message = "m") {
  return json::serialize(json::object{{"error", code},
                                      {"error_code", code},
                                      {"error_message", message},
                                      {"error_description", message},
                                      {"logid", "LOGID-" + code}});
}

class OAuthTest : public ::testing::Test {
 protected:
  std::shared_ptr<FakeTransport> fake_ = std::make_shared<FakeTransport>();
  int64_t now_ = 1'700'000'000;
  std::vector<std::chrono::seconds> sleeps_;

  OAuthClientOptions Options(std::string base = "https://coze.test:8443/") {
    OAuthClientOptions o;
    o.client_id = "12345.app.coze";
    o.client_secret = "secret-1";
    o.base_url = std::move(base);
    o.transport = fake_;
    o.now = [this] { return now_; };
    o.sleep = [this](std::chrono::seconds d) {
      sleeps_.push_back(d);
      now_ += d.count();
    };
    return o;
  }
  JWTOAuthClient Jwt(const std::string& pem = RsaKeys().pkcs8) {
    OAuthClientOptions o = Options();
    o.client_id = "7000000000000000001";
    o.private_key = pem;
    o.public_key_id = "kid-1";
    auto client = JWTOAuthClient::Create(o);
    if (!client) throw std::runtime_error(client.Describe());
    return *client;
  }

  const HttpRequest& Sent(size_t i = 0) { return fake_->requests.at(i); }
  std::string SentHeader(const std::string& name, size_t i = 0) {
    return HttpResponse{0, Sent(i).headers, ""}.Header(name);
  }
  bool HasHeader(const std::string& name, size_t i = 0) {
    for (const auto& [k, v] : Sent(i).headers) {
      if (strcasecmp(k.c_str(), name.c_str()) == 0) return true;
    }
    return false;
  }
  json::object SentBody(size_t i = 0) { return json::parse(Sent(i).body).as_object(); }
  static std::set<std::string> Keys(const json::object& o) {
    std::set<std::string> out;
    for (const auto& kv : o) out.insert(std::string(kv.key()));
    return out;
  }
  std::string SentJwt(size_t i = 0) {
    const std::string auth = SentHeader("Authorization", i);
    EXPECT_EQ(auth.rfind("Bearer ", 0), 0u) << auth;
    return auth.substr(7);
  }
};

// --- JWT

TEST_F(OAuthTest, JwtGrantRequestAndSignedJwt) {
  fake_->ReplyJson(200, Token("czs_abc", now_ + 900));
  auto client = Jwt();
  auto token = client.GetAccessToken();
  ASSERT_TRUE(token) << token.Describe();
  EXPECT_EQ(token->access_token, "czs_abc");
  EXPECT_EQ(token->expires_in, now_ + 900);
  EXPECT_EQ(token->refresh_token, "");

  ASSERT_EQ(fake_->requests.size(), 1u);
  EXPECT_EQ(Sent().method, "POST");
  EXPECT_EQ(Sent().url, "https://coze.test:8443/api/permission/oauth2/token");
  EXPECT_EQ(SentHeader("Content-Type"), "application/json");
  auto body = SentBody();
  EXPECT_EQ(Keys(body), (std::set<std::string>{"grant_type", "duration_seconds"}));
  EXPECT_EQ(body.at("grant_type"), "urn:ietf:params:oauth:grant-type:jwt-bearer");
  EXPECT_EQ(body.at("duration_seconds"), 900);

  auto jwt = Decode(SentJwt(), RsaKeys().public_pem);
  EXPECT_TRUE(jwt.signature_ok);
  EXPECT_EQ(jwt.header, (json::object{{"alg", "RS256"}, {"typ", "JWT"}, {"kid", "kid-1"}}));
  EXPECT_EQ(Keys(jwt.claims), (std::set<std::string>{"iss", "aud", "iat", "exp", "jti"}));
  EXPECT_EQ(jwt.claims.at("iss"), "7000000000000000001");
  EXPECT_EQ(jwt.claims.at("aud"), "coze.test:8443") << "host[:port] of base_url";
  EXPECT_EQ(jwt.claims.at("iat"), now_);
  EXPECT_EQ(jwt.claims.at("exp"), now_ + 900);
  EXPECT_THAT(std::string(jwt.claims.at("jti").as_string()), MatchesRegex("[0-9a-f]{64}"));
}

TEST_F(OAuthTest, JwtWithPkcs1KeyScopeSessionAndDuration) {
  fake_->ReplyJson(200, Token("czs_1", now_ + 1800));
  auto client = Jwt(RsaKeys().pkcs1);
  ASSERT_THAT(RsaKeys().pkcs1, HasSubstr("BEGIN RSA PRIVATE KEY"));
  auto token = client.GetAccessToken(
      {.duration_seconds = 1800,
       .scope = JWTScope::BotChat({"b1", "b2"}),
       .session_name = "end-user-7",
       .session_context = json::object{{"device_info", json::object{{"device_id", "d1"}}}}});
  ASSERT_TRUE(token) << token.Describe();
  auto body = SentBody();
  EXPECT_EQ(body.at("duration_seconds"), 1800);
  EXPECT_EQ(
      json::serialize(body.at("scope")),
      R"({"account_permission":{"permission_list":["Connector.botChat"]},)"
      R"("attribute_constraint":{"connector_bot_chat_attribute":{"bot_id_list":["b1","b2"]}}})");
  auto jwt = Decode(SentJwt(), RsaKeys().public_pem);
  EXPECT_TRUE(jwt.signature_ok);
  EXPECT_EQ(jwt.claims.at("exp"), now_ + 1800);
  EXPECT_EQ(jwt.claims.at("session_name"), "end-user-7");
  EXPECT_EQ(jwt.claims.at("session_context").at("device_info").at("device_id"), "d1");
}

TEST_F(OAuthTest, JwtEachTokenRequestSignsAFreshJti) {
  fake_->ReplyJson(200, Token("a", now_ + 900));
  fake_->ReplyJson(200, Token("b", now_ + 900));
  auto client = Jwt();
  ASSERT_TRUE(client.GetAccessToken());
  ASSERT_TRUE(client.GetAccessToken());
  EXPECT_NE(Decode(SentJwt(0), RsaKeys().public_pem).claims.at("jti"),
            Decode(SentJwt(1), RsaKeys().public_pem).claims.at("jti"));
}

TEST_F(OAuthTest, JwtAccountAndEnterprisePaths) {
  fake_->ReplyJson(200, Token("a", now_ + 900));
  fake_->ReplyJson(200, Token("e", now_ + 900));
  auto client = Jwt();
  ASSERT_TRUE(client.GetAccessToken({.account_id = "7300000000000000042"}));
  ASSERT_TRUE(client.GetAccessToken({.enterprise_id = "volcano_2105"}));
  EXPECT_EQ(Sent(0).url,
            "https://coze.test:8443/api/permission/oauth2/account/7300000000000000042/token");
  EXPECT_EQ(Sent(1).url,
            "https://coze.test:8443/api/permission/oauth2/enterprise_id/volcano_2105/token");

  auto both = client.GetAccessToken({.account_id = "1", .enterprise_id = "e"});
  ASSERT_FALSE(both);
  EXPECT_EQ(both.error().code, kClientErrorCode);
  EXPECT_EQ(fake_->requests.size(), 2u) << "nothing is sent for an ambiguous request";
}

TEST_F(OAuthTest, JwtCreateRejectsBadInput) {
  OAuthClientOptions o = Options();
  o.private_key = "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n";
  o.public_key_id = "kid";
  auto bad_key = JWTOAuthClient::Create(o);
  ASSERT_FALSE(bad_key);
  EXPECT_THAT(bad_key.error().msg, HasSubstr("private_key"));

  o.private_key = RsaKeys().pkcs8;
  o.public_key_id = "";
  EXPECT_FALSE(JWTOAuthClient::Create(o));

  o.public_key_id = "kid";
  o.private_key = RsaKeys().public_pem;  // the public half by mistake
  EXPECT_FALSE(JWTOAuthClient::Create(o));

  // A key pasted with literal \n escapes is read.
  std::string escaped;
  for (char c : RsaKeys().pkcs8) escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
  o.private_key = escaped;
  EXPECT_TRUE(JWTOAuthClient::Create(o));
}

TEST_F(OAuthTest, AudienceIsHostAndPortOfTheBaseUrl) {
  for (const auto& [base, aud] : std::vector<std::pair<std::string, std::string>>{
           {"https://api.coze.cn", "api.coze.cn"},
           {"http://127.0.0.1:8080/", "127.0.0.1:8080"},
           {"https://api.coze.com/some/prefix", "api.coze.com"}}) {
    OAuthClientOptions o = Options(base);
    o.private_key = RsaKeys().pkcs8;
    o.public_key_id = "k";
    auto client = JWTOAuthClient::Create(o);
    ASSERT_TRUE(client);
    auto jwt = client->MakeJwt();
    ASSERT_TRUE(jwt);
    EXPECT_EQ(Decode(*jwt, RsaKeys().public_pem).claims.at("aud").as_string(), aud) << base;
  }
}

// --- JWTAuth

TEST_F(OAuthTest, RefreshBeforeFollowsCozeGo) {
  EXPECT_EQ(RefreshBefore(900), 30);
  EXPECT_EQ(RefreshBefore(600), 30);
  EXPECT_EQ(RefreshBefore(599), 10);
  EXPECT_EQ(RefreshBefore(60), 10);
  EXPECT_EQ(RefreshBefore(59), 5);
  EXPECT_EQ(RefreshBefore(30), 5);
  EXPECT_EQ(RefreshBefore(29), 0);
}

TEST_F(OAuthTest, JwtAuthCachesAndRenewsAheadOfExpiry) {
  const int64_t t0 = now_;
  fake_->ReplyJson(200, Token("czs_1", t0 + 900));
  JWTAuth auth(Jwt());
  EXPECT_EQ(*auth.Token(), "czs_1");
  now_ = t0 + 869;  // 31 s left: still cached
  EXPECT_EQ(*auth.Token(), "czs_1");
  EXPECT_EQ(fake_->requests.size(), 1u);

  now_ = t0 + 870;  // 30 s left: renewed
  fake_->ReplyJson(200, Token("czs_2", now_ + 60));
  EXPECT_EQ(*auth.Token(), "czs_2");
  EXPECT_EQ(fake_->requests.size(), 2u);
  // A 60 s token is renewed 10 s ahead.
  now_ += 49;
  EXPECT_EQ(*auth.Token(), "czs_2");
  now_ += 1;
  fake_->ReplyJson(200, Token("czs_3", now_ + 900));
  EXPECT_EQ(*auth.Token(), "czs_3");
  EXPECT_EQ(fake_->requests.size(), 3u);

  auth.Invalidate();
  fake_->ReplyJson(200, Token("czs_4", now_ + 900));
  EXPECT_EQ(*auth.Token(), "czs_4");
}

TEST_F(OAuthTest, JwtAuthKeepsAValidTokenWhenRenewalFailsAndReportsLaterFailures) {
  const int64_t t0 = now_;
  fake_->ReplyJson(200, Token("czs_1", t0 + 900));
  JWTAuth auth(Jwt());
  ASSERT_TRUE(auth.Token());
  now_ = t0 + 880;
  fake_->Fail("connection refused");
  EXPECT_EQ(*auth.Token(), "czs_1") << "inside the margin the old token still works";
  now_ = t0 + 900;
  fake_->ReplyJson(401, OAuthErrorBody("invalid_client", "bad JWT"));
  auto r = auth.Token();
  ASSERT_TRUE(r.is_auth_error()) << r.Describe();
  EXPECT_EQ(r.auth_error().error_code, "invalid_client");
}

TEST_F(OAuthTest, JwtAuthHonoursAccountIdAndEnterpriseId) {
  fake_->ReplyJson(200, Token("a", now_ + 900));
  fake_->ReplyJson(200, Token("e", now_ + 900));
  JWTAuth account(Jwt(), {.duration_seconds = 600, .account_id = "42"});
  JWTAuth enterprise(Jwt(), {.enterprise_id = "ent_9"});
  EXPECT_EQ(*account.Token(), "a");
  EXPECT_EQ(*enterprise.Token(), "e");
  EXPECT_THAT(Sent(0).url, ::testing::EndsWith("/api/permission/oauth2/account/42/token"));
  EXPECT_EQ(SentBody(0).at("duration_seconds"), 600);
  EXPECT_THAT(Sent(1).url, ::testing::EndsWith("/api/permission/oauth2/enterprise_id/ent_9/token"));
}

// A transport for concurrency tests: answers every request with a fresh token, counting them.
class CountingTransport : public HttpTransport {
 public:
  std::atomic<int> calls{0};
  Result<HttpResponse> Send(const HttpRequest&) override {
    const int n = ++calls;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return HttpResponse{200, {}, Token("tok_" + std::to_string(n), 4'000'000'000, "r")};
  }
  Result<HttpResponse> Stream(const HttpRequest& r, const ChunkCallback&) override {
    return Send(r);
  }
};

TEST_F(OAuthTest, JwtAuthConcurrentCallersShareOnePurchase) {
  auto counting = std::make_shared<CountingTransport>();
  OAuthClientOptions o = Options();
  o.transport = counting;
  o.private_key = RsaKeys().pkcs8;
  o.public_key_id = "k";
  auto client = JWTOAuthClient::Create(o);
  ASSERT_TRUE(client);
  JWTAuth auth(*client);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (auto t = auth.Token(); t && *t == "tok_1") ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8);
  EXPECT_EQ(counting->calls.load(), 1);
}

TEST_F(OAuthTest, ClientWithJwtAuthSendsTheAccessToken) {
  fake_->ReplyJson(200, Token("czs_for_client", now_ + 900));
  fake_->ReplyJson(200, R"({"code":0,"msg":"","data":{"user_id":"1","user_name":"svc"}})");
  Client client({.base_url = "https://coze.test:8443",
                 .auth = std::make_shared<JWTAuth>(Jwt()),
                 .transport = fake_});
  auto me = client.users().Me();
  ASSERT_TRUE(me) << me.Describe();
  EXPECT_EQ(SentHeader("Authorization", 1), "Bearer czs_for_client");
  // The OAuth request carries the same User-Agent headers as the Client's.
  EXPECT_EQ(SentHeader("User-Agent", 0), client.user_agent());
  EXPECT_EQ(SentHeader("X-Coze-Client-User-Agent", 0), client.client_user_agent());
}

// --- web

TEST_F(OAuthTest, WebAuthorizationUrl) {
  WebOAuthClient web(Options("http://127.0.0.1:8080/"));
  EXPECT_EQ(web.GetAuthorizationUrl("https://example.com/callback", "s 1"),
            "http://127.0.0.1:8080/api/permission/oauth2/authorize?response_type=code"
            "&client_id=12345.app.coze&redirect_uri=https%3A%2F%2Fexample.com%2Fcallback"
            "&state=s%201");
  EXPECT_EQ(web.GetAuthorizationUrl("http://localhost/cb", "", "123"),
            "http://127.0.0.1:8080/api/permission/oauth2/workspace_id/123/authorize"
            "?response_type=code&client_id=12345.app.coze&redirect_uri=http%3A%2F%2Flocalhost"
            "%2Fcb&state=");
}

TEST_F(OAuthTest, WwwBaseIsDerivedLikeCozePy) {
  EXPECT_EQ(WebOAuthClient(Options("https://api.coze.cn")).www_base_url(), "https://www.coze.cn");
  EXPECT_EQ(WebOAuthClient(Options("https://api.coze.com/")).www_base_url(),
            "https://www.coze.com");
  EXPECT_EQ(WebOAuthClient(Options("http://127.0.0.1:9")).www_base_url(), "http://127.0.0.1:9");
  OAuthClientOptions o = Options("https://api.coze.cn");
  o.www_base_url = "https://login.example/";
  WebOAuthClient explicit_www(o);
  EXPECT_EQ(explicit_www.www_base_url(), "https://login.example");
  EXPECT_EQ(explicit_www.GetAuthorizationUrl("r", "s").rfind("https://login.example/api/", 0), 0u);
}

TEST_F(OAuthTest, WebCodeExchangeAndRefreshSendTheSecret) {
  fake_->ReplyJson(200, Token("czu_1", now_ + 900, "rt_1"));
  fake_->ReplyJson(200, Token("czu_2", now_ + 900, "rt_2"));
  WebOAuthClient web(Options());
  auto token = web.GetAccessToken("code_x", "http://localhost:8080/callback");
  ASSERT_TRUE(token) << token.Describe();
  EXPECT_EQ(token->refresh_token, "rt_1");
  EXPECT_EQ(Sent(0).url, "https://coze.test:8443/api/permission/oauth2/token");
  EXPECT_EQ(SentHeader("Authorization", 0), "Bearer secret-1");
  EXPECT_EQ(SentBody(0), (json::object{{"grant_type", "authorization_code"},
                                       {"client_id", "12345.app.coze"},
                                       {"redirect_uri", "http://localhost:8080/callback"},
                                       {"code", "code_x"}}));
  auto next = web.RefreshToken("rt_1");
  ASSERT_TRUE(next) << next.Describe();
  EXPECT_EQ(next->access_token, "czu_2");
  EXPECT_EQ(SentHeader("Authorization", 1), "Bearer secret-1");
  EXPECT_EQ(SentBody(1), (json::object{{"grant_type", "refresh_token"},
                                       {"client_id", "12345.app.coze"},
                                       {"refresh_token", "rt_1"}}));
}

// --- PKCE

TEST_F(OAuthTest, PkceAuthorizationUrlCarriesTheChallenge) {
  PKCEOAuthClient pkce(Options("http://127.0.0.1:8080"));
  auto s256 = pkce.GetAuthorizationUrl("http://127.0.0.1:53682/cb", "st");
  EXPECT_THAT(s256.code_verifier, MatchesRegex("[0-9a-f]{64}"));
  EXPECT_EQ(s256.url,
            "http://127.0.0.1:8080/api/permission/oauth2/authorize?response_type=code"
            "&client_id=12345.app.coze&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Fcb&state=st"
            "&code_challenge=" +
                PKCEOAuthClient::CodeChallenge(s256.code_verifier, CodeChallengeMethod::kS256) +
                "&code_challenge_method=S256");
  EXPECT_NE(pkce.GetAuthorizationUrl("r", "s").code_verifier, s256.code_verifier);

  auto plain = pkce.GetAuthorizationUrl("r", "s", CodeChallengeMethod::kPlain, "77");
  EXPECT_THAT(plain.url, HasSubstr("/api/permission/oauth2/workspace_id/77/authorize?"));
  EXPECT_THAT(plain.url, ::testing::EndsWith("&code_challenge=" + plain.code_verifier +
                                             "&code_challenge_method=plain"));
}

TEST_F(OAuthTest, PkceS256ChallengeMatchesRfc7636AppendixB) {
  EXPECT_EQ(PKCEOAuthClient::CodeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
                                           CodeChallengeMethod::kS256),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  EXPECT_EQ(PKCEOAuthClient::CodeChallenge("abc", CodeChallengeMethod::kPlain), "abc");
}

TEST_F(OAuthTest, PkceTokenAndRefreshSendNoAuthorization) {
  fake_->ReplyJson(200, Token("czu_1", now_ + 900, "rt_1"));
  fake_->ReplyJson(200, Token("czu_2", now_ + 900, "rt_2"));
  PKCEOAuthClient pkce(Options());
  auto token = pkce.GetAccessToken("code_p", "http://127.0.0.1:53682/cb", "verifier-1");
  ASSERT_TRUE(token) << token.Describe();
  EXPECT_FALSE(HasHeader("Authorization", 0));
  EXPECT_EQ(SentBody(0), (json::object{{"grant_type", "authorization_code"},
                                       {"client_id", "12345.app.coze"},
                                       {"redirect_uri", "http://127.0.0.1:53682/cb"},
                                       {"code", "code_p"},
                                       {"code_verifier", "verifier-1"}}));
  ASSERT_TRUE(pkce.RefreshToken("rt_1"));
  EXPECT_FALSE(HasHeader("Authorization", 1));
  EXPECT_EQ(SentBody(1).at("grant_type"), "refresh_token");
}

// --- device

TEST_F(OAuthTest, DeviceCodeRequestAndAnswer) {
  fake_->ReplyJson(200, R"({"device_code":"dc_1","user_code":"WDJB-MJHT",
    "verification_uri":"https://coze.test/device","expires_in":300,"interval":5})");
  fake_->ReplyJson(200, R"({"device_code":"dc_2","user_code":"ABCD-EFGH",
    "verification_uri":"https://coze.test/device","verification_url":"https://coze.test/v?c=1",
    "expires_in":300,"interval":5})");
  DeviceOAuthClient device(Options());
  auto code = device.GetDeviceCode();
  ASSERT_TRUE(code) << code.Describe();
  EXPECT_EQ(code->device_code, "dc_1");
  EXPECT_EQ(code->user_code, "WDJB-MJHT");
  EXPECT_EQ(code->verification_uri, "https://coze.test/device");
  EXPECT_EQ(code->verification_url, "https://coze.test/device?user_code=WDJB-MJHT");
  EXPECT_EQ(code->expires_in, 300);
  EXPECT_EQ(code->interval, 5);
  EXPECT_EQ(Sent(0).url, "https://coze.test:8443/api/permission/oauth2/device/code");
  EXPECT_FALSE(HasHeader("Authorization", 0));
  EXPECT_EQ(SentBody(0), (json::object{{"client_id", "12345.app.coze"}}));

  auto ws = device.GetDeviceCode("7001");
  ASSERT_TRUE(ws);
  EXPECT_EQ(ws->verification_url, "https://coze.test/v?c=1") << "the server's own is kept";
  EXPECT_EQ(Sent(1).url,
            "https://coze.test:8443/api/permission/oauth2/workspace_id/7001/device/code");
}

TEST_F(OAuthTest, DevicePollingPendingSlowDownThenSuccess) {
  fake_->ReplyJson(400, OAuthErrorBody("authorization_pending"));
  fake_->ReplyJson(400, OAuthErrorBody("slow_down"));
  fake_->ReplyJson(200, Token("czu_d", now_ + 900, "rt_d"));
  DeviceOAuthClient device(Options());
  auto token = device.GetAccessToken("dc_1");
  ASSERT_TRUE(token) << token.Describe();
  EXPECT_EQ(token->access_token, "czu_d");
  EXPECT_EQ(token->refresh_token, "rt_d");
  EXPECT_THAT(sleeps_, ElementsAre(std::chrono::seconds(5), std::chrono::seconds(10)));
  ASSERT_EQ(fake_->requests.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_FALSE(HasHeader("Authorization", i));
    EXPECT_EQ(SentBody(i),
              (json::object{{"grant_type", "urn:ietf:params:oauth:grant-type:device_code"},
                            {"client_id", "12345.app.coze"},
                            {"device_code", "dc_1"}}));
  }
}

TEST_F(OAuthTest, DevicePollingIntervalStopsGrowingAt30Seconds) {
  for (int i = 0; i < 7; ++i) fake_->ReplyJson(400, OAuthErrorBody("slow_down"));
  fake_->ReplyJson(200, Token("czu_d", now_ + 900, "rt_d"));
  DeviceOAuthClient device(Options());
  ASSERT_TRUE(device.GetAccessToken("dc"));
  std::vector<int64_t> secs;
  for (auto s : sleeps_) secs.push_back(s.count());
  EXPECT_THAT(secs, ElementsAre(10, 15, 20, 25, 30, 30, 30));
}

TEST_F(OAuthTest, DevicePollingStopsOnAccessDeniedAndExpiredToken) {
  for (const char* terminal : {"access_denied", "expired_token"}) {
    sleeps_.clear();
    fake_->requests.clear();
    fake_->ReplyJson(400, OAuthErrorBody("authorization_pending"));
    fake_->ReplyJson(400, OAuthErrorBody(terminal, "no"));
    DeviceOAuthClient device(Options());
    auto token = device.GetAccessToken("dc");
    ASSERT_TRUE(token.is_auth_error()) << token.Describe();
    EXPECT_EQ(token.auth_error().error_code, terminal);
    EXPECT_EQ(token.auth_error().http_status, 400);
    EXPECT_EQ(token.auth_error().logid, std::string("LOGID-") + terminal);
    EXPECT_EQ(fake_->requests.size(), 2u);
    EXPECT_EQ(sleeps_.size(), 1u);
  }
}

TEST_F(OAuthTest, DeviceWithoutPollAsksOnce) {
  fake_->ReplyJson(400, OAuthErrorBody("authorization_pending"));
  DeviceOAuthClient device(Options());
  auto token = device.GetAccessToken("dc", /*poll=*/false);
  ASSERT_TRUE(token.is_auth_error());
  EXPECT_EQ(token.auth_error().error_code, oauth_error::kAuthorizationPending);
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(OAuthTest, DevicePollingStopsOnATransportFailure) {
  fake_->ReplyJson(400, OAuthErrorBody("authorization_pending"));
  fake_->Fail("connection reset");
  DeviceOAuthClient device(Options());
  auto token = device.GetAccessToken("dc");
  ASSERT_FALSE(token);
  ASSERT_FALSE(token.is_auth_error());
  EXPECT_EQ(token.error().code, kClientErrorCode);
}

// --- OAuthAuth

TEST_F(OAuthTest, OAuthAuthRefreshesAheadOfExpiryAndKeepsTheRotatedPair) {
  const int64_t t0 = now_;
  WebOAuthClient web(Options());
  std::vector<OAuthToken> persisted;
  OAuthAuth auth(web, OAuthToken{"czu_1", t0 + 900, "rt_1", "Bearer"},
                 [&](const OAuthToken& t) { persisted.push_back(t); });
  EXPECT_EQ(*auth.Token(), "czu_1");
  now_ = t0 + 869;
  EXPECT_EQ(*auth.Token(), "czu_1");
  EXPECT_TRUE(fake_->requests.empty());

  now_ = t0 + 870;
  fake_->ReplyJson(200, Token("czu_2", now_ + 900, "rt_2"));
  EXPECT_EQ(*auth.Token(), "czu_2");
  ASSERT_EQ(fake_->requests.size(), 1u);
  EXPECT_EQ(SentBody(0).at("refresh_token"), "rt_1");
  EXPECT_EQ(SentHeader("Authorization", 0), "Bearer secret-1");
  ASSERT_EQ(persisted.size(), 1u);
  EXPECT_EQ(persisted[0].access_token, "czu_2");
  EXPECT_EQ(persisted[0].refresh_token, "rt_2");
  EXPECT_EQ(auth.token().refresh_token, "rt_2");

  now_ += 900;  // the next refresh spends the rotated refresh token
  fake_->ReplyJson(200, Token("czu_3", now_ + 900, "rt_3"));
  EXPECT_EQ(*auth.Token(), "czu_3");
  EXPECT_EQ(SentBody(1).at("refresh_token"), "rt_2");
  EXPECT_EQ(persisted.size(), 2u);
}

TEST_F(OAuthTest, OAuthAuthStartsFromARefreshTokenAlone) {
  PKCEOAuthClient pkce(Options());
  fake_->ReplyJson(200, Token("czu_1", now_ + 900, "rt_2"));
  OAuthAuth auth(pkce, OAuthToken{.refresh_token = "rt_1"});
  EXPECT_EQ(*auth.Token(), "czu_1");
  EXPECT_FALSE(HasHeader("Authorization", 0)) << "a PKCE app refreshes without a secret";
}

TEST_F(OAuthTest, OAuthAuthRefreshesAStoredTokenThatIsAboutToExpire) {
  // 20 s left of a stored token: inside the 30 s margin of a 15-minute OBO token.
  PKCEOAuthClient pkce(Options());
  OAuthAuth auth(pkce, OAuthToken{"czu_old", now_ + 20, "rt_1"});
  fake_->ReplyJson(200, Token("czu_new", now_ + 20, "rt_2"));
  EXPECT_EQ(*auth.Token(), "czu_new");
  // A freshly issued 20 s token has no margin (RefreshBefore(20) = 0): used until it expires.
  now_ += 19;
  EXPECT_EQ(*auth.Token(), "czu_new");
  EXPECT_EQ(fake_->requests.size(), 1u);
}

TEST_F(OAuthTest, OAuthAuthFailures) {
  const int64_t t0 = now_;
  DeviceOAuthClient device(Options());
  OAuthAuth auth(device, OAuthToken{"czu_1", t0 + 900, "rt_1"});
  now_ = t0 + 880;
  fake_->ReplyJson(400, OAuthErrorBody("invalid_grant", "refresh token revoked"));
  EXPECT_EQ(*auth.Token(), "czu_1") << "still valid: used while refreshing fails";
  now_ = t0 + 900;
  fake_->ReplyJson(400, OAuthErrorBody("invalid_grant", "refresh token revoked"));
  auto r = auth.Token();
  ASSERT_TRUE(r.is_auth_error()) << r.Describe();
  EXPECT_EQ(r.auth_error().error_code, "invalid_grant");
  EXPECT_EQ(r.auth_error().message, "refresh token revoked");
  EXPECT_EQ(auth.token().refresh_token, "rt_1") << "a failed refresh changes nothing";

  OAuthAuth no_refresh(OAuthToken{"czu_x", t0 + 10, ""}, nullptr, nullptr, [this] { return now_; });
  auto expired = no_refresh.Token();
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, kClientErrorCode);
}

TEST_F(OAuthTest, OAuthAuthConcurrentCallersRefreshOnce) {
  std::atomic<int> refreshes{0};
  OAuthAuth auth(
      OAuthToken{"old", now_ - 1, "rt"},
      [&](const std::string&) -> Result<OAuthToken> {
        ++refreshes;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return OAuthToken{"new", now_ + 900, "rt2"};
      },
      nullptr, [this] { return now_; });
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (auto t = auth.Token(); t && *t == "new") ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8);
  EXPECT_EQ(refreshes.load(), 1);
}

// --- error mapping

TEST_F(OAuthTest, OAuthErrorBodiesAreAuthErrors) {
  WebOAuthClient web(Options());
  fake_->ReplyJson(400, R"({"error_code":"invalid_grant","error_message":"code used"})",
                   {{"X-Tt-Logid", "HDR"}});
  auto a = web.GetAccessToken("c", "r");
  ASSERT_TRUE(a.is_auth_error()) << a.Describe();
  EXPECT_EQ(a.auth_error().error_code, "invalid_grant");
  EXPECT_EQ(a.auth_error().message, "code used");
  EXPECT_EQ(a.auth_error().logid, "HDR");
  EXPECT_EQ(a.auth_error().http_status, 400);

  fake_->ReplyJson(401, R"({"error":"invalid_client","error_description":"bad secret",
    "logid":"BODY"})");
  auto b = web.GetAccessToken("c", "r");
  ASSERT_TRUE(b.is_auth_error()) << b.Describe();
  EXPECT_EQ(b.auth_error().error_code, "invalid_client");
  EXPECT_EQ(b.auth_error().message, "bad secret");
  EXPECT_EQ(b.auth_error().logid, "BODY") << "without the header, the body's logid";
  EXPECT_EQ(b.auth_error().http_status, 401);

  // An OAuth error at HTTP 200 (coze-js would take it for a token) is still an error.
  fake_->ReplyJson(200, R"({"error":"authorization_pending"})");
  EXPECT_TRUE(web.GetAccessToken("c", "r").is_auth_error());
}

TEST_F(OAuthTest, EnvelopeNonJsonAndTransportFailuresAreErrors) {
  WebOAuthClient web(Options());
  fake_->ReplyJson(200, R"({"code":4100,"msg":"authentication is invalid",
    "detail":{"logid":"L1"}})");
  auto envelope = web.RefreshToken("rt");
  ASSERT_FALSE(envelope);
  ASSERT_FALSE(envelope.is_auth_error());
  EXPECT_EQ(envelope.error().code, 4100);
  EXPECT_EQ(envelope.error().logid, "L1");

  fake_->Reply(502, "<html><body>502 Bad Gateway</body></html>", {{"X-Tt-Logid", "GW"}});
  auto html = web.RefreshToken("rt");
  ASSERT_FALSE(html);
  ASSERT_FALSE(html.is_auth_error());
  EXPECT_EQ(html.error().code, 502);
  EXPECT_EQ(html.error().http_status, 502);
  EXPECT_EQ(html.error().logid, "GW");
  EXPECT_THAT(html.error().msg, HasSubstr("Bad Gateway"));

  fake_->Fail("could not resolve host");
  auto transport = web.RefreshToken("rt");
  ASSERT_FALSE(transport);
  EXPECT_EQ(transport.error().code, kClientErrorCode);
  EXPECT_EQ(transport.error().http_status, 0);

  fake_->ReplyJson(200, R"({"expires_in":1})");
  auto shapeless = web.RefreshToken("rt");
  ASSERT_FALSE(shapeless);
  EXPECT_EQ(shapeless.error().code, kClientErrorCode);
  EXPECT_THAT(shapeless.error().msg, HasSubstr("access_token"));
}

// --- config

TEST_F(OAuthTest, ConfigGivesTheClientOfItsType) {
  OAuthClientOptions base = Options();
  auto web = ParseOAuthAppConfig(R"({"client_type":"web","client_id":"w.app.coze",
    "client_secret":"sec","coze_api_base":"http://127.0.0.1:1/","coze_www_base":"http://w:2"})",
                                 base);
  ASSERT_TRUE(web) << web.Describe();
  auto* w = std::get_if<WebOAuthClient>(&*web);
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->client_id(), "w.app.coze");
  EXPECT_EQ(w->options().client_secret, "sec");
  EXPECT_EQ(w->base_url(), "http://127.0.0.1:1");
  EXPECT_EQ(w->www_base_url(), "http://w:2");
  EXPECT_EQ(w->options().transport, fake_) << "the base options' transport is kept";

  auto pkce = ParseOAuthAppConfig(R"({"client_type":"pkce","client_id":"p"})", base);
  ASSERT_TRUE(pkce);
  EXPECT_TRUE(std::holds_alternative<PKCEOAuthClient>(*pkce));
  EXPECT_EQ(std::get<PKCEOAuthClient>(*pkce).base_url(), "https://coze.test:8443");

  auto device = ParseOAuthAppConfig(R"({"client_type":"device","client_id":"d",
    "client_secret":null})",
                                    base);
  ASSERT_TRUE(device);
  EXPECT_TRUE(std::holds_alternative<DeviceOAuthClient>(*device));

  json::object jwt_config{{"client_type", "jwt"},
                          {"client_id", "7000000000000000009"},
                          {"private_key", RsaKeys().pkcs8},
                          {"public_key_id", "kid-9"},
                          {"coze_api_base", "https://api.coze.cn"}};
  auto jwt = ParseOAuthAppConfig(json::serialize(jwt_config), base);
  ASSERT_TRUE(jwt) << jwt.Describe();
  auto* j = std::get_if<JWTOAuthClient>(&*jwt);
  ASSERT_NE(j, nullptr);
  auto signed_jwt = j->MakeJwt();
  ASSERT_TRUE(signed_jwt);
  auto decoded = Decode(*signed_jwt, RsaKeys().public_pem);
  EXPECT_TRUE(decoded.signature_ok);
  EXPECT_EQ(decoded.header.at("kid"), "kid-9");
  EXPECT_EQ(decoded.claims.at("iss"), "7000000000000000009");
  EXPECT_EQ(decoded.claims.at("aud"), "api.coze.cn");
}

TEST_F(OAuthTest, ConfigErrors) {
  for (const char* bad : {
           "not json",
           R"({"client_type":"web","client_id":"w"})",
           R"({"client_type":"jwt","client_id":"j","public_key_id":"k"})",
           R"({"client_type":"jwt","client_id":"j","private_key":"x","public_key_id":"k"})",
           R"({"client_type":"robot","client_id":"x"})",
           R"({"client_type":"pkce"})",
           R"({"client_type":"pkce","client_id":7})",
       }) {
    auto app = ParseOAuthAppConfig(bad, Options());
    ASSERT_FALSE(app) << bad;
    EXPECT_EQ(app.error().code, kClientErrorCode) << bad;
  }
  EXPECT_FALSE(LoadOAuthAppFromConfig("/nonexistent/coze_oauth_config.json"));
}

TEST_F(OAuthTest, ConfigFromAFile) {
  const auto path =
      std::filesystem::temp_directory_path() / ("coze_oauth_config_" + std::to_string(getpid()));
  {
    std::ofstream out(path);
    out << R"({"client_type":"device","client_id":"dev.app.coze","coze_api_base":"http://h:1"})";
  }
  auto app = LoadOAuthAppFromConfig(path.string(), Options());
  std::filesystem::remove(path);
  ASSERT_TRUE(app) << app.Describe();
  ASSERT_TRUE(std::holds_alternative<DeviceOAuthClient>(*app));
  EXPECT_EQ(std::get<DeviceOAuthClient>(*app).client_id(), "dev.app.coze");
  EXPECT_EQ(std::get<DeviceOAuthClient>(*app).base_url(), "http://h:1");
}

}  // namespace
}  // namespace coze
