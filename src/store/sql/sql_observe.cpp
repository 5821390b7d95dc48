// SqlStore: observation — the audit log and per-credential request counts (schema version 5).
// Neither bumps the auth epoch: they record decisions, they never change one.
#include <algorithm>

#include "store/sql/codec.hpp"
#include "store/sql/sql_store.hpp"

namespace cozeauth::store::sql {
namespace {

constexpr char kInsertAudit[] =
    "INSERT INTO audit_events (id, at, actor, action, target_kind, target_id, detail_json) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";
// Empty filters match everything; the action filter is a plain prefix (no LIKE wildcards).
// Newest first; events of the same second in reverse insertion order.
constexpr char kListAudit[] =
    "SELECT id, at, actor, action, target_kind, target_id, detail_json FROM audit_events "
    "WHERE (?1 = '' OR substr(action, 1, length(?1)) = ?1) AND (?2 = '' OR actor = ?2) "
    "AND (?3 = '' OR target_id = ?3) AND at >= ?4 AND (?5 = 0 OR at < ?5) "
    "ORDER BY at DESC, rowid DESC LIMIT ?6";

// The key is (token_id, route, code, minute): a token has one kind, a route one permission.
constexpr char kUpsertRequestStat[] =
    "INSERT INTO request_stats (token_id, credential_kind, route, permission, code, minute, "
    "count) VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (minute, token_id, route, code) DO UPDATE SET count = request_stats.count + "
    "excluded.count";
constexpr char kListRequestStats[] =
    "SELECT token_id, credential_kind, route, permission, code, minute, count FROM request_stats "
    "WHERE minute >= ?1 AND (?2 = 0 OR minute < ?2) AND (?3 = '' OR token_id = ?3) "
    "ORDER BY minute, token_id, route, code";
// Retention, in transactions of at most kPurgeRowsPerTransaction rows: the key of the last row
// of the next chunk (the key's order, minute first), then every row up to it — a range of the
// primary key in both stores. With fewer rows left, the rest in one statement.
constexpr int64_t kPurgeRowsPerTransaction = 5000;
constexpr char kPurgeChunkEnd[] =
    "SELECT minute, token_id, route, code FROM request_stats WHERE minute < ?1 "
    "ORDER BY minute, token_id, route, code LIMIT 1 OFFSET ?2";
constexpr char kPurgeChunk[] =
    "DELETE FROM request_stats WHERE (minute, token_id, route, code) <= (?1, ?2, ?3, ?4)";
constexpr char kPurgeRest[] = "DELETE FROM request_stats WHERE minute < ?1";

constexpr int kMaxAuditLimit = 10'000;

Result<AuditEvent> AuditFromRow(Statement& r) {
  return AuditEvent{r.Text(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6)};
}

Result<RequestStat> StatFromRow(Statement& r) {
  return RequestStat{r.Text(0), r.Text(1), r.Text(2), r.Text(3), static_cast<int>(r.Int(4)),
                     r.Int(5),  r.Int(6)};
}

// The first minute m with m * 60 >= seconds.
int64_t FirstMinuteFrom(int64_t seconds) {
  return seconds >= 0 ? (seconds + 59) / 60 : -((-seconds) / 60);
}

}  // namespace

Status SqlStore::AppendAudit(const AuditEvent& e) {
  if (e.id.empty() || e.action.empty()) {
    return Error::BadRequest("audit", "an audit event needs an id and an action");
  }
  const std::string& detail = e.detail_json.empty() ? std::string("{}") : e.detail_json;
  return Write(Epoch::kKeep, [&](Connection& c) -> Status {
    auto st = c.Prepare(kInsertAudit, "append audit event");
    if (!st) return st.error();
    return st->Bind(e.id)
        .Bind(e.at)
        .Bind(e.actor)
        .Bind(e.action)
        .Bind(e.target_kind)
        .Bind(e.target_id)
        .Bind(detail)
        .Run();
  });
}

Result<std::vector<AuditEvent>> SqlStore::ListAudit(const AuditQuery& q) {
  const int64_t limit = q.limit <= 0 ? 100 : std::min(q.limit, kMaxAuditLimit);
  ReadLease lease(*this);
  auto st = lease.Prepare(kListAudit, "list audit events");
  if (!st) return st.error();
  st->Bind(q.action_prefix).Bind(q.actor).Bind(q.target_id).Bind(q.since).Bind(q.until).Bind(limit);
  return FetchAll<AuditEvent>(*st, AuditFromRow);
}

Status SqlStore::AddRequestStats(std::span<const RequestStatView> stats) {
  if (stats.empty()) return {};
  // One transaction for the whole batch.
  return Write(Epoch::kKeep, [&](Connection& c) -> Status {
    for (const RequestStatView& s : stats) {
      if (s.count <= 0) continue;
      auto st = c.Prepare(kUpsertRequestStat, "add request stats");
      if (!st) return st.error();
      st->Bind(s.token_id)
          .Bind(s.credential_kind)
          .Bind(s.route)
          .Bind(s.permission)
          .Bind(s.code)
          .Bind(s.minute)
          .Bind(s.count);
      if (Status run = st->Run(); !run) return run;
    }
    return {};
  });
}

Result<std::vector<RequestStat>> SqlStore::ListRequestStats(int64_t since, int64_t until,
                                                            const std::string& token_id) {
  // since <= minute * 60 < until, in whole minutes.
  const int64_t first = FirstMinuteFrom(since);
  const int64_t end = until == 0 ? 0 : FirstMinuteFrom(until);
  if (until != 0 && end <= first) return std::vector<RequestStat>{};
  ReadLease lease(*this);
  auto st = lease.Prepare(kListRequestStats, "list request stats");
  if (!st) return st.error();
  st->Bind(first).Bind(end).Bind(token_id);
  return FetchAll<RequestStat>(*st, StatFromRow);
}

Result<int64_t> SqlStore::PurgeRequestStats(int64_t before_minute) {
  int64_t removed = 0;
  for (bool more = true; more;) {
    int64_t changes = 0;
    Status s = Write(Epoch::kKeep, [&](Connection& c) -> Status {
      auto end = c.Prepare(kPurgeChunkEnd, "purge request stats");
      if (!end) return end.error();
      auto row = end->Bind(before_minute).Bind(kPurgeRowsPerTransaction - 1).Step();
      if (!row) return row.error();
      more = *row;
      Result<Statement> del = more ? c.Prepare(kPurgeChunk, "purge request stats")
                                   : c.Prepare(kPurgeRest, "purge request stats");
      if (!del) return del.error();
      if (more) {
        // Bound before `end` steps again: the text views stay valid until then.
        del->Bind(end->Int(0)).Bind(end->TextView(1)).Bind(end->TextView(2)).Bind(end->Int(3));
      } else {
        del->Bind(before_minute);
      }
      if (Status run = del->Run(); !run) return run;
      changes = del->Changes();
      return {};
    });
    if (!s) return s.error();
    removed += changes;
  }
  return removed;
}

}  // namespace cozeauth::store::sql
