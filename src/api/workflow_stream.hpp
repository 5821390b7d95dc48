#pragma once
// Server-sent events of a workflow stream (/v1/workflow/stream_run, /stream_resume;
// coze-protocol.md §3.4): every event is three single-line fields, `id: N`, `event: NAME`,
// `data: JSON`, then a blank line; ids count from 0 within one response. Events: Message
// {content, node_title, node_seq_id, node_is_finish[, usage on the End message]}, Interrupt
// {interrupt_data: {event_id, type, data}, node_title}, Error {error_code, error_message} and
// Done {debug_url}, which ends a run that succeeded or interrupted (a failed run ends with its
// Error). PING heartbeats are never needed: a run completes before its stream is written.
// Serialized JSON never holds a raw newline. Pure functions; thread-safe.

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "api/workflow_exec.hpp"

namespace cozeauth::api {

// "id: ID\nevent: NAME\ndata: JSON\n\n".
std::string WorkflowSseEvent(int id, std::string_view name, const boost::json::value& data);

// The whole stream of one run or resume.
std::vector<std::string> WorkflowStreamEvents(const Execution& run, const std::string& debug_url);

}  // namespace cozeauth::api
