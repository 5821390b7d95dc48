// Console: migration rehearsals (docs/migration.md "Rehearse first"; no Coze counterpart, so
// beside the migration routes under /api/permission_api/workspace/). The decisions are
// migration::'s (rehearsal.hpp), exactly as for `cozeauth migrate rehearse|rehearsal`; session
// and CSRF as every console route (AddConsoleRoute). Errors as the migration's
// (migration_wire.hpp):
//
//   bad input, or a violated precondition → 4000 naming the field;
//   an unknown workspace → 4200; an unknown rehearsal → 4200;
//   who asks may not run the migration (start), or did not start the rehearsal (read, stop)
//     → 4101 — an unknown rehearsal and another user's answer alike, so its id reveals nothing.
//
//   POST rehearse         {workspace_id, organization_id, mode, duration?: "30m"|"2h"…}
//   GET  list_rehearsals  ?workspace_id=…   (the user's own, newest first)
//   GET  rehearsal_report ?rehearsal_id=…
//   POST stop_rehearsal   {rehearsal_id}

#include <boost/json.hpp>

#include "api/json_input.hpp"
#include "api/rehearsal_json.hpp"
#include "console/migration_wire.hpp"
#include "migration/rehearsal.hpp"
#include "observe/credential_report.hpp"

namespace cozeauth::api {
namespace json = boost::json;
namespace {

// The user's own rehearsal `id`; 4101 for another user's and for an unknown id alike.
Result<domain::Rehearsal> OwnRehearsal(ConsoleCall& c, const std::string& id) {
  auto r = c.deps.store.GetRehearsal(id);
  if (!r && r.error().code != Errc::kNotFound) return r.error();
  if (!r || !migration::MayManageRehearsal(*r, c.user.id)) {
    return Error::Make(Errc::kPermissionDenied, "rehearsal " + id + " is not one you started");
  }
  return r;
}

http::Response Rehearse(ConsoleCall& c) {
  auto request = ReadMigrationRequest(c.req);
  if (!request) return c.Fail(request.error());
  const std::string& workspace_id = request->workspace_id;
  const std::string& org_id = request->organization_id;
  const domain::MigrationMode mode = request->mode;
  const json::object& body = request->body;
  auto duration = OptString(body, "duration");
  if (!duration) return c.Fail(duration.error());
  int64_t seconds = migration::kDefaultRehearsalSeconds;
  if (duration.value()) {
    auto parsed = observe::ParseDuration(*duration.value(), "duration");
    if (!parsed) return c.Fail(parsed.error());
    seconds = parsed.value();
  }
  auto w = ExistingWorkspace(c, workspace_id);
  if (!w) return c.Fail(w.error());
  // The check the migration makes, in the same function (migration::CheckMigrate).
  auto env = c.Env();
  auto r = migration::StartRehearsal(env, {{workspace_id, org_id, mode, c.user.id}, seconds});
  if (!r) {
    return c.Fail(WireError(r.error(), {{"workspace", "workspace_id"},
                                        {"to_org", "organization_id"},
                                        {"mode", "mode"},
                                        {"for", "duration"}}));
  }
  return c.Ok(json::object{{"rehearsal", RehearsalJson(*r)}});
}

http::Response ListRehearsals(ConsoleCall& c) {
  auto workspace_id = QueryId(c.req, "workspace_id");
  if (!workspace_id) return c.Fail(workspace_id.error());
  auto all = c.deps.store.ListRehearsals(workspace_id.value().value_or(""));
  if (!all) return c.Fail(all.error());
  json::array items;
  for (const auto& r : all.value()) {
    if (migration::MayManageRehearsal(r, c.user.id)) items.push_back(RehearsalJson(r));
  }
  const auto total = static_cast<int64_t>(items.size());
  return c.Ok(json::object{{"rehearsals", std::move(items)}, {"total", total}});
}

http::Response RehearsalReport(ConsoleCall& c) {
  auto id = RequiredQueryId(c.req, "rehearsal_id");
  if (!id) return c.Fail(id.error());
  auto r = OwnRehearsal(c, *id);
  if (!r) return c.Fail(r.error());
  auto env = c.Env();
  auto report = migration::MakeRehearsalReport(env, *id);
  if (!report) return c.Fail(report.error());
  return c.Ok(json::object{{"report", RehearsalReportJson(*report)}});
}

http::Response StopRehearsal(ConsoleCall& c) {
  auto body = JsonBody(c.req);
  if (!body) return c.Fail(body.error());
  auto id = RequiredId(*body, "rehearsal_id");
  if (!id) return c.Fail(id.error());
  auto r = OwnRehearsal(c, *id);
  if (!r) return c.Fail(r.error());
  auto env = c.Env();
  auto stopped = migration::StopRehearsal(env, *id);
  if (!stopped) return c.Fail(stopped.error());
  return c.Ok(json::object{{"rehearsal", RehearsalJson(*stopped)}});
}

}  // namespace

void RegisterConsoleRehearsalRoutes(http::Router& router, Deps& deps) {
  using V = http::Verb;
  const std::string workspace = "/api/permission_api/workspace/";
  AddConsoleRoute(router, deps, V::post, workspace + "rehearse", Rehearse);
  AddConsoleRoute(router, deps, V::get, workspace + "list_rehearsals", ListRehearsals);
  AddConsoleRoute(router, deps, V::get, workspace + "rehearsal_report", RehearsalReport);
  AddConsoleRoute(router, deps, V::post, workspace + "stop_rehearsal", StopRehearsal);
}

}  // namespace cozeauth::api
