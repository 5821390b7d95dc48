#pragma once
// Request and Response as handlers see them: transport-independent values with no domain types.
// A Request is owned by one handler invocation; a Response is built by it and written by the
// server. Not synchronized.

#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/verb.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cozeauth::http {

using Verb = boost::beast::http::verb;
using Headers = boost::beast::http::fields;

struct Request {
  Verb method = Verb::get;
  std::string target;                                      // as received, path + query
  std::string path;                                        // percent-decoded path without the query
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::vector<std::pair<std::string, std::string>> path_params;
  Headers headers;
  std::string body;
  std::string remote_address;
  std::string logid;       // generated per request; echoed in X-Tt-Logid and error bodies
  std::string route;       // the matched route pattern, e.g. "/v1/bots/{bot_id}"
  std::string permission;  // the permission point the matched route declared (may be empty)

  std::string_view Header(std::string_view name) const;
  // First value of a query parameter.
  std::optional<std::string> Query(std::string_view name) const;
  const std::string& PathParam(std::string_view name) const;
};

struct Response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Server-sent events: when `sse` is set, `events` are written one chunk each with
  // Content-Type text/event-stream and `body` is ignored.
  bool sse = false;
  std::vector<std::string> events;
  // Fields for the access log (never secrets).
  int log_code = 0;                  // business code; 0 = success
  std::string log_credential = "-";  // credential kind that authorized the request
  std::string log_token_id;          // id of that credential (never the token itself); "" = none
  bool log_served_inline = false;    // a try_inline route answered on the I/O thread

  // A response finished elsewhere, by a handler whose answer waits on work it hands to another
  // thread (a group commit) rather than park its own on it. When set, nothing else of this
  // Response is used: the server calls `later` once, on the connection's I/O thread (so it must
  // not block), with a callback that must be called exactly once, from any thread, with the
  // response to write.
  using Finish = std::function<void(Response)>;
  std::function<void(Finish)> later;

  static Response Json(std::string body, unsigned status = 200);
  static Response Html(std::string body, unsigned status = 200);
  static Response Redirect(std::string location, unsigned status = 302);
  void SetHeader(std::string name, std::string value);
};

// Tolerant query-string decoding: '+' and %XX are decoded where valid, anything else is kept
// verbatim, because the JS SDK sends unencoded values (coze-protocol.md §1.2).
std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view query);
std::string PercentDecode(std::string_view s, bool plus_as_space);
std::string PercentEncode(std::string_view s);

// Coze's error envelope {code, msg, detail:{logid}} (coze-protocol.md §3.2).
std::string ErrorEnvelope(int code, std::string_view msg, std::string_view logid);

}  // namespace cozeauth::http
