#include <boost/json.hpp>

#include "api/openapi_route.hpp"
#include "api/routes.hpp"
#include "wire/openapi.hpp"

namespace cozeauth::api {
namespace json = boost::json;

void RegisterUserRoutes(http::Router& router, Deps& deps) {
  // GET /v1/users/me: any valid credential (no permission point). For a service token the
  // "user" is the account it acts for.
  AddOpenApi(router, deps, http::Verb::get, "/v1/users/me", "", [](Call& c) {
    const std::string& uid =
        c.principal.user_id.empty() ? c.principal.context.account_id : c.principal.user_id;
    auto user = c.deps.store.GetUser(uid);
    if (!user) {
      auto account = c.deps.store.GetAccount(c.principal.context.account_id);
      if (!account) return c.Fail(Error::Make(Errc::kNotFound, "user not found"));
      return c.Ok(json::value_from(wire::User{account->id, account->name, account->name, ""}));
    }
    return c.Ok(json::value_from(wire::User{user->id, user->name, user->name, ""}));
  });
}

}  // namespace cozeauth::api
