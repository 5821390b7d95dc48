// The storage contract of MigrationStore (migration_store.hpp): MigrateWorkspace, the migrations
// list, the listings the plan reads, account grants, and which of these writes bump the auth
// epoch; written against the interface, on every backend (contract_test_support.hpp).

#include <gtest/gtest.h>

#include <array>
#include <latch>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "store/contract_test_support.hpp"
#include "store/store.hpp"

namespace cozeauth::store {
namespace {

using contract::CodeOf;
using credentials::Token;
using credentials::TokenKind;
using domain::GrantedCredential;
using domain::MigrationMode;

constexpr int64_t kT = 1'700'000'000;

Token MakeToken(const std::string& id, TokenKind kind, const std::string& account,
                const std::string& enterprise, int64_t expires_at, int64_t revoked_at = 0) {
  Token t;
  t.id = id;
  t.kind = kind;
  t.name = "t" + id;
  t.token_hash = "hash" + id;
  t.user_id = "1001";
  t.context = {enterprise.empty() ? credentials::ContextKind::kPersonal
                                  : credentials::ContextKind::kOrganization,
               account, enterprise};
  t.grant.workspace_permissions = {"chat"};
  t.grant.all_workspaces = true;
  t.grant.bot_ids = {"b1", "b2"};
  t.created_at = t.updated_at = kT;
  t.expires_at = expires_at;
  t.revoked_at = revoked_at;
  t.app_id = kind == TokenKind::kAppAccess ? "7001" : "";
  return t;
}

class MigrationStoreContract : public contract::AggregateContractTest<MigrationStore> {
 protected:
  // User 1001 with personal account 1001 and workspace 3001 (bots 4001, 4002); enterprise ent_1
  // with organization 2001.
  void Seed() override {
    ASSERT_OK(backend().CreateUser({"1001", "ann", "ann@x.test", "h", kT}));
    ASSERT_OK(backend().CreateAccount(
        {"1001", domain::AccountKind::kPersonal, "ann", "1001", "", false, kT}));
    ASSERT_OK(
        backend().CreateEnterprise({"ent_1", "Acme", domain::Edition::kTeam, "1001", "2001", kT}));
    ASSERT_OK(backend().CreateAccount(
        {"2001", domain::AccountKind::kOrganization, "Acme", "", "ent_1", true, kT}));
    domain::Workspace w;
    w.id = "3001";
    w.name = "W";
    w.owner_account_id = "1001";
    w.owner_user_id = "1001";
    w.type = domain::WorkspaceType::kPersonal;
    w.created_at = kT;
    ASSERT_OK(backend().CreateWorkspace(w));
    for (const char* id : {"4001", "4002"}) {
      domain::Bot b;
      b.id = id;
      b.workspace_id = "3001";
      b.name = id;
      b.owner_user_id = "1001";
      b.created_at = b.updated_at = kT;
      ASSERT_OK(backend().CreateBot(b));
    }
  }

