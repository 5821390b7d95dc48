#pragma once
// RequestRecord: what one answered request was, as the HTTP layer saw it and its handler
// annotated it. http::Server fills one per request and hands it to its callbacks; observe's
// access log, metrics and per-credential statistics read it. It lives in base, below both, so
// that neither http nor observe depends on the other (docs/architecture.md): observe never reaches
// Beast, and http knows no observation. The views point into the request and response; they are
// valid only during the callback.

#include <cstdint>
#include <string_view>

namespace cozeauth {

struct RequestRecord {
  std::string_view logid;
  std::string_view method;
  std::string_view route;  // matched pattern, or "-" when nothing matched
  unsigned status = 0;
  int code = 0;  // the Coze business code the handler answered (0 = success)
  int64_t latency_us = 0;
  std::string_view credential;  // credential kind ("pat", "sat", …; "-" when none)
  std::string_view token_id;    // the credential's id ("" when none was identified)
  std::string_view permission;  // the point the matched route declared ("" for none)
  // Answered on the I/O thread by a route tried there first (http::RouteOptions::try_inline),
  // without moving to a worker.
  bool served_inline = false;
};

}  // namespace cozeauth
