#pragma once
// Workflows and app projects (Coze "apps": projects that hold workflows), workspace-level
// resources, as the operator CLI creates and publishes them (`cozeauth admin workflow …`,
// `cozeauth admin app-project …`). Same contract as operations.hpp: complete validation before
// any write, bad input → kBadRequest naming the field, nothing written on error; each write and
// its audit event (workflow.created, workflow.published, workflow.unpublished,
// app_project.created) commit in one transaction.
//
// A definition is validated and canonicalised by the runtime (runtime/workflow.hpp) before it is
// stored, so every stored workflow parses. Who may act is not decided here (the CLI is the
// operator). Synchronous; safe for concurrent use (all state is in the store).

#include <string>

#include "admin/operations.hpp"
#include "base/result.hpp"
#include "domain/workflow.hpp"

namespace cozeauth::admin {

inline constexpr size_t kMaxWorkflowNameChars = 100;
inline constexpr size_t kMaxWorkflowDescriptionChars = 2000;

struct WorkflowSpec {
  std::string workspace_id;
  std::string name;
  std::string description;
  std::string definition_json;
  std::string app_id;           // "" = none; else an app project of the same workspace
  std::string creator_user_id;  // "" = the workspace owner
  bool publish = false;
};
// Name 1–100 characters, description at most 2000, a definition the runtime accepts (its 4000
// names the node), an existing workspace (kNotFound) and app project in it (kBadRequest
// "app_project" otherwise).
Result<domain::Workflow> CreateWorkflow(Env& env, const WorkflowSpec& spec);

// Publishes (only a published workflow runs through the OpenAPI) or unpublishes workflow `id`;
// published_at = updated_at = now when publishing, updated_at only otherwise. kNotFound for an
// unknown id.
Result<domain::Workflow> SetWorkflowPublished(Env& env, const std::string& id, bool published);

struct AppProjectSpec {
  std::string workspace_id;
  std::string name;
  std::string description;
  std::string creator_user_id;  // "" = the workspace owner
};
// Name 1–100 characters, description at most 2000, an existing workspace (kNotFound).
Result<domain::AppProject> CreateAppProject(Env& env, const AppProjectSpec& spec);

}  // namespace cozeauth::admin
