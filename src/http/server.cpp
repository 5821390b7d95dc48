#include "http/server.hpp"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <condition_variable>
#include <csignal>
#include <latch>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string_view>
#include <thread>
#include <utility>

#include "base/blocking.hpp"
#include "base/thread_name.hpp"
#include "http/exchange.hpp"
#include "http/hygiene.hpp"

namespace cozeauth::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using net::use_awaitable;
constexpr auto kTuple = net::as_tuple(net::use_awaitable);

namespace {

using Clock = std::chrono::steady_clock;

// One connection as the drain and the reaper see it. Shared with their posted handlers, which
// run on the connection's executor like its coroutine (a strand when there are several I/O
// threads): `idle`, `timed_out` and `finished` are only touched there, so a handler arriving
// after the coroutine ended finds `finished` and leaves the socket alone. `deadline` is also
// read by the reaper on its own strand, hence atomic.
struct Connection {
  explicit Connection(tcp::socket& s) : socket(&s), executor(s.get_executor()) {}

  // The current read or write gives up at `at` (the reaper cancels it, and the coroutine sees
  // `timed_out`); while a request is being handled there is no deadline.
  void ExpireAt(Clock::time_point at) { deadline.store(at.time_since_epoch().count(), kOrder); }
  void ExpireNever() { deadline.store(kNever, kOrder); }
  bool Expired(Clock::rep now) const { return deadline.load(kOrder) <= now; }
  // Whether the operation that just ended was cancelled by the reaper; clears the mark.
  bool TimedOut(const beast::error_code& ec) {
    return std::exchange(timed_out, false) && ec == net::error::operation_aborted;
  }

