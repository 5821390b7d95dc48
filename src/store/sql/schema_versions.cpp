#include "store/sql/schema_versions.hpp"

#include <string>

#include "store/sql/codec.hpp"

namespace cozeauth::store::sql {
namespace {

constexpr char kCreateVersionTable[] =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    "version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)";
constexpr char kSelectVersion[] = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
constexpr char kInsertVersion[] = "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)";

}  // namespace

Result<int> CurrentSchemaVersion(Connection& conn) {
  auto st = conn.Prepare(kSelectVersion, "read schema version");
  if (!st) return st.error();
  auto version = FetchInt(*st);
  if (!version) return version.error();
  return static_cast<int>(*version);
}

Status ApplySchemaVersions(Connection& conn, std::span<const char* const> scripts, int64_t now) {
  const int latest = static_cast<int>(scripts.size());
  if (auto st = conn.Begin(/*immediate=*/true); !st) return st;
  TransactionScope txn(conn);
  if (auto st = conn.Exec(kCreateVersionTable, "create schema_version"); !st) return st;
  auto current = CurrentSchemaVersion(conn);
  if (!current) return current.error();
  if (*current > latest) {
    return Error::Make(Errc::kInternal, "database schema version " + std::to_string(*current) +
                                            " is newer than this binary supports (" +
                                            std::to_string(latest) + ")");
  }
  for (int version = *current + 1; version <= latest; ++version) {
    if (auto st = conn.Exec(scripts[version - 1], "apply schema"); !st) {
      return Error::Make(Errc::kInternal,
                         "schema version " + std::to_string(version) + ": " + st.error().message);
    }
    auto insert = conn.Prepare(kInsertVersion, "record schema version");
    if (!insert) return insert.error();
    if (auto st = insert->Bind(version).Bind(now).Run(); !st) return st;
  }
  return txn.Commit();
}

}  // namespace cozeauth::store::sql
