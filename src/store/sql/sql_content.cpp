// SqlStore: conversations, messages, chats and files (account-level resources).
#include <algorithm>
#include <limits>

#include "store/sql/codec.hpp"
#include "store/sql/sql_store.hpp"

namespace cozeauth::store::sql {
namespace {

constexpr char kInsertConversation[] =
    "INSERT INTO conversations (id, owner_account_id, session_name, bot_id, name, meta_data, "
    "creator_id, connector_id, last_section_id, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kSelectConversation[] =
    "SELECT id, owner_account_id, session_name, bot_id, name, meta_data, creator_id, "
    "connector_id, last_section_id, created_at, updated_at FROM conversations WHERE id = ?";
constexpr char kUpdateConversation[] =
    "UPDATE conversations SET bot_id = ?, name = ?, meta_data = ?, connector_id = ?, "
    "last_section_id = ?, updated_at = ? WHERE id = ?";
constexpr char kDeleteConversationMessages[] = "DELETE FROM messages WHERE conversation_id = ?";
constexpr char kDeleteConversationChats[] = "DELETE FROM chats WHERE conversation_id = ?";
constexpr char kDeleteConversation[] = "DELETE FROM conversations WHERE id = ?";
// ?2 = '' lists the conversations with every bot.
constexpr char kCountConversations[] =
    "SELECT COUNT(*) FROM conversations "
    "WHERE owner_account_id = ?1 AND (?2 = '' OR bot_id = ?2) AND session_name = ?3";
constexpr char kListConversationsDesc[] =
    "SELECT id, owner_account_id, session_name, bot_id, name, meta_data, creator_id, "
    "connector_id, last_section_id, created_at, updated_at FROM conversations "
    "WHERE owner_account_id = ?1 AND (?2 = '' OR bot_id = ?2) AND session_name = ?3 "
    "ORDER BY created_at DESC, id DESC LIMIT ?4 OFFSET ?5";
constexpr char kListConversationsAsc[] =
    "SELECT id, owner_account_id, session_name, bot_id, name, meta_data, creator_id, "
    "connector_id, last_section_id, created_at, updated_at FROM conversations "
    "WHERE owner_account_id = ?1 AND (?2 = '' OR bot_id = ?2) AND session_name = ?3 "
    "ORDER BY created_at ASC, id ASC LIMIT ?4 OFFSET ?5";

// Conversations of an account with the bots of one workspace (what a migration leaves behind).
constexpr char kCountConversationsOfWorkspaceBots[] =
    "SELECT COUNT(*) FROM conversations c JOIN bots b ON b.id = c.bot_id "
    "WHERE b.workspace_id = ?1 AND c.owner_account_id = ?2";
constexpr char kListConversationsOfWorkspaceBots[] =
    "SELECT c.id, c.owner_account_id, c.session_name, c.bot_id, c.name, c.meta_data, "
    "c.creator_id, c.connector_id, c.last_section_id, c.created_at, c.updated_at "
    "FROM conversations c JOIN bots b ON b.id = c.bot_id "
    "WHERE b.workspace_id = ?1 AND c.owner_account_id = ?2 "
    "ORDER BY c.created_at DESC, c.id DESC LIMIT ?3";

constexpr char kInsertMessage[] =
    "INSERT INTO messages (id, conversation_id, bot_id, chat_id, section_id, role, type, "
    "content, content_type, meta_data, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kSelectMessage[] =
    "SELECT id, conversation_id, bot_id, chat_id, section_id, role, type, content, "
    "content_type, meta_data, created_at, updated_at FROM messages WHERE id = ?";
constexpr char kUpdateMessage[] =
    "UPDATE messages SET bot_id = ?, chat_id = ?, section_id = ?, role = ?, type = ?, "
    "content = ?, content_type = ?, meta_data = ?, updated_at = ? WHERE id = ?";
constexpr char kDeleteMessage[] = "DELETE FROM messages WHERE id = ?";
constexpr char kSelectMessagePosition[] =
    "SELECT created_at, seq FROM messages WHERE id = ? AND conversation_id = ?";
// Messages order by (created_at, seq); ?3..?6 bound the position strictly on both sides.
constexpr char kListMessagesDesc[] =
    "SELECT id, conversation_id, bot_id, chat_id, section_id, role, type, content, "
    "content_type, meta_data, created_at, updated_at FROM messages "
    "WHERE conversation_id = ?1 AND (?2 = '' OR chat_id = ?2) "
    "AND (created_at, seq) > (?3, ?4) AND (created_at, seq) < (?5, ?6) "
    "ORDER BY created_at DESC, seq DESC LIMIT ?7";
constexpr char kListMessagesAsc[] =
    "SELECT id, conversation_id, bot_id, chat_id, section_id, role, type, content, "
    "content_type, meta_data, created_at, updated_at FROM messages "
    "WHERE conversation_id = ?1 AND (?2 = '' OR chat_id = ?2) "
    "AND (created_at, seq) > (?3, ?4) AND (created_at, seq) < (?5, ?6) "
    "ORDER BY created_at ASC, seq ASC LIMIT ?7";
constexpr char kListChatMessages[] =
    "SELECT id, conversation_id, bot_id, chat_id, section_id, role, type, content, "
    "content_type, meta_data, created_at, updated_at FROM messages WHERE chat_id = ? "
    "ORDER BY created_at, seq";

constexpr char kInsertChat[] =
    "INSERT INTO chats (id, conversation_id, bot_id, owner_account_id, section_id, status, "
    "meta_data, created_at, completed_at, input_count, output_count) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kSelectChat[] =
    "SELECT id, conversation_id, bot_id, owner_account_id, section_id, status, meta_data, "
    "created_at, completed_at, input_count, output_count FROM chats WHERE id = ?";
constexpr char kUpdateChat[] =
    "UPDATE chats SET bot_id = ?, section_id = ?, status = ?, meta_data = ?, completed_at = ?, "
    "input_count = ?, output_count = ? WHERE id = ?";

constexpr char kInsertFile[] =
    "INSERT INTO files (id, owner_account_id, file_name, bytes, sha256_hex, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?)";
constexpr char kSelectFile[] =
    "SELECT id, owner_account_id, file_name, bytes, sha256_hex, created_at FROM files "
    "WHERE id = ?";

constexpr int kMaxMessageLimit = 50;  // coze-protocol.md §9.5

Result<domain::Conversation> ConversationFromRow(Statement& r) {
  domain::Conversation c;
  c.id = r.Text(0);
  c.owner_account_id = r.Text(1);
  c.session_name = r.Text(2);
  c.bot_id = r.Text(3);
  c.name = r.Text(4);
  c.meta_data_json = r.Text(5);
  c.creator_id = r.Text(6);
  c.connector_id = r.Text(7);
  c.last_section_id = r.Text(8);
  c.created_at = r.Int(9);
  c.updated_at = r.Int(10);
  return c;
}

Result<domain::Message> MessageFromRow(Statement& r) {
  domain::Message m;
  m.id = r.Text(0);
  m.conversation_id = r.Text(1);
  m.bot_id = r.Text(2);
  m.chat_id = r.Text(3);
  m.section_id = r.Text(4);
  m.role = r.Text(5);
  m.type = r.Text(6);
  m.content = r.Text(7);
  m.content_type = r.Text(8);
  m.meta_data_json = r.Text(9);
  m.created_at = r.Int(10);
  m.updated_at = r.Int(11);
  return m;
}

Result<domain::Chat> ChatFromRow(Statement& r) {
  domain::Chat c;
  c.id = r.Text(0);
  c.conversation_id = r.Text(1);
  c.bot_id = r.Text(2);
  c.owner_account_id = r.Text(3);
  c.section_id = r.Text(4);
  c.status = r.Text(5);
  c.meta_data_json = r.Text(6);
  c.created_at = r.Int(7);
  c.completed_at = r.Int(8);
  c.input_count = r.Int(9);
  c.output_count = r.Int(10);
  return c;
}

Result<domain::File> FileFromRow(Statement& r) {
  return domain::File{r.Text(0), r.Text(1), r.Text(2), r.Int(3), r.Text(4), r.Int(5)};
}

// A message's place in the (created_at, seq) order.
struct Position {
  int64_t created_at;
  int64_t seq;
};
constexpr Position kBeforeAll{std::numeric_limits<int64_t>::min(),
                              std::numeric_limits<int64_t>::min()};
constexpr Position kAfterAll{std::numeric_limits<int64_t>::max(),
                             std::numeric_limits<int64_t>::max()};

// "0" or empty means no cursor (coze-protocol.md §9.5).
bool IsCursor(const std::string& id) { return !id.empty() && id != "0"; }

}  // namespace

// --- conversations

Status SqlStore::CreateConversation(const domain::Conversation& c) {
  return Write(Epoch::kKeep, [&](Connection& conn) -> Status {
    auto st = conn.Prepare(kInsertConversation, "create conversation");
    if (!st) return st.error();
    return st->Bind(c.id)
        .Bind(c.owner_account_id)
        .Bind(c.session_name)
        .Bind(c.bot_id)
        .Bind(c.name)
        .Bind(c.meta_data_json)
        .Bind(c.creator_id)
        .Bind(c.connector_id)
        .Bind(c.last_section_id)
        .Bind(c.created_at)
        .Bind(c.updated_at)
        .Run();
  });
}

Result<domain::Conversation> SqlStore::GetConversation(const std::string& id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectConversation, "get conversation");
  if (!st) return st.error();
  return FetchOne<domain::Conversation>(st->Bind(id), ConversationFromRow,
                                        [&] { return NotFound("conversation", id); });
}

