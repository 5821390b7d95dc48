#include "api/authenticator.hpp"

#include <functional>

#include "base/crypto.hpp"
#include "base/strings.hpp"

namespace cozeauth::api {
namespace {

// A token as the hot path needs it: found by digest, with the principal built once per cache
// generation. Its state is final except for expiry, which depends on the time of the request.
struct CachedToken {
  bool found = false;
  std::string token_hash;
  int64_t expires_at = -1;
  std::shared_ptr<const policy::Principal> principal;
};

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

Authenticator::Authenticator(store::Store& store, const Clock& clock)
    : store_(store), clock_(clock) {
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

AuthStats Authenticator::Stats() const { return {hits_.load(), misses_.load()}; }

template <typename T, typename Load>
std::shared_ptr<const T> Authenticator::Cached(const std::string& key, Load&& load) {
  Shard& shard = shards_[std::hash<std::string>{}(key) % kShards];
  const uint64_t gen = generation_.load();
  {
    std::lock_guard lock(shard.mu);
    auto it = shard.map.find(key);
    if (it != shard.map.end() && it->second.generation == gen) {
      hits_.fetch_add(1, std::memory_order_relaxed);
      return std::static_pointer_cast<const T>(it->second.value);
    }
  }
  misses_.fetch_add(1, std::memory_order_relaxed);
  auto value = std::make_shared<const T>(load());  // store I/O outside the lock
  std::lock_guard lock(shard.mu);
  if (shard.map.size() >= kMaxEntriesPerShard) shard.map.clear();  // bound memory
  // An entry loaded before an invalidation carries the old generation and is never served.
  shard.map[key] = Entry{gen, value};
  return value;
}

std::shared_ptr<const policy::Principal> Authenticator::Authenticate(std::string_view header) {
  static const auto kMissing = InState(policy::CredentialState::kMissing);
  static const auto kUnknown = InState(policy::CredentialState::kUnknown);
  std::string_view bearer = BearerToken(header);
  if (bearer.empty()) return kMissing;
  if (!credentials::KindOfBearer(bearer) || bearer.size() > 256) return kUnknown;
  const std::string hash = credentials::HashToken(bearer);
  auto cached = Cached<CachedToken>("t:" + hash, [&] {
    CachedToken c;
    auto t = store_.FindTokenByHash(hash);
    if (!t) return c;
    c.found = true;
    c.token_hash = t->token_hash;
    c.expires_at = t->expires_at;
    auto p = std::make_shared<policy::Principal>();
    p->kind = t->kind;
    p->token_id = t->id;
    p->user_id = t->user_id;
    p->context = t->context;
    p->grant = t->grant;
    p->session_name = t->session_name;
    if (t->Revoked()) {
      p->state = policy::CredentialState::kRevoked;
    } else if (!t->app_id.empty() && !AppActive(t->app_id)) {
      // A disabled app suspends its tokens until enabled again (coze-platform.md §5.4).
      p->state = policy::CredentialState::kAppDisabled;
    } else {
      p->state = policy::CredentialState::kActive;
      p->granted_accounts = GrantedAccounts(*t);
    }
    c.principal = std::move(p);
    return c;
  });
  // Defence in depth: the row was found by digest; confirm it in constant time.
  if (!cached->found || !ConstantTimeEquals(cached->token_hash, hash)) return kUnknown;
  const policy::Principal& p = *cached->principal;
  if (p.state != policy::CredentialState::kActive) return cached->principal;
  if (cached->expires_at >= 0 && clock_.NowSeconds() >= cached->expires_at) {
    auto expired = std::make_shared<policy::Principal>(p);  // rare: copy only to re-state
    expired->state = policy::CredentialState::kExpired;
    return expired;
  }
  RecordUse(p.token_id);
  return cached->principal;
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
