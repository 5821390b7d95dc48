#pragma once
// The OpenAPI envelope (coze-protocol.md §3): success {code:0, msg:"", data, detail:{logid}};
// business errors as HTTP 200 {code, msg, detail:{logid}}; the one table mapping an Errc to
// its HTTP status and public message lives in respond.cpp.

#include <boost/json.hpp>

#include <string_view>

#include "base/result.hpp"
#include "http/message.hpp"

namespace cozeauth::api {

// {code:0, msg:"", data:<data>, detail:{logid}}.
http::Response Ok(const http::Request& req, boost::json::value data);
// {code:0, msg:"", detail:{logid}} plus the given top-level fields (message list, modify).
http::Response OkTopLevel(const http::Request& req, boost::json::object fields);
// The error envelope for `error`; HTTP status from the table (200 for business errors).
http::Response Fail(const http::Request& req, const Error& error);
http::Response Fail(const http::Request& req, Errc code, std::string_view message);

// Public message for a code ("authentication is invalid", ...).
std::string_view DefaultMessage(Errc code);
unsigned HttpStatusFor(Errc code);

}  // namespace cozeauth::api
