// The storage contract of TenancyStore (tenancy_store.hpp): users, accounts, enterprises,
// workspaces and the roles of members, written against the interface so that every backend runs
// it. Each TEST_P runs on an in-memory database and on a file (WAL, reader pool).

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

class TenancyContract : public TenancySeededContractTest<TenancyStore> {};

COZEAUTH_STORE_CONTRACT(TenancyContract);

TEST_P(TenancyContract, CreatesAndGetsEachEntity) {
  SeedTenancy();
  EXPECT_EQ(Fields(VALUE(store().GetUser("1001"))), Fields(MakeUser("1001", "alice@example.com")));
  EXPECT_EQ(Fields(VALUE(store().GetAccount("1001"))), Fields(PersonalAccount("1001")));
  domain::Account org = Organization("2001", "ent_1");
  org.is_default = true;
  EXPECT_EQ(Fields(VALUE(store().GetAccount("2001"))), Fields(org));
  EXPECT_EQ(Fields(VALUE(store().GetEnterprise("ent_1"))),
            Fields(MakeEnterprise("ent_1", "1001", "2001")));
  EXPECT_EQ(Fields(VALUE(store().GetWorkspace("3002"))),
            Fields(MakeWorkspace("3002", "2001", "1001", 1'700'000'011)));
}

TEST_P(TenancyContract, UsersByEmailCountAndList) {
  ASSERT_OK(store().CreateUser(MakeUser("1002", "Bob@Example.com")));
  ASSERT_OK(store().CreateUser(MakeUser("1001", "alice@example.com")));
  // Users without an email do not collide with each other.
  ASSERT_OK(store().CreateUser(MakeUser("1003", "")));
  ASSERT_OK(store().CreateUser(MakeUser("1004", "")));

  EXPECT_EQ(VALUE(store().FindUserByEmail("bob@example.com")).id, "1002");
  EXPECT_EQ(VALUE(store().FindUserByEmail("alice@example.com")).id, "1001");
  EXPECT_EQ(CodeOf(store().FindUserByEmail("carol@example.com")), Errc::kNotFound);
  EXPECT_EQ(CodeOf(store().FindUserByEmail("")), Errc::kNotFound);
  EXPECT_EQ(VALUE(store().GetUser("1003")).email, "");
  EXPECT_EQ(VALUE(store().CountUsers()), 4);
  EXPECT_EQ(Ids(VALUE(store().ListUsers())),
            (std::vector<std::string>{"1001", "1002", "1003", "1004"}));
}

TEST_P(TenancyContract, SetUserPasswordReplacesThatUsersHashOnly) {
  ASSERT_OK(store().CreateUser(MakeUser("1001", "alice@example.com")));
  ASSERT_OK(store().CreateUser(MakeUser("1002", "bob@example.com")));
  const std::string bob_before = VALUE(store().GetUser("1002")).password_hash;
  ASSERT_OK(store().SetUserPassword("1001", "$argon2id$v=19$new"));
  EXPECT_EQ(VALUE(store().GetUser("1001")).password_hash, "$argon2id$v=19$new");
  EXPECT_EQ(VALUE(store().GetUser("1002")).password_hash, bob_before);
  EXPECT_EQ(CodeOf(store().SetUserPassword("1009", "x")), Errc::kNotFound);
}

TEST_P(TenancyContract, MissingRowsAreNotFound) {
  SeedTenancy();
  ExpectNotFound({
      {"GetUser", [&] { return CodeOf(store().GetUser("1999")); }},
      {"GetAccount", [&] { return CodeOf(store().GetAccount("2999")); }},
      {"GetEnterprise", [&] { return CodeOf(store().GetEnterprise("ent_9")); }},
      {"UpdateEdition",
       [&] { return CodeOf(store().UpdateEnterpriseEdition("ent_9", domain::Edition::kTeam)); }},
      {"GetWorkspace", [&] { return CodeOf(store().GetWorkspace("3999")); }},
      {"RemoveWorkspaceMember",
       [&] { return CodeOf(store().RemoveWorkspaceMember("3001", "1002")); }},
      {"RemoveOrgMember", [&] { return CodeOf(store().RemoveOrgMember("2001", "1002")); }},
      {"RemoveEnterpriseMember",
       [&] { return CodeOf(store().RemoveEnterpriseMember("ent_1", "1002")); }},
      // Foreign keys: a membership or child row needs its parent.
      {"SetWorkspaceRoleUnknownWorkspace",
       [&] {
         return CodeOf(store().SetWorkspaceRole("3999", "1001", domain::WorkspaceRole::kMember));
       }},
      {"SetOrgRoleUnknownUser",
       [&] { return CodeOf(store().SetOrgRole("2001", "1999", domain::OrgRole::kMember)); }},
  });

  // Messages name what is missing.
  auto user = store().GetUser("1999");
  ASSERT_FALSE(user.has_value());
  EXPECT_NE(user.error().message.find("user 1999"), std::string::npos) << user.error().message;
}

TEST_P(TenancyContract, DuplicatesAreAlreadyExists) {
  SeedTenancy();
  ExpectAlreadyExists(
      {
          {"same email", store().CreateUser(MakeUser("1009", "alice@example.com"))},
          {"email differing in case", store().CreateUser(MakeUser("1009", "ALICE@example.com"))},
          {"same user id", store().CreateUser(MakeUser("1001", "new@example.com"))},
          {"same workspace id",
           store().CreateWorkspace(MakeWorkspace("3001", "1001", "1001", 1'700'000'010))},
      },
      HashOf(1));
  // The failed writes changed nothing.
  EXPECT_EQ(VALUE(store().CountUsers()), 2);
}

TEST_P(TenancyContract, RolesSetOverwriteListAndRemove) {
  SeedTenancy();
  // Each scope exposes the same five operations; roles are compared by name.
  struct Scope {
    const char* name;
    std::function<Status(const std::string& user, int role)> set;
    std::function<Result<std::optional<std::string>>(const std::string& user)> get;
    std::function<Result<std::vector<domain::Member>>()> list;  // null: no list operation
    std::function<Status(const std::string& user)> remove;
    std::vector<std::string> role_names;  // role index -> name
  };
  auto org_role = [](int r) { return static_cast<domain::OrgRole>(r); };
  auto ws_role = [](int r) { return static_cast<domain::WorkspaceRole>(r); };
  auto name_of = [](auto optional_role) -> std::optional<std::string> {
    if (!optional_role) return std::nullopt;
    return std::string(domain::ToString(*optional_role));
  };
  const std::vector<Scope> scopes = {
      {"enterprise",
       [&](const std::string& u, int r) {
         return store().SetEnterpriseRole("ent_1", u, org_role(r));
       },
       [&](const std::string& u) {
         return store().GetEnterpriseRole("ent_1", u).transform(name_of);
       },
       [&] { return store().ListEnterpriseMembers("ent_1"); },
       [&](const std::string& u) { return store().RemoveEnterpriseMember("ent_1", u); },
       {"super_admin", "admin", "member", "guest"}},
      {"organization",
       [&](const std::string& u, int r) { return store().SetOrgRole("2001", u, org_role(r)); },
       [&](const std::string& u) { return store().GetOrgRole("2001", u).transform(name_of); },
       nullptr,
       [&](const std::string& u) { return store().RemoveOrgMember("2001", u); },
       {"super_admin", "admin", "member", "guest"}},
      {"workspace",
       [&](const std::string& u, int r) { return store().SetWorkspaceRole("3002", u, ws_role(r)); },
       [&](const std::string& u) { return store().GetWorkspaceRole("3002", u).transform(name_of); },
       [&] { return store().ListWorkspaceMembers("3002"); },
       [&](const std::string& u) { return store().RemoveWorkspaceMember("3002", u); },
       {"owner", "admin", "member"}},
  };
  for (const auto& s : scopes) {
    SCOPED_TRACE(s.name);
    EXPECT_FALSE(VALUE(s.get("1001")).has_value());
    ASSERT_OK(s.set("1001", 0));
    ASSERT_OK(s.set("1002", 2));
    EXPECT_EQ(VALUE(s.get("1001")), s.role_names[0]);
    EXPECT_EQ(VALUE(s.get("1002")), s.role_names[2]);
    ASSERT_OK(s.set("1002", 1));  // overwrite
    EXPECT_EQ(VALUE(s.get("1002")), s.role_names[1]);
    if (s.list) {
      auto members = VALUE(s.list());
      ASSERT_EQ(members.size(), 2u);
      std::sort(members.begin(), members.end(),
                [](const auto& a, const auto& b) { return a.user_id < b.user_id; });
      EXPECT_EQ(members[0].user_id, "1001");
      EXPECT_EQ(members[0].role, s.role_names[0]);
      EXPECT_EQ(members[1].user_id, "1002");
      EXPECT_EQ(members[1].role, s.role_names[1]);
      EXPECT_GT(members[1].joined_at, 0);
    }
    ASSERT_OK(s.remove("1002"));
    EXPECT_FALSE(VALUE(s.get("1002")).has_value());
    EXPECT_EQ(VALUE(s.get("1001")), s.role_names[0]);
    EXPECT_EQ(CodeOf(s.remove("1002")), Errc::kNotFound);
  }
}

TEST_P(TenancyContract, EnterpriseListings) {
  SeedTenancy();  // ent_1 with organization 2001 owning workspace 3002; personal 3001
  ASSERT_OK(store().CreateAccount(Organization("2002", "ent_1", 1'700'000'020)));
  ASSERT_OK(store().CreateWorkspace(MakeWorkspace("3003", "2002", "1001", 1'700'000'030)));
  ASSERT_OK(store().CreateWorkspace(MakeWorkspace("3004", "2001", "1002", 1'700'000'040)));
  ASSERT_OK(store().CreateEnterprise(MakeEnterprise("ent_2", "1002", "2101")));
  ASSERT_OK(store().CreateAccount(Organization("2101", "ent_2")));
  ASSERT_OK(store().CreateWorkspace(MakeWorkspace("3101", "2101", "1002", 1'700'000'050)));

  EXPECT_EQ(Ids(VALUE(store().ListWorkspacesOfEnterprise("ent_1"))),
            (std::vector<std::string>{"3002", "3003", "3004"}));
  EXPECT_EQ(Ids(VALUE(store().ListWorkspacesOfEnterprise("ent_2"))),
            (std::vector<std::string>{"3101"}));
  EXPECT_TRUE(VALUE(store().ListWorkspacesOfEnterprise("ent_9")).empty());
  EXPECT_EQ(Ids(VALUE(store().ListWorkspacesOfAccount("2001"))),
            (std::vector<std::string>{"3002", "3004"}));
  EXPECT_EQ(Ids(VALUE(store().ListWorkspacesOfAccount("1001"))),
            (std::vector<std::string>{"3001"}));
  EXPECT_EQ(Ids(VALUE(store().ListOrganizations("ent_1"))),
            (std::vector<std::string>{"2001", "2002"}));

  // A role in the enterprise or in one of its organizations makes it the user's.
  EXPECT_TRUE(VALUE(store().ListEnterprisesOfUser("1002")).empty());
  ASSERT_OK(store().SetOrgRole("2101", "1002", domain::OrgRole::kMember));
  EXPECT_EQ(Ids(VALUE(store().ListEnterprisesOfUser("1002"))), (std::vector<std::string>{"ent_2"}));
  ASSERT_OK(store().SetEnterpriseRole("ent_1", "1002", domain::OrgRole::kAdmin));
  EXPECT_EQ(Ids(VALUE(store().ListEnterprisesOfUser("1002"))),
            (std::vector<std::string>{"ent_1", "ent_2"}));

  ASSERT_OK(store().UpdateEnterpriseEdition("ent_1", domain::Edition::kEnterprise));
  EXPECT_EQ(VALUE(store().GetEnterprise("ent_1")).edition, domain::Edition::kEnterprise);
}

// tenancy_store.hpp: "Bumps the auth epoch: UpdateEnterpriseEdition, SetEnterpriseRole,
// RemoveEnterpriseMember, SetOrgRole, RemoveOrgMember, CreateWorkspace, SetWorkspaceRole,
// RemoveWorkspaceMember"; the creations of users, accounts and enterprises do not.
TEST_P(TenancyContract, AuthEpochMovesExactlyOnTheListedWrites) {
  SeedTenancy();
  ASSERT_OK(store().SetWorkspaceRole("3002", "1002", domain::WorkspaceRole::kMember));
  ExpectEpochMoves(
      backend(),
      {
          {"CreateUser", [&] { return store().CreateUser(MakeUser("1005", "e@example.com")); },
           false},
          {"CreateAccount", [&] { return store().CreateAccount(PersonalAccount("1005")); }, false},
          {"SetUserPassword", [&] { return store().SetUserPassword("1005", "h2"); }, false},
          {"CreateEnterprise",
           [&] { return store().CreateEnterprise(MakeEnterprise("ent_5", "1005", "2005")); },
           false},
          {"SetWorkspaceRole",
           [&] { return store().SetWorkspaceRole("3002", "1001", domain::WorkspaceRole::kAdmin); },
           true},
          {"RemoveWorkspaceMember", [&] { return store().RemoveWorkspaceMember("3002", "1002"); },
           true},
          {"SetOrgRole",
           [&] { return store().SetOrgRole("2001", "1002", domain::OrgRole::kGuest); }, true},
          {"RemoveOrgMember", [&] { return store().RemoveOrgMember("2001", "1002"); }, true},
          {"SetEnterpriseRole",
           [&] { return store().SetEnterpriseRole("ent_1", "1002", domain::OrgRole::kMember); },
           true},
          {"RemoveEnterpriseMember",
           [&] { return store().RemoveEnterpriseMember("ent_1", "1002"); }, true},
          {"UpdateEnterpriseEdition",
           [&] { return store().UpdateEnterpriseEdition("ent_1", domain::Edition::kEnterprise); },
           true},
          {"CreateWorkspace",
           [&] { return store().CreateWorkspace(MakeWorkspace("3009", "2001", "1001", 5)); }, true},
      });
}

}  // namespace
}  // namespace store
}  // namespace cozeauth
