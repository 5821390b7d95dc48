// SqlStore: the on-behalf-of-user side of OAuth apps (schema v3): client secrets, OBO grants,
// authorization codes, refresh tokens and device codes. Only digests of secrets are stored, and
// error messages never include them.
#include <optional>

#include "store/sql/codec.hpp"
#include "store/sql/sql_store.hpp"

namespace cozeauth::store::sql {
namespace {

using credentials::AuthorizationCode;
using credentials::ClientSecret;
using credentials::DeviceCode;
using credentials::OboGrant;
using credentials::RefreshToken;

constexpr char kInsertSecret[] =
    "INSERT INTO oauth_client_secrets (id, app_id, secret_hash, mask, created_at) "
    "VALUES (?, ?, ?, ?, ?)";
constexpr char kListSecrets[] =
    "SELECT id, app_id, secret_hash, mask, created_at FROM oauth_client_secrets "
    "WHERE app_id = ? ORDER BY created_at, id";
constexpr char kDeleteSecret[] = "DELETE FROM oauth_client_secrets WHERE app_id = ? AND id = ?";

constexpr char kInsertGrant[] =
    "INSERT INTO obo_grants (id, app_id, user_id, context_kind, account_id, enterprise_id, "
    "account_permissions, workspace_permissions, enterprise_permissions, all_workspaces, "
    "workspace_ids, installation_id, created_at, revoked_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kSelectGrant[] =
    "SELECT id, app_id, user_id, context_kind, account_id, enterprise_id, account_permissions, "
    "workspace_permissions, enterprise_permissions, all_workspaces, workspace_ids, "
    "installation_id, created_at, revoked_at FROM obo_grants WHERE id = ?";
constexpr char kListGrantsOfApp[] =
    "SELECT id, app_id, user_id, context_kind, account_id, enterprise_id, account_permissions, "
    "workspace_permissions, enterprise_permissions, all_workspaces, workspace_ids, "
    "installation_id, created_at, revoked_at FROM obo_grants WHERE app_id = ? "
    "ORDER BY created_at, id";
constexpr char kListLiveGrantsOfAccount[] =
    "SELECT id, app_id, user_id, context_kind, account_id, enterprise_id, account_permissions, "
    "workspace_permissions, enterprise_permissions, all_workspaces, workspace_ids, "
    "installation_id, created_at, revoked_at FROM obo_grants WHERE account_id = ? "
    "AND revoked_at = 0 ORDER BY created_at, id";
// Revoking twice keeps the first revocation time (as tokens do).
constexpr char kRevokeGrant[] =
    "UPDATE obo_grants SET revoked_at = CASE WHEN revoked_at = 0 THEN ?1 ELSE revoked_at END "
    "WHERE id = ?2";
constexpr char kRevokeTokensOfGrant[] =
    "UPDATE tokens SET revoked_at = ?1 WHERE authorization_id = ?2 AND revoked_at = 0";

constexpr char kInsertCode[] =
    "INSERT INTO authorization_codes (code_hash, grant_id, app_id, redirect_uri, code_challenge, "
    "code_challenge_method, created_at, expires_at, used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kSelectCode[] =
    "SELECT code_hash, grant_id, app_id, redirect_uri, code_challenge, code_challenge_method, "
    "created_at, expires_at, used_at FROM authorization_codes WHERE code_hash = ?";
constexpr char kUseCode[] =
    "UPDATE authorization_codes SET used_at = ? WHERE code_hash = ? AND used_at = 0";

constexpr char kInsertRefresh[] =
    "INSERT INTO refresh_tokens (token_hash, grant_id, app_id, created_at, expires_at, used_at, "
    "parent_hash, access_token_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kSelectRefresh[] =
    "SELECT token_hash, grant_id, app_id, created_at, expires_at, used_at, parent_hash, "
    "access_token_id FROM refresh_tokens WHERE token_hash = ?";
// rowid orders rotations made within the same second.
constexpr char kSelectRefreshSuccessor[] =
    "SELECT token_hash, grant_id, app_id, created_at, expires_at, used_at, parent_hash, "
    "access_token_id FROM refresh_tokens WHERE parent_hash = ? AND parent_hash <> '' "
    "ORDER BY created_at DESC, rowid DESC LIMIT 1";
constexpr char kUseRefresh[] =
    "UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at = 0";

constexpr char kCountLiveUserCodes[] =
    "SELECT COUNT(*) FROM device_codes WHERE user_code = ? AND expires_at > ?";
constexpr char kInsertDevice[] =
    "INSERT INTO device_codes (device_code_hash, user_code, app_id, workspace_id, status, "
    "grant_id, created_at, expires_at, last_poll_at, interval_seconds) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kSelectDevice[] =
    "SELECT device_code_hash, user_code, app_id, workspace_id, status, grant_id, created_at, "
    "expires_at, last_poll_at, interval_seconds FROM device_codes WHERE device_code_hash = ?";
constexpr char kSelectDeviceByUserCode[] =
    "SELECT device_code_hash, user_code, app_id, workspace_id, status, grant_id, created_at, "
    "expires_at, last_poll_at, interval_seconds FROM device_codes WHERE user_code = ? "
    "ORDER BY created_at DESC, device_code_hash DESC LIMIT 1";
constexpr char kUpdateDevice[] =
    "UPDATE device_codes SET status = ?, grant_id = ?, last_poll_at = ?, interval_seconds = ? "
    "WHERE device_code_hash = ? AND status = ?";
constexpr char kCountDevice[] = "SELECT COUNT(*) FROM device_codes WHERE device_code_hash = ?";

// PurgeExpired: one statement per table, each served by its expires_at index.
constexpr const char* kPurgeExpired[] = {
    "DELETE FROM device_codes WHERE expires_at <= ?",
    "DELETE FROM authorization_codes WHERE expires_at <= ?",
    "DELETE FROM refresh_tokens WHERE expires_at <= ?",
    "DELETE FROM used_jwt_ids WHERE expires_at <= ?",
};

// A grant's list columns, encoded once so that the bound text outlives the statement.
struct EncodedGrant {
  explicit EncodedGrant(const credentials::Grant& g)
      : account_permissions(EncodeList(g.account_permissions)),
        workspace_permissions(EncodeList(g.workspace_permissions)),
        enterprise_permissions(EncodeList(g.enterprise_permissions)),
        workspace_ids(EncodeList(g.workspace_ids)) {}
  std::string account_permissions;
  std::string workspace_permissions;
  std::string enterprise_permissions;
  std::string workspace_ids;
};

// Never echo a secret's digest.
Error SecretNotFound(const char* what) {
  return Error::Make(Errc::kNotFound, std::string(what) + " not found");
}

Result<ClientSecret> SecretFromRow(Statement& r) {
  return ClientSecret{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4)};
}

Result<OboGrant> GrantFromRow(Statement& r) {
  auto context_kind =
      ParseColumn(credentials::ParseContextKind(r.TextView(3)), "obo_grants.context_kind");
  if (!context_kind) return context_kind.error();
  OboGrant g;
  g.id = r.Text(0);
  g.app_id = r.Text(1);
  g.user_id = r.Text(2);
  g.context.kind = *context_kind;
  g.context.account_id = r.Text(4);
  g.context.enterprise_id = r.Text(5);
  g.grant.account_permissions = DecodeList(r.TextView(6));
  g.grant.workspace_permissions = DecodeList(r.TextView(7));
  g.grant.enterprise_permissions = DecodeList(r.TextView(8));
  g.grant.all_workspaces = r.Bool(9);
  g.grant.workspace_ids = DecodeList(r.TextView(10));
  g.installation_id = r.Text(11);
  g.created_at = r.Int(12);
  g.revoked_at = r.Int(13);
  return g;
}

Result<AuthorizationCode> CodeFromRow(Statement& r) {
  AuthorizationCode c;
  c.code_hash = r.Text(0);
  c.grant_id = r.Text(1);
  c.app_id = r.Text(2);
  c.redirect_uri = r.Text(3);
  c.code_challenge = r.Text(4);
  c.code_challenge_method = r.Text(5);
  c.created_at = r.Int(6);
  c.expires_at = r.Int(7);
  c.used_at = r.Int(8);
  return c;
}

Result<RefreshToken> RefreshFromRow(Statement& r) {
  return RefreshToken{r.Text(0), r.Text(1), r.Text(2), r.Int(3),
                      r.Int(4),  r.Int(5),  r.Text(6), r.Text(7)};
}

Result<DeviceCode> DeviceFromRow(Statement& r) {
  auto status = ParseColumn(credentials::ParseDeviceStatus(r.TextView(4)), "device_codes.status");
  if (!status) return status.error();
  DeviceCode d;
  d.device_code_hash = r.Text(0);
  d.user_code = r.Text(1);
  d.app_id = r.Text(2);
  d.workspace_id = r.Text(3);
  d.status = *status;
  d.grant_id = r.Text(5);
  d.created_at = r.Int(6);
  d.expires_at = r.Int(7);
  d.last_poll_at = r.Int(8);
  d.interval = r.Int(9);
  return d;
}

// Single-use consumption, inside one write: reads the row by its digest into `before`, then marks
// it used at `now` unless it already was (so `before->used_at` is 0 only for the first use).
template <typename T, typename FromRow>
Status ConsumeOnce(Connection& c, const char* select_sql, const char* update_sql,
                   const std::string& hash, int64_t now, FromRow&& from_row, const char* what,
                   std::optional<T>& before) {
  {
    auto st = c.Prepare(select_sql, what);
    if (!st) return st.error();
    auto row = FetchOne<T>(st->Bind(hash), from_row, [&] { return SecretNotFound(what); });
    if (!row) return row.error();
    before = std::move(row).value();
  }  // the read statement is reset before the update runs
  auto st = c.Prepare(update_sql, what);
  if (!st) return st.error();
  return st->Bind(now).Bind(hash).Run();
}

}  // namespace

