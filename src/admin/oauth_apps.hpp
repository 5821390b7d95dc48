#pragma once
// Operations on OAuth apps (coze-platform.md §5) shared by the operator CLI and (later) the
// console API. Same contract as operations.hpp: complete validation before any write, bad input
// → kBadRequest naming the field, unknown ids → kNotFound, nothing written on error.

#include <optional>
#include <string>
#include <vector>

#include "admin/operations.hpp"
#include "credentials/oauth_app.hpp"
#include "credentials/oauth_grant.hpp"

namespace cozeauth::admin {

inline constexpr size_t kMaxRedirectUris = 3;

struct AppSpec {
  std::string owner_account_id;  // the owner's personal account, or an org they administer
  std::string owner_user_id;
  std::string name;
  std::string description;
  credentials::AppType app_type = credentials::AppType::kNormal;
  credentials::ClientType client_type = credentials::ClientType::kService;
  std::vector<std::string> redirect_uris;  // web/pkce: 1–3 absolute http(s) URIs
  std::vector<std::string> account_permissions;
  std::vector<std::string> workspace_permissions;
  std::vector<std::string> enterprise_permissions;
};
Result<credentials::OAuthApp> CreateApp(Env& env, const AppSpec& spec);

// What an app's owner may change without recreating it: name, description and (web/pkce) the
// redirect URIs, each nullopt = unchanged. The same checks as CreateApp (one copy of the
// redirect URI rule); nothing written on error. A removed redirect URI is refused by the next
// authorization request at once.
struct AppMetaChange {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::vector<std::string>> redirect_uris;
};
Result<credentials::OAuthApp> UpdateAppMeta(Env& env, const std::string& app_id,
                                            const AppMetaChange& change);

// Service apps only; returns the stored key (fingerprint = the JWT kid).
Result<credentials::AppPublicKey> AddPublicKey(Env& env, const std::string& app_id,
                                               const std::string& pem);
Status DeleteKey(Env& env, const std::string& app_id, const std::string& kid);
// Service apps only: generates an RSA key pair, registers its public half like AddPublicKey and
// returns the private half, which is never stored (the caller shows it once).
struct GeneratedAppKey {
  credentials::AppPublicKey key;
  std::string private_pem;
};
Result<GeneratedAppKey> GenerateKeyPair(Env& env, const std::string& app_id);
// Disabling suspends every token of the app (4100) until it is enabled again.
Status SetAppEnabled(Env& env, const std::string& app_id, bool enabled);

struct AuthorizeSpec {
  std::string app_id;
  // kAppAuth (service apps: the app acts as itself) or kOboInstall (web/pkce/device apps, into
  // an enterprise only: its members may then consent to the app there).
  credentials::AuthorizationKind kind = credentials::AuthorizationKind::kAppAuth;
  std::string actor_user_id;
  std::string account_id;     // exactly one of account_id / enterprise_id
  std::string enterprise_id;  // enterprise-wide installation
  bool all_workspaces = true;
  std::vector<std::string> workspace_ids;
  // Subsets of the declared points; nullopt = all declared points of that level.
  std::optional<std::vector<std::string>> account_permissions;
  std::optional<std::vector<std::string>> workspace_permissions;
  std::optional<std::vector<std::string>> enterprise_permissions;
};
// The owner may authorize into their own personal account; an enterprise super_admin/admin into
// the enterprise (enterprise-wide) or one of its organizations. A live authorization for the
// same place is replaced (revoked, with its tokens) by the new one.
Result<credentials::AppAuthorization> AuthorizeApp(Env& env, const AuthorizeSpec& spec);
// Revokes the authorization and every token issued through it (uninstall).
Status RevokeAuthorization(Env& env, const std::string& authorization_id);
// Disables or enables an authorization or installation (audited). Disabled, its tokens and, for
// an OBO installation, the tokens of the consents that depend on it are refused (4100) and no
// new ones are issued through it, until it is enabled again: nothing is revoked. Setting the
// state it already has changes nothing; a revoked authorization is kBadRequest.
Status SetAuthorizationEnabled(Env& env, const std::string& authorization_id, bool enabled);

inline constexpr size_t kMaxClientSecrets = 20;  // coze-platform.md §5.2

struct NewClientSecret {
  credentials::ClientSecret secret;
  std::string plaintext;  // shown once; only its SHA-256 is stored
};
// Web apps only; at most kMaxClientSecrets live at once.
Result<NewClientSecret> CreateClientSecret(Env& env, const std::string& app_id);
Status DeleteClientSecret(Env& env, const std::string& app_id, const std::string& secret_id);

// A user's own live OBO consents (the apps they authorized to act for them): those of their
// personal apps, of the apps of their enterprises' organizations and of the apps installed in
// their enterprises (the only apps a user can consent to), oldest first.
Result<std::vector<credentials::OboGrant>> ListUserConsents(Env& env, const std::string& user_id);
// Revokes `grant_id` and every token issued through it, when it is `user_id`'s own live consent;
// anything else → kNotFound (never revealing another user's consent).
Status RevokeUserConsent(Env& env, const std::string& user_id, const std::string& grant_id);

// Deletes the app: every authorization, installation and consent is revoked with all their
// tokens, and the app authenticates nothing any more. Irreversible.
Status DeleteApp(Env& env, const std::string& app_id);

// The app, refusing deleted ones (kNotFound), for every operation but reads of history.
Result<credentials::OAuthApp> LiveApp(Env& env, const std::string& app_id);

}  // namespace cozeauth::admin
