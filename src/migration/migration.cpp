#include "migration/migration.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "admin/audit.hpp"
#include "base/strings.hpp"
#include "policy/decision.hpp"

namespace cozeauth::migration {
namespace {

using credentials::ContextKind;
using credentials::Grant;
using credentials::TokenKind;

std::vector<std::string> Missing(const std::vector<std::string>& need,
                                 const std::vector<std::string>& have) {
  std::vector<std::string> out;
  for (const auto& p : need) {
    if (std::find(have.begin(), have.end(), p) == have.end()) out.push_back(p);
  }
  return out;
}

struct Place {
  domain::Workspace workspace;
  domain::Account from;  // personal
  domain::Account to;    // organization
  domain::Enterprise enterprise;
};

// Whether `actor` may act for the account that owns the workspace: its owner for a personal
// account; a super_admin/admin of it or of its enterprise for an organization.
Result<bool> ActsForAccount(Env& env, const domain::Account& account, const std::string& actor) {
  if (account.kind == domain::AccountKind::kPersonal) return account.user_id == actor;
  auto org_role = env.store.GetOrgRole(account.id, actor);
  if (!org_role) return org_role.error();
  if (org_role.value() && domain::IsAdmin(*org_role.value())) return true;
  auto ent_role = env.store.GetEnterpriseRole(account.enterprise_id, actor);
  if (!ent_role) return ent_role.error();
  return ent_role.value() && domain::IsAdmin(*ent_role.value());
}

// The workspace, its account, the target organization and its enterprise, with every
// precondition. With an `actor` (everyone but the operator CLI's plan), also who may act — the
// one authorization check of both the plan and the migration, since the plan shows the
// workspace's credentials, owners, usage and conversations: the actor acts for the workspace's
// account AND administers the target enterprise. The checks run in an order that tells someone
// who may not act nothing beyond the workspace's existence: the workspace, then whether the
// actor acts for it, then the target, then whether the actor administers it, then the
// preconditions. Refusals because of the actor are kBadRequest with field "by".
Result<Place> CheckPlace(Env& env, const std::string& workspace_id,
                         const std::string& to_account_id, const std::string* actor) {
  Place p;
  auto w = env.store.GetWorkspace(workspace_id);
  if (!w) return Error::BadRequest("workspace", "workspace " + workspace_id + " not found");
  p.workspace = std::move(w).value();
  auto from = env.store.GetAccount(p.workspace.owner_account_id);
  if (!from) return from.error();
  p.from = std::move(from).value();
  if (actor != nullptr) {
    if (actor->empty()) return Error::BadRequest("by", "the user who migrates is required");
    auto acts = ActsForAccount(env, p.from, *actor);
    if (!acts) return acts.error();
    // No owner id in the message: it goes to someone who is not the owner.
    if (!acts.value()) {
      return Error::BadRequest(
          "by", "only the owner of workspace " + workspace_id + " plans or runs its migration");
    }
  }
  auto to = env.store.GetAccount(to_account_id);
  if (!to || to->kind != domain::AccountKind::kOrganization) {
    return Error::BadRequest("to_org", "organization " + to_account_id + " not found");
  }
  p.to = std::move(to).value();
  auto e = env.store.GetEnterprise(p.to.enterprise_id);
  if (!e) return e.error();
  p.enterprise = std::move(e).value();
  if (actor != nullptr) {
    auto role = env.store.GetEnterpriseRole(p.enterprise.id, *actor);
    if (!role) return role.error();
    if (!role.value() || !domain::IsAdmin(*role.value())) {
      return Error::BadRequest(
          "by", "user " + *actor + " is not super_admin or admin of enterprise " + p.enterprise.id);
    }
  }
  if (p.from.kind != domain::AccountKind::kPersonal) {
    return Error::BadRequest("workspace", "workspace " + workspace_id +
                                              " is not in a personal account (already migrated?)");
  }
  return p;
}

// Points used recently by these tokens (successful requests), from the request stats.
Result<std::set<std::string>> UsedPoints(Env& env, const std::vector<std::string>& token_ids) {
  std::set<std::string> out;
  const int64_t now = env.clock.NowSeconds();
  for (const auto& id : token_ids) {
    auto stats = env.store.ListRequestStats(now - kRecentUseSeconds, 0, id);
    if (!stats) return stats.error();
    for (const auto& s : stats.value()) {
      if (s.code == 0 && !s.permission.empty()) out.insert(s.permission);
    }
  }
  return out;
}

std::vector<std::string> UsedOf(const std::vector<std::string>& held,
                                const std::set<std::string>& used) {
  std::vector<std::string> out;
  for (const auto& p : held) {
    if (used.count(p)) out.push_back(p);
  }
  return out;
}

// A credential as the decision sees it (the authenticator's Principal of its tokens).
policy::Principal Holder(TokenKind kind, std::string user_id, credentials::Context context,
                         Grant grant) {
  policy::Principal who;
  who.state = policy::CredentialState::kActive;
  who.kind = kind;
  who.user_id = std::move(user_id);
  who.context = std::move(context);
  who.grant = std::move(grant);
  return who;
}

// The workspace facts a request by `who` loads today (api::Call::WorkspaceTarget): the personal
// account owns it, so only the user's workspace role counts.
Result<policy::WorkspaceTarget> FactsToday(Env& env, const Place& p, const policy::Principal& who) {
  policy::WorkspaceTarget t;
  t.exists = true;
  t.workspace_id = p.workspace.id;
  t.owner_account_id = p.from.id;
  if (!who.user_bound()) return t;
  auto role = env.store.GetWorkspaceRole(t.workspace_id, who.user_id);
  if (!role) return role.error();
  t.user_workspace_role = role.value();
  return t;
}

// … and once migrated in `mode` (policy::AfterMigration): the organization owns it, so the
// user's role in it counts too; the workspace role survives the move.
Result<policy::WorkspaceTarget> FactsAfter(Env& env, const Place& p, const policy::Principal& who,
                                           domain::MigrationMode mode) {
  auto today = FactsToday(env, p, who);
  if (!today) return today.error();
  policy::WorkspaceTarget t =
      policy::AfterMigration(std::move(today).value(), p.to.id, p.enterprise.id, mode);
  if (!who.user_bound()) return t;
  auto role = env.store.GetOrgRole(p.to.id, who.user_id);
  if (!role) return role.error();
  t.user_org_role = role.value();
  return t;
}

Result<bool> ReachesAfter(Env& env, const Place& p, const policy::Principal& who,
                          domain::MigrationMode mode) {
  auto t = FactsAfter(env, p, who, mode);
  if (!t) return t.error();
  return policy::ReachesWorkspace(who, t.value());
}

// Whether `who` reaches the workspace today, and after each mode: the decision's own answer
// (policy::ReachesWorkspace), never a rule of the planner's.
struct Fate {
  bool today = false;
  bool after_cut = false;
  bool after_grant = false;
};

Result<Fate> FateOf(Env& env, const Place& p, const policy::Principal& who) {
  Fate f;
  auto today = FactsToday(env, p, who);
  if (!today) return today.error();
  f.today = policy::ReachesWorkspace(who, today.value());
  if (!f.today) return f;
  auto cut = ReachesAfter(env, p, who, domain::MigrationMode::kCut);
  if (!cut) return cut.error();
  auto grant = ReachesAfter(env, p, who, domain::MigrationMode::kGrant);
  if (!grant) return grant.error();
  f.after_cut = cut.value();
  f.after_grant = grant.value();
  return f;
}

std::string Outcome(bool keeps, std::string loss) {
  return keeps ? "keeps the workspace" : std::move(loss);
}

// The context of the tokens an enterprise-side authorization issues (oauth::ExchangeJwtBearer).
credentials::Context ContextOf(const credentials::AppAuthorization& a, const Place& p) {
  if (a.enterprise_wide()) {
    return {ContextKind::kEnterprise, p.enterprise.default_org_account_id, a.enterprise_id};
  }
  return {ContextKind::kOrganization, a.account_id, a.enterprise_id};
}

// Whether an enterprise-side credential covers the row's points on the workspace once it is in
// `p.to`. Enterprise credentials are untouched by the mode; cut's facts decide.
Result<std::string> Coverage(Env& env, PlanRow& row,
                             const std::vector<credentials::Token>& ent_tokens,
                             const std::vector<credentials::AppAuthorization>& ent_auths,
                             const Place& p) {
  std::string best_missing;
  if (row.kind == "pat" || row.kind == "sat") {
    const TokenKind kind = row.kind == "pat" ? TokenKind::kPat : TokenKind::kSat;
    for (const auto& t : ent_tokens) {
      if (t.kind != kind || (kind == TokenKind::kPat && t.user_id != row.owner_user_id)) continue;
      auto reaches = ReachesAfter(env, p, Holder(t.kind, t.user_id, t.context, t.grant),
                                  domain::MigrationMode::kCut);
      if (!reaches) return reaches.error();
      if (!reaches.value()) continue;
      auto missing = Missing(row.points, t.grant.workspace_permissions);
      if (missing.empty()) {
        row.covered = true;
        return std::string("covered by ") + (kind == TokenKind::kPat ? "PAT" : "SAT") + " '" +
               t.name + "' (all workspaces)";
      }
      if (best_missing.empty()) best_missing = Join(missing, ", ");
    }
    std::string out = "NOT covered: create an enterprise " +
                      std::string(kind == TokenKind::kPat ? "PAT" : "SAT") +
                      " for all workspaces with " + Join(row.points, ", ");
    if (!best_missing.empty()) out += " (the closest one lacks " + best_missing + ")";
    return out;
  }
  // app_auth and obo: the same app, authorized (AppAuth) or installed (OBO) in the enterprise;
  // an OBO installation's tokens act for the row's user once they re-authorize.
  const bool app_auth = row.kind == "app_auth";
  const auto want = app_auth ? credentials::AuthorizationKind::kAppAuth
                             : credentials::AuthorizationKind::kOboInstall;
  for (const auto& a : ent_auths) {
    if (a.app_id != row.app_id || a.kind != want || a.Revoked()) continue;
    auto reaches =
        ReachesAfter(env, p,
                     Holder(app_auth ? TokenKind::kAppAccess : TokenKind::kOboAccess,
                            app_auth ? std::string() : row.owner_user_id, ContextOf(a, p), a.grant),
                     domain::MigrationMode::kCut);
    if (!reaches) return reaches.error();
    if (!reaches.value()) continue;
    auto missing = Missing(row.points, a.grant.workspace_permissions);
    if (missing.empty()) {
      row.covered = true;
      return app_auth ? "covered by the app's enterprise authorization (all workspaces); request "
                        "tokens at /enterprise_id/" +
                            p.enterprise.id + "/token"
                      : "app installed for OBO in the enterprise; users must re-authorize";
    }
    best_missing = Join(missing, ", ");
  }
  if (app_auth) {
    return "NOT covered: authorize app " + row.app_id + " in enterprise " + p.enterprise.id +
           " (share link, all workspaces)" +
           (best_missing.empty() ? "" : "; its authorization lacks " + best_missing);
  }
  return "NOT covered: install app " + row.app_id + " for OBO in enterprise " + p.enterprise.id +
         ", then users re-authorize";
}

// The bots, workflows and app projects of workspace `w` (COUNTs).
Status CountWorkspaceResources(Env& env, const std::string& w, Plan& plan) {
  auto bots = env.store.ListBots(w, std::nullopt, {1, 1});
  if (!bots) return bots.error();
  plan.bots = bots->total;
  auto workflows = env.store.CountWorkflows(w);
  if (!workflows) return workflows.error();
  plan.workflows = *workflows;
  auto apps = env.store.CountAppProjects(w);
  if (!apps) return apps.error();
  plan.app_projects = *apps;
  return {};
}

// `account_resources`: count the workspace's resources and the conversations left behind.
// Migrate() skips both so that its cost does not grow with what the workspace holds (each count
// is a scan).
Result<Plan> BuildPlan(Env& env, const Place& p, bool account_resources) {
  Plan plan;
  plan.workspace_id = p.workspace.id;
  plan.workspace_name = p.workspace.name;
  plan.from_account_id = p.from.id;
  plan.to_account_id = p.to.id;
  plan.enterprise_id = p.enterprise.id;
  plan.enterprise_name = p.enterprise.name;
  const int64_t now = env.clock.NowSeconds();
  const std::string& w = p.workspace.id;
  // Counting is a scan of the workspace's rows: the pre-flight plan counts, Migrate() does not,
  // so that a migration costs the same for 10 resources or 100,000 (bench/migration_bench).
  if (account_resources) {
    if (auto s = CountWorkspaceResources(env, w, plan); !s) return s.error();
  } else {
    plan.bots = plan.workflows = plan.app_projects = -1;
  }

  auto tokens = env.store.ListLiveTokensOfAccount(p.from.id, now);
  if (!tokens) return tokens.error();
  auto ent_tokens = env.store.ListLiveTokensOfEnterprise(p.enterprise.id, now);
  if (!ent_tokens) return ent_tokens.error();
  auto ent_auths = env.store.ListAuthorizationsInEnterprise(p.enterprise.id);
  if (!ent_auths) return ent_auths.error();

  // OAuth tokens, grouped under the authorization or consent they were issued through.
  std::map<std::string, std::vector<std::string>> issued;
  for (const auto& t : tokens.value()) {
    if (!t.authorization_id.empty()) issued[t.authorization_id].push_back(t.id);
  }
  // The row of a credential that reaches the workspace today with workspace-level points, its
  // fate in each mode decided by policy; nullopt when it does not reach it.
  auto row_of = [&](const policy::Principal& who, const std::vector<std::string>& token_ids,
                    std::string kind) -> Result<std::optional<PlanRow>> {
    if (who.grant.workspace_permissions.empty()) return std::optional<PlanRow>();
    auto fate = FateOf(env, p, who);
    if (!fate) return fate.error();
    if (!fate->today) return std::optional<PlanRow>();
    PlanRow row;
    row.kind = std::move(kind);
    row.points = who.grant.workspace_permissions;
    auto used = UsedPoints(env, token_ids);
    if (!used) return used.error();
    row.used_points = UsedOf(row.points, used.value());
    row.keeps_with_cut = fate->after_cut;
    row.keeps_with_grant = fate->after_grant;
    return std::optional<PlanRow>(std::move(row));
  };

  for (const auto& t : tokens.value()) {
    if (t.kind != TokenKind::kPat && t.kind != TokenKind::kSat) continue;
    const bool pat = t.kind == TokenKind::kPat;
    policy::Principal who = policy::PrincipalOf(t);
    who.state = policy::CredentialState::kActive;
    auto row = row_of(who, {t.id}, pat ? "pat" : "sat");
    if (!row) return row.error();
    if (!row.value()) continue;
    PlanRow& r = *row.value();
    r.id = t.id;
    r.name = t.name;
    r.owner_user_id = t.user_id;
    r.after_cut = Outcome(r.keeps_with_cut, "loses the workspace (4101)");
    r.after_grant =
        Outcome(r.keeps_with_grant, pat ? "loses the workspace (4101)"
                                        : "loses the workspace (4101): SATs are not granted");
    auto coverage = Coverage(env, r, ent_tokens.value(), ent_auths.value(), p);
    if (!coverage) return coverage.error();
    r.coverage = std::move(coverage).value();
    plan.credentials.push_back(std::move(r));
  }

  auto auths = env.store.ListAuthorizationsOfAccount(p.from.id);
  if (!auths) return auths.error();
  const credentials::Context personal{ContextKind::kPersonal, p.from.id, ""};
  for (const auto& a : auths.value()) {
    if (a.kind != credentials::AuthorizationKind::kAppAuth) continue;
    // Its tokens act in the personal account (oauth::ExchangeJwtBearer at /account/{id}/token).
    auto row =
        row_of(Holder(TokenKind::kAppAccess, "", personal, a.grant), issued[a.id], "app_auth");
    if (!row) return row.error();
    if (!row.value()) continue;
    auto app = env.store.GetOAuthApp(a.app_id);
    if (!app) return app.error();
    PlanRow& r = *row.value();
    r.id = a.id;
    r.name = app->name;
    r.owner_user_id = app->owner_user_id;
    r.app_id = a.app_id;
    r.live_tokens = static_cast<int>(issued[a.id].size());
    r.after_cut = Outcome(r.keeps_with_cut, "loses the workspace (4101); tokens of /account/" +
                                                p.from.id + "/token too");
    r.after_grant = Outcome(r.keeps_with_grant, "loses the workspace (4101)");
    auto coverage = Coverage(env, r, ent_tokens.value(), ent_auths.value(), p);
    if (!coverage) return coverage.error();
    r.coverage = std::move(coverage).value();
    plan.credentials.push_back(std::move(r));
  }

  auto consents = env.store.ListOboGrantsOfAccount(p.from.id);
  if (!consents) return consents.error();
  for (const auto& g : consents.value()) {
    auto row =
        row_of(Holder(TokenKind::kOboAccess, g.user_id, g.context, g.grant), issued[g.id], "obo");
    if (!row) return row.error();
    if (!row.value()) continue;
    auto app = env.store.GetOAuthApp(g.app_id);
    if (!app) return app.error();
    PlanRow& r = *row.value();
    r.id = g.id;
    r.name = app->name;
    r.owner_user_id = g.user_id;
    r.app_id = g.app_id;
    r.live_tokens = static_cast<int>(issued[g.id].size());
    r.after_cut = Outcome(r.keeps_with_cut,
                          "loses the workspace (4101): the user must re-authorize in the "
                          "enterprise");
    r.after_grant = Outcome(r.keeps_with_grant,
                            "loses the workspace (4101): OBO is never granted; re-authorize");
    auto coverage = Coverage(env, r, ent_tokens.value(), ent_auths.value(), p);
    if (!coverage) return coverage.error();
    r.coverage = std::move(coverage).value();
    plan.credentials.push_back(std::move(r));
  }

  plan.grant_possible = std::any_of(plan.credentials.begin(), plan.credentials.end(),
                                    [](const PlanRow& r) { return r.keeps_with_grant; });
  if (!account_resources) {
    plan.conversations_left = -1;
    return plan;
  }
  auto left = env.store.ListConversationsOfWorkspaceBots(w, p.from.id, 10);
  if (!left) return left.error();
  plan.conversations_left = left->total;
  for (const auto& c : left->items) plan.conversation_sample.push_back(c.id);
  return plan;
}

}  // namespace

Result<Plan> MakePlan(Env& env, const std::string& workspace_id, const std::string& to_account_id) {
  auto place = CheckPlace(env, workspace_id, to_account_id, /*actor=*/nullptr);
  if (!place) return place.error();
  return BuildPlan(env, *place, /*account_resources=*/true);
}

Result<Plan> MakePlanFor(Env& env, const std::string& workspace_id,
                         const std::string& to_account_id, const std::string& actor_user_id) {
  auto place = CheckPlace(env, workspace_id, to_account_id, &actor_user_id);
  if (!place) return place.error();
  return BuildPlan(env, *place, /*account_resources=*/true);
}

std::string PlanTable(const Plan& plan) {
  std::ostringstream out;
  out << "Migration plan: workspace " << plan.workspace_id << " (" << plan.workspace_name
      << ") from personal account " << plan.from_account_id << " to organization "
      << plan.to_account_id << " of " << plan.enterprise_name << " (" << plan.enterprise_id
      << ")\n\n";
  if (plan.credentials.empty()) out << "No credential reaches the workspace today.\n";
  for (const auto& r : plan.credentials) {
    out << "- " << r.kind << " " << r.id << " '" << r.name << "' (owner " << r.owner_user_id;
    if (r.live_tokens) out << ", " << r.live_tokens << " live token(s)";
    out << ")\n    points: " << (r.points.empty() ? "-" : Join(r.points, ", "))
        << "\n    used in the last 7 days: "
        << (r.used_points.empty() ? "-" : Join(r.used_points, ", "))
        << "\n    --mode cut:   " << r.after_cut << "\n    --mode grant: " << r.after_grant
        << "\n    " << r.coverage << "\n";
  }
  out << "\nMoves with the workspace (ids unchanged): " << plan.bots << " bot(s), "
      << plan.workflows << " workflow(s), " << plan.app_projects << " app project(s)\n";
  out << "\nGrant mode: "
      << (plan.grant_possible ? "possible (personal PATs and AppAuth apps keep the workspace)"
                              : "not possible: no PAT or AppAuth credential reaches it")
      << "\nAccount-level resources left in the personal account: ";
  if (plan.conversations_left < 0) {
    out << "not counted";
  } else {
    out << plan.conversations_left << " conversation(s) with this workspace's bots";
  }
  if (!plan.conversation_sample.empty()) {
    out << " (e.g. " << Join(plan.conversation_sample, ", ") << ")";
  }
  out << "\n  Enterprise credentials reach them only through a cross-account grant "
         "(cozeauth grant create).\n";
  return out.str();
}

Result<Plan> CheckMigrate(Env& env, const MigrateRequest& req) {
  auto place = CheckPlace(env, req.workspace_id, req.to_account_id, &req.actor_user_id);
  if (!place) return place.error();
  auto plan = BuildPlan(env, *place, /*account_resources=*/false);
  if (!plan) return plan.error();
  if (req.mode == domain::MigrationMode::kGrant && !plan->grant_possible) {
    return Error::BadRequest("mode", "no PAT or AppAuth credential reaches workspace " +
                                         req.workspace_id +
                                         ": grant mode has nothing to grant; "
                                         "use --mode cut");
  }
  return plan;
}

Result<domain::Migration> Migrate(Env& env, const MigrateRequest& req,
                                  const PlanEncoder& encode_plan) {
  auto plan = CheckMigrate(env, req);
  if (!plan) return plan.error();
  domain::Migration m;
  m.id = env.ids.Next();
  m.workspace_id = plan->workspace_id;
  m.from_account_id = plan->from_account_id;
  m.to_account_id = plan->to_account_id;
  m.enterprise_id = plan->enterprise_id;
  m.mode = req.mode;
  m.actor_user_id = req.actor_user_id;
  m.created_at = env.clock.NowSeconds();
  m.plan_json = encode_plan(*plan);
  Status s = admin::Audited(
      env, [&] { return env.store.MigrateWorkspace(m); }, "workspace.migrated", "workspace",
      m.workspace_id,
      admin::AuditDetail()
          .Add("migration_id", m.id)
          .Add("mode", domain::ToString(m.mode))
          .Add("from_account_id", m.from_account_id)
          .Add("to_account_id", m.to_account_id)
          .Json());
  if (!s) return s.error();
  return m;
}

}  // namespace cozeauth::migration
