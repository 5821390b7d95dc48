#pragma once
// OAuth clients of the Coze OpenAPI (coze-protocol.md §4), mirroring the official SDKs:
//
//   JWTOAuthClient     service apps: a signed RS256 JWT buys a short access token (no refresh)
//   WebOAuthClient     authorization code with the client secret (confidential clients)
//   PKCEOAuthClient    authorization code with a PKCE verifier (no secret)
//   DeviceOAuthClient  device authorization (RFC 8628) with polling
//
// and the Auth providers a Client uses with them (coze/auth.hpp):
//
//   JWTAuth    caches a JWT-grant token and buys a new one shortly before it expires
//   OAuthAuth  an on-behalf-of-user token (code, PKCE, device) refreshed shortly before it
//              expires, keeping the rotated refresh token (optionally persisted by a callback)
//
// plus LoadOAuthAppFromConfig for the SDKs' JSON config (`cozeauth admin app export-config`).
//
//   auto jwt = coze::JWTOAuthClient::Create({.client_id = app_id, .private_key = pem,
//                                            .public_key_id = kid, .base_url = base});
//   if (!jwt) return fail(jwt.Describe());
//   coze::Client client({.base_url = base, .auth = std::make_shared<coze::JWTAuth>(*jwt)});
//
// Token and device endpoints answer flat JSON; failures are AuthError for OAuth-shaped bodies
// (`error_code`/`error` + `error_message`/`error_description`, §4.8), Error otherwise (a
// {code,msg} envelope, a non-JSON failure such as an HTML 502, a transport failure), exactly as
// for Client calls (coze/error.hpp). The clients are immutable values, copyable and safe to use
// from several threads (as their transport is); JWTAuth and OAuthAuth are thread-safe.

#include <boost/json.hpp>
#include <chrono>
#include <coze/auth.hpp>
#include <coze/error.hpp>
#include <coze/transport.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace coze {

// OAuth error codes (coze-protocol.md §4.8) the SDK acts on; AuthError::error_code holds them.
namespace oauth_error {
inline constexpr const char* kAuthorizationPending = "authorization_pending";
inline constexpr const char* kSlowDown = "slow_down";
inline constexpr const char* kAccessDenied = "access_denied";
inline constexpr const char* kExpiredToken = "expired_token";
inline constexpr const char* kInvalidGrant = "invalid_grant";
inline constexpr const char* kInvalidClient = "invalid_client";
inline constexpr const char* kAccessDeny = "access_deny";  // sic, Coze's spelling
}  // namespace oauth_error

// A token endpoint's answer (§4.3). `expires_in` is an absolute Unix time in seconds, not a
// duration. `refresh_token` is empty for JWT-grant tokens.
struct OAuthToken {
  std::string access_token;
  int64_t expires_in = 0;
  std::string refresh_token;
  std::string token_type;  // "Bearer" when the server says so
};

// Current Unix time in seconds, and a way to wait; injectable so that tests need no real time.
using UnixClock = std::function<int64_t()>;
using Sleeper = std::function<void(std::chrono::seconds)>;
int64_t SystemUnixSeconds();

// What every OAuth client is made of. Each client reads the fields it needs:
//   JWTOAuthClient    client_id (the app id: the JWT `iss`), private_key, public_key_id
//   WebOAuthClient    client_id, client_secret, www_base_url
//   PKCEOAuthClient   client_id, www_base_url
//   DeviceOAuthClient client_id, sleep
struct OAuthClientOptions {
  std::string client_id;
  std::string client_secret;
  std::string private_key;    // PEM: PKCS#8 (BEGIN PRIVATE KEY) or PKCS#1 (BEGIN RSA PRIVATE KEY)
  std::string public_key_id;  // the key's fingerprint, sent as the JWT header `kid`
  std::string base_url = "https://api.coze.com";  // token and device endpoints
  // The origin of the browser's authorize page. "" derives it: https://api.coze.cn|com →
  // https://www.coze.cn|com, any other base → the base itself (coze-py's rule, §1.3; a
  // cozeauth server serves the authorize page on its API origin).
  std::string www_base_url;
  std::shared_ptr<HttpTransport> transport;  // null: MakeCurlTransport()
  std::chrono::milliseconds timeout{60000};  // per request
  UnixClock now;                             // null: SystemUnixSeconds
  Sleeper sleep;                             // null: std::this_thread::sleep_for
};

// The state a client shares with its copies: options with defaults filled in.
namespace sdk {
struct OAuthCore;
}

class OAuthClientBase {
 public:
  const OAuthClientOptions& options() const;
  const std::string& base_url() const;      // without a trailing '/'
  const std::string& www_base_url() const;  // derived when not given
  const std::string& client_id() const { return options().client_id; }

 protected:
  explicit OAuthClientBase(OAuthClientOptions options);
  std::shared_ptr<const sdk::OAuthCore> core_;
};

