#include "cli/serve_config.hpp"

#include <boost/url/parse.hpp>
#include "cli/toml.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace cozeauth::cli {

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
    return Error::BadRequest("config", "cannot read " + std::string(source) + ": " +
                                           std::string(e.description()));
  }
  auto unset = [&](const char* flag) { return cmd.count(flag) == 0; };
  if (auto v = t["listen"].value<std::string>(); v && unset("--listen") && !std::getenv("COZEAUTH_LISTEN")) o.listen = *v;
  if (auto v = t["db"].value<std::string>(); v && unset("--db") && !std::getenv("COZEAUTH_DB")) db_url = *v;
  if (auto v = t["data_dir"].value<std::string>(); v && unset("--data-dir") && !std::getenv("COZEAUTH_DATA_DIR")) o.data_dir = *v;
  if (auto v = t["workers"].value<int64_t>(); v && unset("--workers") && !std::getenv("COZEAUTH_WORKERS")) o.workers = static_cast<int>(*v);
  if (auto v = t["io_threads"].value<int64_t>(); v && unset("--io-threads") && !std::getenv("COZEAUTH_IO_THREADS")) o.io_threads = static_cast<int>(*v);
  if (auto v = t["access_log"].value<bool>(); v && unset("--access-log") && !std::getenv("COZEAUTH_ACCESS_LOG")) o.access_log = *v;
  if (auto v = t["public_url"].value<std::string>(); v && unset("--public-url") && !std::getenv("COZEAUTH_PUBLIC_URL")) o.server.public_url = *v;
  if (auto v = t["jwt_max_lifetime"].value<int64_t>(); v && unset("--jwt-max-lifetime") && !std::getenv("COZEAUTH_JWT_MAX_LIFETIME")) o.server.jwt_max_lifetime_seconds = *v;
  if (auto v = t["refresh_grace"].value<int64_t>(); v && unset("--refresh-grace") && !std::getenv("COZEAUTH_REFRESH_GRACE")) o.server.refresh_reuse_grace_seconds = *v;
  if (auto v = t["token_cache_capacity"].value<int64_t>(); v && unset("--token-cache-capacity") && !std::getenv("COZEAUTH_TOKEN_CACHE_CAPACITY")) {
    if (*v < 1) return Error::BadRequest("config", "token_cache_capacity must be positive");
    o.server.token_cache_capacity = static_cast<size_t>(*v);
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
      if (std::find(o.audience_hosts.begin(), o.audience_hosts.end(), aud) == o.audience_hosts.end()) {
        o.audience_hosts.push_back(std::move(aud));
      }
    }
  };
  if (!o.public_url.empty()) {
    auto url = boost::urls::parse_absolute_uri(o.public_url);
    if (!url || (url->scheme() != "http" && url->scheme() != "https") || url->encoded_host().empty() ||
        url->has_userinfo() || url->has_query() || url->has_fragment()) {
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
