#pragma once
// Running a workflow for the OpenAPI (/v1/workflow/*, /v1/workflows/chat): reading the run and
// resume bodies, loading the workflow and authorizing the route's point on its workspace,
// running the runtime (runtime/workflow.hpp) and recording the execution (store/
// workflow_store.hpp). Shared by the sync, async, streaming and chat routes so they agree.
//
// Order, so that bad input changes nothing: the body is read (4000 naming the field; no
// workflow_id → 4021), the workflow is loaded and authorized (unknown or unreachable → 4200 or
// 4101 as the decision says; unpublished → 4200; a definition that does not parse → 4021), the
// runtime runs — a 4000 from it (parameters or resume data of the wrong shape) is returned
// without a write — and only then is the execution stored. A resume first checks the execution
// (unknown execute id or one of another workflow → 4314, not waiting on that event → 4315),
// runs the runtime on its state, and then consumes the interrupt with the store's conditional
// update, so of two concurrent resumes of one event exactly one records an outcome; the other
// gets 4315. The runtime is pure and fast: runs complete on the calling worker, before the
// response (an async run answers its execute_id once its result is in the history).
// Synchronous; thread-safe (state is in the store).

#include <boost/json.hpp>
#include <optional>
#include <string>

#include "api/openapi_route.hpp"
#include "domain/workflow.hpp"
#include "runtime/workflow.hpp"

namespace cozeauth::api {

// Coze's interrupt type of a question node (interrupt_data.type, resume's interrupt_type).
inline constexpr int kQuestionInterruptType = 2;

struct RunInput {
  std::string workflow_id;
  std::string parameters = "{}";  // a JSON object, serialised
  bool is_async = false;
};
// {workflow_id, parameters?, is_async?, bot_id?, app_id?, ext?, connector_id?, execute_mode?}.
// `parameters` is an object, or a string holding a JSON object (coze-py sends one); bot_id,
// app_id, connector_id are ids and ext an object when present (checked, otherwise unused).
Result<RunInput> ReadRunInput(const boost::json::object& body);

struct ResumeInput {
  std::string workflow_id;
  std::string event_id;  // "<execute_id>/<n>"
  std::string execute_id;
  std::string resume_data;
};
// {workflow_id, event_id, resume_data, interrupt_type}; interrupt_type, when given, must be an
// integer.
Result<ResumeInput> ReadResumeInput(const boost::json::object& body);

// A workflow the caller may run, with its parsed definition.
struct RunnableWorkflow {
  domain::Workflow workflow;
  runtime::WorkflowDefinition definition;
};
// Loads workflow `id` and authorizes the route's point on its workspace (unknown → 4200); with
// `runnable`, also requires it published (4200) and a definition that parses (4021). On
// success `out` holds it and nullopt is returned, else the error response.
std::optional<http::Response> LoadWorkflow(Call& c, const std::string& id, domain::Workflow& out);
std::optional<http::Response> LoadRunnable(Call& c, const std::string& id,
                                           std::optional<RunnableWorkflow>& out);

// One run or resume, recorded: the execution as stored and what the runtime produced.
struct Execution {
  domain::WorkflowExecution record;
  runtime::WorkflowOutcome outcome;
};
// Runs `wf` from the start with `parameters` and stores the execution.
Result<Execution> StartExecution(Call& c, const RunnableWorkflow& wf, const std::string& params,
                                 bool is_async);
// Resumes the interrupted execution `in` names (see the header comment for the codes).
Result<Execution> ResumeExecution(Call& c, const RunnableWorkflow& wf, const ResumeInput& in);

// Where Coze's debugger would show the execution (cozeauth has none; the link names the run).
std::string DebugUrl(const Deps& deps, const domain::WorkflowExecution& e);
// {token_count, output_count, input_count}.
boost::json::object UsageJson(int64_t input_count, int64_t output_count);

// POST /v1/workflows/chat (workflow_chat.cpp).
http::Response WorkflowChat(Call& c);

}  // namespace cozeauth::api
