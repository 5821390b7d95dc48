// SqlStore: users, accounts, enterprises, workspaces and their memberships.
#include "store/sql/codec.hpp"
#include "store/sql/sql_store.hpp"

namespace cozeauth::store::sql {
namespace {

constexpr char kInsertUser[] =
    "INSERT INTO users (id, name, email, password_hash, created_at) "
    "VALUES (?, ?, NULLIF(?, ''), ?, ?)";
constexpr char kUpdateUserPassword[] = "UPDATE users SET password_hash = ? WHERE id = ?";
constexpr char kSelectUser[] =
    "SELECT id, name, email, password_hash, created_at FROM users WHERE id = ?";
// Ignores ASCII case, as users.email's unique index does (lower() on both backends).
constexpr char kSelectUserByEmail[] =
    "SELECT id, name, email, password_hash, created_at FROM users WHERE lower(email) = lower(?)";
constexpr char kCountUsers[] = "SELECT COUNT(*) FROM users";
constexpr char kListUsers[] =
    "SELECT id, name, email, password_hash, created_at FROM users ORDER BY created_at, id";

constexpr char kInsertAccount[] =
    "INSERT INTO accounts (id, kind, name, user_id, enterprise_id, is_default, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr char kSelectAccount[] =
    "SELECT id, kind, name, user_id, enterprise_id, is_default, created_at FROM accounts "
    "WHERE id = ?";
constexpr char kListOrganizations[] =
    "SELECT id, kind, name, user_id, enterprise_id, is_default, created_at FROM accounts "
    "WHERE enterprise_id = ? AND kind = ? ORDER BY created_at, id";

constexpr char kInsertEnterprise[] =
    "INSERT INTO enterprises (id, name, edition, owner_user_id, default_org_account_id, "
    "created_at) VALUES (?, ?, ?, ?, ?, ?)";
constexpr char kSelectEnterprise[] =
    "SELECT id, name, edition, owner_user_id, default_org_account_id, created_at "
    "FROM enterprises WHERE id = ?";
constexpr char kUpdateEdition[] = "UPDATE enterprises SET edition = ? WHERE id = ?";
// A role in the enterprise itself or in one of its organizations.
constexpr char kListEnterprisesOfUser[] =
    "SELECT id, name, edition, owner_user_id, default_org_account_id, created_at "
    "FROM enterprises WHERE id IN ("
    "  SELECT enterprise_id FROM enterprise_members WHERE user_id = ?1"
    "  UNION"
    "  SELECT a.enterprise_id FROM org_members m JOIN accounts a ON a.id = m.account_id"
    "  WHERE m.user_id = ?1) "
    "ORDER BY created_at, id";

// Re-setting a role keeps the original joined_at.
constexpr char kUpsertEnterpriseMember[] =
    "INSERT INTO enterprise_members (enterprise_id, user_id, role, joined_at) "
    "VALUES (?, ?, ?, ?) ON CONFLICT (enterprise_id, user_id) DO UPDATE SET role = excluded.role";
constexpr char kDeleteEnterpriseMember[] =
    "DELETE FROM enterprise_members WHERE enterprise_id = ? AND user_id = ?";
constexpr char kSelectEnterpriseRole[] =
    "SELECT role FROM enterprise_members WHERE enterprise_id = ? AND user_id = ?";
constexpr char kListEnterpriseMembers[] =
    "SELECT user_id, role, joined_at FROM enterprise_members WHERE enterprise_id = ? "
    "ORDER BY joined_at, user_id";

constexpr char kUpsertOrgMember[] =
    "INSERT INTO org_members (account_id, user_id, role, joined_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (account_id, user_id) DO UPDATE SET role = excluded.role";
constexpr char kDeleteOrgMember[] = "DELETE FROM org_members WHERE account_id = ? AND user_id = ?";
constexpr char kSelectOrgRole[] =
    "SELECT role FROM org_members WHERE account_id = ? AND user_id = ?";

constexpr char kInsertWorkspace[] =
    "INSERT INTO workspaces (id, name, description, owner_account_id, owner_user_id, type, "
    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr char kSelectWorkspace[] =
    "SELECT id, name, description, owner_account_id, owner_user_id, type, created_at, "
    "legacy_account_id FROM workspaces WHERE id = ?";
constexpr char kListWorkspacesOfAccount[] =
    "SELECT id, name, description, owner_account_id, owner_user_id, type, created_at, "
    "legacy_account_id FROM workspaces WHERE owner_account_id = ? ORDER BY created_at, id";
// An enterprise's workspaces are those owned by its organizations.
constexpr char kListWorkspacesOfEnterprise[] =
    "SELECT w.id, w.name, w.description, w.owner_account_id, w.owner_user_id, w.type, "
    "w.created_at, w.legacy_account_id FROM workspaces w JOIN accounts a "
    "ON a.id = w.owner_account_id "
    "WHERE a.enterprise_id = ? AND a.kind = ? ORDER BY w.created_at, w.id";

constexpr char kUpsertWorkspaceMember[] =
    "INSERT INTO workspace_members (workspace_id, user_id, role, joined_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = excluded.role";
constexpr char kDeleteWorkspaceMember[] =
    "DELETE FROM workspace_members WHERE workspace_id = ? AND user_id = ?";
constexpr char kSelectWorkspaceRole[] =
    "SELECT role FROM workspace_members WHERE workspace_id = ? AND user_id = ?";
constexpr char kListWorkspaceMembers[] =
    "SELECT user_id, role, joined_at FROM workspace_members WHERE workspace_id = ? "
    "ORDER BY joined_at, user_id";

Result<domain::User> UserFromRow(Statement& r) {
  return domain::User{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4)};
}

Result<domain::Account> AccountFromRow(Statement& r) {
  auto kind = ParseColumn(domain::ParseAccountKind(r.TextView(1)), "accounts.kind");
  if (!kind) return kind.error();
  domain::Account a;
  a.id = r.Text(0);
  a.kind = *kind;
  a.name = r.Text(2);
  a.user_id = r.Text(3);
  a.enterprise_id = r.Text(4);
  a.is_default = r.Bool(5);
  a.created_at = r.Int(6);
  return a;
}

Result<domain::Enterprise> EnterpriseFromRow(Statement& r) {
  auto edition = ParseColumn(domain::ParseEdition(r.TextView(2)), "enterprises.edition");
  if (!edition) return edition.error();
  domain::Enterprise e;
  e.id = r.Text(0);
  e.name = r.Text(1);
  e.edition = *edition;
  e.owner_user_id = r.Text(3);
  e.default_org_account_id = r.Text(4);
  e.created_at = r.Int(5);
  return e;
}

Result<domain::Workspace> WorkspaceFromRow(Statement& r) {
  auto type = ParseColumn(domain::ParseWorkspaceType(r.TextView(5)), "workspaces.type");
  if (!type) return type.error();
  domain::Workspace w;
  w.id = r.Text(0);
  w.name = r.Text(1);
  w.description = r.Text(2);
  w.owner_account_id = r.Text(3);
  w.owner_user_id = r.Text(4);
  w.type = *type;
  w.created_at = r.Int(6);
  w.legacy_account_id = r.Text(7);
  return w;
}

Result<domain::Member> MemberFromRow(Statement& r) {
  return domain::Member{r.Text(0), r.Text(1), r.Int(2)};
}

// Reads the optional role of (scope, user) with `parse` (a domain::Parse*Role).
template <typename Parse>
auto FetchRole(Statement& st, Parse parse, std::string_view column)
    -> Result<std::optional<typename decltype(parse(std::string_view()))::value_type>> {
  using Role = typename decltype(parse(std::string_view()))::value_type;
  auto row = st.Step();
  if (!row) return row.error();
  if (!*row) return std::optional<Role>();
  auto role = ParseColumn(parse(st.TextView(0)), column);
  if (!role) return role.error();
  return std::optional<Role>(*role);
}

}  // namespace

