// SqlStore: bots (workspace-level resources).
#include "store/sql/codec.hpp"
#include "store/sql/sql_store.hpp"

namespace cozeauth::store::sql {
namespace {

constexpr char kInsertBot[] =
    "INSERT INTO bots (id, workspace_id, name, description, icon_url, prompt, prologue, "
    "owner_user_id, is_published, published_at, connector_ids, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kSelectBot[] =
    "SELECT id, workspace_id, name, description, icon_url, prompt, prologue, owner_user_id, "
    "is_published, published_at, connector_ids, created_at, updated_at FROM bots WHERE id = ?";
constexpr char kUpdateBot[] =
    "UPDATE bots SET name = ?, description = ?, icon_url = ?, prompt = ?, prologue = ?, "
    "owner_user_id = ?, is_published = ?, published_at = ?, connector_ids = ?, updated_at = ? "
    "WHERE id = ?";
// ?2 is the published filter: -1 for all, else 0 or 1.
constexpr char kCountBots[] =
    "SELECT COUNT(*) FROM bots WHERE workspace_id = ?1 AND (?2 < 0 OR is_published = ?2)";
constexpr char kListBots[] =
    "SELECT id, workspace_id, name, description, icon_url, prompt, prologue, owner_user_id, "
    "is_published, published_at, connector_ids, created_at, updated_at FROM bots "
    "WHERE workspace_id = ?1 AND (?2 < 0 OR is_published = ?2) "
    "ORDER BY updated_at DESC, id LIMIT ?3 OFFSET ?4";

Result<domain::Bot> BotFromRow(Statement& r) {
  domain::Bot b;
  b.id = r.Text(0);
  b.workspace_id = r.Text(1);
  b.name = r.Text(2);
  b.description = r.Text(3);
  b.icon_url = r.Text(4);
  b.prompt = r.Text(5);
  b.prologue = r.Text(6);
  b.owner_user_id = r.Text(7);
  b.is_published = r.Bool(8);
  b.published_at = r.Int(9);
  b.connector_ids = DecodeList(r.TextView(10));
  b.created_at = r.Int(11);
  b.updated_at = r.Int(12);
  return b;
}

}  // namespace

// --- bots

Status SqlStore::CreateBot(const domain::Bot& bot) {
  const std::string connector_ids = EncodeList(bot.connector_ids);
  return Write(Epoch::kKeep, [&](Connection& c) -> Status {
    auto st = c.Prepare(kInsertBot, "create bot");
    if (!st) return st.error();
    return st->Bind(bot.id)
        .Bind(bot.workspace_id)
        .Bind(bot.name)
        .Bind(bot.description)
        .Bind(bot.icon_url)
        .Bind(bot.prompt)
        .Bind(bot.prologue)
        .Bind(bot.owner_user_id)
        .Bind(bot.is_published)
        .Bind(bot.published_at)
        .Bind(connector_ids)
        .Bind(bot.created_at)
        .Bind(bot.updated_at)
        .Run();
  });
}

Result<domain::Bot> SqlStore::GetBot(const std::string& id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectBot, "get bot");
  if (!st) return st.error();
  return FetchOne<domain::Bot>(st->Bind(id), BotFromRow, [&] { return NotFound("bot", id); });
}

Status SqlStore::UpdateBot(const domain::Bot& bot) {
  const std::string connector_ids = EncodeList(bot.connector_ids);
  return Write(Epoch::kBumpBots, [&](Connection& c) -> Status {
    auto st = c.Prepare(kUpdateBot, "update bot");
    if (!st) return st.error();
    st->Bind(bot.name)
        .Bind(bot.description)
        .Bind(bot.icon_url)
        .Bind(bot.prompt)
        .Bind(bot.prologue)
        .Bind(bot.owner_user_id)
        .Bind(bot.is_published)
        .Bind(bot.published_at)
        .Bind(connector_ids)
        .Bind(bot.updated_at)
        .Bind(bot.id);
    return RunOnExisting(*st, [&] { return NotFound("bot", bot.id); });
  });
}

Result<Paged<domain::Bot>> SqlStore::ListBots(const std::string& workspace_id,
                                              std::optional<bool> published, Page page) {
  const int64_t published_filter = published ? (*published ? 1 : 0) : -1;
  const Window window = ToWindow(page);
  ReadLease lease(*this);
  if (Status st = lease.Snapshot(); !st) return st.error();
  Paged<domain::Bot> out;
  {
    auto st = lease.Prepare(kCountBots, "count bots");
    if (!st) return st.error();
    auto total = FetchInt(st->Bind(workspace_id).Bind(published_filter));
    if (!total) return total.error();
    out.total = *total;
  }
  auto st = lease.Prepare(kListBots, "list bots");
  if (!st) return st.error();
  st->Bind(workspace_id).Bind(published_filter).Bind(window.limit).Bind(window.offset);
  auto items = FetchAll<domain::Bot>(*st, BotFromRow);
  if (!items) return items.error();
  out.items = std::move(items).value();
  out.has_more = HasMore(page, out.total);
  return out;
}

}  // namespace cozeauth::store::sql
