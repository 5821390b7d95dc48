// The storage contract of OAuthStore (oauth_store.hpp): apps and their lookups, public keys,
// client secrets, OBO grants, authorization codes, refresh tokens, device codes, authorization
// kinds and installation cascades, and which of these writes bump the auth epoch; written against
// the interface so that every backend runs it. Each TEST_P runs on an in-memory database and on a
// file (WAL, reader pool). Housekeeping is in oauth_store_housekeeping_contract_test.cpp.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <filesystem>
#include <functional>
#include <latch>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "store/contract_test_support.hpp"
#include "store/sqlite/sqlite_db.hpp"
#include "store/store.hpp"

namespace cozeauth {

namespace store {
namespace {

using credentials::AppAuthorization;
using credentials::AppStatus;
using credentials::AuthorizationCode;
using credentials::AuthorizationKind;
using credentials::ClientSecret;
using credentials::ClientType;
using credentials::ContextKind;
using credentials::DeviceCode;
using credentials::DeviceStatus;
using credentials::OAuthApp;
using credentials::OboGrant;
using credentials::RefreshToken;
using credentials::Token;
using credentials::TokenKind;

using contract::AggregateContractTest;
using contract::CodeOf;

constexpr int64_t kT = 1'700'000'000;

auto Fields(const OAuthApp& a) {
  return std::tie(a.id, a.client_id, a.owner_account_id, a.owner_user_id, a.name, a.description,
                  a.app_type, a.client_type, a.status, a.account_permissions,
                  a.workspace_permissions, a.enterprise_permissions, a.redirect_uris, a.created_at);
}
auto Fields(const AppAuthorization& a) {
  return std::tie(a.id, a.app_id, a.kind, a.account_id, a.enterprise_id,
                  a.grant.account_permissions, a.grant.workspace_permissions,
                  a.grant.enterprise_permissions, a.grant.all_workspaces, a.grant.workspace_ids,
                  a.authorized_by, a.created_at, a.revoked_at, a.disabled_at);
}
auto Fields(const ClientSecret& s) {
  return std::tie(s.id, s.app_id, s.secret_hash, s.mask, s.created_at);
}
auto Fields(const OboGrant& g) {
  return std::tie(
      g.id, g.app_id, g.user_id, g.context.kind, g.context.account_id, g.context.enterprise_id,
      g.grant.account_permissions, g.grant.workspace_permissions, g.grant.enterprise_permissions,
      g.grant.all_workspaces, g.grant.workspace_ids, g.installation_id, g.created_at, g.revoked_at);
}
auto Fields(const AuthorizationCode& c) {
  return std::tie(c.code_hash, c.grant_id, c.app_id, c.redirect_uri, c.code_challenge,
                  c.code_challenge_method, c.created_at, c.expires_at, c.used_at);
}
auto Fields(const RefreshToken& t) {
  return std::tie(t.token_hash, t.grant_id, t.app_id, t.created_at, t.expires_at, t.used_at,
                  t.parent_hash, t.access_token_id);
}
auto Fields(const DeviceCode& d) {
  return std::tie(d.device_code_hash, d.user_code, d.app_id, d.workspace_id, d.status, d.grant_id,
                  d.created_at, d.expires_at, d.last_poll_at, d.interval);
}

template <typename T>
std::vector<std::string> Ids(const std::vector<T>& items) {
  std::vector<std::string> ids;
  for (const auto& item : items) ids.push_back(item.id);
  return ids;
}

std::string HashOf(char c, int n) { return std::string(60, c) + std::to_string(1000 + n); }

// --- sample rows

domain::User MakeUser(const std::string& id) {
  return domain::User{id, "user " + id, id + "@example.com", "$argon2id$fake", kT};
}

domain::Account PersonalAccount(const std::string& user_id) {
  domain::Account a;
  a.id = user_id;
  a.kind = domain::AccountKind::kPersonal;
  a.name = "personal " + user_id;
  a.user_id = user_id;
  a.created_at = kT + 1;
  return a;
}

domain::Account Organization(const std::string& id, const std::string& enterprise_id) {
  domain::Account a;
  a.id = id;
  a.kind = domain::AccountKind::kOrganization;
  a.name = "org " + id;
  a.enterprise_id = enterprise_id;
  a.is_default = true;
  a.created_at = kT + 2;
  return a;
}

domain::Enterprise MakeEnterprise(const std::string& id, const std::string& owner,
                                  const std::string& default_org) {
  domain::Enterprise e;
  e.id = id;
  e.name = "enterprise " + id;
  e.edition = domain::Edition::kEnterprise;
  e.owner_user_id = owner;
  e.default_org_account_id = default_org;
  e.created_at = kT + 3;
  return e;
}

// A web app (client id "<id>.app.coze") unless `type` is kService (client id = id).
OAuthApp MakeApp(const std::string& id, const std::string& owner_account, int64_t created_at,
                 ClientType type = ClientType::kWeb) {
  OAuthApp a;
  a.id = id;
  a.client_id = type == ClientType::kService ? id : id + "0000.app.coze";
  a.owner_account_id = owner_account;
  a.owner_user_id = "1001";
  a.name = "app " + id;
  a.description = "describes " + id;
  a.client_type = type;
  a.account_permissions = {"Account.readMember"};
  a.workspace_permissions = {"chat", "listBot"};
  a.enterprise_permissions = {"Enterprise.listOrganization"};
  a.redirect_uris = {"https://example.com/cb?a=1,2", "http://localhost:8080/cb"};
  a.created_at = created_at;
  return a;
}

AppAuthorization MakeAuthorization(const std::string& id, const std::string& app_id,
                                   AuthorizationKind kind, const std::string& account_id,
                                   const std::string& enterprise_id, int64_t created_at) {
  AppAuthorization a;
  a.id = id;
  a.app_id = app_id;
  a.kind = kind;
  a.account_id = account_id;
  a.enterprise_id = enterprise_id;
  a.grant.workspace_permissions = {"chat"};
  a.grant.all_workspaces = true;
  a.authorized_by = "1001";
  a.created_at = created_at;
  return a;
}

OboGrant MakeGrant(const std::string& id, const std::string& app_id, const std::string& user_id,
                   const std::string& installation_id, int64_t created_at) {
  OboGrant g;
  g.id = id;
  g.app_id = app_id;
  g.user_id = user_id;
  g.context.kind = ContextKind::kPersonal;
  g.context.account_id = user_id;
  g.grant.workspace_permissions = {"chat", "listBot"};
  g.grant.workspace_ids = {"3001"};
  g.installation_id = installation_id;
  g.created_at = created_at;
  return g;
}

// An OBO access token issued through `authorization_id` (a grant id).
Token OboToken(const std::string& id, const std::string& hash, const std::string& app_id,
               const std::string& authorization_id) {
  Token t;
  t.id = id;
  t.kind = TokenKind::kOboAccess;
  t.name = "obo " + id;
  t.token_hash = hash;
  t.user_id = "1001";
  t.context.kind = ContextKind::kPersonal;
  t.context.account_id = "1001";
  t.grant.workspace_permissions = {"chat"};
  t.app_id = app_id;
  t.authorization_id = authorization_id;
  t.created_at = kT + 100;
  t.updated_at = kT + 100;
  t.expires_at = kT + 100 + credentials::kOboAccessSeconds;
  return t;
}

AuthorizationCode MakeCode(const std::string& hash, const std::string& grant_id) {
  AuthorizationCode c;
  c.code_hash = hash;
  c.grant_id = grant_id;
  c.app_id = "7001";
  c.redirect_uri = "https://example.com/cb?a=1,2";
  c.code_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
  c.code_challenge_method = "S256";
  c.created_at = kT + 200;
  c.expires_at = kT + 200 + credentials::kCodeSeconds;
  return c;
}

RefreshToken MakeRefresh(const std::string& hash, const std::string& grant_id) {
  return RefreshToken{hash,
                      grant_id,
                      "7001",
                      kT + 300,
                      kT + 300 + credentials::kRefreshSeconds,
                      0,
                      "parent-" + hash.substr(0, 8),
                      "6001"};
}

DeviceCode MakeDevice(const std::string& hash, const std::string& user_code, int64_t created_at) {
  DeviceCode d;
  d.device_code_hash = hash;
  d.user_code = user_code;
  d.app_id = "7001";
  d.workspace_id = "3001";
  d.created_at = created_at;
  d.expires_at = created_at + credentials::kDeviceCodeSeconds;
  return d;
}

// --- fixtures

class OAuthStoreContract : public AggregateContractTest<OAuthStore> {
 protected:
  // Users 1001 and 1002 with personal accounts; enterprise ent_1 with organization 2001; web app
  // 7001 owned by 1001's personal account.
  void Seed() override {
    ASSERT_OK(backend().CreateUser(MakeUser("1001")));
    ASSERT_OK(backend().CreateUser(MakeUser("1002")));
    ASSERT_OK(backend().CreateAccount(PersonalAccount("1001")));
    ASSERT_OK(backend().CreateAccount(PersonalAccount("1002")));
    ASSERT_OK(backend().CreateEnterprise(MakeEnterprise("ent_1", "1001", "2001")));
    ASSERT_OK(backend().CreateAccount(Organization("2001", "ent_1")));
    ASSERT_OK(store().CreateOAuthApp(MakeApp("7001", "1001", kT + 10)));
  }
};

COZEAUTH_STORE_CONTRACT(OAuthStoreContract);

// --- apps and authorizations

TEST_P(OAuthStoreContract, ListOAuthAppsOfAccountExcludesDeletedOldestFirst) {
  ASSERT_OK(store().CreateOAuthApp(MakeApp("7002", "1001", kT + 5)));
  ASSERT_OK(store().CreateOAuthApp(MakeApp("7003", "1001", kT + 20, ClientType::kService)));
  ASSERT_OK(store().CreateOAuthApp(MakeApp("7004", "1001", kT + 30)));
  ASSERT_OK(store().CreateOAuthApp(MakeApp("7005", "2001", kT + 1)));
  ASSERT_OK(store().SetOAuthAppStatus("7004", AppStatus::kDeleted));
  ASSERT_OK(store().SetOAuthAppStatus("7003", AppStatus::kDisabled));

  const auto apps = VALUE(store().ListOAuthAppsOfAccount("1001"));
  EXPECT_EQ(Ids(apps), (std::vector<std::string>{"7002", "7001", "7003"}));
  ASSERT_EQ(apps.size(), 3u);
  EXPECT_EQ(Fields(apps[1]), Fields(MakeApp("7001", "1001", kT + 10)));
  EXPECT_EQ(apps[2].status, AppStatus::kDisabled);  // disabled apps are still listed
  EXPECT_EQ(Ids(VALUE(store().ListOAuthAppsOfAccount("2001"))), (std::vector<std::string>{"7005"}));
  EXPECT_TRUE(VALUE(store().ListOAuthAppsOfAccount("1002")).empty());

  // A deleted app is still readable by id; callers decide what it may do.
  EXPECT_EQ(VALUE(store().GetOAuthApp("7004")).status, AppStatus::kDeleted);
}

TEST_P(OAuthStoreContract, UpdateOAuthAppMetaChangesNameDescriptionAndRedirectUrisOnly) {
  const OAuthApp before = MakeApp("7001", "1001", kT + 10);  // seeded
  ASSERT_OK(store().UpdateOAuthAppMeta("7001", "renamed", "new words",
                                       {"https://a.example/cb", "http://b.example/x,y"}));
  OAuthApp want = before;
  want.name = "renamed";
  want.description = "new words";
  want.redirect_uris = {"https://a.example/cb", "http://b.example/x,y"};
  EXPECT_EQ(Fields(VALUE(store().GetOAuthApp("7001"))), Fields(want));
  EXPECT_EQ(store().UpdateOAuthAppMeta("7999", "x", "", {}).error().code, Errc::kNotFound);
}

TEST_P(OAuthStoreContract, FindOAuthAppByClientId) {
  ASSERT_OK(store().CreateOAuthApp(MakeApp("7002", "1001", kT + 20, ClientType::kService)));
  EXPECT_EQ(Fields(VALUE(store().FindOAuthAppByClientId("70010000.app.coze"))),
            Fields(MakeApp("7001", "1001", kT + 10)));
  EXPECT_EQ(VALUE(store().FindOAuthAppByClientId("7002")).id, "7002");
  // The id of a web app is not its client id.
  EXPECT_EQ(CodeOf(store().FindOAuthAppByClientId("7001")), Errc::kNotFound);
  EXPECT_EQ(CodeOf(store().FindOAuthAppByClientId("99.app.coze")), Errc::kNotFound);
  EXPECT_EQ(CodeOf(store().FindOAuthAppByClientId("")), Errc::kNotFound);
}

TEST_P(OAuthStoreContract, AuthorizationKindRoundTrips) {
  AppAuthorization app_auth =
      MakeAuthorization("8001", "7001", AuthorizationKind::kAppAuth, "1001", "", kT + 20);
  app_auth.grant.account_permissions = {"Account.readMember"};
  app_auth.grant.enterprise_permissions = {"Enterprise.listOrganization"};
  app_auth.grant.all_workspaces = false;
  app_auth.grant.workspace_ids = {"3001", "3002"};
  const AppAuthorization install =
      MakeAuthorization("8002", "7001", AuthorizationKind::kOboInstall, "", "ent_1", kT + 21);
  ASSERT_OK(store().CreateAppAuthorization(app_auth));
  ASSERT_OK(store().CreateAppAuthorization(install));

  EXPECT_EQ(Fields(VALUE(store().GetAppAuthorization("8001"))), Fields(app_auth));
  EXPECT_EQ(Fields(VALUE(store().GetAppAuthorization("8002"))), Fields(install));
  const auto listed = VALUE(store().ListAppAuthorizations("7001"));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].kind, AuthorizationKind::kAppAuth);
  EXPECT_EQ(listed[1].kind, AuthorizationKind::kOboInstall);
}

TEST_P(OAuthStoreContract, ListAuthorizationsInEnterpriseLiveOnesOldestFirst) {
  ASSERT_OK(store().CreateAppAuthorization(
      MakeAuthorization("8001", "7001", AuthorizationKind::kOboInstall, "", "ent_1", kT + 30)));
  ASSERT_OK(store().CreateAppAuthorization(
      MakeAuthorization("8002", "7001", AuthorizationKind::kAppAuth, "2001", "ent_1", kT + 20)));
  ASSERT_OK(store().CreateAppAuthorization(
      MakeAuthorization("8003", "7001", AuthorizationKind::kAppAuth, "1001", "", kT + 10)));
  ASSERT_OK(store().CreateAppAuthorization(
      MakeAuthorization("8004", "7001", AuthorizationKind::kAppAuth, "", "ent_2", kT + 15)));
  ASSERT_OK(store().CreateAppAuthorization(
      MakeAuthorization("8005", "7001", AuthorizationKind::kAppAuth, "2001", "ent_1", kT + 25)));
  ASSERT_OK(store().RevokeAppAuthorization("8005", kT + 40));

  const auto in_ent1 = VALUE(store().ListAuthorizationsInEnterprise("ent_1"));
  EXPECT_EQ(Ids(in_ent1), (std::vector<std::string>{"8002", "8001"}));
  ASSERT_EQ(in_ent1.size(), 2u);
  EXPECT_EQ(Fields(in_ent1[1]),
            Fields(MakeAuthorization("8001", "7001", AuthorizationKind::kOboInstall, "", "ent_1",
                                     kT + 30)));
  EXPECT_EQ(Ids(VALUE(store().ListAuthorizationsInEnterprise("ent_2"))),
            (std::vector<std::string>{"8004"}));
  // Personal-account authorizations belong to no enterprise.
  EXPECT_TRUE(VALUE(store().ListAuthorizationsInEnterprise("")).empty());
  EXPECT_TRUE(VALUE(store().ListAuthorizationsInEnterprise("ent_9")).empty());
}

TEST_P(OAuthStoreContract, RevokingAnOboInstallationRevokesItsGrantsAndTheirTokens) {
  ASSERT_OK(store().CreateAppAuthorization(
      MakeAuthorization("8001", "7001", AuthorizationKind::kOboInstall, "", "ent_1", kT + 20)));
  ASSERT_OK(store().CreateAppAuthorization(
      MakeAuthorization("8002", "7001", AuthorizationKind::kOboInstall, "", "ent_2", kT + 21)));
  ASSERT_OK(store().CreateOboGrant(MakeGrant("9001", "7001", "1001", "8001", kT + 30)));
  ASSERT_OK(store().CreateOboGrant(MakeGrant("9002", "7001", "1002", "8001", kT + 31)));
  ASSERT_OK(store().CreateOboGrant(MakeGrant("9003", "7001", "1001", "", kT + 32)));
  ASSERT_OK(store().CreateOboGrant(MakeGrant("9004", "7001", "1001", "8002", kT + 33)));
  ASSERT_OK(backend().CreateToken(OboToken("4001", HashOf('a', 1), "7001", "9001")));
  ASSERT_OK(backend().CreateToken(OboToken("4002", HashOf('a', 2), "7001", "9002")));
  ASSERT_OK(backend().CreateToken(OboToken("4003", HashOf('a', 3), "7001", "9003")));
  ASSERT_OK(backend().CreateToken(OboToken("4004", HashOf('a', 4), "7001", "9004")));
  // 9002 was revoked before: it and its token keep their first revocation time.
  ASSERT_OK(store().RevokeOboGrant("9002", kT + 50));

  const int64_t before = VALUE(backend().AuthEpoch());
  ASSERT_OK(store().RevokeAppAuthorization("8001", kT + 60));
  EXPECT_GT(VALUE(backend().AuthEpoch()), before);

  EXPECT_EQ(VALUE(store().GetAppAuthorization("8001")).revoked_at, kT + 60);
  EXPECT_EQ(VALUE(store().GetOboGrant("9001")).revoked_at, kT + 60);
  EXPECT_EQ(VALUE(store().GetOboGrant("9002")).revoked_at, kT + 50);
  EXPECT_EQ(VALUE(store().GetOboGrant("9003")).revoked_at, 0);
  EXPECT_EQ(VALUE(store().GetOboGrant("9004")).revoked_at, 0);
  EXPECT_EQ(VALUE(backend().GetToken("4001")).revoked_at, kT + 60);
  EXPECT_EQ(VALUE(backend().GetToken("4002")).revoked_at, kT + 50);
  EXPECT_EQ(VALUE(backend().GetToken("4003")).revoked_at, 0);
  EXPECT_EQ(VALUE(backend().GetToken("4004")).revoked_at, 0);
  EXPECT_EQ(VALUE(store().GetAppAuthorization("8002")).revoked_at, 0);

  // Revoking again keeps every first time.
  ASSERT_OK(store().RevokeAppAuthorization("8001", kT + 70));
  EXPECT_EQ(VALUE(store().GetOboGrant("9001")).revoked_at, kT + 60);
  EXPECT_EQ(VALUE(backend().GetToken("4001")).revoked_at, kT + 60);
  EXPECT_EQ(CodeOf(store().RevokeAppAuthorization("8999", kT + 70)), Errc::kNotFound);
}

TEST_P(OAuthStoreContract, DisablingSuspendsWithoutRevokingAndReachesConsentsThroughTheInstall) {
  AppAuthorization app_auth =
      MakeAuthorization("8001", "7001", AuthorizationKind::kAppAuth, "1001", "", kT + 20);
  ASSERT_OK(store().CreateAppAuthorization(app_auth));
  ASSERT_OK(store().CreateAppAuthorization(
      MakeAuthorization("8002", "7001", AuthorizationKind::kOboInstall, "", "ent_1", kT + 21)));
  ASSERT_OK(store().CreateOboGrant(MakeGrant("9001", "7001", "1001", "8002", kT + 30)));
  ASSERT_OK(store().CreateOboGrant(MakeGrant("9002", "7001", "1001", "", kT + 31)));
  ASSERT_OK(backend().CreateToken(OboToken("4001", HashOf('a', 1), "7001", "9001")));
  for (const char* id : {"8001", "8002", "9001", "9002", "unknown"}) {
    EXPECT_FALSE(VALUE(store().IsAuthorizationDisabled(id))) << id;
  }

  int64_t before = VALUE(backend().AuthEpoch());
  ASSERT_OK(store().SetAppAuthorizationDisabled("8002", kT + 40));
  EXPECT_GT(VALUE(backend().AuthEpoch()), before);
  EXPECT_TRUE(VALUE(store().IsAuthorizationDisabled("8002")));
  EXPECT_TRUE(VALUE(store().IsAuthorizationDisabled("9001")));   // a consent through the install
  EXPECT_FALSE(VALUE(store().IsAuthorizationDisabled("9002")));  // a consent needing none
  EXPECT_FALSE(VALUE(store().IsAuthorizationDisabled("8001")));
  const AppAuthorization install = VALUE(store().GetAppAuthorization("8002"));
  EXPECT_EQ(install.disabled_at, kT + 40);
  EXPECT_TRUE(install.Disabled());
  EXPECT_FALSE(install.Revoked());
  // Suspended, not revoked: nothing that depends on it changes, and it is still listed.
  EXPECT_FALSE(VALUE(store().GetOboGrant("9001")).Revoked());
  EXPECT_FALSE(VALUE(backend().GetToken("4001")).Revoked());
  EXPECT_EQ(Ids(VALUE(store().ListAuthorizationsInEnterprise("ent_1"))),
            (std::vector<std::string>{"8002"}));

  // Disabling twice keeps the first time; enabling clears it.
  ASSERT_OK(store().SetAppAuthorizationDisabled("8002", kT + 50));
  EXPECT_EQ(VALUE(store().GetAppAuthorization("8002")).disabled_at, kT + 40);
  ASSERT_OK(store().SetAppAuthorizationDisabled("8001", kT + 55));
  EXPECT_TRUE(VALUE(store().IsAuthorizationDisabled("8001")));
  before = VALUE(backend().AuthEpoch());
  ASSERT_OK(store().SetAppAuthorizationDisabled("8002", 0));
  EXPECT_GT(VALUE(backend().AuthEpoch()), before);
  EXPECT_FALSE(VALUE(store().IsAuthorizationDisabled("9001")));
  EXPECT_FALSE(VALUE(store().GetAppAuthorization("8002")).Disabled());
  EXPECT_EQ(VALUE(store().GetAppAuthorization("8001")).disabled_at, kT + 55);

  // An unknown authorization is kNotFound and leaves the epoch alone.
  const int64_t settled = VALUE(backend().AuthEpoch());
  EXPECT_EQ(CodeOf(store().SetAppAuthorizationDisabled("8999", kT + 60)), Errc::kNotFound);
  EXPECT_EQ(VALUE(backend().AuthEpoch()), settled);
}

// --- public keys

TEST_P(OAuthStoreContract, PublicKeysAddGetListAndDelete) {
  const credentials::AppPublicKey first{HashOf('k', 1), "7001", "pem-1", kT + 20};
  const credentials::AppPublicKey second{HashOf('k', 2), "7001", "pem-2", kT + 21};
  ASSERT_OK(store().AddAppPublicKey(first));
  ASSERT_OK(store().AddAppPublicKey(second));
  const auto got = VALUE(store().GetAppPublicKey(first.fingerprint));
  EXPECT_EQ(std::tie(got.fingerprint, got.app_id, got.public_key_pem, got.created_at),
            std::tie(first.fingerprint, first.app_id, first.public_key_pem, first.created_at));
  std::vector<std::string> listed;
  for (const auto& k : VALUE(store().ListAppPublicKeys("7001"))) listed.push_back(k.fingerprint);
  std::sort(listed.begin(), listed.end());
  EXPECT_EQ(listed, (std::vector<std::string>{first.fingerprint, second.fingerprint}));
  EXPECT_TRUE(VALUE(store().ListAppPublicKeys("7999")).empty());

  EXPECT_EQ(CodeOf(store().AddAppPublicKey(first)), Errc::kAlreadyExists);
  // A key belongs to one app: deleting it through another app finds nothing.
  EXPECT_EQ(CodeOf(store().DeleteAppPublicKey("7999", first.fingerprint)), Errc::kNotFound);
  ASSERT_OK(store().DeleteAppPublicKey("7001", first.fingerprint));
  EXPECT_EQ(CodeOf(store().GetAppPublicKey(first.fingerprint)), Errc::kNotFound);
  EXPECT_EQ(CodeOf(store().DeleteAppPublicKey("7001", first.fingerprint)), Errc::kNotFound);
  EXPECT_OK(store().GetAppPublicKey(second.fingerprint));
}

// --- client secrets

TEST_P(OAuthStoreContract, ClientSecretsCreateListAndDelete) {
  ASSERT_OK(store().CreateOAuthApp(MakeApp("7002", "1001", kT + 11)));
  const ClientSecret s1{"5001", "7001", HashOf('s', 1), "abcd****wxyz", kT + 20};
  const ClientSecret s2{"5002", "7001", HashOf('s', 2), "efgh****stuv", kT + 15};
  const ClientSecret other{"5003", "7002", HashOf('s', 3), "ijkl****opqr", kT + 16};
  ASSERT_OK(store().CreateClientSecret(s1));
  ASSERT_OK(store().CreateClientSecret(s2));
  ASSERT_OK(store().CreateClientSecret(other));

  auto listed = VALUE(store().ListClientSecrets("7001"));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(Fields(listed[0]), Fields(s2));
  EXPECT_EQ(Fields(listed[1]), Fields(s1));
  EXPECT_TRUE(VALUE(store().ListClientSecrets("7999")).empty());

  // Duplicates and unknown apps.
  EXPECT_EQ(CodeOf(store().CreateClientSecret(
                ClientSecret{"5004", "7001", HashOf('s', 1), "dup", kT + 21})),
            Errc::kAlreadyExists);
  EXPECT_EQ(CodeOf(store().CreateClientSecret(
                ClientSecret{"5001", "7001", HashOf('s', 9), "dup", kT + 21})),
            Errc::kAlreadyExists);
  EXPECT_EQ(CodeOf(store().CreateClientSecret(
                ClientSecret{"5005", "7999", HashOf('s', 5), "none", kT + 21})),
            Errc::kNotFound);

  // Deleting an unknown secret, or another app's, is kNotFound and deletes nothing.
  const int64_t epoch = VALUE(backend().AuthEpoch());
  EXPECT_EQ(CodeOf(store().DeleteClientSecret("7001", "5999")), Errc::kNotFound);
  EXPECT_EQ(CodeOf(store().DeleteClientSecret("7001", "5003")), Errc::kNotFound);
  EXPECT_EQ(Ids(VALUE(store().ListClientSecrets("7002"))), (std::vector<std::string>{"5003"}));
  ASSERT_OK(store().DeleteClientSecret("7001", "5001"));
  EXPECT_EQ(Ids(VALUE(store().ListClientSecrets("7001"))), (std::vector<std::string>{"5002"}));
  EXPECT_EQ(CodeOf(store().DeleteClientSecret("7001", "5001")), Errc::kNotFound);
  EXPECT_EQ(VALUE(backend().AuthEpoch()), epoch);  // secrets bump nothing
}

// --- OBO grants

TEST_P(OAuthStoreContract, OboGrantsRoundTripEveryField) {
  OboGrant full;
  full.id = "9001";
  full.app_id = "7001";
  full.user_id = "1001";
  full.context = {ContextKind::kEnterprise, "2001", "ent_1"};
  full.grant.account_permissions = {"Account.readMember", "createWorkspace"};
  full.grant.workspace_permissions = {"chat", "listBot", "Bot.publish"};
  full.grant.enterprise_permissions = {"Enterprise.listOrganization"};
  full.grant.all_workspaces = true;
  full.grant.workspace_ids = {"3001", "3002"};
  full.installation_id = "8001";
  full.created_at = kT + 30;
  ASSERT_OK(store().CreateOboGrant(full));
  OboGrant bare = MakeGrant("9002", "7001", "1002", "", kT + 20);
  bare.grant = {};
  bare.context = {ContextKind::kOrganization, "2001", "ent_1"};
  ASSERT_OK(store().CreateOboGrant(bare));
  ASSERT_OK(store().CreateOboGrant(MakeGrant("9003", "7002", "1001", "", kT + 10)));

  EXPECT_EQ(Fields(VALUE(store().GetOboGrant("9001"))), Fields(full));
  EXPECT_EQ(Fields(VALUE(store().GetOboGrant("9002"))), Fields(bare));
  EXPECT_FALSE(VALUE(store().GetOboGrant("9001")).Revoked());

  ASSERT_OK(store().RevokeOboGrant("9002", kT + 40));
  // Revoked ones included, oldest first.
  const auto listed = VALUE(store().ListOboGrantsOfApp("7001"));
  EXPECT_EQ(Ids(listed), (std::vector<std::string>{"9002", "9001"}));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].revoked_at, kT + 40);
  EXPECT_TRUE(VALUE(store().ListOboGrantsOfApp("7999")).empty());

  EXPECT_EQ(CodeOf(store().GetOboGrant("9999")), Errc::kNotFound);
  EXPECT_EQ(CodeOf(store().CreateOboGrant(full)), Errc::kAlreadyExists);
  EXPECT_EQ(CodeOf(store().CreateOboGrant(MakeGrant("9004", "7001", "1999", "", kT))),
            Errc::kNotFound);  // unknown user
}

