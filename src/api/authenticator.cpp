#include "api/authenticator.hpp"

#include <functional>

#include "base/crypto.hpp"
#include "base/strings.hpp"

namespace cozeauth::api {
namespace {

std::shared_ptr<const policy::Principal> InState(policy::CredentialState state) {
  auto p = std::make_shared<policy::Principal>();
  p->state = state;
  return p;
}

struct CachedBot {
  std::optional<domain::Bot> bot;  // nullopt: not found (or a store fault) when loaded
};

struct CachedAppStatus {
  bool active = false;  // false also when the app is gone
};

struct CachedRole {
  std::optional<int> role;  // enum value
};

}  // namespace

std::string_view BearerToken(std::string_view header) {
  header = Trim(header);
  if (header.size() < 6 || !EqualsIgnoreCase(header.substr(0, 6), "bearer")) return {};
  auto rest = header.substr(6);
  if (!rest.empty() && rest.front() != ' ') return {};
  return Trim(rest);
}

Authenticator::Authenticator(store::Store& store, const Clock& clock,
                             const TokenCacheOptions& tokens)
    : store_(store), clock_(clock), tokens_(tokens, clock), facts_(kFactsCapacity, tokens.shards) {
  // Own revocations (a reused refresh token revoking its family, an app disabled through the
  // console, a migration) take effect on the very next request, not at the next poll.
  store_.OnAuthEpochBump([this] { Invalidate(); });
}

Authenticator::~Authenticator() {
  store_.OnAuthEpochBump(nullptr);
  Stop();
}

void Authenticator::Start() {
  if (auto e = store_.AuthEpoch()) last_epoch_ = e.value();
  thread_ = std::thread([this] { Loop(); });
}

void Authenticator::Stop() {
  {
    std::lock_guard lock(loop_mu_);
    if (stop_) return;
    stop_ = true;
  }
  loop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  Flush();
}

void Authenticator::Loop() {
  std::unique_lock lock(loop_mu_);
  int ticks = 0;
  while (!loop_cv_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stop_; })) {
    lock.unlock();
    SyncNow();
    (void)ticks;
    lock.lock();
  }
}

void Authenticator::SyncNow() {
  if (auto e = store_.AuthEpoch(); e && e.value() != last_epoch_) {
    last_epoch_ = e.value();
    Invalidate();
  }
  Flush();
}

void Authenticator::Flush() {
  std::unordered_map<std::string, int64_t> batch;
  {
    std::lock_guard lock(used_mu_);
    batch.swap(last_used_);
  }
  if (batch.empty()) return;
  std::vector<std::pair<std::string, int64_t>> rows(batch.begin(), batch.end());
  (void)store_.TouchTokens(rows);  // best effort: last_used_at is advisory
}

void Authenticator::Invalidate() { generation_.fetch_add(1); }

AuthStats Authenticator::Stats() const {
  return {hits_.load(), misses_.load(), unknown_hits_.load(), token_loads_.load(), tokens_.Stats()};
}

template <typename T, typename Load>
std::shared_ptr<const T> Authenticator::Cached(const std::string& key, Load&& load) {
  const uint64_t gen = generation_.load();
  if (auto hit = facts_.Find(key, gen)) {
    hits_.fetch_add(1, std::memory_order_relaxed);
    return std::static_pointer_cast<const T>(*hit);
  }
  misses_.fetch_add(1, std::memory_order_relaxed);
  auto value = std::make_shared<const T>(load());  // store I/O outside the lock
  // An entry loaded before an invalidation carries the old generation and is never served.
  facts_.Put(key, gen, value);
  return value;
}

