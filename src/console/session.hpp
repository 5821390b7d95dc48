#pragma once
// Console sessions: the cookie-authenticated side of the API (the browser console and scripts
// that log in with email + password). A session is a random 32-byte value carried in the
// `cozeauth_session` cookie; the store keeps only its SHA-256. Every state-changing console call
// (POST/PUT/PATCH/DELETE) except login must echo the session's CSRF token in `X-CSRF-Token`
// (the double-submit value is also set as the readable `cozeauth_csrf` cookie).
//
//   AddConsoleRoute(router, deps, Verb::get, "/api/console/me", [](ConsoleCall& c) {
//     return c.Ok(json::object{{"user_id", c.user.id}});
//   });
//
// Failures, decided in one place (AddConsoleRoute): no/unknown/expired session → HTTP 401 with
// code 700012006 (as coze-studio answers); CSRF token missing or wrong → HTTP 403 with code 4101.
// LoginThrottle is safe for concurrent use; everything else is a pure function or per-request.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "admin/operations.hpp"
#include "api/admin_env.hpp"
#include "api/deps.hpp"
#include "api/respond.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace cozeauth::api {

inline constexpr std::string_view kSessionCookie = "cozeauth_session";
inline constexpr std::string_view kCsrfCookie = "cozeauth_csrf";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";
inline constexpr int64_t kSessionSeconds = 7 * 86400;
// PasswordLogin's message when the sign-in throttle refuses (the sign-in page translates it).
inline constexpr std::string_view kTooManyAttempts = "too many attempts, retry later";

// The first value of cookie `name` across the request's Cookie headers; nullopt if absent.
std::optional<std::string> CookieValue(const http::Request& req, std::string_view name);

// `Set-Cookie` values for the session and CSRF cookies; max_age 0 clears them. `secure` adds
// the Secure attribute (Deps::options.secure_cookies: the public URL is https, e.g. behind a
// TLS-terminating proxy), so the browser never sends them over plain HTTP.
std::string SessionCookieHeader(std::string_view value, int64_t max_age, bool secure);
std::string CsrfCookieHeader(std::string_view value, int64_t max_age, bool secure);

struct NewSession {
  store::Session session;
  std::string cookie_value;  // the plaintext; only its digest is stored
};
// Creates and stores a session for `user_id` that expires kSessionSeconds from now.
Result<NewSession> StartSession(Deps& deps, const std::string& user_id);

// Sets the session and CSRF cookies of a new session on `res` (Secure per deps.options), and
// clears them (logout).
void SetSessionCookies(http::Response& res, const Deps& deps, const NewSession& session);
void ClearSessionCookies(http::Response& res, const Deps& deps);

class LoginThrottle;
// The one limiter of failed sign-ins, shared by every way to sign in (the JSON login, the /sign
// form): created in deps.sign_in_throttle on first call. Call it while registering routes (one
// thread), keep the returned pointer.
std::shared_ptr<LoginThrottle> SignInThrottle(Deps& deps);

struct PasswordLoginResult {
  domain::User user;
  NewSession session;
};
// Email + password → a new session. Throttled by SignInThrottle(deps), so failures on one sign-in
// endpoint count on all of them; an unknown email costs the same Argon2id work as a wrong
// password and gets the same answer (no user enumeration). Failures are kUnauthenticated with a
// public message.
Result<PasswordLoginResult> PasswordLogin(Deps& deps, std::string_view email,
                                          std::string_view password, std::string_view address);

struct SessionUser {
  store::Session session;
  domain::User user;
};
// The live session named by the request's cookie, with its user. kUnauthenticated when the
// cookie is missing, unknown or expired (an expired row is deleted), or the user is gone.
Result<SessionUser> ResolveSession(Deps& deps, const http::Request& req);

// True when `X-CSRF-Token` equals the session's CSRF token (compared in constant time).
bool CsrfValid(const http::Request& req, const store::Session& session);
// HTTP 403 with the Coze envelope, code 4101.
http::Response CsrfRejected(const http::Request& req);

// What a console handler sees: the request, the dependencies, and the signed-in user.
struct ConsoleCall {
  http::Request& req;
  Deps& deps;
  const store::Session& session;
  const domain::User& user;

  admin::Env Env() const { return AdminEnv(deps, user.id); }
  http::Response Ok(boost::json::value data) const { return api::Ok(req, std::move(data)); }
  http::Response Fail(const Error& e) const { return api::Fail(req, e); }
};

using ConsoleHandler = std::function<http::Response(ConsoleCall&)>;

// Registers a session-authenticated route; CSRF is enforced for every method but GET/HEAD.
void AddConsoleRoute(http::Router& router, Deps& deps, http::Verb method, std::string pattern,
                     ConsoleHandler handler);

// Failed-login throttle, in memory: at most `max_failures` failures per key within kWindowMillis,
// keyed both by email (case-insensitive) and by client address, so neither guessing one
// account's password nor spraying many accounts from one address goes fast. Bounded: when
// kMaxKeys keys are tracked, expired windows are dropped and then the oldest window.
class LoginThrottle {
 public:
  static constexpr int kDefaultMaxFailures = 5;
  static constexpr int64_t kWindowMillis = 60'000;
  static constexpr size_t kMaxKeys = 10'000;

  explicit LoginThrottle(const Clock& clock, int max_failures = kDefaultMaxFailures)
      : clock_(clock), max_failures_(max_failures) {}

  bool Blocked(std::string_view email, std::string_view address);
  void RecordFailure(std::string_view email, std::string_view address);
  // A successful login clears the email's count (not the address's).
  void RecordSuccess(std::string_view email);

 private:
  struct Window {
    int64_t start_ms = 0;
    int failures = 0;
  };
  bool BlockedLocked(const std::string& key, int64_t now);
  void FailLocked(const std::string& key, int64_t now);

  const Clock& clock_;
  const int max_failures_;
  std::mutex mu_;
  std::unordered_map<std::string, Window> windows_;
};

}  // namespace cozeauth::api