TEST_P(OAuthStoreContract, RevokeOboGrantRevokesItsTokensOnlyAndBumpsTheEpoch) {
  ASSERT_OK(store().CreateOboGrant(MakeGrant("9001", "7001", "1001", "", kT + 30)));
  ASSERT_OK(store().CreateOboGrant(MakeGrant("9002", "7001", "1001", "", kT + 31)));
  ASSERT_OK(backend().CreateToken(OboToken("4001", HashOf('a', 1), "7001", "9001")));
  ASSERT_OK(backend().CreateToken(OboToken("4002", HashOf('a', 2), "7001", "9001")));
  ASSERT_OK(backend().CreateToken(OboToken("4003", HashOf('a', 3), "7001", "9002")));
  Token pat = OboToken("4004", HashOf('a', 4), "", "");
  pat.kind = TokenKind::kPat;
  ASSERT_OK(backend().CreateToken(pat));
  ASSERT_OK(backend().RevokeToken("4002", kT + 45));  // already revoked: keeps its time

  const int64_t before = VALUE(backend().AuthEpoch());
  ASSERT_OK(store().RevokeOboGrant("9001", kT + 50));
  const int64_t after = VALUE(backend().AuthEpoch());
  EXPECT_GT(after, before);

  EXPECT_EQ(VALUE(store().GetOboGrant("9001")).revoked_at, kT + 50);
  EXPECT_EQ(VALUE(backend().GetToken("4001")).revoked_at, kT + 50);
  EXPECT_EQ(VALUE(backend().GetToken("4002")).revoked_at, kT + 45);
  EXPECT_FALSE(VALUE(backend().GetToken("4003")).Revoked());
  EXPECT_FALSE(VALUE(backend().GetToken("4004")).Revoked());
  EXPECT_FALSE(VALUE(store().GetOboGrant("9002")).Revoked());

  // Revoking an already revoked grant succeeds and keeps the first time.
  ASSERT_OK(store().RevokeOboGrant("9001", kT + 60));
  EXPECT_EQ(VALUE(store().GetOboGrant("9001")).revoked_at, kT + 50);
  EXPECT_EQ(VALUE(backend().GetToken("4001")).revoked_at, kT + 50);

  // An unknown grant is kNotFound and leaves the epoch alone.
  const int64_t settled = VALUE(backend().AuthEpoch());
  EXPECT_EQ(CodeOf(store().RevokeOboGrant("9999", kT + 60)), Errc::kNotFound);
  EXPECT_EQ(VALUE(backend().AuthEpoch()), settled);
}

