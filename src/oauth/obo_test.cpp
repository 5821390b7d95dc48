// The OBO grants against an in-memory store with a fake clock: authorization codes (PKCE S256 and
// plain), refresh rotation with reuse detection, the device flow, consent places, and every
// refusal with its exact OAuth error.
#include "oauth/obo.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "admin/oauth_apps.hpp"
#include "admin/operations.hpp"
#include "base/crypto.hpp"
#include "oauth/errors.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace cozeauth::oauth {
namespace {

using credentials::ClientType;

constexpr char kRedirect[] = "http://localhost:8080/cb";

std::string S256(const std::string& verifier) {
  const Sha256Digest d = Sha256(verifier);
  return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

class OboTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ann_ = admin::CreateUser(admin_env_, "ann", "ann@x.test", "Passw0rd-ann").value();
    web_ = MakeApp(ClientType::kWeb);
    pkce_ = MakeApp(ClientType::kPkce);
    device_ = MakeApp(ClientType::kDevice);
    secret_ = admin::CreateClientSecret(admin_env_, web_.id).value().plaintext;
  }

  credentials::OAuthApp MakeApp(ClientType type, const std::string& owner = "") {
    admin::AppSpec spec;
    spec.owner_account_id = spec.owner_user_id = owner.empty() ? ann_.id : owner;
    spec.name = "app-" + std::string(credentials::ToString(type)) + owner;
    spec.client_type = type;
    if (type == ClientType::kWeb || type == ClientType::kPkce) spec.redirect_uris = {kRedirect};
    spec.account_permissions = {"createConversation"};
    spec.workspace_permissions = {"chat", "listBot"};
    auto app = admin::CreateApp(admin_env_, spec);
    EXPECT_TRUE(app.has_value()) << (app ? "" : app.error().message);
    return app ? app.value() : credentials::OAuthApp{};
  }

  AuthorizeParams Params(const credentials::OAuthApp& app, std::string challenge = "",
                         std::string method = "") {
    return {"code", app.client_id, kRedirect, "st", std::move(challenge), std::move(method), ""};
  }

  // Consent in the personal account and a fresh code.
  std::string Code(const credentials::OAuthApp& app, const AuthorizeParams& p) {
    auto grant = Consent(env_, app, ann_.id, "personal", "");
    EXPECT_TRUE(grant.has_value()) << (grant ? "" : grant.error().message);
    auto code = IssueAuthorizationCode(env_, *grant, p);
    EXPECT_TRUE(code.has_value());
    return code ? code.value() : std::string();
  }

  TokenRequest CodeRequest(const credentials::OAuthApp& app, const std::string& code,
                           std::string verifier = "") {
    TokenRequest r;
    r.grant_type = "authorization_code";
    r.client_id = app.client_id;
    r.code = code;
    r.redirect_uri = kRedirect;
    r.code_verifier = std::move(verifier);
    if (app.client_type == ClientType::kWeb) r.bearer = secret_;
    return r;
  }

  template <typename T>
  void ExpectOAuthError(const Result<T>& r, std::string_view code, std::string_view message = "") {
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(OAuthCode(r.error()), code) << r.error().message;
    if (!message.empty()) {
      EXPECT_EQ(r.error().message, message);
    }
  }

  bool TokenLive(const std::string& plaintext) {
    auto t = store_->FindTokenByHash(credentials::HashToken(plaintext));
    return t && !t->Revoked() && !t->Expired(clock_.NowSeconds());
  }

  FakeClock clock_;
  SeededRandom random_{42};
  IdGenerator ids_{clock_, random_};
  std::unique_ptr<store::Store> store_ = store::sqlite::Open(":memory:").value();
  admin::Env admin_env_{*store_, clock_, random_, ids_};
  Env env_{*store_, clock_, random_, ids_};
  domain::User ann_;
  credentials::OAuthApp web_, pkce_, device_;
  std::string secret_;
};