  domain::Migration Move(const std::string& id, MigrationMode mode) {
    return {id, "3001", "1001", "2001", "ent_1", mode, "1001", kT + 10, R"({"plan":1})"};
  }
};

COZEAUTH_STORE_CONTRACT(MigrationStoreContract);

TEST_P(MigrationStoreContract, CutMovesOwnershipKeepsIdsAndRecordsTheMigration) {
  const int64_t epoch = VALUE(backend().AuthEpoch());
  ASSERT_OK(store().MigrateWorkspace(Move("9001", MigrationMode::kCut)));
  auto w = VALUE(backend().GetWorkspace("3001"));
  EXPECT_EQ(w.owner_account_id, "2001");
  EXPECT_EQ(w.type, domain::WorkspaceType::kTeam);
  EXPECT_EQ(w.legacy_account_id, "");
  EXPECT_EQ(VALUE(backend().GetBot("4001")).workspace_id, "3001");  // nothing moved but the owner
  EXPECT_GT(VALUE(backend().AuthEpoch()), epoch);
  auto m = VALUE(store().GetMigration("9001"));
  EXPECT_EQ(m.mode, MigrationMode::kCut);
  EXPECT_EQ(m.from_account_id, "1001");
  EXPECT_EQ(m.plan_json, R"({"plan":1})");
  EXPECT_EQ(VALUE(backend().ListWorkspacesOfEnterprise("ent_1")).size(), 1u);
  EXPECT_TRUE(VALUE(backend().ListWorkspacesOfAccount("1001")).empty());
}

TEST_P(MigrationStoreContract, GrantModeRemembersThePersonalAccount) {
  ASSERT_OK(store().MigrateWorkspace(Move("9001", MigrationMode::kGrant)));
  EXPECT_EQ(VALUE(backend().GetWorkspace("3001")).legacy_account_id, "1001");
  EXPECT_EQ(VALUE(backend().ListWorkspacesOfEnterprise("ent_1")).at(0).legacy_account_id, "1001");
}

TEST_P(MigrationStoreContract, UnknownWorkspaceWritesNothing) {
  auto m = Move("9001", MigrationMode::kCut);
  m.workspace_id = "3999";
  EXPECT_EQ(CodeOf(store().MigrateWorkspace(m)), Errc::kNotFound);
  EXPECT_EQ(CodeOf(store().GetMigration("9001")), Errc::kNotFound);
  EXPECT_TRUE(VALUE(store().ListMigrations("")).empty());
}

TEST_P(MigrationStoreContract, AMigrationFromAnAccountTheWorkspaceLeftWritesNothing) {
  ASSERT_OK(store().MigrateWorkspace(Move("9001", MigrationMode::kCut)));
  const int64_t epoch = VALUE(backend().AuthEpoch());
  const Status again = store().MigrateWorkspace(Move("9002", MigrationMode::kGrant));
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, Errc::kBadRequest);
  EXPECT_EQ(again.error().field, "workspace");
  EXPECT_EQ(CodeOf(store().GetMigration("9002")), Errc::kNotFound);
  EXPECT_EQ(VALUE(backend().GetWorkspace("3001")).legacy_account_id, "");  // still the cut's
  EXPECT_EQ(VALUE(backend().AuthEpoch()), epoch);
}

// Two store objects on one database (two nodes, or two processes on a SQLite file) migrating the
// same workspace at once, 20 times over: exactly one wins each time, the other is told.
TEST_P(MigrationStoreContract, TwoStoresMigratingOneWorkspaceAtOnceOneWins) {
  if (!GetParam().file) GTEST_SKIP() << "an in-memory store is one object";
  auto opened = OpenStore(url());
  ASSERT_TRUE(opened.has_value()) << opened.error().message;
  std::array<MigrationStore*, 2> nodes = {&store(), opened->get()};
  std::string from = "1001";
  for (int round = 0; round < 20; ++round) {
    // Each round moves the workspace on from where the last one left it.
    const std::string to = round % 2 == 0 ? "2001" : "1001";
    std::array<Status, 2> outcome;
    std::latch start(2);
    std::vector<std::thread> threads;
    for (int n = 0; n < 2; ++n) {
      threads.emplace_back([&, n] {
        domain::Migration m = Move(std::to_string(9000 + 2 * round + n), MigrationMode::kCut);
        m.from_account_id = from;
        m.to_account_id = to;
        start.arrive_and_wait();
        outcome[n] = nodes[n]->MigrateWorkspace(m);
      });
    }
    for (auto& t : threads) t.join();
    ASSERT_NE(outcome[0].has_value(), outcome[1].has_value()) << "round " << round;
    const Status& lost = outcome[0].has_value() ? outcome[1] : outcome[0];
    EXPECT_EQ(lost.error().code, Errc::kBadRequest) << lost.error().message;
    EXPECT_EQ(VALUE(backend().GetWorkspace("3001")).owner_account_id, to);
    from = to;
  }
  EXPECT_EQ(VALUE(store().ListMigrations("3001")).size(), 20u);
}

TEST_P(MigrationStoreContract, MigrationsListNewestFirstFilteredByWorkspace) {
  ASSERT_OK(store().MigrateWorkspace(Move("9001", MigrationMode::kCut)));
  auto later = Move("9002", MigrationMode::kGrant);
  later.from_account_id = "2001";  // from where the first one left it
  later.created_at = kT + 20;
  ASSERT_OK(store().MigrateWorkspace(later));
  auto all = VALUE(store().ListMigrations(""));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, "9002");
  EXPECT_EQ(VALUE(store().ListMigrations("3001")).size(), 2u);
  EXPECT_TRUE(VALUE(store().ListMigrations("3999")).empty());
}

