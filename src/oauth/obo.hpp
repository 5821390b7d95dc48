#pragma once
// The on-behalf-of-user grants (coze-protocol.md §4.1–§4.6, coze-platform.md §5.3–§5.4):
// authorization requests and consent, authorization codes (with PKCE S256/plain), refresh-token
// rotation with reuse detection, and the device flow (RFC 8628). Synchronous; thread-safe (all
// shared state is in the store).
//
// Security properties kept here, each with a negative test in obo_test.cpp:
//   - a redirect URI is used only if it equals a registered one byte for byte;
//   - codes, refresh tokens and device codes are single use; presenting a used code or refresh
//     token again revokes the whole consent (OboGrant) with every token issued through it —
//     except a retry of a just-rotated refresh token within Env::refresh_reuse_grace_seconds
//     whose successor was never presented (a lost response): the unused successor and its
//     access token are revoked and a fresh pair is issued (RefreshTokens);
//   - PKCE verifiers are compared in constant time; no minimum verifier length (Go sends 16
//     hex chars, §4.4);
//   - web apps authenticate with a live client secret; pkce/device apps send none, an empty
//     `Bearer ` or a bare `Bearer` (§4.2 rule 1), and any value they send is ignored.
// Errors are OAuth errors (oauth/errors.hpp).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "credentials/oauth_app.hpp"
#include "credentials/oauth_grant.hpp"
#include "oauth/jwt_grant.hpp"

namespace cozeauth::oauth {

inline constexpr std::string_view kInvalidGrant = "invalid_grant";  // RFC 6749 §5.2
inline constexpr std::string_view kAuthorizationPending = "authorization_pending";
inline constexpr std::string_view kSlowDown = "slow_down";
inline constexpr std::string_view kAccessDenied = "access_denied";
inline constexpr std::string_view kExpiredToken = "expired_token";

// --- authorization requests (GET …/authorize)

struct AuthorizeParams {
  std::string response_type;
  std::string client_id;
  std::string redirect_uri;
  std::string state;  // may be empty (§4.1: JS/PY/C send `state=`)
  std::string code_challenge;
  std::string code_challenge_method;  // "", "S256" or "plain" ("" with a challenge = plain)
  std::string workspace_id;           // the /workspace_id/{id}/authorize variant
};

// The outcome of checking an authorization request. When `redirect_ok` is false the client or
// its redirect URI could not be trusted: show an error page, never redirect (RFC 6749 §4.1.2.1).
// Otherwise a failure is reported to the client by redirecting with `error`.
struct AuthorizeCheck {
  std::optional<credentials::OAuthApp> app;
  bool redirect_ok = false;
  std::string error;              // OAuth error code; empty = valid
  std::string error_description;  // public text
};
AuthorizeCheck CheckAuthorizeRequest(Env& env, const AuthorizeParams& p);

// Where a user may let the app act for them: their personal account, or an enterprise they are a
// member of where the app may be used (the app's owner is in that enterprise, or an admin
// installed it there for OBO). With a workspace, only the place owning it, if the user is a
// member of the workspace.
struct ConsentPlace {
  credentials::Context context;
  std::string label;            // "Personal account" / the enterprise's name
  std::string installation_id;  // the OBO installation relied on, if any
  std::string key() const {     // a stable form value: "personal" or the enterprise id
    return context.kind == credentials::ContextKind::kPersonal ? "personal" : context.enterprise_id;
  }
};
Result<std::vector<ConsentPlace>> ConsentPlaces(Env& env, const credentials::OAuthApp& app,
                                                const std::string& user_id,
                                                const std::string& workspace_id);

// Records the user's consent in `place_key` (a ConsentPlace::key() from ConsentPlaces) and
// returns it. The grant is the app's declared points; a workspace-scoped consent covers only that
// workspace and no account-level points (coze-platform.md §5.3).
Result<credentials::OboGrant> Consent(Env& env, const credentials::OAuthApp& app,
                                      const std::string& user_id, const std::string& place_key,
                                      const std::string& workspace_id);

// A fresh `code_…` for the consent; the plaintext is returned, its digest stored.
Result<std::string> IssueAuthorizationCode(Env& env, const credentials::OboGrant& grant,
                                           const AuthorizeParams& p);

// --- token endpoint (POST /api/permission/oauth2/token)

struct TokenRequest {
  std::string grant_type;
  std::string client_id;
  std::string code;
  std::string redirect_uri;
  std::string code_verifier;
  std::string refresh_token;
  std::string device_code;
  std::string bearer;  // the Authorization bearer value; "" for none/empty/bare (§4.2)
};

struct OboTokens {
  std::string access_token;  // czu_…
  int64_t expires_at = 0;    // Unix seconds (§4.3: expires_in is absolute)
  std::string refresh_token;
  credentials::Token token;
};

Result<OboTokens> ExchangeAuthorizationCode(Env& env, const TokenRequest& req);
Result<OboTokens> RefreshTokens(Env& env, const TokenRequest& req);
// authorization_pending / slow_down / access_denied / expired_token are OAuth errors.
Result<OboTokens> PollDeviceCode(Env& env, const TokenRequest& req);

// --- device flow

struct DeviceAuthorization {
  std::string device_code;
  std::string user_code;
  int64_t expires_in = credentials::kDeviceCodeSeconds;  // a duration here (§4.5)
  int64_t interval = credentials::kDeviceIntervalSeconds;
};
// `admit`, when set, runs once the client is known to be a usable device app and before any row
// is written; its error is returned as is (the token routes rate-limit per app there).
Result<DeviceAuthorization> StartDeviceAuthorization(
    Env& env, const std::string& client_id, const std::string& workspace_id,
    const std::function<Status(const credentials::OAuthApp&)>& admit = nullptr);

// Normalises what a person typed ("wdjb mjht", "WDJBMJHT") to "WDJB-MJHT"; nullopt if it
// cannot be a user code.
std::optional<std::string> NormalizeUserCode(std::string_view typed);

// The pending device authorization for a user code, with its app; kNotFound when unknown,
// expired or no longer pending.
struct PendingDevice {
  credentials::DeviceCode device;
  credentials::OAuthApp app;
};
Result<PendingDevice> FindPendingDevice(Env& env, const std::string& user_code);
// Approves (with a consent in `place_key`) or denies the pending device authorization.
Status DecideDevice(Env& env, const std::string& user_code, const std::string& user_id,
                    bool approve, const std::string& place_key);

}  // namespace cozeauth::oauth
