#pragma once
// JSON data types of the Coze workflow and app APIs (coze-protocol.md §3.4, §9: /v1/workflow/*,
// /v1/workflows, /v1/apps), for the SDK and for any server handler that wants them, as
// openapi.hpp is for chat and bots. value_from writes the shape the official SDKs read
// (coze-go workflows.go, workflows_runs.go, workflows_runs_histories.go, apps.go); value_to
// reads it tolerantly (unknown keys ignored, missing keys defaulted, ids given as numbers
// accepted). Value types; not synchronized.

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "openapi.hpp"  // beside this file: src/wire/ here, coze/wire/ when installed

namespace cozeauth::wire {

// A workflow in GET /v1/workflows `items` and GET /v1/workflows/{id} `workflow_detail`.
struct WorkflowBasic {
  std::string workflow_id, workflow_name, description, icon_url, app_id;
  bool is_published = false;
  int64_t created_at = 0, updated_at = 0;
  std::string creator_id, creator_name;  // `creator: {id, name}`
};

// One entry of GET /v1/workflows/{id}/run_histories/{execute_id} `data`.
struct WorkflowRunHistory {
  std::string execute_id, execute_status;  // Success | Running | Fail
  std::string bot_id, connector_id, connector_uid, logid, output, debug_url;
  int run_mode = 0;  // 0 sync, 1 streaming, 2 async
  int64_t create_time = 0, update_time = 0;
  std::string error_code, error_message;  // the code is a string in Coze's shape ("0")
  std::optional<Usage> usage;
};

// An app (a project holding workflows) in GET /v1/apps `items`.
struct AppInfo {
  std::string id, name, description, icon_url, owner_user_id;
  bool is_published = false;
  int64_t updated_at = 0;
  std::optional<int64_t> published_at;
};

// `data` of a workflow stream's Message event.
struct WorkflowMessage {
  std::string content, node_title, node_seq_id;
  bool node_is_finish = false;
  std::optional<Usage> usage;
};

// `data` of an Interrupt event (`interrupt_data.data` is the question asked; `type` goes back as
// stream_resume's interrupt_type).
struct WorkflowInterrupt {
  std::string event_id, data, node_title;
  int type = 0;
};

// `data` of an Error event.
struct WorkflowStreamError {
  int64_t error_code = 0;
  std::string error_message;
};

void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv, const WorkflowBasic& v);
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv,
                const WorkflowRunHistory& v);
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv, const AppInfo& v);
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv,
                const WorkflowMessage& v);
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv,
                const WorkflowInterrupt& v);
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv,
                const WorkflowStreamError& v);

WorkflowBasic tag_invoke(const boost::json::value_to_tag<WorkflowBasic>&,
                         const boost::json::value& jv);
WorkflowRunHistory tag_invoke(const boost::json::value_to_tag<WorkflowRunHistory>&,
                              const boost::json::value& jv);
AppInfo tag_invoke(const boost::json::value_to_tag<AppInfo>&, const boost::json::value& jv);
WorkflowMessage tag_invoke(const boost::json::value_to_tag<WorkflowMessage>&,
                           const boost::json::value& jv);
WorkflowInterrupt tag_invoke(const boost::json::value_to_tag<WorkflowInterrupt>&,
                             const boost::json::value& jv);
WorkflowStreamError tag_invoke(const boost::json::value_to_tag<WorkflowStreamError>&,
                               const boost::json::value& jv);

}  // namespace cozeauth::wire
