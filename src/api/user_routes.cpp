#include <boost/json.hpp>

#include "api/openapi_route.hpp"
#include "api/routes.hpp"
#include "wire/openapi.hpp"

namespace cozeauth::api {
namespace json = boost::json;

void RegisterUserRoutes(http::Router& router, Deps& deps) {
  // GET /v1/users/me: any valid credential (no permission point). User-bound credentials
  // (PAT, OBO) describe their user; a service token describes its service identity (the token
  // id and name), not the administrator who created it.
  AddOpenApi(router, deps, http::Verb::get, "/v1/users/me", "", [](Call& c) {
    if (!c.principal.user_bound()) {
      auto token = c.deps.store.GetToken(c.principal.token_id);
      if (!token) return c.Fail(token.error());
      return c.Ok(json::value_from(wire::User{token->id, token->name, token->name, ""}));
    }
    auto user = c.deps.store.GetUser(c.principal.user_id);
    if (!user) return c.Fail(user.error());
    return c.Ok(json::value_from(wire::User{user->id, user->name, user->name, ""}));
  });
}

}  // namespace cozeauth::api
