#include "support/pg_cluster.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <utility>
#include <vector>

#include "support/subprocess.hpp"

namespace cozeauth::it {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPgRoot = "/usr/lib/postgresql";
constexpr const char* kServerUser = "postgres";
constexpr const char* kDirPrefix = "cozeauth-pg-";
constexpr const char* kLockFile = "owner.lock";
// pg_ctl's own wait (-t) is 60 s; this only bounds a tool that hangs.
constexpr auto kToolTimeout = std::chrono::seconds(120);
constexpr int kPortAttempts = 5;

// The n of cz_<n>, for the whole process.
std::atomic<int> last_database{0};

std::runtime_error Error(const std::string& what) {
  return std::runtime_error("PgCluster: " + what);
}

std::runtime_error ErrnoError(const std::string& what) {
  return Error(what + ": " + std::strerror(errno));
}

// What `path` holds from byte `offset` on; "" when it does not exist.
std::string ReadFrom(const fs::path& path, size_t offset) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream s;
  s << in.rdbuf();
  std::string all = s.str();
  return offset < all.size() ? all.substr(offset) : "";
}

std::string Describe(const std::string& what, const ProcessResult& r) {
  return what + (r.timed_out ? " timed out" : " failed, exit " + std::to_string(r.exit_code)) +
         ":\n" + r.out + r.err;
}

// Debian installs each major version side by side, /usr/lib/postgresql/<version>/bin; the highest
// that has both tools wins, compared as numbers ("9.6" < "15").
std::optional<fs::path> FindBinDir() {
  std::optional<fs::path> best;
  std::pair<int, int> best_version{-1, -1};
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(kPgRoot, ec)) {
    int major = 0;
    int minor = 0;
    if (std::sscanf(entry.path().filename().c_str(), "%d.%d", &major, &minor) < 1) continue;
    const fs::path bin = entry.path() / "bin";
    if (access((bin / "initdb").c_str(), X_OK) != 0) continue;
    if (access((bin / "pg_ctl").c_str(), X_OK) != 0) continue;
    if (std::pair{major, minor} > best_version) {
      best_version = {major, minor};
      best = bin;
    }
  }
  return best;
}

// `argv`, run as `postgres` through runuser when `as_postgres` (initdb refuses root, and pg_ctl
// must signal a server of that user). runuser rather than setuid in a forked child: a fork of a
// multithreaded test process may run only async-signal-safe code before exec.
std::vector<std::string> ServerCommand(bool as_postgres, std::vector<std::string> argv) {
  if (!as_postgres) return argv;
  std::vector<std::string> out;
  for (const char* runuser : {"/usr/sbin/runuser", "/sbin/runuser"}) {
    if (access(runuser, X_OK) == 0) {
      out = {runuser, "-u", kServerUser, "--"};
      break;
    }
  }
  if (out.empty()) {
    throw Error("running as root, and there is no runuser to run PostgreSQL as postgres");
  }
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

// A port that was free a moment ago; the caller retries when the server finds it taken.
int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw ErrnoError("socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const auto error = ErrnoError("bind 127.0.0.1:0");
    close(fd);
    throw error;
  }
  close(fd);
  return ntohs(addr.sin_port);
}

// Stops and removes the clusters of test processes that died without exiting (their lock is free;
// see the header). Only directories of `server_uid` count: the server of another user's is not
// ours to stop. A directory without the lock file is skipped: it is being created, and its file
// appears already locked. Best effort: a failure here must not keep this process's cluster from
// starting.
void SweepAbandoned(const fs::path& base, const fs::path& bin_dir, bool as_postgres,
                    uid_t server_uid) {
  try {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(base, ec)) {
      const fs::path dir = entry.path();
      if (!dir.filename().string().starts_with(kDirPrefix)) continue;
      struct stat st {};
      if (lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != server_uid) {
        continue;
      }
      const int fd = open((dir / kLockFile).c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) continue;
      if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
        std::fprintf(stderr, "PgCluster: removing %s, left by a test process that died\n",
                     dir.c_str());
        if (fs::exists(dir / "data" / "postmaster.pid", ec)) {
          RunProcess(ServerCommand(as_postgres, {(bin_dir / "pg_ctl").string(), "stop", "-m",
                                                 "immediate", "-D", (dir / "data").string()}),
                     {}, kToolTimeout);
        }
        fs::remove_all(dir, ec);
      }
      close(fd);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "PgCluster: sweeping abandoned clusters: %s\n", e.what());
  }
}

}  // namespace

