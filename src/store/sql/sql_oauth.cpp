// SqlStore: OAuth apps, their public keys, authorizations and used JWT ids (schema v2, the
// authorization kind v3).
#include "base/strings.hpp"
#include "store/sql/codec.hpp"
#include "store/sql/sql_store.hpp"

namespace cozeauth::store::sql {
namespace {

using credentials::AppAuthorization;
using credentials::AppPublicKey;
using credentials::OAuthApp;

constexpr char kInsertApp[] =
    "INSERT INTO oauth_apps (id, client_id, owner_account_id, owner_user_id, name, description, "
    "app_type, client_type, status, account_permissions, workspace_permissions, "
    "enterprise_permissions, redirect_uris, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kSelectApp[] =
    "SELECT id, client_id, owner_account_id, owner_user_id, name, description, app_type, "
    "client_type, status, account_permissions, workspace_permissions, enterprise_permissions, "
    "redirect_uris, created_at FROM oauth_apps WHERE id = ?";
constexpr char kSelectAppByClientId[] =
    "SELECT id, client_id, owner_account_id, owner_user_id, name, description, app_type, "
    "client_type, status, account_permissions, workspace_permissions, enterprise_permissions, "
    "redirect_uris, created_at FROM oauth_apps WHERE client_id = ?";
// ?2 is the deleted status.
constexpr char kListAppsOfAccount[] =
    "SELECT id, client_id, owner_account_id, owner_user_id, name, description, app_type, "
    "client_type, status, account_permissions, workspace_permissions, enterprise_permissions, "
    "redirect_uris, created_at FROM oauth_apps WHERE owner_account_id = ?1 AND status <> ?2 "
    "ORDER BY created_at, id";
constexpr char kUpdateAppStatus[] = "UPDATE oauth_apps SET status = ? WHERE id = ?";
constexpr char kUpdateAppMeta[] =
    "UPDATE oauth_apps SET name = ?, description = ?, redirect_uris = ? WHERE id = ?";

constexpr char kInsertKey[] =
    "INSERT INTO app_public_keys (fingerprint, app_id, public_key_pem, created_at) "
    "VALUES (?, ?, ?, ?)";
constexpr char kSelectKey[] =
    "SELECT fingerprint, app_id, public_key_pem, created_at FROM app_public_keys "
    "WHERE fingerprint = ?";
constexpr char kListKeys[] =
    "SELECT fingerprint, app_id, public_key_pem, created_at FROM app_public_keys "
    "WHERE app_id = ? ORDER BY created_at, fingerprint";
constexpr char kDeleteKey[] = "DELETE FROM app_public_keys WHERE app_id = ? AND fingerprint = ?";

constexpr char kInsertAuthorization[] =
    "INSERT INTO app_authorizations (id, app_id, kind, account_id, enterprise_id, "
    "account_permissions, workspace_permissions, enterprise_permissions, all_workspaces, "
    "workspace_ids, authorized_by, created_at, revoked_at, disabled_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kSelectAuthorization[] =
    "SELECT id, app_id, kind, account_id, enterprise_id, account_permissions, "
    "workspace_permissions, enterprise_permissions, all_workspaces, workspace_ids, authorized_by, "
    "created_at, revoked_at, disabled_at FROM app_authorizations WHERE id = ?";
constexpr char kListAuthorizations[] =
    "SELECT id, app_id, kind, account_id, enterprise_id, account_permissions, "
    "workspace_permissions, enterprise_permissions, all_workspaces, workspace_ids, authorized_by, "
    "created_at, revoked_at, disabled_at FROM app_authorizations "
    "WHERE app_id = ? ORDER BY created_at, id";
// Organization authorizations carry their enterprise id too; personal-account ones have ''.
constexpr char kListAuthorizationsInEnterprise[] =
    "SELECT id, app_id, kind, account_id, enterprise_id, account_permissions, "
    "workspace_permissions, enterprise_permissions, all_workspaces, workspace_ids, authorized_by, "
    "created_at, revoked_at, disabled_at FROM app_authorizations "
    "WHERE enterprise_id = ? AND revoked_at = 0 ORDER BY created_at, id";
constexpr char kListLiveAuthorizationsOfAccount[] =
    "SELECT id, app_id, kind, account_id, enterprise_id, account_permissions, "
    "workspace_permissions, enterprise_permissions, all_workspaces, workspace_ids, authorized_by, "
    "created_at, revoked_at, disabled_at FROM app_authorizations "
    "WHERE account_id = ? AND revoked_at = 0 ORDER BY created_at, id";
// Revoking twice keeps the first revocation time (as tokens do).
constexpr char kRevokeAuthorization[] =
    "UPDATE app_authorizations SET revoked_at = CASE WHEN revoked_at = 0 THEN ?1 ELSE revoked_at "
    "END WHERE id = ?2";
// Enabling clears the time; disabling twice keeps the first.
constexpr char kSetAuthorizationDisabled[] =
    "UPDATE app_authorizations SET disabled_at = CASE WHEN ?1 = 0 THEN 0 WHEN disabled_at = 0 "
    "THEN ?1 ELSE disabled_at END WHERE id = ?2";
// A token's authorization_id names an AppAuth authorization or an OBO consent; a consent made
// in an enterprise depends on its installation there.
constexpr char kIsAuthorizationDisabled[] =
    "SELECT EXISTS (SELECT 1 FROM app_authorizations WHERE id = ?1 AND disabled_at != 0) "
    "OR EXISTS (SELECT 1 FROM obo_grants g JOIN app_authorizations a ON a.id = g.installation_id "
    "WHERE g.id = ?1 AND a.disabled_at != 0)";
constexpr char kRevokeTokensOfAuthorization[] =
    "UPDATE tokens SET revoked_at = ?1 WHERE authorization_id = ?2 AND revoked_at = 0";
// An OBO installation takes the grants that depend on it, and their tokens, with it.
constexpr char kRevokeTokensOfInstallationGrants[] =
    "UPDATE tokens SET revoked_at = ?1 WHERE revoked_at = 0 AND authorization_id IN "
    "(SELECT id FROM obo_grants WHERE installation_id = ?2)";
constexpr char kRevokeInstallationGrants[] =
    "UPDATE obo_grants SET revoked_at = CASE WHEN revoked_at = 0 THEN ?1 ELSE revoked_at END "
    "WHERE installation_id = ?2";

constexpr char kPurgeJwtIds[] = "DELETE FROM used_jwt_ids WHERE expires_at <= ?";
constexpr char kInsertJwtId[] =
    "INSERT INTO used_jwt_ids (app_id, jti, expires_at) VALUES (?, ?, ?)";

// Redirect URIs may contain commas, never newlines (they are validated as URLs).
std::string EncodeLines(const std::vector<std::string>& items) { return Join(items, "\n"); }
std::vector<std::string> DecodeLines(std::string_view column) {
  return SplitNonEmpty(column, '\n');
}

Result<OAuthApp> AppFromRow(Statement& r) {
  auto app_type = ParseColumn(credentials::ParseAppType(r.TextView(6)), "oauth_apps.app_type");
  if (!app_type) return app_type.error();
  auto client_type =
      ParseColumn(credentials::ParseClientType(r.TextView(7)), "oauth_apps.client_type");
  if (!client_type) return client_type.error();
  auto status = ParseColumn(credentials::ParseAppStatus(r.TextView(8)), "oauth_apps.status");
  if (!status) return status.error();
  OAuthApp a;
  a.id = r.Text(0);
  a.client_id = r.Text(1);
  a.owner_account_id = r.Text(2);
  a.owner_user_id = r.Text(3);
  a.name = r.Text(4);
  a.description = r.Text(5);
  a.app_type = *app_type;
  a.client_type = *client_type;
  a.status = *status;
  a.account_permissions = DecodeList(r.TextView(9));
  a.workspace_permissions = DecodeList(r.TextView(10));
  a.enterprise_permissions = DecodeList(r.TextView(11));
  a.redirect_uris = DecodeLines(r.TextView(12));
  a.created_at = r.Int(13);
  return a;
}

Result<AppPublicKey> KeyFromRow(Statement& r) {
  return AppPublicKey{r.Text(0), r.Text(1), r.Text(2), r.Int(3)};
}

Result<AppAuthorization> AuthorizationFromRow(Statement& r) {
  auto kind =
      ParseColumn(credentials::ParseAuthorizationKind(r.TextView(2)), "app_authorizations.kind");
  if (!kind) return kind.error();
  AppAuthorization a;
  a.id = r.Text(0);
  a.app_id = r.Text(1);
  a.kind = *kind;
  a.account_id = r.Text(3);
  a.enterprise_id = r.Text(4);
  a.grant.account_permissions = DecodeList(r.TextView(5));
  a.grant.workspace_permissions = DecodeList(r.TextView(6));
  a.grant.enterprise_permissions = DecodeList(r.TextView(7));
  a.grant.all_workspaces = r.Bool(8);
  a.grant.workspace_ids = DecodeList(r.TextView(9));
  a.authorized_by = r.Text(10);
  a.created_at = r.Int(11);
  a.revoked_at = r.Int(12);
  a.disabled_at = r.Int(13);
  return a;
}

}  // namespace

// --- apps

Status SqlStore::CreateOAuthApp(const OAuthApp& a) {
  const std::string acc = EncodeList(a.account_permissions);
  const std::string ws = EncodeList(a.workspace_permissions);
  const std::string ent = EncodeList(a.enterprise_permissions);
  const std::string uris = EncodeLines(a.redirect_uris);
  return Write(Epoch::kKeep, [&](Connection& c) -> Status {
    auto st = c.Prepare(kInsertApp, "create oauth app");
    if (!st) return st.error();
    return st->Bind(a.id)
        .Bind(a.client_id)
        .Bind(a.owner_account_id)
        .Bind(a.owner_user_id)
        .Bind(a.name)
        .Bind(a.description)
        .Bind(credentials::ToString(a.app_type))
        .Bind(credentials::ToString(a.client_type))
        .Bind(credentials::ToString(a.status))
        .Bind(acc)
        .Bind(ws)
        .Bind(ent)
        .Bind(uris)
        .Bind(a.created_at)
        .Run();
  });
}

Result<OAuthApp> SqlStore::GetOAuthApp(const std::string& id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectApp, "get oauth app");
  if (!st) return st.error();
  return FetchOne<OAuthApp>(st->Bind(id), AppFromRow, [&] { return NotFound("app", id); });
}

