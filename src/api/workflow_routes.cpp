// The OpenAPI's workflow routes (coze-protocol.md §3.1, §3.4, §9.1; docs/api.md "Workflows"):
// run (sync, and is_async), stream_run, stream_resume, the run history, the list and the
// metadata of one workflow. The run logic is workflow_exec.hpp's; the stream framing
// workflow_stream.hpp's; /v1/workflows/chat lives in workflow_chat.cpp. Errors found before a
// stream starts are a JSON body.

#include <boost/json.hpp>

#include "api/json_input.hpp"
#include "api/openapi_route.hpp"
#include "api/routes.hpp"
#include "api/workflow_exec.hpp"
#include "api/workflow_stream.hpp"
#include "base/ids.hpp"

namespace cozeauth::api {
namespace json = boost::json;
namespace {

using domain::ExecutionStatus;

http::Response Sse(std::vector<std::string> events) {
  http::Response res;
  res.sse = true;
  res.events = std::move(events);
  return res;
}

// --- runs

// Reads the body, loads the workflow and runs it into `out`; the error response otherwise.
std::optional<http::Response> RunFromBody(Call& c, bool allow_async, RunInput& in, Execution& out) {
  auto body = JsonBody(c.req);
  if (!body) return c.Fail(body.error());
  auto read = ReadRunInput(body.value());
  if (!read) return c.Fail(read.error());
  in = std::move(read).value();
  if (!allow_async) in.is_async = false;
  std::optional<RunnableWorkflow> wf;
  if (auto err = LoadRunnable(c, in.workflow_id, wf)) return err;
  auto run = StartExecution(c, *wf, in.parameters, in.is_async);
  if (!run) return c.Fail(run.error());
  out = std::move(run).value();
  return std::nullopt;
}

http::Response RunWorkflow(Call& c) {
  RunInput in;
  Execution run;
  if (auto err = RunFromBody(c, /*allow_async=*/true, in, run)) return *err;
  const domain::WorkflowExecution& e = run.record;
  if (in.is_async) {
    return OkTopLevel(c.req,
                      json::object{{"execute_id", e.id}, {"debug_url", DebugUrl(c.deps, e)}});
  }
  if (e.status == ExecutionStatus::kFail) {
    return c.Fail(Error::Make(static_cast<Errc>(e.error_code), e.error_message));
  }
  // An interrupted sync run answers its question as the data, with the event to resume.
  json::object out{{"data", e.status == ExecutionStatus::kSuccess ? e.output : std::string()},
                   {"execute_id", e.id},
                   {"debug_url", DebugUrl(c.deps, e)},
                   {"usage", UsageJson(e.input_count, e.output_count)},
                   {"token", e.input_count + e.output_count},
                   {"cost", "0"}};
  if (e.status == ExecutionStatus::kInterrupted) {
    out["interrupt_data"] =
        json::object{{"event_id", e.interrupt_event_id}, {"type", kQuestionInterruptType}};
  }
  return OkTopLevel(c.req, std::move(out));
}

http::Response StreamRun(Call& c) {
  RunInput in;
  Execution run;
  if (auto err = RunFromBody(c, /*allow_async=*/false, in, run)) return *err;
  return Sse(WorkflowStreamEvents(run, DebugUrl(c.deps, run.record)));
}

http::Response StreamResume(Call& c) {
  auto body = JsonBody(c.req);
  if (!body) return c.Fail(body.error());
  auto in = ReadResumeInput(body.value());
  if (!in) return c.Fail(in.error());
  std::optional<RunnableWorkflow> wf;
  if (auto err = LoadRunnable(c, in->workflow_id, wf)) return *err;
  auto run = ResumeExecution(c, *wf, in.value());
  if (!run) return c.Fail(run.error());
  return Sse(WorkflowStreamEvents(*run, DebugUrl(c.deps, run->record)));
}

// --- reads

json::object HistoryItem(const Deps& deps, const domain::WorkflowExecution& e) {
  // Coze knows Success, Running and Fail: a run waiting at a question is still running.
  const std::string_view status =
      e.status == ExecutionStatus::kInterrupted ? "Running" : domain::ToString(e.status);
  return {{"execute_id", e.id},
          {"execute_status", status},
          {"bot_id", ""},
          {"connector_id", domain::kApiConnectorId},
          {"connector_uid", e.account_id},
          {"run_mode", e.is_async ? 2 : 0},
          {"logid", ""},
          {"create_time", e.created_at},
          {"update_time", e.updated_at},
          {"output", e.output},
          {"token", std::to_string(e.input_count + e.output_count)},
          {"cost", "0"},
          {"error_code", std::to_string(e.error_code)},
          {"error_message", e.error_message},
          {"debug_url", DebugUrl(deps, e)},
          {"usage", UsageJson(e.input_count, e.output_count)}};
}

http::Response RunHistory(Call& c) {
  domain::Workflow wf;
  if (auto err = LoadWorkflow(c, c.req.PathParam("workflow_id"), wf)) return *err;
  const std::string& execute_id = c.req.PathParam("execute_id");
  if (!IsNumericId(execute_id)) {
    return c.Fail(Error::BadRequest("execute_id", "execute_id must be a numeric id"));
  }
  auto e = c.deps.store.GetExecution(execute_id);
  if (!e && e.error().code != Errc::kNotFound) return c.Fail(e.error());
  if (!e || e->workflow_id != wf.id) {
    return c.Fail(Error::Make(Errc::kWorkflowExecutionNotFound,
                              "no execution " + execute_id + " of workflow " + wf.id));
  }
  return c.Ok(json::array{HistoryItem(c.deps, *e)});
}

json::object WorkflowInfo(const domain::Workflow& w) {
  return {{"workflow_id", w.id},
          {"workflow_name", w.name},
          {"description", w.description},
          {"icon_url", ""},
          {"app_id", w.app_id},
          {"is_published", w.is_published},
          {"created_at", w.created_at},
          {"updated_at", w.updated_at},
          {"creator", json::object{{"id", w.creator_user_id}, {"name", ""}}}};
}

Result<std::optional<bool>> PublishFilter(const http::Request& req) {
  auto ps = req.Query("publish_status");
  if (!ps || ps->empty() || *ps == "published_online") return std::optional<bool>(true);
  if (*ps == "all") return std::optional<bool>();
  if (*ps == "unpublished_draft") return std::optional<bool>(false);
  return Error::BadRequest("publish_status",
                           "publish_status is all, published_online or unpublished_draft");
}

http::Response ListWorkflows(Call& c) {
  auto workspace_id = RequiredQueryId(c.req, "workspace_id");
  if (!workspace_id) return c.Fail(workspace_id.error());
  auto page_num = QueryInt(c.req, "page_num", 1, 1, 100000);
  if (!page_num) return c.Fail(page_num.error());
  auto page_size = QueryInt(c.req, "page_size", 20, 1, 100);
  if (!page_size) return c.Fail(page_size.error());
  auto published = PublishFilter(c.req);
  if (!published) return c.Fail(published.error());
  auto app_id = QueryId(c.req, "app_id");
  if (!app_id) return c.Fail(app_id.error());
  // Every workflow of the built-in runtime serves both modes.
  if (auto mode = c.req.Query("workflow_mode");
      mode && !mode->empty() && *mode != "workflow" && *mode != "chatflow") {
    return c.Fail(Error::BadRequest("workflow_mode", "workflow_mode is workflow or chatflow"));
  }
  if (auto denied = c.Authorize(c.WorkspaceTarget(workspace_id.value()), Errc::kNotFound)) {
    return *denied;
  }
  store::WorkflowQuery q{workspace_id.value(), published.value(), app_id.value().value_or("")};
  auto page = c.deps.store.ListWorkflows(q, {page_num.value(), page_size.value()});
  if (!page) return c.Fail(page.error());
  json::array items;
  for (const auto& w : page->items) items.push_back(WorkflowInfo(w));
  return c.Ok(json::object{{"items", std::move(items)}, {"has_more", page->has_more}});
}

http::Response GetWorkflow(Call& c) {
  domain::Workflow wf;
  if (auto err = LoadWorkflow(c, c.req.PathParam("workflow_id"), wf)) return *err;
  json::object out{{"workflow_detail", WorkflowInfo(wf)}};
  if (auto io = c.req.Query("include_input_output"); io && *io == "true") {
    auto definition = runtime::ParseWorkflowDefinition(wf.definition_json);
    json::object parameters;
    if (definition) {
      for (const auto& in : definition->inputs()) {
        parameters[in.name] = json::object{
            {"type", in.type}, {"required", in.required}, {"description", in.description}};
      }
    }
    out["input"] = json::object{{"parameters", std::move(parameters)}};
  }
  return c.Ok(std::move(out));
}

}  // namespace

void RegisterWorkflowRoutes(http::Router& router, Deps& deps) {
  using V = http::Verb;
  auto add = [&](V verb, const char* path, const char* point, http::Response (*fn)(Call&)) {
    AddOpenApi(router, deps, verb, path, point, fn);
  };
  add(V::post, "/v1/workflow/run", "run", RunWorkflow);
  add(V::post, "/v1/workflow/stream_run", "run", StreamRun);
  add(V::post, "/v1/workflow/stream_resume", "run", StreamResume);
  add(V::post, "/v1/workflows/chat", "run", WorkflowChat);
  add(V::get, "/v1/workflows/{workflow_id}/run_histories/{execute_id}", "listRunHistory",
      RunHistory);
  add(V::get, "/v1/workflows", "listWorkflow", ListWorkflows);
  add(V::get, "/v1/workflows/{workflow_id}", "getMetaData", GetWorkflow);
}

}  // namespace cozeauth::api
