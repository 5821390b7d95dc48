// The OAuth token and device-authorization endpoints (coze-protocol.md §4.2–§4.8). These do not
// use the {code,msg,data} envelope: success is a flat JSON object, failure is HTTP 400 (401 for
// invalid_client) with error, error_code, error_message and error_description, so that every
// official SDK recognises it (§4.8). The body is JSON; unknown keys and `scope: null` are
// tolerated (§4.2 rule 3).
//
// The JWT-bearer grant checks `aud` against the configured public host(s)
// (ServerOptions::audience_hosts), never against the request's Host header, which the client
// picks. The unauthenticated device-code endpoint creates a row per request, so it is
// rate-limited per client address and per app (HTTP 429, error slow_down, Retry-After;
// docs/oauth.md); expired rows are purged by oauth::ExpiryPurger.

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <boost/json.hpp>
#include <memory>

#include "api/authenticator.hpp"
#include "api/json_input.hpp"
#include "api/respond.hpp"
#include "api/routes.hpp"
#include "oauth/errors.hpp"
#include "oauth/jwt_bearer.hpp"
#include "oauth/jwt_grant.hpp"
#include "oauth/obo.hpp"
#include "oauth/rate_limiter.hpp"
#include "observe/metrics.hpp"

namespace cozeauth::api {
namespace json = boost::json;
namespace {

constexpr std::string_view kGrantCode = "authorization_code";
constexpr std::string_view kGrantRefresh = "refresh_token";
constexpr std::string_view kGrantDevice = "urn:ietf:params:oauth:grant-type:device_code";
constexpr std::string_view kGrantJwt = "urn:ietf:params:oauth:grant-type:jwt-bearer";

// Limits of POST …/device/code (docs/oauth.md "Limits"; `device_codes_per_minute`). Per app
// first: an app's devices share it. Per client address: one address cannot spread a flood over
// many apps; NATed fleets get twice an app's rate.
constexpr size_t kDeviceCodeLimitKeys = 100'000;

struct DeviceCodeLimits {
  DeviceCodeLimits(const Clock& clock, int64_t per_app_per_minute)
      : per_app(clock, {.burst = per_app_per_minute,
                        .per_minute = per_app_per_minute,
                        .max_keys = kDeviceCodeLimitKeys}),
        per_address(clock, {.burst = 2 * per_app_per_minute,
                            .per_minute = 2 * per_app_per_minute,
                            .max_keys = kDeviceCodeLimitKeys}) {}
  oauth::RateLimiter per_app;
  oauth::RateLimiter per_address;
};

// The per-address key: an IPv4 address as is, an IPv6 address by its /64 (one host usually holds
// a whole /64, so per-/128 keys would not limit anyone).
std::string AddressKey(const std::string& remote_address) {
  boost::system::error_code ec;
  const auto a = boost::asio::ip::make_address(remote_address, ec);
  if (ec || !a.is_v6() || a.to_v6().is_v4_mapped()) return remote_address;
  auto bytes = a.to_v6().to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return boost::asio::ip::address_v6(bytes).to_string() + "/64";
}

oauth::Env OAuthEnv(Deps& deps) {
  oauth::Env env{deps.store, deps.clock, deps.random, deps.ids};
  env.jwt_max_lifetime_seconds = deps.options.jwt_max_lifetime_seconds;
  env.refresh_reuse_grace_seconds = deps.options.refresh_reuse_grace_seconds;
  env.grant_facts = &deps.auth.JwtGrantFacts();
  return env;
}

http::Response OAuthFail(const http::Request& req, const Error& e) {
  const std::string_view code = oauth::OAuthCode(e);
  // Internal faults keep their detail in the log line, never in the body.
  const std::string message =
      code == oauth::kInternalError ? std::string("Service internal error.") : e.message;
  const unsigned status =
      code == oauth::kInvalidClient ? 401 : (code == oauth::kInternalError ? 500 : 400);
  if (code == oauth::kInternalError) LogInternalError(req, e);  // docs/errors.md: every 500 logged
  json::object body{{"error", code},
                    {"error_code", code},
                    {"error_message", message},
                    {"error_description", message},
                    {"logid", req.logid}};
  http::Response res = http::Response::Json(json::serialize(body), status);
  res.log_code = static_cast<int>(e.code);
  res.SetHeader("Cache-Control", "no-store");
  return res;
}

http::Response TokenOk(json::object body, std::string_view credential) {
  body["token_type"] = "Bearer";
  http::Response res = http::Response::Json(json::serialize(body));
  res.SetHeader("Cache-Control", "no-store");  // RFC 6749 §5.1
  res.log_credential = std::string(credential);
  return res;
}

// A body field as a string: absent or null → "", a number → its digits (Go sends account_id as
// an int64, §4.2), anything else → invalid_request naming it.
Result<std::string> Field(const json::object& body, std::string_view key) {
  auto it = body.find(key);
  if (it == body.end() || it->value().is_null()) return std::string();
  if (it->value().is_string()) return std::string(it->value().get_string());
  if (it->value().is_int64()) return std::to_string(it->value().get_int64());
  return oauth::OAuthError(oauth::kInvalidRequest, "invalid request: " + std::string(key));
}

Result<std::optional<std::vector<std::string>>> StringList(const json::value* v,
                                                           std::string_view name) {
  if (!v || v->is_null()) return std::optional<std::vector<std::string>>();
  if (!v->is_array())
    return oauth::OAuthError(oauth::kInvalidRequest, "invalid request: scope." + std::string(name));
  std::vector<std::string> out;
  for (const auto& item : v->get_array()) {
    if (!item.is_string()) {
      return oauth::OAuthError(oauth::kInvalidRequest,
                               "invalid request: scope." + std::string(name));
    }
    out.emplace_back(item.get_string());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

const json::value* Path(const json::object& o, std::initializer_list<std::string_view> keys) {
  const json::object* cur = &o;
  const json::value* v = nullptr;
  for (auto k : keys) {
    if (!cur) return nullptr;
    auto it = cur->find(k);
    if (it == cur->end()) return nullptr;
    v = &it->value();
    cur = v->is_object() ? &v->get_object() : nullptr;
  }
  return v;
}

// coze-protocol.md §5.1. Absent or null scope → no narrowing.
Result<std::optional<oauth::JwtScope>> ParseScope(const json::object& body) {
  auto it = body.find("scope");
  if (it == body.end() || it->value().is_null()) return std::optional<oauth::JwtScope>();
  if (!it->value().is_object())
    return oauth::OAuthError(oauth::kInvalidRequest, "invalid request: scope");
  const json::object& s = it->value().get_object();
  oauth::JwtScope scope;
  auto acc = StringList(Path(s, {"account_permission", "permission_list"}), "account_permission");
  if (!acc) return acc.error();
  scope.account_permissions = acc.value();
  auto wsp =
      StringList(Path(s, {"workspace_permission", "permission_list"}), "workspace_permission");
  if (!wsp) return wsp.error();
  scope.workspace_permissions = wsp.value();
  auto wids =
      StringList(Path(s, {"workspace_permission", "workspace_id_list"}), "workspace_permission");
  if (!wids) return wids.error();
  scope.workspace_ids = wids.value();
  auto bots =
      StringList(Path(s, {"attribute_constraint", "connector_bot_chat_attribute", "bot_id_list"}),
                 "attribute_constraint");
  if (!bots) return bots.error();
  scope.bot_ids = bots.value();
  return std::optional<oauth::JwtScope>(std::move(scope));
}

Result<json::object> OAuthBody(const http::Request& req) {
  auto body = JsonBody(req, /*allow_empty=*/false);
  if (!body)
    return oauth::OAuthError(oauth::kInvalidRequest, "invalid request: " + body.error().message);
  return body;
}

http::Response Jwt(Deps& deps, http::Request& req, const json::object& body,
                   oauth::JwtTarget target, std::string target_id) {
  oauth::JwtGrantRequest g;
  g.jwt = std::string(BearerToken(req.Header("Authorization")));
  if (g.jwt.empty()) {
    return OAuthFail(
        req, oauth::OAuthError(oauth::kInvalidClient, "missing JWT: Authorization: Bearer <JWT>"));
  }
  // The configured public host(s), never the Host header: a client must not choose the audience
  // its assertion is checked against.
  g.aud_hosts = deps.options.audience_hosts;
  g.target = target;
  g.target_id = std::move(target_id);
  if (auto it = body.find("duration_seconds"); it != body.end() && !it->value().is_null()) {
    if (!it->value().is_int64()) {
      return OAuthFail(
          req, oauth::OAuthError(oauth::kInvalidRequest, "invalid request: duration_seconds"));
    }
    g.duration_seconds = it->value().get_int64();
  }
  auto scope = ParseScope(body);
  if (!scope) return OAuthFail(req, scope.error());
  g.scope = scope.value();
  auto env = OAuthEnv(deps);
  auto prepared = oauth::PrepareJwtBearer(env, g);
  if (!prepared) return OAuthFail(req, prepared.error());
  // The write goes to the store's committer (one transaction for all grants queued meanwhile);
  // no thread waits for it, and the answer is written once it committed. `req` lives until then
  // (the server keeps it until the response is written).
  http::Response res;
  res.later = [&deps, &req,
               grant = std::move(prepared.value())](http::Response::Finish finish) mutable {
    // The jti and token move to the store; the callback keeps only what it answers.
    const int64_t expires_at = grant.token.expires_at;
    deps.store.IssueJwtTokenAsync(
        std::move(grant.jti), std::move(grant.token),
        [&req, access_token = std::move(grant.access_token), expires_at,
         finish = std::move(finish)](Status written) {
          if (Status s = oauth::JwtWriteOutcome(written); !s) {
            return finish(OAuthFail(req, s.error()));
          }
          observe::Metrics().TokenIssued("jwt_bearer");
          finish(TokenOk({{"access_token", access_token}, {"expires_in", expires_at}}, "app"));
        });
  };
  return res;
}

http::Response Token(Deps& deps, http::Request& req, oauth::JwtTarget target,
                     std::string target_id) {
  auto body = OAuthBody(req);
  if (!body) return OAuthFail(req, body.error());
  auto grant_type = Field(*body, "grant_type");
  if (!grant_type) return OAuthFail(req, grant_type.error());
  if (*grant_type == kGrantJwt) return Jwt(deps, req, *body, target, std::move(target_id));
  if (target != oauth::JwtTarget::kOwner) {
    return OAuthFail(req,
                     oauth::OAuthError(oauth::kUnsupportedGrantType,
                                       "not supported grant type: " + grant_type->substr(0, 100)));
  }
  oauth::TokenRequest t;
  t.grant_type = *grant_type;
  for (auto [key, out] : {std::pair<std::string_view, std::string*>{"client_id", &t.client_id},
                          {"code", &t.code},
                          {"redirect_uri", &t.redirect_uri},
                          {"code_verifier", &t.code_verifier},
                          {"refresh_token", &t.refresh_token},
                          {"device_code", &t.device_code}}) {
    auto v = Field(*body, key);
    if (!v) return OAuthFail(req, v.error());
    *out = std::move(v).value();
  }
  // No header, "Bearer " and a bare "Bearer" all mean no client secret (§4.2 rule 1).
  t.bearer = std::string(BearerToken(req.Header("Authorization")));
  auto env = OAuthEnv(deps);
  Result<oauth::OboTokens> issued = oauth::OAuthError(
      oauth::kUnsupportedGrantType, "not supported grant type: " + t.grant_type.substr(0, 100));
  if (t.grant_type == kGrantCode) {
    issued = oauth::ExchangeAuthorizationCode(env, t);
  } else if (t.grant_type == kGrantRefresh) {
    issued = oauth::RefreshTokens(env, t);
  } else if (t.grant_type == kGrantDevice) {
    issued = oauth::PollDeviceCode(env, t);
  }
  if (!issued) return OAuthFail(req, issued.error());
  observe::Metrics().TokenIssued(t.grant_type == kGrantDevice ? "device_code" : t.grant_type);
  return TokenOk({{"access_token", issued->access_token},
                  {"expires_in", issued->expires_at},
                  {"refresh_token", issued->refresh_token}},
                 "obo");
}

// The page a person opens to enter the user code: this server's /device (console/pages). With
// --public-url, under it. Without, the Host header is echoed only when it names one of the
// configured hosts (the listen address and, on loopback, localhost), else the first of them:
// a URL shown to a person must not be one the requester chose.
std::string VerificationUri(const Deps& deps, const http::Request& req) {
  const std::string& public_url = deps.options.public_url;
  if (!public_url.empty()) {
    return (public_url.back() == '/' ? public_url.substr(0, public_url.size() - 1) : public_url) +
           "/device";
  }
  const auto& hosts = deps.options.audience_hosts;
  std::string host(req.Header("Host"));
  if (std::find(hosts.begin(), hosts.end(), host) == hosts.end()) {
    host = hosts.empty() ? std::string("127.0.0.1") : hosts.front();
  }
  return "http://" + host + "/device";
}

// HTTP 429 in the OAuth error shape. RFC 8628 defines no error for the device authorization
// endpoint being flooded; slow_down is its "back off" code and the JS SDK maps 429 to
// RateLimitError (coze-protocol.md §2).
http::Response TooManyRequests(const http::Request& req, int64_t retry_after_seconds) {
  const std::string message =
      "too many device code requests; retry in " + std::to_string(retry_after_seconds) + " s";
  http::Response res = OAuthFail(req, oauth::OAuthError(oauth::kSlowDown, message));
  res.status = 429;
  res.SetHeader("Retry-After", std::to_string(retry_after_seconds));
  return res;
}

http::Response DeviceCode(Deps& deps, DeviceCodeLimits& limits, http::Request& req,
                          const std::string& workspace_id) {
  if (int64_t wait = limits.per_address.Acquire(AddressKey(req.remote_address)); wait > 0) {
    return TooManyRequests(req, wait);
  }
  auto body = OAuthBody(req);
  if (!body) return OAuthFail(req, body.error());
  auto client_id = Field(*body, "client_id");
  if (!client_id) return OAuthFail(req, client_id.error());
  auto env = OAuthEnv(deps);
  // Per app, and only for real device apps, so unknown client ids cannot fill the table.
  int64_t app_wait = 0;
  auto d = oauth::StartDeviceAuthorization(
      env, *client_id, workspace_id, [&](const credentials::OAuthApp& app) -> Status {
        app_wait = limits.per_app.Acquire(app.id);
        if (app_wait > 0) return oauth::OAuthError(oauth::kSlowDown, "rate limited");
        return {};
      });
  if (app_wait > 0) return TooManyRequests(req, app_wait);
  if (!d) return OAuthFail(req, d.error());
  const std::string uri = VerificationUri(deps, req);
  json::object out{
      {"device_code", d->device_code}, {"user_code", d->user_code},
      {"verification_uri", uri},       {"verification_url", uri + "?user_code=" + d->user_code},
      {"expires_in", d->expires_in},   {"interval", d->interval}};
  http::Response res = http::Response::Json(json::serialize(out));
  res.SetHeader("Cache-Control", "no-store");
  return res;
}

}  // namespace

void RegisterOAuthTokenRoutes(http::Router& router, Deps& deps) {
  router.Add(
      http::Verb::post, "/api/permission/oauth2/token", {.try_inline = true, .issue = true},
      [&deps](http::Request& req) { return Token(deps, req, oauth::JwtTarget::kOwner, ""); });
  router.Add(http::Verb::post, "/api/permission/oauth2/account/{account_id}/token",
             {.try_inline = true, .issue = true}, [&deps](http::Request& req) {
               return Token(deps, req, oauth::JwtTarget::kAccount, req.PathParam("account_id"));
             });
  router.Add(http::Verb::post, "/api/permission/oauth2/enterprise_id/{enterprise_id}/token",
             {.try_inline = true, .issue = true}, [&deps](http::Request& req) {
               return Token(deps, req, oauth::JwtTarget::kEnterprise,
                            req.PathParam("enterprise_id"));
             });
  auto limits =
      std::make_shared<DeviceCodeLimits>(deps.clock, deps.options.device_codes_per_minute);
  router.Add(http::Verb::post, "/api/permission/oauth2/device/code", {},
             [&deps, limits](http::Request& req) { return DeviceCode(deps, *limits, req, ""); });
  router.Add(http::Verb::post, "/api/permission/oauth2/workspace_id/{workspace_id}/device/code", {},
             [&deps, limits](http::Request& req) {
               return DeviceCode(deps, *limits, req, req.PathParam("workspace_id"));
             });
}

}  // namespace cozeauth::api
