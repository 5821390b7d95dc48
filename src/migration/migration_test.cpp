// The migration plan and the live decision give one answer (issue 9, item 2). For every kind of
// credential (PAT, SAT, AppAuth app token, OBO token), every context (the personal account that
// owns the workspace; the target organization; the whole enterprise) and every scope (all
// workspaces, the workspace listed, another workspace listed), in both modes: the plan's fate of
// the credential — its row today, keeps_with_cut / keeps_with_grant, and, for an enterprise-side
// credential, whether it covers the personal one — equals policy::Decide on the facts the store
// holds after the real migration, loaded as a request loads them (api::Call::WorkspaceTarget,
// the authenticator's Principal). The expected column pins the product rule itself
// (coze-platform.md §6.4): grant keeps personal PAT and AppAuth, cut keeps nothing personal.
#include "migration/migration.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "admin/oauth_apps.hpp"
#include "admin/operations.hpp"
#include "oauth/obo.hpp"
#include "policy/decision.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace cozeauth::domain {
// Found by argument-dependent lookup when gtest prints a parameter: "cut" or "grant".
void PrintTo(MigrationMode m, std::ostream* os) { *os << ToString(m); }
}  // namespace cozeauth::domain

namespace cozeauth::migration {
namespace {

using credentials::ContextKind;
using credentials::TokenKind;
using domain::MigrationMode;

constexpr char kPoint[] = "chat";  // a workspace-level point every credential here holds

enum class Cred { kPat, kSat, kAppAuth, kObo };
enum class Where { kPersonal, kOrganization, kEnterprise };
enum class Scope { kAll, kThisWorkspace, kOtherWorkspace };

struct Case {
  const char* name;
  Cred cred;
  Where where;
  Scope scope;
  bool reaches_today;  // a request before the migration is allowed
  bool after_cut;      // … after a cut migration
  bool after_grant;    // … after a grant migration
};
// gtest prints a parameter in test listings and failures: the case's name, not its bytes.
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

// Personal credentials reach the personal workspace when their scope names it; enterprise-side
// ones do not reach it before it moves, and after it only with an all-workspaces scope.
constexpr Case kCases[] = {
    {"personal_pat_all", Cred::kPat, Where::kPersonal, Scope::kAll, true, false, true},
    {"personal_pat_listed", Cred::kPat, Where::kPersonal, Scope::kThisWorkspace, true, false, true},
    {"personal_pat_other", Cred::kPat, Where::kPersonal, Scope::kOtherWorkspace, false, false,
     false},
    {"personal_sat_all", Cred::kSat, Where::kPersonal, Scope::kAll, true, false, false},
    {"personal_sat_listed", Cred::kSat, Where::kPersonal, Scope::kThisWorkspace, true, false,
     false},
    {"personal_sat_other", Cred::kSat, Where::kPersonal, Scope::kOtherWorkspace, false, false,
     false},
    {"personal_app_all", Cred::kAppAuth, Where::kPersonal, Scope::kAll, true, false, true},
    {"personal_app_listed", Cred::kAppAuth, Where::kPersonal, Scope::kThisWorkspace, true, false,
     true},
    {"personal_app_other", Cred::kAppAuth, Where::kPersonal, Scope::kOtherWorkspace, false, false,
     false},
    {"personal_obo_all", Cred::kObo, Where::kPersonal, Scope::kAll, true, false, false},
    {"personal_obo_listed", Cred::kObo, Where::kPersonal, Scope::kThisWorkspace, true, false,
     false},
    {"personal_obo_other", Cred::kObo, Where::kPersonal, Scope::kOtherWorkspace, false, false,
     false},
    {"org_pat_all", Cred::kPat, Where::kOrganization, Scope::kAll, false, true, true},
    {"org_pat_listed", Cred::kPat, Where::kOrganization, Scope::kOtherWorkspace, false, false,
     false},
    {"org_sat_all", Cred::kSat, Where::kOrganization, Scope::kAll, false, true, true},
    {"org_sat_listed", Cred::kSat, Where::kOrganization, Scope::kOtherWorkspace, false, false,
     false},
    {"enterprise_pat_all", Cred::kPat, Where::kEnterprise, Scope::kAll, false, true, true},
    {"org_app_all", Cred::kAppAuth, Where::kOrganization, Scope::kAll, false, true, true},
    {"org_app_listed", Cred::kAppAuth, Where::kOrganization, Scope::kOtherWorkspace, false, false,
     false},
    {"enterprise_app_all", Cred::kAppAuth, Where::kEnterprise, Scope::kAll, false, true, true},
    {"enterprise_obo_all", Cred::kObo, Where::kEnterprise, Scope::kAll, false, true, true},
};

class MigrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ann_ = admin::CreateUser(env_, "ann", "ann@x.test", "Passw0rd-ann").value();
    workspace_ = admin::CreateWorkspace(env_, ann_.id, ann_.id, "W").value();
    other_ = admin::CreateWorkspace(env_, ann_.id, ann_.id, "Other").value();
    auto ent = admin::CreateEnterprise(env_, "E", ann_.id, domain::Edition::kEnterprise).value();
    enterprise_ = ent.enterprise;
    org_ = ent.default_org;
    org_workspace_ = admin::CreateWorkspace(env_, org_.id, ann_.id, "OrgW").value();
    // Grant mode needs a PAT or AppAuth credential to grant; this one makes it possible for
    // every case, and is itself a personal PAT like the first case.
    keeper_ = Pat(ann_.id, /*all=*/true, {});
  }

