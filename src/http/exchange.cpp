#include "http/exchange.hpp"

#include <boost/asio.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <cstdio>

namespace cozeauth::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {
constexpr auto kTuple = net::as_tuple(net::use_awaitable);
}  // namespace

void LogError(std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
  boost::json::object o;
  o["level"] = "error";
  for (const auto& [k, v] : fields) o[k] = v;
  std::fprintf(stderr, "%s\n", boost::json::serialize(o).c_str());
}

Response ErrorResponse(unsigned status, int code, std::string_view msg, std::string_view logid) {
  Response r = Response::Json(ErrorEnvelope(code, msg, logid), status);
  r.log_code = code;
  return r;
}

bool IsProtocolError(const beast::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
         ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

Request MakeRequest(bhttp::request<bhttp::string_body>&& breq, const std::string& remote_address,
                    std::string logid) {
  Request req;
  req.method = breq.method();
  req.target = std::string(breq.target());
  auto q = req.target.find('?');
  req.path = PercentDecode(std::string_view(req.target).substr(0, q), false);
  if (q != std::string::npos) req.query = ParseQuery(std::string_view(req.target).substr(q + 1));
  req.body = std::move(breq.body());
  req.headers = std::move(breq.base());
  req.remote_address = remote_address;
  req.logid = std::move(logid);
  return req;
}

net::awaitable<bool> WriteResponse(beast::tcp_stream& stream, std::string_view logid, Response& res,
                                   bool keep_alive) {
  if (res.sse) {
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
      std::tie(ec, n) =
          co_await net::async_write(stream, bhttp::make_chunk(net::buffer(ev)), kTuple);
      if (ec) co_return false;
    }
    std::tie(ec, n) = co_await net::async_write(stream, bhttp::make_chunk_last(), kTuple);
    co_return !ec;
  }
  bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), 11};
  if (!res.content_type.empty()) out.set(bhttp::field::content_type, res.content_type);
  out.set("X-Tt-Logid", logid);
  for (const auto& [k, v] : res.headers) out.insert(k, v);
  out.body() = std::move(res.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  auto [ec, n] = co_await bhttp::async_write(stream, out, kTuple);
  co_return !ec;
}

}  // namespace cozeauth::http
