// The PostgreSQL sql::Driver: connections, the schema of pg_schema.cpp, NOTIFY on a bump and the
// LISTEN thread (see pg_store.hpp).
#include "store/postgres/pg_store.hpp"

#include <libpq-fe.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

#include "base/thread_name.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_schema.hpp"
#include "store/sql/schema_versions.hpp"

namespace cozeauth::store::postgres {
namespace {

constexpr char kChannel[] = "cozeauth_epochs";
constexpr char kNotifyAuth[] = "SELECT pg_notify('cozeauth_epochs', 'auth')";
constexpr char kNotifyBots[] = "SELECT pg_notify('cozeauth_epochs', 'bots')";
constexpr int kReconnectMillis = 1000;

class PgDriver final : public sql::Driver {
 public:
  explicit PgDriver(std::string conninfo) : conninfo_(std::move(conninfo)) {}

  ~PgDriver() override {
    if (listener_.joinable()) {
      stop_.store(true);
      const uint64_t one = 1;
      (void)!write(wake_fd_, &one, sizeof one);
      listener_.join();
    }
    if (wake_fd_ >= 0) close(wake_fd_);
  }

  Result<std::unique_ptr<Connection>> Connect(Role role) override {
    (void)role;  // writers and readers differ only in how SqlStore begins their transactions
    auto conn = PgConnection::Open(conninfo_);
    if (!conn) return conn.error();
    return std::unique_ptr<Connection>(std::move(*conn));
  }

  // Opening a PostgreSQL connection forks a server process (milliseconds): keep every reader
  // that the server's workers, its issue pool and its background threads use at once.
  size_t MaxIdleReaders() const override { return 32; }

  Status ApplySchema(Connection& writer, int64_t now) override {
    return sql::ApplySchemaVersions(writer, SchemaScripts(), now);
  }

  Result<std::optional<int64_t>> ChangeStamp(Connection&) override {
    return std::optional<int64_t>();  // read the epochs on every call
  }

  Status AnnounceBump(Connection& writer, sql::EpochKind kind) override {
    // The notification comes back to this store's own listener too: it is told apart by the
    // sending backend, this store's one writer (its pid changes only when it reconnects, and is
    // stored here before its next notification can be delivered, at commit).
    writer_pid_.store(PQbackendPID(static_cast<PgConnection&>(writer).handle()));
    auto st = writer.Prepare(kind == sql::EpochKind::kAuth ? kNotifyAuth : kNotifyBots,
                             "notify epoch bump");
    if (!st) return st.error();
    return st->Run();
  }

  void WatchBumps(std::function<void(sql::EpochKind)> on_bump) override {
    wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_fd_ < 0) return;  // no watcher: the poll still sees every bump
    on_bump_ = std::move(on_bump);
    // The first LISTEN is in place before the store is returned, so that every bump another node
    // commits after Open() reaches this store's listeners; only a reconnection leaves a gap
    // (which the servers' poll covers).
    PGconn* first = StartListening();
    listener_ = std::thread([this, first] {
      NameThisThread("cz-pg-listen");
      Listen(first);
    });
  }

 private:
  // Connects and LISTENs; nullptr (and the next try in a second) when the server is away.
  PGconn* StartListening() {
    PGconn* conn = PQconnectdb(conninfo_.c_str());
    if (conn == nullptr) return nullptr;
    if (PQstatus(conn) == CONNECTION_OK) {
      PQsetNoticeProcessor(
          conn, [](void*, const char*) {}, nullptr);
      PGresult* r = PQexec(conn, (std::string("LISTEN ") + kChannel).c_str());
      const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
      PQclear(r);
      if (ok) return conn;
    }
    PQfinish(conn);
    return nullptr;
  }

  // Reports the notifications libpq has read (PQnotifies also parses what is buffered but not yet
  // parsed, such as what arrived behind the LISTEN's reply, which no poll would wake for).
  void Deliver(PGconn* conn) {
    while (PGnotify* n = PQnotifies(conn)) {
      const bool bots = std::strcmp(n->extra, "bots") == 0;
      const bool own = n->be_pid == writer_pid_.load();  // already reported at its commit
      PQfreemem(n);
      if (!own) on_bump_(bots ? sql::EpochKind::kBots : sql::EpochKind::kAuth);
    }
  }

  void Listen(PGconn* conn) {
    while (!stop_.load()) {
      if (conn == nullptr) conn = StartListening();
      if (conn != nullptr) Deliver(conn);
      pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {conn ? PQsocket(conn) : -1, POLLIN, 0}};
      const int ready = poll(fds, conn ? 2 : 1, conn ? -1 : kReconnectMillis);
      if (stop_.load()) break;
      if (ready <= 0 || conn == nullptr) continue;
      if (PQconsumeInput(conn) == 0 || PQstatus(conn) != CONNECTION_OK) {
        PQfinish(conn);  // dropped: reconnect; bumps meanwhile reach the servers by their poll
        conn = nullptr;
      }
    }
    if (conn != nullptr) PQfinish(conn);
  }

  const std::string conninfo_;
  std::function<void(sql::EpochKind)> on_bump_;
  std::atomic<bool> stop_{false};
  std::atomic<int> writer_pid_{0};
  int wake_fd_ = -1;
  std::thread listener_;
};

}  // namespace

Result<std::unique_ptr<sql::SqlStore>> Open(const std::string& conninfo, const Clock& clock) {
  return sql::SqlStore::Open(std::make_unique<PgDriver>(conninfo), clock);
}

}  // namespace cozeauth::store::postgres