TEST_F(OboTest, WebCodeExchangeIssuesUserTokensActingForTheConsentingUser) {
  auto tokens = ExchangeAuthorizationCode(env_, CodeRequest(web_, Code(web_, Params(web_))));
  ASSERT_TRUE(tokens.has_value()) << tokens.error().message;
  EXPECT_EQ(tokens->access_token.rfind("czu_", 0), 0u);
  EXPECT_EQ(tokens->access_token.size(), 68u);
  EXPECT_EQ(tokens->refresh_token.size(), 72u);
  EXPECT_EQ(tokens->expires_at, clock_.NowSeconds() + 15 * 60);
  EXPECT_EQ(tokens->token.kind, credentials::TokenKind::kOboAccess);
  EXPECT_EQ(tokens->token.user_id, ann_.id);
  EXPECT_EQ(tokens->token.context.account_id, ann_.id);
  EXPECT_EQ(tokens->token.grant.workspace_permissions,
            (std::vector<std::string>{"chat", "listBot"}));
  EXPECT_TRUE(tokens->token.grant.all_workspaces);
  EXPECT_TRUE(TokenLive(tokens->access_token));
}

TEST_F(OboTest, WebAppNeedsALiveClientSecret) {
  const std::string code = Code(web_, Params(web_));
  auto r = CodeRequest(web_, code);
  r.bearer = "";
  ExpectOAuthError(ExchangeAuthorizationCode(env_, r), kInvalidClient);
  r.bearer = secret_ + "x";
  ExpectOAuthError(ExchangeAuthorizationCode(env_, r), kInvalidClient, "invalid client secret");
  // A second secret works too (rotation), and the code was not burnt by the refusals.
  const std::string second = admin::CreateClientSecret(admin_env_, web_.id).value().plaintext;
  r.bearer = second;
  EXPECT_TRUE(ExchangeAuthorizationCode(env_, r).has_value());
}

TEST_F(OboTest, ReusedCodeIsRefusedAndRevokesWhatItIssued) {
  const std::string code = Code(web_, Params(web_));
  auto first = ExchangeAuthorizationCode(env_, CodeRequest(web_, code));
  ASSERT_TRUE(first.has_value());
  ExpectOAuthError(ExchangeAuthorizationCode(env_, CodeRequest(web_, code)), kInvalidGrant,
                   "authorization code already used; its tokens are revoked");
  EXPECT_FALSE(TokenLive(first->access_token));
  TokenRequest refresh{"refresh_token", web_.client_id, "", "", "", first->refresh_token, "",
                       secret_};
  ExpectOAuthError(RefreshTokens(env_, refresh), kInvalidGrant);
}

TEST_F(OboTest, ExpiredCodeIsRefused) {
  const std::string code = Code(web_, Params(web_));
  clock_.Advance(10 * 60);
  ExpectOAuthError(ExchangeAuthorizationCode(env_, CodeRequest(web_, code)), kInvalidGrant,
                   "authorization code expired");
}

TEST_F(OboTest, RedirectUriMustMatchTheAuthorizationRequestExactly) {
  const std::string code = Code(web_, Params(web_));
  for (const char* other : {"http://localhost:8080/cb/", "http://localhost:8080/cB",
                            "http://localhost:8081/cb", "https://localhost:8080/cb", ""}) {
    auto r = CodeRequest(web_, code);
    r.redirect_uri = other;
    ExpectOAuthError(ExchangeAuthorizationCode(env_, r), kInvalidGrant);
  }
}

