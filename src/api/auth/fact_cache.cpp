#include "api/auth/fact_cache.hpp"

#include <string>
#include <string_view>
#include <utility>

namespace cozeauth::api {
namespace {

struct RoleFact {
  std::optional<int> role;  // the enum's value; nullopt: no role (or the store could not tell)
};

// The lookup key, built in a per-thread buffer: a warm lookup allocates nothing (ids are longer
// than the short-string buffer). Valid until the next Key() on this thread, so Cached() copies it
// before a load, which may look up facts of its own.
const std::string& Key(std::string_view prefix, std::string_view id) {
  thread_local std::string key;
  key.assign(prefix).append(id);
  return key;
}
const std::string& Key(std::string_view prefix, std::string_view id, std::string_view user_id) {
  thread_local std::string key;
  key.assign(prefix).append(id).append(1, ':').append(user_id);
  return key;
}

}  // namespace

FactCache::FactCache(store::TenancyStore& tenancy, size_t shards)
    : tenancy_(tenancy), cache_(kCapacity, shards) {}

template <typename T, typename Load>
std::shared_ptr<const T> FactCache::Cached(const std::string& lookup_key, Load&& load) {
  const uint64_t generation = cache_.Generation();
  if (auto hit = cache_.Find(lookup_key, generation)) {
    return std::static_pointer_cast<const T>(std::move(*hit));
  }
  const std::string key = lookup_key;  // load() may reuse the buffer lookup_key lives in
  auto value = std::make_shared<const T>(load());
  cache_.Put(key, generation, value);
  return value;
}

WorkspaceFacts FactCache::Workspace(const std::string& workspace_id) {
  auto facts = Cached<WorkspaceFacts>(Key("w:", workspace_id), [&] {
    WorkspaceFacts f;
    if (auto w = tenancy_.GetWorkspace(workspace_id)) {
      f.exists = true;
      f.owner_account_id = w->owner_account_id;
      f.owner_enterprise_id = EnterpriseOfAccount(w->owner_account_id);
      f.legacy_account_id = w->legacy_account_id;
    }
    return f;
  });
  return *facts;
}

std::string FactCache::EnterpriseOfAccount(const std::string& account_id) {
  auto e = Cached<std::string>(Key("a:", account_id), [&] {
    if (auto a = tenancy_.GetAccount(account_id)) return a->enterprise_id;
    return std::string();
  });
  return *e;
}

Result<std::string> FactCache::UserName(const std::string& user_id) {
  const std::string& lookup_key = Key("u:", user_id);
  const uint64_t generation = cache_.Generation();
  if (auto hit = cache_.Find(lookup_key, generation))
    return *std::static_pointer_cast<const std::string>(*hit);
  const std::string key = lookup_key;  // owned, as in Cached(), before anything else runs
  auto user = tenancy_.GetUser(user_id);
  if (!user) return user.error();
  cache_.Put(key, generation, std::make_shared<const std::string>(user->name));
  return std::move(user->name);
}

template <typename Role, typename Read>
std::optional<Role> FactCache::CachedRole(const std::string& key, Read&& read) {
  auto r = Cached<RoleFact>(key, [&] {
    RoleFact c;
    if (auto role = read(); role && role.value()) c.role = static_cast<int>(*role.value());
    return c;
  });
  if (!r->role) return std::nullopt;
  return static_cast<Role>(*r->role);
}

std::optional<domain::WorkspaceRole> FactCache::WorkspaceRole(const std::string& workspace_id,
                                                              const std::string& user_id) {
  return CachedRole<domain::WorkspaceRole>(Key("wr:", workspace_id, user_id), [&] {
    return tenancy_.GetWorkspaceRole(workspace_id, user_id);
  });
}

std::optional<domain::OrgRole> FactCache::OrgRole(const std::string& org_account_id,
                                                  const std::string& user_id) {
  return CachedRole<domain::OrgRole>(Key("or:", org_account_id, user_id),
                                     [&] { return tenancy_.GetOrgRole(org_account_id, user_id); });
}

}  // namespace cozeauth::api
