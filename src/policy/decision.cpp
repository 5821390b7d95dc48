#include "policy/decision.hpp"

#include <algorithm>

#include "policy/catalogue.hpp"

namespace cozeauth::policy {
namespace {

using credentials::ContextKind;
using credentials::TokenKind;

bool Contains(const std::vector<std::string>& list, std::string_view v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

const std::vector<std::string>& PointsOfLevel(const credentials::Grant& g, Level level) {
  switch (level) {
    case Level::kAccount:
      return g.account_permissions;
    case Level::kWorkspace:
      return g.workspace_permissions;
    case Level::kEnterprise:
      return g.enterprise_permissions;
  }
  return g.account_permissions;
}

Decision Denied(std::string reason) {
  return Decision::Deny(Errc::kPermissionDenied, std::move(reason));
}

}  // namespace

Principal PrincipalOf(const credentials::Token& t) {
  Principal p;
  p.kind = t.kind;
  p.user_id = t.user_id;
  p.context = t.context;
  p.grant = t.grant;
  p.session_name = t.session_name;
  return p;
}

Decision CheckCredential(const Principal& p, std::string_view point) {
  switch (p.state) {
    case CredentialState::kActive:
      break;
    case CredentialState::kMissing:
      return Decision::Deny(Errc::kTokenInvalid, "missing or malformed bearer token");
    case CredentialState::kUnknown:
      return Decision::Deny(Errc::kTokenInvalid, "unknown token");
    case CredentialState::kExpired:
      return Decision::Deny(Errc::kTokenInvalid, "token expired");
    case CredentialState::kRevoked:
      return Decision::Deny(Errc::kTokenInvalid, "token revoked");
    case CredentialState::kAppDisabled:
      return Decision::Deny(Errc::kTokenInvalid, "the token's app is disabled");
  }
  if (point.empty()) return Decision::Allow();
  const PermissionPoint* pp = FindPoint(point);
  if (pp == nullptr) return Denied("unknown permission point");
  // Canonical names are stored; the declared point is canonical too.
  if (!Contains(PointsOfLevel(p.grant, pp->level), pp->name)) {
    return Denied("token lacks permission point '" + std::string(pp->name) + "'");
  }
  return Decision::Allow();
}

namespace {
// A grant-mode migration keeps the old personal account's PATs and AppAuth tokens on the
// workspace; OBO and SAT are cut (coze-platform.md §6.4: 一键授权 covers PAT and AuthApp only).
bool KeptByGrantMigration(const Principal& p, const WorkspaceTarget& t) {
  return !t.legacy_account_id.empty() && t.legacy_account_id == p.context.account_id &&
         (p.kind == TokenKind::kPat || p.kind == TokenKind::kAppAccess);
}
}  // namespace

bool ReachesWorkspace(const Principal& p, const WorkspaceTarget& t) {
  // The workspace's account must be the credential's context, or inside its enterprise.
  switch (p.context.kind) {
    case ContextKind::kPersonal:
      if (t.owner_account_id != p.context.account_id && !KeptByGrantMigration(p, t)) {
        return false;
      }
      break;
    case ContextKind::kOrganization:
      if (t.owner_account_id != p.context.account_id) return false;
      break;
    case ContextKind::kEnterprise:
      if (t.owner_enterprise_id.empty() || t.owner_enterprise_id != p.context.enterprise_id) {
        return false;
      }
      break;
  }
  // Scope: `all` means present and future workspaces, evaluated now.
  if (!p.grant.all_workspaces && !Contains(p.grant.workspace_ids, t.workspace_id)) return false;
  if (!t.bot_id.empty() && !p.grant.bot_ids.empty() && !Contains(p.grant.bot_ids, t.bot_id)) {
    return false;
  }
  if (!p.user_bound()) return true;
  // User-bound credentials follow the user's live roles: a workspace role, or admin of the
  // owning organization (who may act on all of the organization's workspaces).
  if (t.user_workspace_role.has_value()) return true;
  return t.user_org_role.has_value() && domain::IsAdmin(*t.user_org_role);
}

WorkspaceTarget AfterMigration(WorkspaceTarget before, std::string to_account_id,
                               std::string to_enterprise_id, domain::MigrationMode mode) {
  WorkspaceTarget after = std::move(before);
  std::string from = std::move(after.owner_account_id);
  after.owner_account_id = std::move(to_account_id);
  after.owner_enterprise_id = std::move(to_enterprise_id);
  after.legacy_account_id = mode == domain::MigrationMode::kGrant ? std::move(from) : std::string();
  return after;
}

bool ReachesAccountResource(const Principal& p, const AccountTarget& t) {
  bool own = false;
  switch (p.context.kind) {
    case ContextKind::kPersonal:
    case ContextKind::kOrganization:
      own = t.owner_account_id == p.context.account_id;
      break;
    case ContextKind::kEnterprise:
      own = !t.owner_enterprise_id.empty() && t.owner_enterprise_id == p.context.enterprise_id;
      break;
  }
  if (!own && !Contains(p.granted_accounts, t.owner_account_id)) return false;
  // JWT session isolation (coze-platform.md §5.5): a session-bound token sees only its session.
  if (!p.session_name.empty() && t.session_name != p.session_name) return false;
  return true;
}

Decision Decide(const Principal& p, std::string_view point, const Target& target, Errc not_found) {
  if (Decision d = CheckCredential(p, point); !d.allowed()) return d;
  return std::visit(
      [&](const auto& t) -> Decision {
        using T = std::decay_t<decltype(t)>;
        if constexpr (std::is_same_v<T, NoTarget>) {
          return Decision::Allow();
        } else if constexpr (std::is_same_v<T, WorkspaceTarget>) {
          if (!t.exists) return Decision::Deny(not_found, "not found");
          if (!ReachesWorkspace(p, t)) return Denied("workspace outside the token's reach");
          return Decision::Allow();
        } else if constexpr (std::is_same_v<T, AccountTarget>) {
          if (!t.exists) return Decision::Deny(not_found, "not found");
          if (!ReachesAccountResource(p, t)) return Denied("resource of another account");
          return Decision::Allow();
        } else {
          const bool inside =
              !p.context.enterprise_id.empty() && p.context.enterprise_id == t.enterprise_id;
          if (!inside) return Denied("enterprise outside the token's context");
          if (p.user_bound() &&
              !(t.user_enterprise_role.has_value() && domain::IsAdmin(*t.user_enterprise_role))) {
            return Denied("enterprise-level points need super_admin or admin");
          }
          return Decision::Allow();
        }
      },
      target);
}

}  // namespace cozeauth::policy
