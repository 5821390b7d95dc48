#pragma once
// TenancyStore: who exists and who belongs where — users, accounts (personal, team,
// organization), enterprises, workspaces, and the roles of members in enterprises,
// organizations and workspaces (coze-platform.md §2–§4). The rows every authorization decision
// starts from: workspace ownership, account → enterprise, live roles.
//
// Bumps the auth epoch (unit_of_work.hpp): UpdateEnterpriseEdition, SetEnterpriseRole,
// RemoveEnterpriseMember, SetOrgRole, RemoveOrgMember, CreateWorkspace (workspace ownership),
// SetWorkspaceRole, RemoveWorkspaceMember. CreateUser, CreateAccount and CreateEnterprise do
// not.
//
// Thread safety and errors: as UnitOfWork (unit_of_work.hpp); calls join the backend's
// Transaction() on the same thread.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "domain/model.hpp"

namespace cozeauth::store {

class TenancyStore {
 public:
  virtual ~TenancyStore() = default;

  // --- users
  virtual Status CreateUser(const domain::User& user) = 0;
  virtual Result<domain::User> GetUser(const std::string& id) = 0;
  virtual Result<domain::User> FindUserByEmail(const std::string& email) = 0;
  // Replaces the user's password hash (Argon2id, never a password). kNotFound for no such user.
  virtual Status SetUserPassword(const std::string& user_id, const std::string& password_hash) = 0;
  virtual Result<int64_t> CountUsers() = 0;
  virtual Result<std::vector<domain::User>> ListUsers() = 0;

  // --- accounts and enterprises
  virtual Status CreateAccount(const domain::Account& account) = 0;
  virtual Result<domain::Account> GetAccount(const std::string& id) = 0;
  virtual Result<std::vector<domain::Account>> ListOrganizations(
      const std::string& enterprise_id) = 0;
  virtual Status CreateEnterprise(const domain::Enterprise& enterprise) = 0;
  virtual Result<domain::Enterprise> GetEnterprise(const std::string& id) = 0;
  // Bumps the auth epoch.
  virtual Status UpdateEnterpriseEdition(const std::string& id, domain::Edition edition) = 0;
  // Enterprise-level role (bumps the auth epoch).
  virtual Status SetEnterpriseRole(const std::string& enterprise_id, const std::string& user_id,
                                   domain::OrgRole role) = 0;
  // Bumps the auth epoch.
  virtual Status RemoveEnterpriseMember(const std::string& enterprise_id,
                                        const std::string& user_id) = 0;
  virtual Result<std::optional<domain::OrgRole>> GetEnterpriseRole(const std::string& enterprise_id,
                                                                   const std::string& user_id) = 0;
  virtual Result<std::vector<domain::Member>> ListEnterpriseMembers(
      const std::string& enterprise_id) = 0;
  // Organization-level role (bumps the auth epoch).
  virtual Status SetOrgRole(const std::string& org_account_id, const std::string& user_id,
                            domain::OrgRole role) = 0;
  // Bumps the auth epoch.
  virtual Status RemoveOrgMember(const std::string& org_account_id, const std::string& user_id) = 0;
  virtual Result<std::optional<domain::OrgRole>> GetOrgRole(const std::string& org_account_id,
                                                            const std::string& user_id) = 0;
  // Enterprises in which the user holds a role.
  virtual Result<std::vector<domain::Enterprise>> ListEnterprisesOfUser(
      const std::string& user_id) = 0;

  // --- workspaces
  // Bumps the auth epoch (a new owner fact).
  virtual Status CreateWorkspace(const domain::Workspace& workspace) = 0;
  virtual Result<domain::Workspace> GetWorkspace(const std::string& id) = 0;
  virtual Result<std::vector<domain::Workspace>> ListWorkspacesOfAccount(
      const std::string& account_id) = 0;
  virtual Result<std::vector<domain::Workspace>> ListWorkspacesOfEnterprise(
      const std::string& enterprise_id) = 0;
  // Workspace roles (Set and Remove bump the auth epoch).
  virtual Status SetWorkspaceRole(const std::string& workspace_id, const std::string& user_id,
                                  domain::WorkspaceRole role) = 0;
  virtual Status RemoveWorkspaceMember(const std::string& workspace_id,
                                       const std::string& user_id) = 0;
  virtual Result<std::optional<domain::WorkspaceRole>> GetWorkspaceRole(
      const std::string& workspace_id, const std::string& user_id) = 0;
  virtual Result<std::vector<domain::Member>> ListWorkspaceMembers(
      const std::string& workspace_id) = 0;
};

}  // namespace cozeauth::store
