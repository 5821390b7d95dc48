#include "support/sqlite_file.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace cozeauth::it {
namespace {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Db = std::unique_ptr<sqlite3, DbCloser>;
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

Db Open(const std::filesystem::path& path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) {
    throw std::runtime_error("cannot open " + path.string() + ": " +
                             (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_busy_timeout(raw, 5000);
  return db;
}

Stmt Prepare(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
    throw std::runtime_error("SQL error in '" + sql + "': " + sqlite3_errmsg(db));
  }
  return Stmt(raw);
}

std::string Quote(const std::string& ident) {
  std::string out = "\"";
  for (char c : ident) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

void SqliteFile::Exec(const std::string& sql) const {
  Db db = Open(path_);
  char* err = nullptr;
  if (sqlite3_exec(db.get(), sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw std::runtime_error("SQL error in '" + sql + "': " + msg);
  }
}

int64_t SqliteFile::QueryInt(const std::string& sql) const {
  Db db = Open(path_);
  Stmt st = Prepare(db.get(), sql);
  if (sqlite3_step(st.get()) != SQLITE_ROW) throw std::runtime_error("no row for '" + sql + "'");
  return sqlite3_column_int64(st.get(), 0);
}

std::vector<std::string> SqliteFile::Tables() const {
  Db db = Open(path_);
  Stmt st = Prepare(db.get(),
                    "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE "
                    "'sqlite_%' ORDER BY name");
  std::vector<std::string> out;
  while (sqlite3_step(st.get()) == SQLITE_ROW) {
    out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 0)));
  }
  return out;
}

SqliteFile::Snapshot SqliteFile::Snap(const std::set<std::string>& skip_tables,
                                      const std::set<std::string>& skip_columns) const {
  Snapshot snap;
  const auto tables = Tables();
  Db db = Open(path_);
  // One read transaction so the snapshot is consistent even while the server writes.
  char* err = nullptr;
  sqlite3_exec(db.get(), "BEGIN", nullptr, nullptr, &err);
  sqlite3_free(err);
  for (const auto& table : tables) {
    if (skip_tables.count(table)) continue;
    Stmt st = Prepare(db.get(), "SELECT * FROM " + Quote(table));
    std::vector<std::string> rows;
    const int n = sqlite3_column_count(st.get());
    while (sqlite3_step(st.get()) == SQLITE_ROW) {
      std::string row;
      for (int i = 0; i < n; ++i) {
        const std::string col = sqlite3_column_name(st.get(), i);
        if (skip_columns.count(col) || skip_columns.count(table + "." + col)) continue;
        row += col + "=";
        if (sqlite3_column_type(st.get(), i) == SQLITE_NULL) {
          row += "NULL";
        } else {
          const auto* text = sqlite3_column_text(st.get(), i);
          row += "'" +
                 std::string(reinterpret_cast<const char*>(text),
                             static_cast<size_t>(sqlite3_column_bytes(st.get(), i))) +
                 "'";
        }
        row += " ";
      }
      rows.push_back(std::move(row));
    }
    std::sort(rows.begin(), rows.end());
    snap[table] = std::move(rows);
  }
  sqlite3_exec(db.get(), "COMMIT", nullptr, nullptr, &err);
  sqlite3_free(err);
  return snap;
}

std::string DiffSnapshots(const SqliteFile::Snapshot& before, const SqliteFile::Snapshot& after) {
  std::string out;
  std::set<std::string> tables;
  for (const auto& [t, _] : before) tables.insert(t);
  for (const auto& [t, _] : after) tables.insert(t);
  for (const auto& t : tables) {
    static const std::vector<std::string> kNone;
    auto b = before.count(t) ? before.at(t) : kNone;
    auto a = after.count(t) ? after.at(t) : kNone;
    if (a == b) continue;
    std::vector<std::string> removed, added;
    std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(removed));
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(added));
    out += "table " + t + ": " + std::to_string(b.size()) + " → " + std::to_string(a.size()) +
           " rows\n";
    for (const auto& r : removed) out += "  - " + r + "\n";
    for (const auto& r : added) out += "  + " + r + "\n";
  }
  return out;
}

}  // namespace cozeauth::it
