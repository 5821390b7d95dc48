// SqliteStore's connection management: opening, the reader pool, Transaction(), the write
// wrapper and the epochs (AuthEpoch(), BotEpoch()). The Store methods themselves live in
// sqlite_tenancy.cpp, sqlite_bots.cpp, sqlite_content.cpp and sqlite_credentials.cpp.
#include "store/sqlite/sqlite_store.hpp"

#include <filesystem>
#include <system_error>

#include "base/blocking.hpp"
#include "store/sqlite/codec.hpp"
#include "store/sqlite/schema.hpp"

namespace cozeauth::store::sqlite {
namespace {

// Idle readers kept for reuse; a burst beyond this opens extra connections and closes them after.
constexpr size_t kMaxIdleReaders = 8;

constexpr char kWriterSetupFile[] =
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON";
constexpr char kWriterSetupMemory[] = "PRAGMA foreign_keys=ON";
constexpr char kReaderSetupFile[] = "PRAGMA query_only=1";
// Shared cache isolates by table locks; see the header comment.
constexpr char kReaderSetupMemory[] = "PRAGMA read_uncommitted=1; PRAGMA query_only=1";

constexpr char kSavepoint[] = "SAVEPOINT store_write";
constexpr char kReleaseSavepoint[] = "RELEASE store_write";
constexpr char kRollbackToSavepoint[] = "ROLLBACK TO store_write";
constexpr char kBumpEpoch[] = "UPDATE meta SET value = value + 1 WHERE key = 'auth_epoch'";
constexpr char kBumpBotEpoch[] = "UPDATE meta SET value = value + 1 WHERE key = 'bot_epoch'";
// One row: the auth epoch, the bot epoch (schema v7).
constexpr char kSelectEpochs[] =
    "SELECT (SELECT value FROM meta WHERE key = 'auth_epoch'), "
    "(SELECT value FROM meta WHERE key = 'bot_epoch')";
constexpr char kDataVersion[] = "PRAGMA data_version";

// The stores whose Transaction() is running on this thread, innermost first. A list rather than
// one pointer so that a transaction on one store may call into another store's transaction.
struct TransactionFrame {
  const void* store;
  const TransactionFrame* outer;
};
thread_local const TransactionFrame* t_transactions = nullptr;

class FrameScope {
 public:
  explicit FrameScope(const void* store) : frame_{store, t_transactions} {
    t_transactions = &frame_;
  }
  ~FrameScope() { t_transactions = frame_.outer; }
  FrameScope(const FrameScope&) = delete;
  FrameScope& operator=(const FrameScope&) = delete;

 private:
  TransactionFrame frame_;
};

Status RunStatement(Connection& conn, const char* sql, const char* what) {
  auto st = conn.Prepare(sql, what);
  if (!st) return st.error();
  return st->Run();
}

// Undoes a joined write that failed, leaving the enclosing transaction usable.
class SavepointScope {
 public:
  explicit SavepointScope(Connection& conn) : conn_(conn) {}
  ~SavepointScope() {
    if (released_) return;
    // Errors are ignored: if sqlite already rolled back the whole transaction, there is no
    // savepoint left, and the enclosing COMMIT reports the failure.
    (void)RunStatement(conn_, kRollbackToSavepoint, "rollback to savepoint");
    (void)RunStatement(conn_, kReleaseSavepoint, "release savepoint");
  }
  SavepointScope(const SavepointScope&) = delete;
  SavepointScope& operator=(const SavepointScope&) = delete;

  Status Release() {
    Status st = RunStatement(conn_, kReleaseSavepoint, "release savepoint");
    released_ = st.has_value();
    return st;
  }

