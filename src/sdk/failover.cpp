// FailoverAuth (failover.hpp): the credential chain, its per-resource memory (an LRU of keys
// served by a credential other than the first), counters, Save/Restore. OboAuth is in
// obo_auth.cpp.

#include <algorithm>
#include <atomic>
#include <cctype>
#include <coze/client.hpp>
#include <coze/failover.hpp>
#include <initializer_list>
#include <list>
#include <mutex>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace coze {
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

const std::vector<int64_t>& DefaultFailoverCodes() {
  // coze-platform.md §1.4: 4100/4101 and the gateway's 700012006 for a token that does not
  // (or no longer) covers the resource; 4200 and the object-specific "not found or no
  // permission" codes, which a migrated workspace's resources answer to the old credential.
  static const std::vector<int64_t> kCodes = {4100, 4101, 700012006, 4200, 4001, 4002, 4005, 4006};
  return kCodes;
}

namespace {

bool IsId(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

// The path segment after `/<collection>/`, when it is an id ("/v1/bots/123/…" → "123").
std::string PathId(std::string_view path, std::string_view collection) {
  const std::string marker = "/" + std::string(collection) + "/";
  const size_t at = path.find(marker);
  if (at == std::string_view::npos) return {};
  std::string_view rest = path.substr(at + marker.size());
  rest = rest.substr(0, rest.find_first_of("/?"));
  return IsId(rest) ? std::string(rest) : std::string();
}

std::string QueryValue(const ApiRequest& request, std::string_view key) {
  for (const auto& [k, v] : request.query) {
    if (k == key && !v.empty()) return v;
  }
  return {};
}

std::string BodyValue(const ApiRequest& request, std::string_view key) {
  if (!request.json || !request.json->is_object()) return {};
  const auto* v = request.json->as_object().if_contains(key);
  if (v == nullptr) return {};
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_int64()) return std::to_string(v->as_int64());
  if (v->is_uint64()) return std::to_string(v->as_uint64());
  return {};
}

std::string FirstOf(const ApiRequest& request, std::string_view collection,
                    std::initializer_list<std::string_view> keys) {
  if (auto id = PathId(request.path, collection); !id.empty()) return id;
  for (auto key : keys) {
    if (auto id = QueryValue(request, key); !id.empty()) return id;
    if (auto id = BodyValue(request, key); !id.empty()) return id;
  }
  return {};
}

}  // namespace

std::string FailoverResourceKey(const ApiRequest& request) {
  // A workflow call may name a bot or a conversation too; the workflow is what it reaches.
  if (auto id = FirstOf(request, "workflows", {"workflow_id"}); !id.empty()) {
    return "workflow:" + id;
  }
  if (auto id = FirstOf(request, "bots", {"bot_id"}); !id.empty()) return "bot:" + id;
  if (auto id = FirstOf(request, "conversations", {"conversation_id"}); !id.empty()) {
    return "conversation:" + id;
  }
  if (auto id = FirstOf(request, "workspaces", {"workspace_id", "space_id"}); !id.empty()) {
    return "workspace:" + id;
  }
  return "*";
}

// --- FailoverAuth

struct FailoverAuth::State {
  struct Counters {
    std::atomic<uint64_t> attempts{0}, successes{0}, fallbacks{0}, failures{0}, renewals{0};
  };
  struct Entry {
    std::string key;
    size_t credential;
    Clock::time_point checked_at;  // learned, or last re-checked from the first credential
  };

  std::vector<FailoverCredential> chain;
  FailoverOptions options;
  std::unordered_set<int64_t> switch_codes;
  std::unique_ptr<Counters[]> counters;

  mutable std::mutex mu;
  std::list<Entry> lru;  // most recently used first
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index;  // views into lru

  Clock::time_point Now() const { return options.now ? options.now() : Clock::now(); }

  // Under mu: the entry is now the most recently used.
  void Touch(std::list<Entry>::iterator it) { lru.splice(lru.begin(), lru, it); }

  void EraseLocked(std::list<Entry>::iterator it) {
    index.erase(it->key);
    lru.erase(it);
  }

