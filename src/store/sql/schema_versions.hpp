#pragma once
// Versioned schemas (architecture.md §8: "schema migrations are versioned files applied at
// start"), the same way on every backend: table schema_version records each applied version.
// A backend keeps its scripts (store/sqlite/schema.cpp, store/postgres/pg_schema.cpp); script
// i (0-based) brings a database from version i to i + 1. Append new versions; never edit a
// released one.

#include <cstdint>
#include <span>

#include "base/result.hpp"
#include "store/sql/connection.hpp"

namespace cozeauth::store::sql {

// Applies the versions the database lacks, all in one write transaction (Begin(true)), and
// records each in table schema_version stamped with `now`. Safe to run on every open and from
// several processes or nodes at once: the write transaction serializes them, and each sees the
// versions the one before it applied. Fails with kInternal, changing nothing, if a script fails
// or the database is newer than this binary.
Status ApplySchemaVersions(Connection& conn, std::span<const char* const> scripts, int64_t now);

// The version recorded in the database (0 before any version was applied). Fails on a database
// that ApplySchemaVersions never touched.
Result<int> CurrentSchemaVersion(Connection& conn);

}  // namespace cozeauth::store::sql
