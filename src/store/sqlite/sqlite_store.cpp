// The SQLite sql::Driver: connections configured for WAL (or a private shared-cache in-memory
// database), the schema of schema.cpp, and `PRAGMA data_version` as the change stamp.
#include "store/sqlite/sqlite_store.hpp"

#include <atomic>
#include <filesystem>
#include <system_error>
#include <utility>

#include "store/sql/codec.hpp"
#include "store/sqlite/schema.hpp"
#include "store/sqlite/sqlite_db.hpp"

namespace cozeauth::store::sqlite {
namespace {

// temp_store=MEMORY: the sub-journal of a savepoint (every Write() inside a Transaction(), so each
// grant of a group-committed batch: sql_issue.cpp) keeps the pages it saves in memory. Left to the
// default it spills to a temporary file beyond 64 KiB, which a batch of a few grants passes: two
// pwrite()s per saved page, about 8 a grant on top of the WAL's own (docs/performance.md).
// cache_size: 16 MiB of pages for the writer (SQLite's default is 2 MiB). Every token inserted
// lands on a random leaf of the token-digest and jti indexes; with the default, most of those
// leaves had left the cache since the last insert and were read again (pread) on every grant.
// Readers keep the default: a commit empties their caches anyway (WAL mode).
constexpr char kWriterSetupFile[] =
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
    "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16384";
constexpr char kWriterSetupMemory[] = "PRAGMA foreign_keys=ON";
constexpr char kReaderSetupFile[] = "PRAGMA query_only=1";
// Shared cache isolates by table locks; see the header comment.
constexpr char kReaderSetupMemory[] = "PRAGMA read_uncommitted=1; PRAGMA query_only=1";
constexpr char kDataVersion[] = "PRAGMA data_version";

class SqliteDriver final : public sql::Driver {
 public:
  SqliteDriver(std::string target, bool memory) : target_(std::move(target)), memory_(memory) {}

  Result<std::unique_ptr<Connection>> Connect(Role role) override {
    auto conn = SqliteConnection::Open(target_, /*uri=*/memory_);
    if (!conn) {
      return Error::Make(Errc::kInternal, "sqlite " + target_ + ": " + conn.error().message);
    }
    const char* setup = role == Role::kWriter ? (memory_ ? kWriterSetupMemory : kWriterSetupFile)
                                              : (memory_ ? kReaderSetupMemory : kReaderSetupFile);
    if (Status st = (*conn)->Exec(setup, "configure connection"); !st) return st.error();
    return std::unique_ptr<Connection>(std::move(*conn));
  }

  Status ApplySchema(Connection& writer, int64_t now) override {
    return sqlite::ApplySchema(writer, now);
  }

  Result<std::optional<int64_t>> ChangeStamp(Connection& epoch_reader) override {
    auto st = epoch_reader.Prepare(kDataVersion, "read data_version");
    if (!st) return st.error();
    auto version = sql::FetchInt(*st);
    if (!version) return version.error();
    return std::optional<int64_t>(*version);
  }

 private:
  const std::string target_;  // file path, or the shared-cache URI for ":memory:"
  const bool memory_;
};

}  // namespace

Result<std::unique_ptr<sql::SqlStore>> Open(const std::string& path, const Clock& clock) {
  const bool memory = path == ":memory:";
  std::string target;
  if (memory) {
    // Shared cache lets this store's connections share one in-memory database; the counter makes
    // each Open a fresh one.
    static std::atomic<uint64_t> next_memory_db{0};
    target = "file:cozeauth_mem_" + std::to_string(next_memory_db.fetch_add(1)) +
             "?mode=memory&cache=shared";
  } else {
    if (path.empty()) return Error::BadRequest("db", "sqlite: the database path is empty");
    std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(parent, ec);
      if (ec) {
        return Error::Make(Errc::kInternal, "sqlite: cannot create directory " + parent.string() +
                                                ": " + ec.message());
      }
    }
    target = path;
  }
  return sql::SqlStore::Open(std::make_unique<SqliteDriver>(std::move(target), memory), clock);
}

}  // namespace cozeauth::store::sqlite
