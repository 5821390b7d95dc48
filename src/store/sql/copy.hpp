#pragma once
// The SQL of `cozeauth store copy` (store/copy_store.hpp says what the copy does): reads every
// table of one SqlStore and writes it into another, the two possibly of different backends, then
// checks both sides. Rows are read with the generic Statement API and every non-NULL value is
// bound as text: the target's typed columns convert it (PostgreSQL infers the parameter type
// from the column; SQLite applies the column's affinity, so "42" lands in an INTEGER column as
// the integer 42). NULL stays NULL.

#include <span>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "store/copy_store.hpp"
#include "store/sql/sql_store.hpp"

namespace cozeauth::store::sql {

enum class Dialect { kSqlite, kPostgres };

// One side of a copy: the store, its backend and the schema version this binary brings it to.
struct CopyEnd {
  SqlStore& store;
  Dialect dialect;
  int latest_schema_version;
};

// A table the copy knows, in foreign-key order (a row's references are copied before it).
struct CopyTable {
  const char* name;
  // The column that orders rows inserted in the same second, kept by the copy: "seq" (an
  // INTEGER PRIMARY KEY on SQLite, an identity on PostgreSQL) or "rowid" (SQLite's implicit
  // rowid, PostgreSQL's trailing identity column), or nullptr.
  const char* ordering_column;
};

// Every table of the schema except schema_version, in foreign-key order; meta first.
std::span<const CopyTable> CopyTables();

// The tables the database on `conn` has (sqlite_master / information_schema.tables), sorted.
Result<std::vector<std::string>> SchemaTables(Connection& conn, Dialect dialect);

// Copies `from` into `to` (one write transaction on `to`, one read snapshot of `from`), then
// checks both sides. `report.from` and `report.to` are left to the caller.
Result<CopyReport> CopySqlStore(const CopyEnd& from, const CopyEnd& to);

}  // namespace cozeauth::store::sql
