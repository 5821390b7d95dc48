#pragma once
// GrantFacts: what a JWT-bearer grant reads before its one write (oauth/jwt_grant.hpp) — the
// public key an assertion's kid names, the app, the app's authorizations, and the account or
// enterprise an authorization acts in. StoreGrantFacts reads the store on every call. The server
// passes a cache instead (api/auth/grant_fact_cache.hpp): the answers are the same, but a grant
// whose facts are warm costs no store read.
//
// Answers are shared and immutable. An error is the store's (kNotFound for an unknown id).
// Thread-safe when the store is.

#include <memory>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "store/store.hpp"

namespace cozeauth::oauth {

template <typename T>
using Fact = Result<std::shared_ptr<const T>>;

class GrantFacts {
 public:
  virtual ~GrantFacts() = default;
  virtual Fact<credentials::AppPublicKey> PublicKey(const std::string& fingerprint) = 0;
  virtual Fact<credentials::OAuthApp> App(const std::string& app_id) = 0;
  // Every authorization of the app, revoked and disabled ones included (ListAppAuthorizations).
  virtual Fact<std::vector<credentials::AppAuthorization>> Authorizations(
      const std::string& app_id) = 0;
  virtual Fact<domain::Account> Account(const std::string& account_id) = 0;
  virtual Fact<domain::Enterprise> Enterprise(const std::string& enterprise_id) = 0;
};

class StoreGrantFacts final : public GrantFacts {
 public:
  explicit StoreGrantFacts(store::Store& store) : store_(store) {}

  Fact<credentials::AppPublicKey> PublicKey(const std::string& fingerprint) override {
    return Shared(store_.GetAppPublicKey(fingerprint));
  }
  Fact<credentials::OAuthApp> App(const std::string& app_id) override {
    return Shared(store_.GetOAuthApp(app_id));
  }
  Fact<std::vector<credentials::AppAuthorization>> Authorizations(
      const std::string& app_id) override {
    return Shared(store_.ListAppAuthorizations(app_id));
  }
  Fact<domain::Account> Account(const std::string& account_id) override {
    return Shared(store_.GetAccount(account_id));
  }
  Fact<domain::Enterprise> Enterprise(const std::string& enterprise_id) override {
    return Shared(store_.GetEnterprise(enterprise_id));
  }

 private:
  template <typename T>
  static Fact<T> Shared(Result<T> read) {
    if (!read) return read.error();
    return std::make_shared<const T>(std::move(read.value()));
  }

  store::Store& store_;
};

}  // namespace cozeauth::oauth