// --- single-use secrets

TEST_P(OAuthStoreContract, AuthorizationCodeIsConsumedOnce) {
  ASSERT_OK(store().CreateOboGrant(MakeGrant("9001", "7001", "1001", "", kT + 30)));
  const AuthorizationCode code = MakeCode(HashOf('c', 1), "9001");
  AuthorizationCode plain = MakeCode(HashOf('c', 2), "9001");
  plain.code_challenge.clear();
  plain.code_challenge_method.clear();
  ASSERT_OK(store().CreateAuthorizationCode(code));
  ASSERT_OK(store().CreateAuthorizationCode(plain));
  EXPECT_EQ(CodeOf(store().CreateAuthorizationCode(code)), Errc::kAlreadyExists);

  // First use: the row as it was, unused.
  EXPECT_EQ(Fields(VALUE(store().ConsumeAuthorizationCode(code.code_hash, kT + 210))),
            Fields(code));
  // Replay: the first use time, which stays.
  EXPECT_EQ(VALUE(store().ConsumeAuthorizationCode(code.code_hash, kT + 220)).used_at, kT + 210);
  EXPECT_EQ(VALUE(store().ConsumeAuthorizationCode(code.code_hash, kT + 230)).used_at, kT + 210);
  // Other codes are untouched.
  EXPECT_EQ(Fields(VALUE(store().ConsumeAuthorizationCode(plain.code_hash, kT + 240))),
            Fields(plain));

  const auto unknown = store().ConsumeAuthorizationCode(HashOf('c', 9), kT + 250);
  ASSERT_EQ(CodeOf(unknown), Errc::kNotFound);
  EXPECT_EQ(unknown.error().message.find(HashOf('c', 9)), std::string::npos);
}

