#pragma once
// One request/response exchange on the wire, apart from the connection loop (server.cpp): the
// Request built from what Beast parsed, the Response written back (a JSON/text body with its
// length, or an SSE stream in chunks), the error answers the server gives itself, and the one
// JSON error line on stderr. Stateless functions; safe from any thread. Private to `http`.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "http/message.hpp"

namespace cozeauth::http {

// One JSON line on stderr, {"level":"error", …fields}; values escaped (a header name may hold
// CR/LF). Callers never pass a secret.
void LogError(std::initializer_list<std::pair<std::string_view, std::string_view>> fields);

// A Coze error envelope answered by the server itself (routing, limits, the per-request guard).
Response ErrorResponse(unsigned status, int code, std::string_view msg, std::string_view logid);

// A parse error of the client's bytes (answered 400), not a closed or truncated stream.
bool IsProtocolError(const boost::beast::error_code& ec);

// The Request a handler sees: method, raw target, decoded path and query, body, headers.
Request MakeRequest(boost::beast::http::request<boost::beast::http::string_body>&& parsed,
                    const std::string& remote_address, std::string logid);

// Whether a response of this status carries a body and its Content-Length: not 1xx, 204 or 304
// (RFC 9110 §6.4.1).
bool HasPayload(unsigned status);

// The status line and header fields of `res` (which must HasPayload), ending in the blank line:
// Content-Type, X-Tt-Logid, the handler's headers in order, `Connection: close` unless
// keep_alive, Content-Length. Byte for byte what Beast's serializer writes for the same message.
std::string ResponseHead(const Response& res, std::string_view logid, bool keep_alive);

// Writes `res` with `X-Tt-Logid: logid`; true if every byte went out. `res.body` is moved out.
boost::asio::awaitable<bool> WriteResponse(boost::asio::ip::tcp::socket& stream,
                                           std::string_view logid, Response& res, bool keep_alive);

}  // namespace cozeauth::http