PgCluster* PgCluster::Shared() {
  struct Started {
    std::unique_ptr<PgCluster> cluster;
    std::string error;
  };
  // The first caller starts it; concurrent callers wait for that (a function-local static). Its
  // destruction at exit stops the server.
  static Started started = [] {
    Started s;
    s.cluster.reset(new PgCluster());
    try {
      s.cluster->Init();
    } catch (const std::exception& e) {
      s.error = e.what();
      s.cluster.reset();
    }
    return s;
  }();
  if (!started.cluster) {
    ADD_FAILURE() << started.error;
    return nullptr;
  }
  return started.cluster.get();
}

void PgCluster::Init() {
  owner_pid_ = getpid();
  const std::optional<fs::path> bin_dir = FindBinDir();
  if (!bin_dir) {
    throw Error(std::string("the PostgreSQL server binaries (initdb, pg_ctl) are not installed: "
                            "there is no ") +
                kPgRoot +
                "/<version>/bin with them. Install the Debian package postgresql "
                "(scripts/setup.sh --test does).");
  }
  bin_dir_ = *bin_dir;

  as_postgres_ = geteuid() == 0;
  uid_t server_uid = geteuid();
  gid_t server_gid = getegid();
  if (as_postgres_) {
    std::vector<char> buf(16384);
    passwd pw{};
    passwd* found = nullptr;
    if (getpwnam_r(kServerUser, &pw, buf.data(), buf.size(), &found) != 0 || found == nullptr) {
      throw Error(
          "running as root, which initdb refuses, and there is no user postgres to run it as "
          "(the Debian package postgresql creates it)");
    }
    server_uid = pw.pw_uid;
    server_gid = pw.pw_gid;
  }

  // As root, /tmp rather than $TMPDIR, which may be somewhere postgres cannot reach (/root/...).
  const fs::path base = as_postgres_ ? fs::path("/tmp") : fs::temp_directory_path();
  SweepAbandoned(base, bin_dir_, as_postgres_, server_uid);

  std::string dir = (base / (std::string(kDirPrefix) + "XXXXXX")).string();
  if (mkdtemp(dir.data()) == nullptr) throw ErrnoError("mkdtemp " + dir);
  dir_ = dir;
  // The lock file appears by a rename, already locked, so that a sweeping process never finds it
  // unlocked while this one lives. O_CLOEXEC: were the server to inherit it, it would hold the lock
  // after this process died and never be swept.
  const fs::path fresh_lock = dir_ / (std::string(kLockFile) + ".new");
  lock_fd_ = open(fresh_lock.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (lock_fd_ < 0) throw ErrnoError("open " + fresh_lock.string());
  if (flock(lock_fd_, LOCK_EX) != 0) throw ErrnoError("flock " + fresh_lock.string());
  if (rename(fresh_lock.c_str(), (dir_ / kLockFile).c_str()) != 0) {
    throw ErrnoError("rename " + fresh_lock.string());
  }
  if (as_postgres_ && chown(dir_.c_str(), server_uid, server_gid) != 0) {
    throw ErrnoError("chown " + dir_.string());
  }

  // --no-sync: as with fsync=off, a crash of the machine is not what the tests are about.
  const ProcessResult r = RunProcess(
      ServerCommand(as_postgres_, {(bin_dir_ / "initdb").string(), "-D", data_dir().string(), "-A",
                                   "trust", "-U", "cz", "-E", "UTF8", "--locale=C", "--no-sync"}),
      {}, kToolTimeout);
  if (r.timed_out || r.exit_code != 0) throw Error(Describe("initdb", r));
  StartServer(/*new_port=*/true);
}

void PgCluster::StartServer(bool new_port) {
  for (int attempt = 1;; ++attempt) {
    if (new_port) port_ = FreeLoopbackPort();
    std::error_code ec;
    const uintmax_t log_size = fs::file_size(log_path(), ec);
    const size_t log_offset = ec ? 0 : static_cast<size_t>(log_size);
    // pg_ctl hands these to the server through sh, hence the quotes around the directory (whose
    // name mkdtemp makes of letters and digits, under /tmp or $TMPDIR).
    const std::string options =
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
        "-c listen_addresses=127.0.0.1 -p " +
        std::to_string(port_) + " -k '" + dir_.string() + "' -c max_connections=200";
    const ProcessResult r =
        RunProcess(ServerCommand(as_postgres_,
                                 {(bin_dir_ / "pg_ctl").string(), "start", "-w", "-t", "60", "-D",
                                  data_dir().string(), "-l", log_path().string(), "-o", options}),
                   {}, kToolTimeout);
    if (!r.timed_out && r.exit_code == 0) return;
    const std::string log = ReadFrom(log_path(), log_offset);
    // Another process took the port between FreeLoopbackPort() and the server's bind.
    if (new_port && attempt < kPortAttempts && log.find("Address already in use") != log.npos) {
      continue;
    }
    throw Error(Describe("pg_ctl start on 127.0.0.1:" + std::to_string(port_), r) + "server log " +
                log_path().string() + ":\n" + log);
  }
}

std::string PgCluster::url(const std::string& db) const {
  return "postgresql://cz@127.0.0.1:" + std::to_string(port_) + "/" + db;
}

std::string PgCluster::NewDatabase() {
  const std::string name = "cz_" + std::to_string(++last_database);
  std::shared_lock lock(mutex_);
  const std::string admin_url = url("postgres");
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(admin_url.c_str()), &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    throw Error("cannot connect to " + admin_url + ": " + PQerrorMessage(conn.get()));
  }
  // FILE_COPY (PostgreSQL 15 on) copies template1's files and checkpoints: about twice as fast
  // here as the default WAL_LOG, which writes each of its pages to the WAL.
  std::string sql = "CREATE DATABASE " + name;
  if (PQserverVersion(conn.get()) >= 150000) sql += " STRATEGY FILE_COPY";
  std::unique_ptr<PGresult, decltype(&PQclear)> res(PQexec(conn.get(), sql.c_str()), &PQclear);
  if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
    throw Error(sql + ": " + PQresultErrorMessage(res.get()));
  }
  return url(name);
}

