#pragma once
// The PostgreSQL store's versioned schema: the same tables, columns and keys as the SQLite store's
// (store/sqlite/schema.cpp), in PostgreSQL 15 DDL. Version N's script upgrades a database at
// version N-1; the caller applies the missing ones and records them in its schema_version table.
// Append new versions; never edit a released one.

#include <span>

namespace cozeauth::store::postgres {

// The schema scripts, version 1 first: script i (0-based) brings a database from version i to i+1.
// Each script holds several statements, so it runs through the simple query protocol (PQexec).
std::span<const char* const> SchemaScripts();

}  // namespace cozeauth::store::postgres
