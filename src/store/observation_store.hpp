#pragma once
// ObservationStore: what happened — the security audit log and per-credential request counts
// (src/observe), read before and after a migration and by the plan's "used recently".
//
// Bumps the auth epoch (unit_of_work.hpp): nothing (observation never changes a decision).
//
// Thread safety and errors: as UnitOfWork (unit_of_work.hpp); calls join the backend's
// Transaction() on the same thread, so an audit event commits or rolls back with its write.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace cozeauth::store {

// One security event (token created / revoked, app authorized / installed / uninstalled /
// disabled, migration, cross-account grant …). Never holds a secret.
struct AuditEvent {
  std::string id;
  int64_t at = 0;
  std::string actor;        // user id, or "operator" for the admin CLI
  std::string action;       // dotted, e.g. "token.revoked", "app.installed", "workspace.migrated"
  std::string target_kind;  // "token", "app", "authorization", "workspace", "account_grant", …
  std::string target_id;
  std::string detail_json = "{}";
};

struct AuditQuery {
  std::string action_prefix;  // "" = any; "app." = every app event
  std::string actor;          // "" = any
  std::string target_id;      // "" = any
  int64_t since = 0;          // inclusive, Unix seconds
  int64_t until = 0;          // exclusive; 0 = no bound
  int limit = 100;            // newest first
};

// Requests of one credential in one minute, by route and outcome (business code, 0 = success),
// for observation before and after a migration and for the plan's "used recently".
struct RequestStat {
  std::string token_id;
  std::string credential_kind;  // pat | sat | obo | app
  std::string route;            // the route pattern
  std::string permission;       // the point the route declared ("" for none)
  int code = 0;
  int64_t minute = 0;  // Unix seconds / 60
  int64_t count = 0;
};

// A RequestStat whose texts are views: what observe::RequestStats' flush writes, its map keys
// viewed where they are rather than copied (four strings a row, ~50k rows a second with a million
// tokens cycled).
struct RequestStatView {
  std::string_view token_id;
  std::string_view credential_kind;
  std::string_view route;
  std::string_view permission;
  int code = 0;
  int64_t minute = 0;
  int64_t count = 0;
};
inline RequestStatView ViewOf(const RequestStat& s) {
  return {s.token_id, s.credential_kind, s.route, s.permission, s.code, s.minute, s.count};
}

class ObservationStore {
 public:
  virtual ~ObservationStore() = default;

  virtual Status AppendAudit(const AuditEvent& e) = 0;
  virtual Result<std::vector<AuditEvent>> ListAudit(const AuditQuery& q) = 0;
  // Adds the counts to the stored ones (same token, route, code, minute), in one transaction;
  // rows with a count <= 0 are skipped.
  virtual Status AddRequestStats(std::span<const RequestStatView> stats) = 0;
  // The same for rows that own their texts.
  Status AddRequestStats(const std::vector<RequestStat>& stats) {
    std::vector<RequestStatView> views;
    views.reserve(stats.size());
    for (const RequestStat& s : stats) views.push_back(ViewOf(s));
    return AddRequestStats(std::span<const RequestStatView>(views));
  }
  // Stats with since <= minute*60 < until (until 0 = no bound); token_id "" = every credential.
  virtual Result<std::vector<RequestStat>> ListRequestStats(int64_t since, int64_t until,
                                                            const std::string& token_id) = 0;
  // Deletes the stats of every minute before `before_minute`, oldest first, in transactions of
  // at most 5,000 rows each: a purge never holds the writer (token issuance) for long, however
  // many rows a minute holds or however long the table went unpurged. Rows removed.
  virtual Result<int64_t> PurgeRequestStats(int64_t before_minute) = 0;
};

}  // namespace cozeauth::store
