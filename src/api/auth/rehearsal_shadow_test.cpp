// RehearsalShadow and RehearsalCounts on fakes: no rehearsal costs one check and no store read;
// a live rehearsal shadows requests on its workspace with the decision on the migrated facts
// (cut cuts a personal PAT, grant keeps it, an enterprise PAT that is denied today would pass),
// counts requests elsewhere of credentials that reach the workspace with their real outcome,
// and records nothing once expired, stopped, or past its migration; the counts reach the store
// in one batch per flush and are kept when the store refuses one.
#include "api/auth/rehearsal_shadow.hpp"

#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include "api/auth/rehearsal_counts.hpp"

namespace cozeauth::api {
namespace {

using credentials::ContextKind;
using credentials::TokenKind;
using domain::MigrationMode;

constexpr int64_t kNow = 1'750'000'000;

class FakeRehearsalStore : public store::RehearsalStore {
 public:
  Status CreateRehearsal(const domain::Rehearsal& r) override {
    rehearsals.push_back(r);
    return {};
  }
  Result<domain::Rehearsal> GetRehearsal(const std::string& id) override {
    for (const auto& r : rehearsals) {
      if (r.id == id) return r;
    }
    return Error::Make(Errc::kNotFound, "rehearsal not found");
  }
  Result<std::vector<domain::Rehearsal>> ListRehearsals(const std::string&) override {
    return rehearsals;
  }
  Result<std::vector<domain::Rehearsal>> ListLiveRehearsals(int64_t now) override {
    ++live_reads;
    if (fail) return Error::Make(Errc::kInternal, "store down");
    std::vector<domain::Rehearsal> out;
    for (const auto& r : rehearsals) {
      if (r.stopped_at == 0 && r.ends_at > now) out.push_back(r);
    }
    return out;
  }
  Status StopRehearsal(const std::string& id, int64_t at) override {
    for (auto& r : rehearsals) {
      if (r.id == id) r.stopped_at = at;
    }
    return {};
  }
  Status AddRehearsalCounts(const std::vector<domain::RehearsalCount>& rows) override {
    ++batches;
    if (fail) return Error::Make(Errc::kInternal, "store down");
    for (const auto& n : rows) {
      counts[{n.rehearsal_id, n.token_id, n.real_code, n.shadow_code}] += n.count;
    }
    return {};
  }
  Result<std::vector<domain::RehearsalCount>> ListRehearsalCounts(const std::string&) override {
    return Error::Make(Errc::kInternal, "unused");
  }

  std::vector<domain::Rehearsal> rehearsals;
  std::map<std::tuple<std::string, std::string, int, int>, int64_t> counts;
  bool fail = false;
  int live_reads = 0;
  int batches = 0;
};

// Workspace 3001 of personal account 1001 (user 1001 its admin); organization 2001 of ent_1,
// where user 1001 is a member; workspace 3002 elsewhere.
class FakeFacts : public ShadowFacts {
 public:
  policy::WorkspaceTarget Today(const std::string& workspace_id) override {
    policy::WorkspaceTarget t;
    t.workspace_id = workspace_id;
    t.exists = workspace_id == "3001" || workspace_id == "3002";
    t.owner_account_id = workspace_id == "3001" ? "1001" : "1009";
    t.owner_enterprise_id = migrated ? "ent_1" : "";
    if (migrated) t.owner_account_id = "2001";
    if (workspace_id == "3001") t.user_workspace_role = domain::WorkspaceRole::kAdmin;
    return t;
  }
  std::optional<domain::OrgRole> OrgRole(const std::string& org, const std::string& user) override {
    ++org_role_reads;
    if (org == "2001" && user == "1001") return domain::OrgRole::kMember;
    return std::nullopt;
  }
  bool migrated = false;
  int org_role_reads = 0;
};

// A token: its id and its principal.
struct Who {
  std::string token_id;
  policy::Principal principal;
};

Who Pat(const std::string& token_id, ContextKind kind, const std::string& account,
        const std::string& enterprise = "") {
  policy::Principal p;
  p.state = policy::CredentialState::kActive;
  p.kind = TokenKind::kPat;
  p.user_id = "1001";
  p.context = {kind, account, enterprise};
  p.grant.workspace_permissions = {"chat"};
  p.grant.all_workspaces = true;
  return {token_id, std::move(p)};
}

class RehearsalShadowTest : public ::testing::Test {
 protected:
  void Start(const std::string& id, MigrationMode mode, int64_t ends_at = kNow + 3600) {
    store_.rehearsals.push_back({id, "3001", "2001", "ent_1", mode, "1001", kNow, ends_at, 0});
    shadow_.Invalidate();  // what the store's epoch bump does in the server
  }

