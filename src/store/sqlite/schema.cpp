#include "store/sqlite/schema.hpp"

#include <array>
#include <string>

#include "store/sql/schema_versions.hpp"

namespace cozeauth::store::sqlite {
namespace {

// Conventions: ids are TEXT (19-digit decimals; "ent_<digits>" for enterprises); timestamps are
// INTEGER Unix seconds; absent strings are '' rather than NULL, except users.email, where NULL
// lets any number of users go without one despite UNIQUE. Lists (permission points, workspace
// ids, connector ids) are comma-separated: none of their values can contain a comma. Foreign keys
// are immediate, without cascades: deletes are explicit in the store.
constexpr char kVersion1[] = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('auth_epoch', 1);

CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  email         TEXT UNIQUE COLLATE NOCASE,
  password_hash TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);

CREATE TABLE accounts (
  id            TEXT PRIMARY KEY,
  kind          TEXT NOT NULL,
  name          TEXT NOT NULL,
  user_id       TEXT NOT NULL,
  enterprise_id TEXT NOT NULL,
  is_default    INTEGER NOT NULL,
  created_at    INTEGER NOT NULL
);
CREATE INDEX accounts_by_enterprise ON accounts (enterprise_id);

CREATE TABLE enterprises (
  id                     TEXT PRIMARY KEY,
  name                   TEXT NOT NULL,
  edition                TEXT NOT NULL,
  owner_user_id          TEXT NOT NULL,
  default_org_account_id TEXT NOT NULL,
  created_at             INTEGER NOT NULL
);

CREATE TABLE enterprise_members (
  enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
  user_id       TEXT NOT NULL REFERENCES users (id),
  role          TEXT NOT NULL,
  joined_at     INTEGER NOT NULL,
  PRIMARY KEY (enterprise_id, user_id)
) WITHOUT ROWID;
CREATE INDEX enterprise_members_by_user ON enterprise_members (user_id);

CREATE TABLE org_members (
  account_id TEXT NOT NULL REFERENCES accounts (id),
  user_id    TEXT NOT NULL REFERENCES users (id),
  role       TEXT NOT NULL,
  joined_at  INTEGER NOT NULL,
  PRIMARY KEY (account_id, user_id)
) WITHOUT ROWID;
CREATE INDEX org_members_by_user ON org_members (user_id);

CREATE TABLE workspaces (
  id               TEXT PRIMARY KEY,
  name             TEXT NOT NULL,
  description      TEXT NOT NULL,
  owner_account_id TEXT NOT NULL REFERENCES accounts (id),
  owner_user_id    TEXT NOT NULL,
  type             TEXT NOT NULL,
  created_at       INTEGER NOT NULL
);
CREATE INDEX workspaces_by_owner_account ON workspaces (owner_account_id);

CREATE TABLE workspace_members (
  workspace_id TEXT NOT NULL REFERENCES workspaces (id),
  user_id      TEXT NOT NULL REFERENCES users (id),
  role         TEXT NOT NULL,
  joined_at    INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, user_id)
) WITHOUT ROWID;
CREATE INDEX workspace_members_by_user ON workspace_members (user_id);

