#pragma once
// Bots (coze-protocol.md §9.1) as the OpenAPI (api/bot_routes.cpp) and the operator CLI
// (`cozeauth admin bot create`) change them: which field values are valid, what an update may
// change, and how publishing moves a bot between draft and published on its connectors. Same
// contract as operations.hpp: complete validation before any write, bad input → kBadRequest
// naming the field, nothing written on error.
//
// Who may act is not decided here: the OpenAPI routes authorize first (points createBot, edit,
// publish, disconnectBot on the bot's workspace) and hand over the bot they loaded, which is
// written back whole (concurrent edits of one bot: the last write wins). Synchronous; safe for
// concurrent use (all state is in the store).

#include <optional>
#include <string>
#include <vector>

#include "admin/operations.hpp"
#include "base/result.hpp"
#include "domain/model.hpp"

namespace cozeauth::admin {

inline constexpr size_t kMaxBotNameChars = 100;
inline constexpr size_t kMaxBotPromptChars = 20000;

struct BotSpec {
  std::string workspace_id;
  std::string name;
  std::string description;
  std::string prompt;
  std::string prologue;
  std::string owner_user_id;  // empty: the workspace owner
  bool publish = false;       // to the API channel (domain::kApiConnectorId)
};
// Name 1–100 characters, prompt at most 20000; the workspace must exist.
Result<domain::Bot> CreateBot(Env& env, const BotSpec& spec);

// The editable fields of a bot as an OpenAPI create or update body gives them; nullopt = not
// given (left as it is by an update).
struct BotFields {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> prompt;    // prompt_info.prompt
  std::optional<std::string> prologue;  // onboarding_info.prologue
};
enum class BotFieldsUse { kCreate, kUpdate };
// A given name has 1–100 characters (creating needs one) and a given prompt at most 20000, the
// same for CreateBot (CLI), the create route and UpdateBot. Checked by UpdateBot itself; the create
// route checks it before authorizing, so bad input is a 4000 whoever sends it.
Status ValidateBotFields(const BotFields& fields, BotFieldsUse use);
// Applies the given fields to `bot` (validated as above), sets updated_at to now and stores it.
// Publication and connectors do not change.
Result<domain::Bot> UpdateBot(Env& env, domain::Bot bot, const BotFields& fields);

// The connectors a publish request names: none = the API channel only; a list must be non-empty
// and hold numeric strings.
Result<std::vector<std::string>> PublishConnectors(
    const std::optional<std::vector<std::string>>& named);
// Publishes `bot` to the connectors (PublishConnectors rules) in addition to those it is on,
// keeping their order without duplicates; published_at = updated_at = now. The new version of
// the bot is its published_at.
Result<domain::Bot> PublishBot(Env& env, domain::Bot bot,
                               const std::optional<std::vector<std::string>>& connector_ids);
// Takes `bot` off one connector (none = the API channel; one it is not on changes nothing but
// updated_at); the bot stays published while it is on any connector. published_at is kept.
Result<domain::Bot> UnpublishBot(Env& env, domain::Bot bot,
                                 const std::optional<std::string>& connector_id);

}  // namespace cozeauth::admin
