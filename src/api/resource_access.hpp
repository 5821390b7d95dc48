#pragma once
// Loading the resource a request names and applying the decision to it
// (architecture.md §5 steps 3 and 5). Each loader validates the id (4000 naming the field),
// reads the store, and authorizes the route's point: on success the out-parameter holds the
// resource and nullopt is returned; otherwise the returned response is the error to send
// (4000, the endpoint's not-found code, 4101, or 5000 for a store fault).

#include <memory>
#include <optional>
#include <string>

#include "api/openapi_route.hpp"
#include "domain/model.hpp"

namespace cozeauth::api {

// How the conversation takes part in the request's decision.
enum class TargetRole {
  kPrimary,    // the route's target: the full decision (Call::Authorize)
  kSecondary,  // e.g. the conversation of a /v3/chat whose target is the bot (Call::Reach)
};

// Bot `bot_id` with the route's point authorized on its workspace (a workspace-level target);
// unknown → 4006.
std::optional<http::Response> LoadBot(Call& c, const std::string& bot_id, domain::Bot& out);
// The same, handing out the cached copy instead of copying it.
std::optional<http::Response> LoadCachedBot(Call& c, const std::string& bot_id,
                                            std::shared_ptr<const CachedBot>& out);

// Conversation `id` (the field is named `field` in errors); unknown → 4002.
std::optional<http::Response> LoadConversation(Call& c, const std::string& id,
                                               domain::Conversation& out,
                                               TargetRole role = TargetRole::kPrimary,
                                               std::string_view field = "conversation_id");

// Chat `chat_id` of conversation `conversation_id`, authorized through its owner account and
// the conversation's session; unknown, or of another conversation → 4001.
std::optional<http::Response> LoadChat(Call& c, const std::string& conversation_id,
                                       const std::string& chat_id, domain::Chat& out);

// Message `message_id` of the already authorized conversation `conversation_id`; unknown, or
// of another conversation → 4005.
std::optional<http::Response> LoadMessage(Call& c, const std::string& conversation_id,
                                          const std::string& message_id, domain::Message& out);

}  // namespace cozeauth::api
