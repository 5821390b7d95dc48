#pragma once
// Operations on tenancy and credentials shared by the operator CLI (`cozeauth admin …`) and the
// console API: each validates its input completely before writing, writes in one transaction,
// and returns the created object. Bad input → kBadRequest naming the field; unknown ids →
// kNotFound; nothing is written on any error. Synchronous; safe for concurrent use.
//
// (Not in architecture.md's first layout: this module sits between store/policy and the two
// front ends so that the CLI and the console cannot drift in their validation.)

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/ids.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "credentials/token.hpp"
#include "domain/model.hpp"
#include "store/store.hpp"

namespace cozeauth::admin {

// Where operations report what they did to metrics. The server passes one that feeds its
// Prometheus registry (api/admin_env.hpp); the CLI passes none, since its process ends before
// anything could scrape it. Keeps admin below observe: the arrow points from the composition in.
class MetricsSink {
 public:
  virtual ~MetricsSink() = default;
  // A token was minted; `grant_type` as observe::Registry::kGrantTypes ("pat", "sat", …).
  virtual void TokenIssued(std::string_view grant_type) = 0;
};

struct Env {
  store::Store& store;
  const Clock& clock;
  SecureRandom& random;
  IdGenerator& ids;
  // Who acts, for the audit log (admin/audit.hpp): a user id, or "operator" for the admin CLI.
  std::string actor = "operator";
  MetricsSink* metrics = nullptr;  // not owned; none = not counted
};

// Changes `user_id`'s password: `current` must verify and `next` follows CreateUser's rules
// (8–256 characters). The new hash and the end of every other session of the user (all but
// `keep_session_id`, so other browsers are signed out) commit in one transaction with the
// audit event "user.password_changed". A wrong current password → kUnauthenticated; nothing is
// written on any error. Costs two Argon2id computations: call it off the I/O threads.
Status ChangePassword(Env& env, const std::string& user_id, const std::string& current,
                      const std::string& next, const std::string& keep_session_id);

// A user with their personal account and personal workspace ("Personal", type personal).
Result<domain::User> CreateUser(Env& env, const std::string& name, const std::string& email,
                                const std::string& password);

struct CreatedEnterprise {
  domain::Enterprise enterprise;
  domain::Account default_org;
};
// The owner becomes super_admin of the enterprise and of its default organization.
Result<CreatedEnterprise> CreateEnterprise(Env& env, const std::string& name,
                                           const std::string& owner_user_id,
                                           domain::Edition edition);
// Sets the enterprise role and the same role in the default organization.
Status AddEnterpriseMember(Env& env, const std::string& enterprise_id, const std::string& user_id,
                           domain::OrgRole role);
// Removes the user from the enterprise, all its organizations and their workspaces.
Status RemoveEnterpriseMember(Env& env, const std::string& enterprise_id,
                              const std::string& user_id);
// team → enterprise; changes no permission of any credential.
Status UpgradeEnterprise(Env& env, const std::string& enterprise_id);
// Only `enterprise` edition, up to 20 organizations.
Result<domain::Account> CreateOrganization(Env& env, const std::string& enterprise_id,
                                           const std::string& name);
// Sets a user's role in an organization of an enterprise the user belongs to.
Status SetOrganizationRole(Env& env, const std::string& org_account_id, const std::string& user_id,
                           domain::OrgRole role);
// Removes the user from the organization and its workspaces. Refused (kBadRequest) for the
// enterprise's default organization (its members are the enterprise's: remove them from the
// enterprise) and for a user who owns one of the organization's workspaces.
Status RemoveOrganizationMember(Env& env, const std::string& org_account_id,
                                const std::string& user_id);

// The owner must be the personal account's user, or a member of the organization.
Result<domain::Workspace> CreateWorkspace(Env& env, const std::string& account_id,
                                          const std::string& owner_user_id, const std::string& name,
                                          const std::string& description = "");
Status AddWorkspaceMember(Env& env, const std::string& workspace_id, const std::string& user_id,
                          domain::WorkspaceRole role);
Status RemoveWorkspaceMember(Env& env, const std::string& workspace_id, const std::string& user_id);

// Bots: admin/bots.hpp. OAuth apps: admin/oauth_apps.hpp.

struct TokenSpec {
  credentials::TokenKind kind = credentials::TokenKind::kPat;  // kPat or kSat
  std::string user_id;     // PAT: the owner; SAT: the creating administrator
  std::string account_id;  // empty = the user's personal account
  std::string name;
  std::optional<int> days;  // PAT: 1–30 (required); SAT: 1–3650 or nullopt = permanent
  std::vector<std::string> account_permissions;
  std::vector<std::string> workspace_permissions;
  std::vector<std::string> enterprise_permissions;
  bool all_workspaces = false;
  std::vector<std::string> workspace_ids;
};

struct CreatedToken {
  credentials::Token token;
  std::string plaintext;  // shown once
};
Result<CreatedToken> CreateToken(Env& env, const TokenSpec& spec);

// Applies name / permissions / workspaces / (SAT only) expiry changes; validated like creation.
struct TokenUpdate {
  std::optional<std::string> name;
  std::optional<std::vector<std::string>> account_permissions, workspace_permissions,
      enterprise_permissions;
  std::optional<bool> all_workspaces;
  std::optional<std::vector<std::string>> workspace_ids;
  std::optional<std::optional<int>> days;  // SAT only; nullopt inside = permanent
};
Result<credentials::Token> UpdateToken(Env& env, const std::string& token_id,
                                       const TokenUpdate& update);
Status RevokeToken(Env& env, const std::string& token_id);

// Limits (coze-platform.md §3.1, §4).
inline constexpr size_t kMaxPersonalPatsPerUser = 10;
inline constexpr size_t kMaxOrgPatsPerUser = 20;

}  // namespace cozeauth::admin
