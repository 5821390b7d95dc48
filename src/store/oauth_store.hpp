#pragma once
// OAuthStore: OAuth apps and what hangs off them (coze-platform.md §5) — public keys, client
// secrets, authorizations and installations, OBO consents (credentials/oauth_grant.hpp) with
// their authorization codes, refresh tokens and device codes, and the used JWT ids that keep
// JWT-bearer assertions from being replayed.
//
// Bumps the auth epoch (unit_of_work.hpp): SetOAuthAppStatus, UpdateOAuthAppMeta,
// DeleteAppPublicKey, CreateAppAuthorization, RevokeAppAuthorization, SetAppAuthorizationDisabled,
// RevokeOboGrant. Nothing
// else here does:
// CreateOAuthApp, AddAppPublicKey, UseJwtId, client secrets (a secret only authenticates the
// token endpoint, which reads it fresh), CreateOboGrant, authorization codes, refresh tokens and
// device codes (Consume*, UpdateDeviceCode included), PurgeExpired.
//
// Thread safety and errors: as UnitOfWork (unit_of_work.hpp); calls join the backend's
// Transaction() on the same thread.

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "credentials/oauth_app.hpp"
#include "credentials/oauth_grant.hpp"

namespace cozeauth::store {

class OAuthStore {
 public:
  virtual ~OAuthStore() = default;

  // --- apps and their public keys
  virtual Status CreateOAuthApp(const credentials::OAuthApp& app) = 0;
  virtual Result<credentials::OAuthApp> GetOAuthApp(const std::string& id) = 0;
  // Apps whose owner account is `account_id`, oldest first (deleted ones excluded).
  virtual Result<std::vector<credentials::OAuthApp>> ListOAuthAppsOfAccount(
      const std::string& account_id) = 0;
  // The app with this client_id (web/pkce/device "<digits>.app.coze", or a service app's id).
  virtual Result<credentials::OAuthApp> FindOAuthAppByClientId(const std::string& client_id) = 0;
  // Bumps the auth epoch.
  virtual Status SetOAuthAppStatus(const std::string& id, credentials::AppStatus status) = 0;
  // Replaces the app's name, description and redirect URIs (validated by the caller); nothing
  // else of the app changes. Bumps the auth epoch (a redirect URI decides authorizations).
  virtual Status UpdateOAuthAppMeta(const std::string& id, const std::string& name,
                                    const std::string& description,
                                    const std::vector<std::string>& redirect_uris) = 0;
  virtual Status AddAppPublicKey(const credentials::AppPublicKey& key) = 0;
  virtual Result<credentials::AppPublicKey> GetAppPublicKey(const std::string& fingerprint) = 0;
  virtual Result<std::vector<credentials::AppPublicKey>> ListAppPublicKeys(
      const std::string& app_id) = 0;
  // Bumps the auth epoch.
  virtual Status DeleteAppPublicKey(const std::string& app_id, const std::string& fingerprint) = 0;

  // --- authorizations and installations
  // Bumps the auth epoch.
  virtual Status CreateAppAuthorization(const credentials::AppAuthorization& a) = 0;
  virtual Result<credentials::AppAuthorization> GetAppAuthorization(const std::string& id) = 0;
  // Every authorization of the app, revoked ones included, oldest first.
  virtual Result<std::vector<credentials::AppAuthorization>> ListAppAuthorizations(
      const std::string& app_id) = 0;
  // Live authorizations and installations into accounts and organizations of the enterprise,
  // and enterprise-wide ones (coze-platform.md §5.4 应用安装管理), oldest first.
  virtual Result<std::vector<credentials::AppAuthorization>> ListAuthorizationsInEnterprise(
      const std::string& enterprise_id) = 0;
  // Marks it revoked and revokes every token issued through it; for an OBO installation also
  // every OboGrant that depends on it (OboGrant::installation_id) and their tokens. Bumps the
  // auth epoch.
  virtual Status RevokeAppAuthorization(const std::string& id, int64_t at) = 0;
  // Disables (`at` > 0: the time) or enables (`at` == 0) an authorization; its tokens and
  // dependent consents are suspended, not revoked. Disabling twice keeps the first time.
  // kNotFound if there is no such authorization. Bumps the auth epoch.
  virtual Status SetAppAuthorizationDisabled(const std::string& id, int64_t at) = 0;
  // Whether the authorization a token was issued through (Token::authorization_id) is disabled:
  // the AppAuth authorization with that id, or the enterprise installation the OBO consent with
  // that id depends on. An unknown id is not disabled.
  virtual Result<bool> IsAuthorizationDisabled(const std::string& authorization_id) = 0;