// --- client secrets

Status SqlStore::CreateClientSecret(const ClientSecret& s) {
  return Write(Epoch::kKeep, [&](Connection& c) -> Status {
    auto st = c.Prepare(kInsertSecret, "create client secret");
    if (!st) return st.error();
    return st->Bind(s.id).Bind(s.app_id).Bind(s.secret_hash).Bind(s.mask).Bind(s.created_at).Run();
  });
}

Result<std::vector<ClientSecret>> SqlStore::ListClientSecrets(const std::string& app_id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kListSecrets, "list client secrets");
  if (!st) return st.error();
  return FetchAll<ClientSecret>(st->Bind(app_id), SecretFromRow);
}

Status SqlStore::DeleteClientSecret(const std::string& app_id, const std::string& id) {
  return Write(Epoch::kKeep, [&](Connection& c) -> Status {
    auto st = c.Prepare(kDeleteSecret, "delete client secret");
    if (!st) return st.error();
    return RunOnExisting(st->Bind(app_id).Bind(id), [&] { return NotFound("client secret", id); });
  });
}

// --- OBO grants

Status SqlStore::CreateOboGrant(const OboGrant& g) {
  const EncodedGrant grant(g.grant);
  return Write(Epoch::kKeep, [&](Connection& c) -> Status {
    auto st = c.Prepare(kInsertGrant, "create obo grant");
    if (!st) return st.error();
    return st->Bind(g.id)
        .Bind(g.app_id)
        .Bind(g.user_id)
        .Bind(credentials::ToString(g.context.kind))
        .Bind(g.context.account_id)
        .Bind(g.context.enterprise_id)
        .Bind(grant.account_permissions)
        .Bind(grant.workspace_permissions)
        .Bind(grant.enterprise_permissions)
        .Bind(g.grant.all_workspaces)
        .Bind(grant.workspace_ids)
        .Bind(g.installation_id)
        .Bind(g.created_at)
        .Bind(g.revoked_at)
        .Run();
  });
}

