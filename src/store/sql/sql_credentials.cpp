// SqlStore: access tokens and console sessions. Only digests are stored, and error messages
// never include them.
#include "store/sql/codec.hpp"
#include "store/sql/sql_store.hpp"

namespace cozeauth::store::sql {
namespace {

constexpr char kInsertToken[] =
    "INSERT INTO tokens (id, kind, name, token_hash, user_id, context_kind, account_id, "
    "enterprise_id, account_permissions, workspace_permissions, enterprise_permissions, "
    "all_workspaces, workspace_ids, session_name, created_at, updated_at, expires_at, "
    "revoked_at, last_used_at, app_id, authorization_id, bot_ids) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kSelectToken[] =
    "SELECT id, kind, name, token_hash, user_id, context_kind, account_id, enterprise_id, "
    "account_permissions, workspace_permissions, enterprise_permissions, all_workspaces, "
    "workspace_ids, session_name, created_at, updated_at, expires_at, revoked_at, last_used_at, "
    "app_id, authorization_id, bot_ids "
    "FROM tokens WHERE id = ?";
constexpr char kSelectTokenByHash[] =
    "SELECT id, kind, name, token_hash, user_id, context_kind, account_id, enterprise_id, "
    "account_permissions, workspace_permissions, enterprise_permissions, all_workspaces, "
    "workspace_ids, session_name, created_at, updated_at, expires_at, revoked_at, last_used_at, "
    "app_id, authorization_id, bot_ids "
    "FROM tokens WHERE token_hash = ?";
// ?2 = '' lists every kind.
constexpr char kListTokensOfUser[] =
    "SELECT id, kind, name, token_hash, user_id, context_kind, account_id, enterprise_id, "
    "account_permissions, workspace_permissions, enterprise_permissions, all_workspaces, "
    "workspace_ids, session_name, created_at, updated_at, expires_at, revoked_at, last_used_at, "
    "app_id, authorization_id, bot_ids "
    "FROM tokens WHERE user_id = ?1 AND (?2 = '' OR kind = ?2) "
    "ORDER BY created_at DESC, id DESC";
// Live: not revoked and (permanent or not yet expired) at ?2.
constexpr char kListLiveTokensOfAccount[] =
    "SELECT id, kind, name, token_hash, user_id, context_kind, account_id, enterprise_id, "
    "account_permissions, workspace_permissions, enterprise_permissions, all_workspaces, "
    "workspace_ids, session_name, created_at, updated_at, expires_at, revoked_at, last_used_at, "
    "app_id, authorization_id, bot_ids "
    "FROM tokens WHERE account_id = ?1 AND revoked_at = 0 AND (expires_at < 0 OR expires_at > ?2) "
    "ORDER BY created_at DESC, id DESC";
constexpr char kListLiveTokensOfEnterprise[] =
    "SELECT id, kind, name, token_hash, user_id, context_kind, account_id, enterprise_id, "
    "account_permissions, workspace_permissions, enterprise_permissions, all_workspaces, "
    "workspace_ids, session_name, created_at, updated_at, expires_at, revoked_at, last_used_at, "
    "app_id, authorization_id, bot_ids "
    "FROM tokens WHERE enterprise_id = ?1 AND revoked_at = 0 "
    "AND (expires_at < 0 OR expires_at > ?2) ORDER BY created_at DESC, id DESC";
constexpr char kUpdateToken[] =
    "UPDATE tokens SET name = ?, account_permissions = ?, workspace_permissions = ?, "
    "enterprise_permissions = ?, all_workspaces = ?, workspace_ids = ?, expires_at = ?, "
    "updated_at = ? WHERE id = ?";
// Revoking twice keeps the first revocation time.
constexpr char kRevokeToken[] =
    "UPDATE tokens SET revoked_at = CASE WHEN revoked_at = 0 THEN ?1 ELSE revoked_at END "
    "WHERE id = ?2";
// CASE rather than the two-argument MAX(), which PostgreSQL spells GREATEST().
constexpr char kTouchToken[] =
    "UPDATE tokens SET last_used_at = CASE WHEN last_used_at > ?1 THEN last_used_at ELSE ?1 END "
    "WHERE id = ?2";

constexpr char kInsertSession[] =
    "INSERT INTO sessions (id, session_hash, csrf_token, user_id, created_at, expires_at) "
    "VALUES (?, ?, ?, ?, ?, ?)";
constexpr char kSelectSessionByHash[] =
    "SELECT id, session_hash, csrf_token, user_id, created_at, expires_at FROM sessions "
    "WHERE session_hash = ?";
constexpr char kDeleteSession[] = "DELETE FROM sessions WHERE id = ?";
constexpr char kDeleteOtherSessions[] = "DELETE FROM sessions WHERE user_id = ? AND id <> ?";

Result<credentials::Token> TokenFromRow(Statement& r) {
  auto kind = ParseColumn(credentials::ParseTokenKind(r.TextView(1)), "tokens.kind");
  if (!kind) return kind.error();
  auto context_kind =
      ParseColumn(credentials::ParseContextKind(r.TextView(5)), "tokens.context_kind");
  if (!context_kind) return context_kind.error();
  credentials::Token t;
  t.id = r.Text(0);
  t.kind = *kind;
  t.name = r.Text(2);
  t.token_hash = r.Text(3);
  t.user_id = r.Text(4);
  t.context.kind = *context_kind;
  t.context.account_id = r.Text(6);
  t.context.enterprise_id = r.Text(7);
  t.grant.account_permissions = DecodeList(r.TextView(8));
  t.grant.workspace_permissions = DecodeList(r.TextView(9));
  t.grant.enterprise_permissions = DecodeList(r.TextView(10));
  t.grant.all_workspaces = r.Bool(11);
  t.grant.workspace_ids = DecodeList(r.TextView(12));
  t.session_name = r.Text(13);
  t.created_at = r.Int(14);
  t.updated_at = r.Int(15);
  t.expires_at = r.Int(16);
  t.revoked_at = r.Int(17);
  t.last_used_at = r.Int(18);
  if (!r.IsNull(19)) t.app_id = r.Text(19);
  if (!r.IsNull(20)) t.authorization_id = r.Text(20);
  t.grant.bot_ids = DecodeList(r.TextView(21));
  return t;
}

Result<Session> SessionFromRow(Statement& r) {
  return Session{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4), r.Int(5)};
}

// A grant's list columns, encoded once so that the bound text outlives the statement.
struct EncodedGrant {
  explicit EncodedGrant(const credentials::Grant& g)
      : account_permissions(EncodeList(g.account_permissions)),
        workspace_permissions(EncodeList(g.workspace_permissions)),
        enterprise_permissions(EncodeList(g.enterprise_permissions)),
        workspace_ids(EncodeList(g.workspace_ids)),
        bot_ids(EncodeList(g.bot_ids)) {}
  std::string account_permissions;
  std::string workspace_permissions;
  std::string enterprise_permissions;
  std::string workspace_ids;
  std::string bot_ids;
};

}  // namespace

