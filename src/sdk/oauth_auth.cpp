// JWTAuth and OAuthAuth: Auth providers that cache an OAuth access token and renew it shortly
// before it expires (coze-protocol.md §4.3 "client-side refresh margins", §4.9).

#include <coze/oauth.hpp>

#include "sdk/oauth_internal.hpp"

namespace coze {
namespace {

// coze-protocol.md §4.0: OBO access tokens live 15 minutes.
constexpr int64_t kOboLifetimeSeconds = 900;

}  // namespace

// --- JWTAuth

JWTAuth::JWTAuth(JWTOAuthClient client, JWTTokenRequest request)
    : client_(std::move(client)), request_(std::move(request)) {}

Result<std::string> JWTAuth::Token() {
  std::lock_guard lock(mu_);
  const int64_t now = client_.options().now();
  if (token_ && now < refresh_at_) return token_->access_token;
  auto fresh = client_.GetAccessToken(request_);
  if (!fresh) {
    // Renewal failed inside the margin: the cached token still works until it expires.
    if (token_ && now < token_->expires_in) return token_->access_token;
    return fresh.Forward<std::string>();
  }
  refresh_at_ = fresh->expires_in - RefreshBefore(fresh->expires_in - now);
  token_ = std::move(*fresh);
  return token_->access_token;
}

bool JWTAuth::Renew(const std::string& rejected) {
  std::lock_guard lock(mu_);
  // Another caller may have bought the next token already: keep that one.
  if (token_ && token_->access_token == rejected) {
    token_.reset();
    refresh_at_ = 0;
  }
  return true;
}

void JWTAuth::Invalidate() {
  std::lock_guard lock(mu_);
  token_.reset();
  refresh_at_ = 0;
}

// --- OAuthAuth

OAuthAuth::OAuthAuth(OAuthToken token, Refresher refresh, OnRefresh on_refresh, UnixClock now)
    : refresh_(std::move(refresh)),
      on_refresh_(std::move(on_refresh)),
      now_(now ? std::move(now) : UnixClock(SystemUnixSeconds)) {
  Set(std::move(token), /*fresh=*/false);
}

OAuthAuth::OAuthAuth(const WebOAuthClient& client, OAuthToken token, OnRefresh on_refresh)
    : OAuthAuth(
          std::move(token),
          [client](const std::string& refresh_token) { return client.RefreshToken(refresh_token); },
          std::move(on_refresh), client.options().now) {}

OAuthAuth::OAuthAuth(const PKCEOAuthClient& client, OAuthToken token, OnRefresh on_refresh)
    : OAuthAuth(
          std::move(token),
          [client](const std::string& refresh_token) { return client.RefreshToken(refresh_token); },
          std::move(on_refresh), client.options().now) {}

OAuthAuth::OAuthAuth(const DeviceOAuthClient& client, OAuthToken token, OnRefresh on_refresh)
    : OAuthAuth(
          std::move(token),
          [client](const std::string& refresh_token) { return client.RefreshToken(refresh_token); },
          std::move(on_refresh), client.options().now) {}

void OAuthAuth::Set(OAuthToken token, bool fresh) {
  // A token just issued has its whole lifetime ahead: the margin follows it. A token handed to
  // the constructor may be old, so its remaining time says nothing about its lifetime: it gets
  // the margin of the documented 15-minute OBO lifetime.
  const int64_t lifetime = fresh ? token.expires_in - now_() : kOboLifetimeSeconds;
  refresh_at_ = token.access_token.empty() ? 0 : token.expires_in - RefreshBefore(lifetime);
  token_ = std::move(token);
}

Result<std::string> OAuthAuth::Token() {
  std::lock_guard lock(mu_);
  const int64_t now = now_();
  const bool usable = !token_.access_token.empty() && now < token_.expires_in;
  if (!token_.access_token.empty() && now < refresh_at_) return token_.access_token;
  if (token_.refresh_token.empty() || !refresh_) {
    if (usable) return token_.access_token;
    return Error{kClientErrorCode,
                 "the OAuth access token has expired and there is no refresh token",
                 {},
                 0};
  }
  auto fresh = refresh_(token_.refresh_token);
  if (!fresh) {
    if (usable) return token_.access_token;
    return fresh.Forward<std::string>();
  }
  OAuthToken next = std::move(*fresh);
  // A server that does not rotate (no refresh_token in the answer) keeps the old one valid.
  if (next.refresh_token.empty()) next.refresh_token = token_.refresh_token;
  Set(std::move(next), /*fresh=*/true);
  if (on_refresh_) on_refresh_(token_);
  return token_.access_token;
}

bool OAuthAuth::Renew(const std::string& rejected) {
  std::lock_guard lock(mu_);
  if (token_.access_token != rejected) return true;  // already refreshed by another caller
  if (token_.refresh_token.empty() || !refresh_) return false;
  // Refused: unusable even while refreshing fails. An empty access token refreshes on next use.
  token_.access_token.clear();
  refresh_at_ = 0;
  return true;
}

OAuthToken OAuthAuth::token() const {
  std::lock_guard lock(mu_);
  return token_;
}

}  // namespace coze