std::shared_ptr<const CachedToken> Authenticator::LoadToken(std::string_view bearer,
                                                             const TokenDigest& digest,
                                                             uint64_t gen) {
  misses_.fetch_add(1, std::memory_order_relaxed);
  token_loads_.fetch_add(1, std::memory_order_relaxed);
  const std::string hash = credentials::HashToken(bearer);
  auto t = store_.FindTokenByHash(hash);
  if (!t) {
    // Only a definite "no such row" is remembered; a store fault is asked again next time.
    if (t.error().code == Errc::kNotFound) tokens_.PutUnknown(digest, gen);
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
  if (t->Revoked()) {
    p.state = policy::CredentialState::kRevoked;
  } else if (!t->app_id.empty() && !AppActive(t->app_id)) {
    // A disabled app suspends its tokens until enabled again (coze-platform.md §5.4).
    p.state = policy::CredentialState::kAppDisabled;
  } else {
    p.state = policy::CredentialState::kActive;
    p.granted_accounts = GrantedAccounts(*t);
  }
  // Cached with the generation read before the store read, like every entry.
  tokens_.PutKnown(digest, gen, c);
  return c;
}

std::shared_ptr<const policy::Principal> Authenticator::Authenticate(std::string_view header) {
  static const auto kMissing = InState(policy::CredentialState::kMissing);
  static const auto kUnknown = InState(policy::CredentialState::kUnknown);
  std::string_view bearer = BearerToken(header);
  if (bearer.empty()) return kMissing;
  if (!credentials::KindOfBearer(bearer) || bearer.size() > 256) return kUnknown;
  // The cache key is the binary digest (32 bytes, no allocation); the store is asked by
  // credentials::HashToken only on a miss.
  const TokenDigest digest = Sha256(bearer);
  const uint64_t gen = generation_.load();
  const TokenCache::Lookup found = tokens_.Find(digest, gen);
  std::shared_ptr<const CachedToken> cached = found.known;
  if (found.hit()) {
    hits_.fetch_add(1, std::memory_order_relaxed);
    if (found.unknown) {
      unknown_hits_.fetch_add(1, std::memory_order_relaxed);
      return kUnknown;
    }
  } else {
    cached = LoadToken(bearer, digest, gen);
    if (!cached) return kUnknown;
  }
  const policy::Principal& p = cached->principal;
  // Shares the cached entry's ownership: no copy, one reference count.
  std::shared_ptr<const policy::Principal> principal(cached, &p);
  if (p.state != policy::CredentialState::kActive) return principal;
  if (cached->expires_at >= 0 && clock_.NowSeconds() >= cached->expires_at) {
    auto expired = std::make_shared<policy::Principal>(p);  // rare: copy only to re-state
    expired->state = policy::CredentialState::kExpired;
    return expired;
  }
  RecordUse(p.token_id);
  return principal;
}

std::vector<std::string> Authenticator::GrantedAccounts(const credentials::Token& t) {
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
  auto r = store_.GrantedAccounts(kind, *id);
  return r ? std::move(r).value() : std::vector<std::string>{};
}

bool Authenticator::AppActive(const std::string& app_id) {
  auto c = Cached<CachedAppStatus>("app:" + app_id, [&] {
    CachedAppStatus out;
    if (auto app = store_.GetOAuthApp(app_id)) {
      out.active = app->status == credentials::AppStatus::kActive;
    }
    return out;
  });
  return c->active;
}

void Authenticator::RecordUse(const std::string& token_id) {
  const int64_t now = clock_.NowSeconds();
  std::lock_guard lock(used_mu_);
  last_used_[token_id] = now;
}

WorkspaceFacts Authenticator::Workspace(const std::string& workspace_id) {
  auto facts = Cached<WorkspaceFacts>("w:" + workspace_id, [&] {
    WorkspaceFacts f;
    if (auto w = store_.GetWorkspace(workspace_id)) {
      f.exists = true;
      f.owner_account_id = w->owner_account_id;
      f.owner_enterprise_id = EnterpriseOfAccount(w->owner_account_id);
      f.legacy_account_id = w->legacy_account_id;
    }
    return f;
  });
  return *facts;
}

Result<domain::Bot> Authenticator::Bot(const std::string& bot_id) {
  auto cached = Cached<CachedBot>("b:" + bot_id, [&] {
    CachedBot c;
    if (auto b = store_.GetBot(bot_id)) c.bot = std::move(b).value();
    return c;
  });
  if (cached->bot) return *cached->bot;
  return store_.GetBot(bot_id);  // never trust a cached miss
}

std::string Authenticator::EnterpriseOfAccount(const std::string& account_id) {
  auto e = Cached<std::string>("a:" + account_id, [&] {
    if (auto a = store_.GetAccount(account_id)) return a->enterprise_id;
    return std::string();
  });
  return *e;
}

std::optional<domain::WorkspaceRole> Authenticator::WorkspaceRole(const std::string& workspace_id,
                                                                  const std::string& user_id) {
  auto r = Cached<CachedRole>("wr:" + workspace_id + ":" + user_id, [&] {
    CachedRole c;
    if (auto role = store_.GetWorkspaceRole(workspace_id, user_id); role && role.value()) {
      c.role = static_cast<int>(*role.value());
    }
    return c;
  });
  if (!r->role) return std::nullopt;
  return static_cast<domain::WorkspaceRole>(*r->role);
}

std::optional<domain::OrgRole> Authenticator::OrgRole(const std::string& org_account_id,
                                                      const std::string& user_id) {
  auto r = Cached<CachedRole>("or:" + org_account_id + ":" + user_id, [&] {
    CachedRole c;
    if (auto role = store_.GetOrgRole(org_account_id, user_id); role && role.value()) {
      c.role = static_cast<int>(*role.value());
    }
    return c;
  });
  if (!r->role) return std::nullopt;
  return static_cast<domain::OrgRole>(*r->role);
}

}  // namespace cozeauth::api