// --- tokens

Status SqlStore::CreateToken(const credentials::Token& t) {
  return Write(Epoch::kKeep, [&](Connection& c) { return InsertToken(c, t); });
}

Status SqlStore::InsertToken(Connection& c, const credentials::Token& t) {
  const EncodedGrant grant(t.grant);
  auto st = c.Prepare(kInsertToken, "create token");
  if (!st) return st.error();
  st->Bind(t.id)
      .Bind(credentials::ToString(t.kind))
      .Bind(t.name)
      .Bind(t.token_hash)
      .Bind(t.user_id)
      .Bind(credentials::ToString(t.context.kind))
      .Bind(t.context.account_id)
      .Bind(t.context.enterprise_id)
      .Bind(grant.account_permissions)
      .Bind(grant.workspace_permissions)
      .Bind(grant.enterprise_permissions)
      .Bind(t.grant.all_workspaces)
      .Bind(grant.workspace_ids)
      .Bind(t.session_name)
      .Bind(t.created_at)
      .Bind(t.updated_at)
      .Bind(t.expires_at)
      .Bind(t.revoked_at)
      .Bind(t.last_used_at);
  // NULL rather than '' so that tokens_by_authorization indexes OAuth tokens only.
  if (t.app_id.empty())
    st->BindNull();
  else
    st->Bind(t.app_id);
  if (t.authorization_id.empty())
    st->BindNull();
  else
    st->Bind(t.authorization_id);
  st->Bind(grant.bot_ids);
  return st->Run();
}

Result<credentials::Token> SqlStore::GetToken(const std::string& id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectToken, "get token");
  if (!st) return st.error();
  return FetchOne<credentials::Token>(st->Bind(id), TokenFromRow,
                                      [&] { return NotFound("token", id); });
}

Result<credentials::Token> SqlStore::FindTokenByHash(const std::string& token_hash) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectTokenByHash, "find token");
  if (!st) return st.error();
  return FetchOne<credentials::Token>(st->Bind(token_hash), TokenFromRow, [] {
    return Error::Make(Errc::kNotFound, "token not found");  // never echo the hash
  });
}

