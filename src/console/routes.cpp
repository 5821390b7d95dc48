// Console routes: email + password login into a cookie session, logout, the signed-in user, and
// (token_routes.cpp) the PAT and service-identity self-service. Coze's web paths are
// kept (/api/passport/…, /api/permission_api/…) so tools written for them work unchanged.

#include "console/routes.hpp"

#include <boost/json.hpp>
#include <memory>

#include "api/json_input.hpp"
#include "console/session.hpp"
#include "console/tokens.hpp"

namespace cozeauth::api {
namespace json = boost::json;
namespace {

json::object UserObject(const domain::User& u) {
  return {{"user_id", u.id}, {"name", u.name}, {"email", u.email}};
}

http::Response Login(Deps& deps, http::Request& req) {
  auto body = JsonBody(req);
  if (!body) return Fail(req, body.error());
  auto email = ReqString(*body, "email");
  if (!email) return Fail(req, email.error());
  auto password = ReqString(*body, "password");
  if (!password) return Fail(req, password.error());
  auto login = PasswordLogin(deps, *email, *password, req.remote_address);
  if (!login) return Fail(req, login.error());
  json::object data = UserObject(login->user);
  data["csrf_token"] = login->session.session.csrf_token;
  http::Response res = Ok(req, std::move(data));
  SetSessionCookies(res, deps, login->session);
  res.log_credential = "session";
  return res;
}

http::Response Logout(ConsoleCall& c) {
  if (auto s = c.deps.store.DeleteSession(c.session.id); !s && s.error().code != Errc::kNotFound) {
    return c.Fail(s.error());
  }
  http::Response res = c.Ok(json::object{});
  ClearSessionCookies(res, c.deps);
  return res;
}

http::Response Me(ConsoleCall& c) { return c.Ok(UserObject(c.user)); }

}  // namespace

void RegisterConsoleRoutes(http::Router& router, Deps& deps) {
  SignInThrottle(deps);  // created now, while registration is single-threaded
  // Login is the one state-changing console call without CSRF: there is no session yet.
  router.Add(http::Verb::post, "/api/passport/web/email/login/", {.slow = true},
             [&deps](http::Request& req) { return Login(deps, req); });
  AddConsoleRoute(router, deps, http::Verb::post, "/api/passport/web/logout/", Logout);
  AddConsoleRoute(router, deps, http::Verb::get, "/api/passport/account/info/v2/", Me);
  AddConsoleRoute(router, deps, http::Verb::get, "/api/console/me", Me);
  RegisterConsoleTokenRoutes(router, deps);
  RegisterConsoleAppRoutes(router, deps);
  RegisterConsoleMigrationRoutes(router, deps);
  RegisterObserveRoutes(router, deps);
  RegisterConsoleMemberRoutes(router, deps);
}

}  // namespace cozeauth::api
