// The storage contract of CredentialStore (credential_store.hpp): API tokens by id and by digest,
// their updates, revocation and batched last-use times, written against the interface so that
// every backend runs it. Each TEST_P runs on an in-memory database and on a file (WAL, reader
// pool).

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/contract_test_rows.hpp"
#include "store/contract_test_support.hpp"
#include "store/store.hpp"

namespace cozeauth {
namespace store {
namespace {

using namespace contract;  // NOLINT(google-build-using-namespace): the suite's vocabulary

using credentials::Token;
using credentials::TokenKind;

class CredentialContract : public TenancySeededContractTest<CredentialStore> {};

COZEAUTH_STORE_CONTRACT(CredentialContract);

TEST_P(CredentialContract, MissingRowsAreNotFound) {
  SeedTenancy();
  const Token ghost = MakeToken("4999", HashOf(999), "1001");
  const std::string secret_hash = HashOf(998);
  ExpectNotFound({
      {"GetToken", [&] { return CodeOf(store().GetToken("4999")); }},
      {"UpdateToken", [&] { return CodeOf(store().UpdateToken(ghost)); }},
      {"RevokeToken", [&] { return CodeOf(store().RevokeToken("4999", 5)); }},
  });

  // Lookups by secret digest never echo the digest.
  ExpectNotFoundWithoutEcho(store().FindTokenByHash(secret_hash), secret_hash);
}

TEST_P(CredentialContract, DuplicatesAreAlreadyExists) {
  SeedTenancy();
  ASSERT_OK(store().CreateToken(MakeToken("4001", HashOf(1), "1001")));
  ExpectAlreadyExists(
      {
          {"same token hash", store().CreateToken(MakeToken("4002", HashOf(1), "1001"))},
          {"same token id", store().CreateToken(MakeToken("4001", HashOf(2), "1001"))},
      },
      HashOf(1));
  // The failed writes changed nothing.
  EXPECT_EQ(VALUE(store().FindTokenByHash(HashOf(1))).id, "4001");
  EXPECT_EQ(CodeOf(store().GetToken("4002")), Errc::kNotFound);
}

TEST_P(CredentialContract, TokensRoundTripEveryField) {
  SeedTenancy();
  Token full;
  full.id = "4001";
  full.kind = TokenKind::kSat;
  full.name = "deploy bot";
  full.token_hash = HashOf(1);
  full.user_id = "1001";
  full.context = {credentials::ContextKind::kEnterprise, "2001", "ent_1"};
  full.grant.account_permissions = {"Account.readMember", "createWorkspace"};
  full.grant.workspace_permissions = {"chat", "listBot", "Bot.publish"};
  full.grant.enterprise_permissions = {"Enterprise.listOrganization"};
  full.grant.all_workspaces = true;
  full.grant.workspace_ids = {"3001", "3002"};
  full.session_name = "session-7";
  full.created_at = 1'700'000'300;
  full.updated_at = 1'700'000'301;
  full.expires_at = 1'702'592'300;
  full.revoked_at = 0;
  full.last_used_at = 1'700'000'302;
  ASSERT_OK(store().CreateToken(full));
  // Defaults: empty lists, permanent, never used.
  Token bare = MakeToken("4002", HashOf(2), "1001");
  bare.grant = {};
  bare.kind = TokenKind::kPat;
  ASSERT_OK(store().CreateToken(bare));
  Token other_user = MakeToken("4003", HashOf(3), "1002");
  ASSERT_OK(store().CreateToken(other_user));

  EXPECT_EQ(Fields(VALUE(store().FindTokenByHash(HashOf(1)))), Fields(full));
  EXPECT_EQ(Fields(VALUE(store().GetToken("4001"))), Fields(full));
  EXPECT_EQ(Fields(VALUE(store().FindTokenByHash(HashOf(2)))), Fields(bare));

  EXPECT_EQ(Ids(VALUE(store().ListTokensOfUser("1001", TokenKind::kSat))),
            (std::vector<std::string>{"4001"}));
  auto all = Ids(VALUE(store().ListTokensOfUser("1001", std::nullopt)));
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, (std::vector<std::string>{"4001", "4002"}));
  EXPECT_TRUE(VALUE(store().ListTokensOfUser("1001", TokenKind::kOboAccess)).empty());

  // UpdateToken changes name, grant and expiry; RevokeToken keeps the first revocation time.
  Token changed = full;
  changed.name = "renamed";
  changed.grant.all_workspaces = false;
  changed.grant.workspace_ids = {"3002"};
  changed.grant.account_permissions = {};
  changed.expires_at = -1;
  changed.updated_at = 1'700'000'400;
  ASSERT_OK(store().UpdateToken(changed));
  EXPECT_EQ(Fields(VALUE(store().GetToken("4001"))), Fields(changed));
  ASSERT_OK(store().RevokeToken("4001", 1'700'000'500));
  ASSERT_OK(store().RevokeToken("4001", 1'700'000'600));
  EXPECT_EQ(VALUE(store().GetToken("4001")).revoked_at, 1'700'000'500);
}

TEST_P(CredentialContract, TouchTokensKeepsTheLatestUse) {
  ASSERT_OK(store().CreateToken(MakeToken("4001", HashOf(1), "1001")));
  ASSERT_OK(store().CreateToken(MakeToken("4002", HashOf(2), "1001")));
  EXPECT_EQ(VALUE(store().GetToken("4001")).last_used_at, -1);
  ASSERT_OK(store().TouchTokens({{"4001", 1'700'000'500},
                                 {"4002", 1'700'000'600},
                                 {"4999", 1'700'000'700}}));  // unknown ids are skipped
  EXPECT_EQ(VALUE(store().GetToken("4001")).last_used_at, 1'700'000'500);
  EXPECT_EQ(VALUE(store().GetToken("4002")).last_used_at, 1'700'000'600);
  // An older report (a batch that arrived late) never moves it back.
  ASSERT_OK(store().TouchTokens({{"4001", 1'700'000'400}, {"4002", 1'700'000'650}}));
  EXPECT_EQ(VALUE(store().GetToken("4001")).last_used_at, 1'700'000'500);
  EXPECT_EQ(VALUE(store().GetToken("4002")).last_used_at, 1'700'000'650);
  ASSERT_OK(store().TouchTokens({}));
}

// credential_store.hpp: "Bumps the auth epoch: UpdateToken, RevokeToken. CreateToken and
// TouchTokens do not."
TEST_P(CredentialContract, AuthEpochMovesExactlyOnTheListedWrites) {
  SeedTenancy();
  Token updated = MakeToken("4001", HashOf(1), "1001");
  updated.grant.workspace_permissions = {"chat"};
  ExpectEpochMoves(
      backend(),
      {
          {"CreateToken", [&] { return store().CreateToken(MakeToken("4001", HashOf(1), "1001")); },
           false},
          {"TouchTokens",
           [&] {
             return store().TouchTokens({{"4001", 1'700'001'000}});
           },
           false},
          {"UpdateToken", [&] { return store().UpdateToken(updated); }, true},
          {"RevokeToken", [&] { return store().RevokeToken("4001", 1'700'002'000); }, true},
      });
}

}  // namespace
}  // namespace store
}  // namespace cozeauth
