#pragma once
// Workflows and apps (Coze "app" = a project holding workflows), workspace-level resources like
// bots: they belong to a workspace and move with it, ids unchanged. A workflow's definition is
// the JSON the built-in runtime runs (runtime/workflow.hpp); only a published workflow runs
// through the OpenAPI. A WorkflowExecution is one run (sync, async or streamed) and its resumes:
// it is Running while a caller executes it, Interrupted while it waits at a question node for
// the resume that names its interrupt event, and ends Success or Fail. Plain value types; no
// behaviour beyond printing and parsing the status.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cozeauth::domain {

struct AppProject {
  std::string id;
  std::string workspace_id;
  std::string name;
  std::string description;
  std::string creator_user_id;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  // Derived on read (never stored): the app holds at least one published workflow.
  bool has_published_workflow = false;
};

struct Workflow {
  std::string id;
  std::string workspace_id;
  std::string app_id;  // the AppProject holding it; "" = none
  std::string name;
  std::string description;
  std::string definition_json;
  bool is_published = false;
  int64_t published_at = 0;
  std::string creator_user_id;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

enum class ExecutionStatus { kRunning, kSuccess, kFail, kInterrupted };
// "Running", "Success", "Fail", "Interrupted" (Coze's execute_status names).
std::string_view ToString(ExecutionStatus v);
std::optional<ExecutionStatus> ParseExecutionStatus(std::string_view s);

struct WorkflowExecution {
  std::string id;  // Coze's execute_id
  std::string workflow_id;
  std::string workspace_id;
  std::string token_id;         // the credential that started the run
  std::string credential_kind;  // its kind, as credentials::ToString prints it
  std::string account_id;       // the account it acted in
  ExecutionStatus status = ExecutionStatus::kRunning;
  bool is_async = false;
  std::string output;  // Success: the output JSON object string
  // Interrupted: the event a resume must name, the question node and the runtime's state. The
  // event id stays after a resume consumes it (status Running) so a second resume is told
  // "already finished" rather than "not found".
  std::string interrupt_event_id;
  std::string interrupt_node;
  std::string interrupt_state;
  int error_code = 0;  // Fail: a Coze code
  std::string error_message;
  int64_t input_count = 0;
  int64_t output_count = 0;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

}  // namespace cozeauth::domain
