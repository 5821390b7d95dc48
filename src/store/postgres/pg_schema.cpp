#include "store/postgres/pg_schema.hpp"

#include <array>

namespace cozeauth::store::postgres {
namespace {

// Version 1 is the SQLite schema as its version 11 left it, created at once: same tables, same
// columns in the same order (ALTER TABLE ADD COLUMN appended, so late columns come last, with
// their defaults), same keys and indexes, so the store's SQL runs against either backend.
// Conventions are SQLite's (store/sqlite/schema.cpp): ids TEXT, timestamps Unix seconds, '' for
// absent strings except users.email, comma-separated lists, immediate foreign keys without
// cascades. Translation:
// - INTEGER is BIGINT, flags included (0/1, not BOOLEAN): the store binds and reads them as
//   64-bit integers.
// - SQLite's implicit rowid is a trailing identity column `rowid` on the two tables whose queries
//   order by it (refresh_tokens, audit_events); INSERTs name their columns, so it is always
//   generated, in insertion order. messages.seq, an alias of SQLite's rowid, is an identity too.
// - users.email is UNIQUE COLLATE NOCASE there: here the unique index on lower(email) keeps one
//   user per email regardless of case (NULLs never conflict) and also serves FindUserByEmail's
//   lower(email) = lower(?), as SQLite's users_by_lower_email does. lower() folds only ASCII, as
//   NOCASE does, in a database whose LC_CTYPE is C; other locales fold non-ASCII letters too.
constexpr char kVersion1[] = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('auth_epoch', 1), ('bot_epoch', 1);

CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  email         TEXT,
  password_hash TEXT NOT NULL,
  created_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));

CREATE TABLE accounts (
  id            TEXT PRIMARY KEY,
  kind          TEXT NOT NULL,
  name          TEXT NOT NULL,
  user_id       TEXT NOT NULL,
  enterprise_id TEXT NOT NULL,
  is_default    BIGINT NOT NULL,
  created_at    BIGINT NOT NULL
);
CREATE INDEX accounts_by_enterprise ON accounts (enterprise_id);

CREATE TABLE enterprises (
  id                     TEXT PRIMARY KEY,
  name                   TEXT NOT NULL,
  edition                TEXT NOT NULL,
  owner_user_id          TEXT NOT NULL,
  default_org_account_id TEXT NOT NULL,
  created_at             BIGINT NOT NULL
);

CREATE TABLE enterprise_members (
  enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
  user_id       TEXT NOT NULL REFERENCES users (id),
  role          TEXT NOT NULL,
  joined_at     BIGINT NOT NULL,
  PRIMARY KEY (enterprise_id, user_id)
);
CREATE INDEX enterprise_members_by_user ON enterprise_members (user_id);

CREATE TABLE org_members (
  account_id TEXT NOT NULL REFERENCES accounts (id),
  user_id    TEXT NOT NULL REFERENCES users (id),
  role       TEXT NOT NULL,
  joined_at  BIGINT NOT NULL,
  PRIMARY KEY (account_id, user_id)
);
CREATE INDEX org_members_by_user ON org_members (user_id);

CREATE TABLE workspaces (
  id                TEXT PRIMARY KEY,
  name              TEXT NOT NULL,
  description       TEXT NOT NULL,
  owner_account_id  TEXT NOT NULL REFERENCES accounts (id),
  owner_user_id     TEXT NOT NULL,
  type              TEXT NOT NULL,
  created_at        BIGINT NOT NULL,
  legacy_account_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX workspaces_by_owner_account ON workspaces (owner_account_id);

CREATE TABLE workspace_members (
  workspace_id TEXT NOT NULL REFERENCES workspaces (id),
  user_id      TEXT NOT NULL REFERENCES users (id),
  role         TEXT NOT NULL,
  joined_at    BIGINT NOT NULL,
  PRIMARY KEY (workspace_id, user_id)
);
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
  is_published  BIGINT NOT NULL,
  published_at  BIGINT NOT NULL,
  connector_ids TEXT NOT NULL,
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL
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
  created_at       BIGINT NOT NULL,
  updated_at       BIGINT NOT NULL
);
CREATE INDEX conversations_by_owner ON conversations (owner_account_id, bot_id, created_at);
CREATE INDEX conversations_by_bot ON conversations (bot_id, owner_account_id);