  // A personal (account_id "") or organization PAT/SAT through admin::CreateToken.
  credentials::Token AdminToken(TokenKind kind, const std::string& account_id, bool all,
                                std::vector<std::string> ids) {
    admin::TokenSpec spec;
    spec.kind = kind;
    spec.user_id = ann_.id;
    spec.account_id = account_id;
    spec.name = "t" + std::to_string(++n_);
    if (kind == TokenKind::kPat) spec.days = 30;
    spec.workspace_permissions = {kPoint};
    spec.all_workspaces = all;
    spec.workspace_ids = std::move(ids);
    auto t = admin::CreateToken(env_, spec);
    EXPECT_TRUE(t.has_value()) << (t ? "" : t.error().message);
    return t ? t->token : credentials::Token{};
  }
  credentials::Token Pat(const std::string& account_id, bool all, std::vector<std::string> ids) {
    return AdminToken(TokenKind::kPat, account_id == ann_.id ? "" : account_id, all,
                      std::move(ids));
  }

  // A token as the OAuth endpoints mint it (oauth::ExchangeJwtBearer, the OBO grants): the
  // authorization's or consent's context and grant.
  credentials::Token OAuthToken(TokenKind kind, const std::string& user_id,
                                credentials::Context context, credentials::Grant grant,
                                const std::string& app_id, const std::string& authorization_id) {
    credentials::Token t;
    t.id = ids_.Next();
    t.kind = kind;
    t.name = "oauth" + std::to_string(++n_);
    t.token_hash = credentials::MintToken(kind, random_).hash_hex;
    t.user_id = user_id;
    t.context = std::move(context);
    t.grant = std::move(grant);
    t.app_id = app_id;
    t.authorization_id = authorization_id;
    t.created_at = t.updated_at = clock_.NowSeconds();
    t.expires_at = clock_.NowSeconds() + 900;
    EXPECT_TRUE(store_->CreateToken(t).has_value());
    return t;
  }

  credentials::OAuthApp App(credentials::ClientType type) {
    admin::AppSpec spec;
    spec.owner_account_id = spec.owner_user_id = ann_.id;
    spec.name = "app" + std::to_string(++n_);
    spec.client_type = type;
    if (type == credentials::ClientType::kWeb) spec.redirect_uris = {"http://localhost:8080/cb"};
    spec.workspace_permissions = {kPoint};
    auto app = admin::CreateApp(env_, spec);
    EXPECT_TRUE(app.has_value()) << (app ? "" : app.error().message);
    return app ? app.value() : credentials::OAuthApp{};
  }

  credentials::AppAuthorization Authorize(const credentials::OAuthApp& app,
                                          credentials::AuthorizationKind kind,
                                          const std::string& account_id,
                                          const std::string& enterprise_id, bool all,
                                          std::vector<std::string> ids) {
    admin::AuthorizeSpec spec;
    spec.app_id = app.id;
    spec.kind = kind;
    spec.actor_user_id = ann_.id;
    spec.account_id = account_id;
    spec.enterprise_id = enterprise_id;
    spec.all_workspaces = all;
    spec.workspace_ids = std::move(ids);
    auto a = admin::AuthorizeApp(env_, spec);
    EXPECT_TRUE(a.has_value()) << (a ? "" : a.error().message);
    return a ? a.value() : credentials::AppAuthorization{};
  }

  // The credential of the case: its token (what a request presents) and the id of its row in
  // the plan (token, authorization or consent id). Enterprise-side credentials have no row;
  // `partner` is the personal credential of the same kind whose coverage they decide.
  struct Made {
    credentials::Token token;
    std::string row_id;
    std::string partner_row_id;
  };

