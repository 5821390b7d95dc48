// GrantFactCache over a real (in-memory SQLite) store: each found fact read once per generation,
// an unknown id or a row added without an epoch bump never hidden, and — through the
// Authenticator, the store's epoch listener — every write that changes what a JWT-bearer grant
// reads seen by the next read. Then PrepareJwtBearer with facts that went stale: a refusal is
// confirmed by the store, so a cached "disabled" or "not authorized" never refuses a grant.
#include "api/auth/grant_fact_cache.hpp"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <string>

#include "admin/oauth_apps.hpp"
#include "admin/test_env.hpp"
#include "api/authenticator.hpp"
#include "base/crypto.hpp"
#include "oauth/errors.hpp"
#include "oauth/jwt_grant.hpp"

namespace cozeauth::api {
namespace {

const std::vector<std::string> kAud = {"api.example.test"};

// An RS256 assertion signed with `private_pem` (PKCS#8, from admin::GenerateKeyPair).
std::string SignAssertion(const std::string& private_pem, const std::string& kid,
                          const std::string& iss, const std::string& jti, int64_t now) {
  const std::string header = R"({"alg":"RS256","typ":"JWT","kid":")" + kid + R"("})";
  const std::string payload = R"({"iss":")" + iss + R"(","aud":"api.example.test","iat":)" +
                              std::to_string(now) + R"(,"exp":)" + std::to_string(now + 600) +
                              R"(,"jti":")" + jti + R"("})";
  const std::string input = Base64UrlEncode(header) + "." + Base64UrlEncode(payload);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(private_pem.data(), static_cast<int>(private_pem.size())), BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  size_t len = 0;
  EXPECT_EQ(EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()), 1);
  EXPECT_EQ(EVP_DigestSign(ctx.get(), nullptr, &len,
                           reinterpret_cast<const unsigned char*>(input.data()), input.size()),
            1);
  std::string sig(len, '\0');
  EXPECT_EQ(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                           reinterpret_cast<const unsigned char*>(input.data()), input.size()),
            1);
  sig.resize(len);
  return input + "." + Base64UrlEncode(sig);
}

// The error code of a fact that was not found (kOk when it was found).
template <typename T>
Errc CodeOf(const oauth::Fact<T>& fact) {
  return fact.has_value() ? Errc::kOk : fact.error().code;
}

class GrantFactCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    user_ = admin::CreateUser(t_.env, "ann", "ann@example.test", "annpass123").value().id;
    admin::AppSpec spec;
    spec.owner_account_id = user_;
    spec.owner_user_id = user_;
    spec.name = "svc";
    spec.account_permissions = {"createConversation"};
    app_ = admin::CreateApp(t_.env, spec).value().id;
    auto generated = admin::GenerateKeyPair(t_.env, app_);
    ASSERT_TRUE(generated.has_value());
    kid_ = generated->key.fingerprint;
    private_pem_ = generated->private_pem;
  }

  std::string Authorize() {
    admin::AuthorizeSpec a;
    a.app_id = app_;
    a.actor_user_id = user_;
    a.account_id = user_;
    return admin::AuthorizeApp(t_.env, a).value().id;
  }

  store::Store& store() { return *t_.store; }

  // PrepareJwtBearer for a fresh assertion of the app's key with `jti`.
  Result<oauth::PreparedJwtGrant> Grant(oauth::Env& env, const std::string& jti) {
    oauth::JwtGrantRequest req;
    req.jwt = SignAssertion(private_pem_, kid_, app_, jti, t_.clock.NowSeconds());
    req.aud_hosts = kAud;
    return oauth::PrepareJwtBearer(env, req);
  }

  admin::TestEnv t_;
  std::string user_, app_, kid_, private_pem_;
};

TEST_F(GrantFactCacheTest, EachFoundFactIsReadOnceUntilInvalidated) {
  Authorize();
  GrantFactCache cache(store(), 4);
  auto read_all = [&] {
    EXPECT_TRUE(cache.PublicKey(kid_).has_value());
    EXPECT_TRUE(cache.App(app_).has_value());
    EXPECT_TRUE(cache.Authorizations(app_).has_value());
    EXPECT_TRUE(cache.Account(user_).has_value());
  };
  read_all();
  EXPECT_EQ(cache.Counts().misses, 4u);
  read_all();
  EXPECT_EQ(cache.Counts().misses, 4u);
  EXPECT_EQ(cache.Counts().hits, 4u);
  // The same answer, shared: a hit copies nothing.
  EXPECT_EQ(cache.App(app_).value().get(), cache.App(app_).value().get());

  // Disabled in the store: this cache is not wired to the epoch, so it still answers what it
  // read, until invalidated.
  ASSERT_TRUE(admin::SetAppEnabled(t_.env, app_, false).has_value());
  EXPECT_EQ((*cache.App(app_))->status, credentials::AppStatus::kActive);
  cache.Invalidate();
  EXPECT_EQ((*cache.App(app_))->status, credentials::AppStatus::kDisabled);
}

TEST_F(GrantFactCacheTest, AnUnknownIdIsReadAgainAndARowAddedWithoutABumpIsSeenAtOnce) {
  GrantFactCache cache(store(), 4);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(CodeOf(cache.PublicKey("no-such-kid")), Errc::kNotFound);
    EXPECT_EQ(CodeOf(cache.App("7999999999999999999")), Errc::kNotFound);
    EXPECT_EQ(CodeOf(cache.Account("1999999999999999999")), Errc::kNotFound);
    EXPECT_EQ(CodeOf(cache.Enterprise("ent_1")), Errc::kNotFound);
  }
  EXPECT_EQ(cache.Counts().misses, 8u);  // nothing remembered as absent
  EXPECT_EQ(cache.Counts().hits, 0u);

  // A second key: adding one moves no epoch (store/oauth_store.hpp), and the cache never held
  // its absence, so it verifies at once.
  auto second = admin::GenerateKeyPair(t_.env, app_);
  ASSERT_TRUE(second.has_value());
  ASSERT_TRUE(cache.PublicKey(second->key.fingerprint).has_value());
  EXPECT_EQ((*cache.PublicKey(second->key.fingerprint))->app_id, app_);
}

