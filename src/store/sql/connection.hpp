#pragma once
// The database connection SqlStore runs its SQL on, implemented once per backend
// (store/sqlite/sqlite_db.hpp, store/postgres/pg_connection.hpp). A Connection caches its
// prepared statements by the address of their SQL literal; a Statement borrows one cached
// statement (a Cursor) for a single execution and resets it when it goes out of scope, so the
// hot path prepares nothing and allocates only for the values it returns.
//
// The SQL is one dialect for every backend: SQLite's and PostgreSQL's common subset, with
// parameters written `?` (the next one) or `?N` (the N-th, 1-based). A backend whose driver
// spells parameters differently rewrites them when it prepares (PostgreSQL: `$N`).
//
// Thread safety: none. A Connection (and every Statement it hands out) is used by one thread at a
// time; SqlStore enforces that with its own locks.
//
// Errors: every failure is an Error prefixed with what the statement was doing ("create user:
// ..."). Unique/primary-key violations are kAlreadyExists, foreign-key violations kNotFound (the
// referenced row is missing), anything else kInternal with the database's message. Messages name
// tables and columns, never bound values.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"

namespace cozeauth::store::sql {

// One prepared statement of a backend, owned by its Connection's cache. Parameter indexes are
// 1-based, columns 0-based.
class Cursor {
 public:
  virtual ~Cursor() = default;
  // Text is bound without a copy where the backend allows: the caller keeps it alive until the
  // statement is done.
  virtual void BindText(int index, std::string_view v) = 0;
  virtual void BindInt(int index, int64_t v) = 0;
  virtual void BindNull(int index) = 0;
  // Runs the statement on the first call, then advances one row: true when a row is available.
  virtual Result<bool> Step(const char* what) = 0;
  // Rows changed by the last completed run of this statement.
  virtual int64_t Changes() const = 0;
  virtual std::string_view TextView(int col) const = 0;  // valid until the next Step()
  virtual int64_t Int(int col) const = 0;
  virtual bool IsNull(int col) const = 0;
  // Back to unbound and unexecuted, releasing any result.
  virtual void Reset() = 0;
};

class Statement {
 public:
  Statement(Cursor* cursor, const char* what) : cursor_(cursor), what_(what) {}
  Statement(Statement&& other) noexcept
      : cursor_(std::exchange(other.cursor_, nullptr)),
        what_(other.what_),
        next_param_(other.next_param_) {}
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement() {
    // Return the cached statement clean: no open read cursor, no dangling text bindings.
    if (cursor_ != nullptr) cursor_->Reset();
  }

  // Binds the next positional parameter (1, 2, ...). Binding a temporary string does not
  // compile: the text may be bound without a copy.
  Statement& Bind(std::string_view v) {
    cursor_->BindText(next_param_++, v);
    return *this;
  }
  Statement& Bind(const std::string& v) { return Bind(std::string_view(v)); }
  Statement& Bind(std::string&&) = delete;
  Statement& Bind(int64_t v) {
    cursor_->BindInt(next_param_++, v);
    return *this;
  }
  Statement& Bind(int v) { return Bind(static_cast<int64_t>(v)); }
  Statement& Bind(bool v) { return Bind(static_cast<int64_t>(v ? 1 : 0)); }
  Statement& BindNull() {
    cursor_->BindNull(next_param_++);
    return *this;
  }

  // Advances one row: true when a row is available, false when the statement is done.
  Result<bool> Step() { return cursor_->Step(what_); }
  // Runs a statement that returns no rows.
  Status Run() {
    for (;;) {
      auto row = Step();
      if (!row) return row.error();
      if (!*row) return {};
    }
  }
  // Rows changed by the last Run() of this statement.
  int64_t Changes() const { return cursor_->Changes(); }

  // Columns of the current row (0-based).
  std::string Text(int col) const { return std::string(TextView(col)); }
  std::string_view TextView(int col) const { return cursor_->TextView(col); }
  int64_t Int(int col) const { return cursor_->Int(col); }
  bool Bool(int col) const { return Int(col) != 0; }
  bool IsNull(int col) const { return cursor_->IsNull(col); }

 private:
  Cursor* cursor_;
  const char* what_;
  int next_param_ = 1;
};

class Connection {
 public:
  virtual ~Connection() = default;

  // The cached statement for `sql`, which must be a named array with static storage (e.g.
  // `constexpr char kSelectUser[] = "..."`): its address is the cache key. `what` names the
  // operation for error messages and must have static storage too.
  virtual Result<Statement> Prepare(const char* sql, const char* what) = 0;
  // Runs one or more semicolon-separated statements without parameters or caching (DDL).
  virtual Status Exec(const char* sql, const char* what) = 0;

  // Transaction control. Begin(true) opens a write transaction: it waits until no other writer
  // (of any process or node sharing the database) holds one, and holds writers off until it ends,
  // so that a write transaction's reads and writes are serialized with every other's.
  // Begin(false) opens a read transaction whose statements all read one snapshot.
  virtual Status Begin(bool immediate) = 0;
  virtual Status Commit() = 0;
  // Rolls back if a transaction is open; a no-op when the database already rolled back.
  virtual void Rollback() = 0;
  virtual bool InTransaction() const = 0;
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

}  // namespace cozeauth::store::sql
