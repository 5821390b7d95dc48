#include "migration/account_grants.hpp"

#include <algorithm>

#include "admin/audit.hpp"

namespace cozeauth::migration {
namespace {

using domain::GrantedCredential;

// The personal account is the user's own; the user administers the enterprise.
Status CheckGranter(Env& env, const std::string& user_id, const std::string& enterprise_id) {
  auto account = env.store.GetAccount(user_id);
  if (!account || account->kind != domain::AccountKind::kPersonal) {
    return Error::BadRequest("user", "user " + user_id + " has no personal account");
  }
  auto e = env.store.GetEnterprise(enterprise_id);
  if (!e) return Error::BadRequest("enterprise", "enterprise " + enterprise_id + " not found");
  auto role = env.store.GetEnterpriseRole(enterprise_id, user_id);
  if (!role) return role.error();
  if (!role.value() || !domain::IsAdmin(*role.value())) {
    return Error::Make(Errc::kPermissionDenied, "only a super_admin or admin of enterprise " +
                                                    enterprise_id +
                                                    " opens a personal account to it");
  }
  return {};
}

bool InEnterprise(const credentials::Context& c, const std::string& enterprise_id) {
  return c.kind != credentials::ContextKind::kPersonal && c.enterprise_id == enterprise_id;
}

std::string LiveGrant(const std::vector<domain::AccountGrant>& grants, GrantedCredential kind,
                      const std::string& id, const std::string& enterprise_id) {
  for (const auto& g : grants) {
    if (!g.Revoked() && g.credential_kind == kind && g.credential_id == id &&
        g.enterprise_id == enterprise_id) {
      return g.id;
    }
  }
  return {};
}

// The audit detail of a grant: the grant as the console shows it (api::GrantJson).
std::string GrantDetail(const domain::AccountGrant& g) {
  return admin::AuditDetail()
      .Add("id", g.id)
      .Add("personal_account_id", g.personal_account_id)
      .Add("enterprise_id", g.enterprise_id)
      .Add("credential_kind", domain::ToString(g.credential_kind))
      .Add("credential_id", g.credential_id)
      .Add("granted_by", g.granted_by)
      .Add("created_at", g.created_at)
      .Add("revoked_at", g.revoked_at)
      .Json();
}

}  // namespace

Result<std::vector<GrantCandidate>> ListGrantCandidates(Env& env, const std::string& user_id,
                                                        const std::string& enterprise_id) {
  if (auto s = CheckGranter(env, user_id, enterprise_id); !s) return s.error();
  auto grants = env.store.ListAccountGrants(user_id);
  if (!grants) return grants.error();
  std::vector<GrantCandidate> out;
  auto pats = env.store.ListTokensOfUser(user_id, credentials::TokenKind::kPat);
  if (!pats) return pats.error();
  const int64_t now = env.clock.NowSeconds();
  for (const auto& t : pats.value()) {
    if (t.Revoked() || t.Expired(now) || !InEnterprise(t.context, enterprise_id)) continue;
    out.push_back({GrantedCredential::kPat, t.id, t.name, t.created_at, t.expires_at,
                   t.grant.account_permissions,
                   LiveGrant(grants.value(), GrantedCredential::kPat, t.id, enterprise_id)});
  }
  auto auths = env.store.ListAuthorizationsInEnterprise(enterprise_id);
  if (!auths) return auths.error();
  std::vector<std::string> seen;
  for (const auto& a : auths.value()) {
    if (a.kind != credentials::AuthorizationKind::kAppAuth || a.Revoked()) continue;
    if (std::find(seen.begin(), seen.end(), a.app_id) != seen.end()) continue;
    seen.push_back(a.app_id);
    auto app = env.store.GetOAuthApp(a.app_id);
    if (!app || app->status == credentials::AppStatus::kDeleted) continue;
    out.push_back({GrantedCredential::kApp, app->id, app->name, a.created_at, -1,
                   a.grant.account_permissions,
                   LiveGrant(grants.value(), GrantedCredential::kApp, app->id, enterprise_id)});
  }
  return out;
}

Result<domain::AccountGrant> GrantAccountAccess(Env& env, const GrantRequest& req) {
  if (req.credential == "obo") {
    return Error::BadRequest("credential",
                             "OBO credentials cannot be granted personal account "
                             "access; only PATs and AppAuth apps");
  }
  if (req.credential == "sat") {
    return Error::BadRequest("credential",
                             "service access tokens cannot be granted personal "
                             "account access; only PATs and AppAuth apps");
  }
  auto kind = domain::ParseGrantedCredential(req.credential);
  if (!kind) return Error::BadRequest("credential", "credential must be pat or app");
  auto candidates = ListGrantCandidates(env, req.user_id, req.enterprise_id);
  if (!candidates) return candidates.error();
  auto it = std::find_if(candidates->begin(), candidates->end(), [&](const GrantCandidate& c) {
    return c.kind == *kind && c.id == req.credential_id;
  });
  if (it == candidates->end()) {
    return Error::BadRequest("credential_id", *kind == GrantedCredential::kPat
                                                  ? "PAT " + req.credential_id +
                                                        " is not one of your live PATs "
                                                        "acting in enterprise " +
                                                        req.enterprise_id
                                                  : "app " + req.credential_id +
                                                        " is not authorized (AppAuth) "
                                                        "in enterprise " +
                                                        req.enterprise_id);
  }
  if (!it->grant_id.empty()) {
    return Error::Make(Errc::kAlreadyExists, "already granted (grant " + it->grant_id + ")");
  }
  if (it->account_points.empty()) {
    return Error::BadRequest("credential_id",
                             "the credential holds no account-level permission "
                             "point; nothing to grant");
  }
  domain::AccountGrant g;
  g.id = env.ids.Next();
  g.personal_account_id = req.user_id;
  g.enterprise_id = req.enterprise_id;
  g.credential_kind = *kind;
  g.credential_id = req.credential_id;
  g.granted_by = req.user_id;
  g.created_at = env.clock.NowSeconds();
  Status s = admin::Audited(
      env, [&] { return env.store.CreateAccountGrant(g); }, "account_grant.created",
      "account_grant", g.id, GrantDetail(g));
  if (!s) return s.error();
  return g;
}

Status RevokeAccountAccess(Env& env, const std::string& user_id, const std::string& grant_id) {
  auto g = env.store.GetAccountGrant(grant_id);
  if (!g || g->personal_account_id != user_id) {
    return Error::Make(Errc::kNotFound, "account grant " + grant_id + " not found");
  }
  if (g->Revoked()) return Error::BadRequest("id", "grant " + grant_id + " is already revoked");
  return admin::Audited(
      env, [&] { return env.store.RevokeAccountGrant(grant_id, env.clock.NowSeconds()); },
      "account_grant.revoked", "account_grant", grant_id, GrantDetail(*g));
}

}  // namespace cozeauth::migration