TEST_P(OAuthStoreContract, RefreshTokenIsConsumedOnce) {
  ASSERT_OK(store().CreateOboGrant(MakeGrant("9001", "7001", "1001", "", kT + 30)));
  const RefreshToken first = MakeRefresh(HashOf('r', 1), "9001");
  const RefreshToken second = MakeRefresh(HashOf('r', 2), "9001");
  ASSERT_OK(store().CreateRefreshToken(first));
  ASSERT_OK(store().CreateRefreshToken(second));
  EXPECT_EQ(CodeOf(store().CreateRefreshToken(first)), Errc::kAlreadyExists);

  const int64_t epoch = VALUE(backend().AuthEpoch());
  EXPECT_EQ(Fields(VALUE(store().ConsumeRefreshToken(first.token_hash, kT + 310))), Fields(first));
  EXPECT_EQ(VALUE(store().ConsumeRefreshToken(first.token_hash, kT + 320)).used_at, kT + 310);
  EXPECT_EQ(VALUE(store().ConsumeRefreshToken(second.token_hash, kT + 330)).used_at, 0);
  EXPECT_EQ(VALUE(store().ConsumeRefreshToken(second.token_hash, kT + 340)).used_at, kT + 330);
  EXPECT_EQ(CodeOf(store().ConsumeRefreshToken(HashOf('r', 9), kT + 350)), Errc::kNotFound);
  EXPECT_EQ(VALUE(backend().AuthEpoch()), epoch);  // consuming bumps nothing
}