Result<std::vector<OAuthApp>> SqlStore::ListOAuthAppsOfAccount(const std::string& account_id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kListAppsOfAccount, "list oauth apps of account");
  if (!st) return st.error();
  return FetchAll<OAuthApp>(
      st->Bind(account_id).Bind(credentials::ToString(credentials::AppStatus::kDeleted)),
      AppFromRow);
}

Result<OAuthApp> SqlStore::FindOAuthAppByClientId(const std::string& client_id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectAppByClientId, "find oauth app by client id");
  if (!st) return st.error();
  return FetchOne<OAuthApp>(st->Bind(client_id), AppFromRow,
                            [&] { return NotFound("app with client_id", client_id); });
}

Status SqlStore::SetOAuthAppStatus(const std::string& id, credentials::AppStatus status) {
  return Write(Epoch::kBump, [&](Connection& c) -> Status {
    auto st = c.Prepare(kUpdateAppStatus, "set oauth app status");
    if (!st) return st.error();
    return RunOnExisting(st->Bind(credentials::ToString(status)).Bind(id),
                         [&] { return NotFound("app", id); });
  });
}

Status SqlStore::UpdateOAuthAppMeta(const std::string& id, const std::string& name,
                                    const std::string& description,
                                    const std::vector<std::string>& redirect_uris) {
  const std::string uris = EncodeLines(redirect_uris);
  return Write(Epoch::kBump, [&](Connection& c) -> Status {
    auto st = c.Prepare(kUpdateAppMeta, "update oauth app meta");
    if (!st) return st.error();
    return RunOnExisting(st->Bind(name).Bind(description).Bind(uris).Bind(id),
                         [&] { return NotFound("app", id); });
  });
}

