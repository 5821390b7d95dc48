#pragma once
// TokenVerifier: bearer → Principal, the verification step of the hot path (Envoy jwt_authn's
// verifier). The bearer's SHA-256 digest keys a TokenCache (token_cache.hpp). On a miss the
// credential store is asked by credentials::HashToken, the row is confirmed in constant time and
// the Principal is built once per generation together with the facts that belong to the token:
// whether its OAuth app is active and the authorization it was issued through enabled (a
// disabled app's or authorization's tokens verify as kAppDisabled, until enabled again) and the
// personal accounts that cross-account grants open to it. The expiry is checked on every call
// against the caller's `now`, since it depends on the time of the request.
//
// Guarantees: Verify never throws on bad input. A bearer of no known kind, or longer than
// kMaxBearerBytes, is kUnknown without a digest or a store read. Only a definite "no such row" is
// remembered as unknown (for TokenCacheOptions::unknown_ttl_millis); a store fault is asked again
// on the next call (nothing is cached for it). No entry loaded before Invalidate() is served
// after it, tokens, app status and authorization status alike. The principal returned is shared
// and immutable, and interned: every token of the same shape — state, kind, user, context,
// grant, session, cross-account grants — shares one Principal (PrincipalInterner), so a cached
// token costs its id, its expiry and a pointer, and a hit copies no Principal and allocates
// nothing; only an expired token's principal is a copy, re-stated kExpired.
//
// Thread-safe. The stores must be safe for concurrent use; no lock is held across store I/O.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "api/auth/generation_cache.hpp"
#include "api/auth/token_cache.hpp"
#include "base/clock.hpp"
#include "policy/decision.hpp"
#include "store/credential_store.hpp"
#include "store/migration_store.hpp"
#include "store/oauth_store.hpp"

namespace cozeauth::api {

// A fresh principal that only carries `state` (missing, unknown …).
std::shared_ptr<const policy::Principal> PrincipalInState(policy::CredentialState state);

// What verification answers: the credential's principal and the token's own id (empty when no
// token was identified: missing, unknown). Dereferences to the principal.
struct Verified {
  std::shared_ptr<const policy::Principal> principal;  // never null
  TokenId token_id;
  // This use of the token is one to record in its last_used_at (CachedToken::NoteUse): at most
  // one per token per kLastUsedIntervalSeconds.
  bool record_use = false;

  const policy::Principal& operator*() const { return *principal; }
  const policy::Principal* operator->() const { return principal.get(); }
};

// Principals by shape (see TokenVerifier): Intern returns the one already held for an equal
// principal, else holds this one. Held weakly: a shape goes when the last cache entry using it
// does; dead shapes are swept when the table has doubled since the last sweep. Thread-safe (one
// mutex, taken only on a cache miss).
class PrincipalInterner {
 public:
  std::shared_ptr<const policy::Principal> Intern(policy::Principal principal);
  size_t Size() const;

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::weak_ptr<const policy::Principal>> shapes_;
  size_t sweep_at_ = 1024;
};

struct VerifierStats {
  CacheCounts counts;         // token lookups and app-status lookups
  uint64_t unknown_hits = 0;  // of the hits: bearers remembered as unknown to the store
  uint64_t token_loads = 0;   // of the misses: store lookups of a bearer digest
  TokenCacheStats tokens;
};

class TokenVerifier {
 public:
  // Longer bearers are never issued (credentials/token.hpp), so they are unknown unread.
  static constexpr size_t kMaxBearerBytes = 256;

  // Reads tokens (FindTokenByHash), app and authorization status (GetOAuthApp,
  // IsAuthorizationDisabled) and cross-account grants
  // (GrantedAccounts). `clock` times the unknown-token cache. All must outlive the verifier.
  TokenVerifier(store::CredentialStore& tokens, store::OAuthStore& apps,
                store::MigrationStore& grants, const Clock& clock,
                const TokenCacheOptions& options);

  // The principal of `bearer` (the token itself, without the "Bearer " scheme) at Unix time
  // `now_seconds`: kActive, kExpired, kRevoked, kAppDisabled or kUnknown.
  Verified Verify(std::string_view bearer, int64_t now_seconds);

  // Drops every cached token, app and authorization status (the auth epoch moved).
  void Invalidate();
  VerifierStats Stats() const;

 private:
  // Decision facts of a handful of OAuth apps, each reached only through a token found in the
  // store: the bound of the fact cache this came from.
  static constexpr size_t kAppCapacity = 65'536;
  // Authorizations are per app and place, or per user consent: more of them, still far fewer
  // than tokens.
  static constexpr size_t kAuthorizationCapacity = 262'144;

  // Reads a digest's token from the store and caches the answer: the token, or "unknown" when
  // the store has no row. nullopt when unknown or when the store could not tell (not cached).
  // `record_use`: whether this use is one to record (CachedToken::NoteUse on the row's
  // last_used_at).
  std::optional<CachedToken> Load(std::string_view bearer, const TokenDigest& digest,
                                  uint64_t generation, int64_t now_seconds, bool& record_use);
  // Personal accounts opened to this token by cross-account grants.
  std::vector<std::string> GrantedAccounts(const credentials::Token& t);
  // Whether an OAuth app is active (cached per generation: a status change bumps the epoch).
  bool AppActive(const std::string& app_id);
  // Whether the authorization a token was issued through is disabled (cached per generation,
  // like app status); nullopt when the store could not tell, which is not cached.
  std::optional<bool> AuthorizationDisabled(const std::string& authorization_id);

  store::CredentialStore& tokens_store_;
  store::OAuthStore& apps_store_;
  store::MigrationStore& grants_store_;
  TokenCache tokens_;
  PrincipalInterner principals_;
  GenerationCache<std::string, bool> app_active_;
  GenerationCache<std::string, bool> authorization_disabled_;
  std::atomic<uint64_t> generation_{1};
  std::atomic<uint64_t> hits_{0}, misses_{0}, unknown_hits_{0};
};

}  // namespace cozeauth::api