TEST_P(OAuthStoreContract, ConcurrentConsumersSeeExactlyOneFirstUse) {
  constexpr int kCodes = 5;
  constexpr int kThreads = 4;
  for (int i = 0; i < kCodes; ++i) {
    ASSERT_OK(store().CreateAuthorizationCode(MakeCode(HashOf('c', i), "9001")));
    ASSERT_OK(store().CreateRefreshToken(MakeRefresh(HashOf('r', i), "9001")));
  }
  std::atomic<int> first_code_uses{0};
  std::atomic<int> first_refresh_uses{0};
  std::atomic<int> failures{0};
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < kCodes; ++i) {
        auto code = store().ConsumeAuthorizationCode(HashOf('c', i), kT + 1000 + t);
        auto refresh = store().ConsumeRefreshToken(HashOf('r', i), kT + 1000 + t);
        if (!code || !refresh) {
          failures.fetch_add(1);
          continue;
        }
        if (code->used_at == 0) first_code_uses.fetch_add(1);
        if (refresh->used_at == 0) first_refresh_uses.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(first_code_uses.load(), kCodes);
  EXPECT_EQ(first_refresh_uses.load(), kCodes);
}

// Two store objects on one database are two nodes (PostgreSQL) or two processes (a SQLite file):
// each of 100 codes, refresh tokens, device codes and JWT ids raced by one thread on each is
// redeemed exactly once.
TEST_P(OAuthStoreContract, TwoStoresOnOneDatabaseRedeemEverythingOnce) {
  if (!GetParam().file) GTEST_SKIP() << "an in-memory store is one object";
  auto opened = OpenStore(url());
  ASSERT_TRUE(opened.has_value()) << opened.error().message;
  std::array<OAuthStore*, 2> nodes = {&store(), opened->get()};
  constexpr int kRounds = 100;
  int codes = 0, refreshes = 0, devices = 0, jtis = 0, errors = 0;
  for (int i = 0; i < kRounds; ++i) {
    ASSERT_OK(store().CreateAuthorizationCode(MakeCode(HashOf('c', i), "9001")));
    ASSERT_OK(store().CreateRefreshToken(MakeRefresh(HashOf('r', i), "9001")));
    DeviceCode d = MakeDevice(HashOf('d', i), "CODE-" + std::to_string(1000 + i), kT + 400);
    ASSERT_OK(store().CreateDeviceCode(d));
    d.status = DeviceStatus::kApproved;
    d.grant_id = "9001";
    ASSERT_OK(store().UpdateDeviceCode(d, DeviceStatus::kPending));
    DeviceCode consumed = d;
    consumed.status = DeviceStatus::kConsumed;

    struct Outcome {
      bool code = false, refresh = false, device = false, jti = false;
      int errors = 0;
    };
    std::array<Outcome, 2> out;
    std::latch start(2);
    std::vector<std::thread> threads;
    for (int n = 0; n < 2; ++n) {
      threads.emplace_back([&, n] {
        OAuthStore& node = *nodes[n];
        Outcome& o = out[n];
        start.arrive_and_wait();
        auto code = node.ConsumeAuthorizationCode(HashOf('c', i), kT + 1000);
        auto refresh = node.ConsumeRefreshToken(HashOf('r', i), kT + 1000);
        const Status device = node.UpdateDeviceCode(consumed, DeviceStatus::kApproved);
        const Status jti = node.UseJwtId("7001", "jti-" + std::to_string(i), kT + 5000, kT + 1000);
        o.code = code && code->used_at == 0;
        o.refresh = refresh && refresh->used_at == 0;
        o.device = device.has_value();
        o.jti = jti.has_value();
        // The loser is told, never failed: a used code/token comes back with used_at set, and a
        // lost device code or jti is kAlreadyExists.
        o.errors += !code + !refresh;
        if (!device && device.error().code != Errc::kAlreadyExists) ++o.errors;
        if (!jti && jti.error().code != Errc::kAlreadyExists) ++o.errors;
      });
    }
    for (auto& t : threads) t.join();
    codes += out[0].code + out[1].code;
    refreshes += out[0].refresh + out[1].refresh;
    devices += out[0].device + out[1].device;
    jtis += out[0].jti + out[1].jti;
    errors += out[0].errors + out[1].errors;
    EXPECT_EQ(out[0].code + out[1].code, 1) << "round " << i;
  }
  EXPECT_EQ(errors, 0);
  EXPECT_EQ(codes, kRounds);
  EXPECT_EQ(refreshes, kRounds);
  EXPECT_EQ(devices, kRounds);
  EXPECT_EQ(jtis, kRounds);
}

