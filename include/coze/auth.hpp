#pragma once
// Auth: where the bearer token of a request comes from. The client asks for a token before every
// request; a provider may cache and refresh (JWT, OAuth) and may fail with an Error or AuthError,
// which the call then returns without sending anything. Implementations must be thread-safe:
// one Client (and so one Auth) may serve many threads.
//
// TokenAuth is a fixed PAT (`pat_…`) or SAT (`sat_…`); it never fails and never refreshes.

#include <coze/error.hpp>

#include <string>
#include <utility>

namespace coze {

class Auth {
 public:
  virtual ~Auth() = default;
  // The token to send as `Authorization: Bearer <token>`.
  virtual Result<std::string> Token() = 0;
};

class TokenAuth final : public Auth {
 public:
  explicit TokenAuth(std::string token) : token_(std::move(token)) {}
  Result<std::string> Token() override { return token_; }

 private:
  const std::string token_;
};

}  // namespace coze