  // Under mu.
  void LearnLocked(const std::string& key, size_t credential, Clock::time_point now) {
    auto found = index.find(key);
    if (credential == 0) {  // the default: nothing to remember
      if (found != index.end()) EraseLocked(found->second);
      return;
    }
    if (options.max_resources == 0) return;
    if (found != index.end()) {
      Entry& e = *found->second;
      if (e.credential != credential) e.checked_at = now;
      e.credential = credential;
      Touch(found->second);
      return;
    }
    lru.push_front(Entry{key, credential, now});
    index.emplace(lru.front().key, lru.begin());
    while (lru.size() > options.max_resources) EraseLocked(std::prev(lru.end()));
  }

  void Learn(const std::string& key, size_t credential) {
    const auto now = Now();
    std::lock_guard lock(mu);
    LearnLocked(key, credential, now);
  }

  // The order in which a call for `key` tries the credentials.
  std::vector<size_t> Order(const std::string& key) {
    size_t first = 0;
    if (chain.size() > 1) {
      const auto now = Now();
      std::lock_guard lock(mu);
      if (auto found = index.find(key); found != index.end()) {
        Entry& e = *found->second;
        Touch(found->second);
        first = e.credential;
        if (options.recheck_after.count() > 0 && now - e.checked_at >= options.recheck_after) {
          e.checked_at = now;  // one call per interval re-checks; the others go straight
          first = 0;
        }
      }
    }
    std::vector<size_t> order;
    order.reserve(chain.size());
    order.push_back(first);
    for (size_t i = 0; i < chain.size(); ++i) {
      if (i != first) order.push_back(i);
    }
    return order;
  }

  void Record(size_t credential, const std::string& key, AttemptOutcome outcome, int64_t code) {
    Counters& c = counters[credential];
    c.attempts.fetch_add(1, std::memory_order_relaxed);
    switch (outcome) {
      case AttemptOutcome::kSuccess:
        c.successes.fetch_add(1, std::memory_order_relaxed);
        break;
      case AttemptOutcome::kFallback:
        c.fallbacks.fetch_add(1, std::memory_order_relaxed);
        break;
      case AttemptOutcome::kFailure:
        c.failures.fetch_add(1, std::memory_order_relaxed);
        break;
      case AttemptOutcome::kRenewed:
        c.renewals.fetch_add(1, std::memory_order_relaxed);
        break;
    }
    if (options.on_attempt) {
      options.on_attempt(FailoverEvent{credential, chain[credential].name, key, outcome, code});
    }
  }
};

class FailoverAuth::Attempts final : public AuthAttempts {
 public:
  Attempts(State& state, std::string key)
      : state_(state), key_(std::move(key)), order_(state.Order(key_)) {}

  Result<std::string> Token() override {
    auto token = state_.chain[Current()].auth->Token();
    if (!token) {
      const int64_t code = token.is_auth_error() ? 0 : token.error().code;
      state_.Record(Current(), key_, AttemptOutcome::kFailure, code);
    }
    return token;
  }

  void OnSuccess() override {
    state_.Record(Current(), key_, AttemptOutcome::kSuccess, 0);
    state_.Learn(key_, Current());
  }

  bool OnFailure(Error* error) override {
    const bool switches = error != nullptr && state_.switch_codes.contains(error->code);
    const int64_t code = error != nullptr ? error->code : 0;
    if (switches && next_ + 1 < order_.size()) {
      state_.Record(Current(), key_, AttemptOutcome::kFallback, code);
      ++next_;
      return true;
    }
    state_.Record(Current(), key_, AttemptOutcome::kFailure, code);
    return false;  // the last rejection, or another failure, is the call's result
  }

  bool Renew(const std::string& rejected) override {
    if (!state_.chain[Current()].auth->Renew(rejected)) return false;
    state_.Record(Current(), key_, AttemptOutcome::kRenewed, kTokenInvalidCode);
    return true;
  }

 private:
  size_t Current() const { return order_[next_]; }

  State& state_;
  const std::string key_;
  const std::vector<size_t> order_;
  size_t next_ = 0;
};

