#pragma once
// The PostgreSQL sql::Connection (store/sql/connection.hpp), over libpq. A PgConnection owns one
// PGconn; its statements are server-side prepared statements, prepared on their first run
// (with the parameter types bound then: integers as int8, text left for the server to infer)
// and cached by the address of their SQL literal. The shared dialect's `?` and `?N` parameters
// become `$N` (TranslateParameters).
//
// Begin(true) is BEGIN plus pg_advisory_xact_lock(kWriteLockKey): one write transaction at a
// time across every node on the database, which is the contract SqlStore's SQL was written for
// (SQLite's BEGIN IMMEDIATE), so that a read-then-write (consuming a code, rotating a refresh
// token) is exactly-once without per-statement locking. Begin(false) is a REPEATABLE READ,
// READ ONLY transaction: one snapshot.
//
// A connection the server dropped is reconnected when a statement outside a transaction finds it
// gone, and that statement runs again once (outside a transaction it is a read, or opens one);
// a transaction that was open when it dropped fails with kInternal.
//
// Thread safety: none (see connection.hpp). Errors: SQLSTATE 23505 (unique) is kAlreadyExists,
// 23503 (foreign key) kNotFound, text PostgreSQL cannot store (a NUL, invalid UTF-8) kBadRequest,
// anything else kInternal with the server's primary message, which never holds bound values.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/result.hpp"
#include "store/sql/connection.hpp"

struct pg_conn;
struct pg_result;

namespace cozeauth::store::postgres {

using sql::Connection;
using sql::Statement;

// The advisory lock key every write transaction takes (an arbitrary constant of this program).
inline constexpr int64_t kWriteLockKey = 0x636f7a6561757468;  // "cozeauth"

// `sql` with SQLite-style parameters (`?` is one past the highest index so far, `?N` is N)
// spelled `$N`; quoted strings and identifiers are left alone. `count` receives the highest
// parameter index.
std::string TranslateParameters(std::string_view sql, int* count);

class PgConnection;

class PgCursor final : public sql::Cursor {
 public:
  PgCursor(PgConnection& conn, std::string name, std::string sql, int params);
  ~PgCursor() override;
  PgCursor(const PgCursor&) = delete;
  PgCursor& operator=(const PgCursor&) = delete;

  void BindText(int index, std::string_view v) override;
  void BindInt(int index, int64_t v) override;
  void BindNull(int index) override;
  Result<bool> Step(const char* what) override;
  int64_t Changes() const override { return changes_; }
  std::string_view TextView(int col) const override;
  int64_t Int(int col) const override;
  bool IsNull(int col) const override;
  void Reset() override;

  // The server forgot the prepared statement (a new session): prepare it on the next run.
  void Forget() { prepared_ = false; }

 private:
  Status Prepare(const char* what);

  PgConnection& conn_;
  const std::string name_;
  const std::string sql_;
  std::vector<std::string> values_;
  std::vector<char> is_null_;
  std::vector<char> is_int_;
  bool prepared_ = false;
  pg_result* result_ = nullptr;
  int rows_ = 0;
  int row_ = -1;
  int64_t changes_ = 0;
};

class PgConnection final : public Connection {
 public:
  // Connects to `conninfo` (a postgresql:// URL or key=value string; see libpq).
  static Result<std::unique_ptr<PgConnection>> Open(const std::string& conninfo);
  ~PgConnection() override;
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  Result<Statement> Prepare(const char* sql, const char* what) override;
  Status Exec(const char* sql, const char* what) override;
  Status Begin(bool immediate) override;
  Status Commit() override;
  void Rollback() override;
  bool InTransaction() const override;

  pg_conn* handle() const { return conn_; }
  // After a failed statement: whether the server had dropped the connection and it is now
  // connected again (its statements to be prepared again). False when the connection was fine
  // (the failure was the statement's own) or reconnecting failed.
  bool Reconnected();
  // The error of a failed result (or of the connection when `result` is null), as the header
  // comment maps it, prefixed with `what`.
  Error ToError(const pg_result* result, std::string_view what) const;

 private:
  explicit PgConnection(pg_conn* conn) : conn_(conn) {}
  // Outside a transaction, reconnects a connection the server dropped.
  Status EnsureConnected(std::string_view what);

  pg_conn* conn_;
  std::unordered_map<const char*, std::unique_ptr<PgCursor>> statements_;
};

}  // namespace cozeauth::store::postgres
