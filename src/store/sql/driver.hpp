#pragma once
// What SqlStore needs of a database beyond its SQL (sql_store.hpp): connections configured for
// their role, the schema, and how to learn that another process or node committed. One per
// backend: store/sqlite/sqlite_store.cpp, store/postgres/pg_store.cpp.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "base/result.hpp"
#include "store/sql/connection.hpp"

namespace cozeauth::store::sql {

enum class EpochKind { kAuth, kBots };

class Driver {
 public:
  enum class Role { kWriter, kReader };
  virtual ~Driver() = default;

  // A new connection configured for `role`. Thread-safe.
  virtual Result<std::unique_ptr<Connection>> Connect(Role role) = 0;
  // Applies the schema versions the database lacks, on the writer (sql::ApplySchemaVersions).
  virtual Status ApplySchema(Connection& writer, int64_t now) = 0;
  // A value that changes whenever another connection may have committed since it was last
  // read on `epoch_reader` (SQLite's data_version), or nullopt when the backend cannot tell
  // cheaply: the epochs are then read on every call.
  virtual Result<std::optional<int64_t>> ChangeStamp(Connection& epoch_reader) = 0;
  // Runs in the write transaction that bumped `kind`, after the bump: a backend that can tell
  // other processes at commit does so here (PostgreSQL: NOTIFY).
  virtual Status AnnounceBump(Connection& writer, EpochKind kind) {
    (void)writer;
    (void)kind;
    return {};
  }
  // Idle reader connections the store keeps for reuse; a burst beyond this opens extra ones and
  // closes them after. A connection that is expensive to open (a server's) warrants more.
  virtual size_t MaxIdleReaders() const { return 8; }
  // From now until the driver is destroyed, calls `on_bump` (on a thread of the driver's own)
  // when another process or node committed a bump of an epoch. Optional: the epochs' polling
  // sees every bump anyway; this only makes it sooner.
  virtual void WatchBumps(std::function<void(EpochKind)> on_bump) { (void)on_bump; }
  // Returns once the work the driver does on threads of its own, asked for before the call, is
  // done (SQLite: the WAL checkpoint), with how many passes of it have run so far. For tests;
  // nothing else waits for it.
  virtual uint64_t Settle() { return 0; }
  // Memory the backend's library holds in this process (Store::MemoryInUse), or nullopt.
  virtual std::optional<uint64_t> MemoryInUse() const { return std::nullopt; }
};

}  // namespace cozeauth::store::sql