TEST_F(OboTest, AuthorizeRequestChecksClientAndRedirectBeforeTrustingEither) {
  auto p = Params(web_);
  p.client_id = "nope.app.coze";
  auto c = CheckAuthorizeRequest(env_, p);
  EXPECT_FALSE(c.redirect_ok);
  EXPECT_EQ(c.error, "invalid_client");
  for (const char* uri :
       {"http://localhost:8080/cb?x=1", "http://localhost:8080/c", "HTTP://localhost:8080/cb"}) {
    p = Params(web_);
    p.redirect_uri = uri;
    c = CheckAuthorizeRequest(env_, p);
    EXPECT_FALSE(c.redirect_ok) << uri;
  }
  p = Params(web_);
  p.response_type = "token";
  c = CheckAuthorizeRequest(env_, p);
  EXPECT_TRUE(c.redirect_ok);
  EXPECT_EQ(c.error, "unsupported_response_type");
  p = Params(pkce_);  // PKCE apps must send a challenge
  c = CheckAuthorizeRequest(env_, p);
  EXPECT_EQ(c.error, "invalid_request");
  p = Params(pkce_, "abc", "S512");
  EXPECT_EQ(CheckAuthorizeRequest(env_, p).error, "invalid_request");
  p = Params(pkce_, "abc", "S256");
  p.state = "";  // empty state is allowed (coze-protocol.md §4.1)
  EXPECT_EQ(CheckAuthorizeRequest(env_, p).error, "");
}

TEST_F(OboTest, PkceS256AndPlainWithShortVerifiersAndNoSecret) {
  const std::string verifier = "0123456789abcdef";  // Go sends 16 hex chars (§4.4)
  auto s256 = ExchangeAuthorizationCode(
      env_, CodeRequest(pkce_, Code(pkce_, Params(pkce_, S256(verifier), "S256")), verifier));
  ASSERT_TRUE(s256.has_value()) << s256.error().message;
  auto plain = ExchangeAuthorizationCode(
      env_, CodeRequest(pkce_, Code(pkce_, Params(pkce_, verifier, "plain")), verifier));
  ASSERT_TRUE(plain.has_value()) << plain.error().message;
  // A method-less challenge is plain (RFC 7636 §4.3); a bearer sent by a public client is ignored.
  auto r = CodeRequest(pkce_, Code(pkce_, Params(pkce_, verifier, "")), verifier);
  r.bearer = "whatever";
  EXPECT_TRUE(ExchangeAuthorizationCode(env_, r).has_value());
}

TEST_F(OboTest, PkceVerifierMismatchIsRefused) {
  const std::string verifier = "0123456789abcdef";
  const std::string code = Code(pkce_, Params(pkce_, S256(verifier), "S256"));
  ExpectOAuthError(ExchangeAuthorizationCode(env_, CodeRequest(pkce_, code, verifier + "0")),
                   kInvalidGrant, "code_verifier does not match the code_challenge");
  const std::string code2 = Code(pkce_, Params(pkce_, S256(verifier), "S256"));
  ExpectOAuthError(ExchangeAuthorizationCode(env_, CodeRequest(pkce_, code2, "")), kInvalidGrant);
  // The challenge itself is not a valid S256 verifier.
  const std::string code3 = Code(pkce_, Params(pkce_, S256(verifier), "S256"));
  ExpectOAuthError(ExchangeAuthorizationCode(env_, CodeRequest(pkce_, code3, S256(verifier))),
                   kInvalidGrant);
}

TEST_F(OboTest, CodeOfAnotherAppIsRefused) {
  const std::string verifier = "v";
  const std::string code = Code(pkce_, Params(pkce_, verifier, "plain"));
  ExpectOAuthError(ExchangeAuthorizationCode(env_, CodeRequest(web_, code, verifier)),
                   kInvalidGrant);
}

TEST_F(OboTest, RefreshRotatesAndAReusedRefreshTokenRevokesTheFamily) {
  env_.refresh_reuse_grace_seconds = 0;  // no grace window: any reuse is reuse
  auto first = ExchangeAuthorizationCode(env_, CodeRequest(web_, Code(web_, Params(web_))));
  ASSERT_TRUE(first.has_value());
  TokenRequest r{"refresh_token", web_.client_id, "", "", "", first->refresh_token, "", secret_};
  auto second = RefreshTokens(env_, r);
  ASSERT_TRUE(second.has_value()) << second.error().message;
  EXPECT_NE(second->refresh_token, first->refresh_token);
  EXPECT_NE(second->access_token, first->access_token);
  EXPECT_TRUE(TokenLive(second->access_token));
  // The first refresh token again: the whole family goes, including the newest access token.
  ExpectOAuthError(RefreshTokens(env_, r), kInvalidGrant,
                   "refresh token already used; the authorization is revoked");
  EXPECT_FALSE(TokenLive(second->access_token));
  EXPECT_FALSE(TokenLive(first->access_token));
  r.refresh_token = second->refresh_token;
  ExpectOAuthError(RefreshTokens(env_, r), kInvalidGrant, "consent revoked");
}

