// SqlStore: migration rehearsals and their shadow-decision counts (schema version 9).
// Creating and stopping a rehearsal bump the auth epoch (every server reloads the rehearsals it
// shadows); adding counts does not.
#include "store/sql/codec.hpp"
#include "store/sql/sql_store.hpp"

namespace cozeauth::store::sql {
namespace {

using domain::Rehearsal;
using domain::RehearsalCount;

constexpr char kInsertRehearsal[] =
    "INSERT INTO rehearsals (id, workspace_id, to_account_id, enterprise_id, mode, "
    "actor_user_id, started_at, ends_at, stopped_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kSelectRehearsal[] =
    "SELECT id, workspace_id, to_account_id, enterprise_id, mode, actor_user_id, started_at, "
    "ends_at, stopped_at FROM rehearsals WHERE id = ?";
constexpr char kListRehearsals[] =
    "SELECT id, workspace_id, to_account_id, enterprise_id, mode, actor_user_id, started_at, "
    "ends_at, stopped_at FROM rehearsals WHERE (?1 = '' OR workspace_id = ?1) "
    "ORDER BY started_at DESC, id DESC";
constexpr char kListLive[] =
    "SELECT id, workspace_id, to_account_id, enterprise_id, mode, actor_user_id, started_at, "
    "ends_at, stopped_at FROM rehearsals WHERE stopped_at = 0 AND ends_at > ?1 "
    "ORDER BY started_at, id";
// The first stop wins: a second one neither moves stopped_at nor fails.
constexpr char kStopRehearsal[] =
    "UPDATE rehearsals SET stopped_at = CASE WHEN stopped_at = 0 THEN ?1 ELSE stopped_at END "
    "WHERE id = ?2";
constexpr char kUpsertCount[] =
    "INSERT INTO rehearsal_counts (rehearsal_id, token_id, credential_kind, real_code, "
    "shadow_code, count) VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (rehearsal_id, token_id, real_code, shadow_code) "
    "DO UPDATE SET count = rehearsal_counts.count + excluded.count";
constexpr char kListCounts[] =
    "SELECT rehearsal_id, token_id, credential_kind, real_code, shadow_code, count "
    "FROM rehearsal_counts WHERE rehearsal_id = ? ORDER BY token_id, real_code, shadow_code";

Result<Rehearsal> RehearsalFromRow(Statement& r) {
  auto mode = ParseColumn(domain::ParseMigrationMode(r.TextView(4)), "rehearsals.mode");
  if (!mode) return mode.error();
  Rehearsal out;
  out.id = r.Text(0);
  out.workspace_id = r.Text(1);
  out.to_account_id = r.Text(2);
  out.enterprise_id = r.Text(3);
  out.mode = *mode;
  out.actor_user_id = r.Text(5);
  out.started_at = r.Int(6);
  out.ends_at = r.Int(7);
  out.stopped_at = r.Int(8);
  return out;
}

Result<RehearsalCount> CountFromRow(Statement& r) {
  return RehearsalCount{
      r.Text(0), r.Text(1), r.Text(2), static_cast<int>(r.Int(3)), static_cast<int>(r.Int(4)),
      r.Int(5)};
}

}  // namespace

Status SqlStore::CreateRehearsal(const Rehearsal& r) {
  if (r.id.empty() || r.workspace_id.empty()) {
    return Error::BadRequest("rehearsal", "a rehearsal needs an id and a workspace");
  }
  return Write(Epoch::kBump, [&](Connection& c) -> Status {
    auto st = c.Prepare(kInsertRehearsal, "create rehearsal");
    if (!st) return st.error();
    return st->Bind(r.id)
        .Bind(r.workspace_id)
        .Bind(r.to_account_id)
        .Bind(r.enterprise_id)
        .Bind(domain::ToString(r.mode))
        .Bind(r.actor_user_id)
        .Bind(r.started_at)
        .Bind(r.ends_at)
        .Bind(r.stopped_at)
        .Run();
  });
}

Result<Rehearsal> SqlStore::GetRehearsal(const std::string& id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectRehearsal, "get rehearsal");
  if (!st) return st.error();
  return FetchOne<Rehearsal>(st->Bind(id), RehearsalFromRow,
                             [&] { return NotFound("rehearsal", id); });
}

Result<std::vector<Rehearsal>> SqlStore::ListRehearsals(const std::string& workspace_id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kListRehearsals, "list rehearsals");
  if (!st) return st.error();
  return FetchAll<Rehearsal>(st->Bind(workspace_id), RehearsalFromRow);
}

Result<std::vector<Rehearsal>> SqlStore::ListLiveRehearsals(int64_t now) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kListLive, "list live rehearsals");
  if (!st) return st.error();
  return FetchAll<Rehearsal>(st->Bind(now), RehearsalFromRow);
}

Status SqlStore::StopRehearsal(const std::string& id, int64_t at) {
  return Write(Epoch::kBump, [&](Connection& c) -> Status {
    auto st = c.Prepare(kStopRehearsal, "stop rehearsal");
    if (!st) return st.error();
    return RunOnExisting(st->Bind(at).Bind(id), [&] { return NotFound("rehearsal", id); });
  });
}

Status SqlStore::AddRehearsalCounts(const std::vector<RehearsalCount>& counts) {
  if (counts.empty()) return {};
  return Write(Epoch::kKeep, [&](Connection& c) -> Status {
    for (const RehearsalCount& n : counts) {
      if (n.count <= 0) continue;
      auto st = c.Prepare(kUpsertCount, "add rehearsal counts");
      if (!st) return st.error();
      st->Bind(n.rehearsal_id)
          .Bind(n.token_id)
          .Bind(n.credential_kind)
          .Bind(n.real_code)
          .Bind(n.shadow_code)
          .Bind(n.count);
      if (Status run = st->Run(); !run) return run;
    }
    return {};
  });
}

Result<std::vector<RehearsalCount>> SqlStore::ListRehearsalCounts(const std::string& rehearsal_id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kListCounts, "list rehearsal counts");
  if (!st) return st.error();
  return FetchAll<RehearsalCount>(st->Bind(rehearsal_id), CountFromRow);
}

}  // namespace cozeauth::store::sql
