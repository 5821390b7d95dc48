#pragma once
// FactCache: the tenancy facts that decisions need, read through from the tenancy store and
// cached per generation — a workspace's ownership (owner account, its enterprise, the grant-mode
// legacy account), an account's enterprise, users' live workspace and organization roles, and
// users' names.
// Answers are cached as read, absent rows and store faults included (as "none"), until
// Invalidate(), which the Authenticator calls whenever the auth epoch moves — every write that
// changes one of these facts bumps it (store/tenancy_store.hpp) — so no fact loaded before a
// tenancy write is served after the invalidation. Bounded (kCapacity entries, CLOCK eviction).
//
// Thread-safe. The store must be safe for concurrent use; no lock is held across store I/O.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "api/auth/generation_cache.hpp"
#include "base/result.hpp"
#include "domain/model.hpp"
#include "store/tenancy_store.hpp"

namespace cozeauth::api {

// A workspace's ownership facts.
struct WorkspaceFacts {
  bool exists = false;
  std::string owner_account_id;
  std::string owner_enterprise_id;
  std::string legacy_account_id;  // grant-mode migration source (domain::Workspace)
};

class FactCache {
 public:
  // Decision facts: few distinct keys (workspaces, accounts, roles), each reached only through
  // an authenticated request.
  static constexpr size_t kCapacity = 65'536;

  // Reads GetWorkspace, GetAccount, GetWorkspaceRole, GetOrgRole, GetUser. The store must
  // outlive the cache.
  FactCache(store::TenancyStore& tenancy, size_t shards);

  // `exists` false for an unknown workspace.
  WorkspaceFacts Workspace(const std::string& workspace_id);
  std::optional<domain::WorkspaceRole> WorkspaceRole(const std::string& workspace_id,
                                                     const std::string& user_id);
  std::optional<domain::OrgRole> OrgRole(const std::string& org_account_id,
                                         const std::string& user_id);
  // Enterprise of an account ("" for personal accounts and unknown ids).
  std::string EnterpriseOfAccount(const std::string& account_id);
  // A user's name (GET /v1/users/me), or the store's error: kNotFound for an unknown id. Only
  // found users are cached, so neither an absent row nor a fault outlives the call.
  Result<std::string> UserName(const std::string& user_id);

  void Invalidate() { cache_.Invalidate(); }
  CacheCounts Counts() const { return cache_.Counts(); }

 private:
  // One cache for every kind of fact: the key's prefix names the kind, the value's type follows.
  template <typename T, typename Load>
  std::shared_ptr<const T> Cached(const std::string& key, Load&& load);
  // A role read with `read` (Result<optional<Role>>), cached as its enum value.
  template <typename Role, typename Read>
  std::optional<Role> CachedRole(const std::string& key, Read&& read);

  store::TenancyStore& tenancy_;
  GenerationCache<std::string, std::shared_ptr<const void>> cache_;
};

}  // namespace cozeauth::api
