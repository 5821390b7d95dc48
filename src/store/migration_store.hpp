#pragma once
// MigrationStore: moving a workspace from a personal account to a team (domain/migration.hpp),
// the reads the migration plan makes across aggregates (conversations, live tokens,
// authorizations and OBO consents of the account that loses the workspace), and the
// cross-account grants that let credentials of that account keep reaching it.
//
// Bumps the auth epoch (unit_of_work.hpp): MigrateWorkspace, CreateAccountGrant,
// RevokeAccountGrant.
//
// Thread safety and errors: as UnitOfWork (unit_of_work.hpp); calls join the backend's
// Transaction() on the same thread.

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "credentials/oauth_app.hpp"
#include "credentials/oauth_grant.hpp"
#include "credentials/token.hpp"
#include "domain/migration.hpp"
#include "domain/model.hpp"
#include "store/types.hpp"

namespace cozeauth::store {

class MigrationStore {
 public:
  virtual ~MigrationStore() = default;

  // In one transaction: the workspace's owner account becomes m.to_account_id (type team; its
  // id and everything in it unchanged), legacy_account_id becomes m.from_account_id for grant
  // mode ('' for cut), and `m` is recorded. Bumps the auth epoch. kNotFound for an unknown
  // workspace; kBadRequest (field "workspace"), writing nothing, when its owner is no longer
  // m.from_account_id — of two migrations of one workspace racing, even on two nodes, exactly
  // one wins. Cost independent of how much the workspace holds.
  virtual Status MigrateWorkspace(const domain::Migration& m) = 0;
  virtual Result<domain::Migration> GetMigration(const std::string& id) = 0;
  // Newest first; workspace_id "" = every workspace.
  virtual Result<std::vector<domain::Migration>> ListMigrations(
      const std::string& workspace_id) = 0;

  // --- what the plan reads
  // Conversations owned by `owner_account_id` whose bot is in the workspace, newest first, at
  // most `limit`, with the total count.
  virtual Result<Paged<domain::Conversation>> ListConversationsOfWorkspaceBots(
      const std::string& workspace_id, const std::string& owner_account_id, int limit) = 0;
  // Live tokens acting in the account (context account_id = it), every kind, newest first.
  virtual Result<std::vector<credentials::Token>> ListLiveTokensOfAccount(
      const std::string& account_id, int64_t now) = 0;
  // Live tokens acting in the enterprise or one of its organizations, newest first.
  virtual Result<std::vector<credentials::Token>> ListLiveTokensOfEnterprise(
      const std::string& enterprise_id, int64_t now) = 0;
  // Live authorizations (both kinds) into the account, oldest first.
  virtual Result<std::vector<credentials::AppAuthorization>> ListAuthorizationsOfAccount(
      const std::string& account_id) = 0;
  // Live OBO consents acting in the account, oldest first.
  virtual Result<std::vector<credentials::OboGrant>> ListOboGrantsOfAccount(
      const std::string& account_id) = 0;

  // --- cross-account grants (create and revoke bump the auth epoch)
  virtual Status CreateAccountGrant(const domain::AccountGrant& g) = 0;
  virtual Result<domain::AccountGrant> GetAccountGrant(const std::string& id) = 0;
  // Every grant of the personal account, revoked ones included, oldest first.
  virtual Result<std::vector<domain::AccountGrant>> ListAccountGrants(
      const std::string& personal_account_id) = 0;
  virtual Status RevokeAccountGrant(const std::string& id, int64_t at) = 0;
  // The personal accounts that live grants open to this credential.
  virtual Result<std::vector<std::string>> GrantedAccounts(domain::GrantedCredential kind,
                                                           const std::string& credential_id) = 0;
};

}  // namespace cozeauth::store
