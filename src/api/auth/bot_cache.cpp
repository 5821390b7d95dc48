#include "api/auth/bot_cache.hpp"

#include <utility>

namespace cozeauth::api {

BotCache::BotCache(store::ContentStore& content, size_t shards)
    : content_(content), cache_(kCapacity, shards) {}

Result<domain::Bot> BotCache::Bot(const std::string& bot_id) {
  auto shared = Shared(bot_id);
  if (!shared) return shared.error();
  return shared.value()->bot;
}

Result<std::shared_ptr<const CachedBot>> BotCache::Shared(const std::string& bot_id) {
  const uint64_t generation = cache_.Generation();
  if (auto hit = cache_.Find(bot_id, generation)) return std::move(*hit);
  Result<domain::Bot> bot = content_.GetBot(bot_id);
  if (!bot) return bot.error();
  auto loaded = std::make_shared<const CachedBot>(std::move(bot.value()));
  // Stored under the generation read before the store read: if an update lands in between, the
  // entry is already stale and is never served.
  cache_.Put(bot_id, generation, loaded);
  return loaded;
}

}  // namespace cozeauth::api
