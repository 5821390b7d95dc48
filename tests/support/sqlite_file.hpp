#pragma once
// Direct access to a test server's SQLite file, from outside the server (as a second process
// would): run SQL (e.g. to age a token), and snapshot the stored rows to prove that rejected
// input changed nothing. Opens a connection per call; WAL mode lets it run beside the server.

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace cozeauth::it {

class SqliteFile {
 public:
  explicit SqliteFile(std::filesystem::path path) : path_(std::move(path)) {}

  // Executes `sql` (several statements allowed); throws std::runtime_error on failure.
  void Exec(const std::string& sql) const;
  // The first column of the first row of `sql` as an integer; throws when there is no row.
  int64_t QueryInt(const std::string& sql) const;
  std::vector<std::string> Tables() const;

  // Every row of every table (sorted, columns rendered as text), skipping the tables and the
  // columns named — bookkeeping such as tokens.last_used_at that a read legitimately touches.
  using Snapshot = std::map<std::string, std::vector<std::string>>;
  Snapshot Snap(const std::set<std::string>& skip_tables,
                const std::set<std::string>& skip_columns) const;

 private:
  std::filesystem::path path_;
};

// A readable summary of how two snapshots differ ("" when equal).
std::string DiffSnapshots(const SqliteFile::Snapshot& before, const SqliteFile::Snapshot& after);

}  // namespace cozeauth::it
