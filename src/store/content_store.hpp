#pragma once
// ContentStore: what the OpenAPI serves — bots (workspace-level), and conversations, messages,
// chats and file metadata (account-level; coze-protocol.md §9). File bytes live elsewhere (the
// data dir); the store keeps metadata only.
//
// Bumps the auth epoch (unit_of_work.hpp): none of these writes.
//
// Bot epoch: a counter of its own, apart from the auth epoch, that every write changing a stored
// bot increments in the same transaction — UpdateBot; CreateBot does not (nothing is cached of a
// bot before it exists). The API caches bots under it (api/auth/bot_cache.hpp), so a bot edit
// refreshes the bots without dropping every cached token and decision. BotEpoch() and
// OnBotEpochBump() behave as UnitOfWork's AuthEpoch() and OnAuthEpochBump().
//
// Thread safety and errors: as UnitOfWork (unit_of_work.hpp); calls join the backend's
// Transaction() on the same thread.

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "domain/model.hpp"
#include "store/types.hpp"

namespace cozeauth::store {

// Cursor query over a conversation's messages (coze-protocol.md §9.5).
struct MessageQuery {
  std::string conversation_id;
  std::string chat_id;    // optional filter
  std::string before_id;  // optional; "0" or empty = none
  std::string after_id;   // optional
  bool descending = true;
  int limit = 50;
};

struct MessagePage {
  std::vector<domain::Message> items;
  bool has_more = false;
};

class ContentStore {
 public:
  virtual ~ContentStore() = default;

  // --- bots (workspace-level)
  virtual Status CreateBot(const domain::Bot& bot) = 0;
  virtual Result<domain::Bot> GetBot(const std::string& id) = 0;
  // Replaces every mutable field; bumps the bot epoch (not the auth epoch).
  virtual Status UpdateBot(const domain::Bot& bot) = 0;
  // published: nullopt = all, true/false = filter.
  virtual Result<Paged<domain::Bot>> ListBots(const std::string& workspace_id,
                                              std::optional<bool> published, Page page) = 0;

  // --- conversations, messages, chats, files (account-level)
  virtual Status CreateConversation(const domain::Conversation& c) = 0;
  virtual Result<domain::Conversation> GetConversation(const std::string& id) = 0;
  virtual Status UpdateConversation(const domain::Conversation& c) = 0;
  virtual Status DeleteConversation(const std::string& id) = 0;  // and its messages and chats
  // Conversations of an account with a bot; newest first unless ascending.
  virtual Result<Paged<domain::Conversation>> ListConversations(const std::string& owner_account_id,
                                                                const std::string& bot_id,
                                                                const std::string& session_name,
                                                                bool ascending, Page page) = 0;

  virtual Status CreateMessage(const domain::Message& m) = 0;
  virtual Result<domain::Message> GetMessage(const std::string& id) = 0;
  virtual Status UpdateMessage(const domain::Message& m) = 0;
  virtual Status DeleteMessage(const std::string& id) = 0;
  virtual Result<MessagePage> ListMessages(const MessageQuery& q) = 0;
  // Messages of one chat in creation order.
  virtual Result<std::vector<domain::Message>> ListChatMessages(const std::string& chat_id) = 0;

  virtual Status CreateChat(const domain::Chat& chat) = 0;
  virtual Result<domain::Chat> GetChat(const std::string& id) = 0;
  virtual Status UpdateChat(const domain::Chat& chat) = 0;

  virtual Status CreateFile(const domain::File& f) = 0;
  virtual Result<domain::File> GetFile(const std::string& id) = 0;

  // --- bot epoch (see the header comment): BotEpoch() and OnBotEpochBump() work for bot writes
  // as UnitOfWork's AuthEpoch() and OnAuthEpochBump() do for the auth epoch (one listener, run
  // on the writing thread after the commit; set before concurrent use, cleared with nullptr).
  virtual Result<int64_t> BotEpoch() = 0;
  void OnBotEpochBump(std::function<void()> fn) {
    std::lock_guard lock(bot_bump_mu_);
    on_bot_bump_ = std::move(fn);
  }

 protected:
  // Backends call it after committing a write that bumped the bot epoch.
  void NotifyBotEpochBump() const {
    std::lock_guard lock(bot_bump_mu_);
    if (on_bot_bump_) on_bot_bump_();
  }

 private:
  mutable std::mutex bot_bump_mu_;  // as UnitOfWork's bump_mu_
  std::function<void()> on_bot_bump_;
};

}  // namespace cozeauth::store
