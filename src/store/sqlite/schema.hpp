#pragma once
// The SQLite store's versioned schema (architecture.md §8: "schema migrations are versioned files
// applied at start"). Version N's script upgrades a database at version N-1; the scripts are C++
// raw string literals in schema.cpp. Append new versions there; never edit a released one.

#include <cstdint>

#include "base/result.hpp"
#include "store/sql/schema_versions.hpp"
#include "store/sqlite/sqlite_db.hpp"

namespace cozeauth::store::sqlite {

// The highest schema version this binary knows.
int LatestSchemaVersion();

// Applies the versions the database lacks (sql::ApplySchemaVersions; BEGIN IMMEDIATE serializes
// processes opening the database at once).
Status ApplySchema(Connection& conn, int64_t now);

using sql::CurrentSchemaVersion;

}  // namespace cozeauth::store::sqlite
