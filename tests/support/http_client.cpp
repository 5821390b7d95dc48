#include "support/http_client.hpp"

#include <boost/asio.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <stdexcept>

namespace cozeauth::it {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr auto kTuple = net::as_tuple(net::use_awaitable);

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// Runs `body` as a coroutine on a private io_context; rethrows what it throws.
template <typename Fn>
void RunCoroutine(Fn&& body) {
  net::io_context ioc;
  std::exception_ptr error;
  net::co_spawn(ioc, std::forward<Fn>(body), [&](std::exception_ptr e) { error = e; });
  ioc.run();
  if (error) std::rethrow_exception(error);
}

}  // namespace

Headers Bearer(std::string_view token) {
  return {{"Authorization", "Bearer " + std::string(token)}};
}

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (EqualsNoCase(k, name)) return v;
  }
  return "";
}

bool HttpResponse::HasHeader(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (EqualsNoCase(k, name)) return true;
  }
  return false;
}

boost::json::value HttpResponse::Json() const {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  if (ec) throw std::runtime_error("response is not JSON (" + ec.message() + "): " + Describe());
  return v;
}

std::string HttpResponse::Describe() const {
  std::string b = body.size() > 600 ? body.substr(0, 600) + "…" : body;
  return "HTTP " + std::to_string(status) + " " + b;
}

HttpClient::HttpClient(std::string host, uint16_t port, std::chrono::milliseconds timeout)
    : host_(std::move(host)), port_(port), timeout_(timeout) {}

HttpResponse HttpClient::Get(const std::string& target, const Headers& headers) const {
  return Request("GET", target, headers, "", "");
}

HttpResponse HttpClient::Delete(const std::string& target, const Headers& headers) const {
  return Request("DELETE", target, headers, "", "");
}

HttpResponse HttpClient::Post(const std::string& target, std::string body, const Headers& headers,
                              std::string content_type) const {
  return Request("POST", target, headers, std::move(body), content_type);
}

HttpResponse HttpClient::Put(const std::string& target, std::string body, const Headers& headers,
                             std::string content_type) const {
  return Request("PUT", target, headers, std::move(body), content_type);
}

HttpResponse HttpClient::PostJson(const std::string& target, const boost::json::value& body,
                                  const Headers& headers) const {
  return Post(target, boost::json::serialize(body), headers);
}

HttpResponse HttpClient::Request(std::string_view method, const std::string& target,
                                 const Headers& headers, std::string body,
                                 const std::string& content_type) const {
  HttpResponse out;
  try {
    RunCoroutine([&]() -> net::awaitable<void> {
      beast::tcp_stream stream(co_await net::this_coro::executor);
      stream.expires_after(timeout_);
      co_await stream.async_connect(tcp::endpoint(net::ip::make_address(host_), port_),
                                    net::use_awaitable);
      bhttp::request<bhttp::string_body> req;
      req.version(11);
      bhttp::verb verb = bhttp::string_to_verb(method);
      if (verb == bhttp::verb::unknown) {
        req.method_string(method);
      } else {
        req.method(verb);
      }
      req.target(target);
      req.set(bhttp::field::host, host_ + ":" + std::to_string(port_));
      for (const auto& [k, v] : headers) req.insert(k, v);
      if (!content_type.empty()) req.set(bhttp::field::content_type, content_type);
      req.body() = std::move(body);
      req.prepare_payload();
      req.keep_alive(false);
      stream.expires_after(timeout_);
      co_await bhttp::async_write(stream, req, net::use_awaitable);
      beast::flat_buffer buffer;
      bhttp::response_parser<bhttp::string_body> parser;
      parser.header_limit(64 * 1024);
      parser.body_limit(256 * 1024 * 1024);
      stream.expires_after(timeout_);
      co_await bhttp::async_read(stream, buffer, parser, net::use_awaitable);
      auto res = parser.release();
      out.status = res.result_int();
      for (const auto& field : res.base()) {
        out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
      }
      out.body = std::move(res.body());
      beast::error_code ec;
      stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    });
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string(method) + " " + target + " failed: " + e.what());
  }
  return out;
}

std::string HttpClient::Raw(std::string_view bytes, std::chrono::milliseconds timeout) const {
  std::string received;
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(timeout);
  stream.connect(tcp::endpoint(net::ip::make_address(host_), port_));
  // Write and read concurrently: a server may answer (413, 431, 400) and close before it has
  // read the whole request; reading only after writing would lose that answer to the reset.
  net::co_spawn(
      ioc,
      [&]() -> net::awaitable<void> {
        co_await net::async_write(stream, net::buffer(bytes.data(), bytes.size()), kTuple);
      },
      net::detached);
  net::co_spawn(
      ioc,
      [&]() -> net::awaitable<void> {
        char buf[8192];
        for (;;) {
          auto [ec, n] = co_await stream.async_read_some(net::buffer(buf), kTuple);
          received.append(buf, n);
          if (ec) break;
        }
        beast::error_code ignored;
        stream.socket().close(ignored);  // ends a write the server stopped reading
      },
      net::detached);
  ioc.run();
  return received;
}

MultipartBody BuildMultipart(const std::vector<MultipartPart>& parts, const std::string& boundary) {
  MultipartBody out;
  out.content_type = "multipart/form-data; boundary=" + boundary;
  for (const auto& p : parts) {
    out.body += "--" + boundary + "\r\n";
    out.body += "Content-Disposition: form-data; name=\"" + p.name + "\"";
    if (!p.filename.empty()) out.body += "; filename=\"" + p.filename + "\"";
    out.body += "\r\n";
    if (!p.content_type.empty()) out.body += "Content-Type: " + p.content_type + "\r\n";
    out.body += "\r\n";
    out.body += p.data;
    out.body += "\r\n";
  }
  out.body += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace cozeauth::it
