#include "sdk/response.hpp"

#include <strings.h>

#include "wire/json_read.hpp"

namespace coze {

std::string Error::Describe() const {
  std::string out = "code=" + std::to_string(code) + ", msg=" + msg;
  if (!logid.empty()) out += ", logid=" + logid;
  if (http_status != 0) out += ", http_status=" + std::to_string(http_status);
  return out;
}

std::string AuthError::Describe() const {
  std::string out = "error_code=" + error_code + ", message=" + message;
  if (!logid.empty()) out += ", logid=" + logid;
  if (http_status != 0) out += ", http_status=" + std::to_string(http_status);
  return out;
}

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), name.size()) == 0) {
      return value;
    }
  }
  return {};
}

namespace sdk {
namespace json = boost::json;
using cozeauth::wire::IntMember;
using cozeauth::wire::StringMember;
namespace {

std::string LogId(const json::object* body, const HttpResponse& response) {
  if (body != nullptr) {
    if (auto* d = body->if_contains("detail"); d && d->is_object()) {
      if (auto id = StringMember(d->as_object(), "logid"); !id.empty()) return id;
    }
  }
  return response.Header("X-Tt-Logid");
}

bool Is2xx(int status) { return status >= 200 && status < 300; }

}  // namespace

std::string Excerpt(std::string_view body, size_t max) {
  if (body.size() <= max) return std::string(body);
  return std::string(body.substr(0, max)) + "…";
}

Result<json::object> InterpretResponse(const HttpResponse& response) {
  boost::system::error_code ec;
  json::value parsed = json::parse(response.body, ec);
  if (ec || !parsed.is_object()) {
    std::string what = response.body.empty() ? "empty response" : "response is not a JSON object";
    return Error{response.status, what + ": " + Excerpt(response.body), LogId(nullptr, response),
                 response.status};
  }
  json::object& body = parsed.as_object();
  const std::string logid = LogId(&body, response);
  if (auto code = IntMember(body, "code"); code && *code != 0) {
    return Error{*code, StringMember(body, "msg"), logid, response.status};
  }
  // OAuth shape (coze-protocol.md §4.8). A deprecated `error` *object* may accompany a success
  // envelope (§3.1), so only a string `error` counts.
  std::string error_code = StringMember(body, "error_code");
  if (error_code.empty()) error_code = StringMember(body, "error");
  if (!error_code.empty()) {
    std::string message = StringMember(body, "error_message");
    if (message.empty()) message = StringMember(body, "error_description");
    return AuthError{error_code, message, logid, response.status};
  }
  if (!Is2xx(response.status)) {
    return Error{response.status,
                 "HTTP " + std::to_string(response.status) + ": " + Excerpt(response.body), logid,
                 response.status};
  }
  return std::move(body);
}

}  // namespace sdk
}  // namespace coze
