#pragma once
// The SQLite sql::Connection (store/sql/connection.hpp): a thin RAII layer over the sqlite3 C
// API. A SqliteConnection owns one sqlite3 handle and caches its prepared statements by the
// address of their SQL literal; text is bound without a copy (SQLITE_STATIC).
//
// Thread safety: none (see connection.hpp). Errors: as connection.hpp says, from sqlite's
// extended result codes.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/result.hpp"
#include "store/sql/connection.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace cozeauth::store::sqlite {

using sql::Connection;
using sql::Statement;

// Maps a failed sqlite result code on `db` to an Error (see connection.hpp).
Error ToError(sqlite3* db, int rc, std::string_view what);

class SqliteCursor final : public sql::Cursor {
 public:
  explicit SqliteCursor(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~SqliteCursor() override;
  SqliteCursor(const SqliteCursor&) = delete;
  SqliteCursor& operator=(const SqliteCursor&) = delete;

  void BindText(int index, std::string_view v) override;
  void BindInt(int index, int64_t v) override;
  void BindNull(int index) override;
  Result<bool> Step(const char* what) override;
  int64_t Changes() const override;
  std::string_view TextView(int col) const override;
  int64_t Int(int col) const override;
  bool IsNull(int col) const override;
  void Reset() override;

 private:
  sqlite3_stmt* stmt_;
};

class SqliteConnection final : public Connection {
 public:
  // Opens `target` (a file path, or a "file:" URI when `uri` is true) with sqlite's own mutex
  // disabled (the caller serializes access) and a busy timeout.
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& target, bool uri);
  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Result<Statement> Prepare(const char* sql, const char* what) override;
  Status Exec(const char* sql, const char* what) override;
  // Begin(true) is BEGIN IMMEDIATE (sqlite's one writer lock), Begin(false) a deferred BEGIN
  // (a WAL read snapshot from the first read on).
  Status Begin(bool immediate) override;
  Status Commit() override;
  void Rollback() override;
  bool InTransaction() const override;

  sqlite3* handle() const { return db_; }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  std::unordered_map<const char*, std::unique_ptr<SqliteCursor>> statements_;
};

}  // namespace cozeauth::store::sqlite
