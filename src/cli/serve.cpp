// `cozeauth serve`: configuration (flags > COZEAUTH_* environment > TOML file > defaults),
// the store, the bootstrap administrator, and the HTTP server.

#include <toml++/toml.h>

#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <filesystem>
#include <thread>

#include "admin/operations.hpp"
#include "api/authenticator.hpp"
#include "api/deps.hpp"
#include "api/routes.hpp"
#include "console/oauth_pages.hpp"
#include "base/clock.hpp"
#include "base/ids.hpp"
#include "base/random.hpp"
#include "cli/cli.hpp"
#include "http/server.hpp"
#include "observe/access_log.hpp"
#include "observe/metrics.hpp"
#include "observe/request_stats.hpp"

namespace cozeauth::cli {
namespace {

// Thread defaults follow the machine: more threads than cores only adds context switches
// between the I/O threads and the worker pool (bench/load.sh on 2 cores, 2026-11-30: 1 I/O + 2
// workers served authorized requests at 50 % / 42 % of /healthz, 1 + 1 at 72 % / 54 %; see
// docs/performance.md). So I/O threads + workers = cores. Argon2id logins run on a separate
// one-thread pool (RouteOptions::slow) and cannot stall the API workers.
int Cores() { return std::max(1u, std::thread::hardware_concurrency()); }

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  std::string config_file;
  std::string data_dir = "./var";
  int workers = std::max(1, Cores() - std::max(1, Cores() / 2));
  int io_threads = std::max(1, Cores() / 2);
  bool access_log = true;
};

// Values from the TOML file fill only what flags and the environment left unset.
Status ApplyConfigFile(const std::string& path, ServeOptions& o, Cli& cli, const CLI::App& cmd) {
  toml::table t;
  try {
    t = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Error::BadRequest("config", "cannot read " + path + ": " + std::string(e.description()));
  }
  auto unset = [&](const char* flag) { return cmd.count(flag) == 0; };
  if (auto v = t["listen"].value<std::string>(); v && unset("--listen") && !std::getenv("COZEAUTH_LISTEN")) o.listen = *v;
  if (auto v = t["db"].value<std::string>(); v && unset("--db") && !std::getenv("COZEAUTH_DB")) cli.db_url = *v;
  if (auto v = t["data_dir"].value<std::string>(); v && unset("--data-dir") && !std::getenv("COZEAUTH_DATA_DIR")) o.data_dir = *v;
  if (auto v = t["workers"].value<int64_t>(); v && unset("--workers") && !std::getenv("COZEAUTH_WORKERS")) o.workers = static_cast<int>(*v);
  if (auto v = t["io_threads"].value<int64_t>(); v && unset("--io-threads") && !std::getenv("COZEAUTH_IO_THREADS")) o.io_threads = static_cast<int>(*v);
  if (auto v = t["access_log"].value<bool>(); v && unset("--access-log") && !std::getenv("COZEAUTH_ACCESS_LOG")) o.access_log = *v;
  return {};
}

Result<std::pair<std::string, uint16_t>> SplitListen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Error::BadRequest("listen", "--listen must be HOST:PORT, got '" + listen + "'");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string port = listen.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port) > 65535) {
    return Error::BadRequest("listen", "invalid port in --listen '" + listen + "'");
  }
  return std::make_pair(host, static_cast<uint16_t>(std::stoi(port)));
}

// First start on an empty store: create the initial administrator.
Status Bootstrap(admin::Env& env) {
  auto count = env.store.CountUsers();
  if (!count) return count.error();
  if (count.value() > 0) return {};
  const char* email = std::getenv("COZEAUTH_ADMIN_EMAIL");
  const char* password = std::getenv("COZEAUTH_ADMIN_PASSWORD");
  std::string e = email && *email ? email : "admin@localhost";
  std::string p = password && *password ? password : "";
  bool generated = p.empty();
  if (generated) p = env.random.Alnum(24);
  auto user = admin::CreateUser(env, "admin", e, p);
  if (!user) return user.error();
  std::fprintf(stderr, "cozeauth: created the initial administrator %s (user id %s)\n", e.c_str(),
               user->id.c_str());
  if (generated) {
    // Shown once; only its Argon2id hash is stored.
    std::fprintf(stderr, "cozeauth: generated password (shown once): %s\n", p.c_str());
  }
  return {};
}

