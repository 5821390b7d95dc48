#include "admin/workflows.hpp"

#include "admin/audit.hpp"
#include "base/ids.hpp"
#include "runtime/workflow.hpp"

namespace cozeauth::admin {
namespace {

Status ValidateNameAndDescription(const std::string& name, const std::string& description) {
  if (name.empty() || name.size() > kMaxWorkflowNameChars) {
    return Error::BadRequest("name", "name must be 1-100 characters");
  }
  if (description.size() > kMaxWorkflowDescriptionChars) {
    return Error::BadRequest("description", "description must be at most 2000 characters");
  }
  return {};
}

Result<domain::Workspace> ExistingWorkspace(Env& env, const std::string& id) {
  auto ws = env.store.GetWorkspace(id);
  if (!ws) return Error::Make(ws.error().code, "workspace " + id + " not found");
  return ws;
}

}  // namespace

Result<domain::Workflow> CreateWorkflow(Env& env, const WorkflowSpec& spec) {
  if (auto s = ValidateNameAndDescription(spec.name, spec.description); !s) return s.error();
  auto definition = runtime::ParseWorkflowDefinition(spec.definition_json);
  if (!definition) return definition.error();
  auto ws = ExistingWorkspace(env, spec.workspace_id);
  if (!ws) return ws.error();
  if (!spec.app_id.empty()) {
    auto app = env.store.GetAppProject(spec.app_id);
    if (!app && app.error().code != Errc::kNotFound) return app.error();
    if (!app || app->workspace_id != spec.workspace_id) {
      return Error::BadRequest("app_project", "app project " + spec.app_id +
                                                  " is not in workspace " + spec.workspace_id);
    }
  }
  const int64_t now = env.clock.NowSeconds();
  domain::Workflow w;
  w.id = env.ids.Next();
  w.workspace_id = spec.workspace_id;
  w.app_id = spec.app_id;
  w.name = spec.name;
  w.description = spec.description;
  w.definition_json = definition->json();
  w.is_published = spec.publish;
  w.published_at = spec.publish ? now : 0;
  w.creator_user_id = spec.creator_user_id.empty() ? ws->owner_user_id : spec.creator_user_id;
  w.created_at = w.updated_at = now;
  Status s = Audited(
      env, [&] { return env.store.CreateWorkflow(w); }, "workflow.created", "workflow", w.id,
      AuditDetail()
          .Add("workspace_id", w.workspace_id)
          .Add("app_id", w.app_id)
          .Add("published", w.is_published)
          .Json());
  if (!s) return s.error();
  return w;
}

Result<domain::Workflow> SetWorkflowPublished(Env& env, const std::string& id, bool published) {
  auto w = env.store.GetWorkflow(id);
  if (!w) return w.error();
  const int64_t now = env.clock.NowSeconds();
  w->is_published = published;
  if (published) w->published_at = now;
  w->updated_at = now;
  Status s = Audited(
      env, [&] { return env.store.UpdateWorkflow(*w); },
      published ? "workflow.published" : "workflow.unpublished", "workflow", id,
      AuditDetail().Add("workspace_id", w->workspace_id).Json());
  if (!s) return s.error();
  return w;
}

Result<domain::AppProject> CreateAppProject(Env& env, const AppProjectSpec& spec) {
  if (auto s = ValidateNameAndDescription(spec.name, spec.description); !s) return s.error();
  auto ws = ExistingWorkspace(env, spec.workspace_id);
  if (!ws) return ws.error();
  const int64_t now = env.clock.NowSeconds();
  domain::AppProject app;
  app.id = env.ids.Next();
  app.workspace_id = spec.workspace_id;
  app.name = spec.name;
  app.description = spec.description;
  app.creator_user_id = spec.creator_user_id.empty() ? ws->owner_user_id : spec.creator_user_id;
  app.created_at = app.updated_at = now;
  Status s = Audited(
      env, [&] { return env.store.CreateAppProject(app); }, "app_project.created", "app_project",
      app.id, AuditDetail().Add("workspace_id", app.workspace_id).Json());
  if (!s) return s.error();
  return app;
}

}  // namespace cozeauth::admin
