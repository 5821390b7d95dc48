#pragma once
// The OpenAPI envelope (coze-protocol.md §3): success {code:0, msg:"", data, detail:{logid}};
// business errors as HTTP 200 {code, msg, detail:{logid}}; the one table mapping an Errc to
// its HTTP status and public message lives in respond.cpp.

#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "http/message.hpp"

namespace cozeauth::api {

// {code:0, msg:"", data:<data>, detail:{logid}}.
http::Response Ok(const http::Request& req, boost::json::value data);
// The same with `data` already serialised (a cached rendering); `data_json` must be one JSON value.
http::Response OkSerialized(const http::Request& req, std::string_view data_json);
// {code:0, msg:"", detail:{logid}} plus the given top-level fields (message list, modify).
http::Response OkTopLevel(const http::Request& req, boost::json::object fields);
// The error envelope for `error`; HTTP status from the table (200 for business errors). An
// internal fault (kInternal → HTTP 500, code 5000) keeps its cause out of the body and logs it
// (LogInternalError), so every 5000 a client sees has a line on stderr with the same logid.
http::Response Fail(const http::Request& req, const Error& error);
http::Response Fail(const http::Request& req, Errc code, std::string_view message);

// Writes one JSON line to stderr — {"level":"error","logid","route","code":5000,"error":cause} —
// for an internal fault answered to `req`, the cause passed through RedactSecrets. Thread-safe
// (one write per line). For handlers that answer a fault in another shape (an HTML page, an
// OAuth redirect) and so do not go through Fail.
void LogInternalError(const http::Request& req, const Error& error);
// The line LogInternalError writes, without the newline.
std::string InternalErrorLine(std::string_view logid, std::string_view route,
                              std::string_view cause);
// `text` with anything that may be a credential replaced by "[redacted]": the word after
// bearer/basic/password/secret/authorization/cookie/…, a run starting with a token prefix
// (pat_, sat_, czu_, czs_, …), and any run of 20+ token characters mixing letters and digits
// (random secrets, session values, digests). Store and internal causes never should hold one;
// this keeps a log line safe even when a message quotes its input.
std::string RedactSecrets(std::string_view text);

// Public message for a code ("authentication is invalid", ...).
std::string_view DefaultMessage(Errc code);
unsigned HttpStatusFor(Errc code);

}  // namespace cozeauth::api
