#pragma once
// OpenAPI routes: bearer-authorized handlers. AddOpenApi registers a route with the permission
// point it requires; before the handler runs, the credential is authenticated and decision
// steps 1–2 (credential state, permission point) are applied. The handler loads its target and
// calls Call::Authorize, which applies the whole decision (steps 1–6) for that target — and,
// while a migration rehearsal of the target's workspace is live, its shadow decision beside the
// real one (api/auth/rehearsal_shadow.hpp), which never changes the answer.
//
//   AddOpenApi(router, deps, Verb::get, "/v1/bots/{bot_id}", "getMetadata", [](Call& c) {
//     auto bot = c.deps.store.GetBot(c.req.PathParam("bot_id"));
//     if (auto denied = c.Authorize(c.BotTarget(bot), Errc::kBotNotFound)) return *denied;
//     return c.Ok(json::value_from(ToWire(bot.value())));
//   });

#include <functional>
#include <optional>
#include <string>

#include "api/auth/rehearsal_shadow.hpp"
#include "api/deps.hpp"
#include "api/respond.hpp"
#include "http/router.hpp"
#include "policy/decision.hpp"

namespace cozeauth::api {

struct Call {
  http::Request& req;
  const policy::Principal& principal;
  std::string_view token_id;  // the credential's id ("" when none was identified)
  Deps& deps;
  // What the request's shadow decisions found (api/auth/rehearsal_shadow.hpp); null: none.
  ShadowNote* shadow = nullptr;

  // Full decision for the route's point over `target`; the error response when denied.
  std::optional<http::Response> Authorize(const policy::Target& target, Errc not_found) const;
  // Step 4/5 only for a secondary target (e.g. the conversation of a chat): the error
  // response when the credential does not reach it.
  std::optional<http::Response> Reach(const policy::Target& target, Errc not_found) const;

  policy::WorkspaceTarget WorkspaceTarget(const std::string& workspace_id) const;
  // Facts of an account-level resource owned by `owner_account_id`.
  policy::AccountTarget AccountTarget(bool exists, const std::string& owner_account_id,
                                      const std::string& session_name) const;

  http::Response Ok(boost::json::value data) const { return api::Ok(req, std::move(data)); }
  http::Response Fail(const Error& e) const { return api::Fail(req, e); }
};

using OpenApiHandler = std::function<http::Response(Call&)>;

struct OpenApiOptions {
  // The route is a read that a warm cache answers (the credential, its decision facts, the
  // resource): tried on the I/O thread, moved to a worker at its first store call
  // (http::RouteOptions::try_inline, base/blocking.hpp). Its handler must write nothing.
  bool cached_read = false;
};

// Registers the route. A permission point the catalogue (policy/catalogue.hpp) does not know is
// a bug in the route table: std::logic_error at start-up, like a duplicate route (http::Router).
void AddOpenApi(http::Router& router, Deps& deps, http::Verb method, std::string pattern,
                std::string permission, OpenApiHandler handler, OpenApiOptions options = {});

}  // namespace cozeauth::api
