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
// Backends live in store/<backend>/, are the only place with SQL, and implement Store whole so
// that a Transaction() spans every aggregate. Contracts (thread safety, errors, the transaction,
// the auth epoch) are stated in unit_of_work.hpp; each aggregate header names the writes of its
// own that bump the auth epoch. Every method is synchronous and may block on I/O: the HTTP layer
// calls it from the worker pool, never from an I/O thread.

#include <memory>
#include <string>

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
};

// Opens the backend named by `url`: "sqlite:PATH" (PATH may be relative; its parent directory
// is created), or "sqlite::memory:" for tests. Applies pending schema versions.
Result<std::unique_ptr<Store>> OpenStore(const std::string& url);

}  // namespace cozeauth::store
