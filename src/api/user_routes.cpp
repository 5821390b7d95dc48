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
  // The user's name comes from the authenticator's cache: a warm request is answered on the
  // I/O thread (cached_read).
  AddOpenApi(router, deps, http::Verb::get, "/v1/users/me", "",
             [](Call& c) {
               if (!c.principal.user_bound()) {
                 auto token = c.deps.store.GetToken(std::string(c.token_id));
                 if (!token) return c.Fail(token.error());
                 return c.Ok(json::value_from(wire::User{token->id, token->name, token->name, ""}));
               }
               auto name = c.deps.auth.UserName(c.principal.user_id);
               if (!name) return c.Fail(name.error());
               // Written straight into one string, no json::value (this is the hot read of a
               // PAT; docs/performance.md).
               std::string data;
               data.reserve(80 + c.principal.user_id.size() + 2 * name->size());
               wire::AppendUserJson(data, c.principal.user_id, *name, *name, "");
               return OkSerialized(c.req, data);
             },
             {.cached_read = true});
}

}  // namespace cozeauth::api
