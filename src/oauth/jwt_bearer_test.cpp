// VerifyJwtBearer against an in-memory store: keys generated here, JWTs signed by hand.
#include "oauth/jwt_bearer.hpp"

#include <gtest/gtest.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>

#include "base/crypto.hpp"
#include "oauth/errors.hpp"
#include "oauth/keys.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace cozeauth::oauth {
namespace {

constexpr int64_t kNow = 1'750'000'000;
const std::vector<std::string> kAud = {"api.example.test:8080", "api.example.test"};

struct KeyPair {
  std::shared_ptr<EVP_PKEY> key;
  std::string public_pem;
};

KeyPair Generate(int bits = 2048) {
  KeyPair k;
  k.key.reset(EVP_RSA_gen(bits), EVP_PKEY_free);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, k.key.get());
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  k.public_pem.assign(data, static_cast<size_t>(len));
  BIO_free(bio);
  return k;
}

std::string B64(std::string_view s) { return Base64UrlEncode(s); }

std::string SignRs(EVP_PKEY* key, const std::string& input, const EVP_MD* md = EVP_sha256()) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t len = 0;
  EVP_DigestSignInit(ctx, nullptr, md, nullptr, key);
  EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()),
                 input.size());
  std::string sig(len, '\0');
  EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                 reinterpret_cast<const unsigned char*>(input.data()), input.size());
  EVP_MD_CTX_free(ctx);
  sig.resize(len);
  return sig;
}

std::string Jwt(const std::string& header, const std::string& payload, EVP_PKEY* key) {
  const std::string input = B64(header) + "." + B64(payload);
  return input + "." + B64(SignRs(key, input));
}

std::string Payload(const std::string& iss, const std::string& jti, int64_t iat = kNow,
                    int64_t exp = kNow + 3600, const std::string& aud = "api.example.test") {
  return R"({"iss":")" + iss + R"(","aud":")" + aud + R"(","iat":)" + std::to_string(iat) +
         R"(,"exp":)" + std::to_string(exp) + R"(,"jti":")" + jti + R"(","session_name":"u1"})";
}

class JwtBearerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(store::sqlite::Open(":memory:").value());
    ASSERT_TRUE(store_->CreateUser({"1001", "Ann", "ann@x.test", "h", 1}));
    ASSERT_TRUE(store_->CreateAccount(
        {"1001", domain::AccountKind::kPersonal, "Ann", "1001", "", false, 1}));
    a_ = AddApp("7000000000000000001");
    b_ = AddApp("7000000000000000002");
  }
  struct App {
    std::string id;
    KeyPair keys;
    std::string kid;
  };
  App AddApp(const std::string& id) {
    credentials::OAuthApp app;
    app.id = app.client_id = id;
    app.owner_account_id = app.owner_user_id = "1001";
    app.name = "app" + id;
    EXPECT_TRUE(store_->CreateOAuthApp(app));
    App out{id, Generate(), ""};
    auto parsed = ParsePublicKeyPem(out.keys.public_pem);
    EXPECT_TRUE(parsed.has_value());
    out.kid = parsed->fingerprint;
    EXPECT_TRUE(store_->AddAppPublicKey({out.kid, id, parsed->spki_pem, 1}));
    return out;
  }
  std::string Header(const App& app, const std::string& alg = "RS256") {
    return R"({"alg":")" + alg + R"(","typ":"JWT","kid":")" + app.kid + R"("})";
  }
  Result<JwtClaims> Verify(const std::string& jwt) {
    return VerifyJwtBearer(*store_, jwt, kAud, kNow);
  }
  void ExpectError(const std::string& jwt, const std::string& message) {
    auto r = Verify(jwt);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(OAuthCode(r.error()), kInvalidClient);
    EXPECT_EQ(r.error().message, message);
  }
  std::unique_ptr<store::Store> store_;
  App a_, b_;
};

TEST_F(JwtBearerTest, ValidTokenYieldsClaims) {
  auto r = Verify(Jwt(Header(a_), Payload(a_.id, "j1"), a_.keys.key.get()));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->app_id, a_.id);
  EXPECT_EQ(r->kid, a_.kid);
  EXPECT_EQ(r->session_name, "u1");
}

