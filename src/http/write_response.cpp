// WriteResponse (exchange.hpp): the one coroutine of the exchange, in a file of its own because
// clang 14 cannot assemble Asio C++20 coroutines under ASan+UBSan ("Cannot represent a difference
// across sections"), so the fuzz build leaves this file out (fuzz/CMakeLists.txt) and keeps the
// rest of exchange.cpp, which fuzz_http_request calls.
#include <array>
#include <boost/asio.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "http/exchange.hpp"

namespace cozeauth::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr auto kTuple = net::as_tuple(net::use_awaitable);

// The two rare shapes live in coroutines of their own: a coroutine's frame holds the locals of
// every branch, and with these (a Beast message, a serializer) WriteResponse's frame came to
// 1,360 bytes, past the 1,020 that Asio's per-thread recycling allocator reuses
// (thread_info_base.hpp), so every response cost a malloc of that size and its free.
net::awaitable<bool> WriteEventStream(tcp::socket& stream, std::string_view logid, Response& res,
                                      bool keep_alive) {
  bhttp::response<bhttp::empty_body> head{static_cast<bhttp::status>(res.status), 11};
  head.set(bhttp::field::content_type, "text/event-stream; charset=utf-8");
  head.set(bhttp::field::cache_control, "no-cache");
  head.set("X-Tt-Logid", logid);
  head.set("X-Accel-Buffering", "no");
  for (const auto& [k, v] : res.headers) head.insert(k, v);
  head.keep_alive(keep_alive);
  head.chunked(true);
  bhttp::response_serializer<bhttp::empty_body> sr{head};
  auto [ec, n] = co_await bhttp::async_write_header(stream, sr, kTuple);
  if (ec) co_return false;
  for (const auto& ev : res.events) {
    std::tie(ec, n) = co_await net::async_write(stream, bhttp::make_chunk(net::buffer(ev)), kTuple);
    if (ec) co_return false;
  }
  std::tie(ec, n) = co_await net::async_write(stream, bhttp::make_chunk_last(), kTuple);
  co_return !ec;
}

// 1xx, 204 and 304 carry no body and no Content-Length (RFC 9110 §8.6): Beast's rules.
net::awaitable<bool> WriteWithoutPayload(tcp::socket& stream, std::string_view logid, Response& res,
                                         bool keep_alive) {
  bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), 11};
  if (!res.content_type.empty()) out.set(bhttp::field::content_type, res.content_type);
  out.set("X-Tt-Logid", logid);
  for (const auto& [k, v] : res.headers) out.insert(k, v);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  auto [ec, n] = co_await bhttp::async_write(stream, out, kTuple);
  co_return !ec;
}

}  // namespace

net::awaitable<bool> WriteResponse(tcp::socket& stream, std::string_view logid, Response& res,
                                   bool keep_alive) {
  if (res.sse) co_return co_await WriteEventStream(stream, logid, res, keep_alive);
  if (!HasPayload(res.status))
    co_return co_await WriteWithoutPayload(stream, logid, res, keep_alive);
  // Everything else: the head in one string and the body beside it, one gathered write — the
  // bytes Beast's serializer would send (the same fields in the same order), without its field
  // list and buffer-sequence iterators, which cost more than the rest of a cached request.
  const std::string head = ResponseHead(res, logid, keep_alive);
  const std::array<net::const_buffer, 2> buffers{net::buffer(head), net::buffer(res.body)};
  auto [ec, n] = co_await net::async_write(stream, buffers, kTuple);
  co_return !ec;
}

}  // namespace cozeauth::http