// --- the refresh reuse grace window (a lost refresh response must not kill the chain)

class RefreshGraceTest : public OboTest {
 protected:
  void SetUp() override {
    OboTest::SetUp();
    env_.refresh_reuse_grace_seconds = 30;
    auto issued = ExchangeAuthorizationCode(env_, CodeRequest(web_, Code(web_, Params(web_))));
    ASSERT_TRUE(issued.has_value()) << issued.error().message;
    first_ = *issued;
    auto rotated = RefreshTokens(env_, Refresh(first_.refresh_token));
    ASSERT_TRUE(rotated.has_value()) << rotated.error().message;
    second_ = *rotated;  // the response the client may never have received
  }
  TokenRequest Refresh(const std::string& refresh_token) {
    return {"refresh_token", web_.client_id, "", "", "", refresh_token, "", secret_};
  }
  OboTokens first_, second_;
};

TEST_F(RefreshGraceTest, RetryWithinTheWindowWhoseSuccessorWasNeverUsedGetsAFreshPair) {
  clock_.Advance(30);  // the window's last second
  auto retried = RefreshTokens(env_, Refresh(first_.refresh_token));
  ASSERT_TRUE(retried.has_value()) << retried.error().message;
  EXPECT_NE(retried->refresh_token, second_.refresh_token);
  EXPECT_NE(retried->access_token, second_.access_token);
  EXPECT_TRUE(TokenLive(retried->access_token));
  // The lost, unused successor is revoked with its access token; the family lives on.
  EXPECT_FALSE(TokenLive(second_.access_token));
  auto next = RefreshTokens(env_, Refresh(retried->refresh_token));
  ASSERT_TRUE(next.has_value()) << next.error().message;
  EXPECT_TRUE(TokenLive(next->access_token));
}

TEST_F(RefreshGraceTest, RetryAfterTheWindowRevokesTheFamily) {
  clock_.Advance(31);
  ExpectOAuthError(RefreshTokens(env_, Refresh(first_.refresh_token)), kInvalidGrant,
                   "refresh token already used; the authorization is revoked");
  EXPECT_FALSE(TokenLive(second_.access_token));
  ExpectOAuthError(RefreshTokens(env_, Refresh(second_.refresh_token)), kInvalidGrant,
                   "consent revoked");
}

TEST_F(RefreshGraceTest, RetryAfterTheSuccessorWasUsedRevokesTheFamily) {
  clock_.Advance(5);
  auto third = RefreshTokens(env_, Refresh(second_.refresh_token));  // the client got it
  ASSERT_TRUE(third.has_value()) << third.error().message;
  clock_.Advance(5);  // still within 30 s of the first rotation
  ExpectOAuthError(RefreshTokens(env_, Refresh(first_.refresh_token)), kInvalidGrant,
                   "refresh token already used; the authorization is revoked");
  EXPECT_FALSE(TokenLive(third->access_token));
  ExpectOAuthError(RefreshTokens(env_, Refresh(third->refresh_token)), kInvalidGrant,
                   "consent revoked");
}

TEST_F(RefreshGraceTest, ASuccessorRevokedByARetryStillDetectsReuseLater) {
  // Someone retried the old token (a thief, say) while the client had the successor: when the
  // client presents that successor, the family goes, the retrier's pair included.
  auto retried = RefreshTokens(env_, Refresh(first_.refresh_token));
  ASSERT_TRUE(retried.has_value()) << retried.error().message;
  clock_.Advance(60);
  ExpectOAuthError(RefreshTokens(env_, Refresh(second_.refresh_token)), kInvalidGrant,
                   "refresh token already used; the authorization is revoked");
  EXPECT_FALSE(TokenLive(retried->access_token));
}

