#pragma once
// The audit log of security events (architecture.md §1 "Observation"): token created / revoked /
// updated, app created / disabled / enabled / deleted / authorized / installed / uninstalled,
// keys and client secrets added and deleted, authorizations disabled / enabled, members added /
// their role set / removed (enterprise, organization, workspace), workspace migrations and
// cross-account grants.
// Each event names its actor (Env::actor: a user id, or "operator" for the admin CLI), a dotted
// action, the target's kind and id, and a small JSON object of non-secret details. An event
// never carries a token, a secret, a key or any digest of one.
//
//   Status s = Audited(env, [&] { return env.store.RevokeToken(id, now); },
//                      "token.revoked", "token", id, AuditDetail().Add("kind", "pat").Json());
//
// Audited() runs the write and the event in one store transaction, so that an event exists
// exactly when its write committed. Audit() alone appends one event; inside a caller's
// Transaction() it commits (or rolls back) with that transaction. Synchronous; thread-safe as
// the Store is.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "admin/operations.hpp"
#include "base/result.hpp"

namespace cozeauth::admin {

// A JSON object built field by field, values escaped (for AuditEvent::detail_json).
class AuditDetail {
 public:
  AuditDetail& Add(std::string_view key, std::string_view value);
  AuditDetail& Add(std::string_view key, const char* value) {
    return Add(key, std::string_view(value));
  }
  AuditDetail& Add(std::string_view key, int64_t value);
  AuditDetail& Add(std::string_view key, bool value);
  AuditDetail& Add(std::string_view key, const std::vector<std::string>& values);
  // "{...}"; "{}" when nothing was added.
  std::string Json() const { return "{" + body_ + "}"; }

 private:
  void Key(std::string_view key);
  std::string body_;
};

// Appends one event stamped with env.clock, env.actor and a fresh id. `detail_json` must be a
// JSON object ("{}" when there is nothing to add) without secrets.
Status Audit(Env& env, std::string_view action, std::string_view target_kind,
             std::string_view target_id, std::string detail_json = "{}");

// Runs `write` and then Audit(...) in one transaction: the event is recorded only when the
// write succeeded, and a failing append rolls the write back.
Status Audited(Env& env, const std::function<Status()>& write, std::string_view action,
               std::string_view target_kind, std::string_view target_id,
               std::string detail_json = "{}");

}  // namespace cozeauth::admin
