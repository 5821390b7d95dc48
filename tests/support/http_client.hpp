#pragma once
// A tiny HTTP/1.1 client for the integration tests (Boost.Beast over loopback). One connection
// per request, so every call is independent; every operation has a timeout (a hung server fails
// the test instead of hanging it). Responses are read whole — chunked bodies included, which is
// how an SSE stream is captured raw. Thread-compatible: a client holds no connection state.
//
//   HttpClient http("127.0.0.1", port);
//   HttpResponse r = http.Get("/v1/users/me", Bearer(token));
//   auto body = r.Json();

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cozeauth::it {

using Headers = std::vector<std::pair<std::string, std::string>>;

// {"Authorization", "Bearer <token>"}.
Headers Bearer(std::string_view token);

struct HttpResponse {
  unsigned status = 0;
  Headers headers;  // in the order received
  std::string body;

  // The first header with this name (case-insensitive); "" when absent.
  std::string Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
  // The body parsed as JSON; throws std::runtime_error quoting the body when it is not JSON.
  boost::json::value Json() const;
  // "HTTP 200 {...}" (body truncated), for assertion messages.
  std::string Describe() const;
};

class HttpClient {
 public:
  HttpClient(std::string host, uint16_t port,
             std::chrono::milliseconds timeout = std::chrono::seconds(15));

  HttpResponse Get(const std::string& target, const Headers& headers = {}) const;
  HttpResponse Delete(const std::string& target, const Headers& headers = {}) const;
  HttpResponse Post(const std::string& target, std::string body, const Headers& headers = {},
                    std::string content_type = "application/json") const;
  HttpResponse Put(const std::string& target, std::string body, const Headers& headers = {},
                   std::string content_type = "application/json") const;
  HttpResponse PostJson(const std::string& target, const boost::json::value& body,
                        const Headers& headers = {}) const;
  // Any method; `content_type` is only sent when non-empty, Content-Length always for bodies.
  HttpResponse Request(std::string_view method, const std::string& target, const Headers& headers,
                       std::string body, const std::string& content_type) const;

  // Writes `bytes` verbatim and returns everything the server sends until it closes the
  // connection or `timeout` passes — for malformed and hostile requests.
  std::string Raw(std::string_view bytes,
                  std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

  const std::string& host() const { return host_; }
  uint16_t port() const { return port_; }

 private:
  std::string host_;
  uint16_t port_;
  std::chrono::milliseconds timeout_;
};

// A multipart/form-data body.
struct MultipartPart {
  std::string name;
  std::string filename;  // empty: a plain field, no filename parameter
  std::string content_type;
  std::string data;
};
struct MultipartBody {
  std::string content_type;  // "multipart/form-data; boundary=…"
  std::string body;
};
MultipartBody BuildMultipart(const std::vector<MultipartPart>& parts,
                             const std::string& boundary = "cozeauthTestBoundary7MA4YWxk");

}  // namespace cozeauth::it
