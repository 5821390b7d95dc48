#pragma once
// The SQLite store's versioned schema (architecture.md §8: "schema migrations are versioned files
// applied at start"). Version N's script upgrades a database at version N-1; the scripts are C++
// raw string literals in schema.cpp. Append new versions there; never edit a released one.

#include <cstdint>

#include "base/result.hpp"
#include "store/sqlite/sqlite_db.hpp"

namespace cozeauth::store::sqlite {

// The highest schema version this binary knows.
int LatestSchemaVersion();

// Applies the versions the database lacks, all in one write transaction, and records each in
// table schema_version stamped with `now`. Safe to run on every open and from several processes
// at once (BEGIN IMMEDIATE serializes them). Fails with kInternal, changing nothing, if a script
// fails or the database is newer than this binary.
Status ApplySchema(Connection& conn, int64_t now);

// The version recorded in the database (0 before any version was applied). Fails on a database
// that ApplySchema never touched.
Result<int> CurrentSchemaVersion(Connection& conn);

}  // namespace cozeauth::store::sqlite