int RunServe(ServeOptions o, Cli& cli, const CLI::App& cmd) {
  if (!o.config_file.empty()) {
    if (auto s = ApplyConfigFile(o.config_file, o, cli, cmd); !s) {
      cli.Fail(s.error());
      return 1;
    }
  }
  auto hostport = SplitListen(o.listen);
  if (!hostport) {
    cli.Fail(hostport.error());
    return 1;
  }
  if (o.workers < 1 || o.workers > 256 || o.io_threads < 1 || o.io_threads > 64) {
    cli.Fail(Error::BadRequest("workers", "workers must be 1-256 and io-threads 1-64"));
    return 1;
  }
  auto store = cli.OpenStore();
  if (!store) return 1;
  std::error_code ec;
  std::filesystem::create_directories(o.data_dir + "/files", ec);

  Clock& clock = SystemClock::Instance();
  SecureRandom& random = OsRandom::Instance();
  IdGenerator ids(clock, random);
  admin::Env env{*store, clock, random, ids};
  if (auto s = Bootstrap(env); !s) {
    cli.Fail(s.error());
    return 1;
  }

  api::Authenticator auth(*store, clock);
  auth.Start();
  // Per-credential request counts, flushed to the store every second and at shutdown.
  observe::RequestStats request_stats(*store, clock);
  request_stats.Start();
  api::Deps deps{*store, auth, clock, random, ids, o.data_dir + "/files"};
  http::Router router;
  api::RegisterAllRoutes(router, deps);
  console::RegisterOAuthPages(router, deps);

  observe::AccessLog access_log;
  http::ServerOptions so;
  so.host = hostport->first;
  so.port = hostport->second;
  so.worker_threads = o.workers;
  so.io_threads = o.io_threads;
  so.make_logid = [&ids] { return ids.NextLogId(); };
  if (o.access_log) so.access_log = [&access_log](const http::AccessLogEntry& e) { access_log.Write(e); };
  so.on_request = [&request_stats](const http::AccessLogEntry& e) {
    observe::RecordRequest(e, observe::Metrics(), &request_stats);
  };
  http::Server server(so, router);
  auto port = server.Listen();
  if (!port) {
    cli.Fail(port.error());
    return 1;
  }
  // Tests and scripts read this line to learn the port when listening on port 0.
  std::fprintf(stderr, "cozeauth: listening on http://%s:%u (store %s)\n", so.host.c_str(),
               static_cast<unsigned>(port.value()), cli.db_url.c_str());
  std::fflush(stderr);
  server.Run();
  request_stats.Stop();  // the last requests' counts reach the store before exit
  auth.Stop();
  std::fprintf(stderr, "cozeauth: stopped\n");
  return 0;
}

}  // namespace

void SetupServeCommand(CLI::App& app, Cli& cli) {
  auto opts = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand("serve", "Run the API server");
  cmd->add_option("--listen", opts->listen, "HOST:PORT to listen on (port 0 = any)")
      ->envname("COZEAUTH_LISTEN");
  cmd->add_option("--db", cli.db_url, "Store URL (default: $COZEAUTH_DB or sqlite:./var/cozeauth.db)");
  cmd->add_option("--config", opts->config_file, "TOML configuration file")
      ->envname("COZEAUTH_CONFIG");
  cmd->add_option("--data-dir", opts->data_dir, "Directory for uploaded files")
      ->envname("COZEAUTH_DATA_DIR");
  cmd->add_option("--workers", opts->workers, "Handler worker threads")
      ->envname("COZEAUTH_WORKERS");
  cmd->add_option("--io-threads", opts->io_threads, "I/O threads")->envname("COZEAUTH_IO_THREADS");
  cmd->add_option("--access-log", opts->access_log, "Write the JSON access log (true/false)")
      ->envname("COZEAUTH_ACCESS_LOG");
  cmd->callback([opts, &cli, cmd] { cli.exit_code = RunServe(*opts, cli, *cmd); });
}

}  // namespace cozeauth::cli
