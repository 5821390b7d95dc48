#include "api/auth/token_verifier.hpp"

#include <utility>

#include "base/crypto.hpp"
#include "credentials/token.hpp"

namespace cozeauth::api {

std::shared_ptr<const policy::Principal> PrincipalInState(policy::CredentialState state) {
  auto p = std::make_shared<policy::Principal>();
  p->state = state;
  return p;
}

TokenVerifier::TokenVerifier(store::CredentialStore& tokens, store::OAuthStore& apps,
                             store::MigrationStore& grants, const Clock& clock,
                             const TokenCacheOptions& options)
    : tokens_store_(tokens),
      apps_store_(apps),
      grants_store_(grants),
      tokens_(options, clock),
      app_active_(kAppCapacity, options.shards),
      authorization_disabled_(kAuthorizationCapacity, options.shards) {}

void TokenVerifier::Invalidate() {
  generation_.fetch_add(1);
  app_active_.Invalidate();
  authorization_disabled_.Invalidate();
}

VerifierStats TokenVerifier::Stats() const {
  VerifierStats s;
  s.counts = {hits_.load(), misses_.load()};
  s.counts += app_active_.Counts();
  s.counts += authorization_disabled_.Counts();
  s.unknown_hits = unknown_hits_.load();
  s.token_loads = misses_.load();
  s.tokens = tokens_.Stats();
  return s;
}

std::shared_ptr<const policy::Principal> TokenVerifier::Verify(std::string_view bearer,
                                                               int64_t now_seconds) {
  static const auto kUnknown = PrincipalInState(policy::CredentialState::kUnknown);
  if (bearer.size() > kMaxBearerBytes || !credentials::KindOfBearer(bearer)) return kUnknown;
  // The cache key is the binary digest (32 bytes, no allocation); the store is asked by
  // credentials::HashToken only on a miss.
  const TokenDigest digest = Sha256(bearer);
  const uint64_t generation = generation_.load();
  TokenCache::Lookup found = tokens_.Find(digest, generation);
  if (found.unknown) {
    hits_.fetch_add(1, std::memory_order_relaxed);
    unknown_hits_.fetch_add(1, std::memory_order_relaxed);
    return kUnknown;
  }
  std::shared_ptr<const CachedToken> cached = std::move(found.known);
  if (cached) {
    hits_.fetch_add(1, std::memory_order_relaxed);
  } else {
    cached = Load(bearer, digest, generation);
    if (!cached) return kUnknown;
  }
  const policy::Principal& p = cached->principal;
  if (p.state == policy::CredentialState::kActive && cached->expires_at >= 0 &&
      now_seconds >= cached->expires_at) {
    auto expired = std::make_shared<policy::Principal>(p);  // rare: copy only to re-state
    expired->state = policy::CredentialState::kExpired;
    return expired;
  }
  // Shares the cached entry's ownership: no copy, no new reference count.
  return std::shared_ptr<const policy::Principal>(std::move(cached), &p);
}

std::shared_ptr<const CachedToken> TokenVerifier::Load(std::string_view bearer,
                                                       const TokenDigest& digest,
                                                       uint64_t generation) {
  misses_.fetch_add(1, std::memory_order_relaxed);
  const std::string hash = credentials::HashToken(bearer);
  auto t = tokens_store_.FindTokenByHash(hash);
  if (!t) {
    // Only a definite "no such row" is remembered; a store fault is asked again next time.
    if (t.error().code == Errc::kNotFound) tokens_.PutUnknown(digest, generation);
    return nullptr;
  }
  // Defence in depth: the row was found by digest; confirm it in constant time, once — the
  // cache is keyed by the digest itself.
  if (!ConstantTimeEquals(t->token_hash, hash)) return nullptr;
  auto c = std::make_shared<CachedToken>();
  c->expires_at = t->expires_at;
  policy::Principal& p = c->principal;
  p.kind = t->kind;
  p.token_id = t->id;
  p.user_id = t->user_id;
  p.context = t->context;
  p.grant = t->grant;
  p.session_name = t->session_name;
  std::optional<bool> suspended = false;
  if (!t->Revoked() && !t->authorization_id.empty()) {
    suspended = AuthorizationDisabled(t->authorization_id);
    if (!suspended) return nullptr;  // the store could not tell: asked again next time
  }
  if (t->Revoked()) {
    p.state = policy::CredentialState::kRevoked;
  } else if ((!t->app_id.empty() && !AppActive(t->app_id)) || *suspended) {
    // A disabled app, or a disabled authorization of it, suspends its tokens until enabled
    // again (coze-platform.md §5.4).
    p.state = policy::CredentialState::kAppDisabled;
  } else {
    p.state = policy::CredentialState::kActive;
    p.granted_accounts = GrantedAccounts(*t);
  }
  // Cached with the generation read before the store read, like every entry.
  tokens_.PutKnown(digest, generation, c);
  return c;
}

std::vector<std::string> TokenVerifier::GrantedAccounts(const credentials::Token& t) {
  // Only enterprise-side PATs and AppAuth tokens can be opened to a personal account
  // (coze-platform.md §7): every other token skips the lookup.
  if (t.context.kind == credentials::ContextKind::kPersonal) return {};
  domain::GrantedCredential kind;
  const std::string* id = nullptr;
  if (t.kind == credentials::TokenKind::kPat) {
    kind = domain::GrantedCredential::kPat;
    id = &t.id;
  } else if (t.kind == credentials::TokenKind::kAppAccess && !t.app_id.empty()) {
    kind = domain::GrantedCredential::kApp;
    id = &t.app_id;
  } else {
    return {};
  }
  // Loaded with the token's cache entry, so cached per generation like it.
  auto r = grants_store_.GrantedAccounts(kind, *id);
  return r ? std::move(r).value() : std::vector<std::string>{};
}

bool TokenVerifier::AppActive(const std::string& app_id) {
  return app_active_.GetOrLoad(app_id, [&] {
    auto app = apps_store_.GetOAuthApp(app_id);  // a missing app is inactive
    return app && app->status == credentials::AppStatus::kActive;
  });
}

std::optional<bool> TokenVerifier::AuthorizationDisabled(const std::string& authorization_id) {
  const uint64_t generation = authorization_disabled_.Generation();
  if (auto hit = authorization_disabled_.Find(authorization_id, generation)) return hit;
  auto disabled = apps_store_.IsAuthorizationDisabled(authorization_id);
  if (!disabled) return std::nullopt;
  authorization_disabled_.Put(authorization_id, generation, *disabled);
  return *disabled;
}

}  // namespace cozeauth::api
