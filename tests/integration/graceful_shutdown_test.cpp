// Graceful shutdown (docs/running.md "Shutdown"): SIGTERM stops the server with exit status 0
// and "cozeauth: stopped" on stderr, also while a client holds an idle keep-alive connection,
// and the store it leaves behind opens again.

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <chrono>
#include <string>

#include "support/openapi_expect.hpp"
#include "support/scenario.hpp"
#include "support/test_server.hpp"

namespace cozeauth::it {
namespace {
namespace net = boost::asio;
using tcp = net::ip::tcp;

TEST(GracefulShutdown, SigtermExitsZeroAndSaysStopped) {
  TestServer server;
  ASSERT_EQ(server.Http().Get("/healthz").status, 200u);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(server.Stop(), 0) << server.Stderr();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5))
      << "an idle server must stop promptly";
  EXPECT_NE(server.Stderr().find("cozeauth: stopped"), std::string::npos) << server.Stderr();
  EXPECT_FALSE(server.running());
}

TEST(GracefulShutdown, IdleKeepAliveConnectionDoesNotBlockShutdown) {
  TestServer server;
  net::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server.port()));
  const std::string req = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";  // keep-alive
  net::write(socket, net::buffer(req));
  std::string got;
  char buf[4096];
  while (got.find("\"ok\"") == std::string::npos) {
    got.append(buf, socket.read_some(net::buffer(buf)));
  }
  ASSERT_TRUE(got.starts_with("HTTP/1.1 200")) << got;
  // The connection stays open and idle while the server is told to stop.
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(server.Stop(), 0) << server.Stderr();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5))
      << "idle keep-alive connections must be closed, not waited for";
  EXPECT_NE(server.Stderr().find("cozeauth: stopped"), std::string::npos);
  // The server closed our connection.
  boost::system::error_code ec;
  socket.read_some(net::buffer(buf), ec);
  EXPECT_TRUE(ec) << "connection still open after shutdown";
}

TEST(GracefulShutdown, StoreIsUsableAfterRestart) {
  // A token created against one server run authenticates on the next run over the same file.
  TestServer first;
  Scenario scenario(first);
  World w = scenario.MakeWorld("Again:");
  ASSERT_TRUE(IsOk(first.Http().Get("/v1/bots/" + w.bot_id, Bearer(w.pat.token))));
  ASSERT_EQ(first.Stop(), 0) << first.Stderr();

  TestServer second({.db_file = first.db_path()});
  auto res = second.Http().Get("/v1/bots/" + w.bot_id, Bearer(w.pat.token));
  EXPECT_TRUE(IsOk(res));
  EXPECT_EQ(Str(res.Json(), "data.prompt_info.prompt"), "Again:");
  EXPECT_EQ(second.Stop(), 0) << second.Stderr();
}

}  // namespace
}  // namespace cozeauth::it