TEST_F(RefreshGraceTest, ZeroTurnsTheWindowOff) {
  env_.refresh_reuse_grace_seconds = 0;
  ExpectOAuthError(RefreshTokens(env_, Refresh(first_.refresh_token)), kInvalidGrant,
                   "refresh token already used; the authorization is revoked");
  EXPECT_FALSE(TokenLive(second_.access_token));
}

TEST_F(OboTest, RefreshNeedsTheSecretForWebAppsAndExpiresAfterThirtyDays) {
  auto first = ExchangeAuthorizationCode(env_, CodeRequest(web_, Code(web_, Params(web_))));
  ASSERT_TRUE(first.has_value());
  TokenRequest r{"refresh_token", web_.client_id, "", "", "", first->refresh_token, "", ""};
  ExpectOAuthError(RefreshTokens(env_, r), kInvalidClient);
  r.bearer = secret_;
  clock_.Advance(30 * 86400);
  ExpectOAuthError(RefreshTokens(env_, r), kInvalidGrant, "refresh token expired");
}

TEST_F(OboTest, DisabledAndDeletedAppsIssueNothing) {
  const std::string code = Code(web_, Params(web_));
  ASSERT_TRUE(admin::SetAppEnabled(admin_env_, web_.id, false));
  ExpectOAuthError(ExchangeAuthorizationCode(env_, CodeRequest(web_, code)), kAccessDeny);
  ASSERT_TRUE(admin::SetAppEnabled(admin_env_, web_.id, true));
  auto tokens = ExchangeAuthorizationCode(env_, CodeRequest(web_, code));
  ASSERT_TRUE(tokens.has_value());
  ASSERT_TRUE(admin::DeleteApp(admin_env_, web_.id));
  EXPECT_FALSE(TokenLive(tokens->access_token));
  ExpectOAuthError(RefreshTokens(env_, {"refresh_token", web_.client_id, "", "", "",
                                        tokens->refresh_token, "", secret_}),
                   kInvalidClient, "unknown client_id");
}

TEST_F(OboTest, DeviceFlowPendingSlowDownApprovalAndSingleUse) {
  auto d = StartDeviceAuthorization(env_, device_.client_id, "");
  ASSERT_TRUE(d.has_value()) << d.error().message;
  EXPECT_EQ(d->expires_in, 300);
  EXPECT_EQ(d->interval, 5);
  ASSERT_TRUE(NormalizeUserCode(d->user_code));
  TokenRequest poll{"urn:ietf:params:oauth:grant-type:device_code",
                    device_.client_id,
                    "",
                    "",
                    "",
                    "",
                    d->device_code,
                    ""};
  ExpectOAuthError(PollDeviceCode(env_, poll), kAuthorizationPending);
  clock_.Advance(1);
  ExpectOAuthError(PollDeviceCode(env_, poll), kSlowDown, "polling too fast; wait 10 s");
  clock_.Advance(5);  // the interval is 10 s now
  ExpectOAuthError(PollDeviceCode(env_, poll), kSlowDown, "polling too fast; wait 15 s");
  clock_.Advance(15);
  ExpectOAuthError(PollDeviceCode(env_, poll), kAuthorizationPending);
  // Typed in lower case with a space: still the code.
  std::string typed = d->user_code;
  for (auto& ch : typed) ch = static_cast<char>(std::tolower(ch));
  typed[4] = ' ';
  ASSERT_EQ(NormalizeUserCode(typed), d->user_code);
  ASSERT_TRUE(DecideDevice(env_, d->user_code, ann_.id, true, "personal"));
  clock_.Advance(15);
  auto tokens = PollDeviceCode(env_, poll);
  ASSERT_TRUE(tokens.has_value()) << tokens.error().message;
  EXPECT_EQ(tokens->token.user_id, ann_.id);
  clock_.Advance(15);
  ExpectOAuthError(PollDeviceCode(env_, poll), kInvalidGrant,
                   "the device code has already been used");
  // Once decided, the user code is no longer pending.
  EXPECT_FALSE(FindPendingDevice(env_, d->user_code).has_value());
}

