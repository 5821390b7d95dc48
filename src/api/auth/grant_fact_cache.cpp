#include "api/auth/grant_fact_cache.hpp"

#include <string_view>
#include <utility>

namespace cozeauth::api {

GrantFactCache::GrantFactCache(store::Store& store, size_t shards)
    : store_(store), cache_(kCapacity, shards) {}

template <typename T, typename Read>
oauth::Fact<T> GrantFactCache::Cached(std::string_view prefix, const std::string& id, Read&& read) {
  // One prefix per kind of fact, so ids of different kinds never share an entry.
  thread_local std::string lookup;
  lookup.assign(prefix).append(id);
  const uint64_t generation = cache_.Generation();
  if (auto hit = cache_.Find(lookup, generation)) {
    return std::static_pointer_cast<const T>(std::move(*hit));
  }
  std::string key = lookup;  // read() may look up a fact of its own on this thread
  oauth::Fact<T> fact = read();
  if (fact) cache_.Put(key, generation, *fact);
  return fact;
}

oauth::Fact<credentials::AppPublicKey> GrantFactCache::PublicKey(const std::string& fingerprint) {
  return Cached<credentials::AppPublicKey>("k:", fingerprint,
                                           [&] { return store_.PublicKey(fingerprint); });
}

oauth::Fact<credentials::OAuthApp> GrantFactCache::App(const std::string& app_id) {
  return Cached<credentials::OAuthApp>("p:", app_id, [&] { return store_.App(app_id); });
}

oauth::Fact<std::vector<credentials::AppAuthorization>> GrantFactCache::Authorizations(
    const std::string& app_id) {
  return Cached<std::vector<credentials::AppAuthorization>>(
      "z:", app_id, [&] { return store_.Authorizations(app_id); });
}

oauth::Fact<domain::Account> GrantFactCache::Account(const std::string& account_id) {
  return Cached<domain::Account>("a:", account_id, [&] { return store_.Account(account_id); });
}

oauth::Fact<domain::Enterprise> GrantFactCache::Enterprise(const std::string& enterprise_id) {
  return Cached<domain::Enterprise>("e:", enterprise_id,
                                    [&] { return store_.Enterprise(enterprise_id); });
}

}  // namespace cozeauth::api
