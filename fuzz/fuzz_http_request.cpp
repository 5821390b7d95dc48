// The HTTP request path in process, without a socket: the bytes go through Beast's request
// parser with the server's limits, become an http::Request exactly as src/http/server.cpp builds
// one (percent-decoded path, tolerant query), are matched by the real route table (every API,
// console and OAuth page route, as `cozeauth serve` registers them) and the matched handler runs
// on an in-memory SQLite store that holds a user, a workspace, a bot, a PAT and a console
// session. Seeds write {{PAT}}, {{SESSION}}, {{CSRF}}, {{USER}}, {{WS}} and {{BOT}} for those
// run-time values, so the fuzzer reaches authorized handlers.
// Properties: no crash, no sanitizer report; a handler's exception would be a 500 in the server
// (a bug), here it aborts; every answer has a status in 100–599; no header a handler sets holds a
// CR, LF or NUL (response splitting).
#include <boost/beast/core/buffers_prefix.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "admin/bots.hpp"
#include "admin/operations.hpp"
#include "api/authenticator.hpp"
#include "api/routes.hpp"
#include "console/oauth_pages.hpp"
#include "console/routes.hpp"
#include "console/session.hpp"
#include "fuzz_support.hpp"
#include "http/exchange.hpp"
#include "http/router.hpp"
#include "policy/catalogue.hpp"

namespace {
namespace bhttp = boost::beast::http;
using namespace cozeauth;

struct World {
  std::unique_ptr<store::Store> store = std::move(store::OpenStore("sqlite::memory:").value());
  IdGenerator ids{SystemClock::Instance(), OsRandom::Instance()};
  admin::Env env{*store, SystemClock::Instance(), OsRandom::Instance(), ids};
  api::Authenticator auth{*store, SystemClock::Instance(), api::TokenCacheOptions{}};
  std::string files_dir;
  std::unique_ptr<api::Deps> deps;
  http::Router router;
  std::vector<std::pair<std::string, std::string>> values;

  World() {
    char dir[] = "/tmp/cozeauth-fuzz-http-XXXXXX";
    FUZZ_CHECK(mkdtemp(dir) != nullptr);
    files_dir = dir;
    deps = std::make_unique<api::Deps>(
        api::Deps{*store, auth, SystemClock::Instance(), OsRandom::Instance(), ids, files_dir});
    deps->options.audience_hosts = {"127.0.0.1:8080", "127.0.0.1"};
    api::RegisterAllRoutes(router, *deps);
    api::RegisterConsoleRoutes(router, *deps);
    console::RegisterOAuthPages(router, *deps);

    auto user = admin::CreateUser(env, "fuzz", "fuzz@example.com", "fuzz-password-1").value();
    auto ws = admin::CreateWorkspace(env, user.id, user.id, "w").value();
    admin::BotSpec bot_spec;
    bot_spec.workspace_id = ws.id;
    bot_spec.name = "bot";
    bot_spec.publish = true;
    auto bot = admin::CreateBot(env, bot_spec).value();
    admin::TokenSpec spec;
    spec.user_id = user.id;
    spec.name = "fuzz";
    spec.days = 30;
    for (const auto& point : policy::Catalogue()) {
      if (point.level == policy::Level::kWorkspace)
        spec.workspace_permissions.emplace_back(point.name);
      if (point.level == policy::Level::kAccount) spec.account_permissions.emplace_back(point.name);
    }
    spec.all_workspaces = true;
    auto token = admin::CreateToken(env, spec).value();
    auto session = api::StartSession(*deps, user.id).value();
    values = {{"PAT", token.plaintext},
              {"SESSION", session.cookie_value},
              {"CSRF", session.session.csrf_token},
              {"USER", user.id},
              {"WS", ws.id},
              {"BOT", bot.id}};
  }
  ~World() {
    std::error_code ec;
    std::filesystem::remove_all(files_dir, ec);
  }
  static World& Get() {
    static World world;
    return world;
  }
};

bool HasLineBreak(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  World& world = World::Get();
  std::string bytes(fuzz::AsView(data, size));
  for (const auto& [name, value] : world.values)
    bytes = fuzz::Substitute(std::move(bytes), name, value);

  // As Server::Impl::Session reads a request (header limit 16 KiB; a smaller body limit keeps
  // the fuzzer fast — the limit itself is Beast's).
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(1024 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  std::string_view rest = bytes;
  while (!rest.empty() && !parser.is_done()) {
    const size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
    rest.remove_prefix(used);
    // As Beast's read loop (http/impl/read.hpp): after need_more the parser is only called again
    // with more bytes than before, and the whole input is already here, so the message is cut.
    // (Calling put again with just the unconsumed rest breaks the parser's contract and trips
    // BOOST_ASSERT(n >= 5) in parse_chunk_header, which the server itself can never do.)
    if (ec == bhttp::error::need_more) break;
    if (ec) return 0;
  }
  // The peer closing the connection ends a body delimited by end of file (put_eof needs bytes).
  if (!parser.is_done() && parser.got_some()) parser.put_eof(ec);
  if (ec || !parser.is_done()) return 0;
  auto breq = parser.release();

  // The server's own conversion (http/exchange.hpp).
  http::Request req = http::MakeRequest(std::move(breq), "127.0.0.1", "fuzz");

  bool path_matched = false;
  const http::Route* route =
      world.router.Match(req.method, req.path, req.path_params, path_matched);
  if (route == nullptr) return 0;
  req.route = route->pattern;
  req.permission = route->options.permission;
  http::Response res;
  try {
    res = route->handler(req);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "handler of %s threw: %s\n", route->pattern.c_str(), e.what());
    std::abort();
  }
  FUZZ_CHECK(res.status >= 100 && res.status <= 599);
  for (const auto& [name, value] : res.headers)
    FUZZ_CHECK(!HasLineBreak(name) && !HasLineBreak(value));
  FUZZ_CHECK(!HasLineBreak(res.content_type));
  return 0;
}