// The `scope` of a JWT grant (§5.1); empty lists are left out, an empty scope is not sent.
struct JWTScope {
  std::vector<std::string> account_permissions;    // account_permission.permission_list
  std::vector<std::string> workspace_ids;          // workspace_permission.workspace_id_list
  std::vector<std::string> workspace_permissions;  // workspace_permission.permission_list
  std::vector<std::string>
      bot_ids;  // attribute_constraint.connector_bot_chat_attribute.bot_id_list
  // Chat with these bots only (coze-py Scope.build_bot_chat / coze-go BuildBotChat).
  static JWTScope BotChat(std::vector<std::string> bot_ids,
                          std::vector<std::string> permissions = {"Connector.botChat"});
  bool empty() const;
  boost::json::object ToJson() const;
};

struct JWTTokenRequest {
  int64_t duration_seconds = 900;  // the token's lifetime; at most 86399
  std::optional<JWTScope> scope;
  std::optional<std::string> session_name;             // JWT claim: the end user's id
  std::optional<boost::json::object> session_context;  // JWT claim, e.g. {device_info:{…}}
  // At most one of: a token for another account or organisation
  // (POST /api/permission/oauth2/account/{id}/token), or for an enterprise the app is
  // installed in (POST /api/permission/oauth2/enterprise_id/{id}/token).
  std::optional<std::string> account_id;
  std::optional<std::string> enterprise_id;
};

class JWTOAuthClient : public OAuthClientBase {
 public:
  // Fails (Error, kClientErrorCode) when client_id, public_key_id or a readable RSA private key
  // is missing.
  static Result<JWTOAuthClient> Create(OAuthClientOptions options);

  // POST …/token with `Authorization: Bearer <a fresh JWT>` and
  // {grant_type: jwt-bearer, duration_seconds, scope?}.
  Result<OAuthToken> GetAccessToken(const JWTTokenRequest& request = {}) const;

  // The signed JWT the next GetAccessToken would send (header {alg:RS256, typ:JWT, kid};
  // claims iss, aud = host[:port] of base_url, iat, exp = iat + duration, jti = 32 random bytes
  // as hex, session_name?, session_context?). Each call makes a new one: Coze accepts a JWT once.
  Result<std::string> MakeJwt(
      int64_t duration_seconds = 900, const std::optional<std::string>& session_name = std::nullopt,
      const std::optional<boost::json::object>& session_context = std::nullopt) const;

 private:
  struct Key;
  JWTOAuthClient(OAuthClientOptions options, std::shared_ptr<const Key> key);
  std::shared_ptr<const Key> key_;
};

class WebOAuthClient : public OAuthClientBase {
 public:
  explicit WebOAuthClient(OAuthClientOptions options);

  // {www}/api/permission/oauth2[/workspace_id/{id}]/authorize?response_type=code&client_id=…
  // &redirect_uri=…&state=… (state is sent even when empty, as coze-js and coze-py do).
  std::string GetAuthorizationUrl(const std::string& redirect_uri, const std::string& state,
                                  const std::string& workspace_id = "") const;
  // authorization_code grant, `Authorization: Bearer <client_secret>`.
  Result<OAuthToken> GetAccessToken(const std::string& code, const std::string& redirect_uri) const;
  // refresh_token grant, `Authorization: Bearer <client_secret>`. The answer holds a new
  // refresh token; the one presented is spent.
  Result<OAuthToken> RefreshToken(const std::string& refresh_token) const;
};

enum class CodeChallengeMethod { kS256, kPlain };

struct PKCEAuthorization {
  std::string url;            // send the user's browser here
  std::string code_verifier;  // keep it for GetAccessToken
};

class PKCEOAuthClient : public OAuthClientBase {
 public:
  explicit PKCEOAuthClient(OAuthClientOptions options);

  // As WebOAuthClient's, plus code_challenge and code_challenge_method, for a fresh
  // code_verifier (32 random bytes as 64 hex chars, as coze-js makes it).
  PKCEAuthorization GetAuthorizationUrl(const std::string& redirect_uri, const std::string& state,
                                        CodeChallengeMethod method = CodeChallengeMethod::kS256,
                                        const std::string& workspace_id = "") const;
  // The same with a verifier of the caller's.
  std::string GetAuthorizationUrl(const std::string& redirect_uri, const std::string& state,
                                  const std::string& code_verifier, CodeChallengeMethod method,
                                  const std::string& workspace_id = "") const;
  // authorization_code grant with code_verifier; no Authorization header (a public client).
  Result<OAuthToken> GetAccessToken(const std::string& code, const std::string& redirect_uri,
                                    const std::string& code_verifier) const;
  // refresh_token grant, no Authorization header.
  Result<OAuthToken> RefreshToken(const std::string& refresh_token) const;

  // BASE64URL(SHA256(verifier)) without padding for S256; the verifier itself for plain.
  static std::string CodeChallenge(const std::string& code_verifier, CodeChallengeMethod method);
};

struct DeviceCode {
  std::string device_code;
  std::string user_code;
  std::string verification_uri;
  std::string verification_url;  // verification_uri?user_code=…, when the server sends none
  int64_t expires_in = 0;        // a duration in seconds here (§4.5)
  int64_t interval = 0;
};

class DeviceOAuthClient : public OAuthClientBase {
 public:
  explicit DeviceOAuthClient(OAuthClientOptions options);

