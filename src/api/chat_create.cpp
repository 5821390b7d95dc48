#include "api/chat_create.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <mutex>
#include <optional>
#include <set>
#include <utility>

#include "api/chat_stream.hpp"
#include "api/json_input.hpp"
#include "api/resource_access.hpp"
#include "api/resource_input.hpp"
#include "api/resource_wire.hpp"
#include "runtime/bot_runtime.hpp"

namespace cozeauth::api {
namespace json = boost::json;
namespace {

constexpr size_t kMaxAdditionalMessages = 100;  // coze-py: "limited to 100"

struct ChatInput {
  std::string bot_id;
  std::optional<std::string> conversation_id;
  std::string connector_id = domain::kApiConnectorId;
  std::vector<EnterMessage> additional_messages;
  bool stream = false;
  bool auto_save_history = true;
  json::object meta_data;
};

// The caller's own user id: a string, or a number (the JS SDK generates a numeric one).
Status CheckUserId(const json::object& body) {
  const json::value* v = body.if_contains("user_id");
  if (v == nullptr || v->is_null() || v->is_string() || v->is_int64() || v->is_uint64()) return {};
  return Error::BadRequest("user_id", "user_id must be a string");
}

// Optional members that are accepted but do not change the built-in runtime's answer.
Status CheckPassThrough(const json::object& body) {
  for (std::string_view key :
       {"custom_variables", "extra_params", "parameters", "shortcut_command"}) {
    if (auto o = OptObject(body, key); !o) return o.error();
  }
  if (auto b = OptBool(body, "enable_card"); !b) return b.error();
  return CheckUserId(body);
}

Status ParseFlags(const json::object& body, ChatInput& in) {
  auto stream = OptBool(body, "stream");
  if (!stream) return stream.error();
  in.stream = stream.value().value_or(false);
  auto auto_save = OptBool(body, "auto_save_history");
  if (!auto_save) return auto_save.error();
  in.auto_save_history = auto_save.value().value_or(true);
  auto connector = OptId(body, "connector_id");
  if (!connector) return connector.error();
  if (connector.value()) in.connector_id = *connector.value();
  return {};
}

Result<ChatInput> ParseChatInput(const http::Request& req) {
  auto body = JsonBody(req);
  if (!body) return body.error();
  ChatInput in;
  auto bot_id = OptId(body.value(), "bot_id");
  if (!bot_id) return bot_id.error();
  if (!bot_id.value()) return Error::BadRequest("bot_id", "bot_id is required");
  in.bot_id = *bot_id.value();
  auto conversation_id = QueryId(req, "conversation_id");
  if (!conversation_id) return conversation_id.error();
  in.conversation_id = conversation_id.value();
  auto messages = ParseEnterMessages(body.value(), "additional_messages");
  if (!messages) return messages.error();
  if (messages->size() > kMaxAdditionalMessages) {
    return Error::BadRequest("additional_messages", "additional_messages allows at most 100");
  }
  in.additional_messages = std::move(messages.value());
  auto meta = ParseMetaData(body.value(), "meta_data", "meta_data");
  if (!meta) return meta.error();
  in.meta_data = std::move(meta.value());
  if (auto s = ParseFlags(body.value(), in); !s) return s.error();
  if (auto s = CheckPassThrough(body.value()); !s) return s.error();
  if (!in.stream && !in.auto_save_history) {
    return Error::Make(Errc::kStreamRequiresAutoSave,
                       "stream=false is only allowed when auto_save_history=true");
  }
  return in;
}

// Conversations with a chat running in this process (4016 for a second one). The built-in
// runtime completes a chat inside its request, so "in progress" exists only while that request
// runs; the store never holds an in_progress chat to look for. Processes sharing a store do not
// see each other's runs, which only allows two simultaneous chats in one conversation.
class RunningChats {
 public:
  class Lease {
   public:
    Lease(RunningChats* owner, std::string id) : owner_(owner), id_(std::move(id)) {}
    Lease(Lease&& other) noexcept : owner_(std::exchange(other.owner_, nullptr)), id_(other.id_) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (owner_ == nullptr) return;
      std::lock_guard lock(owner_->mu_);
      owner_->running_.erase(id_);
    }

   private:
    RunningChats* owner_;
    std::string id_;
  };

  static RunningChats& Instance() {
    static RunningChats instance;
    return instance;
  }

  std::optional<Lease> Begin(const std::string& conversation_id) {
    std::lock_guard lock(mu_);
    if (!running_.insert(conversation_id).second) return std::nullopt;
    return Lease(this, conversation_id);
  }

