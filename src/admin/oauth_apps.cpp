#include "admin/oauth_apps.hpp"

#include <algorithm>

#include "admin/audit.hpp"
#include "base/crypto.hpp"
#include "oauth/keys.hpp"
#include "policy/catalogue.hpp"

namespace cozeauth::admin {
namespace {

using credentials::ClientType;

// "<32 digits>.app.coze" (coze-platform.md §5.2).
std::string NewClientId(Env& env) {
  std::string digits;
  while (digits.size() < 32) digits += env.ids.Next();
  return digits.substr(0, 32) + ".app.coze";
}

// The one check of redirect URIs, on creation and on every change.
Status ValidateRedirectUris(ClientType client_type, const std::vector<std::string>& uris) {
  const bool needs = client_type == ClientType::kWeb || client_type == ClientType::kPkce;
  if (!needs) {
    if (!uris.empty()) {
      return Error::BadRequest("redirect_uri", "only web and pkce apps have redirect URIs");
    }
    return {};
  }
  if (uris.empty() || uris.size() > kMaxRedirectUris) {
    return Error::BadRequest("redirect_uri", "web and pkce apps need 1 to 3 redirect URIs");
  }
  for (const auto& uri : uris) {
    const bool scheme = uri.rfind("http://", 0) == 0 || uri.rfind("https://", 0) == 0;
    const size_t host = uri.find("://") + 3;
    if (!scheme || uri.size() <= host || uri[host] == '/' || uri.size() > 2048 ||
        uri.find_first_of(" \n\r\t#") != std::string::npos) {
      return Error::BadRequest("redirect_uri",
                               "redirect URI must be an absolute http(s) URL "
                               "without spaces or fragment: " +
                                   uri.substr(0, 200));
    }
  }
  return {};
}

// The owner account must be the user's personal account or an org they administer.
Status ValidateOwner(Env& env, const AppSpec& spec) {
  auto account = env.store.GetAccount(spec.owner_account_id);
  if (!account)
    return Error::BadRequest("owner_account", "account " + spec.owner_account_id + " not found");
  if (auto u = env.store.GetUser(spec.owner_user_id); !u) {
    return Error::BadRequest("owner", "user " + spec.owner_user_id + " not found");
  }
  if (account->kind == domain::AccountKind::kPersonal) {
    if (account->user_id != spec.owner_user_id) {
      return Error::BadRequest("owner_account", "account " + account->id + " is another user's");
    }
    return {};
  }
  auto role = env.store.GetOrgRole(account->id, spec.owner_user_id);
  if (!role) return role.error();
  if (!role.value() || !domain::IsAdmin(*role.value())) {
    return Error::BadRequest("owner", "only super_admin and admin create apps in an organization");
  }
  return {};
}

Result<std::vector<std::string>> Subset(const std::optional<std::vector<std::string>>& asked,
                                        const std::vector<std::string>& declared,
                                        policy::Level level, const char* field) {
  if (!asked) return declared;
  auto canonical = policy::CanonicalPoints(*asked, level, field);
  if (!canonical) return canonical.error();
  for (const auto& p : canonical.value()) {
    if (std::find(declared.begin(), declared.end(), p) == declared.end()) {
      return Error::BadRequest(field, "permission " + p + " is not declared by the app");
    }
  }
  return canonical;
}

bool IsAdminOfEnterprise(Env& env, const std::string& enterprise_id, const std::string& user) {
  auto role = env.store.GetEnterpriseRole(enterprise_id, user);
  return role && role.value() && domain::IsAdmin(*role.value());
}

// Who may authorize where (coze-platform.md §5.4); fills a.account_id / a.enterprise_id.
Status ResolvePlace(Env& env, const credentials::OAuthApp& app, const AuthorizeSpec& spec,
                    credentials::AppAuthorization& a) {
  if (spec.account_id.empty() == spec.enterprise_id.empty()) {
    return Error::BadRequest("account", "give exactly one of an account and an enterprise");
  }
  if (!spec.enterprise_id.empty()) {
    if (auto e = env.store.GetEnterprise(spec.enterprise_id); !e) return e.error();
    if (!IsAdminOfEnterprise(env, spec.enterprise_id, spec.actor_user_id)) {
      return Error::BadRequest("by", "only an enterprise super_admin or admin installs apps");
    }
    a.enterprise_id = spec.enterprise_id;
    return {};
  }
  auto account = env.store.GetAccount(spec.account_id);
  if (!account) return account.error();
  a.account_id = account->id;
  if (account->kind == domain::AccountKind::kPersonal) {
    if (account->user_id != spec.actor_user_id || app.owner_account_id != account->id) {
      return Error::BadRequest("account",
                               "only the owner authorizes an app in their own "
                               "personal account");
    }
    return {};
  }
  a.enterprise_id = account->enterprise_id;
  if (!IsAdminOfEnterprise(env, account->enterprise_id, spec.actor_user_id)) {
    auto role = env.store.GetOrgRole(account->id, spec.actor_user_id);
    if (!role || !role.value() || !domain::IsAdmin(*role.value())) {
      return Error::BadRequest("by",
                               "only a super_admin or admin authorizes apps in an "
                               "organization");
    }
  }
  return {};
}

Status ValidateWorkspaces(Env& env, const credentials::AppAuthorization& a) {
  for (const auto& wid : a.grant.workspace_ids) {
    auto w = env.store.GetWorkspace(wid);
    if (!w) return Error::BadRequest("workspaces", "workspace " + wid + " not found");
    const bool inside =
        a.enterprise_wide()
            ? (env.store.GetAccount(w->owner_account_id) &&
               env.store.GetAccount(w->owner_account_id)->enterprise_id == a.enterprise_id)
            : w->owner_account_id == a.account_id;
    if (!inside) {
      return Error::BadRequest("workspaces", "workspace " + wid + " is outside the authorization");
    }
  }
  return {};
}

std::string AppAuditDetail(const credentials::OAuthApp& app) {
  return AuditDetail()
      .Add("name", app.name)
      .Add("client_type", credentials::ToString(app.client_type))
      .Add("app_type", credentials::ToString(app.app_type))
      .Add("owner_account_id", app.owner_account_id)
      .Add("owner_user_id", app.owner_user_id)
      .Json();
}

// An authorization into a personal account is "authorized"; into an organization or a whole
// enterprise (the enterprise's app installation page) "installed".
std::string_view AuthorizationAction(const credentials::AppAuthorization& a) {
  return a.enterprise_id.empty() ? "app.authorized" : "app.installed";
}

std::string AuthorizationAuditDetail(const credentials::AppAuthorization& a) {
  return AuditDetail()
      .Add("app_id", a.app_id)
      .Add("kind", credentials::ToString(a.kind))
      .Add("account_id", a.account_id)
      .Add("enterprise_id", a.enterprise_id)
      .Add("account_permissions", a.grant.account_permissions)
      .Add("workspace_permissions", a.grant.workspace_permissions)
      .Add("enterprise_permissions", a.grant.enterprise_permissions)
      .Add("all_workspaces", a.grant.all_workspaces)
      .Add("workspace_ids", a.grant.workspace_ids)
      .Json();
}

Status ValidateNameAndDescription(const std::string& name, const std::string& description) {
  if (name.empty() || name.size() > 100) {
    return Error::BadRequest("name", "name is required (at most 100 characters)");
  }
  if (description.size() > 1000) return Error::BadRequest("description", "description is too long");
  return {};
}

}  // namespace

Result<credentials::OAuthApp> CreateApp(Env& env, const AppSpec& spec) {
  if (auto s = ValidateNameAndDescription(spec.name, spec.description); !s) return s.error();
  if (spec.app_type != credentials::AppType::kNormal && spec.client_type != ClientType::kService) {
    return Error::BadRequest("app_type",
                             "connector and enterprise_privileged apps are service apps");
  }
  if (auto s = ValidateRedirectUris(spec.client_type, spec.redirect_uris); !s) return s.error();
  if (auto s = ValidateOwner(env, spec); !s) return s.error();
  credentials::OAuthApp app;
  auto acc = policy::CanonicalPoints(spec.account_permissions, policy::Level::kAccount,
                                     "account_permissions");
  if (!acc) return acc.error();
  auto ws = policy::CanonicalPoints(spec.workspace_permissions, policy::Level::kWorkspace,
                                    "workspace_permissions");
  if (!ws) return ws.error();
  auto ent = policy::CanonicalPoints(spec.enterprise_permissions, policy::Level::kEnterprise,
                                     "enterprise_permissions");
  if (!ent) return ent.error();
  if (acc->empty() && ws->empty() && ent->empty()) {
    return Error::BadRequest("permissions", "declare at least one permission point");
  }
  app.id = env.ids.Next();
  app.client_id = spec.client_type == ClientType::kService ? app.id : NewClientId(env);
  app.owner_account_id = spec.owner_account_id;
  app.owner_user_id = spec.owner_user_id;
  app.name = spec.name;
  app.description = spec.description;
  app.app_type = spec.app_type;
  app.client_type = spec.client_type;
  app.account_permissions = acc.value();
  app.workspace_permissions = ws.value();
  app.enterprise_permissions = ent.value();
  app.redirect_uris = spec.redirect_uris;
  app.created_at = env.clock.NowSeconds();
  Status created = Audited(
      env, [&] { return env.store.CreateOAuthApp(app); }, "app.created", "app", app.id,
      AppAuditDetail(app));
  if (!created) return created.error();
  return app;
}

Result<credentials::OAuthApp> LiveApp(Env& env, const std::string& app_id) {
  auto app = env.store.GetOAuthApp(app_id);
  if (app && app->status == credentials::AppStatus::kDeleted) {
    return Error::Make(Errc::kNotFound, "app " + app_id + " not found");
  }
  return app;
}

Result<credentials::AppPublicKey> AddPublicKey(Env& env, const std::string& app_id,
                                               const std::string& pem) {
  auto app = LiveApp(env, app_id);
  if (!app) return app.error();
  if (app->client_type != ClientType::kService) {
    return Error::BadRequest("app", "only service apps have public keys");
  }
  auto parsed = oauth::ParsePublicKeyPem(pem);
  if (!parsed) return parsed.error();
  credentials::AppPublicKey key{parsed->fingerprint, app_id, parsed->spki_pem,
                                env.clock.NowSeconds()};
  if (auto s = Audited(
          env, [&] { return env.store.AddAppPublicKey(key); }, "app.key_added", "app", app_id,
          AuditDetail().Add("kid", key.fingerprint).Json());
      !s) {
    if (s.error().code == Errc::kAlreadyExists) {
      return Error::Make(Errc::kAlreadyExists,
                         "public key " + key.fingerprint + " is already registered");
    }
    return s.error();
  }
  return key;
}

Result<GeneratedAppKey> GenerateKeyPair(Env& env, const std::string& app_id) {
  auto app = LiveApp(env, app_id);
  if (!app) return app.error();
  if (app->client_type != ClientType::kService) {
    return Error::BadRequest("app", "only service apps have public keys");
  }
  auto pair = oauth::GenerateRsaKeyPair();
  if (!pair) return pair.error();
  auto key = AddPublicKey(env, app_id, pair->public_pem);
  if (!key) return key.error();
  return GeneratedAppKey{std::move(key.value()), std::move(pair->private_pem)};
}

Result<credentials::OAuthApp> UpdateAppMeta(Env& env, const std::string& app_id,
                                            const AppMetaChange& change) {
  auto app = LiveApp(env, app_id);
  if (!app) return app.error();
  credentials::OAuthApp updated = app.value();
  if (change.name) updated.name = *change.name;
  if (change.description) updated.description = *change.description;
  if (change.redirect_uris) updated.redirect_uris = *change.redirect_uris;
  if (auto s = ValidateNameAndDescription(updated.name, updated.description); !s) {
    return s.error();
  }
  if (change.redirect_uris) {
    if (auto s = ValidateRedirectUris(updated.client_type, updated.redirect_uris); !s) {
      return s.error();
    }
  }
  AuditDetail detail;
  if (change.name) detail.Add("name", updated.name);
  if (change.description) detail.Add("description_changed", true);
  if (change.redirect_uris) detail.Add("redirect_uris", updated.redirect_uris);
  if (auto s = Audited(
          env,
          [&] {
            return env.store.UpdateOAuthAppMeta(app_id, updated.name, updated.description,
                                                updated.redirect_uris);
          },
          "app.updated", "app", app_id, detail.Json());
      !s) {
    return s.error();
  }
  return updated;
}

Status DeleteKey(Env& env, const std::string& app_id, const std::string& kid) {
  if (auto app = LiveApp(env, app_id); !app) return app.error();
  return Audited(
      env, [&] { return env.store.DeleteAppPublicKey(app_id, kid); }, "app.key_deleted", "app",
      app_id, AuditDetail().Add("kid", kid).Json());
}

Status SetAppEnabled(Env& env, const std::string& app_id, bool enabled) {
  if (auto app = LiveApp(env, app_id); !app) return app.error();
  return Audited(
      env,
      [&] {
        return env.store.SetOAuthAppStatus(
            app_id, enabled ? credentials::AppStatus::kActive : credentials::AppStatus::kDisabled);
      },
      enabled ? "app.enabled" : "app.disabled", "app", app_id);
}

Result<credentials::AppAuthorization> AuthorizeApp(Env& env, const AuthorizeSpec& spec) {
  auto app = LiveApp(env, spec.app_id);
  if (!app) return app.error();
  if (auto u = env.store.GetUser(spec.actor_user_id); !u) return u.error();
  const bool obo = spec.kind == credentials::AuthorizationKind::kOboInstall;
  if (obo && app->client_type == ClientType::kService) {
    return Error::BadRequest("kind",
                             "service apps are authorized (AppAuth), not installed for OBO");
  }
  if (!obo && app->client_type != ClientType::kService) {
    return Error::BadRequest("kind",
                             "web, pkce and device apps act for users who consent; "
                             "install them into an enterprise for OBO instead");
  }
  if (obo && spec.enterprise_id.empty()) {
    return Error::BadRequest("enterprise", "OBO installations are into an enterprise");
  }
  credentials::AppAuthorization a;
  a.kind = spec.kind;
  if (auto s = ResolvePlace(env, *app, spec, a); !s) return s.error();
  auto acc = Subset(spec.account_permissions, app->account_permissions, policy::Level::kAccount,
                    "account_permissions");
  if (!acc) return acc.error();
  auto ws = Subset(spec.workspace_permissions, app->workspace_permissions,
                   policy::Level::kWorkspace, "workspace_permissions");
  if (!ws) return ws.error();
  auto ent = Subset(spec.enterprise_permissions, app->enterprise_permissions,
                    policy::Level::kEnterprise, "enterprise_permissions");
  if (!ent) return ent.error();
  a.grant = {acc.value(),
             ws.value(),
             ent.value(),
             spec.all_workspaces,
             spec.all_workspaces ? std::vector<std::string>{} : spec.workspace_ids,
             {}};
  if (!a.grant.all_workspaces && a.grant.workspace_ids.empty() &&
      !a.grant.workspace_permissions.empty()) {
    return Error::BadRequest("workspaces", "workspace-level points need workspaces: all or a list");
  }
  if (auto s = ValidateWorkspaces(env, a); !s) return s.error();
  auto existing = env.store.ListAppAuthorizations(app->id);
  if (!existing) return existing.error();
  a.id = env.ids.Next();
  a.app_id = app->id;
  a.authorized_by = spec.actor_user_id;
  a.created_at = env.clock.NowSeconds();
  Status s = env.store.Transaction([&]() -> Status {
    for (const auto& old : existing.value()) {
      if (!old.Revoked() && old.kind == a.kind && old.account_id == a.account_id &&
          old.enterprise_wide() == a.enterprise_wide() && old.enterprise_id == a.enterprise_id) {
        if (auto r = env.store.RevokeAppAuthorization(old.id, a.created_at); !r) return r;
        // Replaced: its tokens are revoked as by an uninstall.
        if (auto r = Audit(env, "app.uninstalled", "authorization", old.id,
                           AuditDetail().Add("app_id", old.app_id).Add("replaced_by", a.id).Json());
            !r) {
          return r;
        }
      }
    }
    if (auto c = env.store.CreateAppAuthorization(a); !c) return c;
    return Audit(env, AuthorizationAction(a), "authorization", a.id, AuthorizationAuditDetail(a));
  });
  if (!s) return s.error();
  return a;
}

Status RevokeAuthorization(Env& env, const std::string& authorization_id) {
  auto a = env.store.GetAppAuthorization(authorization_id);
  if (!a) return a.error();
  if (a->Revoked())
    return Error::BadRequest("id", "authorization " + authorization_id + " is already revoked");
  return Audited(
      env,
      [&] { return env.store.RevokeAppAuthorization(authorization_id, env.clock.NowSeconds()); },
      "app.uninstalled", "authorization", authorization_id, AuthorizationAuditDetail(a.value()));
}

Status SetAuthorizationEnabled(Env& env, const std::string& authorization_id, bool enabled) {
  auto a = env.store.GetAppAuthorization(authorization_id);
  if (!a) return a.error();
  if (a->Revoked())
    return Error::BadRequest("id", "authorization " + authorization_id + " is revoked");
  if (a->Disabled() != enabled) return {};
  const int64_t at = enabled ? 0 : std::max<int64_t>(1, env.clock.NowSeconds());  // 0 = enabled
  return Audited(
      env, [&] { return env.store.SetAppAuthorizationDisabled(authorization_id, at); },
      enabled ? "app.authorization_enabled" : "app.authorization_disabled", "authorization",
      authorization_id, AuthorizationAuditDetail(a.value()));
}

namespace {

// "abcd****wxyz": enough to tell secrets apart in a list, too little to use.
std::string Mask(const std::string& plaintext) {
  return plaintext.substr(0, 4) + "****" + plaintext.substr(plaintext.size() - 4);
}

}  // namespace

Result<NewClientSecret> CreateClientSecret(Env& env, const std::string& app_id) {
  auto app = LiveApp(env, app_id);
  if (!app) return app.error();
  if (app->client_type != ClientType::kWeb) {
    return Error::BadRequest("app", "only web apps have client secrets");
  }
  auto existing = env.store.ListClientSecrets(app_id);
  if (!existing) return existing.error();
  if (existing->size() >= kMaxClientSecrets) {
    return Error::BadRequest("app", "an app has at most 20 client secrets; delete one first");
  }
  NewClientSecret out;
  out.plaintext = env.random.Alnum(48);
  out.secret = {env.ids.Next(), app_id, Sha256Hex(out.plaintext), Mask(out.plaintext),
                env.clock.NowSeconds()};
  // The audit names the secret by id only: neither plaintext, digest nor mask.
  if (auto s = Audited(
          env, [&] { return env.store.CreateClientSecret(out.secret); }, "app.secret_created",
          "app", app_id, AuditDetail().Add("secret_id", out.secret.id).Json());
      !s) {
    return s.error();
  }
  return out;
}

Status DeleteClientSecret(Env& env, const std::string& app_id, const std::string& secret_id) {
  if (auto app = LiveApp(env, app_id); !app) return app.error();
  return Audited(
      env, [&] { return env.store.DeleteClientSecret(app_id, secret_id); }, "app.secret_deleted",
      "app", app_id, AuditDetail().Add("secret_id", secret_id).Json());
}

Result<std::vector<credentials::OboGrant>> ListUserConsents(Env& env, const std::string& user_id) {
  std::vector<std::string> app_ids;
  auto add_apps_of = [&](const std::string& account_id) -> Status {
    auto apps = env.store.ListOAuthAppsOfAccount(account_id);
    if (!apps) return apps.error();
    for (const auto& a : apps.value()) app_ids.push_back(a.id);
    return {};
  };
  if (auto s = add_apps_of(user_id); !s) return s.error();
  auto enterprises = env.store.ListEnterprisesOfUser(user_id);
  if (!enterprises) return enterprises.error();
  for (const auto& e : enterprises.value()) {
    auto orgs = env.store.ListOrganizations(e.id);
    if (!orgs) return orgs.error();
    for (const auto& o : orgs.value()) {
      if (auto s = add_apps_of(o.id); !s) return s.error();
    }
    auto installed = env.store.ListAuthorizationsInEnterprise(e.id);
    if (!installed) return installed.error();
    for (const auto& a : installed.value()) app_ids.push_back(a.app_id);
  }
  std::sort(app_ids.begin(), app_ids.end());
  app_ids.erase(std::unique(app_ids.begin(), app_ids.end()), app_ids.end());
  std::vector<credentials::OboGrant> out;
  for (const auto& id : app_ids) {
    auto grants = env.store.ListOboGrantsOfApp(id);
    if (!grants) return grants.error();
    for (auto& g : grants.value()) {
      if (g.user_id == user_id && !g.Revoked()) out.push_back(std::move(g));
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.created_at < b.created_at; });
  return out;
}

Status RevokeUserConsent(Env& env, const std::string& user_id, const std::string& grant_id) {
  auto g = env.store.GetOboGrant(grant_id);
  if (!g && g.error().code != Errc::kNotFound) return g.error();
  if (!g || g->user_id != user_id || g->Revoked()) {
    return Error::Make(Errc::kNotFound, "authorization " + grant_id + " not found");
  }
  return Audited(
      env, [&] { return env.store.RevokeOboGrant(grant_id, env.clock.NowSeconds()); },
      "app.consent_revoked", "authorization", grant_id,
      AuditDetail().Add("app_id", g->app_id).Add("user_id", user_id).Json());
}

Status DeleteApp(Env& env, const std::string& app_id) {
  auto app = LiveApp(env, app_id);
  if (!app) return app.error();
  auto authorizations = env.store.ListAppAuthorizations(app_id);
  if (!authorizations) return authorizations.error();
  auto grants = env.store.ListOboGrantsOfApp(app_id);
  if (!grants) return grants.error();
  const int64_t now = env.clock.NowSeconds();
  return env.store.Transaction([&]() -> Status {
    for (const auto& a : authorizations.value()) {
      if (a.Revoked()) continue;
      if (auto s = env.store.RevokeAppAuthorization(a.id, now); !s) return s;
    }
    for (const auto& g : grants.value()) {
      if (g.Revoked()) continue;
      if (auto s = env.store.RevokeOboGrant(g.id, now); !s) return s;
    }
    if (auto d = env.store.SetOAuthAppStatus(app_id, credentials::AppStatus::kDeleted); !d) {
      return d;
    }
    return Audit(env, "app.deleted", "app", app_id, AppAuditDetail(app.value()));
  });
}

}  // namespace cozeauth::admin