TEST_F(GrantFactCacheTest, TheAuthenticatorDropsTheFactsOnEveryOwnWriteThatChangesThem) {
  Authenticator auth(store(), t_.clock, TokenCacheOptions{});
  oauth::GrantFacts& facts = auth.JwtGrantFacts();
  const std::string authorization = Authorize();
  ASSERT_EQ((*facts.Authorizations(app_))->size(), 1u);
  ASSERT_EQ((*facts.App(app_))->status, credentials::AppStatus::kActive);
  ASSERT_TRUE(facts.PublicKey(kid_).has_value());

  ASSERT_TRUE(admin::SetAuthorizationEnabled(t_.env, authorization, false).has_value());
  EXPECT_TRUE((*facts.Authorizations(app_))->front().Disabled());
  ASSERT_TRUE(admin::SetAuthorizationEnabled(t_.env, authorization, true).has_value());
  EXPECT_FALSE((*facts.Authorizations(app_))->front().Disabled());

  ASSERT_TRUE(admin::SetAppEnabled(t_.env, app_, false).has_value());
  EXPECT_EQ((*facts.App(app_))->status, credentials::AppStatus::kDisabled);
  ASSERT_TRUE(admin::SetAppEnabled(t_.env, app_, true).has_value());
  EXPECT_EQ((*facts.App(app_))->status, credentials::AppStatus::kActive);

  ASSERT_TRUE(admin::DeleteKey(t_.env, app_, kid_).has_value());
  auto deleted = facts.PublicKey(kid_);
  ASSERT_FALSE(deleted.has_value());
  EXPECT_EQ(deleted.error().code, Errc::kNotFound);

  ASSERT_TRUE(admin::RevokeAuthorization(t_.env, authorization).has_value());
  EXPECT_TRUE((*facts.Authorizations(app_))->front().Revoked());
}

// Facts frozen at whatever they first read: a cache that missed every invalidation.
class FrozenFacts final : public oauth::GrantFacts {
 public:
  explicit FrozenFacts(store::Store& store) : cache_(store, 1) {}
  oauth::Fact<credentials::AppPublicKey> PublicKey(const std::string& id) override {
    return cache_.PublicKey(id);
  }
  oauth::Fact<credentials::OAuthApp> App(const std::string& id) override { return cache_.App(id); }
  oauth::Fact<std::vector<credentials::AppAuthorization>> Authorizations(
      const std::string& id) override {
    return cache_.Authorizations(id);
  }
  oauth::Fact<domain::Account> Account(const std::string& id) override {
    return cache_.Account(id);
  }
  oauth::Fact<domain::Enterprise> Enterprise(const std::string& id) override {
    return cache_.Enterprise(id);
  }

 private:
  GrantFactCache cache_;
};

TEST_F(GrantFactCacheTest, AStaleRefusalIsConfirmedByTheStoreBeforeAGrantIsRefused) {
  FrozenFacts frozen(store());
  oauth::Env env{store(), t_.clock, t_.random, t_.ids};
  env.grant_facts = &frozen;
  auto grant = [&](const std::string& jti) { return Grant(env, jti); };

  // Not yet authorized: refused, and the frozen facts now hold an empty list.
  auto refused = grant("jti-1");
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(oauth::OAuthCode(refused.error()), oauth::kAccessDeny);
  ASSERT_TRUE((*frozen.Authorizations(app_))->empty());
  // Authorized (as by another process, before the next epoch poll): the grant goes through.
  const std::string authorization = Authorize();
  auto issued = grant("jti-2");
  ASSERT_TRUE(issued.has_value()) << issued.error().message;
  EXPECT_EQ(issued->token.authorization_id, authorization);
  EXPECT_EQ(issued->token.app_id, app_);

  // Disabled, then refused (the store says so); the frozen facts now hold "disabled". Enabled
  // again, the grant goes through although those facts still say disabled.
  ASSERT_TRUE(admin::SetAppEnabled(t_.env, app_, false).has_value());
  FrozenFacts frozen_later(store());
  env.grant_facts = &frozen_later;
  ASSERT_FALSE(grant("jti-3").has_value());
  ASSERT_EQ((*frozen_later.App(app_))->status, credentials::AppStatus::kDisabled);
  ASSERT_TRUE(admin::SetAppEnabled(t_.env, app_, true).has_value());
  EXPECT_TRUE(grant("jti-4").has_value());
}

TEST_F(GrantFactCacheTest, ADeletedAppIsAnUnknownClientWithACachedAnswerOrWithout) {
  Authorize();
  GrantFactCache cache(store(), 4);
  oauth::Env env{store(), t_.clock, t_.random, t_.ids};
  env.grant_facts = &cache;
  auto grant = [&](const std::string& jti) { return Grant(env, jti); };
  ASSERT_TRUE(grant("jti-1").has_value());
  ASSERT_TRUE(admin::DeleteApp(t_.env, app_).has_value());
  cache.Invalidate();  // what the Authenticator does after the delete's commit
  for (const char* jti : {"jti-2", "jti-3"}) {
    auto refused = grant(jti);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(oauth::OAuthCode(refused.error()), oauth::kInvalidClient) << refused.error().message;
  }
}

}  // namespace
}  // namespace cozeauth::api
