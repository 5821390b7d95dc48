// `cozeauth store copy`'s SQL (copy.hpp). SQL text built here from table and column names is
// interned (Intern()): Connection caches statements by the address of their text, so each text
// must keep one address for the life of the process.
#include "store/sql/copy.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "base/crypto.hpp"
#include "base/strings.hpp"
#include "store/sql/codec.hpp"
#include "store/sql/schema_versions.hpp"

namespace cozeauth::store::sql {
namespace {

// Every table of the schema but schema_version (store/sqlite/schema.cpp,
// store/postgres/pg_schema.cpp), parents before children. A table added to the schema must be
// added here too: the copy refuses a database with a table this list lacks, and
// store/copy_store_test.cpp checks the list against both backends' schemas.
constexpr CopyTable kTables[] = {
    {"meta", nullptr},
    {"users", nullptr},
    {"accounts", nullptr},
    {"enterprises", nullptr},
    {"enterprise_members", nullptr},
    {"org_members", nullptr},
    {"workspaces", nullptr},
    {"workspace_members", nullptr},
    {"bots", nullptr},
    {"conversations", nullptr},
    {"messages", "seq"},
    {"chats", nullptr},
    {"files", nullptr},
    {"tokens", nullptr},
    {"sessions", nullptr},
    {"oauth_apps", nullptr},
    {"app_public_keys", nullptr},
    {"app_authorizations", nullptr},
    {"used_jwt_ids", nullptr},
    {"oauth_client_secrets", nullptr},
    {"obo_grants", nullptr},
    {"authorization_codes", nullptr},
    {"refresh_tokens", "rowid"},
    {"device_codes", nullptr},
    {"migrations", nullptr},
    {"account_grants", nullptr},
    {"audit_events", "rowid"},
    {"request_stats", nullptr},
    {"app_projects", nullptr},
    {"workflows", nullptr},
    {"workflow_executions", nullptr},
    {"rehearsals", nullptr},
    {"rehearsal_counts", nullptr},
};
// Written by each database's own ApplySchema: never copied, ignored by the emptiness check.
constexpr std::string_view kSchemaVersionTable = "schema_version";

constexpr char kSqliteTables[] =
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!'";
constexpr char kPgTables[] =
    "SELECT table_name FROM information_schema.tables "
    "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'";
constexpr char kSqliteColumns[] = "SELECT name FROM pragma_table_info(?) ORDER BY cid";
constexpr char kPgColumns[] =
    "SELECT column_name FROM information_schema.columns "
    "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position";
constexpr char kSelectMeta[] = "SELECT key, value FROM meta";
constexpr char kUpdateMeta[] = "UPDATE meta SET value = ? WHERE key = ?";
constexpr char kInsertMeta[] = "INSERT INTO meta (key, value) VALUES (?, ?)";

// The process-lifetime address of `text` (see the top of this file). Never freed.
const char* Intern(std::string text) {
  static std::mutex mu;
  static auto* const interned = new std::set<std::string>();
  std::lock_guard lock(mu);
  return interned->insert(std::move(text)).first->c_str();
}

Error InTable(const Error& e, std::string_view table) {
  Error out = e;
  out.message = "table " + std::string(table) + ": " + e.message;
  return out;
}

const char* SideName(bool source) { return source ? "source" : "target"; }

Result<std::vector<std::string>> Strings(Statement& st) {
  return FetchAll<std::string>(st,
                               [](Statement& row) -> Result<std::string> { return row.Text(0); });
}

// The columns of `table` on `conn`, with SQLite's implicit rowid named where the table's
// ordering column is it (PostgreSQL lists its `rowid` identity itself).
Result<std::vector<std::string>> Columns(Connection& conn, Dialect dialect,
                                         const CopyTable& table) {
  auto st = conn.Prepare(dialect == Dialect::kSqlite ? kSqliteColumns : kPgColumns,
                         "store copy: read columns");
  if (!st) return st.error();
  auto columns = Strings(st->Bind(std::string_view(table.name)));
  if (!columns) return columns.error();
  const bool implicit_rowid = dialect == Dialect::kSqlite && table.ordering_column != nullptr &&
                              std::string_view(table.ordering_column) == "rowid";
  if (implicit_rowid) columns->push_back("rowid");
  for (const auto& c : *columns) {
    // Names are spliced into SQL: only the plain identifiers the schema uses.
    if (c.empty() || !std::all_of(c.begin(), c.end(), [](char ch) {
          return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
        })) {
      return Error::Make(Errc::kInternal,
                         "table " + std::string(table.name) + ": unexpected column name " + c);
    }
  }
  return columns;
}

Status CheckSchemaVersion(Connection& conn, const CopyEnd& end, bool source) {
  auto version = CurrentSchemaVersion(conn);
  if (!version) return version.error();
  if (*version != end.latest_schema_version) {
    return Error::BadRequest(source ? "from" : "to",
                             std::string("the ") + SideName(source) + " store's schema version " +
                                 std::to_string(*version) + " differs from this binary's latest (" +
                                 std::to_string(end.latest_schema_version) + ")");
  }
  return {};
}

// The copy list covers the database's tables exactly (but schema_version).
Status CheckCoverage(Connection& conn, Dialect dialect, bool source) {
  auto tables = SchemaTables(conn, dialect);
  if (!tables) return tables.error();
  std::set<std::string> known;
  for (const auto& t : CopyTables()) known.insert(t.name);
  for (const auto& t : *tables) {
    if (t == kSchemaVersionTable) continue;
    if (known.erase(t) == 0) {
      return Error::Make(Errc::kInternal, std::string("table ") + t + " of the " +
                                              SideName(source) +
                                              " schema is missing from store copy's table list "
                                              "(src/store/sql/copy.cpp): refusing to copy");
    }
  }
  if (!known.empty()) {
    return Error::Make(Errc::kInternal, std::string("the ") + SideName(source) +
                                            " schema lacks table " + *known.begin());
  }
  return {};
}

// Any row in any table but meta (and schema_version, which is not listed) refuses the target.
Status CheckEmpty(Connection& conn) {
  for (const CopyTable& t : CopyTables()) {
    if (std::string_view(t.name) == "meta") continue;
    auto st = conn.Prepare(Intern(std::string("SELECT COUNT(*) FROM ") + t.name),
                           "store copy: count target rows");
    if (!st) return InTable(st.error(), t.name);
    auto n = FetchInt(*st);
    if (!n) return InTable(n.error(), t.name);
    if (*n > 0) {
      return Error::BadRequest(
          "to", "the target store already holds data (table " + std::string(t.name) + ": " +
                    std::to_string(*n) +
                    " rows); store copy writes only into an empty store: nothing was written");
    }
  }
  return {};
}

Result<std::map<std::string, int64_t>> ReadMeta(Connection& conn) {
  auto st = conn.Prepare(kSelectMeta, "store copy: read meta");
  if (!st) return st.error();
  std::map<std::string, int64_t> out;
  for (;;) {
    auto row = st->Step();
    if (!row) return row.error();
    if (!*row) return out;
    out[st->Text(0)] = st->Int(1);
  }
}

// Every key of either side becomes max(source, target) + 1 on the target.
Status CopyMeta(Connection& from, Connection& to) {
  auto source = ReadMeta(from);
  if (!source) return source.error();
  auto target = ReadMeta(to);
  if (!target) return target.error();
  std::map<std::string, int64_t> merged = *target;
  for (const auto& [key, value] : *source) {
    auto [it, inserted] = merged.emplace(key, value);
    if (!inserted) it->second = std::max(it->second, value);
  }
  for (const auto& [key, value] : merged) {
    const int64_t raised = value + 1;
    auto update = to.Prepare(kUpdateMeta, "store copy: write meta");
    if (!update) return update.error();
    if (Status st = update->Bind(raised).Bind(key).Run(); !st) return st;
    if (update->Changes() > 0) continue;
    auto insert = to.Prepare(kInsertMeta, "store copy: write meta");
    if (!insert) return insert.error();
    if (Status st = insert->Bind(key).Bind(raised).Run(); !st) return st;
  }
  return {};
}

Status CopyRows(Connection& from, Connection& to, Dialect to_dialect, const CopyTable& table,
                const std::vector<std::string>& columns) {
  const std::string list = Join(columns, ", ");
  const char* select = Intern("SELECT " + list + " FROM " + table.name);
  std::vector<std::string> marks(columns.size(), "?");
  // PostgreSQL's identities are GENERATED ALWAYS: the copied value needs the override.
  const bool overriding = to_dialect == Dialect::kPostgres && table.ordering_column != nullptr;
  const char* insert =
      Intern("INSERT INTO " + std::string(table.name) + " (" + list + ") " +
             (overriding ? "OVERRIDING SYSTEM VALUE " : "") + "VALUES (" + Join(marks, ", ") + ")");
  auto rows = from.Prepare(select, "store copy: read rows");
  if (!rows) return rows.error();
  const int n = static_cast<int>(columns.size());
  for (;;) {
    auto row = rows->Step();
    if (!row) return row.error();
    if (!*row) return {};
    auto st = to.Prepare(insert, "store copy: insert row");
    if (!st) return st.error();
    for (int i = 0; i < n; ++i) {
      // The source row's text stays valid until its next Step(), after this insert ran.
      if (rows->IsNull(i)) {
        st->BindNull();
      } else {
        st->Bind(rows->TextView(i));
      }
    }
    if (Status done = st->Run(); !done) return done;
  }
}

// PostgreSQL: each identity sequence continues after the largest copied value.
Status ResetIdentities(Connection& to) {
  for (const CopyTable& t : CopyTables()) {
    if (t.ordering_column == nullptr) continue;
    const std::string column = t.ordering_column;
    const char* sql =
        Intern("SELECT setval(pg_get_serial_sequence('" + std::string(t.name) + "', '" + column +
               "'), COALESCE(MAX(" + column + "), 0) + 1, false) " + "FROM " + t.name);
    auto st = to.Prepare(sql, "store copy: set identity sequence");
    if (!st) return InTable(st.error(), t.name);
    if (Status run = st->Run(); !run) return InTable(run.error(), t.name);
  }
  return {};
}

// 256-bit big-endian addition modulo 2^256.
void AddDigest(std::array<unsigned char, 32>& sum, const Sha256Digest& d) {
  unsigned carry = 0;
  for (int i = 31; i >= 0; --i) {
    const unsigned v = unsigned{sum[i]} + unsigned{d[i]} + carry;
    sum[i] = static_cast<unsigned char>(v & 0xFF);
    carry = v >> 8;
  }
}

struct Summary {
  int64_t rows = 0;
  std::string checksum;
};

// The row count and the checksum of `columns` of `table` (copy_store.hpp's TableCheck).
Result<Summary> Summarize(Connection& conn, const CopyTable& table,
                          const std::vector<std::string>& columns) {
  const char* select = Intern("SELECT " + Join(columns, ", ") + " FROM " + table.name);
  auto st = conn.Prepare(select, "store copy: checksum");
  if (!st) return st.error();
  std::array<unsigned char, 32> sum{};
  Summary out;
  std::string rendered;
  const int n = static_cast<int>(columns.size());
  for (;;) {
    auto row = st->Step();
    if (!row) return row.error();
    if (!*row) break;
    ++out.rows;
    rendered.clear();
    for (int i = 0; i < n; ++i) {
      if (st->IsNull(i)) {
        rendered += "N;";
        continue;
      }
      const std::string_view v = st->TextView(i);
      rendered += 'T';
      rendered += std::to_string(v.size());
      rendered += ':';
      rendered += v;
      rendered += ';';
    }
    AddDigest(sum, Sha256(rendered));
  }
  out.checksum = Sha256Hex(std::string_view(reinterpret_cast<const char*>(sum.data()), sum.size()));
  return out;
}

// The columns a table's checksum covers: meta's keys only (the copy raises its values).
std::vector<std::string> ChecksumColumns(const CopyTable& t, std::vector<std::string> columns) {
  if (std::string_view(t.name) == "meta") return {"key"};
  return columns;
}

// Counts and checksums of every table on one side, in one read snapshot.
Result<std::vector<Summary>> SummarizeAll(const CopyEnd& end,
                                          const std::vector<std::vector<std::string>>& columns) {
  std::vector<Summary> out;
  const std::span<const CopyTable> tables = CopyTables();
  Status st = end.store.RunOnWriteConnection(false, [&](Connection& conn) -> Status {
    for (size_t i = 0; i < tables.size(); ++i) {
      // The copy checked that both sides have these columns.
      auto s = Summarize(conn, tables[i], ChecksumColumns(tables[i], columns[i]));
      if (!s) return InTable(s.error(), tables[i].name);
      out.push_back(std::move(*s));
    }
    return {};
  });
  if (!st) return st.error();
  return out;
}

}  // namespace

std::span<const CopyTable> CopyTables() { return kTables; }

Result<std::vector<std::string>> SchemaTables(Connection& conn, Dialect dialect) {
  auto st = conn.Prepare(dialect == Dialect::kSqlite ? kSqliteTables : kPgTables,
                         "store copy: list tables");
  if (!st) return st.error();
  auto tables = Strings(*st);
  if (!tables) return tables.error();
  std::sort(tables->begin(), tables->end());
  return tables;
}

Result<CopyReport> CopySqlStore(const CopyEnd& from, const CopyEnd& to) {
  const std::span<const CopyTable> tables = CopyTables();
  // Per table, the columns copied and checked, in the target's order.
  std::vector<std::vector<std::string>> columns(tables.size());
  Status copied = from.store.RunOnWriteConnection(false, [&](Connection& src) -> Status {
    if (Status st = CheckSchemaVersion(src, from, /*source=*/true); !st) return st;
    if (Status st = CheckCoverage(src, from.dialect, /*source=*/true); !st) return st;
    return to.store.RunOnWriteConnection(true, [&](Connection& dst) -> Status {
      if (Status st = CheckSchemaVersion(dst, to, /*source=*/false); !st) return st;
      if (Status st = CheckCoverage(dst, to.dialect, /*source=*/false); !st) return st;
      if (Status st = CheckEmpty(dst); !st) return st;
      for (size_t i = 0; i < tables.size(); ++i) {
        const CopyTable& t = tables[i];
        auto source_columns = Columns(src, from.dialect, t);
        if (!source_columns) return InTable(source_columns.error(), t.name);
        auto target_columns = Columns(dst, to.dialect, t);
        if (!target_columns) return InTable(target_columns.error(), t.name);
        std::vector<std::string> a = *source_columns, b = *target_columns;
        std::sort(a.begin(), a.end());
        std::sort(b.begin(), b.end());
        if (a != b) {
          return Error::Make(Errc::kInternal, "table " + std::string(t.name) +
                                                  ": the source has columns (" + Join(a, ", ") +
                                                  "), the target (" + Join(b, ", ") + ")");
        }
        columns[i] = std::move(*target_columns);
        Status st = std::string_view(t.name) == "meta"
                        ? CopyMeta(src, dst)
                        : CopyRows(src, dst, to.dialect, t, columns[i]);
        if (!st) return InTable(st.error(), t.name);
      }
      if (to.dialect == Dialect::kPostgres) return ResetIdentities(dst);
      return {};
    });
  });
  if (!copied) return copied.error();

  // The check: each side summarized on its own, after the commit.
  auto source = SummarizeAll(from, columns);
  if (!source) return source.error();
  auto target = SummarizeAll(to, columns);
  if (!target) return target.error();
  std::map<std::string, int64_t> source_meta, target_meta;
  Status meta = from.store.RunOnWriteConnection(false, [&](Connection& c) -> Status {
    auto m = ReadMeta(c);
    if (!m) return m.error();
    source_meta = std::move(*m);
    return {};
  });
  if (!meta) return meta.error();
  meta = to.store.RunOnWriteConnection(false, [&](Connection& c) -> Status {
    auto m = ReadMeta(c);
    if (!m) return m.error();
    target_meta = std::move(*m);
    return {};
  });
  if (!meta) return meta.error();

  CopyReport report;
  report.matches = true;
  for (size_t i = 0; i < tables.size(); ++i) {
    TableCheck check;
    check.table = tables[i].name;
    check.source_rows = (*source)[i].rows;
    check.target_rows = (*target)[i].rows;
    check.source_checksum = (*source)[i].checksum;
    check.target_checksum = (*target)[i].checksum;
    check.matches =
        check.source_rows == check.target_rows && check.source_checksum == check.target_checksum;
    if (check.table == "meta") {
      for (const auto& [key, value] : source_meta) {
        auto it = target_meta.find(key);
        if (it == target_meta.end() || it->second <= value) check.matches = false;
      }
    }
    report.matches = report.matches && check.matches;
    report.tables.push_back(std::move(check));
  }
  return report;
}

}  // namespace cozeauth::store::sql
