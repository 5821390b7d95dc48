#pragma once
// The structured access log: one JSON object per line on stdout per request (logid, method,
// route pattern, status, code, latency, credential kind and id). Never a token, secret or query
// string. Thread-safe (lines are written whole under a mutex).

#include <cstdio>

#include "base/request_record.hpp"

namespace cozeauth::observe {

class AccessLog {
 public:
  explicit AccessLog(std::FILE* out = stdout) : out_(out) {}
  void Write(const RequestRecord& e);

 private:
  std::FILE* out_;
};

}  // namespace cozeauth::observe