// --- users

Status SqlStore::CreateUser(const domain::User& user) {
  return Write(Epoch::kKeep, [&](Connection& c) -> Status {
    auto st = c.Prepare(kInsertUser, "create user");
    if (!st) return st.error();
    return st->Bind(user.id)
        .Bind(user.name)
        .Bind(user.email)
        .Bind(user.password_hash)
        .Bind(user.created_at)
        .Run();
  });
}

Status SqlStore::SetUserPassword(const std::string& user_id, const std::string& password_hash) {
  return Write(Epoch::kKeep, [&](Connection& c) -> Status {
    auto st = c.Prepare(kUpdateUserPassword, "set user password");
    if (!st) return st.error();
    return RunOnExisting(st->Bind(password_hash).Bind(user_id),
                         [&] { return NotFound("user", user_id); });
  });
}

Result<domain::User> SqlStore::GetUser(const std::string& id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectUser, "get user");
  if (!st) return st.error();
  return FetchOne<domain::User>(st->Bind(id), UserFromRow, [&] { return NotFound("user", id); });
}

Result<domain::User> SqlStore::FindUserByEmail(const std::string& email) {
  if (email.empty()) return Error::Make(Errc::kNotFound, "no user with an empty email");
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectUserByEmail, "find user by email");
  if (!st) return st.error();
  return FetchOne<domain::User>(st->Bind(email), UserFromRow, [] {
    return Error::Make(Errc::kNotFound, "no user with this email");
  });
}

