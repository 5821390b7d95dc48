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