  Made Make(const Case& c) {
    const bool all = c.scope == Scope::kAll;
    std::vector<std::string> ids;
    if (c.scope == Scope::kThisWorkspace) ids = {workspace_.id};
    if (c.scope == Scope::kOtherWorkspace) {
      ids = {c.where == Where::kPersonal ? other_.id : org_workspace_.id};
    }
    const credentials::Context personal{ContextKind::kPersonal, ann_.id, ""};
    const credentials::Context in_org{ContextKind::kOrganization, org_.id, enterprise_.id};
    const credentials::Context in_enterprise{ContextKind::kEnterprise, org_.id, enterprise_.id};
    Made m;
    switch (c.cred) {
      case Cred::kPat:
        if (c.where == Where::kEnterprise) {  // no admin path mints these; the store holds them
          credentials::Grant g;
          g.workspace_permissions = {kPoint};
          g.all_workspaces = all;
          g.workspace_ids = ids;
          m.token = OAuthToken(TokenKind::kPat, ann_.id, in_enterprise, g, "", "");
        } else {
          m.token = Pat(c.where == Where::kPersonal ? ann_.id : org_.id, all, ids);
        }
        m.row_id = m.token.id;
        m.partner_row_id = keeper_.id;
        return m;
      case Cred::kSat: {
        const std::string partner = AdminToken(TokenKind::kSat, "", true, {}).id;
        if (c.where == Where::kPersonal) {
          m.token = AdminToken(TokenKind::kSat, "", all, ids);
        } else {
          m.token = AdminToken(TokenKind::kSat, org_.id, all, ids);
        }
        m.row_id = m.token.id;
        m.partner_row_id = partner;
        return m;
      }
      case Cred::kAppAuth: {
        const auto app = App(credentials::ClientType::kService);
        const auto kind = credentials::AuthorizationKind::kAppAuth;
        const std::string partner = c.where == Where::kPersonal
                                        ? std::string()
                                        : Authorize(app, kind, ann_.id, "", true, {}).id;
        credentials::AppAuthorization a;
        if (c.where == Where::kPersonal) a = Authorize(app, kind, ann_.id, "", all, ids);
        if (c.where == Where::kOrganization) a = Authorize(app, kind, org_.id, "", all, ids);
        if (c.where == Where::kEnterprise) a = Authorize(app, kind, "", enterprise_.id, all, ids);
        const credentials::Context& context = c.where == Where::kPersonal       ? personal
                                              : c.where == Where::kOrganization ? in_org
                                                                                : in_enterprise;
        m.token = OAuthToken(TokenKind::kAppAccess, "", context, a.grant, app.id, a.id);
        m.row_id = a.id;
        m.partner_row_id = partner;
        return m;
      }
      case Cred::kObo: {
        const auto app = App(credentials::ClientType::kWeb);
        oauth::Env oauth_env{*store_, clock_, random_, ids_};
        if (c.where == Where::kPersonal) {
          auto g = oauth::Consent(oauth_env, app, ann_.id, "personal",
                                  c.scope == Scope::kAll ? "" : ids.front());
          EXPECT_TRUE(g.has_value()) << (g ? "" : g.error().message);
          m.token = OAuthToken(TokenKind::kOboAccess, ann_.id, g->context, g->grant, app.id, g->id);
          m.row_id = g->id;
          return m;
        }
        // The partner: a personal consent, covered once the app is installed in the enterprise
        // and the user consents there.
        auto partner = oauth::Consent(oauth_env, app, ann_.id, "personal", "");
        EXPECT_TRUE(partner.has_value()) << (partner ? "" : partner.error().message);
        m.partner_row_id = partner->id;
        Authorize(app, credentials::AuthorizationKind::kOboInstall, "", enterprise_.id, true, {});
        auto places = oauth::ConsentPlaces(oauth_env, app, ann_.id, "");
        EXPECT_TRUE(places.has_value());
        std::string key;
        for (const auto& p : places.value()) {
          if (p.key() != "personal") key = p.key();
        }
        auto g = oauth::Consent(oauth_env, app, ann_.id, key, "");
        EXPECT_TRUE(g.has_value()) << (g ? "" : g.error().message);
        m.token = OAuthToken(TokenKind::kOboAccess, ann_.id, g->context, g->grant, app.id, g->id);
        return m;
      }
    }
    return m;
  }