  static constexpr Clock::rep kNever = std::numeric_limits<Clock::rep>::max();
  static constexpr auto kOrder = std::memory_order_relaxed;
  tcp::socket* socket;  // owned by the coroutine frame; valid while !finished
  net::any_io_executor executor;
  std::atomic<Clock::rep> deadline{kNever};
  bool idle = false;       // waiting for the next request's header
  bool timed_out = false;  // the reaper cancelled the current read or write
  bool finished = false;   // the coroutine is leaving; the socket is about to go
};

// How often the reaper looks for connections past their deadline: the read timeout is kept to
// within a second, a drain deadline to within 50 ms.
constexpr std::chrono::milliseconds kReapTick{1000};
constexpr std::chrono::milliseconds kDrainReapTick{50};

// Names each of the pool's `threads` threads (base/thread_name.hpp): one task each, every task
// waiting until all have started, so that no thread takes two. The latch outlives the last task.
void NamePoolThreads(net::thread_pool& pool, int threads, std::string_view name) {
  auto started = std::make_shared<std::latch>(threads);
  for (int i = 0; i < threads; ++i) {
    net::post(pool, [started, name] {
      NameThisThread(name);
      started->arrive_and_wait();
    });
  }
  started->wait();
}

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, const Router& router)
      : options_(std::move(options)),
        router_(router),
        // With one I/O thread, every socket and timer operation of ioc_ happens on that thread
        // (the pools only post completions, which keep the scheduler's lock): the reactor's
        // per-socket locking is then pure cost.
        ioc_(options_.io_threads == 1 ? BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO
                                      : options_.io_threads),
        acceptor_(ioc_),
        control_(net::make_strand(ioc_)),
        signals_(control_),
        drain_timer_(control_),
        reap_timer_(control_),
        pool_(static_cast<size_t>(std::max(1, options_.worker_threads))),
        slow_pool_(static_cast<size_t>(std::max(1, options_.slow_threads))),
        issue_pool_(static_cast<size_t>(std::max(1, options_.issue_threads))) {
    NamePoolThreads(pool_, std::max(1, options_.worker_threads), "cz-worker");
    NamePoolThreads(slow_pool_, std::max(1, options_.slow_threads), "cz-slow");
    NamePoolThreads(issue_pool_, std::max(1, options_.issue_threads), "cz-issue");
  }

  Result<uint16_t> Listen() {
    beast::error_code ec;
    auto address = net::ip::make_address(options_.host, ec);
    if (ec) return Error::BadRequest("listen", "invalid listen address '" + options_.host + "'");
    tcp::endpoint ep(address, options_.port);
    acceptor_.open(ep.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(ep, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      return Error::Make(Errc::kInternal, "cannot listen on " + options_.host + ":" +
                                              std::to_string(options_.port) + ": " + ec.message());
    }
    return acceptor_.local_endpoint().port();
  }

  void Run() {
    if (options_.handle_signals) {
      signals_.add(SIGINT);
      signals_.add(SIGTERM);
      signals_.async_wait([this](beast::error_code ec, int) {
        if (!ec) StopOnLoop();
      });
    }
    net::co_spawn(ioc_, Accept(), net::detached);
    net::post(control_, [this] { ScheduleReap(); });
    std::vector<std::thread> threads;
    for (int i = 1; i < options_.io_threads; ++i) {
      threads.emplace_back([this] {
        NameThisThread("cz-io");
        ioc_.run();
      });
    }
    ioc_.run();
    for (auto& t : threads) t.join();
    {
      // Stopped with responses still being finished elsewhere (the drain timed out): their
      // callbacks post into ioc_, which must outlive them.
      std::unique_lock lock(later_mu_);
      later_cv_.wait(lock, [this] { return laters_ == 0; });
    }
    pool_.join();
    slow_pool_.join();
    issue_pool_.join();
  }

  void Stop() {
    net::post(control_, [this] { StopOnLoop(); });
  }

 private:
  void StopOnLoop() {
    if (stopping_.exchange(true)) return;
    beast::error_code ec;
    net::post(acceptor_.get_executor(), [this] {
      beast::error_code e;
      acceptor_.close(e);
    });
    signals_.cancel(ec);
    reap_timer_.cancel();  // the next pass comes at once, then every kDrainReapTick
    DrainConnections();
    // Requests still running get drain_timeout to finish; then everything stops.
    drain_timer_.expires_after(options_.drain_timeout);
    drain_timer_.async_wait([this](beast::error_code e) {
      if (!e) ioc_.stop();
    });
    CheckDrained();
  }

  // Runs on control_: once the last connection is gone the drain timer is cancelled, leaving
  // the io_context without work so that Run() returns.
  void CheckDrained() {
    net::post(control_, [this] {
      std::lock_guard lock(mu_);
      if (connections_.empty()) {
        drain_timer_.cancel();
        reaped_out_ = true;
        reap_timer_.cancel();
      }
    });
  }

  // Read and write deadlines (issue 10): each connection records when its current read or write
  // gives up (Connection::ExpireAt), and this one timer cancels the operations past theirs,
  // instead of Beast's tcp_stream arming and cancelling a timer around every read and write —
  // three a request, each a timer-heap update under the reactor's lock. Runs on control_.
  void ScheduleReap() {
    if (reaped_out_) return;
    reap_timer_.expires_after(
        stopping_ ? kDrainReapTick : std::min<Clock::duration>(kReapTick, options_.read_timeout));
    reap_timer_.async_wait([this](beast::error_code) {
      Reap();
      ScheduleReap();
    });
  }

  void Reap() {
    const Clock::rep now = Clock::now().time_since_epoch().count();
    std::lock_guard lock(mu_);
    for (const auto& c : connections_) {
      if (!c->Expired(now)) continue;
      net::post(c->executor, [c, now] {
        // The connection may have moved on since (a new read or write, or a request being
        // handled, which has no deadline).
        if (c->finished || !c->Expired(now)) return;
        c->timed_out = true;
        beast::error_code ec;
        c->socket->cancel(ec);
      });
    }
  }

  // Wakes every connection waiting for a request so that it applies the drain rules
  // (ReadHeader); connections serving a request see stopping_ before they write. Runs on the
  // connection's own executor, where its coroutine runs too.
  void DrainConnections() {
    std::lock_guard lock(mu_);
    for (const auto& c : connections_) {
      net::post(c->executor, [c] {
        if (c->finished || !c->idle) return;
        beast::error_code ec;
        c->socket->cancel(ec);
      });
    }
  }

  net::awaitable<void> Accept() {
    for (;;) {
      // A connection's coroutine and the drain's wake-ups must not run at once: with one I/O
      // thread they cannot, and a strand would only add its locking and executor copies to
      // every step of every request.
      net::any_io_executor executor = ioc_.get_executor();
      if (options_.io_threads > 1) executor = net::make_strand(ioc_);
      auto [ec, socket] = co_await acceptor_.async_accept(executor, kTuple);
      if (ec) {
        if (stopping_ || ec == net::error::operation_aborted) co_return;
        continue;  // e.g. EMFILE: keep serving the others
      }
      socket.set_option(tcp::no_delay(true), ec);
      net::co_spawn(socket.get_executor(), Serve(std::move(socket)), [](std::exception_ptr e) {
        if (e) {
          try {
            std::rethrow_exception(e);
          } catch (const std::exception& ex) {
            std::fprintf(stderr, "connection error: %s\n", ex.what());
          }
        }
      });
    }
  }

  // GCC 12 at -O1 with the sanitizers takes the coroutine frame's operator delete (Asio's
  // recycling allocator, awaitable_frame_base) for a mismatch with the operator new it pairs
  // with: a false -Wmismatched-new-delete.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
  net::awaitable<void> Serve(tcp::socket socket) {
    auto conn = std::make_shared<Connection>(socket);
    {
      std::lock_guard lock(mu_);
      connections_.insert(conn);
    }
    beast::flat_buffer buffer;
    // The peer does not change on a keep-alive connection: one getpeername, not one a request.
    std::string remote_address;
    {
      beast::error_code ec;
      auto ep = socket.remote_endpoint(ec);
      if (!ec) remote_address = ep.address().to_string();
    }
    Clock::time_point last_response = Clock::now();
    for (;;) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options_.header_limit));
      parser.body_limit(options_.body_limit);
      bool obs_fold = false;
      auto [ec, n] = co_await ReadHeader(*conn, buffer, parser, last_response, obs_fold);
      if (ec == net::error::timed_out) break;  // drained: nothing arrived in the grace
      if (!ec && obs_fold) {
        // RFC 9112 §5.2: a server may reject obs-fold with 400; Beast would have joined the
        // lines silently, and two parties disagreeing on a header is how smuggling starts.
        co_await WriteError(*conn, 400, "malformed HTTP request: obsolete line folding");
        break;
      }
      if (ec) {
        // Beast checks Content-Length against the body limit while parsing the header.
        if (ec == bhttp::error::body_limit) {
          co_await WriteError(*conn, 413, "request body too large");
        } else if (ec == bhttp::error::header_limit) {
          co_await WriteError(*conn, 431, "request header too large");
        } else if (IsProtocolError(ec)) {
          co_await WriteError(*conn, 400, "malformed HTTP request");
        }
        break;
      }
      const auto start = Clock::now();
      std::string logid = options_.make_logid ? options_.make_logid() : std::string("-");
      if (auto len = parser.content_length(); len && *len > options_.body_limit) {
        co_await WriteError(*conn, 413, "request body too large", logid);
        break;
      }
      // A request whose header came in is answered, drain or not: its body gets the full
      // read_timeout (the header may have been read under the drain's shorter deadline).
      // A request without a body is complete with its header (most are).
      if (!parser.is_done()) {
        conn->ExpireAt(start + options_.read_timeout);
        std::tie(ec, n) = co_await bhttp::async_read(socket, buffer, parser, kTuple);
        conn->ExpireNever();
        if (conn->TimedOut(ec)) ec = beast::error::timeout;
      }
      if (ec) {
        if (ec == bhttp::error::body_limit) {
          co_await WriteError(*conn, 413, "request body too large", logid);
        } else if (IsProtocolError(ec)) {
          co_await WriteError(*conn, 400, "malformed HTTP request", logid);
        }
        break;
      }
      auto breq = parser.release();
      const bool client_keep_alive = breq.keep_alive();
      Request req = MakeRequest(std::move(breq), remote_address, std::move(logid));
      Response res = co_await Dispatch(req);
      if (res.later) {
        // Where the handler ran is the dispatch's to tell, not the finished response's.
        const bool served_inline = res.log_served_inline;
        res = co_await Later(std::move(res.later));
        res.log_served_inline = served_inline;
      }
      RefuseUnsafeHeaders(req, res);
      // Decided as late as possible: once the drain has begun every response says
      // `Connection: close`, so that no client sends a request this connection will not read.
      const bool keep_alive = client_keep_alive && !stopping_;
      conn->ExpireAt(Clock::now() + options_.read_timeout);
      bool ok = co_await WriteResponse(socket, req.logid, res, keep_alive);
      conn->ExpireNever();
      last_response = Clock::now();
      Log(req, res, start, last_response);
      // A keep-alive response may have raced with the start of the drain: the next request
      // that the client is already sending is still read and answered (ReadHeader).
      if (!ok || !keep_alive) break;
    }
    beast::error_code ec;
    socket.shutdown(tcp::socket::shutdown_send, ec);
    socket.close(ec);
    conn->finished = true;
    {
      std::lock_guard lock(mu_);
      connections_.erase(conn);
    }
    if (stopping_) CheckDrained();
  }
