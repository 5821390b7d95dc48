#pragma once
// A migration rehearsal (docs/migration.md "Rehearse first"): for a while, every real request
// that touches a workspace is also decided as if the workspace already belonged to an
// organization under a migration mode, and the shadow outcomes are counted per credential.
// Value types; src/migration starts, stops and reports rehearsals, api/auth decides the shadow,
// the store keeps both.

#include <cstdint>
#include <string>

#include "domain/migration.hpp"

namespace cozeauth::domain {

struct Rehearsal {
  std::string id;
  std::string workspace_id;
  std::string to_account_id;  // the organization it is rehearsed into
  std::string enterprise_id;  // … and its enterprise
  MigrationMode mode = MigrationMode::kCut;
  std::string actor_user_id;
  int64_t started_at = 0;
  int64_t ends_at = 0;     // exclusive: a request at ends_at is no longer rehearsed
  int64_t stopped_at = 0;  // 0 = not stopped

  // Whether requests answered at `now` are rehearsed.
  bool ActiveAt(int64_t now) const { return stopped_at == 0 && now >= started_at && now < ends_at; }
};

// Requests of one credential during one rehearsal with one pair of outcomes: the real answer's
// business code (0 = ok) and the shadow decision's (0 = ok; 4100, 4101, 4200… = would fail).
struct RehearsalCount {
  std::string rehearsal_id;
  std::string token_id;
  std::string credential_kind;  // credentials::ToString(TokenKind)
  int real_code = 0;
  int shadow_code = 0;
  int64_t count = 0;
};

}  // namespace cozeauth::domain
