#pragma once
// The on-behalf-of-user (OBO) side of OAuth apps (coze-protocol.md §4.1–§4.6, coze-platform.md
// §5.3–§5.4): client secrets, consents (OboGrant), authorization codes, refresh tokens and device
// codes. Value types; the store persists them, src/oauth issues and consumes them.
//
// Every secret here (client secret, code, refresh token, device code) is a CSPRNG string of which
// only the SHA-256 hex digest is stored (`*_hash`). The user code of the device flow is not a
// secret on its own (it is typed by a person and throttled) and is stored as is.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "credentials/token.hpp"

namespace cozeauth::credentials {

// A client secret of a web app. Several may be live at once (rotation); `mask` shows the first
// and last characters so the console can tell them apart without revealing them.
struct ClientSecret {
  std::string id;
  std::string app_id;
  std::string secret_hash;
  std::string mask;
  int64_t created_at = 0;
};

// One consent of a user to an app: where the app may act for the user (context) and what it may
// do (grant = consented points, a subset of the declared ones). Every access and refresh token
// issued through it — by its authorization code, its device code, or by refreshing — carries its
// id as Token::authorization_id, so revoking it (reuse of a used code or refresh token, the
// user's revocation, uninstalling the enterprise installation it depends on) revokes them all.
struct OboGrant {
  std::string id;
  std::string app_id;
  std::string user_id;
  Context context;
  Grant grant;
  std::string installation_id;  // the enterprise OBO installation it needs; empty otherwise
  int64_t created_at = 0;
  int64_t revoked_at = 0;  // 0 = live

  bool Revoked() const { return revoked_at != 0; }
};

// An authorization code (`code_` + 64 chars): single use, 10 minutes.
struct AuthorizationCode {
  std::string code_hash;
  std::string grant_id;
  std::string app_id;
  std::string redirect_uri;
  std::string code_challenge;         // empty when the client sent none
  std::string code_challenge_method;  // "S256" or "plain" (RFC 7636 §4.3); "" without PKCE
  int64_t created_at = 0;
  int64_t expires_at = 0;
  int64_t used_at = 0;  // 0 = not used yet
};

// A refresh token (72 chars, no prefix): single use (rotating), 30 days. `parent_hash` links a
// rotated token to the one it replaced (empty for the first of a chain) and `access_token_id`
// names the access token issued with it, so that a retry of a just-rotated token within the
// grace window can find and revoke an unused successor (oauth/obo.hpp).
struct RefreshToken {
  std::string token_hash;
  std::string grant_id;
  std::string app_id;
  int64_t created_at = 0;
  int64_t expires_at = 0;
  int64_t used_at = 0;
  std::string parent_hash;
  std::string access_token_id;
};

enum class DeviceStatus { kPending, kApproved, kDenied, kConsumed };
std::string_view ToString(DeviceStatus s);  // pending | approved | denied | consumed
std::optional<DeviceStatus> ParseDeviceStatus(std::string_view s);

// A device authorization (RFC 8628): the device polls with the device code, a person enters the
// user code on the verification page and consents, which sets grant_id and kApproved.
struct DeviceCode {
  std::string device_code_hash;
  std::string user_code;  // "XXXX-XXXX"
  std::string app_id;
  std::string workspace_id;  // the /workspace_id/{id}/device/code variant; empty otherwise
  DeviceStatus status = DeviceStatus::kPending;
  std::string grant_id;  // set on approval
  int64_t created_at = 0;
  int64_t expires_at = 0;
  int64_t last_poll_at = 0;
  int64_t interval = 5;  // seconds; grows by 5 on each slow_down
};

// Lifetimes (architecture.md §6).
inline constexpr int64_t kOboAccessSeconds = 15 * 60;
inline constexpr int64_t kRefreshSeconds = 30 * 86400;
inline constexpr int64_t kCodeSeconds = 10 * 60;
inline constexpr int64_t kDeviceCodeSeconds = 300;
inline constexpr int64_t kDeviceIntervalSeconds = 5;

}  // namespace cozeauth::credentials