CREATE TABLE bots (
  id            TEXT PRIMARY KEY,
  workspace_id  TEXT NOT NULL REFERENCES workspaces (id),
  name          TEXT NOT NULL,
  description   TEXT NOT NULL,
  icon_url      TEXT NOT NULL,
  prompt        TEXT NOT NULL,
  prologue      TEXT NOT NULL,
  owner_user_id TEXT NOT NULL,
  is_published  INTEGER NOT NULL,
  published_at  INTEGER NOT NULL,
  connector_ids TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE INDEX bots_by_workspace ON bots (workspace_id, updated_at);

CREATE TABLE conversations (
  id               TEXT PRIMARY KEY,
  owner_account_id TEXT NOT NULL,
  session_name     TEXT NOT NULL,
  bot_id           TEXT NOT NULL,
  name             TEXT NOT NULL,
  meta_data        TEXT NOT NULL,
  creator_id       TEXT NOT NULL,
  connector_id     TEXT NOT NULL,
  last_section_id  TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);
CREATE INDEX conversations_by_owner ON conversations (owner_account_id, bot_id, created_at);

-- seq (the rowid) orders messages created in the same second: ids are not insertion-ordered.
CREATE TABLE messages (
  seq             INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  conversation_id TEXT NOT NULL REFERENCES conversations (id),
  bot_id          TEXT NOT NULL,
  chat_id         TEXT NOT NULL,
  section_id      TEXT NOT NULL,
  role            TEXT NOT NULL,
  type            TEXT NOT NULL,
  content         TEXT NOT NULL,
  content_type    TEXT NOT NULL,
  meta_data       TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX messages_by_conversation ON messages (conversation_id, created_at);
CREATE INDEX messages_by_chat ON messages (chat_id);

CREATE TABLE chats (
  id               TEXT PRIMARY KEY,
  conversation_id  TEXT NOT NULL REFERENCES conversations (id),
  bot_id           TEXT NOT NULL,
  owner_account_id TEXT NOT NULL,
  section_id       TEXT NOT NULL,
  status           TEXT NOT NULL,
  meta_data        TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  completed_at     INTEGER NOT NULL,
  input_count      INTEGER NOT NULL,
  output_count     INTEGER NOT NULL
);
CREATE INDEX chats_by_conversation ON chats (conversation_id);

CREATE TABLE files (
  id               TEXT PRIMARY KEY,
  owner_account_id TEXT NOT NULL,
  file_name        TEXT NOT NULL,
  bytes            INTEGER NOT NULL,
  sha256_hex       TEXT NOT NULL,
  created_at       INTEGER NOT NULL
);
CREATE INDEX files_by_owner_account ON files (owner_account_id);

CREATE TABLE tokens (
  id                     TEXT PRIMARY KEY,
  kind                   TEXT NOT NULL,
  name                   TEXT NOT NULL,
  token_hash             TEXT NOT NULL UNIQUE,
  user_id                TEXT NOT NULL,
  context_kind           TEXT NOT NULL,
  account_id             TEXT NOT NULL,
  enterprise_id          TEXT NOT NULL,
  account_permissions    TEXT NOT NULL,
  workspace_permissions  TEXT NOT NULL,
  enterprise_permissions TEXT NOT NULL,
  all_workspaces         INTEGER NOT NULL,
  workspace_ids          TEXT NOT NULL,
  session_name           TEXT NOT NULL,
  created_at             INTEGER NOT NULL,
  updated_at             INTEGER NOT NULL,
  expires_at             INTEGER NOT NULL,
  revoked_at             INTEGER NOT NULL,
  last_used_at           INTEGER NOT NULL
);
CREATE INDEX tokens_by_user ON tokens (user_id, kind);

CREATE TABLE sessions (
  id           TEXT PRIMARY KEY,
  session_hash TEXT NOT NULL UNIQUE,
  csrf_token   TEXT NOT NULL,
  user_id      TEXT NOT NULL REFERENCES users (id),
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
)sql";

// Version 2: OAuth apps (coze-platform.md §5). redirect_uris is newline-separated (URIs may
// contain commas). tokens gains the app and authorization an OAuth token was issued through
// (NULL for PAT/SAT).
constexpr char kVersion2[] = R"sql(
CREATE TABLE oauth_apps (
  id                     TEXT PRIMARY KEY,
  client_id              TEXT NOT NULL UNIQUE,
  owner_account_id       TEXT NOT NULL REFERENCES accounts (id),
  owner_user_id          TEXT NOT NULL REFERENCES users (id),
  name                   TEXT NOT NULL,
  description            TEXT NOT NULL,
  app_type               TEXT NOT NULL,
  client_type            TEXT NOT NULL,
  status                 TEXT NOT NULL,
  account_permissions    TEXT NOT NULL,
  workspace_permissions  TEXT NOT NULL,
  enterprise_permissions TEXT NOT NULL,
  redirect_uris          TEXT NOT NULL,
  created_at             INTEGER NOT NULL
);
CREATE INDEX oauth_apps_by_owner ON oauth_apps (owner_account_id);

CREATE TABLE app_public_keys (
  fingerprint    TEXT PRIMARY KEY,
  app_id         TEXT NOT NULL REFERENCES oauth_apps (id),
  public_key_pem TEXT NOT NULL,
  created_at     INTEGER NOT NULL
);
CREATE INDEX app_public_keys_by_app ON app_public_keys (app_id);

CREATE TABLE app_authorizations (
  id                     TEXT PRIMARY KEY,
  app_id                 TEXT NOT NULL REFERENCES oauth_apps (id),
  account_id             TEXT NOT NULL,
  enterprise_id          TEXT NOT NULL,
  account_permissions    TEXT NOT NULL,
  workspace_permissions  TEXT NOT NULL,
  enterprise_permissions TEXT NOT NULL,
  all_workspaces         INTEGER NOT NULL,
  workspace_ids          TEXT NOT NULL,
  authorized_by          TEXT NOT NULL REFERENCES users (id),
  created_at             INTEGER NOT NULL,
  revoked_at             INTEGER NOT NULL
);
CREATE INDEX app_authorizations_by_app ON app_authorizations (app_id);

CREATE TABLE used_jwt_ids (
  app_id     TEXT NOT NULL,
  jti        TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (app_id, jti)
) WITHOUT ROWID;
CREATE INDEX used_jwt_ids_by_expiry ON used_jwt_ids (expires_at);

ALTER TABLE tokens ADD COLUMN app_id TEXT;
ALTER TABLE tokens ADD COLUMN authorization_id TEXT;
CREATE INDEX tokens_by_authorization ON tokens (authorization_id);
)sql";

// Version 3: the on-behalf-of-user side of OAuth apps (credentials/oauth_grant.hpp). An
// authorization gains its kind ('app': the app acts as itself; 'obo': an enterprise installation
// of an OBO app). obo_grants encode context and grant as tokens does; installation_id is '' when
// the grant depends on no installation. Secrets are stored as SHA-256 hex digests only.
constexpr char kVersion3[] = R"sql(
ALTER TABLE app_authorizations ADD COLUMN kind TEXT NOT NULL DEFAULT 'app';
CREATE INDEX app_authorizations_by_enterprise ON app_authorizations (enterprise_id);

CREATE TABLE oauth_client_secrets (
  id          TEXT PRIMARY KEY,
  app_id      TEXT NOT NULL REFERENCES oauth_apps (id),
  secret_hash TEXT NOT NULL UNIQUE,
  mask        TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE INDEX oauth_client_secrets_by_app ON oauth_client_secrets (app_id);

CREATE TABLE obo_grants (
  id                     TEXT PRIMARY KEY,
  app_id                 TEXT NOT NULL,
  user_id                TEXT NOT NULL REFERENCES users (id),
  context_kind           TEXT NOT NULL,
  account_id             TEXT NOT NULL,
  enterprise_id          TEXT NOT NULL,
  account_permissions    TEXT NOT NULL,
  workspace_permissions  TEXT NOT NULL,
  enterprise_permissions TEXT NOT NULL,
  all_workspaces         INTEGER NOT NULL,
  workspace_ids          TEXT NOT NULL,
  installation_id        TEXT NOT NULL,
  created_at             INTEGER NOT NULL,
  revoked_at             INTEGER NOT NULL
);
CREATE INDEX obo_grants_by_app ON obo_grants (app_id);
CREATE INDEX obo_grants_by_installation ON obo_grants (installation_id);

CREATE TABLE authorization_codes (
  code_hash             TEXT PRIMARY KEY,
  grant_id              TEXT NOT NULL,
  app_id                TEXT NOT NULL,
  redirect_uri          TEXT NOT NULL,
  code_challenge        TEXT NOT NULL,
  code_challenge_method TEXT NOT NULL,
  created_at            INTEGER NOT NULL,
  expires_at            INTEGER NOT NULL,
  used_at               INTEGER NOT NULL
);

CREATE TABLE refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  grant_id   TEXT NOT NULL,
  app_id     TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER NOT NULL
);
CREATE INDEX refresh_tokens_by_grant ON refresh_tokens (grant_id);

CREATE TABLE device_codes (
  device_code_hash TEXT PRIMARY KEY,
  user_code        TEXT NOT NULL,
  app_id           TEXT NOT NULL,
  workspace_id     TEXT NOT NULL,
  status           TEXT NOT NULL,
  grant_id         TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  expires_at       INTEGER NOT NULL,
  last_poll_at     INTEGER NOT NULL,
  interval_seconds INTEGER NOT NULL
);
CREATE INDEX device_codes_by_user_code ON device_codes (user_code, created_at);
)sql";

