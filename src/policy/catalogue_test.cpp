// Tests of the permission catalogue (coze-platform.md §2.3): unique names, lookup of both name
// forms, and validation of granted point lists.

#include "policy/catalogue.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace cozeauth::policy {
namespace {

TEST(Catalogue, NamesAreUniqueAndEntriesComplete) {
  std::set<std::string_view> seen;
  for (const auto& p : Catalogue()) {
    EXPECT_TRUE(seen.insert(p.name).second) << "duplicate point " << p.name;
    EXPECT_FALSE(p.name.empty());
    EXPECT_FALSE(p.group.empty()) << p.name;
    EXPECT_FALSE(p.description.empty()) << p.name;
  }
  EXPECT_FALSE(seen.empty());
}

TEST(Catalogue, FindPointOfEveryNameReturnsItself) {
  for (const auto& p : Catalogue()) {
    EXPECT_EQ(FindPoint(p.name), &p) << p.name;
    // Exact names win over the prefixed fallback, so prefixed canonicals find themselves too.
    if (p.name.find('.') == std::string_view::npos) {
      EXPECT_EQ(FindPoint("Res." + std::string(p.name)), &p) << p.name;
    }
  }
}

TEST(Catalogue, LevelsFollowTheSpec) {
  struct {
    std::string_view name;
    Level level;
  } cases[] = {
      {"chat", Level::kWorkspace},
      {"getMetadata", Level::kWorkspace},
      {"createBot", Level::kWorkspace},
      {"Workspace.update", Level::kWorkspace},
      {"readMember", Level::kWorkspace},
      {"run", Level::kWorkspace},
      {"listWorkspace", Level::kAccount},
      {"createWorkspace", Level::kAccount},
      {"createConversation", Level::kAccount},
      {"cancelChat", Level::kAccount},
      {"uploadFile", Level::kAccount},
      {"listVoice", Level::kAccount},
      {"Connector.botChat", Level::kAccount},
      {"getBenefit", Level::kEnterprise},
      {"Enterprise.batchAddPeople", Level::kEnterprise},
  };
  for (const auto& c : cases) {
    const PermissionPoint* p = FindPoint(c.name);
    ASSERT_NE(p, nullptr) << c.name;
    EXPECT_EQ(p->level, c.level) << c.name;
  }
}

TEST(Catalogue, FindPointNameForms) {
  struct {
    std::string_view given;
    const char* want;  // canonical name, nullptr = not found
  } cases[] = {
      {"getMetadata", "getMetadata"},
      {"Bot.getMetadata", "getMetadata"},
      {"Bot.chat", "chat"},
      {"Workspace.update", "Workspace.update"},
      {"Enterprise.batchAddPeople", "Enterprise.batchAddPeople"},
      {"update", nullptr},  // ambiguous bare form of a prefixed canonical
      {"batchAddPeople", "Enterprise.batchAddPeople"},  // bare form of an enterprise point
      {"botChat", "Connector.botChat"},
      {"Connector.botChat", "Connector.botChat"},
      {"Workflow.update", nullptr},
      {"getMedata", nullptr},    // the docs' typo is not silently accepted
      {"GetMetadata", nullptr},  // case-sensitive
      {"", nullptr},
      {".", nullptr},
      {"Bot.", nullptr},
      {"noSuchPoint", nullptr},
  };
  for (const auto& c : cases) {
    const PermissionPoint* p = FindPoint(c.given);
    if (c.want == nullptr) {
      EXPECT_EQ(p, nullptr) << c.given;
    } else {
      ASSERT_NE(p, nullptr) << c.given;
      EXPECT_EQ(p->name, c.want) << c.given;
    }
  }
}

TEST(Catalogue, LevelToString) {
  EXPECT_EQ(ToString(Level::kAccount), "account");
  EXPECT_EQ(ToString(Level::kWorkspace), "workspace");
  EXPECT_EQ(ToString(Level::kEnterprise), "enterprise");
}

TEST(CanonicalPoints, AcceptsCanonicalisesAndDedups) {
  struct {
    std::vector<std::string> in;
    Level level;
    std::vector<std::string> want;
  } cases[] = {
      {{}, Level::kAccount, {}},
      {{"getChat", "createConversation"}, Level::kAccount, {"getChat", "createConversation"}},
      {{"Bot.getMetadata"}, Level::kWorkspace, {"getMetadata"}},
      {{"chat", "Bot.chat", "chat", "run"}, Level::kWorkspace, {"chat", "run"}},
      {{"Workspace.update", "Workspace.update"}, Level::kWorkspace, {"Workspace.update"}},
      {{"getBenefit", "Enterprise.removePeople"},
       Level::kEnterprise,
       {"getBenefit", "Enterprise.removePeople"}},
  };
  for (const auto& c : cases) {
    auto r = CanonicalPoints(c.in, c.level, "permission_list");
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(*r, c.want);
  }
}

TEST(CanonicalPoints, RejectsUnknownAndWrongLevelNamingTheField) {
  struct {
    std::vector<std::string> in;
    Level level;
    std::string field;
    std::string offending;  // must appear in the message
  } cases[] = {
      {{"noSuchPoint"}, Level::kAccount, "account_permission", "noSuchPoint"},
      {{"getChat", "Bot.noSuchPoint"}, Level::kAccount, "account_permission", "Bot.noSuchPoint"},
      {{"chat"}, Level::kAccount, "account_permission", "chat"},
      {{"createConversation"}, Level::kWorkspace, "workspace_permission", "createConversation"},
      {{"getBenefit"}, Level::kWorkspace, "workspace_permission", "getBenefit"},
      {{"listWorkspace"}, Level::kEnterprise, "enterprise_permission", "listWorkspace"},
      // The first offending point is the one reported.
      {{"run", "getChat", "noSuchPoint"}, Level::kWorkspace, "workspace_permission", "getChat"},
      {{""}, Level::kAccount, "scope", "''"},
  };
  for (const auto& c : cases) {
    auto r = CanonicalPoints(c.in, c.level, c.field);
    ASSERT_FALSE(r.has_value()) << c.offending;
    EXPECT_EQ(static_cast<int>(r.error().code), static_cast<int>(Errc::kBadRequest)) << c.offending;
    EXPECT_EQ(r.error().field, c.field) << c.offending;
    EXPECT_NE(r.error().message.find(c.offending), std::string::npos) << r.error().message;
  }
}

TEST(CanonicalPoints, EveryCatalogueNameIsValidAtItsOwnLevelOnly) {
  for (const auto& p : Catalogue()) {
    for (Level level : {Level::kAccount, Level::kWorkspace, Level::kEnterprise}) {
      auto r = CanonicalPoints({std::string(p.name)}, level, "f");
      EXPECT_EQ(r.has_value(), level == p.level) << p.name << " at " << ToString(level);
    }
  }
}

}  // namespace
}  // namespace cozeauth::policy
