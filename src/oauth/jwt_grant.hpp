#pragma once
// The JWT-bearer grant (coze-protocol.md §4.7, coze-platform.md §5.3): a verified JWT becomes a
// czs_ access token acting in the account (or enterprise) where the app is authorized, with the
// authorization's grant narrowed by the optional `scope`. Synchronous; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/ids.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "oauth/grant_facts.hpp"
#include "store/store.hpp"

namespace cozeauth::oauth {

// What the grants need. The two policy values default to api::ServerOptions' defaults; the
// token routes copy the configured ones in.
struct Env {
  store::Store& store;
  const Clock& clock;
  SecureRandom& random;
  IdGenerator& ids;
  // Longest JWT-bearer assertion accepted, exp − iat (oauth/jwt_bearer.hpp).
  int64_t jwt_max_lifetime_seconds = 3600;
  // Refresh-token reuse grace window in seconds, 0 = off (oauth/obo.hpp RefreshTokens).
  int64_t refresh_reuse_grace_seconds = 30;
  // What the JWT-bearer grant reads before its write (oauth/grant_facts.hpp); null: `store`.
  GrantFacts* grant_facts = nullptr;
};

inline constexpr int64_t kJwtDefaultDurationSeconds = 900;
inline constexpr int64_t kJwtMaxDurationSeconds = 86399;

// Which token path was called: /token (the owner's account), /account/{id}/token,
// /enterprise_id/{id}/token.
enum class JwtTarget { kOwner, kAccount, kEnterprise };

// The request body's `scope` (coze-protocol.md §5.1); each present part only narrows.
struct JwtScope {
  std::optional<std::vector<std::string>> account_permissions;
  std::optional<std::vector<std::string>> workspace_ids;
  std::optional<std::vector<std::string>> workspace_permissions;
  std::optional<std::vector<std::string>> bot_ids;  // the only bots the token may reach
};

struct JwtGrantRequest {
  std::string jwt;
  std::vector<std::string> aud_hosts;
  JwtTarget target = JwtTarget::kOwner;
  std::string target_id;  // account id or enterprise id
  std::optional<int64_t> duration_seconds;
  std::optional<JwtScope> scope;
};

struct IssuedToken {
  std::string access_token;
  int64_t expires_at = 0;
  credentials::Token token;
};

// Errors are OAuth errors (oauth/errors.hpp): invalid_request (duration, malformed or too
// long-lived exp/iat), invalid_client (JWT, a jti already used),
// access_deny (app disabled, not a service app, not authorized in the target).
// The assertion's jti is spent in the same write as the token (store.hpp IssueJwtToken), so a
// grant refused for another reason leaves it unspent, and an answered grant's token is committed.
Result<IssuedToken> ExchangeJwtBearer(Env& env, const JwtGrantRequest& req);

// ExchangeJwtBearer in two steps, for a caller that hands the write to
// store::Store::IssueJwtTokenAsync instead of waiting for it: PrepareJwtBearer does every check
// and read and mints the token (writing nothing); JwtWriteOutcome turns the write's outcome into
// the grant's (a used jti → invalid_client, as ExchangeJwtBearer says).
struct PreparedJwtGrant {
  store::JwtIdUse jti;
  credentials::Token token;
  std::string access_token;  // the plaintext, answered once the write committed
};
Result<PreparedJwtGrant> PrepareJwtBearer(Env& env, const JwtGrantRequest& req);
Status JwtWriteOutcome(const Status& written);

// grant ∩ scope (exposed for tests).
credentials::Grant NarrowGrant(const credentials::Grant& grant, const JwtScope& scope);

}  // namespace cozeauth::oauth