 private:
  std::mutex mu_;
  std::set<std::string> running_;
};

// The bot, authorized for `chat` on its workspace and published to the requested connector.
std::optional<http::Response> LoadChatBot(Call& c, const ChatInput& in, domain::Bot& bot) {
  if (auto err = LoadBot(c, in.bot_id, bot)) return err;
  const auto& ids = bot.connector_ids;
  if (!bot.is_published || std::find(ids.begin(), ids.end(), in.connector_id) == ids.end()) {
    return c.Fail(
        Error::Make(Errc::kBotNotPublished,
                    "bot " + bot.id + " has not been published to connector " + in.connector_id));
  }
  return std::nullopt;
}

// The named conversation (reached by the credential), or a new one owned by the acting account.
std::optional<http::Response> ResolveConversation(Call& c, const ChatInput& in,
                                                  const domain::Bot& bot,
                                                  domain::Conversation& conv, bool& is_new) {
  is_new = !in.conversation_id;
  if (!is_new) return LoadConversation(c, *in.conversation_id, conv, TargetRole::kSecondary);
  conv.id = c.deps.ids.Next();
  conv.owner_account_id = c.principal.acting_account_id();
  conv.session_name = c.principal.session_name;
  conv.bot_id = bot.id;
  conv.creator_id = c.principal.user_id;
  conv.connector_id = in.connector_id;
  conv.last_section_id = c.deps.ids.Next();
  conv.created_at = conv.updated_at = c.deps.clock.NowSeconds();
  return std::nullopt;
}

struct ChatRun {
  domain::Chat chat;
  std::vector<domain::Message> questions;  // the caller's additional messages
  domain::Message answer;
};

// Runs the built-in runtime: the input is the last user message (empty when there is none).
ChatRun Run(Call& c, const ChatInput& in, const domain::Bot& bot,
            const domain::Conversation& conv) {
  const int64_t now = c.deps.clock.NowSeconds();
  ChatRun run;
  domain::Chat& chat = run.chat;
  chat.id = c.deps.ids.Next();
  chat.conversation_id = conv.id;
  chat.bot_id = bot.id;
  chat.owner_account_id = conv.owner_account_id;
  chat.section_id = conv.last_section_id;
  chat.status = "completed";
  chat.meta_data_json = MetaDataJson(in.meta_data);
  chat.created_at = chat.completed_at = now;
  std::string input;
  for (const auto& m : in.additional_messages) {
    if (m.role == "user") input = InputText(m.content_type, m.content);
    run.questions.push_back(NewMessage(m, conv, bot.id, chat.id, c.deps.ids.Next(), now));
  }
  EnterMessage reply{"assistant", "answer", runtime::Reply(bot.prompt, input), "text", {}};
  chat.input_count = runtime::CountTokens(input);
  chat.output_count = runtime::CountTokens(reply.content);
  run.answer = NewMessage(reply, conv, bot.id, chat.id, c.deps.ids.Next(), now);
  return run;
}

// One transaction: the new conversation, the chat and (auto_save_history) its messages.
Status Persist(Call& c, const ChatInput& in, const ChatRun& run, const domain::Conversation& conv,
               bool is_new) {
  store::Store& store = c.deps.store;
  return store.Transaction([&]() -> Status {
    if (is_new) {
      if (auto s = store.CreateConversation(conv); !s) return s;
    }
    if (auto s = store.CreateChat(run.chat); !s) return s;
    if (!in.auto_save_history) return {};
    for (const auto& m : run.questions) {
      if (auto s = store.CreateMessage(m); !s) return s;
    }
    return store.CreateMessage(run.answer);
  });
}

}  // namespace

http::Response CreateChat(Call& c) {
  auto in = ParseChatInput(c.req);
  if (!in) return c.Fail(in.error());
  domain::Bot bot;
  if (auto err = LoadChatBot(c, in.value(), bot)) return *err;
  domain::Conversation conv;
  bool is_new = false;
  if (auto err = ResolveConversation(c, in.value(), bot, conv, is_new)) return *err;
  auto lease = RunningChats::Instance().Begin(conv.id);
  if (!lease) {
    return c.Fail(Error::Make(Errc::kChatRunning,
                              "conversation " + conv.id + " already has a chat in progress"));
  }
  ChatRun run = Run(c, in.value(), bot, conv);
  if (auto s = Persist(c, in.value(), run, conv, is_new); !s) return c.Fail(s.error());
  if (!in->stream) return c.Ok(json::value_from(ToWire(run.chat)));
  http::Response res;
  res.sse = true;
  res.events = CompletedChatEvents(run.chat, run.answer);
  return res;
}

}  // namespace cozeauth::api
