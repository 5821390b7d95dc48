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
#include <mutex>
#include <string>
#include <utility>

#include "api/auth/generation_cache.hpp"
#include "base/result.hpp"
#include "domain/model.hpp"
#include "store/content_store.hpp"

namespace cozeauth::api {

// One loaded copy of a bot, shared by every request that reads it until the bot generation moves
// (an update loads a new copy), with one rendering of it — e.g. its OpenAPI JSON — made by the
// first caller that asks and kept beside it, so that a cached read copies and builds nothing.
class CachedBot {
 public:
  explicit CachedBot(domain::Bot b) : bot(std::move(b)) {}
  CachedBot(const CachedBot&) = delete;
  CachedBot& operator=(const CachedBot&) = delete;

  const domain::Bot bot;

  // `render(bot)`, computed once per copy. Every caller must pass the same rendering.
  template <typename Render>
  const std::string& Rendered(Render&& render) const {
    std::call_once(rendered_once_, [&] { rendered_ = std::forward<Render>(render)(bot); });
    return rendered_;
  }

 private:
  mutable std::once_flag rendered_once_;
  mutable std::string rendered_;
};

class BotCache {
 public:
  static constexpr size_t kCapacity = 65'536;

  // Reads GetBot. The store must outlive the cache.
  BotCache(store::ContentStore& content, size_t shards);

  // The bot, or the store's error (kNotFound for an unknown id).
  Result<domain::Bot> Bot(const std::string& bot_id);
  // The same without a copy: the cached copy itself.
  Result<std::shared_ptr<const CachedBot>> Shared(const std::string& bot_id);

  void Invalidate() { cache_.Invalidate(); }
  CacheCounts Counts() const { return cache_.Counts(); }

 private:
  store::ContentStore& content_;
  GenerationCache<std::string, std::shared_ptr<const CachedBot>> cache_;
};

}  // namespace cozeauth::api
