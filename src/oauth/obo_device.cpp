// The device authorization flow (RFC 8628; coze-protocol.md §4.5): start, the verification
// page's look-up and decision, and the polling token request. Contracts in obo.hpp.
#include <cctype>
#include <optional>

#include "base/checked.hpp"
#include "base/crypto.hpp"
#include "oauth/errors.hpp"
#include "oauth/obo.hpp"
#include "oauth/obo_internal.hpp"

namespace cozeauth::oauth {
using internal::Issue;
using internal::LiveGrant;
using internal::UsableOboApp;

namespace {

using credentials::AppStatus;
using credentials::ClientType;
using credentials::DeviceStatus;

// RFC 8628 §6.1: no vowels (no words), no look-alike digits.
constexpr std::string_view kUserCodeAlphabet = "BCDFGHJKLMNPQRSTVWXZ";
constexpr size_t kDeviceCodeChars = 64;

}  // namespace

Result<DeviceAuthorization> StartDeviceAuthorization(
    Env& env, const std::string& client_id, const std::string& workspace_id,
    const std::function<Status(const credentials::OAuthApp&)>& admit) {
  auto app = UsableOboApp(env, client_id);
  if (!app) return app.error();
  if (app->client_type != ClientType::kDevice) return OAuthError(kAccessDeny, "invalid app type");
  if (admit) {
    if (auto s = admit(*app); !s) return s.error();
  }
  if (!workspace_id.empty()) {
    if (auto w = env.store.GetWorkspace(workspace_id); !w) {
      return OAuthError(kInvalidRequest, "invalid request: workspace_id");
    }
  }
  const int64_t now = env.clock.NowSeconds();
  DeviceAuthorization out;
  out.device_code = env.random.Alnum(kDeviceCodeChars);
  credentials::DeviceCode d;
  d.device_code_hash = Sha256Hex(out.device_code);
  d.app_id = app->id;
  d.workspace_id = workspace_id;
  d.created_at = now;
  d.expires_at = SaturatingAdd(now, credentials::kDeviceCodeSeconds);
  d.interval = credentials::kDeviceIntervalSeconds;
  // 20^8 codes; a collision with a live one is rare, so retry a few times.
  for (int attempt = 0; attempt < 5; ++attempt) {
    std::string raw = env.random.String(8, kUserCodeAlphabet);
    d.user_code = raw.substr(0, 4) + "-" + raw.substr(4);
    auto s = env.store.CreateDeviceCode(d);
    if (s) {
      out.user_code = d.user_code;
      return out;
    }
    if (s.error().code != Errc::kAlreadyExists) return s.error();
  }
  return OAuthError(kInternalError, "Service internal error.");
}

std::optional<std::string> NormalizeUserCode(std::string_view typed) {
  std::string letters;
  for (char c : typed) {
    if (c == '-' || c == ' ') continue;
    const char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (kUserCodeAlphabet.find(u) == std::string_view::npos) return std::nullopt;
    letters.push_back(u);
    if (letters.size() > 8) return std::nullopt;
  }
  if (letters.size() != 8) return std::nullopt;
  return letters.substr(0, 4) + "-" + letters.substr(4);
}

Result<PendingDevice> FindPendingDevice(Env& env, const std::string& user_code) {
  auto d = env.store.FindDeviceCodeByUserCode(user_code);
  if (!d) return d.error();
  if (d->status != DeviceStatus::kPending || env.clock.NowSeconds() >= d->expires_at) {
    return Error::Make(Errc::kNotFound, "user code not found or expired");
  }
  auto app = env.store.GetOAuthApp(d->app_id);
  if (!app) return app.error();
  if (app->status != AppStatus::kActive) {
    return Error::Make(Errc::kNotFound, "user code not found or expired");
  }
  return PendingDevice{std::move(d).value(), std::move(app).value()};
}

Status DecideDevice(Env& env, const std::string& user_code, const std::string& user_id,
                    bool approve, const std::string& place_key) {
  auto pending = FindPendingDevice(env, user_code);
  if (!pending) return pending.error();
  credentials::DeviceCode d = pending->device;
  if (approve) {
    auto grant = Consent(env, pending->app, user_id, place_key, d.workspace_id);
    if (!grant) return grant.error();
    d.grant_id = grant->id;
    d.status = DeviceStatus::kApproved;
  } else {
    d.status = DeviceStatus::kDenied;
  }
  return env.store.UpdateDeviceCode(d, DeviceStatus::kPending);
}

Result<OboTokens> PollDeviceCode(Env& env, const TokenRequest& req) {
  auto app = UsableOboApp(env, req.client_id);
  if (!app) return app.error();
  if (app->client_type != ClientType::kDevice) return OAuthError(kAccessDeny, "invalid app type");
  if (req.device_code.empty()) return OAuthError(kInvalidRequest, "invalid request: device_code");
  auto d = env.store.GetDeviceCode(Sha256Hex(req.device_code));
  if (!d) {
    if (d.error().code == Errc::kNotFound) return OAuthError(kInvalidGrant, "invalid device code");
    return d.error();
  }
  if (d->app_id != app->id) return OAuthError(kInvalidGrant, "invalid device code");
  const int64_t now = env.clock.NowSeconds();
  if (now >= d->expires_at) return OAuthError(kExpiredToken, "the device code has expired");
  credentials::DeviceCode next = d.value();
  const DeviceStatus seen = d->status;
  next.last_poll_at = now;
  // RFC 8628 §3.5: polling faster than the interval adds 5 s to it.
  if (d->last_poll_at != 0 && SaturatingSub(now, d->last_poll_at) < d->interval) {
    next.interval = SaturatingAdd(d->interval, credentials::kDeviceIntervalSeconds);
    (void)env.store.UpdateDeviceCode(next, seen);  // lost races only lose the bookkeeping
    return OAuthError(kSlowDown, "polling too fast; wait " + std::to_string(next.interval) + " s");
  }
  switch (seen) {
    case DeviceStatus::kPending:
      (void)env.store.UpdateDeviceCode(next, seen);
      return OAuthError(kAuthorizationPending, "the user has not yet approved the device");
    case DeviceStatus::kDenied:
      return OAuthError(kAccessDenied, "the user denied the authorization");
    case DeviceStatus::kConsumed:
      return OAuthError(kInvalidGrant, "the device code has already been used");
    case DeviceStatus::kApproved:
      break;
  }
  next.status = DeviceStatus::kConsumed;
  if (auto s = env.store.UpdateDeviceCode(next, DeviceStatus::kApproved); !s) {
    if (s.error().code == Errc::kAlreadyExists) {
      return OAuthError(kInvalidGrant, "the device code has already been used");
    }
    return s.error();
  }
  auto grant = LiveGrant(env, d->grant_id);
  if (!grant) return grant.error();
  return Issue(env, *app, *grant);
}

}  // namespace cozeauth::oauth
