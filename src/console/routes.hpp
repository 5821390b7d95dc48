#pragma once
// The console's JSON API (cookie sessions, console/session.hpp), registered after the OpenAPI
// routes by the composition root (cli/serve.cpp): sign-in and the signed-in user (routes.cpp),
// PATs and service identities (token_routes.cpp), OAuth apps (app_routes.cpp), migration and
// 个人账号资源授权 (migration_routes.cpp), /metrics and the observe pages (observe_routes.cpp).
// The console builds on api (its envelope, input reading and Deps): api ← console. The
// functions keep the api namespace they were written in. Registration only, at start-up.

#include "api/deps.hpp"
#include "http/router.hpp"

namespace cozeauth::api {

// Everything below, in order.
void RegisterConsoleRoutes(http::Router& router, Deps& deps);
void RegisterConsoleTokenRoutes(http::Router& router, Deps& deps);
void RegisterConsoleAppRoutes(http::Router& router, Deps& deps);
void RegisterConsoleMigrationRoutes(http::Router& router,
                                    Deps& deps);  // migration, 个人账号资源授权
void RegisterObserveRoutes(http::Router& router, Deps& deps);        // /metrics, console observe
void RegisterConsoleMemberRoutes(http::Router& router, Deps& deps);  // 成员与角色

}  // namespace cozeauth::api
