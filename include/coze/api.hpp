#pragma once
// The API groups of coze::Client (coze-protocol.md §9.1), reached as client.users(),
// client.chat(), … Each method is one HTTP call (CreateAndPoll: several) and returns a Result;
// see client.hpp for the error contract. Groups hold a reference to their Client and are as
// thread-safe as it is.

#include <chrono>
#include <coze/error.hpp>
#include <coze/types.hpp>
#include <functional>
#include <string>
#include <vector>

namespace coze {

class Client;

class ApiGroup {
 public:
  explicit ApiGroup(Client& client) : client_(client) {}
  ApiGroup(const ApiGroup&) = delete;
  ApiGroup& operator=(const ApiGroup&) = delete;

 protected:
  Client& client_;
};

class Users : public ApiGroup {
 public:
  using ApiGroup::ApiGroup;
  Result<User> Me();
};

class Workspaces : public ApiGroup {
 public:
  using ApiGroup::ApiGroup;
  Result<WorkspaceList> List(PageRequest page = {});
};

class Bots : public ApiGroup {
 public:
  using ApiGroup::ApiGroup;
  Result<BotList> List(const std::string& workspace_id, BotListRequest request = {});
  Result<BotInfo> Retrieve(const std::string& bot_id);
};

class Conversations : public ApiGroup {
 public:
  using ApiGroup::ApiGroup;
  Result<Conversation> Create(const ConversationCreateRequest& request);
  Result<Conversation> Retrieve(const std::string& conversation_id);
  Result<ConversationList> List(const std::string& bot_id, ConversationListRequest request = {});
};

class Messages : public ApiGroup {
 public:
  using ApiGroup::ApiGroup;
  Result<Message> Create(const std::string& conversation_id, const std::string& role,
                         const std::string& content, const std::string& content_type = "text");
  Result<MessageList> List(const std::string& conversation_id,
                           const MessageListRequest& request = {});
};

class Chats : public ApiGroup {
 public:
  using ApiGroup::ApiGroup;
  using EventCallback = std::function<bool(const ChatEvent&)>;  // false: stop reading

  // Non-streaming chat (stream:false); the Chat usually is still in_progress.
  Result<Chat> Create(const ChatRequest& request);
  // Streaming chat. Calls `on_event` for each event in order; returns the last Chat object the
  // stream carried (normally the completed one), the `error` event's Error, or an Error when
  // the stream ended without any Chat.
  Result<Chat> Stream(const ChatRequest& request, const EventCallback& on_event);
  Result<Chat> Retrieve(const std::string& conversation_id, const std::string& chat_id);
  Result<std::vector<Message>> MessageList(const std::string& conversation_id,
                                           const std::string& chat_id);
  Result<Chat> Cancel(const std::string& conversation_id, const std::string& chat_id);
  // A chat in status requires_action resumes with the outputs of the tools it called
  // (POST /v3/chat/submit_tool_outputs, stream:false).
  Result<Chat> SubmitToolOutputs(const std::string& conversation_id, const std::string& chat_id,
                                 const std::vector<ToolOutput>& outputs);
  // Create, then Retrieve every `interval` until completed, failed, requires_action or
  // canceled (or `timeout` passes: the chat is cancelled and an Error returned), then the
  // chat's messages.
  Result<ChatPoll> CreateAndPoll(
      const ChatRequest& request,
      std::chrono::milliseconds interval = std::chrono::milliseconds(100),
      std::chrono::milliseconds timeout = std::chrono::minutes(10));
};

class Files : public ApiGroup {
 public:
  using ApiGroup::ApiGroup;
  // multipart/form-data, part "file".
  Result<File> Upload(const std::string& bytes, const std::string& filename);
  Result<File> UploadPath(const std::string& path);
  Result<File> Retrieve(const std::string& file_id);
};

class Audio : public ApiGroup {
 public:
  using ApiGroup::ApiGroup;
  Result<VoiceList> Voices(const VoiceListRequest& request = {});
};

}  // namespace coze