  // POST /api/permission/oauth2[/workspace_id/{id}]/device/code {client_id}, no Authorization.
  Result<DeviceCode> GetDeviceCode(const std::string& workspace_id = "") const;
  // The device_code grant. With `poll`, as every official SDK: ask at once; on
  // authorization_pending sleep the interval (5 s at first) and ask again; on slow_down add
  // 5 s to it (up to 30 s) and sleep; stop with the token or any other failure (access_denied,
  // expired_token: an AuthError). Without `poll`, one request.
  Result<OAuthToken> GetAccessToken(const std::string& device_code, bool poll = true) const;
  // refresh_token grant, no Authorization header.
  Result<OAuthToken> RefreshToken(const std::string& refresh_token) const;
};

// Seconds before expiry at which a token of `ttl_seconds` is renewed (coze-go getRefreshBefore):
// 30 for ttl ≥ 600, 10 for ≥ 60, 5 for ≥ 30, else 0.
int64_t RefreshBefore(int64_t ttl_seconds);

// An Auth over a JWT client: buys a token on first use, hands it out until RefreshBefore(its
// lifetime) seconds before expiry, then buys the next one. Both account_id and enterprise_id of
// the request are honoured. When buying fails while the cached token has not expired yet, the
// cached token is used; otherwise the failure is returned. Concurrent callers wait for one
// purchase. A token the server refuses with 4100 is dropped (Renew, auth.hpp): the Client's
// retry buys a new one at once, and the refused token is never used again.
class JWTAuth final : public Auth {
 public:
  explicit JWTAuth(JWTOAuthClient client, JWTTokenRequest request = {});
  Result<std::string> Token() override;
  // Drops `rejected` if it is the cached token; always true (a JWT client can always buy).
  bool Renew(const std::string& rejected) override;
  // Drops the cached token: the next Token() buys a new one.
  void Invalidate();

 private:
  const JWTOAuthClient client_;
  const JWTTokenRequest request_;
  std::mutex mu_;
  std::optional<OAuthToken> token_;
  int64_t refresh_at_ = 0;
};

// An Auth over an on-behalf-of-user token (code, PKCE or device grant). The access token is used
// until RefreshBefore(its lifetime) seconds before `expires_in` — 30 s for the token given to the
// constructor (OBO tokens live 15 minutes), for a refreshed one by its actual lifetime; then the
// refresh token buys a new pair, which replaces the old one (refresh tokens rotate: the old one is
// spent) and is passed to `on_refresh`, e.g. to persist it. A token with an empty access_token is
// refreshed on first use, so an OAuthAuth may start from a stored refresh token alone. When
// refreshing fails while the access token has not expired, it is still used; otherwise the
// failure is returned. An access token the server refuses with 4100 is dropped (Renew,
// auth.hpp) and the next Token() refreshes at once; if that refresh fails, the failure is
// returned (the refused token is never used again). Thread-safe; `on_refresh` runs under the
// lock and must not call back.
class OAuthAuth final : public Auth {
 public:
  using Refresher = std::function<Result<OAuthToken>(const std::string& refresh_token)>;
  using OnRefresh = std::function<void(const OAuthToken&)>;

  OAuthAuth(OAuthToken token, Refresher refresh, OnRefresh on_refresh = {}, UnixClock now = {});
  OAuthAuth(const WebOAuthClient& client, OAuthToken token, OnRefresh on_refresh = {});
  OAuthAuth(const PKCEOAuthClient& client, OAuthToken token, OnRefresh on_refresh = {});
  OAuthAuth(const DeviceOAuthClient& client, OAuthToken token, OnRefresh on_refresh = {});

  Result<std::string> Token() override;
  // Drops `rejected` if it is the current access token (keeping the refresh token); false when
  // it is and there is no refresh token or Refresher to replace it.
  bool Renew(const std::string& rejected) override;
  // The current pair (after any refresh; access_token empty after a Renew until the refresh).
  OAuthToken token() const;

 private:
  void Set(OAuthToken token, bool fresh);

  const Refresher refresh_;
  const OnRefresh on_refresh_;
  const UnixClock now_;
  mutable std::mutex mu_;
  OAuthToken token_;
  int64_t refresh_at_ = 0;
};

// --- the SDKs' JSON config (coze-protocol.md §4.9)

using OAuthApp = std::variant<JWTOAuthClient, WebOAuthClient, PKCEOAuthClient, DeviceOAuthClient>;

// {"client_type": "jwt"|"web"|"pkce"|"device", "client_id", "client_secret" (web),
//  "private_key", "public_key_id" (jwt), "coze_api_base", "coze_www_base"} → the client of that
// type. The config's fields override those of `base` (which may carry a transport, a clock, …);
// an absent coze_api_base keeps base.base_url. A missing field, an unknown client_type or an
// unreadable key is an Error (kClientErrorCode).
Result<OAuthApp> ParseOAuthAppConfig(std::string_view json, OAuthClientOptions base = {});
// The same, read from a file.
Result<OAuthApp> LoadOAuthAppFromConfig(const std::string& path, OAuthClientOptions base = {});

}  // namespace coze
