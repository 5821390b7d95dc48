// POST /v1/workflows/chat (coze-protocol.md §3.4, §9.1): a workflow run as a chat, streamed with
// the chat events of /v3/chat (api/chat_stream.hpp). The text of the last user message of
// additional_messages is the parameter USER_INPUT (beside the body's parameters); the answer is
// the workflow's output — the value itself when the output is a single string, else its JSON —
// or, when the run stops at a question node, the question. The chat and its answer are not
// stored (the execution is, in the run history); a conversation_id, when given, must be one the
// credential reaches and is echoed. Errors, a failed run included, are a JSON body.

#include <boost/json.hpp>

#include "api/chat_stream.hpp"
#include "api/json_input.hpp"
#include "api/resource_access.hpp"
#include "api/resource_input.hpp"
#include "api/workflow_exec.hpp"

namespace cozeauth::api {
namespace json = boost::json;
namespace {

constexpr size_t kMaxAdditionalMessages = 100;

// The text of the last user message; 4000 if there is none.
Result<std::string> LastUserInput(const json::object& body) {
  auto messages = ParseEnterMessages(body, "additional_messages");
  if (!messages) return messages.error();
  if (messages->size() > kMaxAdditionalMessages) {
    return Error::BadRequest("additional_messages", "additional_messages allows at most 100");
  }
  for (auto it = messages->rbegin(); it != messages->rend(); ++it) {
    if (it->role == "user") return InputText(it->content_type, it->content);
  }
  return Error::BadRequest("additional_messages", "additional_messages needs a user message");
}

std::string WithUserInput(const std::string& parameters, const std::string& text) {
  json::value v = json::parse(parameters);  // ReadRunInput made it an object
  v.as_object()["USER_INPUT"] = text;
  return json::serialize(v);
}

std::string AnswerOf(const Execution& run) {
  if (run.record.status == domain::ExecutionStatus::kInterrupted) {
    for (const auto& e : run.outcome.events) {
      if (e.kind == runtime::WorkflowEvent::Kind::kInterrupt) return e.content;
    }
    return "";
  }
  boost::system::error_code ec;
  json::value out = json::parse(run.record.output, ec);
  if (!ec && out.is_object() && out.as_object().size() == 1 &&
      out.as_object().begin()->value().is_string()) {
    return std::string(out.as_object().begin()->value().as_string());
  }
  return run.record.output;
}

}  // namespace

http::Response WorkflowChat(Call& c) {
  auto body = JsonBody(c.req);
  if (!body) return c.Fail(body.error());
  auto in = ReadRunInput(body.value());
  if (!in) return c.Fail(in.error());
  auto user_input = LastUserInput(body.value());
  if (!user_input) return c.Fail(user_input.error());
  auto conversation_id = OptId(body.value(), "conversation_id");
  if (!conversation_id) return c.Fail(conversation_id.error());
  auto bot_id = OptId(body.value(), "bot_id");
  if (!bot_id) return c.Fail(bot_id.error());

  std::optional<RunnableWorkflow> wf;
  if (auto err = LoadRunnable(c, in->workflow_id, wf)) return *err;
  domain::Conversation conv;
  if (conversation_id.value()) {
    if (auto err = LoadConversation(c, *conversation_id.value(), conv, TargetRole::kSecondary)) {
      return *err;
    }
  } else {
    conv.id = c.deps.ids.Next();
  }
  auto run = StartExecution(c, *wf, WithUserInput(in->parameters, user_input.value()),
                            /*is_async=*/false);
  if (!run) return c.Fail(run.error());
  if (run->record.status == domain::ExecutionStatus::kFail) {
    return c.Fail(
        Error::Make(static_cast<Errc>(run->record.error_code), run->record.error_message));
  }

  const int64_t now = c.deps.clock.NowSeconds();
  domain::Chat chat;
  chat.id = c.deps.ids.Next();
  chat.conversation_id = conv.id;
  chat.bot_id = bot_id.value().value_or("");
  chat.owner_account_id = c.principal.acting_account_id();
  chat.section_id = conv.last_section_id.empty() ? conv.id : conv.last_section_id;
  chat.status = "completed";
  chat.created_at = chat.completed_at = now;
  chat.input_count = run->record.input_count;
  chat.output_count = run->record.output_count;
  domain::Message answer;
  answer.id = c.deps.ids.Next();
  answer.conversation_id = conv.id;
  answer.bot_id = chat.bot_id;
  answer.chat_id = chat.id;
  answer.section_id = chat.section_id;
  answer.role = "assistant";
  answer.type = "answer";
  answer.content = AnswerOf(run.value());
  answer.created_at = answer.updated_at = now;
  http::Response res;
  res.sse = true;
  res.events = CompletedChatEvents(chat, answer);
  return res;
}

}  // namespace cozeauth::api
