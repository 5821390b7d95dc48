#pragma once
// The PostgreSQL backend (architecture.md §8): a sql::SqlStore (store/sql/sql_store.hpp) on a
// PostgreSQL 15 database, for several `cozeauth serve` nodes sharing one database.
//
// Writes: every write transaction takes one advisory lock (pg_connection.hpp), so writes are
// serialized across nodes as SQLite serializes them across processes, and exactly-once
// redemptions (codes, refresh tokens, JWT ids, device codes, interrupts) and migrations keep the
// SQLite store's semantics. Reads run concurrently on pooled connections.
//
// Invalidation across nodes: a write that bumps an epoch also sends NOTIFY cozeauth_epochs
// ('auth' or 'bots'), delivered when it commits. Each store keeps one more connection that
// LISTENs (from before Open() returns, so no later bump is missed) and reports other writers'
// bumps to the store's bump listeners at once; if that connection drops, it reconnects (every
// second), and meanwhile the servers' 200 ms poll of the epochs (read from the database on every
// call) still sees every bump.
//
// The schema (pg_schema.cpp) is applied at open inside a write transaction, so nodes starting at
// once apply it exactly once.

#include <memory>
#include <string>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "store/sql/sql_store.hpp"

namespace cozeauth::store::postgres {

// Opens the database at `conninfo` (a postgresql:// URL, as libpq takes it) and applies pending
// schema versions. Errors name the server, never the password.
Result<std::unique_ptr<sql::SqlStore>> Open(const std::string& conninfo,
                                            const Clock& clock = SystemClock::Instance());

}  // namespace cozeauth::store::postgres