Status SqlStore::UpdateConversation(const domain::Conversation& c) {
  return Write(Epoch::kKeep, [&](Connection& conn) -> Status {
    auto st = conn.Prepare(kUpdateConversation, "update conversation");
    if (!st) return st.error();
    st->Bind(c.bot_id)
        .Bind(c.name)
        .Bind(c.meta_data_json)
        .Bind(c.connector_id)
        .Bind(c.last_section_id)
        .Bind(c.updated_at)
        .Bind(c.id);
    return RunOnExisting(*st, [&] { return NotFound("conversation", c.id); });
  });
}

Status SqlStore::DeleteConversation(const std::string& id) {
  return Write(Epoch::kKeep, [&](Connection& conn) -> Status {
    for (const char* sql : {kDeleteConversationMessages, kDeleteConversationChats}) {
      auto st = conn.Prepare(sql, "delete conversation");
      if (!st) return st.error();
      if (Status run = st->Bind(id).Run(); !run) return run;
    }
    auto st = conn.Prepare(kDeleteConversation, "delete conversation");
    if (!st) return st.error();
    // A missing conversation fails the write, so nothing above is kept either.
    return RunOnExisting(st->Bind(id), [&] { return NotFound("conversation", id); });
  });
}

Result<Paged<domain::Conversation>> SqlStore::ListConversations(const std::string& owner_account_id,
                                                                const std::string& bot_id,
                                                                const std::string& session_name,
                                                                bool ascending, Page page) {
  const Window window = ToWindow(page);
  ReadLease lease(*this);
  if (Status st = lease.Snapshot(); !st) return st.error();
  Paged<domain::Conversation> out;
  {
    auto st = lease.Prepare(kCountConversations, "count conversations");
    if (!st) return st.error();
    auto total = FetchInt(st->Bind(owner_account_id).Bind(bot_id).Bind(session_name));
    if (!total) return total.error();
    out.total = *total;
  }
  auto st = lease.Prepare(ascending ? kListConversationsAsc : kListConversationsDesc,
                          "list conversations");
  if (!st) return st.error();
  st->Bind(owner_account_id).Bind(bot_id).Bind(session_name).Bind(window.limit).Bind(window.offset);
  auto items = FetchAll<domain::Conversation>(*st, ConversationFromRow);
  if (!items) return items.error();
  out.items = std::move(items).value();
  out.has_more = HasMore(page, out.total);
  return out;
}