TEST_F(OboTest, DeviceDeniedAndExpired) {
  auto denied = StartDeviceAuthorization(env_, device_.client_id, "");
  ASSERT_TRUE(denied.has_value());
  ASSERT_TRUE(DecideDevice(env_, denied->user_code, ann_.id, false, "personal"));
  TokenRequest poll{"urn:ietf:params:oauth:grant-type:device_code",
                    device_.client_id,
                    "",
                    "",
                    "",
                    "",
                    denied->device_code,
                    ""};
  ExpectOAuthError(PollDeviceCode(env_, poll), kAccessDenied);

  auto late = StartDeviceAuthorization(env_, device_.client_id, "");
  ASSERT_TRUE(late.has_value());
  clock_.Advance(300);
  poll.device_code = late->device_code;
  ExpectOAuthError(PollDeviceCode(env_, poll), kExpiredToken);
  EXPECT_FALSE(DecideDevice(env_, late->user_code, ann_.id, true, "personal").has_value());
}

TEST_F(OboTest, DeviceGrantOnlyForDeviceApps) {
  ExpectOAuthError(StartDeviceAuthorization(env_, web_.client_id, ""), kAccessDeny,
                   "invalid app type");
  ExpectOAuthError(StartDeviceAuthorization(env_, "nope", ""), kInvalidClient);
  auto d = StartDeviceAuthorization(env_, device_.client_id, "");
  ASSERT_TRUE(d.has_value());
  TokenRequest poll{"urn:ietf:params:oauth:grant-type:device_code",
                    device_.client_id,
                    "",
                    "",
                    "",
                    "",
                    "wrong",
                    ""};
  ExpectOAuthError(PollDeviceCode(env_, poll), kInvalidGrant, "invalid device code");
}

TEST_F(OboTest, EnterprisePlacesNeedMembershipAndAnInstallation) {
  auto bob = admin::CreateUser(admin_env_, "bob", "bob@x.test", "Passw0rd-bob").value();
  auto ent = admin::CreateEnterprise(admin_env_, "Acme", bob.id, domain::Edition::kTeam).value();
  auto places = ConsentPlaces(env_, web_, ann_.id, "");
  ASSERT_TRUE(places.has_value());
  ASSERT_EQ(places->size(), 1u);  // ann is in no enterprise
  ASSERT_TRUE(
      admin::AddEnterpriseMember(admin_env_, ent.enterprise.id, ann_.id, domain::OrgRole::kMember));
  places = ConsentPlaces(env_, web_, ann_.id, "");
  ASSERT_EQ(places->size(), 1u);  // a member, but the app (ann's personal app) is not installed
  ExpectOAuthError(Consent(env_, web_, ann_.id, ent.enterprise.id, ""), kAccessDeny);

  admin::AuthorizeSpec install;
  install.app_id = web_.id;
  install.kind = credentials::AuthorizationKind::kOboInstall;
  install.actor_user_id = ann_.id;  // a plain member may not install
  install.enterprise_id = ent.enterprise.id;
  EXPECT_FALSE(admin::AuthorizeApp(admin_env_, install).has_value());
  install.actor_user_id = bob.id;
  auto installed = admin::AuthorizeApp(admin_env_, install);
  ASSERT_TRUE(installed.has_value()) << installed.error().message;

  places = ConsentPlaces(env_, web_, ann_.id, "");
  ASSERT_EQ(places->size(), 2u);
  EXPECT_EQ((*places)[1].key(), ent.enterprise.id);
  auto grant = Consent(env_, web_, ann_.id, ent.enterprise.id, "");
  ASSERT_TRUE(grant.has_value());
  EXPECT_EQ(grant->context.kind, credentials::ContextKind::kEnterprise);
  EXPECT_EQ(grant->installation_id, installed->id);
  auto code = IssueAuthorizationCode(env_, *grant, Params(web_));
  auto tokens = ExchangeAuthorizationCode(env_, CodeRequest(web_, *code));
  ASSERT_TRUE(tokens.has_value());
  // Uninstalling revokes every token issued through the installation.
  ASSERT_TRUE(admin::RevokeAuthorization(admin_env_, installed->id));
  EXPECT_FALSE(TokenLive(tokens->access_token));
  ExpectOAuthError(RefreshTokens(env_, {"refresh_token", web_.client_id, "", "", "",
                                        tokens->refresh_token, "", secret_}),
                   kInvalidGrant);
}

