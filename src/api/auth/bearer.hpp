#pragma once
// Bearer extraction, the first step of the hot path (Envoy jwt_authn's extractor): the token of
// an `Authorization: Bearer <token>` header value (RFC 6750 §2.1; the scheme is matched ignoring
// ASCII case, RFC 9110 §11.1). Pure: no allocation, no state; the result is a view into the
// argument. It only finds the token — whether the token is well formed is the verifier's call.
//
// Thread-safe (a pure function).

#include <string_view>

namespace cozeauth::api {

// The token of "Bearer <token>", surrounding spaces and tabs trimmed; empty when the value is
// empty, holds another scheme, or has no space between the scheme and a token ("Bearerxyz").
std::string_view BearerToken(std::string_view authorization_header);

}  // namespace cozeauth::api