TEST_P(MigrationStoreContract, ConversationsOfWorkspaceBotsCountsOnlyThatAccountsAndWorkspaces) {
  int64_t at = kT;
  auto conv = [&](const std::string& id, const std::string& bot, const std::string& owner) {
    domain::Conversation c;
    c.id = id;
    c.bot_id = bot;
    c.owner_account_id = owner;
    c.created_at = c.updated_at = ++at;
    return backend().CreateConversation(c);
  };
  ASSERT_OK(conv("5001", "4001", "1001"));
  ASSERT_OK(conv("5002", "4002", "1001"));
  ASSERT_OK(conv("5003", "4001", "2001"));  // another account's
  ASSERT_OK(conv("5004", "4999", "1001"));  // a bot of no workspace here
  auto page = VALUE(store().ListConversationsOfWorkspaceBots("3001", "1001", 1));
  EXPECT_EQ(page.total, 2);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].id, "5002");  // newest first
  EXPECT_TRUE(page.has_more);
}

TEST_P(MigrationStoreContract, LiveTokensOfAccountAndEnterprise) {
  ASSERT_OK(backend().CreateToken(MakeToken("6001", TokenKind::kPat, "1001", "", kT + 100)));
  ASSERT_OK(
      backend().CreateToken(MakeToken("6002", TokenKind::kPat, "1001", "", kT + 5)));  // expired
  ASSERT_OK(
      backend().CreateToken(MakeToken("6003", TokenKind::kPat, "1001", "", -1, kT)));  // revoked
  ASSERT_OK(backend().CreateToken(MakeToken("6004", TokenKind::kAppAccess, "2001", "ent_1", -1)));
  auto personal = VALUE(store().ListLiveTokensOfAccount("1001", kT + 10));
  ASSERT_EQ(personal.size(), 1u);
  EXPECT_EQ(personal[0].id, "6001");
  EXPECT_EQ(personal[0].grant.bot_ids, (std::vector<std::string>{"b1", "b2"}));
  auto ent = VALUE(store().ListLiveTokensOfEnterprise("ent_1", kT + 10));
  ASSERT_EQ(ent.size(), 1u);
  EXPECT_EQ(ent[0].id, "6004");
  EXPECT_EQ(ent[0].app_id, "7001");
  EXPECT_TRUE(VALUE(store().ListLiveTokensOfEnterprise("", kT)).empty());
}

