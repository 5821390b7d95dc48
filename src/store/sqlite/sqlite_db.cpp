#include "store/sqlite/sqlite_db.hpp"

#include <sqlite3.h>

#include <utility>

namespace cozeauth::store::sqlite {
namespace {

constexpr int kBusyTimeoutMillis = 5000;
// Named arrays, not bare literals: a statement's cache key is its SQL text's address, and only a
// named object is guaranteed one address.
constexpr char kBeginImmediate[] = "BEGIN IMMEDIATE";
constexpr char kBeginDeferred[] = "BEGIN";
constexpr char kCommit[] = "COMMIT";
constexpr char kRollback[] = "ROLLBACK";

std::string Prefixed(std::string_view what, std::string_view message) {
  std::string out(what);
  out += ": ";
  out += message;
  return out;
}

}  // namespace

Error ToError(sqlite3* db, int rc, std::string_view what) {
  const char* message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  // sqlite3_errmsg names the constraint ("UNIQUE constraint failed: users.email"), never values.
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_ROWID:
      return Error::Make(Errc::kAlreadyExists,
                         Prefixed(what, std::string("already exists (") + message + ")"));
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return Error::Make(
          Errc::kNotFound,
          Prefixed(what, std::string("a referenced row does not exist (") + message + ")"));
    default:
      return Error::Make(Errc::kInternal, Prefixed(what, message));
  }
}

SqliteCursor::~SqliteCursor() { sqlite3_finalize(stmt_); }

void SqliteCursor::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

void SqliteCursor::BindText(int index, std::string_view v) {
  // A null data pointer would bind SQL NULL; an empty view is the empty string.
  const char* data = v.data() != nullptr ? v.data() : "";
  sqlite3_bind_text(stmt_, index, data, static_cast<int>(v.size()), SQLITE_STATIC);
}

void SqliteCursor::BindInt(int index, int64_t v) { sqlite3_bind_int64(stmt_, index, v); }

void SqliteCursor::BindNull(int index) { sqlite3_bind_null(stmt_, index); }

Result<bool> SqliteCursor::Step(const char* what) {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // Extended codes distinguish UNIQUE from FOREIGN KEY; sqlite3_step returns only the primary
  // code unless extended codes are enabled, so ask the connection.
  sqlite3* db = sqlite3_db_handle(stmt_);
  return ToError(db, sqlite3_extended_errcode(db), what);
}

int64_t SqliteCursor::Changes() const { return sqlite3_changes64(sqlite3_db_handle(stmt_)); }

std::string_view SqliteCursor::TextView(int col) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (text == nullptr) return {};
  return std::string_view(text, static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

int64_t SqliteCursor::Int(int col) const { return sqlite3_column_int64(stmt_, col); }

bool SqliteCursor::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& target,
                                                                 bool uri) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (uri) flags |= SQLITE_OPEN_URI;
  int rc = sqlite3_open_v2(target.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error error = ToError(db, rc, "open database");
    sqlite3_close_v2(db);  // sqlite allocates a handle even on failure
    return error;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMillis);
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db));
  // Prepared up front so that Rollback(), which runs in destructors, never allocates.
  for (const char* sql : {kBeginImmediate, kBeginDeferred, kCommit, kRollback}) {
    auto st = conn->Prepare(sql, "prepare transaction control");
    if (!st) return st.error();
  }
  return conn;
}

SqliteConnection::~SqliteConnection() {
  statements_.clear();  // finalized before the handle closes
  sqlite3_close_v2(db_);
}

Result<Statement> SqliteConnection::Prepare(const char* sql, const char* what) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return Statement(it->second.get(), what);
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return ToError(db_, rc, what);
  auto cursor = std::make_unique<SqliteCursor>(stmt);
  SqliteCursor* raw = cursor.get();
  statements_.emplace(sql, std::move(cursor));
  return Statement(raw, what);
}

Status SqliteConnection::Exec(const char* sql, const char* what) {
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return ToError(db_, sqlite3_extended_errcode(db_), what);
  return {};
}

Status SqliteConnection::Begin(bool immediate) {
  auto st = Prepare(immediate ? kBeginImmediate : kBeginDeferred, "begin transaction");
  if (!st) return st.error();
  return st->Run();
}

Status SqliteConnection::Commit() {
  auto st = Prepare(kCommit, "commit");
  if (!st) return st.error();
  return st->Run();
}

void SqliteConnection::Rollback() {
  if (!InTransaction()) return;
  auto st = Prepare(kRollback, "rollback");
  if (st) (void)st->Run();
}

bool SqliteConnection::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

}  // namespace cozeauth::store::sqlite
