#include "admin/bots.hpp"

#include <algorithm>

#include "base/ids.hpp"

namespace cozeauth::admin {

Result<domain::Bot> CreateBot(Env& env, const BotSpec& spec) {
  const BotFields fields{spec.name, spec.description, spec.prompt, spec.prologue};
  if (auto s = ValidateBotFields(fields, BotFieldsUse::kCreate); !s) return s.error();
  auto ws = env.store.GetWorkspace(spec.workspace_id);
  if (!ws) return Error::Make(ws.error().code, "workspace " + spec.workspace_id + " not found");
  const int64_t now = env.clock.NowSeconds();
  domain::Bot bot;
  bot.id = env.ids.Next();
  bot.workspace_id = spec.workspace_id;
  bot.name = spec.name;
  bot.description = spec.description;
  bot.prompt = spec.prompt;
  bot.prologue = spec.prologue;
  bot.owner_user_id = spec.owner_user_id.empty() ? ws->owner_user_id : spec.owner_user_id;
  bot.created_at = bot.updated_at = now;
  if (spec.publish) {
    bot.is_published = true;
    bot.published_at = now;
    bot.connector_ids = {domain::kApiConnectorId};
  }
  if (auto r = env.store.CreateBot(bot); !r) return r.error();
  return bot;
}

Status ValidateBotFields(const BotFields& fields, BotFieldsUse use) {
  if (fields.name) {
    if (fields.name->empty() || fields.name->size() > kMaxBotNameChars) {
      return Error::BadRequest("name", "name must be 1-100 characters");
    }
  } else if (use == BotFieldsUse::kCreate) {
    return Error::BadRequest("name", "name is required");
  }
  if (fields.prompt && fields.prompt->size() > kMaxBotPromptChars) {
    return Error::BadRequest("prompt", "prompt must be at most 20000 characters");
  }
  return {};
}

Result<domain::Bot> UpdateBot(Env& env, domain::Bot bot, const BotFields& fields) {
  if (auto s = ValidateBotFields(fields, BotFieldsUse::kUpdate); !s) return s.error();
  if (fields.name) bot.name = *fields.name;
  if (fields.description) bot.description = *fields.description;
  if (fields.prompt) bot.prompt = *fields.prompt;
  if (fields.prologue) bot.prologue = *fields.prologue;
  bot.updated_at = env.clock.NowSeconds();
  if (auto s = env.store.UpdateBot(bot); !s) return s.error();
  return bot;
}

Result<std::vector<std::string>> PublishConnectors(
    const std::optional<std::vector<std::string>>& named) {
  if (!named) return std::vector<std::string>{domain::kApiConnectorId};
  if (named->empty()) return Error::BadRequest("connector_ids", "connector_ids is empty");
  for (const auto& id : *named) {
    if (!IsNumericId(id)) {
      return Error::BadRequest("connector_ids", "connector ids are numeric strings");
    }
  }
  return *named;
}

Result<domain::Bot> PublishBot(Env& env, domain::Bot bot,
                               const std::optional<std::vector<std::string>>& connector_ids) {
  auto ids = PublishConnectors(connector_ids);
  if (!ids) return ids.error();
  for (const auto& id : ids.value()) {
    if (std::find(bot.connector_ids.begin(), bot.connector_ids.end(), id) ==
        bot.connector_ids.end()) {
      bot.connector_ids.push_back(id);
    }
  }
  const int64_t now = env.clock.NowSeconds();
  bot.is_published = true;
  bot.published_at = now;
  bot.updated_at = now;
  if (auto s = env.store.UpdateBot(bot); !s) return s.error();
  return bot;
}

Result<domain::Bot> UnpublishBot(Env& env, domain::Bot bot,
                                 const std::optional<std::string>& connector_id) {
  std::erase(bot.connector_ids, connector_id.value_or(domain::kApiConnectorId));
  bot.is_published = !bot.connector_ids.empty();
  bot.updated_at = env.clock.NowSeconds();
  if (auto s = env.store.UpdateBot(bot); !s) return s.error();
  return bot;
}

}  // namespace cozeauth::admin