// Index i holds the script that brings a database to version i + 1.
// Version 4: JWT connector scope (coze-protocol.md §5.1): the bots a token may reach, '' = any.
constexpr char kVersion4[] = R"sql(
ALTER TABLE tokens ADD COLUMN bot_ids TEXT NOT NULL DEFAULT '';
)sql";

// Version 5: workspace migration, cross-account grants (coze-platform.md §6.4–§7), the audit
// log and per-credential request counts (observation).
constexpr char kVersion5[] = R"sql(
ALTER TABLE workspaces ADD COLUMN legacy_account_id TEXT NOT NULL DEFAULT '';

CREATE TABLE migrations (
  id              TEXT PRIMARY KEY,
  workspace_id    TEXT NOT NULL REFERENCES workspaces (id),
  from_account_id TEXT NOT NULL,
  to_account_id   TEXT NOT NULL,
  enterprise_id   TEXT NOT NULL,
  mode            TEXT NOT NULL,
  actor_user_id   TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  plan_json       TEXT NOT NULL
);
CREATE INDEX migrations_by_workspace ON migrations (workspace_id);

CREATE TABLE account_grants (
  id                  TEXT PRIMARY KEY,
  personal_account_id TEXT NOT NULL REFERENCES accounts (id),
  enterprise_id       TEXT NOT NULL,
  credential_kind     TEXT NOT NULL,
  credential_id       TEXT NOT NULL,
  granted_by          TEXT NOT NULL,
  created_at          INTEGER NOT NULL,
  revoked_at          INTEGER NOT NULL
);
CREATE INDEX account_grants_by_account ON account_grants (personal_account_id);
CREATE INDEX account_grants_by_credential ON account_grants (credential_kind, credential_id);