TEST_F(OboTest, WorkspaceScopedConsentCoversOneWorkspaceAndNoAccountPoints) {
  auto w = admin::CreateWorkspace(admin_env_, ann_.id, ann_.id, "W").value();
  auto grant = Consent(env_, web_, ann_.id, "personal", w.id);
  ASSERT_TRUE(grant.has_value()) << grant.error().message;
  EXPECT_FALSE(grant->grant.all_workspaces);
  EXPECT_EQ(grant->grant.workspace_ids, std::vector<std::string>{w.id});
  EXPECT_TRUE(grant->grant.account_permissions.empty());
  auto bob = admin::CreateUser(admin_env_, "bob", "bob@x.test", "Passw0rd-bob").value();
  auto none = ConsentPlaces(env_, web_, bob.id, w.id);  // bob is no member of W
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());
}

TEST(UserCodeTest, Normalisation) {
  EXPECT_EQ(NormalizeUserCode("BCDF-GHJK"), "BCDF-GHJK");
  EXPECT_EQ(NormalizeUserCode("bcdfghjk"), "BCDF-GHJK");
  EXPECT_EQ(NormalizeUserCode("BCDF-GHJ"), std::nullopt);
  EXPECT_EQ(NormalizeUserCode("BCDF-GHJKL"), std::nullopt);
  EXPECT_EQ(NormalizeUserCode("AEIO-UBCD"), std::nullopt);  // vowels are not in the alphabet
  EXPECT_EQ(NormalizeUserCode("BCDF<GHJK"), std::nullopt);
}

}  // namespace
}  // namespace cozeauth::oauth

namespace cozeauth::oauth {
namespace {

TEST(NarrowGrantTest, ScopeOnlyNarrowsIncludingTheBotList) {
  credentials::Grant g;
  g.account_permissions = {"createConversation", "listConversation"};
  g.workspace_permissions = {"chat", "listBot"};
  g.all_workspaces = true;
  JwtScope scope;
  scope.account_permissions = std::vector<std::string>{"createConversation", "uploadFile"};
  scope.bot_ids = std::vector<std::string>{"b1", "b2", "b1"};
  credentials::Grant n = NarrowGrant(g, scope);
  EXPECT_EQ(n.account_permissions, std::vector<std::string>{"createConversation"});  // no widening
  EXPECT_EQ(n.workspace_permissions, g.workspace_permissions);  // absent part: unchanged
  EXPECT_EQ(n.bot_ids, (std::vector<std::string>{"b1", "b2"}));
  // A narrower list narrows again; a disjoint one leaves no bot at all, never every bot.
  scope.bot_ids = std::vector<std::string>{"b2", "b3"};
  EXPECT_EQ(NarrowGrant(n, scope).bot_ids, std::vector<std::string>{"b2"});
  scope.bot_ids = std::vector<std::string>{"b9"};
  auto none = NarrowGrant(n, scope).bot_ids;
  ASSERT_EQ(none.size(), 1u);
  EXPECT_NE(none[0], "b1");
  EXPECT_NE(none[0], "b2");
  EXPECT_NE(none[0], "b9");
}

}  // namespace
}  // namespace cozeauth::oauth