 private:
  Connection& conn_;
  bool released_ = false;
};

// `bump`: the statement that increments an epoch after fn's write, or nullptr.
Status RunWrite(Connection& conn, const std::function<Status(Connection&)>& fn, const char* bump) {
  if (Status st = fn(conn); !st) return st;
  if (bump != nullptr) return RunStatement(conn, bump, "bump epoch");
  return {};
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       const Clock& clock) {
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

  auto writer = Connect(target, memory, Role::kWriter);
  if (!writer) return writer.error();
  if (Status st = ApplySchema(**writer, clock.NowSeconds()); !st) return st.error();
  auto epoch_reader = Connect(target, memory, Role::kReader);
  if (!epoch_reader) return epoch_reader.error();
  return std::unique_ptr<SqliteStore>(new SqliteStore(
      std::move(target), memory, clock, std::move(*writer), std::move(*epoch_reader)));
}

SqliteStore::SqliteStore(std::string target, bool memory, const Clock& clock,
                         std::unique_ptr<Connection> writer,
                         std::unique_ptr<Connection> epoch_reader)
    : target_(std::move(target)),
      memory_(memory),
      clock_(clock),
      writer_(std::move(writer)),
      epoch_reader_(std::move(epoch_reader)) {}

SqliteStore::~SqliteStore() = default;

Result<std::unique_ptr<Connection>> SqliteStore::Connect(const std::string& target, bool memory,
                                                         Role role) {
  auto conn = Connection::Open(target, /*uri=*/memory);
  if (!conn) {
    return Error::Make(Errc::kInternal, "sqlite " + target + ": " + conn.error().message);
  }
  const char* setup = role == Role::kWriter ? (memory ? kWriterSetupMemory : kWriterSetupFile)
                                            : (memory ? kReaderSetupMemory : kReaderSetupFile);
  if (Status st = (*conn)->Exec(setup, "configure connection"); !st) return st.error();
  if (role == Role::kWriter) {
    // Prepared now so that the rollback in ~SavepointScope never needs to allocate.
    for (const char* sql : {kSavepoint, kReleaseSavepoint, kRollbackToSavepoint}) {
      auto st = (*conn)->Prepare(sql, "prepare savepoint");
      if (!st) return st.error();
    }
  }
  return conn;
}

bool SqliteStore::InTransaction() const {
  for (const TransactionFrame* f = t_transactions; f != nullptr; f = f->outer) {
    if (f->store == this) return true;
  }
  return false;
}

Status SqliteStore::Transaction(const std::function<Status()>& fn) {
  // Every store call starts here, at Write, ReadEpochs or ReadLease: none runs on an I/O thread
  // (base/blocking.hpp).
  MayBlockOrThrow();
  if (InTransaction()) return fn();
  std::lock_guard lock(write_mu_);
  txn_bumped_ = false;
  txn_bumped_bots_ = false;
  if (Status st = writer_->Begin(/*immediate=*/true); !st) return st;
  // Destroyed in reverse order: the frame is popped, then an uncommitted transaction is rolled
  // back, also when fn throws (the exception then continues to the caller).
  TransactionScope txn(*writer_);
  Status result;
  {
    FrameScope frame(this);
    result = fn();
  }
  if (!result) return result;
  if (Status st = txn.Commit(); !st) return st;
  commits_.fetch_add(1, std::memory_order_release);
  if (txn_bumped_) NotifyAuthEpochBump();
  if (txn_bumped_bots_) NotifyBotEpochBump();
  return {};
}

Status SqliteStore::Write(Epoch epoch, const WriteFn& fn) {
  MayBlockOrThrow();
  const char* bump = epoch == Epoch::kBump       ? kBumpEpoch
                     : epoch == Epoch::kBumpBots ? kBumpBotEpoch
                                                 : nullptr;
  if (InTransaction()) {
    // This thread holds write_mu_ through Transaction(); the savepoint keeps this write atomic
    // even if the caller goes on after it failed.
    if (Status st = RunStatement(*writer_, kSavepoint, "savepoint"); !st) return st;
    SavepointScope savepoint(*writer_);
    if (Status st = RunWrite(*writer_, fn, bump); !st) return st;
    // Notified when the transaction commits.
    txn_bumped_ = txn_bumped_ || epoch == Epoch::kBump;
    txn_bumped_bots_ = txn_bumped_bots_ || epoch == Epoch::kBumpBots;
    return savepoint.Release();
  }
  std::lock_guard lock(write_mu_);
  if (Status st = writer_->Begin(/*immediate=*/true); !st) return st;
  TransactionScope txn(*writer_);
  if (Status st = RunWrite(*writer_, fn, bump); !st) return st;
  if (Status st = txn.Commit(); !st) return st;
  commits_.fetch_add(1, std::memory_order_release);
  if (epoch == Epoch::kBump) NotifyAuthEpochBump();
  if (epoch == Epoch::kBumpBots) NotifyBotEpochBump();
  return {};
}

Result<int64_t> SqliteStore::AuthEpoch() {
  auto epochs = ReadEpochs();
  if (!epochs) return epochs.error();
  return epochs->auth;
}

Result<int64_t> SqliteStore::BotEpoch() {
  auto epochs = ReadEpochs();
  if (!epochs) return epochs.error();
  return epochs->bots;
}

Result<SqliteStore::Epochs> SqliteStore::ReadEpochs() {
  MayBlockOrThrow();
  const auto read = [](Connection& conn) -> Result<Epochs> {
    auto st = conn.Prepare(kSelectEpochs, "read epochs");
    if (!st) return st.error();
    return FetchOne<Epochs>(
        *st,
        [](Statement& row) -> Result<Epochs> {
          return Epochs{row.Int(0), row.Int(1)};
        },
        [] { return Error::Make(Errc::kInternal, "read epochs: no row"); });
  };
  if (InTransaction()) return read(*writer_);
  std::lock_guard lock(epoch_mu_);
  // Load the commit count before looking: a commit racing with this call is then either seen by
  // the SELECT below or noticed by the next call.
  const uint64_t commits = commits_.load(std::memory_order_acquire);
  auto dv = epoch_reader_->Prepare(kDataVersion, "read data_version");
  if (!dv) return dv.error();
  auto data_version = FetchInt(*dv);
  if (!data_version) return data_version.error();
  // data_version changes when another connection commits; commits_ covers this store's own
  // writer, in case the two ever share a connection or cache.
  if (epoch_cached_ && *data_version == seen_data_version_ && commits == seen_commits_) {
    return epochs_;
  }
  auto epochs = read(*epoch_reader_);
  if (!epochs) return epochs.error();
  epochs_ = *epochs;
  seen_data_version_ = *data_version;
  seen_commits_ = commits;
  epoch_cached_ = true;
  return epochs_;
}

Result<std::unique_ptr<Connection>> SqliteStore::AcquireReader() {
  {
    std::lock_guard lock(readers_mu_);
    if (!idle_readers_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return conn;
    }
  }
  return Connect(target_, memory_, Role::kReader);
}

void SqliteStore::ReleaseReader(std::unique_ptr<Connection> conn) {
  // A reader left inside a transaction would pin its snapshot and stall WAL checkpoints.
  conn->Rollback();
  std::lock_guard lock(readers_mu_);
  if (idle_readers_.size() < kMaxIdleReaders) idle_readers_.push_back(std::move(conn));
  // Otherwise the pool is full and conn closes on return.
}

SqliteStore::ReadLease::ReadLease(SqliteStore& store) : store_(store) {
  MayBlockOrThrow();
  if (store.InTransaction()) {
    conn_ = store.writer_.get();  // this thread holds write_mu_ through Transaction()
    return;
  }
  auto conn = store.AcquireReader();
  if (!conn) {
    error_ = conn.error();
    return;
  }
  pooled_ = std::move(*conn);
  conn_ = pooled_.get();
}

SqliteStore::ReadLease::~ReadLease() {
  if (pooled_) store_.ReleaseReader(std::move(pooled_));
}

Result<Statement> SqliteStore::ReadLease::Prepare(const char* sql, const char* what) {
  if (conn_ == nullptr) return *error_;
  return conn_->Prepare(sql, what);
}

Status SqliteStore::ReadLease::Snapshot() {
  if (conn_ == nullptr) return *error_;
  if (!pooled_ || conn_->InTransaction()) return {};  // the joined transaction is the snapshot
  return conn_->Begin(/*immediate=*/false);
}

}  // namespace cozeauth::store::sqlite