CREATE INDEX conversations_by_bot ON conversations (bot_id, owner_account_id);
CREATE INDEX tokens_by_account ON tokens (account_id);
CREATE INDEX tokens_by_enterprise ON tokens (enterprise_id);
CREATE INDEX app_authorizations_by_account ON app_authorizations (account_id);
CREATE INDEX obo_grants_by_account ON obo_grants (account_id);

CREATE TABLE audit_events (
  id          TEXT PRIMARY KEY,
  at          INTEGER NOT NULL,
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  target_kind TEXT NOT NULL,
  target_id   TEXT NOT NULL,
  detail_json TEXT NOT NULL
);
CREATE INDEX audit_events_by_at ON audit_events (at);

CREATE TABLE request_stats (
  token_id        TEXT NOT NULL,
  credential_kind TEXT NOT NULL,
  route           TEXT NOT NULL,
  permission      TEXT NOT NULL,
  code            INTEGER NOT NULL,
  minute          INTEGER NOT NULL,
  count           INTEGER NOT NULL,
  PRIMARY KEY (token_id, route, code, minute)
);
CREATE INDEX request_stats_by_minute ON request_stats (minute);
)sql";

// Version 6: refresh-token lineage for the reuse grace window (credentials/oauth_grant.hpp), and
// expiry indexes for PurgeExpired().
constexpr char kVersion6[] = R"sql(
ALTER TABLE refresh_tokens ADD COLUMN parent_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE refresh_tokens ADD COLUMN access_token_id TEXT NOT NULL DEFAULT '';
CREATE INDEX refresh_tokens_by_parent ON refresh_tokens (parent_hash);
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at);
CREATE INDEX authorization_codes_by_expiry ON authorization_codes (expires_at);
CREATE INDEX device_codes_by_expiry ON device_codes (expires_at);
)sql";

