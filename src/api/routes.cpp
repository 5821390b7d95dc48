#include "api/routes.hpp"

namespace cozeauth::api {

// The route table, in order.
void RegisterAllRoutes(http::Router& router, Deps& deps) {
  RegisterHealthRoutes(router, deps);
  RegisterUserRoutes(router, deps);
  RegisterWorkspaceRoutes(router, deps);
  RegisterBotRoutes(router, deps);
  RegisterConversationRoutes(router, deps);
  RegisterMessageRoutes(router, deps);
  RegisterChatRoutes(router, deps);
  RegisterFileRoutes(router, deps);
  RegisterAudioRoutes(router, deps);
  RegisterWorkflowRoutes(router, deps);
  RegisterAppProjectRoutes(router, deps);
  RegisterOAuthTokenRoutes(router, deps);
}

}  // namespace cozeauth::api
