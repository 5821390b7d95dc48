#pragma once
// Migration rehearsal (docs/migration.md "Rehearse first"): for a while, every real request that
// touches a workspace is also decided as if the workspace already belonged to the target
// organization under a mode (api/auth/rehearsal_shadow.hpp decides the shadow on the hot path),
// and the report lists, per credential, the requests that would fail after the migration and
// which enterprise credential already covers them (the plan's coverage, migration.hpp).
// Synchronous; thread-safe (state is in the store).
//
//   auto r = migration::StartRehearsal(env, {{w, org, MigrationMode::kCut, actor}, 3600});
//   ... traffic ...
//   auto report = migration::MakeRehearsalReport(env, r->id);
//   std::cout << migration::RehearsalReportTable(*report);
//
// Who may start one: exactly who may run the migration (CheckMigrate, the one check of the plan
// and the migration); the same refusals (kBadRequest naming "by", "workspace", "to_org", "mode").
// Who may read or stop one through the console: the user who started it (MayManageRehearsal).
// Starting and stopping are audited and bump the auth epoch (store/rehearsal_store.hpp).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "domain/rehearsal.hpp"
#include "migration/migration.hpp"

namespace cozeauth::migration {

inline constexpr int64_t kDefaultRehearsalSeconds = 3600;
inline constexpr int64_t kMaxRehearsalSeconds = 7 * 86400;
// Live rehearsals at once, over every workspace: bounds the hot path's work per request.
inline constexpr size_t kMaxLiveRehearsals = 16;

struct RehearseRequest {
  MigrateRequest migration;  // what would run: workspace, organization, mode, who
  int64_t duration_seconds = kDefaultRehearsalSeconds;  // 1 … kMaxRehearsalSeconds
};

// Checks as Migrate(req.migration) does, then records the rehearsal (ends_at = now + duration,
// checked arithmetic). Refused too: a duration out of range ("for"), a live rehearsal of the
// same workspace and mode ("workspace"), more than kMaxLiveRehearsals live ones ("for").
Result<domain::Rehearsal> StartRehearsal(Env& env, const RehearseRequest& req);
// Stops it now (audited). kNotFound for an unknown id; stopping a stopped one changes nothing.
Result<domain::Rehearsal> StopRehearsal(Env& env, const std::string& id);
// kOk when `user_id` started rehearsal `r`; kPermissionDenied otherwise.
Status MayManageRehearsal(const domain::Rehearsal& r, const std::string& user_id);

// One credential in the report: the plan's identity (kind pat | sat | app_auth | obo; id the
// token, authorization or consent id), its requests during the rehearsal and their outcomes.
struct RehearsalRow {
  std::string kind;
  std::string id;
  std::string name;
  int64_t requests = 0;
  int64_t real_denied = 0;                    // requests the real decision denied
  int64_t would_fail = 0;                     // requests that would fail after the migration
  std::map<int, int64_t> would_fail_by_code;  // 4100, 4101, 4200, …
  bool in_plan = false;                       // the plan lists it (it reaches the workspace today)
  bool covered = false;  // the plan's coverage: an enterprise credential already covers it
  std::string coverage;
};

struct RehearsalReport {
  domain::Rehearsal rehearsal;
  bool active = false;  // at the report's time
  int64_t requests = 0;
  int64_t would_fail = 0;
  std::vector<RehearsalRow> credentials;  // most would-fail first
  std::string plan_error;                 // why coverage is missing (e.g. already migrated)
};

Result<RehearsalReport> MakeRehearsalReport(Env& env, const std::string& id);
std::string RehearsalReportTable(const RehearsalReport& report);

}  // namespace cozeauth::migration
