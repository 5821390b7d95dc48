#pragma once
// The embedded SQLite backend (architecture.md §8): a sql::SqlStore (store/sql/sql_store.hpp)
// on a SQLite database in WAL mode, through the driver in sqlite_store.cpp.
//
// ":memory:" opens a fresh, private in-memory database: a shared-cache URI unique to this store,
// so that all its connections see one database. Shared-cache connections isolate by table locks
// rather than WAL snapshots; readers there run with read_uncommitted so that they never fail
// with SQLITE_LOCKED, and may see a concurrent transaction's uncommitted rows. For tests.
//
// Several processes may open one file: BEGIN IMMEDIATE serializes their writers, and
// `PRAGMA data_version` tells each when another committed.

#include <memory>
#include <string>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "store/sql/sql_store.hpp"

namespace cozeauth::store::sqlite {

// Opens (creating if needed) the database at `path`, creating its parent directory, or a fresh
// in-memory database for ":memory:", and applies pending schema versions. `clock` stamps
// membership join times and schema versions; it must outlive the store.
Result<std::unique_ptr<sql::SqlStore>> Open(const std::string& path,
                                            const Clock& clock = SystemClock::Instance());

}  // namespace cozeauth::store::sqlite
