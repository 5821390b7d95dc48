#include "console/session.hpp"

#include <algorithm>
#include <cctype>

#include "base/crypto.hpp"
#include "base/strings.hpp"

namespace cozeauth::api {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string RandomValue(SecureRandom& random, size_t bytes) {
  std::string raw(bytes, '\0');
  random.Fill(raw.data(), raw.size());
  return Base64UrlEncode(raw);
}

bool IsSafeMethod(http::Verb v) { return v == http::Verb::get || v == http::Verb::head; }

}  // namespace

std::optional<std::string> CookieValue(const http::Request& req, std::string_view name) {
  // RFC 6265 §5.4: "name=value" pairs separated by "; ". Tolerate extra spaces and quotes.
  auto range = req.headers.equal_range("Cookie");
  for (auto it = range.first; it != range.second; ++it) {
    std::string_view header = it->value();
    size_t i = 0;
    while (i <= header.size()) {
      size_t j = header.find(';', i);
      if (j == std::string_view::npos) j = header.size();
      std::string_view pair = Trim(header.substr(i, j - i));
      size_t eq = pair.find('=');
      if (eq != std::string_view::npos && Trim(pair.substr(0, eq)) == name) {
        std::string_view value = Trim(pair.substr(eq + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
          value = value.substr(1, value.size() - 2);
        }
        return std::string(value);
      }
      i = j + 1;
    }
  }
  return std::nullopt;
}

std::string SessionCookieHeader(std::string_view value, int64_t max_age, bool secure) {
  // HttpOnly: page scripts never see the session. SameSite=Lax keeps it off cross-site POSTs;
  // the CSRF header covers the rest.
  return std::string(kSessionCookie) + "=" + std::string(value) + "; HttpOnly" +
         (secure ? "; Secure" : "") + "; SameSite=Lax; Path=/; Max-Age=" + std::to_string(max_age);
}

std::string CsrfCookieHeader(std::string_view value, int64_t max_age, bool secure) {
  // Readable by the console's own scripts, which echo it in X-CSRF-Token.
  return std::string(kCsrfCookie) + "=" + std::string(value) + (secure ? "; Secure" : "") +
         "; SameSite=Lax; Path=/; Max-Age=" + std::to_string(max_age);
}

Result<NewSession> StartSession(Deps& deps, const std::string& user_id) {
  NewSession out;
  out.cookie_value = RandomValue(deps.random, 32);
  const int64_t now = deps.clock.NowSeconds();
  out.session.id = deps.ids.Next();
  out.session.session_hash = Sha256Hex(out.cookie_value);
  out.session.csrf_token = RandomValue(deps.random, 24);
  out.session.user_id = user_id;
  out.session.created_at = now;
  out.session.expires_at = now + kSessionSeconds;
  if (auto s = deps.store.CreateSession(out.session); !s) return s.error();
  return out;
}

Result<SessionUser> ResolveSession(Deps& deps, const http::Request& req) {
  auto value = CookieValue(req, kSessionCookie);
  if (!value || value->empty()) {
    return Error::Make(Errc::kUnauthenticated, "missing session cookie; log in first");
  }
  auto session = deps.store.FindSessionByHash(Sha256Hex(*value));
  if (!session) {
    if (session.error().code != Errc::kNotFound) return session.error();
    return Error::Make(Errc::kUnauthenticated, "session is invalid; log in again");
  }
  if (deps.clock.NowSeconds() >= session->expires_at) {
    (void)deps.store.DeleteSession(session->id);  // best effort: the row is useless now
    return Error::Make(Errc::kUnauthenticated, "session has expired; log in again");
  }
  auto user = deps.store.GetUser(session->user_id);
  if (!user) {
    if (user.error().code != Errc::kNotFound) return user.error();
    return Error::Make(Errc::kUnauthenticated, "session user no longer exists");
  }
  return SessionUser{std::move(session.value()), std::move(user.value())};
}

bool CsrfValid(const http::Request& req, const store::Session& session) {
  std::string_view presented = req.Header(kCsrfHeader);
  return !presented.empty() && !session.csrf_token.empty() &&
         ConstantTimeEquals(presented, session.csrf_token);
}

http::Response CsrfRejected(const http::Request& req) {
  auto res = http::Response::Json(http::ErrorEnvelope(static_cast<int>(Errc::kPermissionDenied),
                                                      "CSRF token missing or invalid", req.logid),
                                  403);
  res.log_code = static_cast<int>(Errc::kPermissionDenied);
  return res;
}

void AddConsoleRoute(http::Router& router, Deps& deps, http::Verb method, std::string pattern,
                     ConsoleHandler handler) {
  router.Add(method, std::move(pattern), {},
             [&deps, handler = std::move(handler)](http::Request& req) {
               auto su = ResolveSession(deps, req);
               if (!su) return Fail(req, su.error());
               if (!IsSafeMethod(req.method) && !CsrfValid(req, su->session)) {
                 return CsrfRejected(req);
               }
               ConsoleCall call{req, deps, su->session, su->user};
               http::Response res = handler(call);
               res.log_credential = "session";
               return res;
             });
}

bool LoginThrottle::Blocked(std::string_view email, std::string_view address) {
  std::lock_guard lock(mu_);
  const int64_t now = clock_.MonotonicMillis();
  return BlockedLocked("e:" + Lower(email), now) || BlockedLocked("a:" + std::string(address), now);
}

void LoginThrottle::RecordFailure(std::string_view email, std::string_view address) {
  std::lock_guard lock(mu_);
  const int64_t now = clock_.MonotonicMillis();
  FailLocked("e:" + Lower(email), now);
  FailLocked("a:" + std::string(address), now);
}

void LoginThrottle::RecordSuccess(std::string_view email) {
  std::lock_guard lock(mu_);
  windows_.erase("e:" + Lower(email));
}

bool LoginThrottle::BlockedLocked(const std::string& key, int64_t now) {
  auto it = windows_.find(key);
  if (it == windows_.end()) return false;
  if (now - it->second.start_ms >= kWindowMillis) {
    windows_.erase(it);
    return false;
  }
  return it->second.failures >= max_failures_;
}

void LoginThrottle::FailLocked(const std::string& key, int64_t now) {
  auto it = windows_.find(key);
  if (it != windows_.end() && now - it->second.start_ms < kWindowMillis) {
    ++it->second.failures;
    return;
  }
  if (it == windows_.end() && windows_.size() >= kMaxKeys) {
    std::erase_if(windows_,
                  [&](const auto& kv) { return now - kv.second.start_ms >= kWindowMillis; });
    if (windows_.size() >= kMaxKeys) {
      auto oldest = std::min_element(
          windows_.begin(), windows_.end(),
          [](const auto& a, const auto& b) { return a.second.start_ms < b.second.start_ms; });
      windows_.erase(oldest);
    }
  }
  windows_[key] = Window{now, 1};
}

void SetSessionCookies(http::Response& res, const Deps& deps, const NewSession& session) {
  const bool secure = deps.options.secure_cookies;
  res.SetHeader("Set-Cookie", SessionCookieHeader(session.cookie_value, kSessionSeconds, secure));
  res.SetHeader("Set-Cookie",
                CsrfCookieHeader(session.session.csrf_token, kSessionSeconds, secure));
}

void ClearSessionCookies(http::Response& res, const Deps& deps) {
  const bool secure = deps.options.secure_cookies;
  res.SetHeader("Set-Cookie", SessionCookieHeader("", 0, secure));
  res.SetHeader("Set-Cookie", CsrfCookieHeader("", 0, secure));
}

std::shared_ptr<LoginThrottle> SignInThrottle(Deps& deps) {
  if (!deps.sign_in_throttle) {
    deps.sign_in_throttle =
        std::make_shared<LoginThrottle>(deps.clock, deps.options.login_max_failures);
  }
  return deps.sign_in_throttle;
}

namespace {
// A hash to verify against when the email is unknown, so that an unknown email costs the same
// Argon2id work as a wrong password and response times do not reveal which emails exist.
const std::string& DecoyHash() {
  static const std::string hash = HashPassword("cozeauth-decoy-password");
  return hash;
}
}  // namespace

Result<PasswordLoginResult> PasswordLogin(Deps& deps, std::string_view email,
                                          std::string_view password, std::string_view address) {
  LoginThrottle& throttle = *SignInThrottle(deps);
  if (throttle.Blocked(email, address)) {
    return Error::Make(Errc::kUnauthenticated, std::string(kTooManyAttempts));
  }
  auto user = deps.store.FindUserByEmail(std::string(email));
  if (!user && user.error().code != Errc::kNotFound) return user.error();
  bool ok = false;
  if (user) {
    ok = VerifyPassword(password, user->password_hash);
  } else {
    (void)VerifyPassword(password, DecoyHash());
  }
  if (!ok) {
    throttle.RecordFailure(email, address);
    return Error::Make(Errc::kUnauthenticated, "invalid email or password");
  }
  throttle.RecordSuccess(email);
  auto session = StartSession(deps, user->id);
  if (!session) return session.error();
  return PasswordLoginResult{std::move(user).value(), std::move(session).value()};
}

}  // namespace cozeauth::api