#pragma GCC diagnostic pop

  // Reads the next request's header. Normally the wait is read_timeout. While the server drains,
  // a connection that answered its last request less than drain_idle_grace ago (or has bytes of
  // a request already in hand) gets until then for a request that may be on its way — the
  // client chose to send it on the strength of our keep-alive response — and it is answered with
  // `Connection: close`; a connection quiet for longer is closed at once (net::error::timed_out
  // tells the caller to close without a word). This closes the RFC 9112 §9.6 race for clients
  // looping on a connection without letting idle ones delay shutdown.
  net::awaitable<std::tuple<beast::error_code, std::size_t>> ReadHeader(
      Connection& conn, beast::flat_buffer& buffer,
      bhttp::request_parser<bhttp::string_body>& parser, Clock::time_point last_response,
      bool& obs_fold) {
    bool drain_applied = false;
    bool woken = false;
    Clock::time_point drain_deadline{};
    for (;;) {
      if (stopping_ && !drain_applied) {
        drain_applied = true;
        const auto now = Clock::now();
        drain_deadline = last_response + options_.drain_idle_grace;
        beast::error_code ec;
        if (buffer.size() > 0 || conn.socket->available(ec) > 0) {
          drain_deadline = std::max(drain_deadline, now + options_.drain_idle_grace);
        }
        if (drain_deadline <= now) {
          co_return std::tuple{beast::error_code(net::error::timed_out), 0};
        }
      }
      // Idle for read_timeout since the last response (or since the connection came): a clock
      // read saved on every request.
      conn.ExpireAt(drain_applied ? drain_deadline : last_response + options_.read_timeout);
      FoldWatchingBuffer watched(buffer);
      conn.idle = true;
      auto [ec, n] = co_await bhttp::async_read_header(*conn.socket, watched, parser, kTuple);
      conn.idle = false;
      conn.ExpireNever();
      if (conn.TimedOut(ec)) {
        ec = drain_applied ? beast::error_code(net::error::timed_out) : beast::error::timeout;
      }
      // DrainConnections' wake-up cancels one wait for a request. A wait that began before the
      // drain applies its deadline now; one that began after it (the coroutine was writing a
      // keep-alive response when the drain started, and the wake-up queued behind it) simply
      // waits on under the deadline it already has — the client may be sending the request
      // that response invited. Either way with the same parser (a cancelled read leaves it and
      // the buffer as they were).
      if (ec == net::error::operation_aborted && stopping_ && !woken) {
        woken = true;
        continue;
      }
      obs_fold = watched.saw_obs_fold();
      co_return std::tuple{ec, n};
    }
  }

  // A handler that put CR, LF or another control character into a header would split the
  // response or inject headers of its own (issue 8): nothing of it is sent. The header's name
  // is logged, never its value, which may carry a secret.
  static void RefuseUnsafeHeaders(const Request& req, Response& res) {
    auto bad = UnsafeResponseHeader(res);
    if (!bad) return;
    LogError({{"logid", req.logid},
              {"route", req.route},
              {"error", "refused a response header with forbidden characters"},
              {"header", *bad}});
    Response err = ErrorResponse(500, 5000, "internal server error", req.logid);
    err.log_credential = std::move(res.log_credential);
    err.log_token_id = std::move(res.log_token_id);
    res = std::move(err);
  }

  net::awaitable<Response> Dispatch(Request& req) {
    // Routing works on decoded segments; a path that only routes after normalisation
    // (`//v1/users/me`, `/v1/./users/me`, `/v1%2Fusers`) is refused, not normalised, so that no
    // two spellings reach one handler past a proxy's path rules (docs/api.md "Request hygiene").
    if (!IsCleanPath(std::string_view(req.target).substr(0, req.target.find('?')))) {
      req.route = "-";
      co_return ErrorResponse(400, 4000, "invalid request path", req.logid);
    }
    bool path_matched = false;
    const Route* route = router_.Match(req.method, req.path, req.path_params, path_matched);
    if (route == nullptr) {
      req.route = "-";
      if (path_matched) co_return ErrorResponse(405, 4000, "method not allowed", req.logid);
      co_return ErrorResponse(404, 4000, "no such API: " + req.path, req.logid);
    }
    req.route = route->pattern;
    req.permission = route->options.permission;
    if (route->options.inline_io) co_return Invoke(*route, req);
    if (route->options.try_inline) {
      if (std::optional<Response> res = TryInline(*route, req)) {
        res->log_served_inline = true;
        co_return std::move(*res);
      }
    }
    auto& pool = route->options.slow ? slow_pool_ : route->options.issue ? issue_pool_ : pool_;
    co_return co_await net::co_spawn(
        pool, [&]() -> net::awaitable<Response> { co_return Invoke(*route, req); }, use_awaitable);
  }

  // The response a handler left to be finished elsewhere (Response::later): this coroutine waits
  // without holding a thread, and resumes on its own executor when the callback is called. Run()
  // does not return while a callback is outstanding, so none posts to a destroyed io_context.
  net::awaitable<Response> Later(std::function<void(Response::Finish)> later) {
    co_return co_await net::async_initiate<const net::use_awaitable_t<>&, void(Response)>(
        [this](auto handler, std::function<void(Response::Finish)> start) {
          auto shared = std::make_shared<decltype(handler)>(std::move(handler));
          {
            std::lock_guard lock(later_mu_);
            ++laters_;
          }
          start([this, shared](Response res) {
            auto executor = net::get_associated_executor(*shared);
            net::post(executor,
                      [shared, res = std::move(res)]() mutable { (*shared)(std::move(res)); });
            std::lock_guard lock(later_mu_);
            if (--laters_ == 0) later_cv_.notify_all();
          });
        },
        use_awaitable, std::move(later));
  }

  // A try_inline route on the I/O thread: its response when it needed no blocking call, nullopt
  // when it reached one (then nothing was done that matters: base/blocking.hpp).
  static std::optional<Response> TryInline(const Route& route, Request& req) {
    try {
      NonBlockingScope scope;
      return Invoke(route, req);
    } catch (const WouldBlock&) {
      return std::nullopt;
    }
  }

  // The per-request guard: a handler's exception is a bug, reported as 5000 with the log id.
  static Response Invoke(const Route& route, Request& req) {
    try {
      return route.handler(req);
    } catch (const std::exception& e) {
      LogError({{"logid", req.logid}, {"route", route.pattern}, {"error", e.what()}});
      return ErrorResponse(500, 5000, "internal server error", req.logid);
    }
  }

  net::awaitable<void> WriteError(Connection& conn, unsigned status, std::string_view msg,
                                  std::string logid = {}) {
    if (logid.empty() && options_.make_logid) logid = options_.make_logid();
    Request req;
    req.logid = logid;
    req.route = "-";
    Response res = ErrorResponse(status, 4000, msg, logid);
    const auto start = Clock::now();
    conn.ExpireAt(start + options_.read_timeout);
    co_await WriteResponse(*conn.socket, req.logid, res, false);
    conn.ExpireNever();
    Log(req, res, start, Clock::now());
  }

  void Log(const Request& req, const Response& res, Clock::time_point start,
           Clock::time_point end) {
    if (!options_.access_log && !options_.on_request) return;
    RequestRecord e;
    e.logid = req.logid;
    e.method = bhttp::to_string(req.method);
    e.route = req.route.empty() ? std::string_view("-") : std::string_view(req.route);
    e.status = res.status;
    e.code = res.log_code;
    e.latency_us = std::chrono::duration_cast<std::chrono::microseconds>(end - start).count();
    e.credential = res.log_credential;
    e.token_id = res.log_token_id;
    e.permission = req.permission;
    e.served_inline = res.log_served_inline;
    if (options_.access_log) options_.access_log(e);
    if (options_.on_request) options_.on_request(e);
  }

  ServerOptions options_;
  const Router& router_;
  net::io_context ioc_;
  tcp::acceptor acceptor_;
  net::strand<net::io_context::executor_type> control_;  // shutdown state: signals, timer
  net::signal_set signals_;
  net::steady_timer drain_timer_;
  net::steady_timer reap_timer_;  // ScheduleReap
  bool reaped_out_ = false;       // drained: the reaper stops (control_ only)
  net::thread_pool pool_;
  net::thread_pool slow_pool_;   // RouteOptions::slow
  net::thread_pool issue_pool_;  // RouteOptions::issue
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::set<std::shared_ptr<Connection>> connections_;
  std::mutex later_mu_;
  std::condition_variable later_cv_;
  size_t laters_ = 0;  // Later() callbacks not yet called
};

Server::Server(ServerOptions options, const Router& router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {}
Server::~Server() = default;
Result<uint16_t> Server::Listen() { return impl_->Listen(); }
void Server::Run() { impl_->Run(); }
void Server::Stop() { impl_->Stop(); }

}  // namespace cozeauth::http