-- seq orders messages created in the same second: ids are not insertion-ordered.
CREATE TABLE messages (
  seq             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL
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
  created_at       BIGINT NOT NULL,
  completed_at     BIGINT NOT NULL,
  input_count      BIGINT NOT NULL,
  output_count     BIGINT NOT NULL
);
CREATE INDEX chats_by_conversation ON chats (conversation_id);

CREATE TABLE files (
  id               TEXT PRIMARY KEY,
  owner_account_id TEXT NOT NULL,
  file_name        TEXT NOT NULL,
  bytes            BIGINT NOT NULL,
  sha256_hex       TEXT NOT NULL,
  created_at       BIGINT NOT NULL
);
CREATE INDEX files_by_owner_account ON files (owner_account_id);

-- app_id and authorization_id: the OAuth app and authorization a token was issued through (NULL
-- for PAT/SAT). bot_ids: the bots a token may reach, '' = any.
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
  all_workspaces         BIGINT NOT NULL,
  workspace_ids          TEXT NOT NULL,
  session_name           TEXT NOT NULL,
  created_at             BIGINT NOT NULL,
  updated_at             BIGINT NOT NULL,
  expires_at             BIGINT NOT NULL,
  revoked_at             BIGINT NOT NULL,
  last_used_at           BIGINT NOT NULL,
  app_id                 TEXT,
  authorization_id       TEXT,
  bot_ids                TEXT NOT NULL DEFAULT ''
);
CREATE INDEX tokens_by_user ON tokens (user_id, kind);
CREATE INDEX tokens_by_authorization ON tokens (authorization_id);
CREATE INDEX tokens_by_account ON tokens (account_id);
CREATE INDEX tokens_by_enterprise ON tokens (enterprise_id);

CREATE TABLE sessions (
  id           TEXT PRIMARY KEY,
  session_hash TEXT NOT NULL UNIQUE,
  csrf_token   TEXT NOT NULL,
  user_id      TEXT NOT NULL REFERENCES users (id),
  created_at   BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- redirect_uris is newline-separated (URIs may contain commas).
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
  created_at             BIGINT NOT NULL
);
CREATE INDEX oauth_apps_by_owner ON oauth_apps (owner_account_id);

CREATE TABLE app_public_keys (
  fingerprint    TEXT PRIMARY KEY,
  app_id         TEXT NOT NULL REFERENCES oauth_apps (id),
  public_key_pem TEXT NOT NULL,
  created_at     BIGINT NOT NULL
);
CREATE INDEX app_public_keys_by_app ON app_public_keys (app_id);

-- kind: 'app' (the app acts as itself) or 'obo' (an enterprise installation of an OBO app).
-- disabled_at: 0 = enabled; disabling is undone without a revocation.
CREATE TABLE app_authorizations (
  id                     TEXT PRIMARY KEY,
  app_id                 TEXT NOT NULL REFERENCES oauth_apps (id),
  account_id             TEXT NOT NULL,
  enterprise_id          TEXT NOT NULL,
  account_permissions    TEXT NOT NULL,
  workspace_permissions  TEXT NOT NULL,
  enterprise_permissions TEXT NOT NULL,
  all_workspaces         BIGINT NOT NULL,
  workspace_ids          TEXT NOT NULL,
  authorized_by          TEXT NOT NULL REFERENCES users (id),
  created_at             BIGINT NOT NULL,
  revoked_at             BIGINT NOT NULL,
  kind                   TEXT NOT NULL DEFAULT 'app',
  disabled_at            BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX app_authorizations_by_app ON app_authorizations (app_id);
CREATE INDEX app_authorizations_by_enterprise ON app_authorizations (enterprise_id);
CREATE INDEX app_authorizations_by_account ON app_authorizations (account_id);

CREATE TABLE used_jwt_ids (
  app_id     TEXT NOT NULL,
  jti        TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (app_id, jti)
);
CREATE INDEX used_jwt_ids_by_expiry ON used_jwt_ids (expires_at);

-- Secrets are stored as SHA-256 hex digests only.
CREATE TABLE oauth_client_secrets (
  id          TEXT PRIMARY KEY,
  app_id      TEXT NOT NULL REFERENCES oauth_apps (id),
  secret_hash TEXT NOT NULL UNIQUE,
  mask        TEXT NOT NULL,
  created_at  BIGINT NOT NULL
);
CREATE INDEX oauth_client_secrets_by_app ON oauth_client_secrets (app_id);

-- Context and grant are encoded as in tokens; installation_id is '' when the grant depends on no
-- installation.
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
  all_workspaces         BIGINT NOT NULL,
  workspace_ids          TEXT NOT NULL,
  installation_id        TEXT NOT NULL,
  created_at             BIGINT NOT NULL,
  revoked_at             BIGINT NOT NULL
);
CREATE INDEX obo_grants_by_app ON obo_grants (app_id);
CREATE INDEX obo_grants_by_installation ON obo_grants (installation_id);
CREATE INDEX obo_grants_by_account ON obo_grants (account_id);

