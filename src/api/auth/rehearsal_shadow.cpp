#include "api/auth/rehearsal_shadow.hpp"

#include "credentials/token.hpp"

namespace cozeauth::api {

policy::WorkspaceTarget ShadowTarget(policy::WorkspaceTarget today, const domain::Rehearsal& r,
                                     std::optional<domain::OrgRole> org_role) {
  policy::WorkspaceTarget after =
      policy::AfterMigration(std::move(today), r.to_account_id, r.enterprise_id, r.mode);
  after.user_org_role = org_role;
  return after;
}

RehearsalShadow::RehearsalShadow(store::RehearsalStore& store, const Clock& clock,
                                 RehearsalCounts& counts)
    : store_(store), clock_(clock), counts_(counts) {}

void RehearsalShadow::Begin(ShadowNote& note) {
  int state = state_.load(std::memory_order_acquire);
  if (state == kNone) return;  // the cost of no rehearsal
  if (state == kStale) Reload();
  {
    std::lock_guard lock(mu_);
    note.live = live_;
  }
  if (note.live && note.live->empty()) note.live.reset();
  if (note.live) note.now = clock_.NowSeconds();
}

void RehearsalShadow::Reload() {
  uint64_t generation = 0;
  {
    std::lock_guard lock(mu_);
    generation = generation_;
  }
  // A store fault leaves the set stale: this request is not shadowed, the next one retries.
  auto rows = store_.ListLiveRehearsals(clock_.NowSeconds());
  if (!rows) return;
  auto live = std::make_shared<const std::vector<domain::Rehearsal>>(std::move(rows).value());
  std::lock_guard lock(mu_);
  if (generation != generation_) return;  // invalidated during the read: not installed
  const bool some = !live->empty();
  live_ = std::move(live);
  state_.store(some ? kSome : kNone, std::memory_order_release);
}

void RehearsalShadow::Invalidate() {
  std::lock_guard lock(mu_);
  ++generation_;
  state_.store(kStale, std::memory_order_release);
}

void RehearsalShadow::Refresh() {
  if (state_.load(std::memory_order_acquire) == kStale) Reload();
}

std::vector<domain::Rehearsal> RehearsalShadow::Live() const {
  std::shared_ptr<const std::vector<domain::Rehearsal>> live;
  {
    std::lock_guard lock(mu_);
    live = live_;
  }
  std::vector<domain::Rehearsal> out;
  if (!live) return out;
  const int64_t now = clock_.NowSeconds();
  for (const auto& r : *live) {
    if (r.ActiveAt(now)) out.push_back(r);
  }
  return out;
}

void RehearsalShadow::Shadow(ShadowNote& note, const policy::Principal& principal,
                             std::string_view point, const policy::WorkspaceTarget& target,
                             Errc not_found, bool real_allowed, ShadowFacts& facts) const {
  // A workspace owned by an organization is past its migration: nothing left to rehearse.
  if (!note.live || !target.exists || !target.owner_enterprise_id.empty()) return;
  const auto& live = *note.live;
  for (size_t i = 0; i < live.size(); ++i) {
    const domain::Rehearsal& r = live[i];
    if (r.workspace_id != target.workspace_id || !r.ActiveAt(note.now)) continue;
    if (note.outcomes.size() < live.size()) note.outcomes.resize(live.size());
    std::optional<domain::OrgRole> org_role;
    if (principal.user_bound()) org_role = facts.OrgRole(r.to_account_id, principal.user_id);
    const policy::Decision shadow =
        policy::Decide(principal, point, ShadowTarget(target, r, org_role), not_found);
    ShadowNote::Outcome& o = note.outcomes[i];
    o.shadowed = true;
    if (!real_allowed) o.real_denied_here = true;
    if (!shadow.allowed() && o.shadow_denied == 0) o.shadow_denied = static_cast<int>(shadow.code);
  }
}

void RehearsalShadow::Finish(const ShadowNote& note, const policy::Principal& principal,
                             std::string_view token_id, int real_code, ShadowFacts& facts) {
  if (!note.live || token_id.empty()) return;
  const auto& live = *note.live;
  for (size_t i = 0; i < live.size(); ++i) {
    const domain::Rehearsal& r = live[i];
    if (!r.ActiveAt(note.now)) continue;
    const ShadowNote::Outcome o =
        i < note.outcomes.size() ? note.outcomes[i] : ShadowNote::Outcome{};
    int shadow_code = real_code;
    if (o.shadowed) {
      // Denied by the shadow: the code it gave. Denied by the real decision only: the shadow
      // would have let it through (what follows is not rehearsed). Otherwise the migration
      // changes nothing else the request depends on.
      if (o.shadow_denied != 0) {
        shadow_code = o.shadow_denied;
      } else if (o.real_denied_here) {
        shadow_code = 0;
      }
    } else {
      // A request elsewhere counts when its credential reaches W today; the migration does not
      // change its answer.
      const policy::WorkspaceTarget today = facts.Today(r.workspace_id);
      if (!today.exists || !today.owner_enterprise_id.empty()) continue;
      if (!policy::ReachesWorkspace(principal, today)) continue;
    }
    counts_.Record(r.id, token_id, credentials::ToString(principal.kind), real_code, shadow_code);
  }
}

}  // namespace cozeauth::api
