#pragma once
// HttpTransport: how the SDK moves bytes. One request in, one response out; no knowledge of
// Coze's envelope. A transport failure (DNS, connect, TLS, timeout) is a coze::Error with code
// kClientErrorCode and http_status 0; any HTTP status, 4xx and 5xx included, is a response.
// Implementations must be safe to call from several threads at once.
//
// CurlTransport (MakeCurlTransport) is the default: libcurl with TLS peer and host verification
// on, the proxy taken from the environment (libcurl's http_proxy/https_proxy/no_proxy rules),
// connection reuse through a pool of easy handles, a connect timeout and a per-request timeout
// (for streams: an idle timeout, so that a long answer is not cut off).

#include <chrono>
#include <coze/error.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coze {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  HeaderList headers;
  std::string body;
  std::chrono::milliseconds timeout{60000};
};

struct HttpResponse {
  int status = 0;
  HeaderList headers;  // in arrival order; names as the server sent them
  std::string body;    // empty for streamed responses: the body went to the callback
  // The first header named `name` (case-insensitive); "" when absent.
  std::string Header(std::string_view name) const;
};

// Receives the response head (status, headers; body empty) and each body chunk as it arrives.
// Return false to stop reading; the request then completes successfully with what was read.
using ChunkCallback = std::function<bool(const HttpResponse& head, std::string_view chunk)>;

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
  virtual Result<HttpResponse> Stream(const HttpRequest& request,
                                      const ChunkCallback& on_chunk) = 0;
};

struct CurlOptions {
  std::chrono::milliseconds connect_timeout{10000};
  size_t max_idle_handles = 8;  // easy handles kept for reuse (each keeps its connections)
};

std::shared_ptr<HttpTransport> MakeCurlTransport(CurlOptions options = {});

}  // namespace coze
