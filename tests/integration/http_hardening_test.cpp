// The HTTP layer against hostile or unlucky clients (issue 8, docs/api.md "Request hygiene",
// docs/running.md "Shutdown"), through the real `cozeauth serve`:
// - SIGTERM while keep-alive clients loop: every request a client sent is answered, and the
//   last answer on each connection says `Connection: close` (no request meets a bare close).
// - Paths that only route after normalisation (`//v1/users/me`) are refused, not served.
// - obs-fold header lines, control characters in header values, and oversized header sections
//   are refused with 400 / 431, and the server carries on.
// - No request input reaches a response header with CR/LF in it.

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/openapi_expect.hpp"
#include "support/scenario.hpp"
#include "support/test_server.hpp"

namespace cozeauth::it {
namespace {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

// A socket read through ::recv, which honours SO_RCVTIMEO: Asio's synchronous read_some, on an
// EAGAIN from the timeout, polls and waits on. For Beast's synchronous bhttp::read.
struct RecvStream {
  int fd;
  template <typename Buffers>
  size_t read_some(const Buffers& buffers, boost::system::error_code& ec) {
    const net::mutable_buffer buf = *net::buffer_sequence_begin(buffers);
    const ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
    if (n < 0) {
      ec = boost::system::error_code(errno, boost::system::system_category());
      return 0;
    }
    if (n == 0) ec = net::error::eof;
    return static_cast<size_t>(n);
  }
  template <typename Buffers>
  size_t read_some(const Buffers& buffers) {
    boost::system::error_code ec;
    const size_t n = read_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }
};

// The header section of a raw answer, for "which headers came back" checks.
std::string HeadOf(const std::string& answer) { return answer.substr(0, answer.find("\r\n\r\n")); }

std::string CodeIn(const std::string& answer) {
  auto at = answer.find("\"code\":");
  if (at == std::string::npos) return "";
  return answer.substr(at + 7, answer.find_first_of(",}", at) - at - 7);
}

TEST(HttpHardening, SigtermAnswersEveryRequestOnLoopingKeepAliveConnections) {
  TestServer server;
  constexpr int kClients = 8;
  struct Outcome {
    int answered = 0;
    bool ended_with_connection_close = false;
    std::string failure;
  };
  std::vector<Outcome> outcomes(kClients);
  std::mutex mu;
  std::condition_variable cv;
  int started = 0;  // clients with at least one answered request

  auto client = [&](Outcome& out) {
    net::io_context ioc;
    tcp::socket socket(ioc);
    socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server.port()));
    timeval tv{20, 0};  // a hung server fails the test instead of hanging it
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    beast::flat_buffer buffer;
    for (int i = 0;; ++i) {
      // Alternate a route served on the I/O thread and one served by the worker pool.
      const std::string target = i % 2 == 0 ? "/healthz" : "/v1/users/me";
      const std::string req = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
      boost::system::error_code ec;
      net::write(socket, net::buffer(req), ec);
      if (ec) {
        out.failure = "request " + std::to_string(i) +
                      " could not be sent after a keep-alive "
                      "response: " +
                      ec.message();
        break;
      }
      bhttp::response<bhttp::string_body> res;
      RecvStream stream{socket.native_handle()};
      bhttp::read(stream, buffer, res, ec);
      if (ec) {
        out.failure = "request " + std::to_string(i) + " (" + target +
                      ") got a closed connection instead of a response: " + ec.message();
        break;
      }
      if (++out.answered == 1) {
        std::lock_guard lock(mu);
        ++started;
        cv.notify_all();
      }
      if (!res.keep_alive()) {
        out.ended_with_connection_close = true;
        break;
      }
    }
    if (out.answered == 0) {  // never counted: let the main thread go on and report
      std::lock_guard lock(mu);
      ++started;
      cv.notify_all();
    }
  };
  std::vector<std::thread> threads;
  for (auto& out : outcomes) threads.emplace_back(client, std::ref(out));
  {
    // SIGTERM only once every client is looping (observed through its first response).
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(60), [&] { return started == kClients; }));
  }
  EXPECT_EQ(server.Stop(), 0) << server.Stderr();
  for (auto& t : threads) t.join();
  for (int i = 0; i < kClients; ++i) {
    SCOPED_TRACE("client " + std::to_string(i));
    EXPECT_EQ(outcomes[i].failure, "");
    EXPECT_GE(outcomes[i].answered, 1);
    EXPECT_TRUE(outcomes[i].ended_with_connection_close)
        << "the last response before the server closed must say Connection: close";
  }
}

class HttpHygiene : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer();
    Scenario scenario(*server_);
    world_ = new World(scenario.MakeWorld("Hygiene:"));
  }
  static void TearDownTestSuite() {
    delete world_;
    delete server_;
  }
  HttpClient http() const { return server_->Http(); }
  const World& world() const { return *world_; }
  std::string MeRequest(const std::string& target, const std::string& auth_line) const {
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth_line +
           "Connection: close\r\n\r\n";
  }
  std::string AuthLine() const { return "Authorization: Bearer " + world().pat.token + "\r\n"; }
  void ExpectAlive() const {
    EXPECT_TRUE(IsOk(http().Get("/v1/users/me", Bearer(world().pat.token))));
  }

  static TestServer* server_;
  static World* world_;
};
TestServer* HttpHygiene::server_ = nullptr;
World* HttpHygiene::world_ = nullptr;