TEST_F(JwtBearerTest, AudienceWithPortAndNumericIssAccepted) {
  std::string p = R"({"iss":)" + a_.id + R"(,"aud":"api.example.test:8080","iat":)" +
                  std::to_string(kNow) + R"(,"exp":)" + std::to_string(kNow + 60) +
                  R"(,"jti":"0123456789abcdef"})";
  auto r = Verify(Jwt(Header(a_), p, a_.keys.key.get()));
  ASSERT_TRUE(r.has_value()) << r.error().message;
}

TEST_F(JwtBearerTest, AlgNoneRejected) {
  const std::string input = B64(Header(a_, "none")) + "." + B64(Payload(a_.id, "j2"));
  ExpectError(input + ".", "JWT alg must be RS256, got none");
}

TEST_F(JwtBearerTest, Hs256WithPublicKeyAsSecretRejected) {
  const std::string input = B64(Header(a_, "HS256")) + "." + B64(Payload(a_.id, "j3"));
  unsigned char mac[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), a_.keys.public_pem.data(), static_cast<int>(a_.keys.public_pem.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
  ExpectError(input + "." + B64(std::string(reinterpret_cast<char*>(mac), len)),
              "JWT alg must be RS256, got HS256");
}

TEST_F(JwtBearerTest, Rs512Rejected) {
  const std::string input = B64(Header(a_, "RS512")) + "." + B64(Payload(a_.id, "j4"));
  ExpectError(input + "." + B64(SignRs(a_.keys.key.get(), input, EVP_sha512())),
              "JWT alg must be RS256, got RS512");
}

TEST_F(JwtBearerTest, UnknownKidRejected) {
  App fake{a_.id, a_.keys, "unknown-kid"};
  ExpectError(Jwt(Header(fake), Payload(a_.id, "j5"), a_.keys.key.get()),
              "JWT kid is not a known public key");
}

TEST_F(JwtBearerTest, KidOfAnotherAppRejected) {
  ExpectError(Jwt(Header(b_), Payload(a_.id, "j6"), b_.keys.key.get()),
              "JWT kid does not belong to app " + a_.id);
}

TEST_F(JwtBearerTest, BadSignatureRejected) {
  ExpectError(Jwt(Header(a_), Payload(a_.id, "j7"), b_.keys.key.get()), "JWT signature is invalid");
}

TEST_F(JwtBearerTest, ExpiredRejectedBeyondSkew) {
  ExpectError(Jwt(Header(a_), Payload(a_.id, "j8", kNow - 4000, kNow - 61), a_.keys.key.get()),
              "JWT has expired");
  auto within =
      Verify(Jwt(Header(a_), Payload(a_.id, "j9", kNow - 3000, kNow - 30), a_.keys.key.get()));
  EXPECT_TRUE(within.has_value());
}

TEST_F(JwtBearerTest, IatInFutureRejected) {
  ExpectError(Jwt(Header(a_), Payload(a_.id, "j10", kNow + 120, kNow + 3600), a_.keys.key.get()),
              "JWT iat is in the future");
}

TEST_F(JwtBearerTest, ReplayedJtiRejected) {
  const std::string jwt = Jwt(Header(a_), Payload(a_.id, "j11"), a_.keys.key.get());
  ASSERT_TRUE(Verify(jwt).has_value());
  ExpectError(jwt, "JWT jti has already been used");
}

TEST_F(JwtBearerTest, WrongAudienceRejected) {
  ExpectError(
      Jwt(Header(a_), Payload(a_.id, "j12", kNow, kNow + 60, "api.coze.cn"), a_.keys.key.get()),
      "JWT aud must be this server's API host api.example.test:8080");
}

TEST_F(JwtBearerTest, MalformedInputRejected) {
  ExpectError("abc", "JWT is malformed: expected three dot-separated parts");
  ExpectError("!!!.e30.", "JWT is malformed: header is not base64url");
  ExpectError(B64("not json") + ".e30.", "JWT is malformed: header is not a JSON object");
  ExpectError(B64(Header(a_)) + "." + B64("[1]") + ".",
              "JWT is malformed: payload is not a JSON object");
}

// exp and iat exactly as given (raw JSON text), so that non-integers and strings can be sent.
std::string RawTimes(const std::string& iss, const std::string& jti, const std::string& iat,
                     const std::string& exp) {
  return R"({"iss":")" + iss + R"(","aud":"api.example.test","iat":)" + iat + R"(,"exp":)" + exp +
         R"(,"jti":")" + jti + R"("})";
}

struct ClaimCase {
  const char* name;
  std::string iat;
  std::string exp;
  std::string_view code;  // expected OAuth error code; empty = accepted
};

// Numeric claims: integers in [0, 9999-12-31] only, and exp - iat capped. Before the fix,
// exp = INT64_MAX - 59 was accepted (exp + skew wrapped, the used-jti row expired at once and
// the assertion was replayable), and iat = 1e300 was cast to int64_t (undefined behaviour) and
// slipped past the future-iat check.
TEST_F(JwtBearerTest, NumericClaimsMustBeIntegersInRangeAndLifetimeIsCapped) {
  const std::string now = std::to_string(kNow);
  const std::vector<ClaimCase> cases = {
      {"exp INT64_MAX-59", now, "9223372036854775748", kInvalidRequest},
      {"exp INT64_MAX", now, "9223372036854775807", kInvalidRequest},
      {"exp beyond INT64 (uint64)", now, "18446744073709551615", kInvalidRequest},
      {"exp year 10000", now, "253402300800", kInvalidRequest},
      {"iat 1e300", "1e300", std::to_string(kNow + 60), kInvalidRequest},
      {"iat -1e300", "-1e300", std::to_string(kNow + 60), kInvalidRequest},
      {"iat -1", "-1", std::to_string(kNow + 60), kInvalidRequest},
      {"exp -1", now, "-1", kInvalidRequest},
      {"exp 1.5 fraction", now, std::to_string(kNow + 60) + ".5", kInvalidRequest},
      {"iat 1.5", "1.5", std::to_string(kNow + 60), kInvalidRequest},
      {"exp string", now, "\"" + std::to_string(kNow + 60) + "\"", kInvalidRequest},
      {"iat string 123", "\"123\"", std::to_string(kNow + 60), kInvalidRequest},
      {"exp null", now, "null", kInvalidRequest},
      {"exp bool", now, "true", kInvalidRequest},
      {"exp object", now, "{}", kInvalidRequest},
      {"lifetime 3601 over the cap", now, std::to_string(kNow + 3601), kInvalidRequest},
      {"exp before iat", now, std::to_string(kNow - 10), kInvalidRequest},
      {"exp equal to iat", now, now, kInvalidRequest},
      {"lifetime 3600 at the cap", now, std::to_string(kNow + 3600), ""},
      {"lifetime 900 (Coze SDKs)", now, std::to_string(kNow + 900), ""},
      {"integral doubles", now + ".0", std::to_string(kNow + 900) + ".0", ""},
      {"exponent form", "1.75e9", "1.7500009e9", ""},
  };
  int i = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string jwt =
        Jwt(Header(a_), RawTimes(a_.id, "claims-" + std::to_string(i++), c.iat, c.exp),
            a_.keys.key.get());
    auto r = Verify(jwt);
    if (c.code.empty()) {
      EXPECT_TRUE(r.has_value()) << r.error().message;
    } else {
      ASSERT_FALSE(r.has_value());
      EXPECT_EQ(OAuthCode(r.error()), c.code) << r.error().message;
    }
  }
}

