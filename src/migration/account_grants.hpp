#pragma once
// Enterprise access to personal account-level resources (coze-platform.md §7, Coze's 个人账号资源
// 授权): a user who owns personal account P and is super_admin/admin of enterprise E opens P's
// conversations, files, … to one E-side PAT (of that user) or AppAuth app (authorized in E).
// Never OBO, never SAT; account-level points only (the grant reaches account-level resources and
// nothing else). Synchronous; errors as in migration.hpp.

#include <string>
#include <vector>

#include "migration/migration.hpp"

namespace cozeauth::migration {

struct GrantCandidate {
  domain::GrantedCredential kind = domain::GrantedCredential::kPat;
  std::string id;  // token id or app id
  std::string name;
  int64_t created_at = 0;
  int64_t expires_at = -1;  // -1 = never
  std::vector<std::string> account_points;
  std::string grant_id;  // the live grant, if granted
};

// What `user_id` may open their personal account to, in enterprise `enterprise_id`: their own
// live PATs acting in the enterprise, and the apps authorized (AppAuth) in it.
Result<std::vector<GrantCandidate>> ListGrantCandidates(Env& env, const std::string& user_id,
                                                        const std::string& enterprise_id);

struct GrantRequest {
  std::string user_id;  // owner of the personal account (its id = the user id)
  std::string enterprise_id;
  std::string credential;  // "pat" | "app" (anything else, "obo" and "sat" included, refused)
  std::string credential_id;
};
Result<domain::AccountGrant> GrantAccountAccess(Env& env, const GrantRequest& req);
// Only the personal account's owner revokes.
Status RevokeAccountAccess(Env& env, const std::string& user_id, const std::string& grant_id);

}  // namespace cozeauth::migration
