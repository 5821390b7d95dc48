#pragma once
// A thin RAII layer over the sqlite3 C API, used only by SqliteStore. A Connection owns one
// sqlite3 handle and caches its prepared statements by the address of their SQL literal; a
// Statement borrows one cached statement for a single execution and resets it when it goes out
// of scope, so the hot path prepares nothing and allocates only for the values it returns.
//
// Thread safety: none. A Connection (and every Statement it hands out) is used by one thread at a
// time; SqliteStore enforces that with its own locks.
//
// Errors: every failure is an Error prefixed with what the statement was doing ("create user:
// ..."). Unique/primary-key violations are kAlreadyExists, foreign-key violations kNotFound (the
// referenced row is missing), anything else kInternal with sqlite's message. Messages name tables
// and columns, never bound values.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace cozeauth::store::sqlite {

// Maps a failed sqlite result code on `db` to an Error (see the header comment).
Error ToError(sqlite3* db, int rc, std::string_view what);

class Statement {
 public:
  Statement(sqlite3_stmt* stmt, const char* what) : stmt_(stmt), what_(what) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  // Binds the next positional parameter (1, 2, ...). Text is bound without a copy, so the caller
  // keeps it alive until the statement is done; binding a temporary string does not compile.
  Statement& Bind(std::string_view v);
  Statement& Bind(const std::string& v) { return Bind(std::string_view(v)); }
  Statement& Bind(std::string&&) = delete;
  Statement& Bind(int64_t v);
  Statement& Bind(int v) { return Bind(static_cast<int64_t>(v)); }
  Statement& Bind(bool v) { return Bind(static_cast<int64_t>(v ? 1 : 0)); }
  Statement& BindNull();

  // Advances one row: true when a row is available, false when the statement is done.
  Result<bool> Step();
  // Runs a statement that returns no rows.
  Status Run();
  // Rows changed by the last Run() on this statement's connection.
  int64_t Changes() const;

  // Columns of the current row (0-based).
  std::string Text(int col) const;
  std::string_view TextView(int col) const;  // valid until the next Step()
  int64_t Int(int col) const;
  bool Bool(int col) const { return Int(col) != 0; }
  bool IsNull(int col) const;

 private:
  sqlite3_stmt* stmt_;
  const char* what_;
  int next_param_ = 1;
};

class Connection {
 public:
  // Opens `target` (a file path, or a "file:" URI when `uri` is true) with sqlite's own mutex
  // disabled (the caller serializes access) and a busy timeout.
  static Result<std::unique_ptr<Connection>> Open(const std::string& target, bool uri);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // The cached statement for `sql`, which must be a named array with static storage (e.g.
  // `constexpr char kSelectUser[] = "..."`): its address is the cache key. `what` names the
  // operation for error messages and must have static storage too.
  Result<Statement> Prepare(const char* sql, const char* what);
  // Runs one or more semicolon-separated statements without caching (DDL, pragmas).
  Status Exec(const char* sql, const char* what);

  // Transaction control on cached statements.
  Status Begin(bool immediate);
  Status Commit();
  // Rolls back if a transaction is open; a no-op when sqlite already rolled back by itself.
  void Rollback();
  bool InTransaction() const;

  sqlite3* handle() const { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  std::unordered_map<const char*, sqlite3_stmt*> statements_;
};

// Runs `st` for at most one row: `from_row(st)` maps it (returning Result<T>), `missing()` makes
// the error when there is none.
template <typename T, typename FromRow, typename Missing>
Result<T> FetchOne(Statement& st, FromRow&& from_row, Missing&& missing) {
  auto row = st.Step();
  if (!row) return row.error();
  if (!*row) return missing();
  return from_row(st);
}

// Runs `st` and maps every row with `from_row(st)` (returning Result<T>).
template <typename T, typename FromRow>
Result<std::vector<T>> FetchAll(Statement& st, FromRow&& from_row) {
  std::vector<T> out;
  for (;;) {
    auto row = st.Step();
    if (!row) return row.error();
    if (!*row) return out;
    Result<T> item = from_row(st);
    if (!item) return item.error();
    out.push_back(std::move(item).value());
  }
}

// Runs a write that must touch a row; `missing()` makes the error when it touched none.
template <typename Missing>
Status RunOnExisting(Statement& st, Missing&& missing) {
  if (Status run = st.Run(); !run) return run;
  if (st.Changes() == 0) return missing();
  return {};
}

// Owns a transaction that Begin() opened: rolls it back on scope exit (error return or exception)
// unless Commit() succeeded.
class TransactionScope {
 public:
  explicit TransactionScope(Connection& conn) : conn_(conn) {}
  ~TransactionScope() {
    if (!committed_) conn_.Rollback();
  }
  TransactionScope(const TransactionScope&) = delete;
  TransactionScope& operator=(const TransactionScope&) = delete;

  Status Commit() {
    Status st = conn_.Commit();
    committed_ = st.has_value();
    return st;
  }

 private:
  Connection& conn_;
  bool committed_ = false;
};

}  // namespace cozeauth::store::sqlite
