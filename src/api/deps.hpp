#pragma once
// Deps: what route handlers need, built once by the composition root (cli/serve.cpp) and shared
// by every request. All members are thread-safe; `options` is read-only after start-up.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "api/authenticator.hpp"
#include "base/clock.hpp"
#include "base/ids.hpp"
#include "base/random.hpp"
#include "store/store.hpp"

namespace cozeauth::api {

class LoginThrottle;  // console/session.hpp

// ServerOptions: the security and capacity settings of `cozeauth serve` (flags > COZEAUTH_*
// environment > TOML > these defaults; docs/running.md lists them).
struct ServerOptions {
  // The externally visible base URL, e.g. "https://auth.example.com". Empty: the embedded
  // default, where the listen address (and, on loopback, localhost) is the public host.
  std::string public_url;
  // The JWT `aud` values accepted by the JWT-bearer grant: the public host with and without its
  // port (coze-protocol.md §4.7: SDKs differ). Derived at start-up; never the request's Host.
  std::vector<std::string> audience_hosts;
  // Session and CSRF cookies carry `Secure` (public_url is https, e.g. behind a TLS proxy).
  bool secure_cookies = false;
  // Longest JWT-bearer assertion accepted, exp - iat (Coze's SDKs send 900 s).
  int64_t jwt_max_lifetime_seconds = 3600;
  // A retry of a just-rotated refresh token whose successor was never used, within this many
  // seconds of the rotation, gets a fresh pair instead of revoking the family (0 = off).
  int64_t refresh_reuse_grace_seconds = 30;
  // Tokens held by the authenticator's cache (known tokens; unknown ones are cached apart).
  size_t token_cache_capacity = 1'000'000;
  // Failed sign-ins per e-mail and per client address within a minute, on every way to sign
  // in, before sign-in is refused for the rest of that minute (console/session.hpp).
  int login_max_failures = 5;
  // Device codes an app may ask for per minute (and in a burst); one client address gets twice
  // that over all apps (docs/oauth.md "Limits").
  int64_t device_codes_per_minute = 30;
};

struct Deps {
  store::Store& store;
  Authenticator& auth;
  const Clock& clock;
  SecureRandom& random;
  IdGenerator& ids;
  std::string files_dir;  // where uploaded file bytes are kept
  ServerOptions options = {};
  // The one failed-sign-in limiter shared by every way to sign in (console/session.hpp
  // SignInThrottle creates it at route registration; null until then).
  std::shared_ptr<LoginThrottle> sign_in_throttle = {};
};

}  // namespace cozeauth::api
