// TokenVerifier on fake stores and a fake clock: each principal state, what is cached (known
// tokens, unknown digests, app status) and what is not (store faults), the per-request expiry,
// the grants and app facts built into the cached principal, and invalidation — including a load
// that races with one.
#include "api/auth/token_verifier.hpp"

#include <gtest/gtest.h>

#include <string>

#include "api/auth/fake_stores.hpp"

namespace cozeauth::api {
namespace {

using policy::CredentialState;

constexpr int64_t kNow = 1'750'000'000;

std::string Bearer(const std::string& prefix, int n) {
  std::string s = prefix + std::to_string(n);
  s.resize(68, 'x');
  return s;
}

credentials::Token Pat(const std::string& id) {
  credentials::Token t;
  t.id = id;
  t.kind = credentials::TokenKind::kPat;
  t.user_id = "1001";
  t.context.account_id = "1001";
  t.grant.workspace_permissions = {"getMetadata"};
  t.grant.all_workspaces = true;
  t.expires_at = kNow + 3600;
  return t;
}

class TokenVerifierTest : public ::testing::Test {
 protected:
  Verified Verify(const std::string& bearer, int64_t now = kNow) {
    return verifier_.Verify(bearer, now);
  }

  FakeClock clock_{kNow};
  fakes::FakeCredentialStore tokens_;
  fakes::FakeOAuthStore apps_;
  fakes::FakeMigrationStore grants_;
  TokenVerifier verifier_{tokens_,
                          apps_,
                          grants_,
                          clock_,
                          {.capacity = 16, .unknown_capacity = 16, .unknown_ttl_millis = 60'000}};
};

TEST_F(TokenVerifierTest, AnActiveTokenIsReadOnceAndSharedAfterwards) {
  const std::string bearer = Bearer("pat_", 1);
  tokens_.Add(bearer, Pat("4001"));
  auto first = Verify(bearer);
  ASSERT_EQ(first->state, CredentialState::kActive);
  EXPECT_EQ(first.token_id.view(), "4001");
  EXPECT_EQ(first->user_id, "1001");
  EXPECT_EQ(first->grant.workspace_permissions, std::vector<std::string>{"getMetadata"});
  auto second = Verify(bearer);
  EXPECT_EQ(second.principal.get(), first.principal.get());  // the cached one, not a copy
  EXPECT_EQ(second.token_id.view(), "4001");
  EXPECT_EQ(tokens_.finds, 1);
  const VerifierStats s = verifier_.Stats();
  EXPECT_EQ(s.token_loads, 1u);
  EXPECT_EQ(s.counts.hits, 1u);
  EXPECT_EQ(s.tokens.known, 1u);
}

// Tokens of one shape share one principal (a cached token costs an id and a pointer); any
// difference — another grant, another user, another state — gives another one.
// A use is one to record (Verified::record_use) once per kLastUsedIntervalSeconds per token,
// counted from the row's last_used_at when the token is read: not per request.
TEST_F(TokenVerifierTest, AUseIsToBeRecordedOncePerIntervalCountingFromTheStoredTime) {
  const std::string fresh = Bearer("pat_", 21), recent = Bearer("pat_", 22);
  tokens_.Add(fresh, Pat("4021"));  // never used
  credentials::Token used = Pat("4022");
  used.last_used_at = kNow - 60;  // used a minute ago (another node, or before a restart)
  tokens_.Add(recent, used);

  EXPECT_TRUE(Verify(fresh).record_use);  // the read from the store
  EXPECT_FALSE(Verify(fresh, kNow + 1).record_use);
  EXPECT_FALSE(Verify(fresh, kNow + kLastUsedIntervalSeconds - 1).record_use);
  EXPECT_TRUE(Verify(fresh, kNow + kLastUsedIntervalSeconds).record_use);

  EXPECT_FALSE(Verify(recent).record_use);
  EXPECT_FALSE(Verify(recent, kNow + kLastUsedIntervalSeconds - 61).record_use);
  EXPECT_TRUE(Verify(recent, kNow + kLastUsedIntervalSeconds - 60).record_use);
  EXPECT_EQ(tokens_.finds, 2);  // each read once
}

TEST_F(TokenVerifierTest, TokensOfOneShapeShareOnePrincipalAndKeepTheirOwnIds) {
  const std::string a = Bearer("pat_", 11), b = Bearer("pat_", 12), c = Bearer("pat_", 13),
                    d = Bearer("pat_", 14);
  tokens_.Add(a, Pat("4011"));
  tokens_.Add(b, Pat("4012"));  // same user, context and grant as a
  credentials::Token other_grant = Pat("4013");
  other_grant.grant.workspace_permissions = {"getMetadata", "chat"};
  tokens_.Add(c, other_grant);
  credentials::Token other_user = Pat("4014");
  other_user.user_id = "1002";
  tokens_.Add(d, other_user);
  const Verified va = Verify(a), vb = Verify(b), vc = Verify(c), vd = Verify(d);
  EXPECT_EQ(va.principal.get(), vb.principal.get());
  EXPECT_EQ(va.token_id.view(), "4011");
  EXPECT_EQ(vb.token_id.view(), "4012");
  EXPECT_NE(vc.principal.get(), va.principal.get());
  EXPECT_EQ(vc->grant.workspace_permissions, (std::vector<std::string>{"getMetadata", "chat"}));
  EXPECT_NE(vd.principal.get(), va.principal.get());
  EXPECT_EQ(vd->user_id, "1002");

  // Revoking b leaves a's principal alone: b gets a revoked one of its own.
  tokens_.tokens[credentials::HashToken(b)].revoked_at = kNow;
  verifier_.Invalidate();
  EXPECT_EQ(Verify(a)->state, CredentialState::kActive);
  const Verified revoked = Verify(b);
  EXPECT_EQ(revoked->state, CredentialState::kRevoked);
  EXPECT_EQ(revoked.token_id.view(), "4012");
  EXPECT_EQ(Verify(a)->state, CredentialState::kActive);
}

TEST_F(TokenVerifierTest, MalformedBearersAreUnknownWithoutAStoreRead) {
  const std::string cases[] = {"", "x", "abc_123", "PAT_" + std::string(64, 'x'),
                               "pat_" + std::string(253, 'x')};  // 257 bytes: over the limit
  for (const auto& bearer : cases) {
    SCOPED_TRACE(bearer);
    EXPECT_EQ(Verify(bearer)->state, CredentialState::kUnknown);
  }
  EXPECT_EQ(tokens_.finds, 0);
  EXPECT_EQ(verifier_.Stats().tokens.unknown, 0u);  // nothing cached either
}

TEST_F(TokenVerifierTest, AnUnknownTokenIsRememberedUntilItsTtlEnds) {
  const std::string bearer = Bearer("pat_", 2);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Verify(bearer)->state, CredentialState::kUnknown);
  EXPECT_EQ(tokens_.finds, 1);
  EXPECT_EQ(verifier_.Stats().unknown_hits, 2u);
  clock_.Advance(60);  // the unknown TTL (monotonic time)
  EXPECT_EQ(Verify(bearer)->state, CredentialState::kUnknown);
  EXPECT_EQ(tokens_.finds, 2);
}

TEST_F(TokenVerifierTest, AStoreFaultIsNeverCached) {
  const std::string bearer = Bearer("pat_", 3);
  tokens_.Add(bearer, Pat("4003"));
  tokens_.fault = true;
  EXPECT_EQ(Verify(bearer)->state, CredentialState::kUnknown);
  EXPECT_EQ(Verify(bearer)->state, CredentialState::kUnknown);
  EXPECT_EQ(tokens_.finds, 2);
  tokens_.fault = false;  // the store recovers: the token works at once
  EXPECT_EQ(Verify(bearer)->state, CredentialState::kActive);
}

TEST_F(TokenVerifierTest, ARowWhoseDigestDiffersIsRefused) {
  const std::string bearer = Bearer("pat_", 4);
  credentials::Token t = Pat("4004");
  t.token_hash = credentials::HashToken(Bearer("pat_", 5));  // a backend returning the wrong row
  tokens_.tokens[credentials::HashToken(bearer)] = t;
  EXPECT_EQ(Verify(bearer)->state, CredentialState::kUnknown);
  EXPECT_EQ(verifier_.Stats().tokens.known, 0u);
}

TEST_F(TokenVerifierTest, ExpiryIsCheckedOnEveryCallWithoutAStoreRead) {
  const std::string bearer = Bearer("pat_", 6);
  tokens_.Add(bearer, Pat("4006"));  // expires at kNow + 3600
  EXPECT_EQ(Verify(bearer, kNow + 3599)->state, CredentialState::kActive);
  auto expired = Verify(bearer, kNow + 3600);
  EXPECT_EQ(expired->state, CredentialState::kExpired);
  EXPECT_EQ(expired.token_id.view(), "4006");
  EXPECT_EQ(tokens_.finds, 1);
  // The cached principal itself was not re-stated.
  EXPECT_EQ(Verify(bearer, kNow)->state, CredentialState::kActive);
}

TEST_F(TokenVerifierTest, APermanentTokenNeverExpires) {
  const std::string bearer = Bearer("pat_", 7);
  credentials::Token t = Pat("4007");
  t.expires_at = -1;
  tokens_.Add(bearer, t);
  EXPECT_EQ(Verify(bearer, INT64_MAX)->state, CredentialState::kActive);
}

TEST_F(TokenVerifierTest, ARevokedTokenIsRevokedEvenBeforeItsExpiry) {
  const std::string bearer = Bearer("pat_", 8);
  credentials::Token t = Pat("4008");
  t.revoked_at = kNow - 1;
  tokens_.Add(bearer, t);
  EXPECT_EQ(Verify(bearer)->state, CredentialState::kRevoked);
  EXPECT_EQ(Verify(bearer)->state, CredentialState::kRevoked);
  EXPECT_EQ(tokens_.finds, 1);  // cached as revoked
}

TEST_F(TokenVerifierTest, AppStatusIsPartOfTheCachedPrincipalAndReadOncePerApp) {
  credentials::OAuthApp active, disabled;
  active.id = "9001";
  disabled.id = "9002";
  disabled.status = credentials::AppStatus::kDisabled;
  apps_.apps = {{"9001", active}, {"9002", disabled}};
  auto app_token = [](const std::string& id, const std::string& app_id) {
    credentials::Token t = Pat(id);
    t.kind = credentials::TokenKind::kAppAccess;
    t.app_id = app_id;
    return t;
  };
  const std::string a1 = Bearer("czs_", 1), a2 = Bearer("czs_", 2), d = Bearer("czs_", 3),
                    gone = Bearer("czs_", 4);
  tokens_.Add(a1, app_token("4101", "9001"));
  tokens_.Add(a2, app_token("4102", "9001"));
  tokens_.Add(d, app_token("4103", "9002"));
  tokens_.Add(gone, app_token("4104", "9999"));  // its app no longer exists
  EXPECT_EQ(Verify(a1)->state, CredentialState::kActive);
  EXPECT_EQ(Verify(a2)->state, CredentialState::kActive);
  EXPECT_EQ(Verify(d)->state, CredentialState::kAppDisabled);
  EXPECT_EQ(Verify(gone)->state, CredentialState::kAppDisabled);
  EXPECT_EQ(apps_.reads, 3);  // 9001 once for both of its tokens

  // Enabling the app bumps the auth epoch: after the invalidation its tokens work again.
  apps_.apps["9002"].status = credentials::AppStatus::kActive;
  EXPECT_EQ(Verify(d)->state, CredentialState::kAppDisabled);  // cached until then
  verifier_.Invalidate();
  EXPECT_EQ(Verify(d)->state, CredentialState::kActive);
}

TEST_F(TokenVerifierTest, ADisabledAuthorizationSuspendsItsTokensUntilEnabledAndAFaultIsNotCached) {
  credentials::OAuthApp active;
  active.id = "9001";
  apps_.apps = {{"9001", active}};
  auto through = [](const std::string& id, const std::string& authorization_id) {
    credentials::Token t = Pat(id);
    t.kind = credentials::TokenKind::kAppAccess;
    t.app_id = "9001";
    t.authorization_id = authorization_id;
    return t;
  };
  const std::string on1 = Bearer("czs_", 31), on2 = Bearer("czs_", 32), off = Bearer("czs_", 33);
  tokens_.Add(on1, through("4301", "7001"));
  tokens_.Add(on2, through("4302", "7001"));
  tokens_.Add(off, through("4303", "7002"));
  apps_.disabled_authorizations = {"7002"};
  EXPECT_EQ(Verify(on1)->state, CredentialState::kActive);
  EXPECT_EQ(Verify(on2)->state, CredentialState::kActive);
  EXPECT_EQ(Verify(off)->state, CredentialState::kAppDisabled);
  EXPECT_EQ(apps_.authorization_reads, 2);  // 7001 once for both of its tokens

  // Enabling bumps the auth epoch: after the invalidation the token works again, and disabling
  // the other one suspends its tokens.
  apps_.disabled_authorizations = {"7001"};
  EXPECT_EQ(Verify(off)->state, CredentialState::kAppDisabled);  // cached until then
  verifier_.Invalidate();
  EXPECT_EQ(Verify(off)->state, CredentialState::kActive);
  EXPECT_EQ(Verify(on1)->state, CredentialState::kAppDisabled);

  // A store fault is not an answer: the token is not served, and the store is asked again.
  verifier_.Invalidate();
  apps_.authorization_fault = true;
  EXPECT_EQ(Verify(off)->state, CredentialState::kUnknown);
  apps_.authorization_fault = false;
  EXPECT_EQ(Verify(off)->state, CredentialState::kActive);
}

TEST_F(TokenVerifierTest, CrossAccountGrantsAreLoadedWithTheTokenForEnterpriseSideTokensOnly) {
  credentials::Token personal = Pat("4201");
  credentials::Token org = Pat("4202");
  org.context = {credentials::ContextKind::kOrganization, "2001", "ent_1"};
  credentials::Token app = Pat("4203");
  app.kind = credentials::TokenKind::kAppAccess;
  app.app_id = "9001";
  app.context = {credentials::ContextKind::kEnterprise, "2001", "ent_1"};
  credentials::OAuthApp active;
  active.id = "9001";
  apps_.apps["9001"] = active;
  grants_.granted[{domain::GrantedCredential::kPat, "4202"}] = {"1005"};
  grants_.granted[{domain::GrantedCredential::kApp, "9001"}] = {"1006", "1007"};
  tokens_.Add(Bearer("pat_", 21), personal);
  tokens_.Add(Bearer("pat_", 22), org);
  tokens_.Add(Bearer("czs_", 23), app);

  EXPECT_TRUE(Verify(Bearer("pat_", 21))->granted_accounts.empty());
  EXPECT_EQ(grants_.reads, 0);  // a personal token cannot be granted anything
  EXPECT_EQ(Verify(Bearer("pat_", 22))->granted_accounts, std::vector<std::string>{"1005"});
  EXPECT_EQ(Verify(Bearer("czs_", 23))->granted_accounts,
            (std::vector<std::string>{"1006", "1007"}));
  EXPECT_EQ(grants_.reads, 2);
  Verify(Bearer("pat_", 22));
  EXPECT_EQ(grants_.reads, 2);  // cached with the token

  // A new grant bumps the auth epoch; after the invalidation the token carries it.
  grants_.granted[{domain::GrantedCredential::kPat, "4202"}] = {"1005", "1008"};
  verifier_.Invalidate();
  EXPECT_EQ(Verify(Bearer("pat_", 22))->granted_accounts,
            (std::vector<std::string>{"1005", "1008"}));
}

TEST_F(TokenVerifierTest, InvalidateDropsKnownAndUnknownTokens) {
  const std::string known = Bearer("pat_", 31), unknown = Bearer("pat_", 32);
  tokens_.Add(known, Pat("4301"));
  ASSERT_EQ(Verify(known)->state, CredentialState::kActive);
  ASSERT_EQ(Verify(unknown)->state, CredentialState::kUnknown);
  tokens_.tokens[credentials::HashToken(known)].revoked_at = kNow;
  tokens_.Add(unknown, Pat("4302"));  // created since
  verifier_.Invalidate();
  EXPECT_EQ(Verify(known)->state, CredentialState::kRevoked);
  EXPECT_EQ(Verify(unknown)->state, CredentialState::kActive);
  EXPECT_EQ(tokens_.finds, 4);
}

// A revocation committed while a request is loading the token: the entry the request stores
// was read before the invalidation, so the next request must read the store again.
TEST_F(TokenVerifierTest, ALoadRacingAnInvalidationIsNeverServedAfterIt) {
  const std::string bearer = Bearer("pat_", 41);
  tokens_.Add(bearer, Pat("4401"));
  tokens_.during_find = [&] {
    tokens_.tokens[credentials::HashToken(bearer)].revoked_at = kNow;  // written after our read…
    verifier_.Invalidate();                                            // …and invalidated
  };
  // The row this load read was still active: that answer is right for this request only.
  EXPECT_EQ(Verify(bearer)->state, CredentialState::kActive);
  EXPECT_EQ(Verify(bearer)->state, CredentialState::kRevoked);
  EXPECT_EQ(tokens_.finds, 2);
}

}  // namespace
}  // namespace cozeauth::api