Result<std::vector<credentials::Token>> SqlStore::ListTokensOfUser(
    const std::string& user_id, std::optional<credentials::TokenKind> kind) {
  const std::string_view kind_filter = kind ? credentials::ToString(*kind) : std::string_view();
  ReadLease lease(*this);
  auto st = lease.Prepare(kListTokensOfUser, "list tokens of user");
  if (!st) return st.error();
  return FetchAll<credentials::Token>(st->Bind(user_id).Bind(kind_filter), TokenFromRow);
}

Result<std::vector<credentials::Token>> SqlStore::ListLiveTokensOfAccount(
    const std::string& account_id, int64_t now) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kListLiveTokensOfAccount, "list tokens of account");
  if (!st) return st.error();
  return FetchAll<credentials::Token>(st->Bind(account_id).Bind(now), TokenFromRow);
}

Result<std::vector<credentials::Token>> SqlStore::ListLiveTokensOfEnterprise(
    const std::string& enterprise_id, int64_t now) {
  if (enterprise_id.empty()) return std::vector<credentials::Token>{};
  ReadLease lease(*this);
  auto st = lease.Prepare(kListLiveTokensOfEnterprise, "list tokens of enterprise");
  if (!st) return st.error();
  return FetchAll<credentials::Token>(st->Bind(enterprise_id).Bind(now), TokenFromRow);
}

Status SqlStore::UpdateToken(const credentials::Token& t) {
  const EncodedGrant grant(t.grant);
  return Write(Epoch::kBump, [&](Connection& c) -> Status {
    auto st = c.Prepare(kUpdateToken, "update token");
    if (!st) return st.error();
    st->Bind(t.name)
        .Bind(grant.account_permissions)
        .Bind(grant.workspace_permissions)
        .Bind(grant.enterprise_permissions)
        .Bind(t.grant.all_workspaces)
        .Bind(grant.workspace_ids)
        .Bind(t.expires_at)
        .Bind(t.updated_at)
        .Bind(t.id);
    return RunOnExisting(*st, [&] { return NotFound("token", t.id); });
  });
}

Status SqlStore::RevokeToken(const std::string& id, int64_t at) {
  return Write(Epoch::kBump, [&](Connection& c) -> Status {
    auto st = c.Prepare(kRevokeToken, "revoke token");
    if (!st) return st.error();
    return RunOnExisting(st->Bind(at).Bind(id), [&] { return NotFound("token", id); });
  });
}

Status SqlStore::TouchTokens(const std::vector<std::pair<std::string, int64_t>>& last_used) {
  if (last_used.empty()) return {};
  // One transaction for the batch; ids that no longer exist are skipped.
  return Write(Epoch::kKeep, [&](Connection& c) -> Status {
    for (const auto& [id, at] : last_used) {
      auto st = c.Prepare(kTouchToken, "touch tokens");
      if (!st) return st.error();
      if (Status run = st->Bind(at).Bind(id).Run(); !run) return run;
    }
    return {};
  });
}

// --- console sessions

Status SqlStore::CreateSession(const Session& s) {
  return Write(Epoch::kKeep, [&](Connection& c) -> Status {
    auto st = c.Prepare(kInsertSession, "create session");
    if (!st) return st.error();
    return st->Bind(s.id)
        .Bind(s.session_hash)
        .Bind(s.csrf_token)
        .Bind(s.user_id)
        .Bind(s.created_at)
        .Bind(s.expires_at)
        .Run();
  });
}

Result<Session> SqlStore::FindSessionByHash(const std::string& session_hash) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectSessionByHash, "find session");
  if (!st) return st.error();
  return FetchOne<Session>(st->Bind(session_hash), SessionFromRow, [] {
    return Error::Make(Errc::kNotFound, "session not found");  // never echo the hash
  });
}

Status SqlStore::DeleteOtherSessionsOfUser(const std::string& user_id, const std::string& keep_id) {
  return Write(Epoch::kKeep, [&](Connection& c) -> Status {
    auto st = c.Prepare(kDeleteOtherSessions, "delete other sessions");
    if (!st) return st.error();
    return st->Bind(user_id).Bind(keep_id).Run();
  });
}

Status SqlStore::DeleteSession(const std::string& id) {
  return Write(Epoch::kKeep, [&](Connection& c) -> Status {
    auto st = c.Prepare(kDeleteSession, "delete session");
    if (!st) return st.error();
    return RunOnExisting(st->Bind(id), [&] { return NotFound("session", id); });
  });
}

}  // namespace cozeauth::store::sql
