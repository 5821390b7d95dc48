// The SQLite sql::Driver: connections configured for WAL (or a private shared-cache in-memory
// database), the schema of schema.cpp, and `PRAGMA data_version` as the change stamp.
#include "store/sqlite/sqlite_store.hpp"

#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>

#include "base/thread_name.hpp"
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
constexpr char kOpenFile[] = "SELECT count(*) FROM sqlite_schema";

// Checkpointer: copies the WAL back into the database file on a thread of its own. Left to
// SQLite, the commit that takes the WAL past 1000 pages runs the checkpoint itself, with its
// fsync()s: the one writer — the committer of group-committed grants — stood still for it (6 ms
// on average, up to 30 ms here) while every grant waited behind it, the CPUs partly idle
// (docs/performance.md). Here the writer's WAL hook only signals, once per kCheckpointPages new
// pages, and PASSIVE checkpoints on this thread's own connection, which never block the writer
// or a reader, copy the frames and sync them.
//
// The WAL starts over only when the writer begins a transaction with every frame copied, which
// a writer that never pauses does not do while another thread copies. So past
// kWriterCheckpointPages the writer checkpoints once itself, as SQLite would have: only the
// frames committed since this thread's last pass are left to copy, and the WAL then starts over,
// bounded at about that many pages. Durability is the WAL's (a commit is in it before it is
// acknowledged), not the checkpoint's.
//
// The thread and its connection start at the first signal, so a short-lived process (the CLI)
// that never fills the WAL has neither. Thread-safe.
class Checkpointer {
 public:
  // SQLite's own default for wal_autocheckpoint.
  static constexpr int kCheckpointPages = 1000;
  // 32 MiB of 4 KiB pages: the WAL's bound.
  static constexpr int kWriterCheckpointPages = 8000;

  explicit Checkpointer(std::string path) : path_(std::move(path)) {}
  ~Checkpointer() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // The writer connection's commits signal this one (replacing SQLite's automatic checkpoint).
  void Attach(SqliteConnection& writer) { sqlite3_wal_hook(writer.handle(), &OnCommit, this); }

  // Returns once no checkpoint is asked for or running, with how many have run (tests).
  uint64_t Settle() {
    std::unique_lock lock(mu_);
    idle_cv_.wait(lock, [this] { return !pending_ && !running_; });
    return passes_;
  }

 private:
  // sqlite3_wal_hook's callback, on the writer's thread after each commit: `pages` is the WAL's
  // length in pages.
  static int OnCommit(void* self, sqlite3* db, const char* schema, int pages) {
    auto* me = static_cast<Checkpointer*>(self);
    if (pages >= kWriterCheckpointPages) {
      // Busy when this thread is checkpointing right now: the next commit tries again.
      (void)sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      return SQLITE_OK;
    }
    if (pages < me->signalled_at_) me->signalled_at_ = 0;  // the WAL started over
    // One pass per kCheckpointPages new pages, not one per commit: a pass copies each page once
    // however many frames hold it, and syncs the file once, so the pages every commit rewrites
    // (the tables' and indexes' last leaves) are copied once a pass rather than once a commit.
    if (pages - me->signalled_at_ >= kCheckpointPages) {
      me->signalled_at_ = pages;
      me->Request();
    }
    return SQLITE_OK;
  }

  void Request() {
    {
      std::lock_guard lock(mu_);
      if (pending_ || stop_) return;
      pending_ = true;
      if (!thread_.joinable()) {
        thread_ = std::thread([this] {
          NameThisThread("cz-checkpoint");
          Run();
        });
      }
    }
    cv_.notify_one();
  }

  void Run() {
    std::unique_ptr<SqliteConnection> conn;
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait(lock, [this] { return pending_ || stop_; });
      if (stop_) break;
      pending_ = false;
      running_ = true;
      lock.unlock();
      if (!conn) {
        // Reading the schema opens the file, in the WAL mode it is in; until then a checkpoint
        // finds no WAL.
        auto opened = SqliteConnection::Open(path_, /*uri=*/false);
        if (opened && (*opened)->Exec(kOpenFile, "open the database file")) {
          conn = std::move(opened.value());
        }
      }
      // A failure (the file busy or gone) leaves the WAL to the next signal, or to the last
      // connection's close, which checkpoints too.
      if (conn) {
        (void)sqlite3_wal_checkpoint_v2(conn->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                        nullptr);
      }
      lock.lock();
      ++passes_;
      running_ = false;
      idle_cv_.notify_all();
    }
    running_ = false;
    idle_cv_.notify_all();
  }

  const std::string path_;
  int signalled_at_ = 0;  // the WAL's length at the last signal (the writer's thread only)
  std::mutex mu_;
  std::condition_variable cv_, idle_cv_;
  bool pending_ = false, running_ = false, stop_ = false;
  uint64_t passes_ = 0;  // checkpoint passes run
  std::thread thread_;   // started by the first Request()
};

class SqliteDriver final : public sql::Driver {
 public:
  SqliteDriver(std::string target, bool memory) : target_(std::move(target)), memory_(memory) {
    if (!memory_) checkpointer_ = std::make_unique<Checkpointer>(target_);
  }

  Result<std::unique_ptr<Connection>> Connect(Role role) override {
    auto conn = SqliteConnection::Open(target_, /*uri=*/memory_);
    if (!conn) {
      return Error::Make(Errc::kInternal, "sqlite " + target_ + ": " + conn.error().message);
    }
    const char* setup = role == Role::kWriter ? (memory_ ? kWriterSetupMemory : kWriterSetupFile)
                                              : (memory_ ? kReaderSetupMemory : kReaderSetupFile);
    if (Status st = (*conn)->Exec(setup, "configure connection"); !st) return st.error();
    if (role == Role::kWriter && checkpointer_) checkpointer_->Attach(**conn);
    return std::unique_ptr<Connection>(std::move(*conn));
  }

  uint64_t Settle() override { return checkpointer_ ? checkpointer_->Settle() : 0; }

  // The whole process's SQLite memory: the page caches of every connection (the writer's
  // cache_size, the readers' default), prepared statements, schemas. A process has one store.
  std::optional<uint64_t> MemoryInUse() const override {
    return static_cast<uint64_t>(sqlite3_memory_used());
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
  // Declared last: destroyed first, after the store closed its connections (sql_store.hpp
  // keeps the driver longer than any of them), so no commit signals it while it goes.
  std::unique_ptr<Checkpointer> checkpointer_;  // file databases only
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