CREATE TABLE authorization_codes (
  code_hash             TEXT PRIMARY KEY,
  grant_id              TEXT NOT NULL,
  app_id                TEXT NOT NULL,
  redirect_uri          TEXT NOT NULL,
  code_challenge        TEXT NOT NULL,
  code_challenge_method TEXT NOT NULL,
  created_at            BIGINT NOT NULL,
  expires_at            BIGINT NOT NULL,
  used_at               BIGINT NOT NULL
);
CREATE INDEX authorization_codes_by_expiry ON authorization_codes (expires_at);

-- parent_hash and access_token_id: the lineage behind the reuse grace window. rowid orders
-- rotations made within the same second.
CREATE TABLE refresh_tokens (
  token_hash      TEXT PRIMARY KEY,
  grant_id        TEXT NOT NULL,
  app_id          TEXT NOT NULL,
  created_at      BIGINT NOT NULL,
  expires_at      BIGINT NOT NULL,
  used_at         BIGINT NOT NULL,
  parent_hash     TEXT NOT NULL DEFAULT '',
  access_token_id TEXT NOT NULL DEFAULT '',
  rowid           BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX refresh_tokens_by_grant ON refresh_tokens (grant_id);
CREATE INDEX refresh_tokens_by_parent ON refresh_tokens (parent_hash);
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at);

CREATE TABLE device_codes (
  device_code_hash TEXT PRIMARY KEY,
  user_code        TEXT NOT NULL,
  app_id           TEXT NOT NULL,
  workspace_id     TEXT NOT NULL,
  status           TEXT NOT NULL,
  grant_id         TEXT NOT NULL,
  created_at       BIGINT NOT NULL,
  expires_at       BIGINT NOT NULL,
  last_poll_at     BIGINT NOT NULL,
  interval_seconds BIGINT NOT NULL
);
CREATE INDEX device_codes_by_user_code ON device_codes (user_code, created_at);
CREATE INDEX device_codes_by_expiry ON device_codes (expires_at);

CREATE TABLE migrations (
  id              TEXT PRIMARY KEY,
  workspace_id    TEXT NOT NULL REFERENCES workspaces (id),
  from_account_id TEXT NOT NULL,
  to_account_id   TEXT NOT NULL,
  enterprise_id   TEXT NOT NULL,
  mode            TEXT NOT NULL,
  actor_user_id   TEXT NOT NULL,
  created_at      BIGINT NOT NULL,
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
  created_at          BIGINT NOT NULL,
  revoked_at          BIGINT NOT NULL
);
CREATE INDEX account_grants_by_account ON account_grants (personal_account_id);
CREATE INDEX account_grants_by_credential ON account_grants (credential_kind, credential_id);

