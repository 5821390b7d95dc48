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

// client.workflows().runs(): run, stream, resume, history (coze-protocol.md §3.4, §9).
class WorkflowRuns : public ApiGroup {
 public:
  using ApiGroup::ApiGroup;
  using EventCallback = std::function<bool(const WorkflowEvent&)>;  // false: stop reading

  // POST /v1/workflow/run: sync (the output, or the interrupt to resume) or, with is_async, the
  // execute_id at once.
  Result<WorkflowRunResult> Create(const WorkflowRunRequest& request);
  // POST /v1/workflow/stream_run: each event (PING included) to `on_event`, in order. Returns how
  // the stream ended; an Error event is the call's Error (code = error_code); a stream that ends
  // without Done or Interrupt is an Error (kClientErrorCode).
  Result<WorkflowStreamEnd> Stream(const WorkflowRunRequest& request,
                                   const EventCallback& on_event);
  // POST /v1/workflow/stream_resume: the answer to an Interrupt; the same stream contract.
  Result<WorkflowStreamEnd> Resume(const WorkflowResumeRequest& request,
                                   const EventCallback& on_event);
  // GET /v1/workflows/{workflow_id}/run_histories/{execute_id}.
  Result<std::vector<WorkflowRunHistory>> History(const std::string& workflow_id,
                                                  const std::string& execute_id);
};

// client.workflows().chat(): POST /v1/workflows/chat, a chat-style stream (Chats::Stream's
// contract: the last Chat, or the `error` event's Error).
class WorkflowChats : public ApiGroup {
 public:
  using ApiGroup::ApiGroup;
  Result<Chat> Stream(const WorkflowChatRequest& request, const Chats::EventCallback& on_event);
};

class Workflows : public ApiGroup {
 public:
  explicit Workflows(Client& client) : ApiGroup(client), runs_(client), chat_(client) {}
  WorkflowRuns& runs() { return runs_; }
  WorkflowChats& chat() { return chat_; }
  // GET /v1/workflows?workspace_id=…
  Result<WorkflowList> List(const WorkflowListRequest& request);
  // GET /v1/workflows/{workflow_id}: `workflow_detail`.
  Result<WorkflowBasic> Get(const std::string& workflow_id);

 private:
  WorkflowRuns runs_;
  WorkflowChats chat_;
};

// client.apps(): GET /v1/apps?workspace_id=… — Coze apps, the projects that hold workflows.
class Apps : public ApiGroup {
 public:
  using ApiGroup::ApiGroup;
  Result<AppList> List(const AppListRequest& request);
};

class Audio : public ApiGroup {
 public:
  using ApiGroup::ApiGroup;
  Result<VoiceList> Voices(const VoiceListRequest& request = {});
};

}  // namespace coze