Result<OboGrant> SqlStore::GetOboGrant(const std::string& id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectGrant, "get obo grant");
  if (!st) return st.error();
  return FetchOne<OboGrant>(st->Bind(id), GrantFromRow, [&] { return NotFound("grant", id); });
}

Result<std::vector<OboGrant>> SqlStore::ListOboGrantsOfApp(const std::string& app_id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kListGrantsOfApp, "list obo grants of app");
  if (!st) return st.error();
  return FetchAll<OboGrant>(st->Bind(app_id), GrantFromRow);
}

Result<std::vector<OboGrant>> SqlStore::ListOboGrantsOfAccount(const std::string& account_id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kListLiveGrantsOfAccount, "list obo grants of account");
  if (!st) return st.error();
  return FetchAll<OboGrant>(st->Bind(account_id), GrantFromRow);
}

Status SqlStore::RevokeOboGrant(const std::string& id, int64_t at) {
  return Write(Epoch::kBump, [&](Connection& c) -> Status {
    auto st = c.Prepare(kRevokeGrant, "revoke obo grant");
    if (!st) return st.error();
    if (Status s = RunOnExisting(st->Bind(at).Bind(id), [&] { return NotFound("grant", id); });
        !s) {
      return s;
    }
    auto tokens = c.Prepare(kRevokeTokensOfGrant, "revoke tokens of obo grant");
    if (!tokens) return tokens.error();
    return tokens->Bind(at).Bind(id).Run();
  });
}

