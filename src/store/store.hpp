#pragma once
// Store: the persistence interface (architecture.md §3, §8), one backend object composed of the
// aggregate interfaces below, each of which a caller may take on its own when it needs only that
// part (e.g. the authenticator's fakes implement just CredentialStore or TenancyStore):
//
//   UnitOfWork        unit_of_work.hpp       Transaction(), AuthEpoch(), the bump listener
//   TenancyStore      tenancy_store.hpp      users, accounts, enterprises, workspaces, roles
//   ContentStore      content_store.hpp      bots, conversations, messages, chats, files
//   CredentialStore   credential_store.hpp   API tokens
//   OAuthStore        oauth_store.hpp        apps, keys, secrets, authorizations, OBO grants,
//                                            codes, refresh tokens, device codes, JWT ids
//   MigrationStore    migration_store.hpp    workspace migrations, cross-account grants
//   ObservationStore  observation_store.hpp  audit log, request stats
//   RehearsalStore    rehearsal_store.hpp    migration rehearsals and their shadow counts
//   SessionStore      session_store.hpp      console sessions
//   WorkflowStore     workflow_store.hpp     workflows, app projects, workflow executions
//
// Store itself adds the writes that span two aggregates on a hot path: IssueJwtToken.
//
// Backends live in store/<backend>/, are the only place with SQL, and implement Store whole so
// that a Transaction() spans every aggregate. Contracts (thread safety, errors, the transaction,
// the auth epoch) are stated in unit_of_work.hpp; each aggregate header names the writes of its
// own that bump the auth epoch. Every method is synchronous and may block on I/O: the HTTP layer
// calls it from the worker pool, never from an I/O thread.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "store/content_store.hpp"
#include "store/credential_store.hpp"
#include "store/migration_store.hpp"
#include "store/oauth_store.hpp"
#include "store/observation_store.hpp"
#include "store/rehearsal_store.hpp"
#include "store/session_store.hpp"
#include "store/tenancy_store.hpp"
#include "store/types.hpp"
#include "store/unit_of_work.hpp"
#include "store/workflow_store.hpp"

namespace cozeauth::store {

// A JWT id to record as used (OAuthStore::UseJwtId's arguments).
struct JwtIdUse {
  std::string app_id;
  std::string jti;
  int64_t expires_at = 0;  // kept (and refused again) until then
  int64_t now = 0;         // a stored row with expires_at <= now no longer counts
};

class Store : public UnitOfWork,
              public TenancyStore,
              public ContentStore,
              public CredentialStore,
              public OAuthStore,
              public MigrationStore,
              public ObservationStore,
              public RehearsalStore,
              public SessionStore,
              public WorkflowStore {
 public:
  ~Store() override = default;

  // The JWT-bearer grant's one write (oauth/jwt_grant.hpp), spanning OAuthStore and
  // CredentialStore: records `jti` as used and creates `token` (as CreateToken), both or neither.
  // kAlreadyExists when the app already used the jti and its row has not expired (a row with
  // expires_at <= jti.now is replaced; unlike UseJwtId this purges no other row: PurgeExpired
  // does); then nothing is written. A token id or digest collision is kAlreadyExists too (ids are
  // unique by construction). Bumps nothing.
  //
  // Success means committed: the token outlives a crash of this process (the backend's
  // durability). Inside Transaction() it joins that transaction (atomic on its own, as every
  // joined write). Otherwise a backend may commit concurrent calls from several threads in one
  // transaction (group commit); each call's outcome stays its own — a used jti fails only the
  // call that brought it — and a call returns only once its transaction committed or failed.
  virtual Status IssueJwtToken(const JwtIdUse& jti, const credentials::Token& token) = 0;

  // IssueJwtToken for a caller that does not wait for the commit: `done` gets what
  // IssueJwtToken would have returned, exactly once — on a thread of the store's once the write
  // committed or failed, or on this thread before the call returns. `done` must not block.
  // Whether the call itself blocks (base/blocking.hpp) is the backend's: this default runs
  // IssueJwtToken here and does; the SQL store only queues the write, and does not.
  virtual void IssueJwtTokenAsync(JwtIdUse jti, credentials::Token token,
                                  std::function<void(Status)> done) {
    done(IssueJwtToken(jti, token));
  }

  // Memory the backend holds in this process, for `GET /metrics`: an embedded database's page
  // caches, statements and schema (SQLite: sqlite3_memory_used(), every connection of the
  // process). nullopt for a backend whose caches live in a server of its own (PostgreSQL).
  // Thread-safe and cheap: no I/O, so an I/O thread may call it.
  virtual std::optional<uint64_t> MemoryInUse() const { return std::nullopt; }
};

// Opens the backend named by `url`: "sqlite:PATH" (PATH may be relative; its parent directory
// is created), "sqlite::memory:" for tests, or "postgresql://user:password@host:port/db" (any
// URL libpq takes; "postgres://" too). Applies pending schema versions.
Result<std::unique_ptr<Store>> OpenStore(const std::string& url);

// `url` fit for a log line: a password in it (postgresql://user:PASSWORD@… or ?password=…)
// replaced by "***".
std::string RedactedUrl(std::string_view url);

}  // namespace cozeauth::store
