#pragma once
// Workspace migration into an enterprise and the cross-account grants around it
// (coze-platform.md §6.4–§7, architecture.md §7). Value types; src/migration decides, the store
// keeps them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cozeauth::domain {

// cut (Coze 手动迁移): personal credentials lose the workspace. grant (一键授权): personal PAT and
// AppAuth credentials keep reaching it; OBO and SAT are cut.
enum class MigrationMode { kCut, kGrant };
std::string_view ToString(MigrationMode m);  // cut | grant
std::optional<MigrationMode> ParseMigrationMode(std::string_view s);

struct Migration {
  std::string id;
  std::string workspace_id;
  std::string from_account_id;  // the personal account that owned it
  std::string to_account_id;    // the organization that owns it now
  std::string enterprise_id;
  MigrationMode mode = MigrationMode::kCut;
  std::string actor_user_id;
  int64_t created_at = 0;
  std::string plan_json;  // the plan as it was when the migration ran
};

// A personal account opened to one enterprise-side credential (Coze 个人账号资源授权): that
// credential reaches the account's account-level resources (conversations, files, …).
enum class GrantedCredential { kPat, kApp };
std::string_view ToString(GrantedCredential k);  // pat | app
std::optional<GrantedCredential> ParseGrantedCredential(std::string_view s);

struct AccountGrant {
  std::string id;
  std::string personal_account_id;
  std::string enterprise_id;
  GrantedCredential credential_kind = GrantedCredential::kPat;
  std::string credential_id;  // the PAT's token id, or the app id (every czs_ token of it)
  std::string granted_by;     // user id
  int64_t created_at = 0;
  int64_t revoked_at = 0;  // 0 = live

  bool Revoked() const { return revoked_at != 0; }
};

}  // namespace cozeauth::domain