// --- authorization codes

Status SqlStore::CreateAuthorizationCode(const AuthorizationCode& a) {
  return Write(Epoch::kKeep, [&](Connection& c) -> Status {
    auto st = c.Prepare(kInsertCode, "create authorization code");
    if (!st) return st.error();
    return st->Bind(a.code_hash)
        .Bind(a.grant_id)
        .Bind(a.app_id)
        .Bind(a.redirect_uri)
        .Bind(a.code_challenge)
        .Bind(a.code_challenge_method)
        .Bind(a.created_at)
        .Bind(a.expires_at)
        .Bind(a.used_at)
        .Run();
  });
}

Result<AuthorizationCode> SqlStore::ConsumeAuthorizationCode(const std::string& code_hash,
                                                             int64_t now) {
  std::optional<AuthorizationCode> before;
  Status written = Write(Epoch::kKeep, [&](Connection& c) -> Status {
    return ConsumeOnce(c, kSelectCode, kUseCode, code_hash, now, CodeFromRow, "authorization code",
                       before);
  });
  if (!written) return written.error();
  return *before;
}

// --- refresh tokens

Status SqlStore::CreateRefreshToken(const RefreshToken& t) {
  return Write(Epoch::kKeep, [&](Connection& c) -> Status {
    auto st = c.Prepare(kInsertRefresh, "create refresh token");
    if (!st) return st.error();
    return st->Bind(t.token_hash)
        .Bind(t.grant_id)
        .Bind(t.app_id)
        .Bind(t.created_at)
        .Bind(t.expires_at)
        .Bind(t.used_at)
        .Bind(t.parent_hash)
        .Bind(t.access_token_id)
        .Run();
  });
}

Result<RefreshToken> SqlStore::FindRefreshSuccessor(const std::string& parent_hash) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectRefreshSuccessor, "find refresh successor");
  if (!st) return st.error();
  return FetchOne<RefreshToken>(st->Bind(parent_hash), RefreshFromRow,
                                [] { return SecretNotFound("refresh token successor"); });
}