TEST_F(JwtBearerTest, LifetimeCapIsConfigurable) {
  const std::string jwt =
      Jwt(Header(a_), Payload(a_.id, "cap-1", kNow, kNow + 901), a_.keys.key.get());
  auto refused = VerifyJwtBearer(*store_, jwt, kAud, kNow, /*max_lifetime_seconds=*/900);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(OAuthCode(refused.error()), kInvalidRequest);
  EXPECT_EQ(refused.error().message, "JWT lifetime exp - iat must be at most 900 s");
  EXPECT_TRUE(VerifyJwtBearer(*store_, jwt, kAud, kNow, 901).has_value());
}

TEST_F(JwtBearerTest, AcceptedAssertionStaysSingleUseUntilItExpires) {
  // The used-jti row must outlive the assertion: replay just before exp + skew is refused,
  // even when the store purges on the way.
  const std::string jwt =
      Jwt(Header(a_), Payload(a_.id, "single", kNow, kNow + 900), a_.keys.key.get());
  ASSERT_TRUE(Verify(jwt).has_value());
  auto replay = VerifyJwtBearer(*store_, jwt, kAud, kNow + 900 + kJwtSkewSeconds - 1);
  ASSERT_FALSE(replay.has_value());
  EXPECT_EQ(replay.error().message, "JWT jti has already been used");
}

