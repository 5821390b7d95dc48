#include "api/workflow_exec.hpp"

#include "api/json_input.hpp"
#include "base/ids.hpp"

namespace cozeauth::api {
namespace json = boost::json;
namespace {

using domain::ExecutionStatus;

// `parameters`: absent/null → "{}"; an object; or a string holding a JSON object.
Result<std::string> ReadParameters(const json::object& body) {
  const json::value* v = body.if_contains("parameters");
  if (v == nullptr || v->is_null()) return std::string("{}");
  if (v->is_object()) return json::serialize(*v);
  if (v->is_string()) {
    const json::string& s = v->as_string();
    if (s.empty()) return std::string("{}");
    boost::system::error_code ec;
    json::value parsed = json::parse(std::string_view(s), ec);
    if (!ec && parsed.is_object()) return json::serialize(parsed);
  }
  return Error::BadRequest("parameters",
                           "parameters must be an object (or a string holding a JSON object)");
}

// Ids and objects a run body may carry that cozeauth checks but does not use.
Status CheckUnusedRunFields(const json::object& body) {
  for (const char* key : {"bot_id", "app_id", "connector_id"}) {
    if (auto id = OptId(body, key); !id) return id.error();
  }
  if (auto ext = OptObject(body, "ext"); !ext) return ext.error();
  if (auto mode = OptString(body, "execute_mode"); !mode) return mode.error();
  return {};
}

// workflow_id: absent or empty → 4021 (nothing to run); another type or not numeric → 4000.
Result<std::string> ReadWorkflowId(const json::object& body) {
  auto id = OptId(body, "workflow_id");
  if (!id) return id.error();
  if (!id.value()) {
    return Error::Make(Errc::kWorkflowNotConfigured, "workflow_id is required");
  }
  return std::move(*id.value());
}

// The prompt of a bot a `bot` node names, when it is in the workflow's workspace.
runtime::BotPromptLookup BotsOf(Call& c, const std::string& workspace_id) {
  return [&c, workspace_id](std::string_view bot_id) -> std::optional<std::string> {
    if (!IsNumericId(bot_id)) return std::nullopt;
    auto bot = c.deps.auth.Bot(std::string(bot_id));
    if (!bot || bot->workspace_id != workspace_id) return std::nullopt;
    return bot->prompt;
  };
}

// Copies the outcome into the execution record (status, output, interrupt, error, usage).
void Record(Call& c, const runtime::WorkflowOutcome& o, domain::WorkflowExecution& e) {
  e.output.clear();
  e.interrupt_event_id.clear();
  e.interrupt_node.clear();
  e.interrupt_state.clear();
  e.error_code = 0;
  e.error_message.clear();
  switch (o.status) {
    case runtime::WorkflowOutcome::Status::kSuccess:
      e.status = ExecutionStatus::kSuccess;
      e.output = o.output;
      break;
    case runtime::WorkflowOutcome::Status::kInterrupted:
      e.status = ExecutionStatus::kInterrupted;
      e.interrupt_event_id = e.id + "/" + c.deps.ids.Next();
      e.interrupt_node = o.interrupt_node;
      e.interrupt_state = o.state;
      break;
    case runtime::WorkflowOutcome::Status::kFailed:
      e.status = ExecutionStatus::kFail;
      e.error_code = static_cast<int>(o.error_code);
      e.error_message = o.error_message;
      break;
  }
  e.input_count += o.usage.input_count;
  e.output_count += o.usage.output_count;
  e.updated_at = c.deps.clock.NowSeconds();
}

bool IsBadInput(const runtime::WorkflowOutcome& o) {
  return o.status == runtime::WorkflowOutcome::Status::kFailed && o.error_code == Errc::kBadRequest;
}

Error OutcomeError(const runtime::WorkflowOutcome& o, std::string_view field) {
  if (o.error_code == Errc::kBadRequest)
    return Error::BadRequest(std::string(field), o.error_message);
  return Error::Make(o.error_code, o.error_message);
}

}  // namespace

Result<RunInput> ReadRunInput(const json::object& body) {
  RunInput in;
  auto id = ReadWorkflowId(body);
  if (!id) return id.error();
  in.workflow_id = std::move(id).value();
  auto params = ReadParameters(body);
  if (!params) return params.error();
  in.parameters = std::move(params).value();
  auto is_async = OptBool(body, "is_async");
  if (!is_async) return is_async.error();
  in.is_async = is_async.value().value_or(false);
  if (auto s = CheckUnusedRunFields(body); !s) return s.error();
  return in;
}

Result<ResumeInput> ReadResumeInput(const json::object& body) {
  ResumeInput in;
  auto id = ReadWorkflowId(body);
  if (!id) return id.error();
  in.workflow_id = std::move(id).value();
  auto event = ReqString(body, "event_id");
  if (!event) return event.error();
  in.event_id = std::move(event).value();
  const auto slash = in.event_id.find('/');
  in.execute_id = in.event_id.substr(0, slash);
  if (slash == std::string::npos || !IsNumericId(in.execute_id) ||
      !IsNumericId(std::string_view(in.event_id).substr(slash + 1))) {
    return Error::BadRequest("event_id", "event_id is not an interrupt event of this server");
  }
  auto data = OptString(body, "resume_data");
  if (!data) return data.error();
  in.resume_data = data.value().value_or("");
  if (auto type = OptInt(body, "interrupt_type"); !type) return type.error();
  return in;
}

std::optional<http::Response> LoadWorkflow(Call& c, const std::string& id, domain::Workflow& out) {
  if (!IsNumericId(id)) {
    return c.Fail(Error::BadRequest("workflow_id", "workflow_id must be a numeric id"));
  }
  auto found = c.deps.store.GetWorkflow(id);
  if (!found && found.error().code != Errc::kNotFound) return c.Fail(found.error());
  policy::WorkspaceTarget target;  // exists = false
  if (found) target = c.WorkspaceTarget(found->workspace_id);
  if (auto denied = c.Authorize(target, Errc::kNotFound)) return denied;
  out = std::move(found).value();
  return std::nullopt;
}

std::optional<http::Response> LoadRunnable(Call& c, const std::string& id,
                                           std::optional<RunnableWorkflow>& out) {
  domain::Workflow w;
  if (auto err = LoadWorkflow(c, id, w)) return err;
  if (!w.is_published) {
    return c.Fail(Error::Make(Errc::kNotFound, "workflow " + id + " is not published"));
  }
  auto definition = runtime::ParseWorkflowDefinition(w.definition_json);
  if (!definition) {
    return c.Fail(Error::Make(Errc::kWorkflowNotConfigured,
                              "workflow " + id + " has no runnable definition"));
  }
  out.emplace(RunnableWorkflow{std::move(w), std::move(definition).value()});
  return std::nullopt;
}

Result<Execution> StartExecution(Call& c, const RunnableWorkflow& wf, const std::string& params,
                                 bool is_async) {
  Execution run;
  run.outcome = runtime::RunWorkflow(wf.definition, params, BotsOf(c, wf.workflow.workspace_id));
  if (IsBadInput(run.outcome)) return OutcomeError(run.outcome, "parameters");
  domain::WorkflowExecution& e = run.record;
  e.id = c.deps.ids.Next();
  e.workflow_id = wf.workflow.id;
  e.workspace_id = wf.workflow.workspace_id;
  e.token_id = c.token_id;
  e.credential_kind = std::string(credentials::ToString(c.principal.kind));
  e.account_id = c.principal.acting_account_id();
  e.is_async = is_async;
  e.created_at = c.deps.clock.NowSeconds();
  Record(c, run.outcome, e);
  if (auto s = c.deps.store.CreateExecution(e); !s) return s.error();
  return run;
}

Result<Execution> ResumeExecution(Call& c, const RunnableWorkflow& wf, const ResumeInput& in) {
  auto found = c.deps.store.GetExecution(in.execute_id);
  if (!found && found.error().code != Errc::kNotFound) return found.error();
  if (!found || found->workflow_id != wf.workflow.id) {
    return Error::Make(Errc::kWorkflowExecutionNotFound,
                       "no execution " + in.execute_id + " of workflow " + wf.workflow.id);
  }
  if (found->status != ExecutionStatus::kInterrupted || found->interrupt_event_id != in.event_id) {
    return Error::Make(Errc::kWorkflowExecutionFinished,
                       "execution " + in.execute_id + " is not waiting for event " + in.event_id);
  }
  Execution run;
  run.outcome = runtime::ResumeWorkflow(wf.definition, found->interrupt_state, in.resume_data,
                                        BotsOf(c, wf.workflow.workspace_id));
  if (IsBadInput(run.outcome)) return OutcomeError(run.outcome, "resume_data");
  auto consumed =
      c.deps.store.ConsumeInterrupt(in.execute_id, in.event_id, c.deps.clock.NowSeconds());
  if (!consumed) {
    if (consumed.error().code == Errc::kNotFound) {
      return Error::Make(Errc::kWorkflowExecutionNotFound, "no execution " + in.execute_id);
    }
    return consumed.error();
  }
  run.record = std::move(consumed).value();
  Record(c, run.outcome, run.record);
  if (auto s = c.deps.store.FinishExecution(run.record); !s) return s.error();
  return run;
}

std::string DebugUrl(const Deps& deps, const domain::WorkflowExecution& e) {
  return deps.options.public_url + "/work_flow?execute_id=" + e.id + "&space_id=" + e.workspace_id +
         "&workflow_id=" + e.workflow_id;
}

json::object UsageJson(int64_t input_count, int64_t output_count) {
  return {{"token_count", input_count + output_count},
          {"output_count", output_count},
          {"input_count", input_count}};
}

}  // namespace cozeauth::api
