#pragma once
// OAuth failures (coze-protocol.md §4.8) travel as an ordinary Error whose `field` holds the
// OAuth error_code ("invalid_client", "invalid_request", …) and whose message is the public
// error_message. The HTTP layer maps them (api/oauth_token_routes.cpp); any other Error is an
// internal_error. Messages never contain a secret (no JWT, no signature bytes).

#include <string>
#include <string_view>

#include "base/result.hpp"

namespace cozeauth::oauth {

inline constexpr std::string_view kInvalidRequest = "invalid_request";
inline constexpr std::string_view kInvalidClient = "invalid_client";
inline constexpr std::string_view kUnsupportedGrantType = "unsupported_grant_type";
inline constexpr std::string_view kAccessDeny = "access_deny";  // sic, coze-protocol.md §4.8
inline constexpr std::string_view kInternalError = "internal_error";

inline Error OAuthError(std::string_view oauth_code, std::string message) {
  return Error{Errc::kBadRequest, std::move(message), std::string(oauth_code)};
}

// The OAuth error_code of `e`: its field when it is an OAuth failure, else internal_error.
inline std::string_view OAuthCode(const Error& e) {
  if (e.code == Errc::kBadRequest && !e.field.empty()) return e.field;
  return kInternalError;
}

}  // namespace cozeauth::oauth
