// `cozeauth serve`: configuration (flags > COZEAUTH_* environment > TOML file > defaults),
// the store, the bootstrap administrator, and the HTTP server.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "admin/operations.hpp"
#include "api/authenticator.hpp"
#include "api/deps.hpp"
#include "api/routes.hpp"
#include "base/clock.hpp"
#include "base/ids.hpp"
#include "base/random.hpp"
#include "cli/cli.hpp"
#include "cli/serve_config.hpp"
#include "console/oauth_pages.hpp"
#include "console/pages/page.hpp"
#include "console/routes.hpp"
#include "http/server.hpp"
#include "oauth/expiry_purger.hpp"
#include "observe/access_log.hpp"
#include "observe/metrics.hpp"
#include "observe/request_stats.hpp"

namespace cozeauth::cli {
namespace {

Result<std::pair<std::string, uint16_t>> SplitListen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Error::BadRequest("listen", "--listen must be HOST:PORT, got '" + listen + "'");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  const std::string port = listen.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) > 65535) {
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
  if (!user && user.error().code == Errc::kAlreadyExists) {
    // Nodes sharing one database and starting together: another one created it meanwhile.
    auto now = env.store.CountUsers();
    if (now && now.value() > 0) return {};
  }
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
    if (auto s = ApplyConfigFile(o.config_file, o, cli.db_url, cmd); !s) {
      cli.Fail(s.error());
      return 1;
    }
  }
  auto hostport = SplitListen(o.listen);
  if (!hostport) {
    cli.Fail(hostport.error());
    return 1;
  }
  // Checked once before the store opens, so a bad URL fails fast; re-derived with the bound port.
  if (auto s = DerivePublicHost(o.server, hostport->first, hostport->second); !s) {
    cli.Fail(s.error());
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

  api::Authenticator auth(*store, clock, {.capacity = o.server.token_cache_capacity});
  auth.Start();
  // Per-credential request counts, flushed to the store every second and at shutdown; those
  // older than --stats-retention-days purged every minute.
  observe::RequestStats request_stats(*store, clock);
  request_stats.Start(std::chrono::seconds(1), std::chrono::hours(24) * o.stats_retention_days);
  // Expired device codes, authorization codes, refresh tokens and used JWT ids: every minute.
  oauth::ExpiryPurger expiry_purger(*store, clock);
  expiry_purger.Start();
  api::Deps deps{*store, auth, clock, random, ids, o.data_dir + "/files", o.server};
  http::Router router;
  api::RegisterAllRoutes(router, deps);
  api::RegisterConsoleRoutes(router, deps);
  console::RegisterOAuthPages(router, deps);
  console::RegisterConsolePages(router, deps);

  observe::AccessLog access_log;
  http::ServerOptions so;
  so.host = hostport->first;
  so.port = hostport->second;
  so.worker_threads = o.workers;
  so.io_threads = o.io_threads;
  so.make_logid = [&ids] { return ids.NextLogId(); };
  if (o.access_log) so.access_log = [&access_log](const RequestRecord& e) { access_log.Write(e); };
  so.on_request = [&request_stats](const RequestRecord& e) {
    observe::RecordRequest(e, observe::Metrics(), &request_stats);
  };
  http::Server server(so, router);
  auto port = server.Listen();
  if (!port) {
    cli.Fail(port.error());
    return 1;
  }
  // Port 0 binds any port: the default audience names the one actually bound. Routes hold
  // `deps` by reference and no request is served before Run().
  (void)DerivePublicHost(deps.options, hostport->first, port.value());
  // Tests and scripts read this line to learn the port when listening on port 0.
  std::fprintf(stderr, "cozeauth: listening on http://%s:%u (store %s)\n", so.host.c_str(),
               static_cast<unsigned>(port.value()), store::RedactedUrl(cli.db_url).c_str());
  std::fflush(stderr);
  server.Run();
  request_stats.Stop();  // the last requests' counts reach the store before exit
  expiry_purger.Stop();
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
  cmd->add_option("--db", cli.db_url,
                  "Store URL (default: $COZEAUTH_DB or sqlite:./var/cozeauth.db)");
  cmd->add_option("--config", opts->config_file, "TOML configuration file")
      ->envname("COZEAUTH_CONFIG");
  cmd->add_option("--data-dir", opts->data_dir, "Directory for uploaded files")
      ->envname("COZEAUTH_DATA_DIR");
  cmd->add_option("--access-log", opts->access_log, "Write the JSON access log (true/false)")
      ->envname("COZEAUTH_ACCESS_LOG");
  cmd->add_option("--public-url", opts->server.public_url,
                  "Externally visible base URL (JWT aud; https sets Secure cookies)")
      ->envname("COZEAUTH_PUBLIC_URL");
  // The integer settings and their ranges come from one table (serve_config.hpp).
  for (const IntSetting& setting : IntSettings(*opts)) {
    std::visit(
        [&](auto* field) {
          cmd->add_option(setting.flag, *field, setting.help)
              ->envname(setting.env)
              ->check(CLI::Range(setting.low, setting.high));
        },
        setting.field);
  }
  cmd->callback([opts, &cli, cmd] { cli.exit_code = RunServe(*opts, cli, *cmd); });
}

}  // namespace cozeauth::cli
