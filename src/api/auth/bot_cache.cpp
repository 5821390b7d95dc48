#include "api/auth/bot_cache.hpp"

#include <utility>

namespace cozeauth::api {

BotCache::BotCache(store::ContentStore& content, size_t shards)
    : content_(content), cache_(kCapacity, shards) {}

Result<domain::Bot> BotCache::Bot(const std::string& bot_id) {
  const uint64_t generation = cache_.Generation();
  if (auto hit = cache_.Find(bot_id, generation)) return **hit;
  Result<domain::Bot> bot = content_.GetBot(bot_id);
  // Stored under the generation read before the store read: if an update lands in between, the
  // entry is already stale and is never served.
  if (bot) cache_.Put(bot_id, generation, std::make_shared<const domain::Bot>(bot.value()));
  return bot;
}

}  // namespace cozeauth::api