// --- device codes

TEST_P(OAuthStoreContract, DeviceCodeCreateGetFindAndConditionalUpdate) {
  DeviceCode d = MakeDevice(HashOf('d', 1), "ABCD-EFGH", kT + 400);
  ASSERT_OK(store().CreateDeviceCode(d));
  DeviceCode plain = MakeDevice(HashOf('d', 2), "WXYZ-2345", kT + 401);
  plain.workspace_id.clear();
  ASSERT_OK(store().CreateDeviceCode(plain));

  EXPECT_EQ(Fields(VALUE(store().GetDeviceCode(d.device_code_hash))), Fields(d));
  EXPECT_EQ(Fields(VALUE(store().FindDeviceCodeByUserCode("ABCD-EFGH"))), Fields(d));
  EXPECT_EQ(Fields(VALUE(store().FindDeviceCodeByUserCode("WXYZ-2345"))), Fields(plain));
  EXPECT_EQ(CodeOf(store().GetDeviceCode(HashOf('d', 9))), Errc::kNotFound);
  EXPECT_EQ(CodeOf(store().FindDeviceCodeByUserCode("ZZZZ-ZZZZ")), Errc::kNotFound);

  // A poll that slows the device down keeps it pending.
  DeviceCode polled = d;
  polled.last_poll_at = kT + 402;
  polled.interval = 10;
  ASSERT_OK(store().UpdateDeviceCode(polled, DeviceStatus::kPending));
  EXPECT_EQ(Fields(VALUE(store().GetDeviceCode(d.device_code_hash))), Fields(polled));

  // Approval writes status and grant; only the row's other fields stay as created.
  DeviceCode approved = polled;
  approved.status = DeviceStatus::kApproved;
  approved.grant_id = "9001";
  approved.user_code = "IGNORED";  // not a written field
  ASSERT_OK(store().UpdateDeviceCode(approved, DeviceStatus::kPending));
  DeviceCode expected = approved;
  expected.user_code = d.user_code;
  EXPECT_EQ(Fields(VALUE(store().GetDeviceCode(d.device_code_hash))), Fields(expected));

  // A stale expectation loses (a concurrent poll or approval won) and writes nothing.
  DeviceCode denied = polled;
  denied.status = DeviceStatus::kDenied;
  EXPECT_EQ(CodeOf(store().UpdateDeviceCode(denied, DeviceStatus::kPending)), Errc::kAlreadyExists);
  EXPECT_EQ(Fields(VALUE(store().GetDeviceCode(d.device_code_hash))), Fields(expected));

  DeviceCode consumed = expected;
  consumed.status = DeviceStatus::kConsumed;
  consumed.last_poll_at = kT + 420;
  ASSERT_OK(store().UpdateDeviceCode(consumed, DeviceStatus::kApproved));
  EXPECT_EQ(Fields(VALUE(store().GetDeviceCode(d.device_code_hash))), Fields(consumed));
  EXPECT_EQ(CodeOf(store().UpdateDeviceCode(consumed, DeviceStatus::kApproved)),
            Errc::kAlreadyExists);

  // Unknown row: kNotFound, whatever the expectation.
  EXPECT_EQ(CodeOf(store().UpdateDeviceCode(MakeDevice(HashOf('d', 9), "QQQQ-QQQQ", kT),
                                            DeviceStatus::kPending)),
            Errc::kNotFound);
  // The other device code was never touched.
  EXPECT_EQ(Fields(VALUE(store().GetDeviceCode(plain.device_code_hash))), Fields(plain));
}