TEST_P(MigrationStoreContract, AccountGrantsLifecycle) {
  const int64_t epoch = VALUE(backend().AuthEpoch());
  domain::AccountGrant g{"8001", "1001", "ent_1", GrantedCredential::kPat, "6001", "1001", kT, 0};
  ASSERT_OK(store().CreateAccountGrant(g));
  EXPECT_GT(VALUE(backend().AuthEpoch()), epoch);
  domain::AccountGrant app{"8002", "1001", "ent_1", GrantedCredential::kApp,
                           "7001", "1001", kT + 1,  0};
  ASSERT_OK(store().CreateAccountGrant(app));
  EXPECT_EQ(VALUE(store().GrantedAccounts(GrantedCredential::kPat, "6001")),
            std::vector<std::string>{"1001"});
  EXPECT_EQ(VALUE(store().GrantedAccounts(GrantedCredential::kApp, "7001")),
            std::vector<std::string>{"1001"});
  EXPECT_TRUE(VALUE(store().GrantedAccounts(GrantedCredential::kApp, "6001")).empty());

  const int64_t before_revoke = VALUE(backend().AuthEpoch());
  ASSERT_OK(store().RevokeAccountGrant("8001", kT + 50));
  ASSERT_OK(store().RevokeAccountGrant("8001", kT + 60));  // the first time stays
  EXPECT_GT(VALUE(backend().AuthEpoch()), before_revoke);
  EXPECT_EQ(VALUE(store().GetAccountGrant("8001")).revoked_at, kT + 50);
  EXPECT_TRUE(VALUE(store().GrantedAccounts(GrantedCredential::kPat, "6001")).empty());
  auto all = VALUE(store().ListAccountGrants("1001"));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, "8001");
  EXPECT_EQ(all[1].credential_kind, GrantedCredential::kApp);
  EXPECT_EQ(CodeOf(store().RevokeAccountGrant("8999", kT)), Errc::kNotFound);
  EXPECT_EQ(CodeOf(store().GetAccountGrant("8999")), Errc::kNotFound);
}

TEST_P(MigrationStoreContract, LiveAuthorizationsAndOboGrantsOfAccountOldestFirst) {
  credentials::OAuthApp app;
  app.id = "7001";
  app.client_id = "7001";
  app.owner_account_id = "1001";
  app.owner_user_id = "1001";
  app.name = "app";
  app.created_at = kT;
  ASSERT_OK(backend().CreateOAuthApp(app));
  // One authorization and one OBO consent per row: 1 and 2 live in account 1001 (created out of
  // order), 3 revoked below, 4 in another account.
  const std::vector<std::tuple<std::string, std::string, int64_t>> rows = {
      {"2", "1001", kT + 2}, {"1", "1001", kT + 1}, {"3", "1001", kT + 3}, {"4", "2001", kT + 4}};
  for (const auto& [n, account, at] : rows) {
    credentials::AppAuthorization a;
    a.id = "800" + n;
    a.app_id = "7001";
    a.kind = credentials::AuthorizationKind::kAppAuth;
    a.account_id = account;
    a.authorized_by = "1001";
    a.created_at = at;
    ASSERT_OK(backend().CreateAppAuthorization(a));
    credentials::OboGrant g;
    g.id = "900" + n;
    g.app_id = "7001";
    g.user_id = "1001";
    g.context = {credentials::ContextKind::kPersonal, account, ""};
    g.created_at = at;
    ASSERT_OK(backend().CreateOboGrant(g));
  }
  ASSERT_OK(backend().RevokeAppAuthorization("8003", kT + 5));
  ASSERT_OK(backend().RevokeOboGrant("9003", kT + 5));

  std::vector<std::string> ids;
  for (const auto& a : VALUE(store().ListAuthorizationsOfAccount("1001"))) ids.push_back(a.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"8001", "8002"}));
  ids.clear();
  for (const auto& g : VALUE(store().ListOboGrantsOfAccount("1001"))) ids.push_back(g.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"9001", "9002"}));
  EXPECT_TRUE(VALUE(store().ListOboGrantsOfAccount("1999")).empty());
}

// migration_store.hpp: "Bumps the auth epoch: MigrateWorkspace, CreateAccountGrant,
// RevokeAccountGrant."
TEST_P(MigrationStoreContract, AuthEpochMovesExactlyOnTheListedWrites) {
  contract::ExpectEpochMoves(
      backend(),
      {
          {"MigrateWorkspace",
           [&] { return store().MigrateWorkspace(Move("9001", MigrationMode::kGrant)); }, true},
          {"CreateAccountGrant",
           [&] {
             return store().CreateAccountGrant(
                 {"8001", "1001", "ent_1", GrantedCredential::kPat, "6001", "1001", kT, 0});
           },
           true},
          {"RevokeAccountGrant", [&] { return store().RevokeAccountGrant("8001", kT + 50); }, true},
      });
}

}  // namespace
}  // namespace cozeauth::store