// --- messages

Status SqlStore::CreateMessage(const domain::Message& m) {
  return Write(Epoch::kKeep, [&](Connection& conn) -> Status {
    auto st = conn.Prepare(kInsertMessage, "create message");
    if (!st) return st.error();
    return st->Bind(m.id)
        .Bind(m.conversation_id)
        .Bind(m.bot_id)
        .Bind(m.chat_id)
        .Bind(m.section_id)
        .Bind(m.role)
        .Bind(m.type)
        .Bind(m.content)
        .Bind(m.content_type)
        .Bind(m.meta_data_json)
        .Bind(m.created_at)
        .Bind(m.updated_at)
        .Run();
  });
}

Result<domain::Message> SqlStore::GetMessage(const std::string& id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectMessage, "get message");
  if (!st) return st.error();
  return FetchOne<domain::Message>(st->Bind(id), MessageFromRow,
                                   [&] { return NotFound("message", id); });
}

Status SqlStore::UpdateMessage(const domain::Message& m) {
  return Write(Epoch::kKeep, [&](Connection& conn) -> Status {
    auto st = conn.Prepare(kUpdateMessage, "update message");
    if (!st) return st.error();
    st->Bind(m.bot_id)
        .Bind(m.chat_id)
        .Bind(m.section_id)
        .Bind(m.role)
        .Bind(m.type)
        .Bind(m.content)
        .Bind(m.content_type)
        .Bind(m.meta_data_json)
        .Bind(m.updated_at)
        .Bind(m.id);
    return RunOnExisting(*st, [&] { return NotFound("message", m.id); });
  });
}