// Version 7: the bot epoch, apart from the auth epoch (store/content_store.hpp): a bot update
// refreshes cached bots without dropping every cached token.
constexpr char kVersion7[] = R"sql(
INSERT INTO meta (key, value) VALUES ('bot_epoch', 1);
)sql";

// Version 8: workflows and apps (Coze "app" = a project holding workflows) as workspace-level
// resources, and workflow executions (store/workflow_store.hpp). An execution's interrupt_event_id
// is cleared when a resume consumes it, so one event resumes at most once.
constexpr char kVersion8[] = R"sql(
CREATE TABLE app_projects (
  id              TEXT PRIMARY KEY,
  workspace_id    TEXT NOT NULL REFERENCES workspaces (id),
  name            TEXT NOT NULL,
  description     TEXT NOT NULL,
  creator_user_id TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX app_projects_by_workspace ON app_projects (workspace_id, created_at);

CREATE TABLE workflows (
  id              TEXT PRIMARY KEY,
  workspace_id    TEXT NOT NULL REFERENCES workspaces (id),
  app_id          TEXT NOT NULL,
  name            TEXT NOT NULL,
  description     TEXT NOT NULL,
  definition_json TEXT NOT NULL,
  is_published    INTEGER NOT NULL,
  published_at    INTEGER NOT NULL,
  creator_user_id TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX workflows_by_workspace ON workflows (workspace_id, created_at);
CREATE INDEX workflows_by_app ON workflows (app_id);

CREATE TABLE workflow_executions (
  id                 TEXT PRIMARY KEY,
  workflow_id        TEXT NOT NULL REFERENCES workflows (id),
  workspace_id       TEXT NOT NULL,
  token_id           TEXT NOT NULL,
  credential_kind    TEXT NOT NULL,
  account_id         TEXT NOT NULL,
  status             TEXT NOT NULL,
  is_async           INTEGER NOT NULL,
  output             TEXT NOT NULL,
  interrupt_event_id TEXT NOT NULL,
  interrupt_node     TEXT NOT NULL,
  interrupt_state    TEXT NOT NULL,
  error_code         INTEGER NOT NULL,
  error_message      TEXT NOT NULL,
  input_count        INTEGER NOT NULL,
  output_count       INTEGER NOT NULL,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
);
CREATE INDEX workflow_executions_by_workflow ON workflow_executions (workflow_id, created_at);
CREATE INDEX workflow_executions_by_event ON workflow_executions (interrupt_event_id);
)sql";

// Version 9: migration rehearsals (store/rehearsal_store.hpp) and their shadow-decision counts
// per (rehearsal, credential, real code, shadow code), added to by each batch the servers flush.
constexpr char kVersion9[] = R"sql(
CREATE TABLE rehearsals (
  id            TEXT PRIMARY KEY,
  workspace_id  TEXT NOT NULL,
  to_account_id TEXT NOT NULL,
  enterprise_id TEXT NOT NULL,
  mode          TEXT NOT NULL,
  actor_user_id TEXT NOT NULL,
  started_at    INTEGER NOT NULL,
  ends_at       INTEGER NOT NULL,
  stopped_at    INTEGER NOT NULL
);
CREATE INDEX rehearsals_by_workspace ON rehearsals (workspace_id, started_at);
CREATE INDEX rehearsals_live ON rehearsals (stopped_at, ends_at);

CREATE TABLE rehearsal_counts (
  rehearsal_id    TEXT NOT NULL REFERENCES rehearsals (id),
  token_id        TEXT NOT NULL,
  credential_kind TEXT NOT NULL,
  real_code       INTEGER NOT NULL,
  shadow_code     INTEGER NOT NULL,
  count           INTEGER NOT NULL,
  PRIMARY KEY (rehearsal_id, token_id, real_code, shadow_code)
);
)sql";

