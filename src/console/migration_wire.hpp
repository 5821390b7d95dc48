#pragma once
// What the console's migration routes (migration_routes.cpp) and rehearsal routes
// (rehearsal_routes.cpp) share: how migration::'s errors reach the wire, and the workspace
// lookup that answers 4200 for an unknown id. Per request; thread-safe as the store is.

#include <boost/json/object.hpp>
#include <map>
#include <string>

#include "base/result.hpp"
#include "console/session.hpp"
#include "domain/migration.hpp"
#include "domain/model.hpp"
#include "http/router.hpp"

namespace cozeauth::api {

// migration::'s fields → the request's (`renames`); a refusal because of who asks ("by") is
// 4101. The CLI's "--mode cut" hint is reworded for a request body.
Error WireError(Error e, const std::map<std::string, std::string>& renames);
// The workspace, or 4200 when it does not exist.
Result<domain::Workspace> ExistingWorkspace(ConsoleCall& c, const std::string& id);

// The body of a migration or of a rehearsal: `workspace_id` and `organization_id` (ids) and
// `mode` (cut | grant), each a 4000 naming the field when wrong; `body` keeps the rest for the
// caller's own fields.
struct MigrationRequest {
  boost::json::object body;
  std::string workspace_id;
  std::string organization_id;
  domain::MigrationMode mode;
};
Result<MigrationRequest> ReadMigrationRequest(const http::Request& req);

// Migration rehearsals (rehearsal_routes.cpp), registered by RegisterConsoleMigrationRoutes.
void RegisterConsoleRehearsalRoutes(http::Router& router, Deps& deps);

}  // namespace cozeauth::api