Status SqlStore::DeleteMessage(const std::string& id) {
  return Write(Epoch::kKeep, [&](Connection& conn) -> Status {
    auto st = conn.Prepare(kDeleteMessage, "delete message");
    if (!st) return st.error();
    return RunOnExisting(st->Bind(id), [&] { return NotFound("message", id); });
  });
}

Result<MessagePage> SqlStore::ListMessages(const MessageQuery& q) {
  const bool has_before = IsCursor(q.before_id);
  const bool has_after = IsCursor(q.after_id);
  const int64_t limit = std::clamp(q.limit, 1, kMaxMessageLimit);
  // Walk away from the cursor so that the page holds the messages nearest to it.
  bool walk_descending = q.descending;
  if (has_before != has_after) walk_descending = has_before;

  ReadLease lease(*this);
  if (Status st = lease.Snapshot(); !st) return st.error();
  auto position_of = [&](const std::string& id) -> Result<Position> {
    auto st = lease.Prepare(kSelectMessagePosition, "find message cursor");
    if (!st) return st.error();
    return FetchOne<Position>(
        st->Bind(id).Bind(q.conversation_id),
        [](Statement& r) -> Result<Position> {
          return Position{r.Int(0), r.Int(1)};
        },
        [&] { return NotFound("message", id); });
  };
  Position lower = kBeforeAll;  // exclusive bounds
  Position upper = kAfterAll;
  if (has_before) {
    auto p = position_of(q.before_id);
    if (!p) return p.error();
    upper = *p;
  }
  if (has_after) {
    auto p = position_of(q.after_id);
    if (!p) return p.error();
    lower = *p;
  }

  auto st = lease.Prepare(walk_descending ? kListMessagesDesc : kListMessagesAsc, "list messages");
  if (!st) return st.error();
  st->Bind(q.conversation_id)
      .Bind(q.chat_id)
      .Bind(lower.created_at)
      .Bind(lower.seq)
      .Bind(upper.created_at)
      .Bind(upper.seq)
      .Bind(limit + 1);  // one extra row answers has_more
  auto items = FetchAll<domain::Message>(*st, MessageFromRow);
  if (!items) return items.error();
  MessagePage page;
  page.items = std::move(items).value();
  page.has_more = static_cast<int64_t>(page.items.size()) > limit;
  if (page.has_more) page.items.pop_back();
  if (walk_descending != q.descending) std::reverse(page.items.begin(), page.items.end());
  return page;
}