// --- public keys

Status SqlStore::AddAppPublicKey(const AppPublicKey& k) {
  return Write(Epoch::kKeep, [&](Connection& c) -> Status {
    auto st = c.Prepare(kInsertKey, "add app public key");
    if (!st) return st.error();
    return st->Bind(k.fingerprint).Bind(k.app_id).Bind(k.public_key_pem).Bind(k.created_at).Run();
  });
}

Result<AppPublicKey> SqlStore::GetAppPublicKey(const std::string& fingerprint) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectKey, "get app public key");
  if (!st) return st.error();
  return FetchOne<AppPublicKey>(st->Bind(fingerprint), KeyFromRow,
                                [&] { return NotFound("public key", fingerprint); });
}

Result<std::vector<AppPublicKey>> SqlStore::ListAppPublicKeys(const std::string& app_id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kListKeys, "list app public keys");
  if (!st) return st.error();
  return FetchAll<AppPublicKey>(st->Bind(app_id), KeyFromRow);
}

Status SqlStore::DeleteAppPublicKey(const std::string& app_id, const std::string& fingerprint) {
  return Write(Epoch::kBump, [&](Connection& c) -> Status {
    auto st = c.Prepare(kDeleteKey, "delete app public key");
    if (!st) return st.error();
    return RunOnExisting(st->Bind(app_id).Bind(fingerprint),
                         [&] { return NotFound("public key", fingerprint); });
  });
}

// --- authorizations

