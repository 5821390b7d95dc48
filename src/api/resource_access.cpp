#include "api/resource_access.hpp"

#include "base/ids.hpp"

namespace cozeauth::api {
namespace {

std::optional<http::Response> BadId(Call& c, std::string_view field) {
  return c.Fail(
      Error::BadRequest(std::string(field), std::string(field) + " must be a numeric id"));
}

// A store lookup: true when found; false when missing; a fault becomes `fault`.
template <typename T>
bool Found(const Result<T>& r, std::optional<Error>& fault) {
  if (r) return true;
  if (r.error().code != Errc::kNotFound) fault = r.error();
  return false;
}

}  // namespace

std::optional<http::Response> LoadCachedBot(Call& c, const std::string& bot_id,
                                            std::shared_ptr<const CachedBot>& out) {
  if (!IsNumericId(bot_id)) return BadId(c, "bot_id");
  auto found = c.deps.auth.SharedBot(bot_id);
  std::optional<Error> fault;
  policy::WorkspaceTarget target;  // exists = false
  if (Found(found, fault)) target = c.WorkspaceTarget(found.value()->bot.workspace_id);
  target.bot_id = bot_id;
  if (fault) return c.Fail(*fault);
  if (auto denied = c.Authorize(target, Errc::kBotNotFound)) return denied;
  out = std::move(found.value());
  return std::nullopt;
}

std::optional<http::Response> LoadBot(Call& c, const std::string& bot_id, domain::Bot& out) {
  std::shared_ptr<const CachedBot> cached;
  if (auto err = LoadCachedBot(c, bot_id, cached)) return err;
  out = cached->bot;
  return std::nullopt;
}

std::optional<http::Response> LoadConversation(Call& c, const std::string& id,
                                               domain::Conversation& out, TargetRole role,
                                               std::string_view field) {
  if (!IsNumericId(id)) return BadId(c, field);
  auto found = c.deps.store.GetConversation(id);
  std::optional<Error> fault;
  const bool exists = Found(found, fault);
  if (fault) return c.Fail(*fault);
  policy::AccountTarget target =
      exists ? c.AccountTarget(true, found->owner_account_id, found->session_name)
             : c.AccountTarget(false, "", "");
  auto denied = role == TargetRole::kPrimary ? c.Authorize(target, Errc::kConversationNotFound)
                                             : c.Reach(target, Errc::kConversationNotFound);
  if (denied) return denied;
  out = std::move(found.value());
  return std::nullopt;
}

std::optional<http::Response> LoadChat(Call& c, const std::string& conversation_id,
                                       const std::string& chat_id, domain::Chat& out) {
  if (!IsNumericId(conversation_id)) return BadId(c, "conversation_id");
  if (!IsNumericId(chat_id)) return BadId(c, "chat_id");
  std::optional<Error> fault;
  auto chat = c.deps.store.GetChat(chat_id);
  bool exists = Found(chat, fault) && chat->conversation_id == conversation_id;
  // The chat has no session of its own: JWT session isolation follows its conversation.
  std::string session_name;
  if (exists) {
    auto conversation = c.deps.store.GetConversation(conversation_id);
    exists = Found(conversation, fault);
    if (exists) session_name = conversation->session_name;
  }
  if (fault) return c.Fail(*fault);
  policy::AccountTarget target = exists
                                     ? c.AccountTarget(true, chat->owner_account_id, session_name)
                                     : c.AccountTarget(false, "", "");
  if (auto denied = c.Authorize(target, Errc::kChatNotFound)) return denied;
  out = std::move(chat.value());
  return std::nullopt;
}

std::optional<http::Response> LoadMessage(Call& c, const std::string& conversation_id,
                                          const std::string& message_id, domain::Message& out) {
  if (!IsNumericId(message_id)) return BadId(c, "message_id");
  auto found = c.deps.store.GetMessage(message_id);
  std::optional<Error> fault;
  if (!Found(found, fault) || found->conversation_id != conversation_id) {
    if (fault) return c.Fail(*fault);
    return c.Fail(Error::Make(Errc::kMessageNotFound,
                              "message " + message_id + " not found in this conversation"));
  }
  out = std::move(found.value());
  return std::nullopt;
}

}  // namespace cozeauth::api
