#include "http/exchange.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <cstdio>

namespace cozeauth::http {
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

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

bool HasPayload(unsigned status) { return status >= 200 && status != 204 && status != 304; }

std::string ResponseHead(const Response& res, std::string_view logid, bool keep_alive) {
  const std::string_view reason = bhttp::obsolete_reason(static_cast<bhttp::status>(res.status));
  std::string head;
  size_t size = 96 + reason.size() + res.content_type.size() + logid.size();
  for (const auto& [k, v] : res.headers) size += k.size() + v.size() + 4;
  head.reserve(size);
  const auto field = [&head](std::string_view name, std::string_view value) {
    head.append(name).append(": ").append(value).append("\r\n");
  };
  head.append("HTTP/1.1 ").append(std::to_string(res.status)).append(" ").append(reason);
  head.append("\r\n");
  if (!res.content_type.empty()) field("Content-Type", res.content_type);
  field("X-Tt-Logid", logid);
  for (const auto& [k, v] : res.headers) field(k, v);
  if (!keep_alive) field("Connection", "close");
  field("Content-Length", std::to_string(res.body.size()));
  head.append("\r\n");
  return head;
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

}  // namespace cozeauth::http
