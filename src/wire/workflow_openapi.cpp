// Workflow and app DTOs (workflow_openapi.hpp): writing and tolerant reading.

#include "wire/workflow_openapi.hpp"

#include "wire/json_read.hpp"

namespace cozeauth::wire {
namespace json = boost::json;

namespace {

const json::object& AsObject(const json::value& jv) {
  static const json::object kEmpty;
  return jv.is_object() ? jv.as_object() : kEmpty;
}

std::optional<Usage> UsageOf(const json::object& o) {
  auto u = ObjectMember(o, "usage");
  if (u.empty()) return std::nullopt;
  return Usage{IntMember(u, "token_count").value_or(0), IntMember(u, "output_count").value_or(0),
               IntMember(u, "input_count").value_or(0)};
}

}  // namespace

void tag_invoke(const json::value_from_tag&, json::value& jv, const WorkflowBasic& v) {
  jv = {{"workflow_id", v.workflow_id},
        {"workflow_name", v.workflow_name},
        {"description", v.description},
        {"icon_url", v.icon_url},
        {"app_id", v.app_id},
        {"is_published", v.is_published},
        {"created_at", v.created_at},
        {"updated_at", v.updated_at},
        {"creator", {{"id", v.creator_id}, {"name", v.creator_name}}}};
}

void tag_invoke(const json::value_from_tag&, json::value& jv, const WorkflowRunHistory& v) {
  json::object o{{"execute_id", v.execute_id},
                 {"execute_status", v.execute_status},
                 {"bot_id", v.bot_id},
                 {"connector_id", v.connector_id},
                 {"connector_uid", v.connector_uid},
                 {"run_mode", v.run_mode},
                 {"logid", v.logid},
                 {"create_time", v.create_time},
                 {"update_time", v.update_time},
                 {"output", v.output},
                 {"error_code", v.error_code},
                 {"error_message", v.error_message},
                 {"debug_url", v.debug_url}};
  if (v.usage) o["usage"] = json::value_from(*v.usage);
  jv = std::move(o);
}

void tag_invoke(const json::value_from_tag&, json::value& jv, const AppInfo& v) {
  json::object o{{"id", v.id},
                 {"name", v.name},
                 {"description", v.description},
                 {"icon_url", v.icon_url},
                 {"is_published", v.is_published},
                 {"owner_user_id", v.owner_user_id},
                 {"updated_at", v.updated_at}};
  if (v.published_at) o["published_at"] = *v.published_at;
  jv = std::move(o);
}

void tag_invoke(const json::value_from_tag&, json::value& jv, const WorkflowMessage& v) {
  json::object o{{"content", v.content},
                 {"node_title", v.node_title},
                 {"node_seq_id", v.node_seq_id},
                 {"node_is_finish", v.node_is_finish}};
  if (v.usage) o["usage"] = json::value_from(*v.usage);
  jv = std::move(o);
}

void tag_invoke(const json::value_from_tag&, json::value& jv, const WorkflowInterrupt& v) {
  jv = {{"interrupt_data", {{"event_id", v.event_id}, {"type", v.type}, {"data", v.data}}},
        {"node_title", v.node_title}};
}

void tag_invoke(const json::value_from_tag&, json::value& jv, const WorkflowStreamError& v) {
  jv = {{"error_code", v.error_code}, {"error_message", v.error_message}};
}

WorkflowBasic tag_invoke(const json::value_to_tag<WorkflowBasic>&, const json::value& jv) {
  const auto& o = AsObject(jv);
  WorkflowBasic w;
  w.workflow_id = IdMember(o, "workflow_id");
  w.workflow_name = IdMember(o, "workflow_name");
  w.description = IdMember(o, "description");
  w.icon_url = IdMember(o, "icon_url");
  w.app_id = IdMember(o, "app_id");
  w.is_published = BoolMember(o, "is_published", false);
  w.created_at = IntMember(o, "created_at").value_or(0);
  w.updated_at = IntMember(o, "updated_at").value_or(0);
  const auto creator = ObjectMember(o, "creator");
  w.creator_id = IdMember(creator, "id");
  w.creator_name = IdMember(creator, "name");
  return w;
}

WorkflowRunHistory tag_invoke(const json::value_to_tag<WorkflowRunHistory>&,
                              const json::value& jv) {
  const auto& o = AsObject(jv);
  WorkflowRunHistory h;
  h.execute_id = IdMember(o, "execute_id");
  h.execute_status = IdMember(o, "execute_status");
  h.bot_id = IdMember(o, "bot_id");
  h.connector_id = IdMember(o, "connector_id");
  h.connector_uid = IdMember(o, "connector_uid");
  h.logid = IdMember(o, "logid");
  h.output = IdMember(o, "output");
  h.debug_url = IdMember(o, "debug_url");
  h.run_mode = static_cast<int>(IntMember(o, "run_mode").value_or(0));
  h.create_time = IntMember(o, "create_time").value_or(0);
  h.update_time = IntMember(o, "update_time").value_or(0);
  h.error_code = IdMember(o, "error_code");
  h.error_message = IdMember(o, "error_message");
  h.usage = UsageOf(o);
  return h;
}

AppInfo tag_invoke(const json::value_to_tag<AppInfo>&, const json::value& jv) {
  const auto& o = AsObject(jv);
  AppInfo a;
  a.id = IdMember(o, "id");
  a.name = IdMember(o, "name");
  a.description = IdMember(o, "description");
  a.icon_url = IdMember(o, "icon_url");
  a.owner_user_id = IdMember(o, "owner_user_id");
  a.is_published = BoolMember(o, "is_published", false);
  a.updated_at = IntMember(o, "updated_at").value_or(0);
  a.published_at = IntMember(o, "published_at");
  return a;
}

WorkflowMessage tag_invoke(const json::value_to_tag<WorkflowMessage>&, const json::value& jv) {
  const auto& o = AsObject(jv);
  WorkflowMessage m;
  m.content = IdMember(o, "content");
  m.node_title = IdMember(o, "node_title");
  m.node_seq_id = IdMember(o, "node_seq_id");
  m.node_is_finish = BoolMember(o, "node_is_finish", false);
  m.usage = UsageOf(o);
  return m;
}

WorkflowInterrupt tag_invoke(const json::value_to_tag<WorkflowInterrupt>&, const json::value& jv) {
  const auto& o = AsObject(jv);
  const auto data = ObjectMember(o, "interrupt_data");
  WorkflowInterrupt i;
  i.event_id = IdMember(data, "event_id");
  i.type = static_cast<int>(IntMember(data, "type").value_or(0));
  i.data = IdMember(data, "data");
  i.node_title = IdMember(o, "node_title");
  return i;
}

WorkflowStreamError tag_invoke(const json::value_to_tag<WorkflowStreamError>&,
                               const json::value& jv) {
  const auto& o = AsObject(jv);
  return WorkflowStreamError{IntMember(o, "error_code").value_or(0), IdMember(o, "error_message")};
}

}  // namespace cozeauth::wire
