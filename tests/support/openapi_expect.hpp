#pragma once
// Assertions on Coze OpenAPI responses (coze-protocol.md §3), for gtest:
//
//   EXPECT_TRUE(IsOk(res));                 // HTTP 200, code 0, msg "", detail.logid == X-Tt-Logid
//   EXPECT_TRUE(IsCozeError(res, 4101));    // HTTP 200, {code, msg, detail.logid}
//   EXPECT_TRUE(IsId(Path(body, "data.bot_id")));
//
// Path() walks a dotted path ("data.items.0.id"; numbers index arrays) and throws
// std::runtime_error naming the missing step, which gtest reports as a test failure.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "support/http_client.hpp"

namespace cozeauth::it {

const boost::json::value& Path(const boost::json::value& root, std::string_view dotted);
bool Has(const boost::json::value& root, std::string_view dotted);
// Path(...) as a std::string; throws when it is not a JSON string.
std::string Str(const boost::json::value& root, std::string_view dotted);
// Path(...) as an integer; throws when it is not a JSON integer.
int64_t Int(const boost::json::value& root, std::string_view dotted);

// A Coze resource id: a JSON string of exactly 19 decimal digits.
::testing::AssertionResult IsId(const boost::json::value& v);
// A Unix timestamp in seconds: a JSON integer within a sane range (2020 … 2100).
::testing::AssertionResult IsTimestamp(const boost::json::value& v);

// The success envelope: HTTP 200, JSON content type, code 0, msg "", and a non-empty
// detail.logid equal to the X-Tt-Logid header.
::testing::AssertionResult IsOk(const HttpResponse& res);
// A business error: HTTP `http_status` (200 by default, as the cloud does), a JSON body with
// integer `code` == `code`, a non-empty string `msg`, detail.logid == X-Tt-Logid.
::testing::AssertionResult IsCozeError(const HttpResponse& res, int code,
                                       unsigned http_status = 200);
// The `code` field of a JSON body, or -1 when the body has none.
int CodeOf(const HttpResponse& res);
// The OAuth `error` field of a token endpoint's answer (RFC 6749 §5.2), or "" when there is none.
std::string OAuthErrorOf(const HttpResponse& res);
// The parsed body of a successful response; throws std::runtime_error with IsOk's message
// otherwise (for fixture steps whose shape another test checks).
boost::json::value OkBody(const HttpResponse& res);

// Repeats `request` every 50 ms until its `code` is `code` or `limit` has passed.
struct Polled {
  HttpResponse last;
  bool reached = false;
  std::chrono::milliseconds elapsed{0};
};
Polled PollForCode(const std::function<HttpResponse()>& request, int code,
                   std::chrono::milliseconds limit);

// A random 19-digit id (the chance that a test store holds it is negligible); random
// alphanumerics.
std::string RandomId();
std::string RandomAlnum(size_t n);

// Hex SHA-256 (lower case) of `data`.
std::string Sha256Hex(std::string_view data);

}  // namespace cozeauth::it