FailoverAuth::FailoverAuth(std::vector<FailoverCredential> chain, FailoverOptions options)
    : state_(std::make_unique<State>()) {
  if (chain.empty()) throw std::invalid_argument("FailoverAuth: the chain is empty");
  std::unordered_set<std::string> names;
  for (const auto& c : chain) {
    if (!c.auth) throw std::invalid_argument("FailoverAuth: credential '" + c.name + "' is null");
    if (!names.insert(c.name).second) {
      throw std::invalid_argument("FailoverAuth: duplicate credential name '" + c.name + "'");
    }
  }
  state_->switch_codes.insert(options.switch_codes.begin(), options.switch_codes.end());
  state_->counters = std::make_unique<State::Counters[]>(chain.size());
  state_->chain = std::move(chain);
  state_->options = std::move(options);
}

FailoverAuth::~FailoverAuth() = default;

Result<std::string> FailoverAuth::Token() { return state_->chain.front().auth->Token(); }

std::unique_ptr<AuthAttempts> FailoverAuth::Begin(const ApiRequest& request) {
  return std::make_unique<Attempts>(*state_, FailoverResourceKey(request));
}

std::optional<size_t> FailoverAuth::Learned(std::string_view resource) const {
  std::lock_guard lock(state_->mu);
  auto found = state_->index.find(resource);
  if (found == state_->index.end()) return std::nullopt;
  return found->second->credential;
}

size_t FailoverAuth::learned_count() const {
  std::lock_guard lock(state_->mu);
  return state_->lru.size();
}

void FailoverAuth::Forget() {
  std::lock_guard lock(state_->mu);
  state_->index.clear();
  state_->lru.clear();
}

std::vector<FailoverStats> FailoverAuth::Stats() const {
  std::vector<FailoverStats> out;
  out.reserve(state_->chain.size());
  for (size_t i = 0; i < state_->chain.size(); ++i) {
    const State::Counters& c = state_->counters[i];
    out.push_back(FailoverStats{state_->chain[i].name, c.attempts.load(), c.successes.load(),
                                c.fallbacks.load(), c.failures.load(), c.renewals.load()});
  }
  return out;
}

std::string FailoverAuth::Save() const {
  json::array resources;
  {
    std::lock_guard lock(state_->mu);
    resources.reserve(state_->lru.size());
    for (auto it = state_->lru.rbegin(); it != state_->lru.rend(); ++it) {
      resources.push_back(
          json::object{{"key", it->key}, {"credential", state_->chain[it->credential].name}});
    }
  }
  return json::serialize(json::object{{"version", 1}, {"resources", std::move(resources)}});
}

Status FailoverAuth::Restore(std::string_view saved) {
  auto invalid = [](const std::string& why) {
    return Error{kClientErrorCode, "FailoverAuth::Restore: " + why, {}, 0};
  };
  boost::system::error_code ec;
  json::value parsed = json::parse(saved, ec);
  if (ec || !parsed.is_object()) return invalid("not a JSON object");
  const auto& root = parsed.as_object();
  const auto* version = root.if_contains("version");
  if (version == nullptr || !version->is_int64() || version->as_int64() != 1) {
    return invalid("unknown version");
  }
  const auto* resources = root.if_contains("resources");
  if (resources == nullptr || !resources->is_array()) return invalid("no `resources` array");

  std::unordered_map<std::string_view, size_t> by_name;
  for (size_t i = 0; i < state_->chain.size(); ++i) by_name.emplace(state_->chain[i].name, i);
  std::vector<std::pair<std::string, size_t>> entries;
  for (const auto& item : resources->as_array()) {
    const auto* o = item.if_object();
    const auto* key = o ? o->if_contains("key") : nullptr;
    const auto* name = o ? o->if_contains("credential") : nullptr;
    if (key == nullptr || !key->is_string() || name == nullptr || !name->is_string()) {
      return invalid("an entry without a string `key` and `credential`");
    }
    auto credential = by_name.find(std::string_view(name->as_string()));
    if (credential == by_name.end()) continue;  // a credential this chain no longer has
    entries.emplace_back(std::string(key->as_string()), credential->second);
  }
  const auto now = state_->Now();
  std::lock_guard lock(state_->mu);
  for (const auto& [key, credential] : entries) state_->LearnLocked(key, credential, now);
  return Ok{};
}

const std::vector<FailoverCredential>& FailoverAuth::chain() const { return state_->chain; }

}  // namespace coze
