#pragma once
// Server: the HTTP/1.1 front end (architecture.md §8). Boost.Beast + Asio with C++20 coroutines:
// `io_threads` threads run the sockets; handlers run on a bounded pool of `worker_threads` so
// that blocking store work never stalls an I/O thread (routes marked inline_io excepted).
// Keep-alive, header and body limits, read timeouts, and graceful shutdown: Stop() (or SIGTERM
// / SIGINT when handle_signals is set) stops accepting and drains. During the drain every
// response carries `Connection: close`; a request already read is answered; a connection that
// answered a request less than drain_idle_grace ago still reads the one request its client may
// already be sending (and answers it with `Connection: close`); quieter connections are closed
// at once. Run() returns when the last connection is gone, or after drain_timeout.
//
// Each request gets a log id (X-Tt-Logid) and one RequestRecord (base/request_record.hpp).
// Exceptions escaping a handler become HTTP 500 with Coze code 5000 and the log id; they never
// reach the I/O loop. So does a response header a handler filled with control characters
// (http/hygiene.hpp): it is never sent. Request paths that are not clean (empty or dot segments,
// backslash, encoded slash, control characters) are refused with 400 / 4000, and so is a header
// using obs-fold. Thread safety: Listen() and Run() once, from one thread; Stop() from any thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/request_record.hpp"
#include "base/result.hpp"
#include "http/router.hpp"

namespace cozeauth::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0 = any free port (see Listen())
  int io_threads = 2;
  int worker_threads = 4;
  int slow_threads = 1;   // for RouteOptions::slow routes
  int issue_threads = 4;  // for RouteOptions::issue routes (mostly waiting on a group commit)
  size_t body_limit = 8 * 1024 * 1024;
  size_t header_limit = 16 * 1024;
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds drain_timeout{10};
  std::chrono::milliseconds drain_idle_grace{2000};
  bool handle_signals = true;
  std::function<std::string()> make_logid;
  std::function<void(const RequestRecord&)> access_log;
  // Called with the same entry for every request, whether or not access_log is set (metrics and
  // per-credential statistics, observe/request_stats.hpp). Runs on an I/O thread: must not block.
  std::function<void(const RequestRecord&)> on_request;
};

class Server {
 public:
  Server(ServerOptions options, const Router& router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; returns the bound port (useful with port 0).
  Result<uint16_t> Listen();
  // Serves until Stop(); blocks.
  void Run();
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cozeauth::http