Result<std::vector<domain::Message>> SqlStore::ListChatMessages(const std::string& chat_id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kListChatMessages, "list chat messages");
  if (!st) return st.error();
  return FetchAll<domain::Message>(st->Bind(chat_id), MessageFromRow);
}

// --- chats

Status SqlStore::CreateChat(const domain::Chat& chat) {
  return Write(Epoch::kKeep, [&](Connection& conn) -> Status {
    auto st = conn.Prepare(kInsertChat, "create chat");
    if (!st) return st.error();
    return st->Bind(chat.id)
        .Bind(chat.conversation_id)
        .Bind(chat.bot_id)
        .Bind(chat.owner_account_id)
        .Bind(chat.section_id)
        .Bind(chat.status)
        .Bind(chat.meta_data_json)
        .Bind(chat.created_at)
        .Bind(chat.completed_at)
        .Bind(chat.input_count)
        .Bind(chat.output_count)
        .Run();
  });
}

Result<domain::Chat> SqlStore::GetChat(const std::string& id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectChat, "get chat");
  if (!st) return st.error();
  return FetchOne<domain::Chat>(st->Bind(id), ChatFromRow, [&] { return NotFound("chat", id); });
}

Status SqlStore::UpdateChat(const domain::Chat& chat) {
  return Write(Epoch::kKeep, [&](Connection& conn) -> Status {
    auto st = conn.Prepare(kUpdateChat, "update chat");
    if (!st) return st.error();
    st->Bind(chat.bot_id)
        .Bind(chat.section_id)
        .Bind(chat.status)
        .Bind(chat.meta_data_json)
        .Bind(chat.completed_at)
        .Bind(chat.input_count)
        .Bind(chat.output_count)
        .Bind(chat.id);
    return RunOnExisting(*st, [&] { return NotFound("chat", chat.id); });
  });
}

// --- files

Status SqlStore::CreateFile(const domain::File& f) {
  return Write(Epoch::kKeep, [&](Connection& conn) -> Status {
    auto st = conn.Prepare(kInsertFile, "create file");
    if (!st) return st.error();
    return st->Bind(f.id)
        .Bind(f.owner_account_id)
        .Bind(f.file_name)
        .Bind(f.bytes)
        .Bind(f.sha256_hex)
        .Bind(f.created_at)
        .Run();
  });
}

Result<domain::File> SqlStore::GetFile(const std::string& id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectFile, "get file");
  if (!st) return st.error();
  return FetchOne<domain::File>(st->Bind(id), FileFromRow, [&] { return NotFound("file", id); });
}

Result<Paged<domain::Conversation>> SqlStore::ListConversationsOfWorkspaceBots(
    const std::string& workspace_id, const std::string& owner_account_id, int limit) {
  ReadLease lease(*this);
  if (Status s = lease.Snapshot(); !s) return s.error();
  auto count = lease.Prepare(kCountConversationsOfWorkspaceBots, "count workspace conversations");
  if (!count) return count.error();
  auto total = FetchInt(count->Bind(workspace_id).Bind(owner_account_id));
  if (!total) return total.error();
  auto st = lease.Prepare(kListConversationsOfWorkspaceBots, "list workspace conversations");
  if (!st) return st.error();
  auto items = FetchAll<domain::Conversation>(
      st->Bind(workspace_id).Bind(owner_account_id).Bind(static_cast<int64_t>(std::max(limit, 0))),
      ConversationFromRow);
  if (!items) return items.error();
  Paged<domain::Conversation> out;
  out.total = total.value();
  out.has_more = out.total > static_cast<int64_t>(items->size());
  out.items = std::move(items).value();
  return out;
}

}  // namespace cozeauth::store::sql
