// SqlStore: workspace migrations and cross-account grants (schema v5).
#include "store/sql/codec.hpp"
#include "store/sql/sql_store.hpp"

namespace cozeauth::store::sql {
namespace {

using domain::AccountGrant;
using domain::Migration;

// The ownership move is one row: nothing the workspace holds is touched, so the cost does not
// depend on how much it holds (bots, conversations and members keep their ids and rows).
// Only from the account the plan was made for: of two migrations of one workspace racing (on two
// nodes), the second finds it moved and changes nothing.
constexpr char kMoveWorkspace[] =
    "UPDATE workspaces SET owner_account_id = ?1, type = 'team', legacy_account_id = ?2 "
    "WHERE id = ?3 AND owner_account_id = ?4";
constexpr char kWorkspaceExists[] = "SELECT COUNT(*) FROM workspaces WHERE id = ?";
constexpr char kInsertMigration[] =
    "INSERT INTO migrations (id, workspace_id, from_account_id, to_account_id, enterprise_id, "
    "mode, actor_user_id, created_at, plan_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kSelectMigration[] =
    "SELECT id, workspace_id, from_account_id, to_account_id, enterprise_id, mode, "
    "actor_user_id, created_at, plan_json FROM migrations WHERE id = ?";
// ?1 = '' lists every workspace's migrations.
constexpr char kListMigrations[] =
    "SELECT id, workspace_id, from_account_id, to_account_id, enterprise_id, mode, "
    "actor_user_id, created_at, plan_json FROM migrations WHERE (?1 = '' OR workspace_id = ?1) "
    "ORDER BY created_at DESC, id DESC";

constexpr char kInsertGrant[] =
    "INSERT INTO account_grants (id, personal_account_id, enterprise_id, credential_kind, "
    "credential_id, granted_by, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kSelectGrant[] =
    "SELECT id, personal_account_id, enterprise_id, credential_kind, credential_id, granted_by, "
    "created_at, revoked_at FROM account_grants WHERE id = ?";
constexpr char kListGrants[] =
    "SELECT id, personal_account_id, enterprise_id, credential_kind, credential_id, granted_by, "
    "created_at, revoked_at FROM account_grants WHERE personal_account_id = ? "
    "ORDER BY created_at, id";
constexpr char kRevokeGrant[] =
    "UPDATE account_grants SET revoked_at = CASE WHEN revoked_at = 0 THEN ?1 ELSE revoked_at "
    "END WHERE id = ?2";
constexpr char kGrantedAccounts[] =
    "SELECT DISTINCT personal_account_id FROM account_grants WHERE credential_kind = ? "
    "AND credential_id = ? AND revoked_at = 0 ORDER BY personal_account_id";

Result<Migration> MigrationFromRow(Statement& r) {
  auto mode = ParseColumn(domain::ParseMigrationMode(r.TextView(5)), "migrations.mode");
  if (!mode) return mode.error();
  Migration m;
  m.id = r.Text(0);
  m.workspace_id = r.Text(1);
  m.from_account_id = r.Text(2);
  m.to_account_id = r.Text(3);
  m.enterprise_id = r.Text(4);
  m.mode = *mode;
  m.actor_user_id = r.Text(6);
  m.created_at = r.Int(7);
  m.plan_json = r.Text(8);
  return m;
}

Result<AccountGrant> GrantFromRow(Statement& r) {
  auto kind =
      ParseColumn(domain::ParseGrantedCredential(r.TextView(3)), "account_grants.credential_kind");
  if (!kind) return kind.error();
  AccountGrant g;
  g.id = r.Text(0);
  g.personal_account_id = r.Text(1);
  g.enterprise_id = r.Text(2);
  g.credential_kind = *kind;
  g.credential_id = r.Text(4);
  g.granted_by = r.Text(5);
  g.created_at = r.Int(6);
  g.revoked_at = r.Int(7);
  return g;
}

}  // namespace

Status SqlStore::MigrateWorkspace(const Migration& m) {
  const std::string legacy =
      m.mode == domain::MigrationMode::kGrant ? m.from_account_id : std::string();
  return Write(Epoch::kBump, [&](Connection& c) -> Status {
    auto move = c.Prepare(kMoveWorkspace, "move workspace");
    if (!move) return move.error();
    if (Status s = move->Bind(m.to_account_id)
                       .Bind(legacy)
                       .Bind(m.workspace_id)
                       .Bind(m.from_account_id)
                       .Run();
        !s) {
      return s;
    }
    if (move->Changes() == 0) {
      auto exists = c.Prepare(kWorkspaceExists, "find workspace");
      if (!exists) return exists.error();
      auto count = FetchInt(exists->Bind(m.workspace_id));
      if (!count) return count.error();
      if (*count == 0) return NotFound("workspace", m.workspace_id);
      return Error::BadRequest("workspace", "workspace " + m.workspace_id +
                                                " is no longer in account " + m.from_account_id +
                                                " (another migration moved it first)");
    }
    auto st = c.Prepare(kInsertMigration, "record migration");
    if (!st) return st.error();
    return st->Bind(m.id)
        .Bind(m.workspace_id)
        .Bind(m.from_account_id)
        .Bind(m.to_account_id)
        .Bind(m.enterprise_id)
        .Bind(domain::ToString(m.mode))
        .Bind(m.actor_user_id)
        .Bind(m.created_at)
        .Bind(m.plan_json)
        .Run();
  });
}

Result<Migration> SqlStore::GetMigration(const std::string& id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectMigration, "get migration");
  if (!st) return st.error();
  return FetchOne<Migration>(st->Bind(id), MigrationFromRow,
                             [&] { return NotFound("migration", id); });
}

