#pragma once
// The authorization decision (architecture.md §5): a pure function over a snapshot of facts the
// caller loaded. No I/O, no clock, no exceptions; safe to call from any thread.
//
// Order and codes:
//   1. credential missing/unknown/expired/revoked/app disabled        → 4100
//   2. permission point not granted to the credential                  → 4101
//   3. target does not exist                                           → endpoint's not-found code
//   4. workspace-level: context, workspace scope, live role             → 4101
//   5. account-level: owned by the context or cross-account granted     → 4101
//   6. enterprise-level: context inside the enterprise, admin role      → 4101

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.hpp"
#include "credentials/token.hpp"
#include "domain/migration.hpp"
#include "domain/model.hpp"

namespace cozeauth::policy {

enum class CredentialState { kActive, kMissing, kUnknown, kExpired, kRevoked, kAppDisabled };

// The credential as the decision sees it.
struct Principal {
  CredentialState state = CredentialState::kMissing;
  credentials::TokenKind kind = credentials::TokenKind::kPat;
  // No token id: one Principal stands for every token of the same shape (api/auth/token_cache.hpp
  // interns them), so the id travels beside it (api::Verified, api::Call::token_id).
  std::string user_id;  // user-bound kinds: whose live roles count
  credentials::Context context;
  credentials::Grant grant;
  std::string session_name;
  // Personal accounts that granted this credential access to their account-level resources.
  std::vector<std::string> granted_accounts;

  bool user_bound() const { return credentials::IsUserBound(kind); }
  // The account in which this credential creates account-level resources.
  const std::string& acting_account_id() const { return context.account_id; }
};

// The principal of a stored token: its kind, ids, context, grant and session. The state (and the
// cross-account grants, which only an active principal needs) is the caller's to set: it
// depends on the clock and on the token's app.
[[nodiscard]] Principal PrincipalOf(const credentials::Token& token);

// Facts about a workspace-level target, loaded by the caller.
struct WorkspaceTarget {
  bool exists = false;
  std::string workspace_id;
  std::string owner_account_id;
  std::string owner_enterprise_id;  // empty when the owner is a personal account
  // Live roles of the principal's user (nullopt: none / not user-bound).
  std::optional<domain::WorkspaceRole> user_workspace_role;
  std::optional<domain::OrgRole> user_org_role;  // in the owning organization
  std::string bot_id;  // when the target is a bot (checked against Grant::bot_ids)
  // Grant-mode migration: the personal account whose PAT and AppAuth credentials keep reaching
  // the workspace now owned by an organization (coze-platform.md §6.4 一键授权).
  std::string legacy_account_id;
};

// Facts about an account-level target (conversation, message, chat, file).
struct AccountTarget {
  bool exists = false;
  std::string owner_account_id;
  std::string owner_enterprise_id;  // empty for personal accounts
  std::string session_name;
};

// An enterprise-level target.
struct EnterpriseTarget {
  std::string enterprise_id;
  std::optional<domain::OrgRole> user_enterprise_role;
};

// No target: the point alone decides (e.g. users/me, listing in the credential's own account).
struct NoTarget {};

using Target = std::variant<NoTarget, WorkspaceTarget, AccountTarget, EnterpriseTarget>;

struct Decision {
  Errc code = Errc::kOk;  // kOk = allow
  std::string reason;     // for logs and the error message; never contains a secret
  bool allowed() const { return code == Errc::kOk; }
  static Decision Allow() { return {}; }
  static Decision Deny(Errc code, std::string reason) { return {code, std::move(reason)}; }
};

// Steps 1–2 only: is the credential usable, and does it hold `point` (empty = no point needed)?
[[nodiscard]] Decision CheckCredential(const Principal& principal, std::string_view point);

// The whole decision. `not_found` is the endpoint's not-found code (4006 bot, 4002
// conversation, 4001 chat, 4005 message, 4200 otherwise).
[[nodiscard]] Decision Decide(const Principal& principal, std::string_view point,
                              const Target& target, Errc not_found = Errc::kNotFound);

// Step 4 alone: does the principal reach this workspace (used to filter lists)?
[[nodiscard]] bool ReachesWorkspace(const Principal& principal, const WorkspaceTarget& target);
// The ownership facts a workspace will have once migrated into organization `to_account_id` of
// enterprise `to_enterprise_id` in `mode` (coze-platform.md §6.4; the store's MigrateWorkspace
// writes the same): the organization owns it; `grant` keeps the personal account it leaves as
// its legacy account, whose PAT and AppAuth credentials keep reaching it, `cut` keeps none. The
// workspace id, the bot and the live roles are the caller's, as loaded for the new owner. The
// migration planner asks ReachesWorkspace on these facts, so its plan is the decision the
// requests after the migration get.
[[nodiscard]] WorkspaceTarget AfterMigration(WorkspaceTarget before, std::string to_account_id,
                                             std::string to_enterprise_id,
                                             domain::MigrationMode mode);
// Step 5 alone: does the principal reach this account-level resource?
[[nodiscard]] bool ReachesAccountResource(const Principal& principal, const AccountTarget& target);

}  // namespace cozeauth::policy
