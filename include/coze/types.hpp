#pragma once
// The OpenAPI data types the SDK returns and sends (coze-protocol.md §9). The resource types are
// the server's own wire DTOs (src/wire/openapi.hpp, namespace cozeauth::wire) under coze:: names,
// so that client and server cannot drift; that header is the one non-<coze/…> include of the
// public headers and itself needs only std and Boost.JSON. List results and requests are SDK
// structs defined here. Value types; not synchronized.

#include <boost/json.hpp>
#include <coze/error.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wire/openapi.hpp"
#include "wire/workflow_openapi.hpp"

namespace coze {

using User = cozeauth::wire::User;
using Workspace = cozeauth::wire::Workspace;
using BotListItem = cozeauth::wire::BotListItem;
using BotInfo = cozeauth::wire::BotInfo;
using Conversation = cozeauth::wire::Conversation;
using Message = cozeauth::wire::Message;
using Chat = cozeauth::wire::Chat;
using ChatError = cozeauth::wire::ChatError;
using Usage = cozeauth::wire::Usage;
using File = cozeauth::wire::File;
using Voice = cozeauth::wire::Voice;
using WorkflowBasic = cozeauth::wire::WorkflowBasic;
using WorkflowRunHistory = cozeauth::wire::WorkflowRunHistory;
using AppInfo = cozeauth::wire::AppInfo;
using WorkflowMessage = cozeauth::wire::WorkflowMessage;
using WorkflowInterrupt = cozeauth::wire::WorkflowInterrupt;

struct PageRequest {
  int page_num = 1;
  int page_size = 20;
};

struct WorkspaceList {
  std::vector<Workspace> workspaces;
  int64_t total_count = 0;
};

struct BotListRequest {
  std::string publish_status;  // "" (server default), "all", "published_online", …
  PageRequest page;
};

struct BotList {
  std::vector<BotListItem> items;
  int64_t total = 0;
};

struct ConversationListRequest {
  PageRequest page{1, 50};
  std::string sort_order;  // "" (server default), "ASC" or "DESC"
};

struct ConversationList {
  std::vector<Conversation> conversations;
  bool has_more = false;
};

// A message sent with a conversation or chat (EnterMessage of the docs).
struct EnterMessage {
  std::string role = "user";
  std::string type;  // "" omits it; "question", "answer", …
  std::string content;
  std::string content_type = "text";
  boost::json::object meta_data;
};

struct ConversationCreateRequest {
  std::string bot_id;
  std::string name;
  std::vector<EnterMessage> messages;
  boost::json::object meta_data;
};

struct MessageListRequest {
  std::string order;  // "" (server default), "desc" or "asc"
  std::string chat_id, before_id, after_id;
  int limit = 0;  // 0: server default
};

// /v1/conversation/message/list: the cursors are top-level in the body (§3.1).
struct MessageList {
  std::vector<Message> messages;
  std::string first_id, last_id;
  bool has_more = false;
};

// One tool's answer for a chat in requires_action.
struct ToolOutput {
  std::string tool_call_id;
  std::string output;
};

struct ChatRequest {
  std::string bot_id;
  std::string user_id = "cozecpp";  // caller-defined end-user id
  std::string conversation_id;      // "" lets the server create one
  std::vector<EnterMessage> additional_messages;
  bool auto_save_history = true;  // must be true for non-streaming chats (4007)
  boost::json::object custom_variables, meta_data, extra_params;
  std::string connector_id;  // "" omits it
};

// One event of a chat stream. `chat` is set for conversation.chat.*, `message` for
// conversation.message.* / conversation.audio.*, `error` for `error`.
struct ChatEvent {
  std::string event;
  std::string data;  // the raw `data:` payload
  std::optional<Chat> chat;
  std::optional<Message> message;
  std::optional<Error> error;
  bool IsDone() const { return event == "done"; }
};

struct ChatPoll {
  Chat chat;
  std::vector<Message> messages;
};

struct VoiceListRequest {
  bool filter_system_voice = false;
  PageRequest page{1, 100};
};

struct VoiceList {
  std::vector<Voice> voice_list;
  bool has_more = false;
};

// --- workflows and apps (coze-protocol.md §3.4, §9)

// POST /v1/workflow/run and /v1/workflow/stream_run.
struct WorkflowRunRequest {
  std::string workflow_id;
  boost::json::object parameters;  // the start node's inputs
  std::string bot_id, app_id;      // "" omits them
  boost::json::object ext;
  bool is_async = false;  // run only: answer at once with the execute_id
};

// The answer of a run. Sync: `data` is the end node's output as a JSON string; for a run that
// stopped at a question node, `interrupt` says how to resume it. Async: only execute_id (and
// debug_url) — poll WorkflowRuns::History.
struct WorkflowRunResult {
  std::string execute_id, data, debug_url;
  std::optional<Usage> usage;
  std::optional<WorkflowInterrupt> interrupt;
};

// POST /v1/workflow/stream_resume: the answer to an Interrupt event.
struct WorkflowResumeRequest {
  std::string workflow_id, event_id, resume_data;
  int interrupt_type = 0;  // the Interrupt event's interrupt_data.type
};

// One event of a workflow stream: `id:` (counting from 0), `event:` and its decoded `data:`.
struct WorkflowEvent {
  int64_t id = 0;
  std::string event;                           // workflow_event::k…
  std::string data;                            // the raw `data:` payload
  std::optional<WorkflowMessage> message;      // Message
  std::optional<WorkflowInterrupt> interrupt;  // Interrupt
  std::optional<Error> error;                  // Error: {error_code, error_message}
  std::string debug_url;                       // Done
  bool IsDone() const { return event == "Done"; }
};

// How a workflow stream ended: at Done (debug_url) or at an Interrupt to resume. An Error event
// makes the call return that Error instead.
struct WorkflowStreamEnd {
  std::optional<WorkflowInterrupt> interrupt;
  std::string debug_url;
};

// POST /v1/workflows/chat: a chat-style stream with a chatflow.
struct WorkflowChatRequest {
  std::string workflow_id;
  std::vector<EnterMessage> additional_messages;
  boost::json::object parameters, ext;
  std::string app_id, bot_id, conversation_id;  // "" omits them
};

struct WorkflowListRequest {
  std::string workspace_id;
  std::string workflow_mode, app_id, publish_status;  // "" omits them
  PageRequest page;
};

struct WorkflowList {
  std::vector<WorkflowBasic> items;
  bool has_more = false;
};

struct AppListRequest {
  std::string workspace_id;
  std::string publish_status, connector_id;  // "" omits them
  PageRequest page;
};

struct AppList {
  std::vector<AppInfo> items;
  int64_t total = 0;
};

namespace workflow_event {
inline constexpr const char* kMessage = "Message";
inline constexpr const char* kInterrupt = "Interrupt";
inline constexpr const char* kError = "Error";
inline constexpr const char* kDone = "Done";
inline constexpr const char* kPing = "PING";  // heartbeat, `data: {}`
}  // namespace workflow_event

// Event names of chat streams (coze-protocol.md §9.2).
namespace chat_event {
inline constexpr const char* kChatCreated = "conversation.chat.created";
inline constexpr const char* kChatInProgress = "conversation.chat.in_progress";
inline constexpr const char* kChatCompleted = "conversation.chat.completed";
inline constexpr const char* kChatFailed = "conversation.chat.failed";
inline constexpr const char* kChatRequiresAction = "conversation.chat.requires_action";
inline constexpr const char* kMessageDelta = "conversation.message.delta";
inline constexpr const char* kMessageCompleted = "conversation.message.completed";
inline constexpr const char* kError = "error";
inline constexpr const char* kDone = "done";
}  // namespace chat_event

}  // namespace coze
