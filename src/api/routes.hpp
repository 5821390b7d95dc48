#pragma once
// Route registration, one function per file; the composition root (cli/serve.cpp) calls
// RegisterAllRoutes, whose body (routes.cpp) is the OpenAPI and OAuth route table in order, then
// the console's (console/routes.hpp).

#include "api/deps.hpp"
#include "http/router.hpp"

namespace cozeauth::api {

void RegisterHealthRoutes(http::Router& router, Deps& deps);
void RegisterUserRoutes(http::Router& router, Deps& deps);
void RegisterWorkspaceRoutes(http::Router& router, Deps& deps);
void RegisterBotRoutes(http::Router& router, Deps& deps);
void RegisterConversationRoutes(http::Router& router, Deps& deps);
void RegisterMessageRoutes(http::Router& router, Deps& deps);
void RegisterChatRoutes(http::Router& router, Deps& deps);
void RegisterFileRoutes(http::Router& router, Deps& deps);
void RegisterAudioRoutes(http::Router& router, Deps& deps);
void RegisterWorkflowRoutes(http::Router& router, Deps& deps);    // workflow_routes.cpp
void RegisterAppProjectRoutes(http::Router& router, Deps& deps);  // app_project_routes.cpp
void RegisterOAuthTokenRoutes(http::Router& router, Deps& deps);

void RegisterAllRoutes(http::Router& router, Deps& deps);

}  // namespace cozeauth::api
