// SqlStore's connection management: opening, the reader pool, Transaction(), the write
// wrapper and the epochs (AuthEpoch(), BotEpoch()). The Store methods themselves live in
// sql_tenancy.cpp, sql_bots.cpp, sql_content.cpp, sql_credentials.cpp and the other sql_*.cpp.
#include "store/sql/sql_store.hpp"

#include "base/blocking.hpp"
#include "store/sql/codec.hpp"

namespace cozeauth::store::sql {
namespace {

constexpr char kSavepoint[] = "SAVEPOINT store_write";
constexpr char kReleaseSavepoint[] = "RELEASE store_write";
constexpr char kRollbackToSavepoint[] = "ROLLBACK TO store_write";
constexpr char kBumpEpoch[] = "UPDATE meta SET value = value + 1 WHERE key = 'auth_epoch'";
constexpr char kBumpBotEpoch[] = "UPDATE meta SET value = value + 1 WHERE key = 'bot_epoch'";
// One row: the auth epoch, the bot epoch (schema v7).
constexpr char kSelectEpochs[] =
    "SELECT (SELECT value FROM meta WHERE key = 'auth_epoch'), "
    "(SELECT value FROM meta WHERE key = 'bot_epoch')";

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
    // Errors are ignored: if the database already rolled back the whole transaction, there is no
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

// `bump`: the statement that increments an epoch after fn's write, or nullptr; `kind`: its epoch.
Status RunWrite(Driver& driver, Connection& conn, const std::function<Status(Connection&)>& fn,
                const char* bump, EpochKind kind) {
  if (Status st = fn(conn); !st) return st;
  if (bump == nullptr) return {};
  if (Status st = RunStatement(conn, bump, "bump epoch"); !st) return st;
  return driver.AnnounceBump(conn, kind);
}

}  // namespace

Result<std::unique_ptr<SqlStore>> SqlStore::Open(std::unique_ptr<Driver> driver,
                                                 const Clock& clock) {
  auto writer = driver->Connect(Role::kWriter);
  if (!writer) return writer.error();
  if (Status st = driver->ApplySchema(**writer, clock.NowSeconds()); !st) return st.error();
  auto epoch_reader = driver->Connect(Role::kReader);
  if (!epoch_reader) return epoch_reader.error();
  std::unique_ptr<SqlStore> store(
      new SqlStore(std::move(driver), clock, std::move(*writer), std::move(*epoch_reader)));
  // Prepared now so that the rollback in ~SavepointScope never needs to allocate.
  for (const char* sql : {kSavepoint, kReleaseSavepoint, kRollbackToSavepoint}) {
    auto st = store->writer_->Prepare(sql, "prepare savepoint");
    if (!st) return st.error();
  }
  // Another node's bump reaches the caches as this store's own do; the listeners are read when
  // called, so one set later is seen.
  store->driver_->WatchBumps([raw = store.get()](EpochKind kind) {
    if (kind == EpochKind::kAuth) {
      raw->NotifyAuthEpochBump();
    } else {
      raw->NotifyBotEpochBump();
    }
  });
  return store;
}

SqlStore::SqlStore(std::unique_ptr<Driver> driver, const Clock& clock,
                   std::unique_ptr<Connection> writer, std::unique_ptr<Connection> epoch_reader)
    : driver_(std::move(driver)),
      clock_(clock),
      writer_(std::move(writer)),
      epoch_reader_(std::move(epoch_reader)) {}

SqlStore::~SqlStore() { issue_committer_.Stop(); }

bool SqlStore::InTransaction() const {
  for (const TransactionFrame* f = t_transactions; f != nullptr; f = f->outer) {
    if (f->store == this) return true;
  }
  return false;
}

Status SqlStore::Transaction(const std::function<Status()>& fn) {
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

Status SqlStore::Write(Epoch epoch, const WriteFn& fn) {
  MayBlockOrThrow();
  const char* bump = epoch == Epoch::kBump       ? kBumpEpoch
                     : epoch == Epoch::kBumpBots ? kBumpBotEpoch
                                                 : nullptr;
  const EpochKind kind = epoch == Epoch::kBumpBots ? EpochKind::kBots : EpochKind::kAuth;
  if (InTransaction()) {
    // This thread holds write_mu_ through Transaction(); the savepoint keeps this write atomic
    // even if the caller goes on after it failed.
    if (Status st = RunStatement(*writer_, kSavepoint, "savepoint"); !st) return st;
    SavepointScope savepoint(*writer_);
    if (Status st = RunWrite(*driver_, *writer_, fn, bump, kind); !st) return st;
    // Notified when the transaction commits.
    txn_bumped_ = txn_bumped_ || epoch == Epoch::kBump;
    txn_bumped_bots_ = txn_bumped_bots_ || epoch == Epoch::kBumpBots;
    return savepoint.Release();
  }
  std::lock_guard lock(write_mu_);
  if (Status st = writer_->Begin(/*immediate=*/true); !st) return st;
  TransactionScope txn(*writer_);
  if (Status st = RunWrite(*driver_, *writer_, fn, bump, kind); !st) return st;
  if (Status st = txn.Commit(); !st) return st;
  commits_.fetch_add(1, std::memory_order_release);
  if (epoch == Epoch::kBump) NotifyAuthEpochBump();
  if (epoch == Epoch::kBumpBots) NotifyBotEpochBump();
  return {};
}

Status SqlStore::RunOnWriteConnection(bool write, const std::function<Status(Connection&)>& fn) {
  MayBlockOrThrow();
  if (InTransaction()) {
    return Error::Make(Errc::kInternal, "RunOnWriteConnection inside Transaction()");
  }
  std::lock_guard lock(write_mu_);
  if (Status st = writer_->Begin(/*immediate=*/write); !st) return st;
  TransactionScope txn(*writer_);  // rolls back unless committed below
  if (Status st = fn(*writer_); !st) return st;
  if (!write) return {};
  if (Status st = txn.Commit(); !st) return st;
  commits_.fetch_add(1, std::memory_order_release);
  return {};
}

Result<int64_t> SqlStore::AuthEpoch() {
  auto epochs = ReadEpochs();
  if (!epochs) return epochs.error();
  return epochs->auth;
}

Result<int64_t> SqlStore::BotEpoch() {
  auto epochs = ReadEpochs();
  if (!epochs) return epochs.error();
  return epochs->bots;
}

Result<SqlStore::Epochs> SqlStore::ReadEpochs() {
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
  auto stamp = driver_->ChangeStamp(*epoch_reader_);
  if (!stamp) return stamp.error();
  // The stamp changes when another connection commits; commits_ covers this store's own
  // writer, in case the two ever share a connection or cache.
  if (epoch_cached_ && *stamp && **stamp == seen_change_stamp_ && commits == seen_commits_) {
    return epochs_;
  }
  auto epochs = read(*epoch_reader_);
  if (!epochs) return epochs.error();
  epochs_ = *epochs;
  seen_change_stamp_ = stamp->value_or(0);
  seen_commits_ = commits;
  epoch_cached_ = true;
  return epochs_;
}

Result<std::unique_ptr<Connection>> SqlStore::AcquireReader() {
  {
    std::lock_guard lock(readers_mu_);
    if (!idle_readers_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return conn;
    }
  }
  return driver_->Connect(Role::kReader);
}

void SqlStore::ReleaseReader(std::unique_ptr<Connection> conn) {
  // A reader left inside a transaction would pin its snapshot and stall WAL checkpoints.
  conn->Rollback();
  std::lock_guard lock(readers_mu_);
  if (idle_readers_.size() < driver_->MaxIdleReaders()) idle_readers_.push_back(std::move(conn));
  // Otherwise the pool is full and conn closes on return.
}

SqlStore::ReadLease::ReadLease(SqlStore& store) : store_(store) {
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

SqlStore::ReadLease::~ReadLease() {
  if (pooled_) store_.ReleaseReader(std::move(pooled_));
}

Result<Statement> SqlStore::ReadLease::Prepare(const char* sql, const char* what) {
  if (conn_ == nullptr) return *error_;
  return conn_->Prepare(sql, what);
}

Status SqlStore::ReadLease::Snapshot() {
  if (conn_ == nullptr) return *error_;
  if (!pooled_ || conn_->InTransaction()) return {};  // the joined transaction is the snapshot
  return conn_->Begin(/*immediate=*/false);
}

}  // namespace cozeauth::store::sql