// Version 10: an authorization or installation can be disabled (and enabled again) without
// being revoked; 0 = enabled (credentials::AppAuthorization::disabled_at).
constexpr char kVersion10[] = R"sql(
ALTER TABLE app_authorizations ADD COLUMN disabled_at INTEGER NOT NULL DEFAULT 0;
)sql";

// Version 11: FindUserByEmail compares lower(email), the spelling both backends share
// (store/sql/connection.hpp); this index serves it as the NOCASE unique index did `email = ?`.
constexpr char kVersion11[] = R"sql(
CREATE INDEX users_by_lower_email ON users (lower(email));
)sql";

// Version 12: request_stats keyed by minute first, in one B-tree (WITHOUT ROWID). A flush
// (observe/request_stats.hpp) upserts one row per credential seen in the last second: they now
// land together at the table's end (this minute) instead of at random places in a rowid table,
// its primary-key index and a minute index — three B-trees per row. The key's order is
// ListRequestStats's ORDER BY, so it needs no sort; the minute index is the key's prefix.
constexpr char kVersion12[] = R"sql(
CREATE TABLE request_stats_v12 (
  token_id        TEXT NOT NULL,
  credential_kind TEXT NOT NULL,
  route           TEXT NOT NULL,
  permission      TEXT NOT NULL,
  code            INTEGER NOT NULL,
  minute          INTEGER NOT NULL,
  count           INTEGER NOT NULL,
  PRIMARY KEY (minute, token_id, route, code)
) WITHOUT ROWID;
INSERT INTO request_stats_v12 (token_id, credential_kind, route, permission, code, minute, count)
  SELECT token_id, credential_kind, route, permission, code, minute, count FROM request_stats;
DROP TABLE request_stats;
ALTER TABLE request_stats_v12 RENAME TO request_stats;
)sql";

// Version 13: used_jwt_ids as a rowid table. As a WITHOUT ROWID table its expiry index held the
// key (app_id, jti) after expires_at, so the grants of one second — thousands under load, their
// jtis random — landed on random leaves of that second's stretch of the index, one page of its
// own for each grant of a commit (docs/performance.md). Keyed by rowid, the table grows at its
// end and the expiry index orders a second's entries by rowid, at its end too; only the (app_id,
// jti) index, which the upsert needs, is written at random.
constexpr char kVersion13[] = R"sql(
CREATE TABLE used_jwt_ids_v13 (
  app_id     TEXT NOT NULL,
  jti        TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (app_id, jti)
);
INSERT INTO used_jwt_ids_v13 (app_id, jti, expires_at)
  SELECT app_id, jti, expires_at FROM used_jwt_ids ORDER BY expires_at;
DROP TABLE used_jwt_ids;
ALTER TABLE used_jwt_ids_v13 RENAME TO used_jwt_ids;
CREATE INDEX used_jwt_ids_by_expiry ON used_jwt_ids (expires_at);
)sql";

constexpr std::array<const char*, 13> kVersions = {
    kVersion1, kVersion2, kVersion3,  kVersion4,  kVersion5,  kVersion6, kVersion7,
    kVersion8, kVersion9, kVersion10, kVersion11, kVersion12, kVersion13};

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(kVersions.size()); }

Status ApplySchema(Connection& conn, int64_t now) {
  return sql::ApplySchemaVersions(conn, kVersions, now);
}

}  // namespace cozeauth::store::sqlite
