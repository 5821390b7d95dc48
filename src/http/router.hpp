#pragma once
// Router: maps (method, path) to a handler. Patterns are literal segments and `{name}`
// captures, e.g. "/v1/bots/{bot_id}". Routes are added once at start-up (not thread-safe);
// Match is const and safe for concurrent use afterwards.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace cozeauth::http {

using Handler = std::function<Response(Request&)>;

struct RouteOptions {
  std::string permission;  // permission point the route requires; empty = none
  bool inline_io = false;  // run on the I/O thread (no blocking work): /healthz, /metrics
  // Tried on the I/O thread first, inside a NonBlockingScope (base/blocking.hpp): answered there
  // when everything it needs is cached, run again from the start on a worker at its first
  // blocking call. For reads whose handler writes nothing before its first store call.
  bool try_inline = false;
  // CPU-heavy (an Argon2id password check): runs on the server's separate slow pool, so that a
  // burst of logins cannot take the workers the API needs.
  bool slow = false;
  // Token issuance (the OAuth token endpoint): runs on the server's issue pool, several threads
  // whatever the worker count, so that concurrent grants are in flight together and the store
  // commits them as one group (store/sql/group_commit.hpp).
  bool issue = false;
};

struct Route {
  Verb method;
  std::string pattern;
  std::vector<std::string> segments;
  RouteOptions options;
  Handler handler;
};

class Router {
 public:
  void Add(Verb method, std::string pattern, RouteOptions options, Handler handler);
  // The matching route, with captures appended to `params`; nullptr if none. Sets
  // `path_matched` when some route matches the path with another method (→ 405).
  const Route* Match(Verb method, std::string_view path,
                     std::vector<std::pair<std::string, std::string>>& params,
                     bool& path_matched) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace cozeauth::http