TEST_P(OAuthStoreContract, DeviceUserCodeIsUniqueWhileLive) {
  const DeviceCode first = MakeDevice(HashOf('d', 1), "ABCD-EFGH", kT + 400);  // expires +300
  ASSERT_OK(store().CreateDeviceCode(first));
  // Same user code while the first is live.
  EXPECT_EQ(CodeOf(store().CreateDeviceCode(MakeDevice(HashOf('d', 2), "ABCD-EFGH", kT + 500))),
            Errc::kAlreadyExists);
  EXPECT_EQ(CodeOf(store().CreateDeviceCode(MakeDevice(HashOf('d', 3), "ABCD-EFGH", kT + 699))),
            Errc::kAlreadyExists);
  // Same device code digest.
  EXPECT_EQ(CodeOf(store().CreateDeviceCode(MakeDevice(HashOf('d', 1), "OTHR-CODE", kT + 900))),
            Errc::kAlreadyExists);
  EXPECT_EQ(CodeOf(store().GetDeviceCode(HashOf('d', 2))), Errc::kNotFound);

  // Once the first has expired (expires_at == the new created_at), the user code is free again,
  // and lookups by user code find the most recent.
  const DeviceCode second = MakeDevice(HashOf('d', 4), "ABCD-EFGH", first.expires_at);
  ASSERT_OK(store().CreateDeviceCode(second));
  EXPECT_EQ(Fields(VALUE(store().FindDeviceCodeByUserCode("ABCD-EFGH"))), Fields(second));
  EXPECT_EQ(Fields(VALUE(store().GetDeviceCode(first.device_code_hash))), Fields(first));
  // Another user code is unaffected by either.
  EXPECT_OK(store().CreateDeviceCode(MakeDevice(HashOf('d', 5), "WXYZ-2345", kT + 500)));
}

// --- auth epoch

