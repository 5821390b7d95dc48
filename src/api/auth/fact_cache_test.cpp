// FactCache on a fake tenancy store: each fact read once per generation (absent ones included),
// the owner's enterprise folded into the workspace facts, and Invalidate() making the next call
// read the store again.
#include "api/auth/fact_cache.hpp"

#include <gtest/gtest.h>

#include "api/auth/fake_stores.hpp"

namespace cozeauth::api {
namespace {

class FactCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    domain::Workspace w;
    w.id = "3001";
    w.owner_account_id = "2001";
    w.legacy_account_id = "1001";
    store_.workspaces["3001"] = w;
    domain::Account org;
    org.id = "2001";
    org.kind = domain::AccountKind::kOrganization;
    org.enterprise_id = "ent_1";
    store_.accounts["2001"] = org;
    store_.workspace_roles[{"3001", "1001"}] = domain::WorkspaceRole::kAdmin;
    store_.org_roles[{"2001", "1001"}] = domain::OrgRole::kMember;
  }

  fakes::FakeTenancyStore store_;
  FactCache facts_{store_, 4};
};

TEST_F(FactCacheTest, WorkspaceFactsCarryTheOwnersEnterprise) {
  const WorkspaceFacts f = facts_.Workspace("3001");
  EXPECT_TRUE(f.exists);
  EXPECT_EQ(f.owner_account_id, "2001");
  EXPECT_EQ(f.owner_enterprise_id, "ent_1");
  EXPECT_EQ(f.legacy_account_id, "1001");
  EXPECT_EQ(store_.reads, 2);  // the workspace and its owner account
  // Both are cached: the enterprise of the owner too.
  EXPECT_EQ(facts_.Workspace("3001").owner_enterprise_id, "ent_1");
  EXPECT_EQ(facts_.EnterpriseOfAccount("2001"), "ent_1");
  EXPECT_EQ(store_.reads, 2);
}

TEST_F(FactCacheTest, AbsentFactsAreCachedAsNone) {
  EXPECT_FALSE(facts_.Workspace("3999").exists);
  EXPECT_EQ(facts_.EnterpriseOfAccount("2999"), "");
  EXPECT_EQ(facts_.WorkspaceRole("3001", "1999"), std::nullopt);
  EXPECT_EQ(facts_.OrgRole("2001", "1999"), std::nullopt);
  const int reads = store_.reads;
  EXPECT_FALSE(facts_.Workspace("3999").exists);
  EXPECT_EQ(facts_.EnterpriseOfAccount("2999"), "");
  EXPECT_EQ(facts_.WorkspaceRole("3001", "1999"), std::nullopt);
  EXPECT_EQ(facts_.OrgRole("2001", "1999"), std::nullopt);
  EXPECT_EQ(store_.reads, reads);
  EXPECT_EQ(facts_.Counts().hits, 4u);
}

TEST_F(FactCacheTest, RolesAreKeptApartByKindWorkspaceAndUser) {
  EXPECT_EQ(facts_.WorkspaceRole("3001", "1001"), domain::WorkspaceRole::kAdmin);
  EXPECT_EQ(facts_.OrgRole("2001", "1001"), domain::OrgRole::kMember);
  // The same ids under the other kind of role, or swapped, are other facts.
  EXPECT_EQ(facts_.OrgRole("3001", "1001"), std::nullopt);
  EXPECT_EQ(facts_.WorkspaceRole("2001", "1001"), std::nullopt);
  EXPECT_EQ(facts_.WorkspaceRole("1001", "3001"), std::nullopt);
}

TEST_F(FactCacheTest, InvalidateMakesEveryFactReadAgain) {
  ASSERT_EQ(facts_.WorkspaceRole("3001", "1001"), domain::WorkspaceRole::kAdmin);
  ASSERT_EQ(facts_.Workspace("3001").owner_enterprise_id, "ent_1");
  // A migration moves the workspace and the member is demoted (both bump the auth epoch).
  store_.workspaces["3001"].owner_account_id = "2002";
  store_.accounts["2002"] = store_.accounts["2001"];
  store_.accounts["2002"].enterprise_id = "ent_2";
  store_.workspace_roles[{"3001", "1001"}] = domain::WorkspaceRole::kMember;
  EXPECT_EQ(facts_.WorkspaceRole("3001", "1001"), domain::WorkspaceRole::kAdmin);  // cached
  facts_.Invalidate();
  EXPECT_EQ(facts_.WorkspaceRole("3001", "1001"), domain::WorkspaceRole::kMember);
  const WorkspaceFacts f = facts_.Workspace("3001");
  EXPECT_EQ(f.owner_account_id, "2002");
  EXPECT_EQ(f.owner_enterprise_id, "ent_2");
}

}  // namespace
}  // namespace cozeauth::api