  // What a request presenting `token` is decided on the workspace: the Principal the
  // authenticator builds from the stored token, the target as api::Call::WorkspaceTarget loads it.
  bool RequestAllowed(const credentials::Token& presented) {
    auto t = store_->GetToken(presented.id);
    EXPECT_TRUE(t.has_value());
    policy::Principal p = policy::PrincipalOf(t.value());
    p.state = policy::CredentialState::kActive;
    policy::WorkspaceTarget target;
    auto w = store_->GetWorkspace(workspace_.id);
    EXPECT_TRUE(w.has_value());
    target.exists = true;
    target.workspace_id = w->id;
    target.owner_account_id = w->owner_account_id;
    target.owner_enterprise_id = store_->GetAccount(w->owner_account_id)->enterprise_id;
    target.legacy_account_id = w->legacy_account_id;
    if (p.user_bound()) {
      target.user_workspace_role = store_->GetWorkspaceRole(w->id, p.user_id).value();
      if (!target.owner_enterprise_id.empty()) {
        target.user_org_role = store_->GetOrgRole(w->owner_account_id, p.user_id).value();
      }
    }
    return policy::Decide(p, kPoint, target).allowed();
  }

  static const PlanRow* Row(const Plan& plan, const std::string& id) {
    for (const auto& r : plan.credentials) {
      if (r.id == id) return &r;
    }
    return nullptr;
  }

  FakeClock clock_;
  SeededRandom random_{7};
  IdGenerator ids_{clock_, random_};
  std::unique_ptr<store::Store> store_ = store::sqlite::Open(":memory:").value();
  admin::Env env_{*store_, clock_, random_, ids_};
  domain::User ann_;
  domain::Workspace workspace_, other_, org_workspace_;
  domain::Enterprise enterprise_;
  domain::Account org_;
  credentials::Token keeper_;
  int n_ = 0;
};

class PlanEqualsDecision : public MigrationTest,
                           public ::testing::WithParamInterface<std::tuple<Case, MigrationMode>> {};

TEST_P(PlanEqualsDecision, PlanFateIsTheDecisionAfterTheMigration) {
  const auto& [c, mode] = GetParam();
  const Made made = Make(c);
  ASSERT_FALSE(made.token.id.empty());
  EXPECT_EQ(RequestAllowed(made.token), c.reaches_today);

  auto plan = MakePlan(env_, workspace_.id, org_.id);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  const bool personal = c.where == Where::kPersonal;
  const PlanRow* row = personal ? Row(*plan, made.row_id) : nullptr;
  // The plan lists exactly the personal credentials a request is allowed with today.
  EXPECT_EQ(row != nullptr, personal && c.reaches_today);
  const PlanRow* partner = made.partner_row_id.empty() ? nullptr : Row(*plan, made.partner_row_id);
  if (!personal) {
    ASSERT_NE(partner, nullptr);
  }

  auto m = Migrate(env_, {workspace_.id, org_.id, mode, ann_.id},
                   [](const Plan&) { return std::string("{}"); });
  ASSERT_TRUE(m.has_value()) << m.error().message;

  const bool allowed = RequestAllowed(made.token);
  EXPECT_EQ(allowed, mode == MigrationMode::kCut ? c.after_cut : c.after_grant);
  if (personal) {
    const bool planned = row != nullptr && (mode == MigrationMode::kCut ? row->keeps_with_cut
                                                                        : row->keeps_with_grant);
    EXPECT_EQ(planned, allowed) << (row ? row->after_cut + " / " + row->after_grant : "no row");
  } else if (partner != nullptr) {
    // An enterprise-side credential with the same points: the plan says it covers the personal
    // one exactly when it is allowed on the migrated workspace.
    EXPECT_EQ(partner->covered, allowed) << partner->coverage;
  }
}

std::string CaseName(const ::testing::TestParamInfo<std::tuple<Case, MigrationMode>>& info) {
  return std::string(std::get<0>(info.param).name) + "_" +
         std::string(domain::ToString(std::get<1>(info.param)));
}

INSTANTIATE_TEST_SUITE_P(EveryKindScopeAndMode, PlanEqualsDecision,
                         ::testing::Combine(::testing::ValuesIn(kCases),
                                            ::testing::Values(MigrationMode::kCut,
                                                              MigrationMode::kGrant)),
                         CaseName);

// A row speaks its fate in words too.
TEST_F(MigrationTest, RowTextFollowsTheFate) {
  auto plan = MakePlan(env_, workspace_.id, org_.id);
  ASSERT_TRUE(plan.has_value());
  const PlanRow* row = Row(*plan, keeper_.id);
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->after_cut, "loses the workspace (4101)");
  EXPECT_EQ(row->after_grant, "keeps the workspace");
  EXPECT_TRUE(plan->grant_possible);
}

}  // namespace
}  // namespace cozeauth::migration
