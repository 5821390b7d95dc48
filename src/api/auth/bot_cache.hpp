#pragma once
// BotCache: bots by id, read through from the content store and cached per bot generation — the
// bot's own invalidation counter, apart from the tokens' and the decision facts'. Invalidate()
// is called when the store's bot epoch moves (an UpdateBot, in this process or another; see
// store/content_store.hpp), so no bot loaded before an update is served after the invalidation;
// a bot edit leaves the token and fact caches alone, and a token revocation leaves this one
// alone. Only found bots are cached: an id the store does not know (or a store fault) is read
// again on every call, so a bot another process creates is seen at once (creation bumps
// nothing). Bounded (kCapacity entries, CLOCK eviction).
//
// Thread-safe. The store must be safe for concurrent use; no lock is held across store I/O.

#include <cstddef>
#include <memory>
#include <string>

#include "api/auth/generation_cache.hpp"
#include "base/result.hpp"
#include "domain/model.hpp"
#include "store/content_store.hpp"

namespace cozeauth::api {

class BotCache {
 public:
  static constexpr size_t kCapacity = 65'536;

  // Reads GetBot. The store must outlive the cache.
  BotCache(store::ContentStore& content, size_t shards);

  // The bot, or the store's error (kNotFound for an unknown id).
  Result<domain::Bot> Bot(const std::string& bot_id);

  void Invalidate() { cache_.Invalidate(); }
  CacheCounts Counts() const { return cache_.Counts(); }

 private:
  store::ContentStore& content_;
  GenerationCache<std::string, std::shared_ptr<const domain::Bot>> cache_;
};

}  // namespace cozeauth::api