Result<int64_t> SqlStore::CountUsers() {
  ReadLease lease(*this);
  auto st = lease.Prepare(kCountUsers, "count users");
  if (!st) return st.error();
  return FetchInt(*st);
}

Result<std::vector<domain::User>> SqlStore::ListUsers() {
  ReadLease lease(*this);
  auto st = lease.Prepare(kListUsers, "list users");
  if (!st) return st.error();
  return FetchAll<domain::User>(*st, UserFromRow);
}

// --- accounts and enterprises

Status SqlStore::CreateAccount(const domain::Account& account) {
  return Write(Epoch::kKeep, [&](Connection& c) -> Status {
    auto st = c.Prepare(kInsertAccount, "create account");
    if (!st) return st.error();
    return st->Bind(account.id)
        .Bind(domain::ToString(account.kind))
        .Bind(account.name)
        .Bind(account.user_id)
        .Bind(account.enterprise_id)
        .Bind(account.is_default)
        .Bind(account.created_at)
        .Run();
  });
}

Result<domain::Account> SqlStore::GetAccount(const std::string& id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectAccount, "get account");
  if (!st) return st.error();
  return FetchOne<domain::Account>(st->Bind(id), AccountFromRow,
                                   [&] { return NotFound("account", id); });
}

Result<std::vector<domain::Account>> SqlStore::ListOrganizations(const std::string& enterprise_id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kListOrganizations, "list organizations");
  if (!st) return st.error();
  st->Bind(enterprise_id).Bind(domain::ToString(domain::AccountKind::kOrganization));
  return FetchAll<domain::Account>(*st, AccountFromRow);
}

Status SqlStore::CreateEnterprise(const domain::Enterprise& e) {
  return Write(Epoch::kKeep, [&](Connection& c) -> Status {
    auto st = c.Prepare(kInsertEnterprise, "create enterprise");
    if (!st) return st.error();
    return st->Bind(e.id)
        .Bind(e.name)
        .Bind(domain::ToString(e.edition))
        .Bind(e.owner_user_id)
        .Bind(e.default_org_account_id)
        .Bind(e.created_at)
        .Run();
  });
}

Result<domain::Enterprise> SqlStore::GetEnterprise(const std::string& id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectEnterprise, "get enterprise");
  if (!st) return st.error();
  return FetchOne<domain::Enterprise>(st->Bind(id), EnterpriseFromRow,
                                      [&] { return NotFound("enterprise", id); });
}

Status SqlStore::UpdateEnterpriseEdition(const std::string& id, domain::Edition edition) {
  return Write(Epoch::kBump, [&](Connection& c) -> Status {
    auto st = c.Prepare(kUpdateEdition, "update enterprise edition");
    if (!st) return st.error();
    return RunOnExisting(st->Bind(domain::ToString(edition)).Bind(id),
                         [&] { return NotFound("enterprise", id); });
  });
}

Status SqlStore::SetEnterpriseRole(const std::string& enterprise_id, const std::string& user_id,
                                   domain::OrgRole role) {
  const int64_t now = clock_.NowSeconds();
  return Write(Epoch::kBump, [&](Connection& c) -> Status {
    auto st = c.Prepare(kUpsertEnterpriseMember, "set enterprise role");
    if (!st) return st.error();
    return st->Bind(enterprise_id).Bind(user_id).Bind(domain::ToString(role)).Bind(now).Run();
  });
}

Status SqlStore::RemoveEnterpriseMember(const std::string& enterprise_id,
                                        const std::string& user_id) {
  return Write(Epoch::kBump, [&](Connection& c) -> Status {
    auto st = c.Prepare(kDeleteEnterpriseMember, "remove enterprise member");
    if (!st) return st.error();
    return RunOnExisting(st->Bind(enterprise_id).Bind(user_id), [&] {
      return NotFound("member " + user_id + " of enterprise", enterprise_id);
    });
  });
}

Result<std::optional<domain::OrgRole>> SqlStore::GetEnterpriseRole(const std::string& enterprise_id,
                                                                   const std::string& user_id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectEnterpriseRole, "get enterprise role");
  if (!st) return st.error();
  return FetchRole(st->Bind(enterprise_id).Bind(user_id), domain::ParseOrgRole,
                   "enterprise_members.role");
}

Result<std::vector<domain::Member>> SqlStore::ListEnterpriseMembers(
    const std::string& enterprise_id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kListEnterpriseMembers, "list enterprise members");
  if (!st) return st.error();
  return FetchAll<domain::Member>(st->Bind(enterprise_id), MemberFromRow);
}

