#pragma once
// RehearsalShadow: the shadow decision of migration rehearsals on the hot path (docs/migration.md
// "Rehearse first"). While a rehearsal of workspace W into organization ORG under a mode is live,
// every OpenAPI request whose target is in W is ALSO decided as if W already belonged to ORG in
// that mode — policy::Decide on the facts policy::AfterMigration gives, with the user's role in
// ORG, the same rule migration::MakePlan applies — and requests of credentials that reach W
// today but target something else are counted with their real outcome (a migration changes
// nothing but W's ownership). The shadow never changes the real answer: it only counts, per
// (rehearsal, credential, real code, shadow code), in RehearsalCounts.
//
// Per request: Begin() (the one cheap check) → Shadow() from Call::Authorize for each
// workspace-level target → Finish() with the response's business code. When no rehearsal is
// live, Begin() is one atomic load and nothing else runs: no lock, no allocation, no clock.
//
// The live set is loaded from the store (ListLiveRehearsals) after every Invalidate(), which the
// Authenticator calls whenever the auth epoch moves — creating or stopping a rehearsal bumps it,
// so one started by the CLI in another process reaches the server at its next epoch poll. The
// reload runs on the poll thread (Refresh) or the first request after the invalidation, without a
// lock held across the read;
// a set loaded before an invalidation is never installed after it. A rehearsal counts requests
// answered in [started_at, ends_at) that it has not been stopped before; a workspace already
// owned by an organization is not shadowed (the migration it rehearsed has run).
//
// Thread-safe.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/auth/rehearsal_counts.hpp"
#include "base/clock.hpp"
#include "domain/rehearsal.hpp"
#include "policy/decision.hpp"
#include "store/rehearsal_store.hpp"

namespace cozeauth::api {

// The facts of W the shadow reads, from the request's cached facts (Call in the server).
class ShadowFacts {
 public:
  virtual ~ShadowFacts() = default;
  // W's facts for the request's principal today, as Call::WorkspaceTarget loads them.
  virtual policy::WorkspaceTarget Today(const std::string& workspace_id) = 0;
  // The user's live role in an organization.
  virtual std::optional<domain::OrgRole> OrgRole(const std::string& org_account_id,
                                                 const std::string& user_id) = 0;
};

// The facts a workspace-level target will have once its workspace is migrated as `r` rehearses:
// policy::AfterMigration on today's, with the user's role in the organization that will own it
// (`org_role`; nullopt for a credential bound to no user). migration.cpp's FactsAfter, on the
// request's cached facts.
[[nodiscard]] policy::WorkspaceTarget ShadowTarget(policy::WorkspaceTarget today,
                                                   const domain::Rehearsal& r,
                                                   std::optional<domain::OrgRole> org_role);

// What one request's shadow decisions found, one Outcome per live rehearsal (by index in
// `live`). Default-constructed per request at no cost.
struct ShadowNote {
  struct Outcome {
    bool shadowed = false;          // a target in the rehearsal's workspace was decided
    bool real_denied_here = false;  // … and the real decision denied it
    int shadow_denied = 0;          // the first shadow denial's code (0 = none)
  };
  std::shared_ptr<const std::vector<domain::Rehearsal>> live;  // null: nothing to shadow
  int64_t now = 0;
  std::vector<Outcome> outcomes;  // sized at the first shadowed target
};

class RehearsalShadow {
 public:
  // `store` and `clock` must outlive the shadow; `counts` receives the outcomes.
  RehearsalShadow(store::RehearsalStore& store, const Clock& clock, RehearsalCounts& counts);

  // The one check on every request: fills `note` only when some rehearsal is live (reloading
  // the set first if it was invalidated).
  void Begin(ShadowNote& note);
  // One decision of the request over a workspace-level target, `real_allowed` its real answer.
  void Shadow(ShadowNote& note, const policy::Principal& principal, std::string_view point,
              const policy::WorkspaceTarget& target, Errc not_found, bool real_allowed,
              ShadowFacts& facts) const;
  // Counts the request of token `token_id` under each live rehearsal it concerns; `real_code`
  // is the business code of the answer it got. Requests of no identified token are not counted.
  void Finish(const ShadowNote& note, const policy::Principal& principal, std::string_view token_id,
              int real_code, ShadowFacts& facts);

  // The set is reloaded before the next request is shadowed.
  void Invalidate();
  // Reloads the set now if it was invalidated (the Authenticator's poll thread, after an epoch
  // change, so that a rehearsal started by another process shows before the next request).
  void Refresh();
  // The rehearsals of the set as last loaded that are live now; never reads the store (for
  // /metrics, which runs on an I/O thread).
  std::vector<domain::Rehearsal> Live() const;

 private:
  enum State : int { kNone, kSome, kStale };
  void Reload();

  store::RehearsalStore& store_;
  const Clock& clock_;
  RehearsalCounts& counts_;
  std::atomic<int> state_{kStale};
  mutable std::mutex mu_;  // guards live_ and generation_; never held across the store read
  uint64_t generation_ = 0;
  std::shared_ptr<const std::vector<domain::Rehearsal>> live_;
};

}  // namespace cozeauth::api
