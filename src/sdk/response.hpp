#pragma once
// Internal: the SDK's reading of an OpenAPI response (coze-protocol.md §3.3, §10 client items
// 1–2) as one pure function, so that the rules are tested without a network. Not installed.

#include <boost/json.hpp>
#include <coze/error.hpp>
#include <coze/transport.hpp>
#include <string>
#include <string_view>

namespace coze::sdk {

// The body object of a successful response, or the Error / AuthError it denotes:
//   JSON object with numeric `code` ≠ 0 (any status)        → Error{code, msg, logid}
//   JSON object with `error_code` or a string `error`       → AuthError
//   other JSON at a non-2xx status                          → Error{code = status}
//   non-JSON (any status)                                   → Error{code = status, body excerpt}
// logid: `detail.logid`, else the X-Tt-Logid header.
Result<boost::json::object> InterpretResponse(const HttpResponse& response);

// At most `max` bytes of `body` for an error message.
std::string Excerpt(std::string_view body, size_t max = 200);

}  // namespace coze::sdk
