#pragma once
// TestServer: the real `cozeauth serve` binary as a child process, listening on 127.0.0.1 port
// 0 over a fresh SQLite file (or TestServerOptions::db_file, or the store at
// TestServerOptions::db_url, e.g. a PostgreSQL database of PgCluster) in a private temporary
// directory. The constructor returns once the server has printed `cozeauth: listening on
// http://127.0.0.1:PORT` on stderr (20 s at most; otherwise it throws std::runtime_error with the
// server's stderr). stdout — the JSON access log, one object per line — and stderr are kept in
// files of that directory.
//
// Stop() sends SIGTERM and waits for the exit; the destructor does so if the test did not, and
// records a test failure when the server did not exit 0 (a graceful shutdown). The directory is
// removed afterwards unless COZEAUTH_KEEP_TEST_DIRS is set in the environment.
//
// Restart() is the deterministic flush: a graceful stop writes everything the server keeps in
// memory for the store (request counts, tokens' last_used_at; observe/request_stats.hpp,
// api/authenticator.hpp) before it exits, so a test that must see those rows restarts the server
// instead of waiting for a background flush.
//
//   TestServer server;
//   auto res = server.Http().Get("/healthz");
//   auto cli = server.Admin();      // `cozeauth admin … --db <same store>`
//
// Not thread-safe; one test thread owns it.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/cli_runner.hpp"
#include "support/http_client.hpp"
#include "support/subprocess.hpp"

namespace cozeauth::it {

struct TestServerOptions {
  std::vector<std::string> extra_args;  // appended to the serve command line
  std::filesystem::path db_file;        // an existing store to reuse; empty: a fresh c.db
  // A store URL ("postgresql://…") the server and Admin() use instead of a SQLite file of the
  // test's directory (db_file is then ignored); several servers may share one, as nodes.
  std::string db_url;
  EnvVars extra_env;
  std::chrono::milliseconds start_timeout = std::chrono::seconds(20);
};

class TestServer {
 public:
  static constexpr const char* kAdminEmail = "root@cozeauth.test";
  static constexpr const char* kAdminPassword = "Integration-Passw0rd!";

  explicit TestServer(TestServerOptions options = {});
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  uint16_t port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return pid_; }

  const std::filesystem::path& dir() const { return dir_; }
  // The SQLite file; meaningless when TestServerOptions::db_url names the store.
  std::filesystem::path db_path() const { return db_file_.empty() ? dir_ / "c.db" : db_file_; }
  std::string db_url() const {
    return options_.db_url.empty() ? "sqlite:" + db_path().string() : options_.db_url;
  }
  std::filesystem::path data_dir() const { return dir_ / "var"; }
  std::filesystem::path access_log_path() const { return dir_ / "stdout.log"; }
  std::filesystem::path stderr_path() const { return dir_ / "stderr.log"; }

  HttpClient Http() const { return HttpClient("127.0.0.1", port_); }
  AdminCli Admin() const { return AdminCli(db_url()); }

  // The server's stderr and its access log (stdout) so far.
  std::string Stderr() const;
  // The value of an unlabelled series in GET /metrics (e.g. "cozeauth_auth_cache_misses_total");
  // throws std::runtime_error when the exposition has no such series.
  int64_t Metric(std::string_view series) const;
  std::vector<std::string> AccessLogLines() const;

  bool running();
  // SIGTERM, then waits up to `timeout` (SIGKILL after it). Returns the exit status (128 +
  // signal when killed by one; -1 when it had to be killed). Idempotent.
  int Stop(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  std::optional<int> exit_code() const { return exit_code_; }
  // Stops the server gracefully (throws std::runtime_error unless it exits 0), then starts it
  // again over the same store, directory and options; the port changes, clients made by Http()
  // afterwards use the new one. The log files are appended to, not truncated.
  void Restart();

 private:
  void Launch();

  TestServerOptions options_;
  std::filesystem::path dir_;
  std::filesystem::path db_file_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  std::optional<int> exit_code_;
};

// Reads a whole file; "" when it does not exist.
std::string ReadFile(const std::filesystem::path& path);

}  // namespace cozeauth::it