-- rowid orders events of the same second (newest first).
CREATE TABLE audit_events (
  id          TEXT PRIMARY KEY,
  at          BIGINT NOT NULL,
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  target_kind TEXT NOT NULL,
  target_id   TEXT NOT NULL,
  detail_json TEXT NOT NULL,
  rowid       BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX audit_events_by_at ON audit_events (at);

CREATE TABLE request_stats (
  token_id        TEXT NOT NULL,
  credential_kind TEXT NOT NULL,
  route           TEXT NOT NULL,
  permission      TEXT NOT NULL,
  code            BIGINT NOT NULL,
  minute          BIGINT NOT NULL,
  count           BIGINT NOT NULL,
  PRIMARY KEY (token_id, route, code, minute)
);
CREATE INDEX request_stats_by_minute ON request_stats (minute);

CREATE TABLE app_projects (
  id              TEXT PRIMARY KEY,
  workspace_id    TEXT NOT NULL REFERENCES workspaces (id),
  name            TEXT NOT NULL,
  description     TEXT NOT NULL,
  creator_user_id TEXT NOT NULL,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL
);
CREATE INDEX app_projects_by_workspace ON app_projects (workspace_id, created_at);

CREATE TABLE workflows (
  id              TEXT PRIMARY KEY,
  workspace_id    TEXT NOT NULL REFERENCES workspaces (id),
  app_id          TEXT NOT NULL,
  name            TEXT NOT NULL,
  description     TEXT NOT NULL,
  definition_json TEXT NOT NULL,
  is_published    BIGINT NOT NULL,
  published_at    BIGINT NOT NULL,
  creator_user_id TEXT NOT NULL,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL
);
CREATE INDEX workflows_by_workspace ON workflows (workspace_id, created_at);
CREATE INDEX workflows_by_app ON workflows (app_id);

-- An execution's interrupt_event_id is cleared when a resume consumes it, so one event resumes
-- at most once.
CREATE TABLE workflow_executions (
  id                 TEXT PRIMARY KEY,
  workflow_id        TEXT NOT NULL REFERENCES workflows (id),
  workspace_id       TEXT NOT NULL,
  token_id           TEXT NOT NULL,
  credential_kind    TEXT NOT NULL,
  account_id         TEXT NOT NULL,
  status             TEXT NOT NULL,
  is_async           BIGINT NOT NULL,
  output             TEXT NOT NULL,
  interrupt_event_id TEXT NOT NULL,
  interrupt_node     TEXT NOT NULL,
  interrupt_state    TEXT NOT NULL,
  error_code         BIGINT NOT NULL,
  error_message      TEXT NOT NULL,
  input_count        BIGINT NOT NULL,
  output_count       BIGINT NOT NULL,
  created_at         BIGINT NOT NULL,
  updated_at         BIGINT NOT NULL
);
CREATE INDEX workflow_executions_by_workflow ON workflow_executions (workflow_id, created_at);
CREATE INDEX workflow_executions_by_event ON workflow_executions (interrupt_event_id);

CREATE TABLE rehearsals (
  id            TEXT PRIMARY KEY,
  workspace_id  TEXT NOT NULL,
  to_account_id TEXT NOT NULL,
  enterprise_id TEXT NOT NULL,
  mode          TEXT NOT NULL,
  actor_user_id TEXT NOT NULL,
  started_at    BIGINT NOT NULL,
  ends_at       BIGINT NOT NULL,
  stopped_at    BIGINT NOT NULL
);
CREATE INDEX rehearsals_by_workspace ON rehearsals (workspace_id, started_at);
CREATE INDEX rehearsals_live ON rehearsals (stopped_at, ends_at);

-- Shadow-decision counts per (rehearsal, credential, real code, shadow code), added to by each
-- batch the servers flush.
CREATE TABLE rehearsal_counts (
  rehearsal_id    TEXT NOT NULL REFERENCES rehearsals (id),
  token_id        TEXT NOT NULL,
  credential_kind TEXT NOT NULL,
  real_code       BIGINT NOT NULL,
  shadow_code     BIGINT NOT NULL,
  count           BIGINT NOT NULL,
  PRIMARY KEY (rehearsal_id, token_id, real_code, shadow_code)
);
)sql";

// Version 2 is SQLite's version 12: request_stats keyed by minute first (the order
// ListRequestStats reads and a flush appends in), its minute index dropped as the key's prefix.
constexpr char kVersion2[] = R"sql(
ALTER TABLE request_stats DROP CONSTRAINT request_stats_pkey;
ALTER TABLE request_stats ADD PRIMARY KEY (minute, token_id, route, code);
DROP INDEX request_stats_by_minute;
)sql";

constexpr std::array<const char*, 2> kVersions = {kVersion1, kVersion2};

}  // namespace

std::span<const char* const> SchemaScripts() { return kVersions; }

}  // namespace cozeauth::store::postgres