Result<RefreshToken> SqlStore::ConsumeRefreshToken(const std::string& token_hash, int64_t now) {
  std::optional<RefreshToken> before;
  Status written = Write(Epoch::kKeep, [&](Connection& c) -> Status {
    return ConsumeOnce(c, kSelectRefresh, kUseRefresh, token_hash, now, RefreshFromRow,
                       "refresh token", before);
  });
  if (!written) return written.error();
  return *before;
}

// --- device codes

Status SqlStore::CreateDeviceCode(const DeviceCode& d) {
  return Write(Epoch::kKeep, [&](Connection& c) -> Status {
    {
      auto live = c.Prepare(kCountLiveUserCodes, "check device user code");
      if (!live) return live.error();
      auto count = FetchInt(live->Bind(d.user_code).Bind(d.created_at));
      if (!count) return count.error();
      if (*count > 0) {
        return Error::Make(Errc::kAlreadyExists, "device user code is in use");
      }
    }
    auto st = c.Prepare(kInsertDevice, "create device code");
    if (!st) return st.error();
    return st->Bind(d.device_code_hash)
        .Bind(d.user_code)
        .Bind(d.app_id)
        .Bind(d.workspace_id)
        .Bind(credentials::ToString(d.status))
        .Bind(d.grant_id)
        .Bind(d.created_at)
        .Bind(d.expires_at)
        .Bind(d.last_poll_at)
        .Bind(d.interval)
        .Run();
  });
}

Result<DeviceCode> SqlStore::GetDeviceCode(const std::string& device_code_hash) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectDevice, "get device code");
  if (!st) return st.error();
  return FetchOne<DeviceCode>(st->Bind(device_code_hash), DeviceFromRow,
                              [] { return SecretNotFound("device code"); });
}

Result<DeviceCode> SqlStore::FindDeviceCodeByUserCode(const std::string& user_code) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectDeviceByUserCode, "find device code by user code");
  if (!st) return st.error();
  return FetchOne<DeviceCode>(st->Bind(user_code), DeviceFromRow,
                              [&] { return NotFound("device user code", user_code); });
}

Status SqlStore::UpdateDeviceCode(const DeviceCode& d, credentials::DeviceStatus expected) {
  return Write(Epoch::kKeep, [&](Connection& c) -> Status {
    {
      auto st = c.Prepare(kUpdateDevice, "update device code");
      if (!st) return st.error();
      st->Bind(credentials::ToString(d.status))
          .Bind(d.grant_id)
          .Bind(d.last_poll_at)
          .Bind(d.interval)
          .Bind(d.device_code_hash)
          .Bind(credentials::ToString(expected));
      if (Status run = st->Run(); !run) return run;
      if (st->Changes() > 0) return {};
    }
    // Nothing changed: either there is no such row or its status moved on.
    auto exists = c.Prepare(kCountDevice, "update device code");
    if (!exists) return exists.error();
    auto count = FetchInt(exists->Bind(d.device_code_hash));
    if (!count) return count.error();
    if (*count == 0) return SecretNotFound("device code");
    return Error::Make(Errc::kAlreadyExists,
                       "device code is no longer " + std::string(credentials::ToString(expected)));
  });
}

// --- housekeeping

Result<int64_t> SqlStore::PurgeExpired(int64_t now) {
  int64_t removed = 0;
  Status s = Write(Epoch::kKeep, [&](Connection& c) -> Status {
    removed = 0;  // a retried write counts afresh
    for (const char* sql : kPurgeExpired) {
      auto st = c.Prepare(sql, "purge expired rows");
      if (!st) return st.error();
      if (Status run = st->Bind(now).Run(); !run) return run;
      removed += st->Changes();
    }
    return {};
  });
  if (!s) return s.error();
  return removed;
}

}  // namespace cozeauth::store::sql