Status SqlStore::SetOrgRole(const std::string& org_account_id, const std::string& user_id,
                            domain::OrgRole role) {
  const int64_t now = clock_.NowSeconds();
  return Write(Epoch::kBump, [&](Connection& c) -> Status {
    auto st = c.Prepare(kUpsertOrgMember, "set organization role");
    if (!st) return st.error();
    return st->Bind(org_account_id).Bind(user_id).Bind(domain::ToString(role)).Bind(now).Run();
  });
}

Status SqlStore::RemoveOrgMember(const std::string& org_account_id, const std::string& user_id) {
  return Write(Epoch::kBump, [&](Connection& c) -> Status {
    auto st = c.Prepare(kDeleteOrgMember, "remove organization member");
    if (!st) return st.error();
    return RunOnExisting(st->Bind(org_account_id).Bind(user_id), [&] {
      return NotFound("member " + user_id + " of organization", org_account_id);
    });
  });
}

Result<std::optional<domain::OrgRole>> SqlStore::GetOrgRole(const std::string& org_account_id,
                                                            const std::string& user_id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectOrgRole, "get organization role");
  if (!st) return st.error();
  return FetchRole(st->Bind(org_account_id).Bind(user_id), domain::ParseOrgRole,
                   "org_members.role");
}

Result<std::vector<domain::Enterprise>> SqlStore::ListEnterprisesOfUser(
    const std::string& user_id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kListEnterprisesOfUser, "list enterprises of user");
  if (!st) return st.error();
  return FetchAll<domain::Enterprise>(st->Bind(user_id), EnterpriseFromRow);
}

// --- workspaces

Status SqlStore::CreateWorkspace(const domain::Workspace& w) {
  // A new workspace widens "all workspaces" grants and enterprise reach: bump the epoch.
  return Write(Epoch::kBump, [&](Connection& c) -> Status {
    auto st = c.Prepare(kInsertWorkspace, "create workspace");
    if (!st) return st.error();
    return st->Bind(w.id)
        .Bind(w.name)
        .Bind(w.description)
        .Bind(w.owner_account_id)
        .Bind(w.owner_user_id)
        .Bind(domain::ToString(w.type))
        .Bind(w.created_at)
        .Run();
  });
}

Result<domain::Workspace> SqlStore::GetWorkspace(const std::string& id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectWorkspace, "get workspace");
  if (!st) return st.error();
  return FetchOne<domain::Workspace>(st->Bind(id), WorkspaceFromRow,
                                     [&] { return NotFound("workspace", id); });
}

Result<std::vector<domain::Workspace>> SqlStore::ListWorkspacesOfAccount(
    const std::string& account_id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kListWorkspacesOfAccount, "list workspaces of account");
  if (!st) return st.error();
  return FetchAll<domain::Workspace>(st->Bind(account_id), WorkspaceFromRow);
}

Result<std::vector<domain::Workspace>> SqlStore::ListWorkspacesOfEnterprise(
    const std::string& enterprise_id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kListWorkspacesOfEnterprise, "list workspaces of enterprise");
  if (!st) return st.error();
  st->Bind(enterprise_id).Bind(domain::ToString(domain::AccountKind::kOrganization));
  return FetchAll<domain::Workspace>(*st, WorkspaceFromRow);
}

Status SqlStore::SetWorkspaceRole(const std::string& workspace_id, const std::string& user_id,
                                  domain::WorkspaceRole role) {
  const int64_t now = clock_.NowSeconds();
  return Write(Epoch::kBump, [&](Connection& c) -> Status {
    auto st = c.Prepare(kUpsertWorkspaceMember, "set workspace role");
    if (!st) return st.error();
    return st->Bind(workspace_id).Bind(user_id).Bind(domain::ToString(role)).Bind(now).Run();
  });
}

Status SqlStore::RemoveWorkspaceMember(const std::string& workspace_id,
                                       const std::string& user_id) {
  return Write(Epoch::kBump, [&](Connection& c) -> Status {
    auto st = c.Prepare(kDeleteWorkspaceMember, "remove workspace member");
    if (!st) return st.error();
    return RunOnExisting(st->Bind(workspace_id).Bind(user_id), [&] {
      return NotFound("member " + user_id + " of workspace", workspace_id);
    });
  });
}

Result<std::optional<domain::WorkspaceRole>> SqlStore::GetWorkspaceRole(
    const std::string& workspace_id, const std::string& user_id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectWorkspaceRole, "get workspace role");
  if (!st) return st.error();
  return FetchRole(st->Bind(workspace_id).Bind(user_id), domain::ParseWorkspaceRole,
                   "workspace_members.role");
}

Result<std::vector<domain::Member>> SqlStore::ListWorkspaceMembers(
    const std::string& workspace_id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kListWorkspaceMembers, "list workspace members");
  if (!st) return st.error();
  return FetchAll<domain::Member>(st->Bind(workspace_id), MemberFromRow);
}

}  // namespace cozeauth::store::sql