Status SqlStore::CreateAppAuthorization(const AppAuthorization& a) {
  const std::string acc = EncodeList(a.grant.account_permissions);
  const std::string ws = EncodeList(a.grant.workspace_permissions);
  const std::string ent = EncodeList(a.grant.enterprise_permissions);
  const std::string wids = EncodeList(a.grant.workspace_ids);
  return Write(Epoch::kBump, [&](Connection& c) -> Status {
    auto st = c.Prepare(kInsertAuthorization, "create app authorization");
    if (!st) return st.error();
    return st->Bind(a.id)
        .Bind(a.app_id)
        .Bind(credentials::ToString(a.kind))
        .Bind(a.account_id)
        .Bind(a.enterprise_id)
        .Bind(acc)
        .Bind(ws)
        .Bind(ent)
        .Bind(a.grant.all_workspaces)
        .Bind(wids)
        .Bind(a.authorized_by)
        .Bind(a.created_at)
        .Bind(a.revoked_at)
        .Bind(a.disabled_at)
        .Run();
  });
}

Result<AppAuthorization> SqlStore::GetAppAuthorization(const std::string& id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectAuthorization, "get app authorization");
  if (!st) return st.error();
  return FetchOne<AppAuthorization>(st->Bind(id), AuthorizationFromRow,
                                    [&] { return NotFound("authorization", id); });
}

Result<std::vector<AppAuthorization>> SqlStore::ListAppAuthorizations(const std::string& app_id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kListAuthorizations, "list app authorizations");
  if (!st) return st.error();
  return FetchAll<AppAuthorization>(st->Bind(app_id), AuthorizationFromRow);
}

Result<std::vector<AppAuthorization>> SqlStore::ListAuthorizationsInEnterprise(
    const std::string& enterprise_id) {
  // '' is "no enterprise" (personal-account rows), never an enterprise to list.
  if (enterprise_id.empty()) return std::vector<AppAuthorization>{};
  ReadLease lease(*this);
  auto st = lease.Prepare(kListAuthorizationsInEnterprise, "list authorizations in enterprise");
  if (!st) return st.error();
  return FetchAll<AppAuthorization>(st->Bind(enterprise_id), AuthorizationFromRow);
}

Result<std::vector<AppAuthorization>> SqlStore::ListAuthorizationsOfAccount(
    const std::string& account_id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kListLiveAuthorizationsOfAccount, "list authorizations of account");
  if (!st) return st.error();
  return FetchAll<AppAuthorization>(st->Bind(account_id), AuthorizationFromRow);
}

Status SqlStore::RevokeAppAuthorization(const std::string& id, int64_t at) {
  return Write(Epoch::kBump, [&](Connection& c) -> Status {
    auto st = c.Prepare(kRevokeAuthorization, "revoke app authorization");
    if (!st) return st.error();
    if (auto s =
            RunOnExisting(st->Bind(at).Bind(id), [&] { return NotFound("authorization", id); });
        !s) {
      return s;
    }
    auto tokens = c.Prepare(kRevokeTokensOfAuthorization, "revoke tokens of authorization");
    if (!tokens) return tokens.error();
    if (auto s = tokens->Bind(at).Bind(id).Run(); !s) return s;
    // Grants that depend on it (only an OBO installation has any): their tokens, then them.
    auto grant_tokens =
        c.Prepare(kRevokeTokensOfInstallationGrants, "revoke tokens of installation grants");
    if (!grant_tokens) return grant_tokens.error();
    if (auto s = grant_tokens->Bind(at).Bind(id).Run(); !s) return s;
    auto grants = c.Prepare(kRevokeInstallationGrants, "revoke installation grants");
    if (!grants) return grants.error();
    return grants->Bind(at).Bind(id).Run();
  });
}

Status SqlStore::SetAppAuthorizationDisabled(const std::string& id, int64_t at) {
  return Write(Epoch::kBump, [&](Connection& c) -> Status {
    auto st = c.Prepare(kSetAuthorizationDisabled, "set app authorization disabled");
    if (!st) return st.error();
    return RunOnExisting(st->Bind(at).Bind(id), [&] { return NotFound("authorization", id); });
  });
}

Result<bool> SqlStore::IsAuthorizationDisabled(const std::string& authorization_id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kIsAuthorizationDisabled, "is authorization disabled");
  if (!st) return st.error();
  auto disabled = FetchInt(st->Bind(authorization_id));
  if (!disabled) return disabled.error();
  return *disabled != 0;
}

// --- JWT ids

Status SqlStore::UseJwtId(const std::string& app_id, const std::string& jti, int64_t expires_at,
                          int64_t now) {
  return Write(Epoch::kKeep, [&](Connection& c) -> Status {
    auto purge = c.Prepare(kPurgeJwtIds, "purge used jwt ids");
    if (!purge) return purge.error();
    if (auto s = purge->Bind(now).Run(); !s) return s;
    auto st = c.Prepare(kInsertJwtId, "use jwt id");
    if (!st) return st.error();
    return st->Bind(app_id).Bind(jti).Bind(expires_at).Run();
  });
}

}  // namespace cozeauth::store::sql
