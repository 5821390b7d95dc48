#pragma once
// PgCluster: a PostgreSQL server of this test process's own, for the tests of the PostgreSQL
// store: a real server, not a mock, and not a service of the machine (none needs to be running).
// On first use it runs initdb (superuser `cz`, trust authentication, UTF8, locale C) in a fresh
// temporary directory and starts the server with `pg_ctl start -w` (which returns once the server
// accepts connections) on a free 127.0.0.1 port, with its unix socket in that directory. fsync,
// synchronous_commit and full_page_writes are off: surviving a power cut is not what these tests
// check, and waiting for the disk at each commit would only slow them down. The binaries are those
// of the highest version under /usr/lib/postgresql/ (Debian's package `postgresql`, installed by
// scripts/setup.sh --test).
//
// initdb refuses to run as root, and CI runs as root: then initdb and pg_ctl run as the user
// `postgres` (which the Debian package creates) through runuser, and the directory, under /tmp,
// belongs to that user.
//
// At exit the server is stopped (pg_ctl stop -m immediate) and the directory removed, or kept
// (server stopped) when COZEAUTH_KEEP_TEST_DIRS is set. A test process that dies without exiting
// (a crash, SIGKILL, a ctest timeout) cannot do so, and PostgreSQL has no setting that makes the
// server exit with its parent. So the owner holds an flock on a file of the directory for as long
// as it lives, and every PgCluster, when it starts, first stops and removes the clusters whose
// lock is free: a crashed run's server lives until the next test process that uses PgCluster.
//
//   PgCluster* pg = PgCluster::Shared();
//   ASSERT_NE(pg, nullptr);                // the failure, with its reason, is already recorded
//   std::string url = pg->NewDatabase();   // postgresql://cz@127.0.0.1:PORT/cz_N, empty
//
// Thread-safe. Databases are never dropped: each test takes new ones, and they go with the cluster.

#include <sys/types.h>

#include <filesystem>
#include <shared_mutex>
#include <string>

namespace cozeauth::it {

class PgCluster {
 public:
  // The process's cluster, started on first use (thread-safe; concurrent first calls wait for
  // the one start). When it cannot start — the PostgreSQL binaries are missing, initdb or pg_ctl
  // failed — records a failure of the calling test with the reason and returns nullptr, on every
  // call: the start is not retried by each test.
  static PgCluster* Shared();

  // A new, empty database (CREATE DATABASE cz_<n>, n counting from 1 in this process) and its
  // URL, "postgresql://cz@127.0.0.1:<port>/cz_<n>". Throws std::runtime_error on failure.
  std::string NewDatabase();

  int port() const { return port_; }
  // "postgresql://cz@127.0.0.1:<port>/<db>", for an existing database such as "postgres".
  std::string url(const std::string& db) const;

  // Stops the server (pg_ctl stop -m fast: open connections are terminated) and starts it again
  // over the same data and on the same port, for tests of reconnection. NewDatabase() calls wait
  // for it. Throws std::runtime_error when the server does not come back.
  void Restart();

  // Stops the server and removes its directory (see the top of this file). Only the process that
  // started the cluster does so: a forked child that exits leaves its parent's cluster alone.
  ~PgCluster();
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

 private:
  PgCluster() = default;
  // initdb and the first start; throws std::runtime_error. The destructor undoes a partial start.
  void Init();
  // pg_ctl start -w; with `new_port`, on a free port chosen now, retried on another port when the
  // one chosen was taken meanwhile. Throws std::runtime_error.
  void StartServer(bool new_port);
  std::filesystem::path data_dir() const { return dir_ / "data"; }
  std::filesystem::path log_path() const { return dir_ / "postgres.log"; }

  std::filesystem::path bin_dir_;
  std::filesystem::path dir_;
  bool as_postgres_ = false;  // root: initdb and pg_ctl run as `postgres`
  int port_ = 0;
  int lock_fd_ = -1;  // the flock held for the process's lifetime (O_CLOEXEC)
  pid_t owner_pid_ = -1;
  // Shared by NewDatabase(), exclusive for Restart().
  std::shared_mutex mutex_;
};

}  // namespace cozeauth::it
