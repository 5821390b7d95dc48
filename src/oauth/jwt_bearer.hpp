#pragma once
// Verification of the JWT an app presents on the JWT-bearer grant (coze-protocol.md §4.7).
// Synchronous; reads keys through GrantFacts (oauth/grant_facts.hpp: the store, or the server's
// cache of it) and records used `jti`s in the store; thread-safe.
//
// Order (nothing about the signature is trusted before step 2):
//   1. split into three base64url parts; header and payload must be JSON objects;
//   2. header.alg must be exactly "RS256" (none, HS256, RS512, … are refused here);
//   3. header.kid selects a stored key, and the RS256 signature must verify under it;
//   4. payload.iss must be the app that owns that key;
//   5. aud ∈ expected hosts (host with or without port, §4.7 — SDKs differ);
//   6. exp and iat are integers in [0, kMaxNumericDate] (integral doubles accepted; a fraction,
//      a string or an out-of-range value is invalid_request), iat < exp, exp − iat ≤
//      max_lifetime_seconds (invalid_request; Coze's SDKs send 900 s, JS/PY 3600 s),
//      exp > now − 60 s, iat ≤ now + 60 s (skew);
//   7. jti required (no minimum length: Go/Java send 16 chars), single use until exp + skew.
// Every other failure is an invalid_client OAuth error (oauth/errors.hpp) naming what was wrong.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "oauth/grant_facts.hpp"
#include "store/store.hpp"

namespace cozeauth::oauth {

inline constexpr int64_t kJwtSkewSeconds = 60;
// The latest NumericDate accepted: 9999-12-31T23:59:59Z. Far enough for any real assertion and
// small enough that every sum with it fits in int64_t.
inline constexpr int64_t kMaxNumericDate = 253'402'300'799;
// Default for max_lifetime_seconds (api::ServerOptions::jwt_max_lifetime_seconds).
inline constexpr int64_t kJwtDefaultMaxLifetimeSeconds = 3600;

struct JwtClaims {
  std::string app_id;  // iss
  std::string kid;
  std::string jti;
  int64_t iat = 0;
  int64_t exp = 0;
  std::string session_name;  // optional end-user id for conversation isolation (§5.5)
};

Result<JwtClaims> VerifyJwtBearer(store::Store& store, std::string_view jwt,
                                  const std::vector<std::string>& expected_aud_hosts, int64_t now,
                                  int64_t max_lifetime_seconds = kJwtDefaultMaxLifetimeSeconds);

// Steps 1–7 without recording the jti (step 7 checks only that it is present and at most 256
// characters): for a caller that records it in the same write as what the assertion buys
// (store::Store::IssueJwtToken with JwtIdUseOf(claims, now)), so that one transaction, not two,
// serves a grant. The key is read through `facts` (a cache of the store's rows in the server);
// the store overload reads the store.
Result<JwtClaims> VerifyJwtAssertion(GrantFacts& facts, std::string_view jwt,
                                     const std::vector<std::string>& expected_aud_hosts,
                                     int64_t now,
                                     int64_t max_lifetime_seconds = kJwtDefaultMaxLifetimeSeconds);
Result<JwtClaims> VerifyJwtAssertion(store::Store& store, std::string_view jwt,
                                     const std::vector<std::string>& expected_aud_hosts,
                                     int64_t now,
                                     int64_t max_lifetime_seconds = kJwtDefaultMaxLifetimeSeconds);

// The invalid_client error of an assertion whose jti was already used (step 7).
Error JtiAlreadyUsed();

// The jti use to record for verified claims: kept until exp plus the skew during which the
// assertion would still be accepted.
store::JwtIdUse JwtIdUseOf(const JwtClaims& claims, int64_t now);

// A host and the host without its port ("h:1" → {"h:1", "h"}): the aud forms SDKs send. The
// server's accepted audiences come from configuration (api::ServerOptions::audience_hosts),
// never from the request's Host header, which the client chooses.
std::vector<std::string> AudiencesForHost(std::string_view host);

}  // namespace cozeauth::oauth
