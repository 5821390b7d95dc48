#pragma once
// The tenancy and resource model (architecture.md §4; coze-platform.md §6). Plain value types
// with no behaviour beyond parsing/printing their enums; the store persists them and the policy
// reasons over them. Ids are 19-digit decimal strings; enterprise ids are "ent_<digits>".
// Timestamps are Unix seconds; -1 means "never"/"permanent" where documented.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cozeauth::domain {

enum class AccountKind { kPersonal, kOrganization };
enum class Edition { kTeam, kEnterprise };
// Roles at enterprise and organization level.
enum class OrgRole { kSuperAdmin, kAdmin, kMember, kGuest };
enum class WorkspaceRole { kOwner, kAdmin, kMember };
enum class WorkspaceType { kPersonal, kTeam };

std::string_view ToString(AccountKind v);
std::string_view ToString(Edition v);
std::string_view ToString(OrgRole v);
std::string_view ToString(WorkspaceRole v);
std::string_view ToString(WorkspaceType v);
std::optional<AccountKind> ParseAccountKind(std::string_view s);
std::optional<Edition> ParseEdition(std::string_view s);
std::optional<OrgRole> ParseOrgRole(std::string_view s);
std::optional<WorkspaceRole> ParseWorkspaceRole(std::string_view s);
std::optional<WorkspaceType> ParseWorkspaceType(std::string_view s);
inline bool IsAdmin(OrgRole r) { return r == OrgRole::kSuperAdmin || r == OrgRole::kAdmin; }

// Edition limits (coze-platform.md §6.1).
inline constexpr int kMaxOrganizationsEnterprise = 20;

// The connector id of the API channel (coze-protocol.md §9.1: 1024 = API, 999 = Chat SDK): where
// a bot is published when no connector is named, the connector a chat or conversation uses by
// default, and the one a bot must be published to for chat (else 4015).
inline constexpr char kApiConnectorId[] = "1024";

struct User {
  std::string id;
  std::string name;
  std::string email;
  std::string password_hash;  // Argon2id (libsodium), never the password
  int64_t created_at = 0;
};

// Owns workspaces and account-level resources. A personal account's id is its user's id.
struct Account {
  std::string id;
  AccountKind kind = AccountKind::kPersonal;
  std::string name;
  std::string user_id;        // personal: the owning user
  std::string enterprise_id;  // organization: its enterprise
  bool is_default = false;    // organization: the enterprise's default organization
  int64_t created_at = 0;
};

struct Enterprise {
  std::string id;  // "ent_<digits>"
  std::string name;
  Edition edition = Edition::kTeam;
  std::string owner_user_id;
  std::string default_org_account_id;
  int64_t created_at = 0;
};

struct Member {
  std::string user_id;
  std::string role;  // ToString of OrgRole or WorkspaceRole
  int64_t joined_at = 0;
};

struct Workspace {
  std::string id;
  std::string name;
  std::string description;
  std::string owner_account_id;
  std::string owner_user_id;
  WorkspaceType type = WorkspaceType::kTeam;
  int64_t created_at = 0;
  // Set by a grant-mode migration: the personal account it came from, whose PAT and AppAuth
  // credentials keep reaching it (coze-platform.md §6.4 一键授权). Empty otherwise.
  std::string legacy_account_id;
};

// A workspace-level resource.
struct Bot {
  std::string id;
  std::string workspace_id;
  std::string name;
  std::string description;
  std::string icon_url;
  std::string prompt;
  std::string prologue;
  std::string owner_user_id;
  bool is_published = false;
  int64_t published_at = 0;
  std::vector<std::string> connector_ids;  // kApiConnectorId = API channel
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// Account-level resources: owned by the account the credential acted in when it created them,
// plus session_name for JWT isolation (coze-platform.md §5.5). They never move with a workspace.
struct Conversation {
  std::string id;
  std::string owner_account_id;
  std::string session_name;
  std::string bot_id;
  std::string name;
  std::string meta_data_json = "{}";
  std::string creator_id;
  std::string connector_id = kApiConnectorId;
  std::string last_section_id;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct Message {
  std::string id;
  std::string conversation_id;
  std::string bot_id;
  std::string chat_id;
  std::string section_id;
  std::string role;  // user | assistant
  std::string type;  // question | answer | ...
  std::string content;
  std::string content_type = "text";
  std::string meta_data_json = "{}";
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct Chat {
  std::string id;
  std::string conversation_id;
  std::string bot_id;
  std::string owner_account_id;
  std::string section_id;
  std::string status;  // created | in_progress | completed | failed | requires_action | canceled
  std::string meta_data_json = "{}";
  int64_t created_at = 0;
  int64_t completed_at = 0;
  int64_t input_count = 0;
  int64_t output_count = 0;
};

struct File {
  std::string id;
  std::string owner_account_id;
  std::string file_name;
  int64_t bytes = 0;
  std::string sha256_hex;
  int64_t created_at = 0;
};

}  // namespace cozeauth::domain