Result<std::vector<Migration>> SqlStore::ListMigrations(const std::string& workspace_id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kListMigrations, "list migrations");
  if (!st) return st.error();
  return FetchAll<Migration>(st->Bind(workspace_id), MigrationFromRow);
}

Status SqlStore::CreateAccountGrant(const AccountGrant& g) {
  return Write(Epoch::kBump, [&](Connection& c) -> Status {
    auto st = c.Prepare(kInsertGrant, "create account grant");
    if (!st) return st.error();
    return st->Bind(g.id)
        .Bind(g.personal_account_id)
        .Bind(g.enterprise_id)
        .Bind(domain::ToString(g.credential_kind))
        .Bind(g.credential_id)
        .Bind(g.granted_by)
        .Bind(g.created_at)
        .Bind(g.revoked_at)
        .Run();
  });
}

Result<AccountGrant> SqlStore::GetAccountGrant(const std::string& id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectGrant, "get account grant");
  if (!st) return st.error();
  return FetchOne<AccountGrant>(st->Bind(id), GrantFromRow,
                                [&] { return NotFound("account grant", id); });
}

Result<std::vector<AccountGrant>> SqlStore::ListAccountGrants(
    const std::string& personal_account_id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kListGrants, "list account grants");
  if (!st) return st.error();
  return FetchAll<AccountGrant>(st->Bind(personal_account_id), GrantFromRow);
}

Status SqlStore::RevokeAccountGrant(const std::string& id, int64_t at) {
  return Write(Epoch::kBump, [&](Connection& c) -> Status {
    auto st = c.Prepare(kRevokeGrant, "revoke account grant");
    if (!st) return st.error();
    return RunOnExisting(st->Bind(at).Bind(id), [&] { return NotFound("account grant", id); });
  });
}

Result<std::vector<std::string>> SqlStore::GrantedAccounts(domain::GrantedCredential kind,
                                                           const std::string& credential_id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kGrantedAccounts, "granted accounts");
  if (!st) return st.error();
  return FetchAll<std::string>(st->Bind(domain::ToString(kind)).Bind(credential_id),
                               [](Statement& r) -> Result<std::string> { return r.Text(0); });
}

}  // namespace cozeauth::store::sql