TEST_P(OAuthStoreContract, OnlyRevocationsOfTheNewWritesBumpTheEpoch) {
  ASSERT_OK(store().CreateOboGrant(MakeGrant("9001", "7001", "1001", "", kT + 30)));
  ASSERT_OK(store().CreateDeviceCode(MakeDevice(HashOf('d', 1), "ABCD-EFGH", kT + 400)));
  DeviceCode approved = MakeDevice(HashOf('d', 1), "ABCD-EFGH", kT + 400);
  approved.status = DeviceStatus::kApproved;
  approved.grant_id = "9001";
  contract::ExpectEpochMoves(
      backend(),
      {
          {"CreateClientSecret",
           [&] {
             return store().CreateClientSecret({"5001", "7001", HashOf('s', 1), "m", kT});
           },
           false},
          {"DeleteClientSecret", [&] { return store().DeleteClientSecret("7001", "5001"); }, false},
          {"CreateOboGrant",
           [&] { return store().CreateOboGrant(MakeGrant("9002", "7001", "1001", "", kT)); },
           false},
          {"CreateAuthorizationCode",
           [&] { return store().CreateAuthorizationCode(MakeCode(HashOf('c', 1), "9001")); },
           false},
          {"ConsumeAuthorizationCode",
           [&]() -> Status {
             auto r = store().ConsumeAuthorizationCode(HashOf('c', 1), kT + 201);
             if (!r) return r.error();
             return {};
           },
           false},
          {"CreateRefreshToken",
           [&] { return store().CreateRefreshToken(MakeRefresh(HashOf('r', 1), "9001")); }, false},
          {"ConsumeRefreshToken",
           [&]() -> Status {
             auto r = store().ConsumeRefreshToken(HashOf('r', 1), kT + 301);
             if (!r) return r.error();
             return {};
           },
           false},
          {"CreateDeviceCode",
           [&] { return store().CreateDeviceCode(MakeDevice(HashOf('d', 2), "WXYZ-2345", kT)); },
           false},
          {"UpdateDeviceCode",
           [&] { return store().UpdateDeviceCode(approved, DeviceStatus::kPending); }, false},
          {"RevokeOboGrant", [&] { return store().RevokeOboGrant("9001", kT + 500); }, true},
      });
}

// oauth_store.hpp: "Bumps the auth epoch: SetOAuthAppStatus, UpdateOAuthAppMeta,
// DeleteAppPublicKey, CreateAppAuthorization, RevokeAppAuthorization, RevokeOboGrant. Nothing else
// here does" (RevokeOboGrant and the OBO side: the test above).
TEST_P(OAuthStoreContract, AppWritesMoveTheEpochExactlyWhenListed) {
  const credentials::AppPublicKey key{HashOf('k', 1), "7001", "pem-1", kT + 20};
  contract::ExpectEpochMoves(
      backend(),
      {
          {"CreateOAuthApp",
           [&] {
             return store().CreateOAuthApp(MakeApp("7002", "1001", kT + 20, ClientType::kService));
           },
           false},
          {"AddAppPublicKey", [&] { return store().AddAppPublicKey(key); }, false},
          {"UseJwtId", [&] { return store().UseJwtId("7002", "jti-1", kT + 600, kT + 21); }, false},
          {"CreateAppAuthorization",
           [&] {
             return store().CreateAppAuthorization(MakeAuthorization(
                 "8001", "7002", AuthorizationKind::kAppAuth, "1001", "", kT + 30));
           },
           true},
          {"RevokeAppAuthorization",
           [&] { return store().RevokeAppAuthorization("8001", kT + 40); }, true},
          {"DeleteAppPublicKey",
           [&] { return store().DeleteAppPublicKey("7001", key.fingerprint); }, true},
          {"SetOAuthAppStatus",
           [&] { return store().SetOAuthAppStatus("7002", AppStatus::kDisabled); }, true},
          {"UpdateOAuthAppMeta",
           [&] { return store().UpdateOAuthAppMeta("7002", "renamed", "", {}); }, true},
          {"PurgeExpired",  // deletes the used JWT id, still no decision changes
           [&]() -> Status {
             auto purged = store().PurgeExpired(kT + 10'000);
             if (!purged) return purged.error();
             EXPECT_EQ(*purged, 1);
             return {};
           },
           false},
      });
}

TEST_P(OAuthStoreContract, TransactionRollsBackConsumption) {
  ASSERT_OK(store().CreateAuthorizationCode(MakeCode(HashOf('c', 1), "9001")));
  EXPECT_FALSE(backend()
                   .Transaction([&]() -> Status {
                     auto r = store().ConsumeAuthorizationCode(HashOf('c', 1), kT + 210);
                     EXPECT_TRUE(r.has_value());
                     return Error::Make(Errc::kInternal, "roll back");
                   })
                   .has_value());
  EXPECT_EQ(VALUE(store().ConsumeAuthorizationCode(HashOf('c', 1), kT + 220)).used_at, 0);
}

// --- schema

TEST(OAuthSchema, AuthorizationsWrittenBeforeVersion3AreAppAuthorizations) {
  const contract::TempDbPath db("schema_v3_default");
  auto opened = OpenStore("sqlite:" + db.path());
  ASSERT_TRUE(opened.has_value()) << opened.error().message;
  Store& store = **opened;
  ASSERT_OK(store.CreateUser(MakeUser("1001")));
  ASSERT_OK(store.CreateAccount(PersonalAccount("1001")));
  ASSERT_OK(store.CreateOAuthApp(MakeApp("7001", "1001", kT)));

  // A row as a version-2 binary wrote it: no kind column.
  auto conn = sqlite::SqliteConnection::Open(db.path(), /*uri=*/false);
  ASSERT_TRUE(conn.has_value()) << conn.error().message;
  static constexpr char kInsertV2[] =
      "INSERT INTO app_authorizations (id, app_id, account_id, enterprise_id, "
      "account_permissions, workspace_permissions, enterprise_permissions, all_workspaces, "
      "workspace_ids, authorized_by, created_at, revoked_at) "
      "VALUES ('8001', '7001', '1001', '', '', 'chat', '', 1, '', '1001', 5, 0)";
  ASSERT_OK((*conn)->Exec(kInsertV2, "insert v2 authorization"));

  const AppAuthorization a = VALUE(store.GetAppAuthorization("8001"));
  EXPECT_EQ(a.kind, AuthorizationKind::kAppAuth);
  EXPECT_EQ(a.grant.workspace_permissions, (std::vector<std::string>{"chat"}));
  EXPECT_TRUE(a.grant.all_workspaces);
}

}  // namespace
}  // namespace store
}  // namespace cozeauth