  // One request on `workspace` by `who`: the real decision, the shadow, the finish. Returns the
  // real answer's code, which the shadow must never change.
  int Request(const Who& who, const std::string& workspace) {
    ShadowNote note;
    shadow_.Begin(note);
    const policy::WorkspaceTarget target = facts_.Today(workspace);
    const policy::Principal& p = who.principal;
    const policy::Decision real = policy::Decide(p, "chat", target, Errc::kBotNotFound);
    shadow_.Shadow(note, p, "chat", target, Errc::kBotNotFound, real.allowed(), facts_);
    const int code = static_cast<int>(real.code);
    shadow_.Finish(note, p, who.token_id, code, facts_);
    return code;
  }

  int64_t Count(const std::string& rehearsal, const std::string& token, int real, int shadow) {
    ExpectFlushed();
    auto it = store_.counts.find({rehearsal, token, real, shadow});
    return it == store_.counts.end() ? 0 : it->second;
  }
  void ExpectFlushed() { EXPECT_TRUE(counts_.Flush().has_value()); }

  FakeRehearsalStore store_;
  FakeFacts facts_;
  FakeClock clock_{kNow};
  RehearsalCounts counts_{store_};
  RehearsalShadow shadow_{store_, clock_, counts_};
};

TEST_F(RehearsalShadowTest, WithoutARehearsalTheCheckReadsTheStoreOnceAndRecordsNothing) {
  const auto pat = Pat("t1", ContextKind::kPersonal, "1001");
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Request(pat, "3001"), 0);
  EXPECT_EQ(store_.live_reads, 1);  // the first request after start-up; then "none" is cached
  EXPECT_EQ(facts_.org_role_reads, 0);
  ExpectFlushed();
  EXPECT_EQ(store_.batches, 0);
  EXPECT_TRUE(shadow_.Live().empty());
}

TEST_F(RehearsalShadowTest, CutWouldCutAPersonalPatAndGrantWouldKeepIt) {
  Start("r_cut", MigrationMode::kCut);
  Start("r_grant", MigrationMode::kGrant);
  const auto pat = Pat("t1", ContextKind::kPersonal, "1001");
  EXPECT_EQ(Request(pat, "3001"), 0);  // the real answer is unchanged
  EXPECT_EQ(Request(pat, "3001"), 0);
  EXPECT_EQ(Count("r_cut", "t1", 0, 4101), 2);
  EXPECT_EQ(Count("r_grant", "t1", 0, 0), 2);
  EXPECT_EQ(shadow_.Live().size(), 2u);
}

TEST_F(RehearsalShadowTest, AnEnterprisePatDeniedTodayWouldPassAfterTheMigration) {
  Start("r1", MigrationMode::kCut);
  const auto ent = Pat("t9", ContextKind::kEnterprise, "2001", "ent_1");
  EXPECT_EQ(Request(ent, "3001"), static_cast<int>(Errc::kPermissionDenied));
  // Reaches it through the user's org role (member) and workspace role (admin) afterwards.
  EXPECT_EQ(Count("r1", "t9", 4101, 0), 1);
}

TEST_F(RehearsalShadowTest,
       RequestsElsewhereCountWithTheirRealOutcomeOnlyWhenTheyReachTheWorkspace) {
  Start("r1", MigrationMode::kCut);
  const auto pat = Pat("t1", ContextKind::kPersonal, "1001");
  EXPECT_EQ(Request(pat, "3002"), static_cast<int>(Errc::kPermissionDenied));  // not its account
  auto other = Pat("t2", ContextKind::kPersonal, "1009");
  other.principal.user_id = "1009";
  // Another account's PAT: denied on 3002 too (no role there), and it does not reach 3001.
  EXPECT_EQ(Request(other, "3002"), static_cast<int>(Errc::kPermissionDenied));
  EXPECT_EQ(Count("r1", "t1", 4101, 4101), 1);
  EXPECT_EQ(Count("r1", "t2", 4101, 4101), 0);
  EXPECT_EQ(store_.counts.size(), 1u);
}

TEST_F(RehearsalShadowTest, ExpiredStoppedOrMigratedRecordsNothing) {
  Start("r1", MigrationMode::kCut, kNow + 60);
  const auto pat = Pat("t1", ContextKind::kPersonal, "1001");
  clock_.Advance(60);  // ends_at is exclusive
  EXPECT_EQ(Request(pat, "3001"), 0);
  ExpectFlushed();
  EXPECT_TRUE(store_.counts.empty());

  clock_.Set(kNow);
  ASSERT_TRUE(store_.StopRehearsal("r1", kNow).has_value());  // r1 would be live again at kNow
  Start("r2", MigrationMode::kCut);
  ASSERT_TRUE(store_.StopRehearsal("r2", kNow).has_value());
  shadow_.Invalidate();
  EXPECT_EQ(Request(pat, "3001"), 0);
  ExpectFlushed();
  EXPECT_TRUE(store_.counts.empty());

  Start("r3", MigrationMode::kCut);
  facts_.migrated = true;  // the real migration ran: nothing left to rehearse
  auto ent = Pat("t9", ContextKind::kEnterprise, "2001", "ent_1");
  EXPECT_EQ(Request(ent, "3001"), 0);
  ExpectFlushed();
  EXPECT_TRUE(store_.counts.empty());
}

TEST_F(RehearsalShadowTest, AStoreFaultShadowsNothingAndTheNextRequestRetries) {
  Start("r1", MigrationMode::kCut);
  const auto pat = Pat("t1", ContextKind::kPersonal, "1001");
  store_.fail = true;
  EXPECT_EQ(Request(pat, "3001"), 0);
  store_.fail = false;
  EXPECT_EQ(Request(pat, "3001"), 0);
  EXPECT_EQ(Count("r1", "t1", 0, 4101), 1);
}

TEST_F(RehearsalShadowTest, ARefusedBatchIsKeptAndWrittenOnce) {
  Start("r1", MigrationMode::kCut);
  const auto pat = Pat("t1", ContextKind::kPersonal, "1001");
  EXPECT_EQ(Request(pat, "3001"), 0);
  store_.fail = true;
  EXPECT_FALSE(counts_.Flush().has_value());
  store_.fail = false;
  EXPECT_EQ(Request(pat, "3001"), 0);
  EXPECT_EQ(Count("r1", "t1", 0, 4101), 2);
  EXPECT_EQ(Count("r1", "t1", 0, 4101), 2);  // a second flush adds nothing
}

TEST(ShadowTargetTest, IsAfterMigrationWithTheRoleInTheNewOrganization) {
  policy::WorkspaceTarget today;
  today.exists = true;
  today.workspace_id = "3001";
  today.owner_account_id = "1001";
  today.user_workspace_role = domain::WorkspaceRole::kMember;
  today.bot_id = "4001";
  const domain::Rehearsal r{"r1", "3001", "2001", "ent_1", MigrationMode::kGrant, "1001", 0, 1, 0};
  const policy::WorkspaceTarget after = ShadowTarget(today, r, domain::OrgRole::kAdmin);
  const policy::WorkspaceTarget expected =
      policy::AfterMigration(today, "2001", "ent_1", MigrationMode::kGrant);
  EXPECT_EQ(after.owner_account_id, expected.owner_account_id);
  EXPECT_EQ(after.owner_enterprise_id, "ent_1");
  EXPECT_EQ(after.legacy_account_id, "1001");
  EXPECT_EQ(after.bot_id, "4001");
  EXPECT_EQ(after.user_workspace_role, domain::WorkspaceRole::kMember);
  EXPECT_EQ(after.user_org_role, domain::OrgRole::kAdmin);
}

}  // namespace
}  // namespace cozeauth::api
