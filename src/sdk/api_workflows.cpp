// workflows (run, stream, resume, history, chat, list, get) and apps (coze-protocol.md §3.4,
// §9). Workflow streams are `id:` / `event:` / `data:` SSE with the events Message, Interrupt,
// Error, Done and PING; /v1/workflows/chat is a chat-style stream read by sdk::ChatStream.

#include <coze/client.hpp>

#include "sdk/api_util.hpp"
#include "sdk/url.hpp"
#include "wire/json_read.hpp"

namespace coze {
namespace json = boost::json;
using cozeauth::wire::BoolMember;
using cozeauth::wire::IdMember;
using cozeauth::wire::IntMember;
using cozeauth::wire::ObjectMember;
using sdk::Data;
using sdk::Field;

namespace {

json::object RunBody(const WorkflowRunRequest& request, bool stream) {
  json::object body{{"workflow_id", request.workflow_id}};
  if (!request.parameters.empty()) body["parameters"] = request.parameters;
  if (!request.bot_id.empty()) body["bot_id"] = request.bot_id;
  if (!request.app_id.empty()) body["app_id"] = request.app_id;
  if (!request.ext.empty()) body["ext"] = request.ext;
  if (!stream && request.is_async) body["is_async"] = true;
  return body;
}

// Decodes one workflow stream event by its name (coze-go parseWorkflowEvent's table). A `data:`
// that is not JSON leaves the decoded fields empty; an Error event always carries an Error.
WorkflowEvent Decode(const SseEvent& sse) {
  WorkflowEvent event{.event = sse.event, .data = sse.data};
  try {
    event.id = std::stoll(sse.id);
  } catch (const std::exception&) {
    event.id = -1;  // no or a non-numeric `id:`
  }
  boost::system::error_code ec;
  const json::value data = json::parse(sse.data, ec);
  const bool object = !ec && data.is_object();
  if (sse.event == workflow_event::kMessage && object) {
    event.message = json::value_to<WorkflowMessage>(data);
  } else if (sse.event == workflow_event::kInterrupt && object) {
    event.interrupt = json::value_to<WorkflowInterrupt>(data);
  } else if (sse.event == workflow_event::kError) {
    if (object) {
      auto e = json::value_to<cozeauth::wire::WorkflowStreamError>(data);
      event.error = Error{e.error_code, e.error_message, {}, 0};
    } else {
      event.error = Error{kClientErrorCode, "workflow stream error: " + sse.data, {}, 0};
    }
  } else if (sse.event == workflow_event::kDone && object) {
    event.debug_url = IdMember(data.as_object(), "debug_url");
  }
  return event;
}

Result<WorkflowStreamEnd> ReadWorkflowStream(Client& client, const ApiRequest& call,
                                             const WorkflowRuns::EventCallback& on_event) {
  WorkflowStreamEnd end;
  bool ended = false;
  std::optional<Error> stream_error;
  auto status = client.CallStream(call, [&](const SseEvent& sse) {
    WorkflowEvent event = Decode(sse);
    if (event.error && !stream_error) stream_error = *event.error;
    if (event.interrupt) {
      end.interrupt = *event.interrupt;
      ended = true;
    }
    if (event.IsDone()) {
      end.debug_url = event.debug_url;
      ended = true;
    }
    return on_event ? on_event(event) : true;
  });
  if (!status) return status.Forward<WorkflowStreamEnd>();
  if (stream_error) return *stream_error;
  if (!ended) {
    return Error{kClientErrorCode, "the workflow stream ended without Done or Interrupt", {}, 0};
  }
  return end;
}

std::vector<std::pair<std::string, std::string>> Paging(const PageRequest& page) {
  return {{"page_num", std::to_string(page.page_num)},
          {"page_size", std::to_string(page.page_size)}};
}

void AddIfSet(std::vector<std::pair<std::string, std::string>>& query, const char* key,
              const std::string& value) {
  if (!value.empty()) query.emplace_back(key, value);
}

}  // namespace

Result<WorkflowRunResult> WorkflowRuns::Create(const WorkflowRunRequest& request) {
  // The run's answer is top-level: data (a JSON string), execute_id, debug_url, usage (§3.1).
  auto body =
      client_.Call({.method = "POST", .path = "/v1/workflow/run", .json = RunBody(request, false)});
  if (!body) return body.Forward<WorkflowRunResult>();
  WorkflowRunResult out;
  out.execute_id = IdMember(*body, "execute_id");
  out.data = IdMember(*body, "data");
  out.debug_url = IdMember(*body, "debug_url");
  if (auto usage = ObjectMember(*body, "usage"); !usage.empty()) {
    out.usage = Usage{IntMember(usage, "token_count").value_or(0),
                      IntMember(usage, "output_count").value_or(0),
                      IntMember(usage, "input_count").value_or(0)};
  }
  if (auto interrupt = ObjectMember(*body, "interrupt_data"); !interrupt.empty()) {
    out.interrupt =
        json::value_to<WorkflowInterrupt>(json::value(json::object{{"interrupt_data", interrupt}}));
  }
  if (out.execute_id.empty() && !request.is_async && out.data.empty()) {
    return sdk::ShapeError(*body, "a workflow run answer without data or execute_id");
  }
  return out;
}

Result<WorkflowStreamEnd> WorkflowRuns::Stream(const WorkflowRunRequest& request,
                                               const EventCallback& on_event) {
  return ReadWorkflowStream(
      client_,
      {.method = "POST", .path = "/v1/workflow/stream_run", .json = RunBody(request, true)},
      on_event);
}

Result<WorkflowStreamEnd> WorkflowRuns::Resume(const WorkflowResumeRequest& request,
                                               const EventCallback& on_event) {
  json::object body{{"workflow_id", request.workflow_id},
                    {"event_id", request.event_id},
                    {"resume_data", request.resume_data},
                    {"interrupt_type", request.interrupt_type}};
  return ReadWorkflowStream(
      client_, {.method = "POST", .path = "/v1/workflow/stream_resume", .json = std::move(body)},
      on_event);
}

Result<std::vector<WorkflowRunHistory>> WorkflowRuns::History(const std::string& workflow_id,
                                                              const std::string& execute_id) {
  return Data<std::vector<WorkflowRunHistory>>(
      client_.Call({.path = "/v1/workflows/" + sdk::PercentEncode(workflow_id) + "/run_histories/" +
                            sdk::PercentEncode(execute_id)}));
}

Result<Chat> WorkflowChats::Stream(const WorkflowChatRequest& request,
                                   const Chats::EventCallback& on_event) {
  json::array messages;
  for (const auto& m : request.additional_messages) messages.push_back(sdk::EnterMessageJson(m));
  json::object body{{"workflow_id", request.workflow_id},
                    {"additional_messages", std::move(messages)}};
  if (!request.parameters.empty()) body["parameters"] = request.parameters;
  if (!request.ext.empty()) body["ext"] = request.ext;
  if (!request.app_id.empty()) body["app_id"] = request.app_id;
  if (!request.bot_id.empty()) body["bot_id"] = request.bot_id;
  if (!request.conversation_id.empty()) body["conversation_id"] = request.conversation_id;
  return sdk::ChatStream(
      client_, {.method = "POST", .path = "/v1/workflows/chat", .json = std::move(body)}, on_event);
}

Result<WorkflowList> Workflows::List(const WorkflowListRequest& request) {
  auto query = Paging(request.page);
  AddIfSet(query, "workspace_id", request.workspace_id);
  AddIfSet(query, "workflow_mode", request.workflow_mode);
  AddIfSet(query, "app_id", request.app_id);
  AddIfSet(query, "publish_status", request.publish_status);
  auto data = Data<json::object>(client_.Call({.path = "/v1/workflows", .query = query}));
  if (!data) return data.Forward<WorkflowList>();
  auto items = Field<std::vector<WorkflowBasic>>(*data, "items");
  if (!items) return items.Forward<WorkflowList>();
  return WorkflowList{std::move(*items), BoolMember(*data, "has_more", false)};
}

Result<WorkflowBasic> Workflows::Get(const std::string& workflow_id) {
  auto data = Data<json::object>(
      client_.Call({.path = "/v1/workflows/" + sdk::PercentEncode(workflow_id)}));
  if (!data) return data.Forward<WorkflowBasic>();
  return Field<WorkflowBasic>(*data, "workflow_detail");
}

Result<AppList> Apps::List(const AppListRequest& request) {
  auto query = Paging(request.page);
  AddIfSet(query, "workspace_id", request.workspace_id);
  AddIfSet(query, "publish_status", request.publish_status);
  AddIfSet(query, "connector_id", request.connector_id);
  auto data = Data<json::object>(client_.Call({.path = "/v1/apps", .query = query}));
  if (!data) return data.Forward<AppList>();
  auto items = Field<std::vector<AppInfo>>(*data, "items");
  if (!items) return items.Forward<AppList>();
  return AppList{std::move(*items), IntMember(*data, "total").value_or(0)};
}

}  // namespace coze