  // Records a JWT id as used until `expires_at`; kAlreadyExists if the app already used it and it
  // has not expired. Purges expired rows (of every app) on the way.
  virtual Status UseJwtId(const std::string& app_id, const std::string& jti, int64_t expires_at,
                          int64_t now) = 0;

  // --- client secrets (web apps)
  virtual Status CreateClientSecret(const credentials::ClientSecret& s) = 0;
  virtual Result<std::vector<credentials::ClientSecret>> ListClientSecrets(
      const std::string& app_id) = 0;
  virtual Status DeleteClientSecret(const std::string& app_id, const std::string& id) = 0;

  // --- OBO consents, codes, refresh tokens, device codes (credentials/oauth_grant.hpp)
  virtual Status CreateOboGrant(const credentials::OboGrant& g) = 0;
  virtual Result<credentials::OboGrant> GetOboGrant(const std::string& id) = 0;
  // Every grant of the app (revoked ones included), oldest first.
  virtual Result<std::vector<credentials::OboGrant>> ListOboGrantsOfApp(
      const std::string& app_id) = 0;
  // Marks the grant revoked (first time kept) and revokes every token issued through it; bumps
  // the auth epoch. Revoking an already revoked grant succeeds.
  virtual Status RevokeOboGrant(const std::string& id, int64_t at) = 0;

  virtual Status CreateAuthorizationCode(const credentials::AuthorizationCode& c) = 0;
  // Atomically marks the code used at `now` and returns it as it was before (used_at == 0 on the
  // first use; the earlier use time on a replay, so the caller can revoke its grant).
  // kNotFound for an unknown code.
  virtual Result<credentials::AuthorizationCode> ConsumeAuthorizationCode(
      const std::string& code_hash, int64_t now) = 0;

  virtual Status CreateRefreshToken(const credentials::RefreshToken& t) = 0;
  // Same contract as ConsumeAuthorizationCode.
  virtual Result<credentials::RefreshToken> ConsumeRefreshToken(const std::string& token_hash,
                                                                int64_t now) = 0;
  // The newest refresh token whose parent_hash is `parent_hash` (the last one rotated from it);
  // kNotFound when none. `parent_hash` must not be empty.
  virtual Result<credentials::RefreshToken> FindRefreshSuccessor(
      const std::string& parent_hash) = 0;

  // kAlreadyExists when the user code is taken by a live (unexpired) device code.
  virtual Status CreateDeviceCode(const credentials::DeviceCode& d) = 0;
  virtual Result<credentials::DeviceCode> GetDeviceCode(const std::string& device_code_hash) = 0;
  // The most recent device code with this user code (expired ones included).
  virtual Result<credentials::DeviceCode> FindDeviceCodeByUserCode(
      const std::string& user_code) = 0;
  // Writes status, grant_id, last_poll_at and interval of the stored row, but only if its status
  // is still `expected`; kAlreadyExists when it is not (a concurrent poll or approval won),
  // kNotFound when there is no such row.
  virtual Status UpdateDeviceCode(const credentials::DeviceCode& d,
                                  credentials::DeviceStatus expected) = 0;

  // Deletes what can no longer be used: device codes, authorization codes, refresh tokens and
  // used JWT ids whose expires_at <= now (a used JWT id is kept until its assertion expires, so
  // replays stay refused). Live rows are untouched. Returns how many rows went.
  virtual Result<int64_t> PurgeExpired(int64_t now) = 0;
};

}  // namespace cozeauth::store
