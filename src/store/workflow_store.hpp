#pragma once
// WorkflowStore: workflows and app projects (workspace-level resources that move with their
// workspace, ids unchanged) and workflow executions (domain/workflow.hpp). Creating a workflow
// or an app project needs its workspace (kNotFound otherwise); a missing id is kNotFound
// ("workflow <id> not found"), a duplicate id kAlreadyExists.
//
// Executions are exactly-once at their interrupts: ConsumeInterrupt moves an execution from
// Interrupted to Running in one conditional update keyed by the interrupt event id, so of two
// concurrent resumes of one event exactly one succeeds; the other, and any resume of a run
// that is not waiting on that event, gets kWorkflowExecutionFinished (4315). FinishExecution
// writes only a Running execution, so only the caller that started or resumed a run records
// its outcome.
//
// Bumps the auth epoch (unit_of_work.hpp): none of these writes (no decision reads them; the
// API loads a workflow per request).
//
// Thread safety and errors: as UnitOfWork (unit_of_work.hpp); calls join the backend's
// Transaction() on the same thread.

#include <cstdint>
#include <optional>
#include <string>

#include "base/result.hpp"
#include "domain/workflow.hpp"
#include "store/types.hpp"

namespace cozeauth::store {

// Filters of ListWorkflows: published nullopt = all; app_id "" = any.
struct WorkflowQuery {
  std::string workspace_id;
  std::optional<bool> published;
  std::string app_id;
};

class WorkflowStore {
 public:
  virtual ~WorkflowStore() = default;

  // --- app projects; lists come oldest first, then by id.
  virtual Status CreateAppProject(const domain::AppProject& app) = 0;
  virtual Result<domain::AppProject> GetAppProject(const std::string& id) = 0;
  virtual Result<Paged<domain::AppProject>> ListAppProjects(const std::string& workspace_id,
                                                            Page page) = 0;

  // --- workflows; lists come oldest first, then by id.
  virtual Status CreateWorkflow(const domain::Workflow& w) = 0;
  virtual Result<domain::Workflow> GetWorkflow(const std::string& id) = 0;
  // Replaces every field but id, workspace_id, creator and created_at.
  virtual Status UpdateWorkflow(const domain::Workflow& w) = 0;
  virtual Result<Paged<domain::Workflow>> ListWorkflows(const WorkflowQuery& q, Page page) = 0;
  // How many workflows and app projects a workspace holds (the migration plan lists them).
  virtual Result<int64_t> CountWorkflows(const std::string& workspace_id) = 0;
  virtual Result<int64_t> CountAppProjects(const std::string& workspace_id) = 0;

  // --- executions
  // Needs its workflow (kNotFound otherwise).
  virtual Status CreateExecution(const domain::WorkflowExecution& e) = 0;
  virtual Result<domain::WorkflowExecution> GetExecution(const std::string& id) = 0;
  // Records the outcome of a Running execution: status, output, interrupt fields, error, usage
  // and updated_at from `e`. kNotFound if there is none; kWorkflowExecutionFinished if it is
  // not Running.
  virtual Status FinishExecution(const domain::WorkflowExecution& e) = 0;
  // Interrupted with this event id → Running (updated_at = now), returning the execution as it
  // now is (with the state to resume from). kNotFound if execution `id` does not exist;
  // kWorkflowExecutionFinished if it is not Interrupted at `event_id`.
  virtual Result<domain::WorkflowExecution> ConsumeInterrupt(const std::string& id,
                                                             const std::string& event_id,
                                                             int64_t now) = 0;
};

}  // namespace cozeauth::store
