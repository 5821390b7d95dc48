#pragma once
// The configuration of `cozeauth serve`: its options, read from flags > COZEAUTH_* environment >
// TOML file > defaults (docs/running.md), and the public host derived from them. Pure functions
// over values, no I/O but reading the TOML file; safe to call from any thread.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <string>
#include <string_view>
#include <thread>
#include <variant>
#include <vector>

#include "api/deps.hpp"
#include "base/result.hpp"

namespace cozeauth::cli {

struct Cli;

// Thread defaults follow the machine: more threads than cores only adds context switches
// between the I/O threads and the worker pool (bench/load.sh on 2 cores, 2026-11-30: 1 I/O + 2
// workers served authorized requests at 50 % / 42 % of /healthz, 1 + 1 at 72 % / 54 %; see
// docs/performance.md). So I/O threads + workers = cores. Argon2id logins run on a separate
// one-thread pool (RouteOptions::slow) and cannot stall the API workers.
inline int Cores() { return std::max(1u, std::thread::hardware_concurrency()); }

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  std::string config_file;
  std::string data_dir = "./var";
  int workers = std::max(1, Cores() - std::max(1, Cores() / 2));
  int io_threads = std::max(1, Cores() / 2);
  bool access_log = true;
  int stats_retention_days = 90;  // per-credential request statistics (observe/request_stats.hpp)
  api::ServerOptions server;      // security and capacity settings (docs/running.md)
};

// One integer setting of `serve` (docs/running.md): its TOML key, flag and environment variable,
// and the one range that every source is checked against (CLI11 checks the flag and the
// variable, ApplyConfigText the key).
struct IntSetting {
  const char* key;
  const char* flag;
  const char* env;
  int64_t low;
  int64_t high;
  const char* help;
  std::variant<int*, int64_t*, size_t*> field;
};

// The integer settings, bound to `o`'s fields (valid as long as `o`).
std::vector<IntSetting> IntSettings(ServeOptions& o);

// Values from the TOML file fill only what flags and the environment left unset (`cmd` tells
// which flags were given); `db` goes to `db_url`.
Status ApplyConfigFile(const std::string& path, ServeOptions& o, std::string& db_url,
                       const CLI::App& cmd);

// Same, over TOML text already in memory (`source` names it in errors).
Status ApplyConfigText(std::string_view text, std::string_view source, ServeOptions& o,
                       std::string& db_url, const CLI::App& cmd);

// Fills o.audience_hosts and o.secure_cookies from o.public_url, or, without one, from the
// listen host and the bound port. An invalid public_url is a BadRequest.
Status DerivePublicHost(api::ServerOptions& o, const std::string& listen_host, uint16_t port);

}  // namespace cozeauth::cli