TEST_F(JwtBearerTest, VerifyJwtAssertionLeavesTheJtiToTheCaller) {
  const std::string jwt = Jwt(Header(a_), Payload(a_.id, "later"), a_.keys.key.get());
  ASSERT_TRUE(VerifyJwtAssertion(*store_, jwt, kAud, kNow).has_value());
  auto again = VerifyJwtAssertion(*store_, jwt, kAud, kNow);
  ASSERT_TRUE(again.has_value()) << again.error().message;
  // The use it hands to IssueJwtToken lasts as long as VerifyJwtBearer's.
  const store::JwtIdUse use = JwtIdUseOf(*again, kNow);
  EXPECT_EQ(use.app_id, a_.id);
  EXPECT_EQ(use.jti, "later");
  EXPECT_EQ(use.expires_at, kNow + 3600 + kJwtSkewSeconds);
  EXPECT_EQ(use.now, kNow);
  ASSERT_TRUE(Verify(jwt).has_value());
  ExpectError(jwt, "JWT jti has already been used");
}

TEST_F(JwtBearerTest, ACachedKeyIsTrustedNoLongerThanItsStoredRow) {
  // Verified once, a's parsed key is cached (oauth/keys.hpp VerifyRs256); deleting the key row
  // still refuses its assertions at once, and another key's signature never verifies under it.
  ASSERT_TRUE(Verify(Jwt(Header(a_), Payload(a_.id, "c1"), a_.keys.key.get())).has_value());
  ExpectError(Jwt(Header(a_), Payload(a_.id, "c2"), b_.keys.key.get()), "JWT signature is invalid");
  ASSERT_TRUE(store_->DeleteAppPublicKey(a_.id, a_.kid));
  ExpectError(Jwt(Header(a_), Payload(a_.id, "c3"), a_.keys.key.get()),
              "JWT kid is not a known public key");
}

TEST(AudiencesForHost, HostAndHostWithoutPort) {
  EXPECT_EQ(AudiencesForHost("api.example.test:8080"),
            (std::vector<std::string>{"api.example.test:8080", "api.example.test"}));
  EXPECT_EQ(AudiencesForHost("[::1]"), (std::vector<std::string>{"[::1]"}));
  EXPECT_TRUE(AudiencesForHost("").empty());
}

TEST(PublicKeyTest, FingerprintIsStableAndPkcs1Accepted) {
  KeyPair k = Generate();
  auto spki = ParsePublicKeyPem(k.public_pem);
  ASSERT_TRUE(spki.has_value()) << spki.error().message;
  EXPECT_EQ(spki->fingerprint.size(), 43u);
  // PKCS#1 "RSA PUBLIC KEY" via the type-specific encoder: same key, same fingerprint.
  OSSL_ENCODER_CTX* ctx = OSSL_ENCODER_CTX_new_for_pkey(k.key.get(), EVP_PKEY_PUBLIC_KEY, "PEM",
                                                        "type-specific", nullptr);
  unsigned char* data = nullptr;
  size_t len = 0;
  ASSERT_EQ(OSSL_ENCODER_to_data(ctx, &data, &len), 1);
  OSSL_ENCODER_CTX_free(ctx);
  const std::string pkcs1(reinterpret_cast<char*>(data), len);
  OPENSSL_free(data);
  ASSERT_NE(pkcs1.find("BEGIN RSA PUBLIC KEY"), std::string::npos);
  auto from_pkcs1 = ParsePublicKeyPem(pkcs1);
  ASSERT_TRUE(from_pkcs1.has_value()) << from_pkcs1.error().message;
  EXPECT_EQ(from_pkcs1->fingerprint, spki->fingerprint);
  auto again = ParsePublicKeyPem(spki->spki_pem);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->fingerprint, spki->fingerprint);
}

TEST(PublicKeyTest, SmallAndPrivateKeysRejected) {
  KeyPair small = Generate(1024);
  auto r = ParsePublicKeyPem(small.public_pem);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "RSA public key must be at least 2048 bits (got 1024)");
  auto p = ParsePublicKeyPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
  ASSERT_FALSE(p.has_value());
  EXPECT_FALSE(ParsePublicKeyPem("garbage").has_value());
}

}  // namespace
}  // namespace cozeauth::oauth