void PgCluster::Restart() {
  std::unique_lock lock(mutex_);
  const ProcessResult r =
      RunProcess(ServerCommand(as_postgres_, {(bin_dir_ / "pg_ctl").string(), "stop", "-m", "fast",
                                              "-w", "-D", data_dir().string()}),
                 {}, kToolTimeout);
  if (r.timed_out || r.exit_code != 0) throw Error(Describe("pg_ctl stop", r));
  StartServer(/*new_port=*/false);
}

PgCluster::~PgCluster() {
  // A forked child (a death test, a test that forks) runs this too when it exits; the cluster is
  // its parent's.
  if (getpid() != owner_pid_) return;
  if (!dir_.empty()) {
    std::error_code ec;
    // A start that failed or timed out may still have left a server running: its pid file says.
    if (fs::exists(data_dir() / "postmaster.pid", ec)) {
      try {
        const ProcessResult r =
            RunProcess(ServerCommand(as_postgres_, {(bin_dir_ / "pg_ctl").string(), "stop", "-m",
                                                    "immediate", "-D", data_dir().string()}),
                       {}, kToolTimeout);
        if (r.timed_out || r.exit_code != 0) {
          std::fprintf(stderr, "PgCluster: %s\n", Describe("pg_ctl stop", r).c_str());
        }
      } catch (const std::exception& e) {
        std::fprintf(stderr, "PgCluster: pg_ctl stop: %s\n", e.what());
      }
    }
    if (std::getenv("COZEAUTH_KEEP_TEST_DIRS") != nullptr) {
      // Without its lock file, no later PgCluster sweeps the directory away.
      fs::remove(dir_ / kLockFile, ec);
      std::fprintf(stderr, "kept PostgreSQL test directory %s\n", dir_.c_str());
    } else {
      fs::remove_all(dir_, ec);
    }
  }
  if (lock_fd_ >= 0) close(lock_fd_);
}

}  // namespace cozeauth::it
