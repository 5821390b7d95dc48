#include "api/auth/token_verifier.hpp"

#include <algorithm>
#include <utility>

#include "base/blocking.hpp"
#include "base/crypto.hpp"
#include "credentials/token.hpp"

namespace cozeauth::api {

std::shared_ptr<const policy::Principal> PrincipalInState(policy::CredentialState state) {
  auto p = std::make_shared<policy::Principal>();
  p->state = state;
  return p;
}

namespace {

// The interning key: every field of the principal, each length-prefixed, so that two principals
// have equal keys exactly when they are equal.
void Put(std::string& key, std::string_view s) {
  key += std::to_string(s.size());
  key += ':';
  key += s;
}
void Put(std::string& key, const std::vector<std::string>& list) {
  key += std::to_string(list.size());
  key += '[';
  for (const auto& s : list) Put(key, s);
}

// Interning principals that differ would hand one token another's rights: a field added to
// Principal, Grant or Context must join ShapeOf. These sizes (x86-64, libstdc++) catch it.
static_assert(sizeof(policy::Principal) == 296 && sizeof(credentials::Grant) == 128 &&
                  sizeof(credentials::Context) == 72,
              "a field was added to Principal, Grant or Context: add it to ShapeOf");

std::string ShapeOf(const policy::Principal& p) {
  std::string key;
  key.reserve(256);
  key += std::to_string(static_cast<int>(p.state));
  key += ',';
  key += std::to_string(static_cast<int>(p.kind));
  key += ',';
  Put(key, p.user_id);
  key += std::to_string(static_cast<int>(p.context.kind));
  Put(key, p.context.account_id);
  Put(key, p.context.enterprise_id);
  Put(key, p.grant.account_permissions);
  Put(key, p.grant.workspace_permissions);
  Put(key, p.grant.enterprise_permissions);
  key += p.grant.all_workspaces ? 'A' : 'L';
  Put(key, p.grant.workspace_ids);
  Put(key, p.grant.bot_ids);
  Put(key, p.session_name);
  Put(key, p.granted_accounts);
  return key;
}

}  // namespace

std::shared_ptr<const policy::Principal> PrincipalInterner::Intern(policy::Principal principal) {
  std::string key = ShapeOf(principal);
  std::lock_guard lock(mu_);
  auto [it, inserted] = shapes_.try_emplace(std::move(key));
  if (!inserted) {
    if (auto held = it->second.lock()) return held;
  }
  auto shared = std::make_shared<const policy::Principal>(std::move(principal));
  it->second = shared;
  if (shapes_.size() >= sweep_at_) {
    std::erase_if(shapes_, [](const auto& entry) { return entry.second.expired(); });
    sweep_at_ = std::max<size_t>(1024, 2 * shapes_.size());
  }
  return shared;
}

size_t PrincipalInterner::Size() const {
  std::lock_guard lock(mu_);
  return shapes_.size();
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

Verified TokenVerifier::Verify(std::string_view bearer, int64_t now_seconds) {
  static const Verified kUnknown{PrincipalInState(policy::CredentialState::kUnknown), {}};
  if (bearer.size() > kMaxBearerBytes || !credentials::KindOfBearer(bearer)) return kUnknown;
  // The cache key is the binary digest (32 bytes, no allocation); the store is asked by
  // credentials::HashToken only on a miss.
  const TokenDigest digest = Sha256(bearer);
  const uint64_t generation = generation_.load();
  TokenCache::Lookup found = tokens_.Find(digest, generation, now_seconds);
  if (found.unknown) {
    hits_.fetch_add(1, std::memory_order_relaxed);
    unknown_hits_.fetch_add(1, std::memory_order_relaxed);
    return kUnknown;
  }
  std::optional<CachedToken> cached = std::move(found.known);
  bool record_use = found.record_use;
  if (cached) {
    hits_.fetch_add(1, std::memory_order_relaxed);
  } else {
    cached = Load(bearer, digest, generation, now_seconds, record_use);
    if (!cached) return kUnknown;
  }
  const policy::Principal& p = *cached->principal;
  if (p.state == policy::CredentialState::kActive && cached->expires_at >= 0 &&
      now_seconds >= cached->expires_at) {
    auto expired = std::make_shared<policy::Principal>(p);  // rare: copy only to re-state
    expired->state = policy::CredentialState::kExpired;
    return {std::move(expired), cached->id, false};
  }
  return {std::move(cached->principal), cached->id, record_use};
}

std::optional<CachedToken> TokenVerifier::Load(std::string_view bearer, const TokenDigest& digest,
                                               uint64_t generation, int64_t now_seconds,
                                               bool& record_use) {
  MayBlockOrThrow();  // counted once, by the rerun on a worker (base/blocking.hpp)
  misses_.fetch_add(1, std::memory_order_relaxed);
  const std::string hash = credentials::HashToken(bearer);
  auto t = tokens_store_.FindTokenByHash(hash);
  if (!t) {
    // Only a definite "no such row" is remembered; a store fault is asked again next time.
    if (t.error().code == Errc::kNotFound) tokens_.PutUnknown(digest, generation);
    return std::nullopt;
  }
  // Defence in depth: the row was found by digest; confirm it in constant time, once — the
  // cache is keyed by the digest itself.
  if (!ConstantTimeEquals(t->token_hash, hash)) return std::nullopt;
  CachedToken c;
  c.expires_at = t->expires_at;
  c.last_used_at = t->last_used_at;
  record_use = c.NoteUse(now_seconds);
  if (!c.id.Assign(t->id)) return std::nullopt;  // not an id this server issued
  policy::Principal p;
  p.kind = t->kind;
  p.user_id = t->user_id;
  p.context = t->context;
  p.grant = t->grant;
  p.session_name = t->session_name;
  std::optional<bool> suspended = false;
  if (!t->Revoked() && !t->authorization_id.empty()) {
    suspended = AuthorizationDisabled(t->authorization_id);
    if (!suspended) return std::nullopt;  // the store could not tell: asked again next time
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
  c.principal = principals_.Intern(std::move(p));
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
