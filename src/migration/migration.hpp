#pragma once
// Workspace migration from a personal account into an enterprise organization
// (coze-platform.md §6.4–§6.5, architecture.md §7): the pre-flight plan, the migration itself in
// `cut` or `grant` mode, and its preconditions. Synchronous; thread-safe (state is in the store).
//
//   auto plan = migration::MakePlan(env, workspace_id, org_account_id);
//   std::cout << migration::PlanTable(*plan);
//   auto m = migration::Migrate(env, {workspace_id, org_account_id, MigrationMode::kCut, actor});
//
// Errors: kBadRequest naming the violated precondition (field "workspace", "to_org", "by",
// "mode"), kNotFound for unknown ids; nothing is written on error.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "admin/operations.hpp"
#include "base/result.hpp"
#include "domain/migration.hpp"

namespace cozeauth::migration {

using Env = admin::Env;

inline constexpr int64_t kRecentUseSeconds = 7 * 86400;  // "used recently" in the plan

// One credential that reaches the workspace today.
struct PlanRow {
  std::string kind;  // pat | sat | app_auth | obo
  std::string id;    // token id (pat, sat), authorization id (app_auth), consent id (obo)
  std::string name;  // token name, or the app's name
  std::string owner_user_id;
  std::string app_id;                    // app_auth, obo
  int live_tokens = 0;                   // app_auth and obo: live access tokens issued through it
  std::vector<std::string> points;       // workspace-level points it holds on the workspace
  std::vector<std::string> used_points;  // of those, the ones used in the last 7 days
  std::string after_cut;                 // what happens to it with --mode cut
  std::string after_grant;               // … and with --mode grant
  // Whether it still reaches the workspace after each mode: policy::ReachesWorkspace on the
  // facts the workspace will have (policy::AfterMigration), the answer its requests will get.
  bool keeps_with_cut = false;
  bool keeps_with_grant = false;
  bool covered = false;  // an enterprise-side credential already covers its points on W
  std::string coverage;  // "covered by PAT 'prod' (all workspaces)" / "NOT covered: …"
};

struct Plan {
  std::string workspace_id;
  std::string workspace_name;
  std::string from_account_id;
  std::string to_account_id;
  std::string enterprise_id;
  std::string enterprise_name;
  std::vector<PlanRow> credentials;
  bool grant_possible = false;  // some PAT or AppAuth to grant (Coze refuses grant otherwise)
  // Account-level resources left in the personal account (conversations with W's bots): the
  // enterprise's credentials reach them only through a cross-account grant.
  int64_t conversations_left = 0;                // -1: not counted (the plan recorded by Migrate)
  std::vector<std::string> conversation_sample;  // up to 10 ids, newest first
  // Workspace-level resources, which move with the workspace (ids unchanged) and stay reachable
  // by the credentials whose fate the rows give: bots, workflows, app projects.
  // -1: not counted (the plan recorded by Migrate, as conversations_left).
  int64_t bots = 0;
  int64_t workflows = 0;
  int64_t app_projects = 0;
};

// The plan for moving `workspace_id` into organization `to_account_id`. Checks the same
// preconditions as Migrate except who runs it: for the operator CLI only, which holds the store
// anyway. Everyone else plans with MakePlanFor.
Result<Plan> MakePlan(Env& env, const std::string& workspace_id, const std::string& to_account_id);
// The same plan for `actor_user_id`, who must be allowed to run the migration: act for the
// workspace's account (its owner; an admin of an organization) and be super_admin/admin of the
// target enterprise — the check Migrate makes, in the same function. The plan shows the
// workspace's credentials, their owners and use, and its conversations: an enterprise admin of
// the target alone must not read another user's. Refusals: kBadRequest with field "by".
Result<Plan> MakePlanFor(Env& env, const std::string& workspace_id,
                         const std::string& to_account_id, const std::string& actor_user_id);
std::string PlanTable(const Plan& plan);

struct MigrateRequest {
  std::string workspace_id;
  std::string to_account_id;
  domain::MigrationMode mode = domain::MigrationMode::kCut;
  std::string actor_user_id;  // as for MakePlanFor: acts for the workspace's account and
                              // administers the target enterprise
};
// How the migration record keeps the plan it ran with (domain::Migration::plan_json): the JSON
// layer's encoding (api/migration_json.hpp), passed in so that this module speaks no JSON.
using PlanEncoder = std::function<std::string(const Plan&)>;
// Every check Migrate(req) makes — who may run it (as for MakePlanFor), the preconditions, and
// grant mode having something to grant — and the plan it would run with; writes nothing. A
// migration rehearsal (rehearsal.hpp) starts on exactly this check.
Result<Plan> CheckMigrate(Env& env, const MigrateRequest& req);
// One store transaction; ids unchanged; recorded (with the plan) and audited.
Result<domain::Migration> Migrate(Env& env, const MigrateRequest& req,
                                  const PlanEncoder& encode_plan);

}  // namespace cozeauth::migration