TEST_F(HttpHygiene, PathsThatOnlyRouteAfterNormalisationAreRefused) {
  ASSERT_TRUE(IsOk(http().Get("/v1/users/me", Bearer(world().pat.token))));
  for (const std::string target :
       {"//v1/users/me", "/v1//users/me", "/v1/users//me", "/v1/./users/me", "/v1/x/../users/me",
        "/v1%2Fusers/me", "/v1/users/me%2F", "/v1/users/%2e/me", "/v1/users/me%00",
        "/v1%5Cusers/me"}) {
    SCOPED_TRACE(target);
    auto res = http().Get(target, Bearer(world().pat.token));
    EXPECT_TRUE(IsCozeError(res, 4000, 400)) << res.Describe();
    EXPECT_EQ(res.body.find(world().user.id), std::string::npos) << res.Describe();
  }
  // A raw backslash never gets past the HTTP parser.
  const std::string raw = http().Raw(MeRequest("/v1\\users\\me", AuthLine()));
  EXPECT_TRUE(raw.starts_with("HTTP/1.1 400")) << raw.substr(0, 300);
}

TEST_F(HttpHygiene, ObsFoldIsRefusedNotUnfolded) {
  // Unfolded, this would read `Authorization: Bearer <token>` and be served.
  for (const std::string& fold : {"Authorization: Bearer\r\n " + world().pat.token + "\r\n",
                                  "Authorization: Bearer\r\n\t" + world().pat.token + "\r\n",
                                  AuthLine() + "X-Note: a\r\n b\r\n"}) {
    const std::string answer = http().Raw(MeRequest("/v1/users/me", fold));
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 400")) << answer.substr(0, 300);
    EXPECT_EQ(CodeIn(answer), "4000") << answer.substr(0, 300);
    EXPECT_EQ(answer.find(world().user.id), std::string::npos);
  }
  ExpectAlive();
}

TEST_F(HttpHygiene, ControlCharactersInRequestHeadersAre400) {
  for (const std::string& bad :
       {"Authorization: Bearer " + world().pat.token + std::string("\0x", 2) + "\r\n",
        "Authorization: Bearer " + world().pat.token + "\r\nX-A: a\rb\r\n",
        AuthLine() + "X-A: \x01\r\n", AuthLine() + "X-A\x7F: b\r\n"}) {
    const std::string answer = http().Raw(MeRequest("/v1/users/me", bad));
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 400")) << answer.substr(0, 300);
    EXPECT_EQ(answer.find(world().user.id), std::string::npos);
  }
  ExpectAlive();
}

TEST_F(HttpHygiene, OversizedHeaderSectionsAre431) {
  // Many small headers add up like one big one (16 KiB by default).
  std::string many;
  for (int i = 0; i < 2000; ++i) many += "X-H" + std::to_string(i) + ": v\r\n";
  for (const std::string& extra : {many, "X-Big: " + std::string(64 * 1024, 'b') + "\r\n"}) {
    const std::string answer = http().Raw(MeRequest("/v1/users/me", AuthLine() + extra));
    EXPECT_TRUE(answer.empty() || answer.starts_with("HTTP/1.1 431")) << answer.substr(0, 300);
    EXPECT_EQ(answer.find(world().user.id), std::string::npos);
  }
  ExpectAlive();
}

TEST_F(HttpHygiene, RequestInputNeverSplitsAResponseHeader) {
  UserInfo user = world().user;
  for (const std::string redirect :
       {"/x%0D%0ASet-Cookie:%20injected=1", "/x%0D%0A%0D%0Ainjected=1",
        "/x%0ASet-Cookie:%20injected=1", "/%09/evil.example", "/x%00Set-Cookie:%20injected=1"}) {
    SCOPED_TRACE(redirect);
    const std::string body =
        "email=" + user.email + "&password=" + user.password + "&redirect=" + redirect;
    const std::string answer = http().Raw(
        "POST /sign HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded"
        "\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    const std::string head = HeadOf(answer);
    ASSERT_FALSE(head.empty()) << answer;
    EXPECT_EQ(head.find("injected"), std::string::npos) << head;
    EXPECT_EQ(head.find("evil.example"), std::string::npos) << head;
    EXPECT_EQ(head.find('\t'), std::string::npos) << head;
    EXPECT_EQ(head.find(std::string(1, '\0')), std::string::npos) << head;
    // Every line of the header section is a status line or `name: value`.
    size_t at = head.find("\r\n");
    while (at != std::string::npos) {
      const size_t next = head.find("\r\n", at + 2);
      const std::string line =
          head.substr(at + 2, next == std::string::npos ? next : next - at - 2);
      EXPECT_NE(line.find(": "), std::string::npos) << line;
      EXPECT_EQ(line.find('\r'), std::string::npos) << line;
      EXPECT_EQ(line.find('\n'), std::string::npos) << line;
      at = next;
    }
  }
}

}  // namespace
}  // namespace cozeauth::it
