#pragma once
// GrantFactCache: the facts a JWT-bearer grant reads (oauth/grant_facts.hpp) — public keys, apps,
// their authorizations, accounts and enterprises — read through from the store and cached per
// generation, beside the FactCache (fact_cache.hpp) and under the same rule: Invalidate(), which
// the Authenticator calls whenever the auth epoch moves. Every write that changes one of these
// rows bumps it (an app's status or name, a key deleted, an authorization created, revoked,
// disabled or enabled: store/oauth_store.hpp); account and enterprise fields a grant reads never
// change. What a write without a bump adds — an app, a key, an account — was never cached as
// absent: only found rows are cached, and an unknown id or a store fault is read again on every
// call. So no answer read before a write that changes it is served after the write commits.
// Without the cache a grant made four store reads before its write (docs/performance.md).
//
// Bounded (kCapacity entries, CLOCK eviction). Thread-safe; no lock is held across store I/O.

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "api/auth/generation_cache.hpp"
#include "oauth/grant_facts.hpp"
#include "store/store.hpp"

namespace cozeauth::api {

class GrantFactCache final : public oauth::GrantFacts {
 public:
  // Apps, their keys and authorizations, and the places they act in: far fewer than tokens.
  static constexpr size_t kCapacity = 65'536;

  // The store must outlive the cache.
  GrantFactCache(store::Store& store, size_t shards);

  oauth::Fact<credentials::AppPublicKey> PublicKey(const std::string& fingerprint) override;
  oauth::Fact<credentials::OAuthApp> App(const std::string& app_id) override;
  oauth::Fact<std::vector<credentials::AppAuthorization>> Authorizations(
      const std::string& app_id) override;
  oauth::Fact<domain::Account> Account(const std::string& account_id) override;
  oauth::Fact<domain::Enterprise> Enterprise(const std::string& enterprise_id) override;

  void Invalidate() { cache_.Invalidate(); }
  CacheCounts Counts() const { return cache_.Counts(); }

 private:
  // The cached fact under `prefix` + `id`, else `read()` (the store's Result<T>), kept if found.
  template <typename T, typename Read>
  oauth::Fact<T> Cached(std::string_view prefix, const std::string& id, Read&& read);

  oauth::StoreGrantFacts store_;
  GenerationCache<std::string, std::shared_ptr<const void>> cache_;
};

}  // namespace cozeauth::api
