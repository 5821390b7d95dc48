#include "cli/serve_config.hpp"

#include <boost/url/parse.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <type_traits>

#include "cli/toml.hpp"

namespace cozeauth::cli {

std::vector<IntSetting> IntSettings(ServeOptions& o) {
  api::ServerOptions& server = o.server;
  return {
      {"workers", "--workers", "COZEAUTH_WORKERS", 1, 256, "Handler worker threads (1-256)",
       &o.workers},
      {"io_threads", "--io-threads", "COZEAUTH_IO_THREADS", 1, 64, "I/O threads (1-64)",
       &o.io_threads},
      {"jwt_max_lifetime", "--jwt-max-lifetime", "COZEAUTH_JWT_MAX_LIFETIME", 60, 86400,
       "Longest JWT-bearer assertion accepted, exp - iat, in seconds (60-86400)",
       &server.jwt_max_lifetime_seconds},
      {"refresh_grace", "--refresh-grace", "COZEAUTH_REFRESH_GRACE", 0, 600,
       "Seconds a just-rotated refresh token may be retried (0-600, 0 = off)",
       &server.refresh_reuse_grace_seconds},
      {"token_cache_capacity", "--token-cache-capacity", "COZEAUTH_TOKEN_CACHE_CAPACITY", 1,
       100'000'000, "Known tokens the authenticator caches (1-100000000)",
       &server.token_cache_capacity},
      {"login_max_failures", "--login-max-failures", "COZEAUTH_LOGIN_MAX_FAILURES", 1, 1000,
       "Failed sign-ins per e-mail and per address in a minute before sign-in is refused "
       "(1-1000)",
       &server.login_max_failures},
      {"stats_retention_days", "--stats-retention-days", "COZEAUTH_STATS_RETENTION_DAYS", 1, 3650,
       "Days per-credential request statistics are kept (1-3650)", &o.stats_retention_days},
      {"device_codes_per_minute", "--device-codes-per-minute", "COZEAUTH_DEVICE_CODES_PER_MINUTE",
       1, 100'000, "Device codes per app per minute; one address gets twice that (1-100000)",
       &server.device_codes_per_minute},
  };
}

Status ApplyConfigFile(const std::string& path, ServeOptions& o, std::string& db_url,
                       const CLI::App& cmd) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::BadRequest("config", "cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return ApplyConfigText(text.str(), path, o, db_url, cmd);
}

Status ApplyConfigText(std::string_view text, std::string_view source, ServeOptions& o,
                       std::string& db_url, const CLI::App& cmd) {
  toml::table t;
  try {
    t = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return Error::BadRequest(
        "config", "cannot read " + std::string(source) + ": " + std::string(e.description()));
  }
  // A key applies only when neither its flag nor its environment variable was given.
  auto wanted = [&](const char* key, const char* flag, const char* env) {
    return t.contains(key) && cmd.count(flag) == 0 && std::getenv(env) == nullptr;
  };
  // value_exact: no conversions. toml++'s value<int64_t>() converts a float such as -1e23 with
  // an out-of-range cast (undefined behaviour; fuzz_serve_config found it), so a key of the
  // wrong type is an error naming it instead.
  auto wrong_type = [&](const char* key, const char* type) {
    return Error::BadRequest("config", std::string(source) + ": " + key + " must be " + type);
  };
  auto text_key = [&](const char* key, const char* flag, const char* env,
                      std::string& out) -> Status {
    if (!wanted(key, flag, env)) return {};
    auto v = t[key].value_exact<std::string>();
    if (!v) return wrong_type(key, "a string");
    out = *v;
    return {};
  };
  for (const IntSetting& setting : IntSettings(o)) {
    if (!wanted(setting.key, setting.flag, setting.env)) continue;
    auto v = t[setting.key].value_exact<int64_t>();
    if (!v || *v < setting.low || *v > setting.high) {
      return wrong_type(setting.key, ("an integer from " + std::to_string(setting.low) + " to " +
                                      std::to_string(setting.high))
                                         .c_str());
    }
    std::visit(
        [&](auto* field) { *field = static_cast<std::remove_reference_t<decltype(*field)>>(*v); },
        setting.field);
  }
  for (Status s : {
           text_key("listen", "--listen", "COZEAUTH_LISTEN", o.listen),
           text_key("db", "--db", "COZEAUTH_DB", db_url),
           text_key("data_dir", "--data-dir", "COZEAUTH_DATA_DIR", o.data_dir),
           text_key("public_url", "--public-url", "COZEAUTH_PUBLIC_URL", o.server.public_url),
       }) {
    if (!s) return s;
  }
  if (wanted("access_log", "--access-log", "COZEAUTH_ACCESS_LOG")) {
    auto v = t["access_log"].value_exact<bool>();
    if (!v) return wrong_type("access_log", "true or false");
    o.access_log = *v;
  }
  return {};
}

// The accepted JWT `aud` values and cookie security follow the public URL; without one, the
// listen address is the public host (and, on loopback, "localhost" too). The request's Host
// header is never trusted for this: a client would pick its own audience.
Status DerivePublicHost(api::ServerOptions& o, const std::string& listen_host, uint16_t port) {
  o.audience_hosts.clear();
  auto add = [&o](const std::string& host, const std::string& port_text) {
    for (std::string aud : {port_text.empty() ? host : host + ":" + port_text, host}) {
      if (std::find(o.audience_hosts.begin(), o.audience_hosts.end(), aud) ==
          o.audience_hosts.end()) {
        o.audience_hosts.push_back(std::move(aud));
      }
    }
  };
  if (!o.public_url.empty()) {
    auto url = boost::urls::parse_absolute_uri(o.public_url);
    if (!url || (url->scheme() != "http" && url->scheme() != "https") ||
        url->encoded_host().empty() || url->has_userinfo() || url->has_query() ||
        url->has_fragment()) {
      return Error::BadRequest("public_url", "--public-url must be http(s)://HOST[:PORT][/PATH]");
    }
    o.secure_cookies = url->scheme() == "https";
    add(std::string(url->encoded_host()), std::string(url->port()));
    return {};
  }
  const std::string port_text = std::to_string(port);
  const bool v6 = listen_host.find(':') != std::string::npos;
  add(v6 ? "[" + listen_host + "]" : listen_host, port_text);
  if (listen_host == "127.0.0.1" || listen_host == "::1" || listen_host == "localhost" ||
      listen_host == "0.0.0.0" || listen_host == "::") {
    add("localhost", port_text);
    add("127.0.0.1", port_text);
  }
  return {};
}

}  // namespace cozeauth::cli
