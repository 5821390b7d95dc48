#include "admin/operations.hpp"

#include <algorithm>

#include "admin/audit.hpp"
#include "base/crypto.hpp"
#include "policy/catalogue.hpp"

namespace cozeauth::admin {
namespace {

using domain::OrgRole;
using domain::WorkspaceRole;

Status RequireName(const std::string& value, const char* field, size_t max = 100) {
  if (value.empty()) return Error::BadRequest(field, std::string(field) + " is required");
  if (value.size() > max) {
    return Error::BadRequest(
        field, std::string(field) + " must be at most " + std::to_string(max) + " characters");
  }
  return {};
}

Status RequireUser(Env& env, const std::string& user_id, const char* field = "user") {
  if (user_id.empty()) return Error::BadRequest(field, std::string(field) + " is required");
  if (auto u = env.store.GetUser(user_id); !u) {
    return Error::Make(u.error().code, "user " + user_id + " not found");
  }
  return {};
}

bool ValidEmail(const std::string& e) {
  auto at = e.find('@');
  return at != std::string::npos && at > 0 && at + 1 < e.size() &&
         e.find('@', at + 1) == std::string::npos && e.find(' ') == std::string::npos &&
         e.size() <= 254;
}

Status ValidatePassword(const std::string& password, const std::string& field) {
  if (password.size() < 8) {
    return Error::BadRequest(field, field + " must be at least 8 characters");
  }
  if (password.size() > 256) return Error::BadRequest(field, field + " is too long");
  return {};
}

}  // namespace

Result<domain::User> CreateUser(Env& env, const std::string& name, const std::string& email,
                                const std::string& password) {
  if (auto s = RequireName(name, "name", 64); !s) return s.error();
  if (!ValidEmail(email)) return Error::BadRequest("email", "email is not a valid address");
  if (auto s = ValidatePassword(password, "password"); !s) return s.error();
  if (auto existing = env.store.FindUserByEmail(email)) {
    return Error::Make(Errc::kAlreadyExists, "a user with email " + email + " already exists");
  }
  const int64_t now = env.clock.NowSeconds();
  domain::User user{env.ids.Next(), name, email, HashPassword(password), now};
  domain::Account personal{user.id, domain::AccountKind::kPersonal, name, user.id, "", false, now};
  domain::Workspace ws{env.ids.Next(),
                       "Personal",
                       "",
                       personal.id,
                       user.id,
                       domain::WorkspaceType::kPersonal,
                       now,
                       ""};
  Status s = env.store.Transaction([&]() -> Status {
    if (auto r = env.store.CreateUser(user); !r) return r;
    if (auto r = env.store.CreateAccount(personal); !r) return r;
    if (auto r = env.store.CreateWorkspace(ws); !r) return r;
    return env.store.SetWorkspaceRole(ws.id, user.id, WorkspaceRole::kOwner);
  });
  if (!s) return s.error();
  return user;
}

Status ChangePassword(Env& env, const std::string& user_id, const std::string& current,
                      const std::string& next, const std::string& keep_session_id) {
  if (auto s = ValidatePassword(next, "new_password"); !s) return s;
  auto user = env.store.GetUser(user_id);
  if (!user) return user.error();
  if (!VerifyPassword(current, user->password_hash)) {
    return Error::Make(Errc::kUnauthenticated, "the current password is wrong");
  }
  const std::string hash = HashPassword(next);
  return Audited(
      env,
      [&]() -> Status {
        if (auto s = env.store.SetUserPassword(user_id, hash); !s) return s;
        return env.store.DeleteOtherSessionsOfUser(user_id, keep_session_id);
      },
      "user.password_changed", "user", user_id);
}

Result<CreatedEnterprise> CreateEnterprise(Env& env, const std::string& name,
                                           const std::string& owner_user_id,
                                           domain::Edition edition) {
  if (auto s = RequireName(name, "name"); !s) return s.error();
  if (auto s = RequireUser(env, owner_user_id, "owner"); !s) return s.error();
  const int64_t now = env.clock.NowSeconds();
  CreatedEnterprise out;
  out.enterprise = {"ent_" + env.ids.Next(), name, edition, owner_user_id, "", now};
  out.default_org = {
      env.ids.Next(), domain::AccountKind::kOrganization, name, "", out.enterprise.id, true, now};
  out.enterprise.default_org_account_id = out.default_org.id;
  Status s = env.store.Transaction([&]() -> Status {
    if (auto r = env.store.CreateEnterprise(out.enterprise); !r) return r;
    if (auto r = env.store.CreateAccount(out.default_org); !r) return r;
    if (auto r =
            env.store.SetEnterpriseRole(out.enterprise.id, owner_user_id, OrgRole::kSuperAdmin);
        !r) {
      return r;
    }
    return env.store.SetOrgRole(out.default_org.id, owner_user_id, OrgRole::kSuperAdmin);
  });
  if (!s) return s.error();
  return out;
}

Status AddEnterpriseMember(Env& env, const std::string& enterprise_id, const std::string& user_id,
                           OrgRole role) {
  auto e = env.store.GetEnterprise(enterprise_id);
  if (!e) return e.error();
  if (auto s = RequireUser(env, user_id); !s) return s;
  return env.store.Transaction([&]() -> Status {
    if (auto r = env.store.SetEnterpriseRole(enterprise_id, user_id, role); !r) return r;
    if (auto r = env.store.SetOrgRole(e->default_org_account_id, user_id, role); !r) return r;
    return Audit(
        env, "member.role_set", "user", user_id,
        AuditDetail().Add("enterprise_id", enterprise_id).Add("role", ToString(role)).Json());
  });
}

Status RemoveEnterpriseMember(Env& env, const std::string& enterprise_id,
                              const std::string& user_id) {
  auto e = env.store.GetEnterprise(enterprise_id);
  if (!e) return e.error();
  auto role = env.store.GetEnterpriseRole(enterprise_id, user_id);
  if (!role) return role.error();
  if (!role.value()) {
    return Error::Make(Errc::kNotFound, "user " + user_id + " is not a member of " + enterprise_id);
  }
  auto orgs = env.store.ListOrganizations(enterprise_id);
  if (!orgs) return orgs.error();
  auto spaces = env.store.ListWorkspacesOfEnterprise(enterprise_id);
  if (!spaces) return spaces.error();
  return env.store.Transaction([&]() -> Status {
    for (const auto& w : spaces.value()) {
      if (auto r = env.store.RemoveWorkspaceMember(w.id, user_id);
          !r && r.error().code != Errc::kNotFound)
        return r;
    }
    for (const auto& o : orgs.value()) {
      if (auto r = env.store.RemoveOrgMember(o.id, user_id);
          !r && r.error().code != Errc::kNotFound)
        return r;
    }
    if (auto r = env.store.RemoveEnterpriseMember(enterprise_id, user_id); !r) return r;
    return Audit(env, "member.removed", "user", user_id,
                 AuditDetail().Add("enterprise_id", enterprise_id).Json());
  });
}

Status UpgradeEnterprise(Env& env, const std::string& enterprise_id) {
  auto e = env.store.GetEnterprise(enterprise_id);
  if (!e) return e.error();
  if (e->edition == domain::Edition::kEnterprise) {
    return Error::BadRequest(
        "enterprise", "enterprise " + enterprise_id + " is already on the enterprise edition");
  }
  return env.store.UpdateEnterpriseEdition(enterprise_id, domain::Edition::kEnterprise);
}

Result<domain::Account> CreateOrganization(Env& env, const std::string& enterprise_id,
                                           const std::string& name) {
  if (auto s = RequireName(name, "name"); !s) return s.error();
  auto e = env.store.GetEnterprise(enterprise_id);
  if (!e) return e.error();
  if (e->edition != domain::Edition::kEnterprise) {
    return Error::BadRequest("enterprise",
                             "only the enterprise edition may add organizations; "
                             "run `cozeauth admin enterprise upgrade` first");
  }
  auto orgs = env.store.ListOrganizations(enterprise_id);
  if (!orgs) return orgs.error();
  if (orgs->size() >= domain::kMaxOrganizationsEnterprise) {
    return Error::BadRequest("enterprise", "an enterprise may have at most 20 organizations");
  }
  domain::Account org{
      env.ids.Next(),        domain::AccountKind::kOrganization, name, "", enterprise_id, false,
      env.clock.NowSeconds()};
  Status s = env.store.Transaction([&]() -> Status {
    if (auto r = env.store.CreateAccount(org); !r) return r;
    // The enterprise's super_admin administers every organization.
    return env.store.SetOrgRole(org.id, e->owner_user_id, OrgRole::kSuperAdmin);
  });
  if (!s) return s.error();
  return org;
}

namespace {

Result<domain::Account> RequireOrganization(Env& env, const std::string& org_account_id) {
  auto org = env.store.GetAccount(org_account_id);
  if (!org && org.error().code != Errc::kNotFound) return org.error();
  if (!org || org->kind != domain::AccountKind::kOrganization) {
    return Error::Make(Errc::kNotFound, "organization " + org_account_id + " not found");
  }
  return org;
}

}  // namespace

Status SetOrganizationRole(Env& env, const std::string& org_account_id, const std::string& user_id,
                           OrgRole role) {
  auto org = RequireOrganization(env, org_account_id);
  if (!org) return org.error();
  if (auto s = RequireUser(env, user_id); !s) return s;
  auto er = env.store.GetEnterpriseRole(org->enterprise_id, user_id);
  if (!er) return er.error();
  if (!er.value()) {
    return Error::BadRequest(
        "user", "user " + user_id + " is not a member of enterprise " + org->enterprise_id);
  }
  return Audited(
      env, [&] { return env.store.SetOrgRole(org_account_id, user_id, role); }, "member.role_set",
      "user", user_id,
      AuditDetail().Add("account_id", org_account_id).Add("role", ToString(role)).Json());
}

Status RemoveOrganizationMember(Env& env, const std::string& org_account_id,
                                const std::string& user_id) {
  auto org = RequireOrganization(env, org_account_id);
  if (!org) return org.error();
  if (org->is_default) {
    return Error::BadRequest("organization",
                             "the default organization's members are the enterprise's: remove "
                             "the user from the enterprise instead");
  }
  auto role = env.store.GetOrgRole(org_account_id, user_id);
  if (!role) return role.error();
  if (!role.value()) {
    return Error::Make(Errc::kNotFound,
                       "user " + user_id + " is not a member of organization " + org_account_id);
  }
  auto spaces = env.store.ListWorkspacesOfAccount(org_account_id);
  if (!spaces) return spaces.error();
  for (const auto& w : spaces.value()) {
    if (w.owner_user_id == user_id) {
      return Error::BadRequest("user", "user " + user_id + " owns workspace " + w.id +
                                           " of organization " + org_account_id);
    }
  }
  return env.store.Transaction([&]() -> Status {
    for (const auto& w : spaces.value()) {
      if (auto r = env.store.RemoveWorkspaceMember(w.id, user_id);
          !r && r.error().code != Errc::kNotFound)
        return r;
    }
    if (auto r = env.store.RemoveOrgMember(org_account_id, user_id); !r) return r;
    return Audit(env, "member.removed", "user", user_id,
                 AuditDetail().Add("account_id", org_account_id).Json());
  });
}

Result<domain::Workspace> CreateWorkspace(Env& env, const std::string& account_id,
                                          const std::string& owner_user_id, const std::string& name,
                                          const std::string& description) {
  if (auto s = RequireName(name, "name", 50); !s) return s.error();
  if (description.size() > 2000) return Error::BadRequest("description", "description is too long");
  auto account = env.store.GetAccount(account_id);
  if (!account) return Error::Make(account.error().code, "account " + account_id + " not found");
  if (auto s = RequireUser(env, owner_user_id, "owner"); !s) return s.error();
  if (account->kind == domain::AccountKind::kPersonal) {
    if (account->user_id != owner_user_id) {
      return Error::BadRequest("owner", "a personal account's workspaces are owned by its user");
    }
  } else {
    auto role = env.store.GetOrgRole(account_id, owner_user_id);
    if (!role) return role.error();
    if (!role.value() || *role.value() == OrgRole::kGuest) {
      return Error::BadRequest(
          "owner", "user " + owner_user_id + " is not a member of organization " + account_id);
    }
  }
  domain::Workspace ws{env.ids.Next(),
                       name,
                       description,
                       account_id,
                       owner_user_id,
                       domain::WorkspaceType::kTeam,
                       env.clock.NowSeconds(),
                       ""};
  Status s = env.store.Transaction([&]() -> Status {
    if (auto r = env.store.CreateWorkspace(ws); !r) return r;
    return env.store.SetWorkspaceRole(ws.id, owner_user_id, WorkspaceRole::kOwner);
  });
  if (!s) return s.error();
  return ws;
}

Status AddWorkspaceMember(Env& env, const std::string& workspace_id, const std::string& user_id,
                          WorkspaceRole role) {
  if (role == WorkspaceRole::kOwner) {
    return Error::BadRequest("role", "members are added as admin or member, not owner");
  }
  auto ws = env.store.GetWorkspace(workspace_id);
  if (!ws) return ws.error();
  if (auto s = RequireUser(env, user_id); !s) return s;
  if (ws->owner_user_id == user_id) {
    return Error::BadRequest("user", "user " + user_id + " owns workspace " + workspace_id);
  }
  auto account = env.store.GetAccount(ws->owner_account_id);
  if (!account) return account.error();
  if (account->kind == domain::AccountKind::kOrganization) {
    auto er = env.store.GetEnterpriseRole(account->enterprise_id, user_id);
    if (!er) return er.error();
    if (!er.value()) {
      return Error::BadRequest(
          "user", "user " + user_id + " is not a member of enterprise " + account->enterprise_id);
    }
  }
  return Audited(
      env, [&] { return env.store.SetWorkspaceRole(workspace_id, user_id, role); },
      "member.role_set", "user", user_id,
      AuditDetail().Add("workspace_id", workspace_id).Add("role", ToString(role)).Json());
}

Status RemoveWorkspaceMember(Env& env, const std::string& workspace_id,
                             const std::string& user_id) {
  auto ws = env.store.GetWorkspace(workspace_id);
  if (!ws) return ws.error();
  if (ws->owner_user_id == user_id) {
    return Error::BadRequest("user", "the owner cannot be removed from workspace " + workspace_id);
  }
  auto role = env.store.GetWorkspaceRole(workspace_id, user_id);
  if (!role) return role.error();
  if (!role.value()) {
    return Error::Make(Errc::kNotFound,
                       "user " + user_id + " is not a member of workspace " + workspace_id);
  }
  return Audited(
      env, [&] { return env.store.RemoveWorkspaceMember(workspace_id, user_id); }, "member.removed",
      "user", user_id, AuditDetail().Add("workspace_id", workspace_id).Json());
}

namespace {

// Validates a grant against the credential's context; canonicalises the point names.
Status ValidateGrant(Env& env, const credentials::Token& t, credentials::Grant& grant,
                     bool user_is_admin) {
  auto acc = policy::CanonicalPoints(grant.account_permissions, policy::Level::kAccount,
                                     "account_permissions");
  if (!acc) return acc.error();
  auto ws = policy::CanonicalPoints(grant.workspace_permissions, policy::Level::kWorkspace,
                                    "workspace_permissions");
  if (!ws) return ws.error();
  auto ent = policy::CanonicalPoints(grant.enterprise_permissions, policy::Level::kEnterprise,
                                     "enterprise_permissions");
  if (!ent) return ent.error();
  grant.account_permissions = acc.value();
  grant.workspace_permissions = ws.value();
  grant.enterprise_permissions = ent.value();
  if (grant.account_permissions.empty() && grant.workspace_permissions.empty() &&
      grant.enterprise_permissions.empty()) {
    return Error::BadRequest("permissions", "grant at least one permission point");
  }
  if (!grant.enterprise_permissions.empty() &&
      (t.context.kind == credentials::ContextKind::kPersonal || !user_is_admin)) {
    return Error::BadRequest("enterprise_permissions",
                             "enterprise-level points need an organization account and a "
                             "super_admin or admin");
  }
  if (!grant.workspace_permissions.empty() && !grant.all_workspaces &&
      grant.workspace_ids.empty()) {
    return Error::BadRequest("workspaces", "workspace-level points need workspaces: all or a list");
  }
  if (grant.all_workspaces) grant.workspace_ids.clear();
  std::sort(grant.workspace_ids.begin(), grant.workspace_ids.end());
  grant.workspace_ids.erase(std::unique(grant.workspace_ids.begin(), grant.workspace_ids.end()),
                            grant.workspace_ids.end());
  for (const auto& wid : grant.workspace_ids) {
    auto w = env.store.GetWorkspace(wid);
    if (!w) return Error::BadRequest("workspaces", "workspace " + wid + " not found");
    if (w->owner_account_id != t.context.account_id) {
      return Error::BadRequest(
          "workspaces", "workspace " + wid + " does not belong to account " + t.context.account_id);
    }
    if (credentials::IsUserBound(t.kind) && !user_is_admin) {
      auto role = env.store.GetWorkspaceRole(wid, t.user_id);
      if (!role) return role.error();
      if (!role.value()) {
        return Error::BadRequest("workspaces",
                                 "user " + t.user_id + " is not a member of workspace " + wid);
      }
    }
  }
  return {};
}

// What the audit log says about a PAT/SAT: never its plaintext or digest.
std::string TokenAuditDetail(const credentials::Token& t) {
  return AuditDetail()
      .Add("kind", credentials::ToString(t.kind))
      .Add("name", t.name)
      .Add("user_id", t.user_id)
      .Add("account_id", t.context.account_id)
      .Add("enterprise_id", t.context.enterprise_id)
      .Add("account_permissions", t.grant.account_permissions)
      .Add("workspace_permissions", t.grant.workspace_permissions)
      .Add("enterprise_permissions", t.grant.enterprise_permissions)
      .Add("all_workspaces", t.grant.all_workspaces)
      .Add("workspace_ids", t.grant.workspace_ids)
      .Add("expires_at", t.expires_at)
      .Json();
}

Status ValidateDays(credentials::TokenKind kind, const std::optional<int>& days) {
  if (kind == credentials::TokenKind::kPat) {
    if (!days || *days < credentials::kPatMinDays || *days > credentials::kPatMaxDays) {
      return Error::BadRequest("days", "a personal access token lives 1 to 30 days");
    }
  } else if (days && (*days < 1 || *days > 3650)) {
    return Error::BadRequest("days", "a service token lives 1 to 3650 days, or is permanent");
  }
  return {};
}

}  // namespace

Result<CreatedToken> CreateToken(Env& env, const TokenSpec& spec) {
  using credentials::ContextKind;
  using credentials::TokenKind;
  if (spec.kind != TokenKind::kPat && spec.kind != TokenKind::kSat) {
    return Error::BadRequest("kind", "only personal and service access tokens are created here");
  }
  if (auto s = RequireName(spec.name, "name", 100); !s) return s.error();
  if (auto s = RequireUser(env, spec.user_id); !s) return s.error();
  if (auto s = ValidateDays(spec.kind, spec.days); !s) return s.error();

  credentials::Token t;
  t.kind = spec.kind;
  t.name = spec.name;
  t.user_id = spec.user_id;
  const std::string account_id = spec.account_id.empty() ? spec.user_id : spec.account_id;
  auto account = env.store.GetAccount(account_id);
  if (!account) return Error::BadRequest("account", "account " + account_id + " not found");
  bool user_is_admin = false;
  if (account->kind == domain::AccountKind::kPersonal) {
    if (account->user_id != spec.user_id) {
      return Error::BadRequest("account", "account " + account_id + " is another user's");
    }
    t.context = {ContextKind::kPersonal, account_id, ""};
  } else {
    auto role = env.store.GetOrgRole(account_id, spec.user_id);
    if (!role) return role.error();
    if (!role.value()) {
      return Error::BadRequest(
          "account", "user " + spec.user_id + " is not a member of organization " + account_id);
    }
    user_is_admin = domain::IsAdmin(*role.value());
    if (spec.kind == TokenKind::kSat && !user_is_admin) {
      return Error::BadRequest("user",
                               "in an organization only super_admin and admin create "
                               "service tokens");
    }
    t.context = {ContextKind::kOrganization, account_id, account->enterprise_id};
  }
  t.grant = {spec.account_permissions, spec.workspace_permissions, spec.enterprise_permissions,
             spec.all_workspaces,      spec.workspace_ids,         {}};
  if (auto s = ValidateGrant(env, t, t.grant, user_is_admin); !s) return s.error();

  if (spec.kind == TokenKind::kPat) {
    auto existing = env.store.ListTokensOfUser(spec.user_id, TokenKind::kPat);
    if (!existing) return existing.error();
    const int64_t now = env.clock.NowSeconds();
    size_t live = 0;
    for (const auto& e : existing.value()) {
      if (!e.Revoked() && !e.Expired(now) && e.context.account_id == account_id) ++live;
    }
    const size_t limit =
        t.context.kind == ContextKind::kPersonal ? kMaxPersonalPatsPerUser : kMaxOrgPatsPerUser;
    if (live >= limit) {
      return Error::BadRequest("name", "limit reached: at most " + std::to_string(limit) +
                                           " personal access tokens per user in this account");
    }
  }

  const int64_t now = env.clock.NowSeconds();
  auto minted = credentials::MintToken(spec.kind, env.random);
  t.id = env.ids.Next();
  t.token_hash = minted.hash_hex;
  t.created_at = t.updated_at = now;
  t.expires_at = spec.days ? now + int64_t{*spec.days} * credentials::kSecondsPerDay : -1;
  Status created = Audited(
      env, [&] { return env.store.CreateToken(t); }, "token.created", "token", t.id,
      TokenAuditDetail(t));
  if (!created) return created.error();
  if (env.metrics) env.metrics->TokenIssued(credentials::ToString(t.kind));
  return CreatedToken{std::move(t), std::move(minted.plaintext)};
}

Result<credentials::Token> UpdateToken(Env& env, const std::string& token_id,
                                       const TokenUpdate& u) {
  auto t = env.store.GetToken(token_id);
  if (!t) return t.error();
  if (t->Revoked()) return Error::BadRequest("id", "token " + token_id + " is revoked");
  credentials::Token next = t.value();
  if (u.name) {
    if (auto s = RequireName(*u.name, "name", 100); !s) return s.error();
    next.name = *u.name;
  }
  if (u.account_permissions) next.grant.account_permissions = *u.account_permissions;
  if (u.workspace_permissions) next.grant.workspace_permissions = *u.workspace_permissions;
  if (u.enterprise_permissions) next.grant.enterprise_permissions = *u.enterprise_permissions;
  if (u.all_workspaces) next.grant.all_workspaces = *u.all_workspaces;
  if (u.workspace_ids) next.grant.workspace_ids = *u.workspace_ids;
  if (u.days) {
    if (next.kind != credentials::TokenKind::kSat) {
      return Error::BadRequest("expire_at", "a personal access token's expiry cannot be changed");
    }
    if (auto s = ValidateDays(next.kind, *u.days); !s) return s.error();
    next.expires_at =
        *u.days ? env.clock.NowSeconds() + int64_t{**u.days} * credentials::kSecondsPerDay : -1;
  }
  bool user_is_admin = false;
  if (next.context.kind != credentials::ContextKind::kPersonal) {
    auto role = env.store.GetOrgRole(next.context.account_id, next.user_id);
    if (!role) return role.error();
    user_is_admin = role.value() && domain::IsAdmin(*role.value());
  }
  if (auto s = ValidateGrant(env, next, next.grant, user_is_admin); !s) return s.error();
  next.updated_at = env.clock.NowSeconds();
  Status updated = Audited(
      env, [&] { return env.store.UpdateToken(next); }, "token.updated", "token", next.id,
      TokenAuditDetail(next));
  if (!updated) return updated.error();
  return next;
}

Status RevokeToken(Env& env, const std::string& token_id) {
  auto t = env.store.GetToken(token_id);
  if (!t) return t.error();
  if (t->Revoked()) return Error::BadRequest("id", "token " + token_id + " is already revoked");
  return Audited(
      env, [&] { return env.store.RevokeToken(token_id, env.clock.NowSeconds()); }, "token.revoked",
      "token", token_id, TokenAuditDetail(t.value()));
}

}  // namespace cozeauth::admin
