#include "oauth/jwt_bearer.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <memory>
#include <optional>

#include "base/checked.hpp"
#include "base/crypto.hpp"
#include "oauth/errors.hpp"
#include "oauth/keys.hpp"

namespace cozeauth::oauth {
namespace json = boost::json;
namespace {

Error Invalid(std::string message) { return OAuthError(kInvalidClient, std::move(message)); }

struct Parts {
  json::object header;
  json::object payload;
  std::string signature;
  std::string_view signing_input;  // "<header>.<payload>" as received
};

Result<json::object> DecodeObject(std::string_view part, const char* what) {
  auto bytes = Base64UrlDecode(part);
  if (!bytes) return Invalid(std::string("JWT is malformed: ") + what + " is not base64url");
  boost::system::error_code ec;
  json::value v = json::parse(*bytes, ec);
  if (ec || !v.is_object()) {
    return Invalid(std::string("JWT is malformed: ") + what + " is not a JSON object");
  }
  return std::move(v.as_object());
}

Result<Parts> Split(std::string_view jwt) {
  const size_t a = jwt.find('.');
  const size_t b = a == std::string_view::npos ? a : jwt.find('.', a + 1);
  if (jwt.empty() || b == std::string_view::npos ||
      jwt.find('.', b + 1) != std::string_view::npos) {
    return Invalid("JWT is malformed: expected three dot-separated parts");
  }
  Parts p;
  auto header = DecodeObject(jwt.substr(0, a), "header");
  if (!header) return header.error();
  p.header = std::move(header).value();
  auto payload = DecodeObject(jwt.substr(a + 1, b - a - 1), "payload");
  if (!payload) return payload.error();
  p.payload = std::move(payload).value();
  auto sig = Base64UrlDecode(jwt.substr(b + 1));
  if (!sig) return Invalid("JWT is malformed: signature is not base64url");
  p.signature = std::move(*sig);
  p.signing_input = jwt.substr(0, b);
  return p;
}

std::optional<std::string> StringClaim(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

// A NumericDate claim (RFC 7519 §2): nullopt when absent; invalid_request unless it is an
// integer in [0, kMaxNumericDate]. Some encoders send integral doubles (1.7e9), which are
// accepted; a fraction, a string, NaN or anything out of range is refused *before* any
// conversion, because casting an out-of-range double to int64_t is undefined behaviour and an
// exp near INT64_MAX would overflow every sum made with it.
Result<std::optional<int64_t>> NumericDateClaim(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v) return std::optional<int64_t>();
  auto bad = [&] {
    return OAuthError(kInvalidRequest, "JWT " + std::string(key) +
                                           " must be an integer number of seconds in [0, " +
                                           std::to_string(kMaxNumericDate) + "]");
  };
  if (v->is_int64()) {
    const int64_t n = v->as_int64();
    if (n < 0 || n > kMaxNumericDate) return bad();
    return std::optional<int64_t>(n);
  }
  if (v->is_uint64()) return bad();  // > INT64_MAX, far beyond the range
  if (v->is_double()) {
    const double d = v->as_double();
    if (!std::isfinite(d) || d < 0 || d > static_cast<double>(kMaxNumericDate) ||
        std::trunc(d) != d) {
      return bad();
    }
    return std::optional<int64_t>(static_cast<int64_t>(d));  // in range: well defined
  }
  return bad();
}

// iss is the numeric app id; [JS] sends it as a string, the docs as a number (§4.7). A double
// is refused: it cannot carry a 19-digit id exactly.
std::optional<std::string> IssClaim(const json::object& o) {
  if (auto s = StringClaim(o, "iss")) return s;
  const json::value* v = o.if_contains("iss");
  if (v && v->is_int64() && v->as_int64() > 0) return std::to_string(v->as_int64());
  if (v && v->is_uint64()) return std::to_string(v->as_uint64());
  return std::nullopt;
}

bool AudienceMatches(const json::object& payload, const std::vector<std::string>& hosts) {
  const json::value* aud = payload.if_contains("aud");
  if (!aud) return false;
  auto ok = [&](const json::value& v) {
    return v.is_string() &&
           std::find(hosts.begin(), hosts.end(), std::string_view(v.as_string())) != hosts.end();
  };
  if (aud->is_array()) return std::any_of(aud->as_array().begin(), aud->as_array().end(), ok);
  return ok(*aud);
}

Status CheckAlgorithm(const json::object& header) {
  auto alg = StringClaim(header, "alg");
  if (!alg) return Invalid("JWT header has no alg");
  if (*alg != "RS256") return Invalid("JWT alg must be RS256, got " + alg->substr(0, 16));
  return {};
}

Result<std::shared_ptr<const credentials::AppPublicKey>> CheckSignature(GrantFacts& facts,
                                                                        const Parts& p,
                                                                        std::string& kid_out) {
  auto kid = StringClaim(p.header, "kid");
  if (!kid || kid->empty()) return Invalid("JWT header has no kid");
  auto key = facts.PublicKey(*kid);
  if (!key) {
    if (key.error().code == Errc::kNotFound) return Invalid("JWT kid is not a known public key");
    return key.error();
  }
  if (!VerifyRs256((*key)->public_key_pem, p.signing_input, p.signature)) {
    return Invalid("JWT signature is invalid");
  }
  kid_out = std::move(*kid);
  return key;
}

Status CheckTimes(const json::object& payload, int64_t now, int64_t max_lifetime_seconds,
                  JwtClaims& c) {
  auto exp = NumericDateClaim(payload, "exp");
  if (!exp) return exp.error();
  if (!*exp) return Invalid("JWT has no exp");
  auto iat = NumericDateClaim(payload, "iat");
  if (!iat) return iat.error();
  if (!*iat) return Invalid("JWT has no iat");
  c.exp = **exp;
  c.iat = **iat;
  if (c.exp <= SaturatingSub(now, kJwtSkewSeconds)) return Invalid("JWT has expired");
  if (c.iat > SaturatingAdd(now, kJwtSkewSeconds)) return Invalid("JWT iat is in the future");
  // Both are in [0, kMaxNumericDate]: the difference cannot overflow. The cap bounds how long
  // a stolen assertion stays usable and how long its jti must be remembered.
  if (c.exp <= c.iat) return OAuthError(kInvalidRequest, "JWT exp must be later than iat");
  if (c.exp - c.iat > max_lifetime_seconds) {
    return OAuthError(kInvalidRequest, "JWT lifetime exp - iat must be at most " +
                                           std::to_string(max_lifetime_seconds) + " s");
  }
  return {};
}

}  // namespace

std::vector<std::string> AudiencesForHost(std::string_view host) {
  std::vector<std::string> out;
  if (host.empty()) return out;
  out.emplace_back(host);
  const size_t colon = host.rfind(':');
  const bool bracketed_v6 = !host.empty() && host.back() == ']';
  if (colon != std::string_view::npos && !bracketed_v6 && colon > 0) {
    out.emplace_back(host.substr(0, colon));
  }
  return out;
}

Result<JwtClaims> VerifyJwtAssertion(GrantFacts& facts, std::string_view jwt,
                                     const std::vector<std::string>& expected_aud_hosts,
                                     int64_t now, int64_t max_lifetime_seconds) {
  auto parts = Split(jwt);
  if (!parts) return parts.error();
  if (auto s = CheckAlgorithm(parts->header); !s) return s.error();
  JwtClaims c;
  auto key = CheckSignature(facts, *parts, c.kid);
  if (!key) return key.error();
  const json::object& payload = parts->payload;
  auto iss = IssClaim(payload);
  if (!iss) return Invalid("JWT has no iss");
  if (*iss != (*key)->app_id)
    return Invalid("JWT kid does not belong to app " + iss->substr(0, 32));
  c.app_id = std::move(*iss);
  if (!AudienceMatches(payload, expected_aud_hosts)) {
    return Invalid("JWT aud must be this server's API host" +
                   (expected_aud_hosts.empty() ? std::string() : " " + expected_aud_hosts.front()));
  }
  if (auto s = CheckTimes(payload, now, max_lifetime_seconds, c); !s) return s.error();
  auto jti = StringClaim(payload, "jti");
  if (!jti || jti->empty()) return Invalid("JWT has no jti");
  if (jti->size() > 256) return Invalid("JWT jti is too long");
  c.jti = std::move(*jti);
  c.session_name = StringClaim(payload, "session_name").value_or("");
  return c;
}

Result<JwtClaims> VerifyJwtAssertion(store::Store& store, std::string_view jwt,
                                     const std::vector<std::string>& expected_aud_hosts,
                                     int64_t now, int64_t max_lifetime_seconds) {
  StoreGrantFacts facts(store);
  return VerifyJwtAssertion(facts, jwt, expected_aud_hosts, now, max_lifetime_seconds);
}

store::JwtIdUse JwtIdUseOf(const JwtClaims& claims, int64_t now) {
  // Kept until exp (plus the skew during which it would still be accepted).
  return {claims.app_id, claims.jti, SaturatingAdd(claims.exp, kJwtSkewSeconds), now};
}

Error JtiAlreadyUsed() { return Invalid("JWT jti has already been used"); }

Result<JwtClaims> VerifyJwtBearer(store::Store& store, std::string_view jwt,
                                  const std::vector<std::string>& expected_aud_hosts, int64_t now,
                                  int64_t max_lifetime_seconds) {
  auto c = VerifyJwtAssertion(store, jwt, expected_aud_hosts, now, max_lifetime_seconds);
  if (!c) return c.error();
  const store::JwtIdUse use = JwtIdUseOf(*c, now);
  if (auto s = store.UseJwtId(use.app_id, use.jti, use.expires_at, use.now); !s) {
    if (s.error().code == Errc::kAlreadyExists) return JtiAlreadyUsed();
    return s.error();
  }
  return c;
}

}  // namespace cozeauth::oauth
