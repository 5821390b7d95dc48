#pragma once
// Per-credential success rates from the stored request statistics (observe/request_stats.hpp),
// shared by `cozeauth observe` and the console's GET /api/permission_api/observe/credentials so
// that both show the same numbers in the same JSON shape.
//
// A row is one credential: a PAT or SAT by its token id; OAuth access tokens (short-lived, one
// per exchange) grouped by app, kind, context and (OBO) user, so a JWT client shows as one row.
// Counts: requests, successes (code 0), 4100 and 4101 denials, other errors.
//
// With a migration (domain::Migration), only credentials of its two sides are listed: "personal"
// (acting in the account the workspace left) and "enterprise" (acting in the enterprise it
// joined), each with a window before the migration ([t - since, t)) and after it ([t, now]) and
// a hint for the operator. Statistics are kept per minute, so the minute in which the migration
// ran counts as "after": a credential is never called unused after a migration because of it.
//
// With a bucket (ReportQuery::bucket_seconds, a whole number of minutes), each row also has a
// time series: its counts per bucket from `since` to now, buckets starting at `since` (so the
// migration's split is a boundary when the bucket divides the window), only the buckets with
// requests (the console's chart fills the gaps with zeros).
//
// Synchronous (reads the store); safe for concurrent use as the Store is.

#include <boost/json.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "domain/migration.hpp"
#include "store/store.hpp"

namespace cozeauth::observe {

// "45s", "30m", "2h", "1d", "1w" or bare seconds ("90"); kBadRequest naming `field` otherwise.
Result<int64_t> ParseDuration(std::string_view text, const char* field = "since");

struct OutcomeCounts {
  int64_t requests = 0;
  int64_t successes = 0;
  int64_t denied_4100 = 0;
  int64_t denied_4101 = 0;
  int64_t other_errors = 0;

  void Add(int code, int64_t n);
  int64_t denials() const { return denied_4100 + denied_4101; }
};

struct CredentialRow {
  std::string credential_id;  // the token id (pat, sat), or the app id (app, obo)
  std::string kind;           // pat | sat | obo | app
  std::string name;           // the token's name, or the app's
  std::string app_id;
  std::string user_id;        // the token's user (PAT/OBO owner, SAT creator)
  std::string owner_user_id;  // who owns the credential: the user, or the app's owner
  std::string account_id;     // the context the credential acts in
  std::string enterprise_id;
  std::vector<std::string> token_ids;  // the access tokens counted in this row
  OutcomeCounts total;
  // With a migration:
  std::string side;  // personal | enterprise
  OutcomeCounts before, after;
  std::string hint;
  // With a bucket: counts by the bucket's first second.
  std::map<int64_t, OutcomeCounts> series;
};

struct ReportQuery {
  int64_t since_seconds = 86400;  // window length (before the migration, with one)
  std::string migration_id;       // "" = no migration: one window ending now
  std::string credential_id;      // "" = all; else a token id or an app id
  int64_t bucket_seconds = 0;     // 0 = no series; else a multiple of 60
  // Which rows the caller may see (the console: the user's own credentials); null = all.
  std::function<bool(const CredentialRow&)> visible;
};

struct CredentialReport {
  int64_t now = 0;
  int64_t since = 0;  // first second counted
  std::optional<domain::Migration> migration;
  int64_t split = 0;   // with a migration: the first second of "after"
  int64_t bucket = 0;  // the series' bucket (0: none)
  std::vector<CredentialRow> rows;
};

// kNotFound for an unknown migration; kBadRequest for a non-positive window, or a bucket that
// is not a positive multiple of 60 seconds.
Result<CredentialReport> BuildCredentialReport(store::Store& store, const Clock& clock,
                                               const ReportQuery& query);

boost::json::object ReportJson(const CredentialReport& report);
// An audit event with its detail parsed back into an object.
boost::json::object AuditEventJson(const store::AuditEvent& event);

}  // namespace cozeauth::observe
