#include "api/workflow_stream.hpp"

namespace cozeauth::api {
namespace json = boost::json;

std::string WorkflowSseEvent(int id, std::string_view name, const json::value& data) {
  std::string out = "id: ";
  out += std::to_string(id);
  out += "\nevent: ";
  out += name;
  out += "\ndata: ";
  out += json::serialize(data);
  out += "\n\n";
  return out;
}

std::vector<std::string> WorkflowStreamEvents(const Execution& run, const std::string& debug_url) {
  using Status = runtime::WorkflowOutcome::Status;
  const runtime::WorkflowOutcome& o = run.outcome;
  std::vector<std::string> events;
  int id = 0;
  for (const auto& e : o.events) {
    if (e.kind == runtime::WorkflowEvent::Kind::kInterrupt) {
      json::object data{{"interrupt_data", json::object{{"event_id", run.record.interrupt_event_id},
                                                        {"type", kQuestionInterruptType},
                                                        {"data", e.content}}},
                        {"node_title", e.node_title}};
      events.push_back(WorkflowSseEvent(id++, "Interrupt", data));
      continue;
    }
    json::object data{{"content", e.content},
                      {"node_title", e.node_title},
                      {"node_seq_id", std::to_string(e.seq)},
                      {"node_is_finish", e.node_is_finish}};
    if (e.node_title == "End" && o.status == Status::kSuccess) {
      data["usage"] = UsageJson(o.usage.input_count, o.usage.output_count);
    }
    events.push_back(WorkflowSseEvent(id++, "Message", data));
  }
  if (o.status == Status::kFailed) {
    events.push_back(WorkflowSseEvent(id++, "Error",
                                      json::object{{"error_code", static_cast<int>(o.error_code)},
                                                   {"error_message", o.error_message}}));
    return events;
  }
  events.push_back(WorkflowSseEvent(id++, "Done", json::object{{"debug_url", debug_url}}));
  return events;
}

}  // namespace cozeauth::api
