#pragma once
// OAuth apps, their public keys and their authorizations (installations) — coze-platform.md §5.
// Value types; the store persists them and admin/oauth_apps.hpp validates them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "credentials/token.hpp"

namespace cozeauth::credentials {

enum class AppType { kNormal, kConnector, kEnterprisePrivileged };
enum class ClientType { kWeb, kPkce, kDevice, kService };
// kDeleted apps keep their row (ids stay unique, audit stays readable) but authenticate nothing.
enum class AppStatus { kActive, kDisabled, kDeleted };

std::string_view ToString(AppType t);     // normal | connector | enterprise_privileged
std::string_view ToString(ClientType t);  // web | pkce | device | service
std::string_view ToString(AppStatus s);   // active | disabled | deleted
std::optional<AppType> ParseAppType(std::string_view s);
std::optional<ClientType> ParseClientType(std::string_view s);
std::optional<AppStatus> ParseAppStatus(std::string_view s);

struct OAuthApp {
  std::string id;         // 19-digit numeric id; also the JWT `iss`
  std::string client_id;  // "<32 digits>.app.coze" (web/pkce/device); the id for service apps
  std::string owner_account_id;
  std::string owner_user_id;
  std::string name;
  std::string description;
  AppType app_type = AppType::kNormal;
  ClientType client_type = ClientType::kService;
  AppStatus status = AppStatus::kActive;
  // Declared points (declaring is not granting, coze-platform.md §5.2).
  std::vector<std::string> account_permissions;
  std::vector<std::string> workspace_permissions;
  std::vector<std::string> enterprise_permissions;
  std::vector<std::string> redirect_uris;  // ≤ 3, exact match
  int64_t created_at = 0;
};

struct AppPublicKey {
  std::string fingerprint;  // the JWT `kid`: base64url(SHA-256(DER SubjectPublicKeyInfo))
  std::string app_id;
  std::string public_key_pem;  // normalised SPKI PEM
  int64_t created_at = 0;
};

// kAppAuth: the app may act as itself (JWT grant) in the account or enterprise.
// kOboInstall: an enterprise admin installed an OBO app (web/pkce/device) so that the
// enterprise's members may consent to it in the enterprise (coze-platform.md §5.4).
enum class AuthorizationKind { kAppAuth, kOboInstall };
std::string_view ToString(AuthorizationKind k);  // app | obo
std::optional<AuthorizationKind> ParseAuthorizationKind(std::string_view s);

// An app authorized (installed) into an account or, enterprise-wide, into an enterprise.
struct AppAuthorization {
  std::string id;
  std::string app_id;
  AuthorizationKind kind = AuthorizationKind::kAppAuth;
  std::string account_id;     // personal or organization account; empty when enterprise-wide
  std::string enterprise_id;  // set when enterprise-wide (and for organization accounts)
  Grant grant;
  std::string authorized_by;  // user id
  int64_t created_at = 0;
  int64_t revoked_at = 0;  // 0 = live
  // 0 = enabled. A disabled authorization suspends, without revoking, the tokens issued through
  // it (and, for an OBO installation, through the consents that depend on it) and refuses new
  // ones, until it is enabled again (coze-platform.md §5.4).
  int64_t disabled_at = 0;

  bool enterprise_wide() const { return account_id.empty(); }
  bool Revoked() const { return revoked_at != 0; }
  bool Disabled() const { return disabled_at != 0; }
};

}  // namespace cozeauth::credentials
