// Console self-service for OAuth apps at Coze's paths (coze-platform.md §5.2–§5.4,
// coze-protocol.md §5.3): app metadata, client secrets, public keys, AppAuth authorizations,
// OBO installations into enterprises and the enterprise's 应用安装管理 list. Every write goes
// through admin/oauth_apps.hpp (which validates and writes nothing on error) and then drops the
// authenticator's cache so the change applies to the next request.
//
// Who may act: the apps of the user's personal account are theirs; the apps of an organization
// are managed by its super_admins/admins (or those of its enterprise). Any other app answers
// 4200 exactly like an unknown one, so the console never reveals that it exists. An enterprise
// admin may also revoke (uninstall) what is authorized in their enterprise, since they see it
// in list_app_installations anyway.

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <unordered_set>

#include "admin/oauth_apps.hpp"
#include "api/json_input.hpp"
#include "console/routes.hpp"
#include "console/session.hpp"

namespace cozeauth::api {
namespace json = boost::json;
namespace {

using credentials::AppAuthorization;
using credentials::AuthorizationKind;
using credentials::ClientType;
using credentials::OAuthApp;

json::array Strings(const std::vector<std::string>& v) { return json::array(v.begin(), v.end()); }

// --- wire shapes

json::object AppMeta(const OAuthApp& a) {
  return {{"appid", a.id},
          {"app_owner_id", a.owner_user_id},
          {"organization_id", a.owner_account_id == a.owner_user_id ? "" : a.owner_account_id},
          {"name", a.name},
          {"description", a.description},
          {"created_at", a.created_at},
          {"client_id", a.client_id},
          {"app_type", credentials::ToString(a.app_type)},
          {"client_type", credentials::ToString(a.client_type)},
          {"status", a.status == credentials::AppStatus::kActive ? "Active" : "Deactive"},
          {"declared_permission",
           {{"account_permission", Strings(a.account_permissions)},
            {"workspace_permission", Strings(a.workspace_permissions)},
            {"enterprise_permission", Strings(a.enterprise_permissions)}}}};
}

json::array PermissionList(const credentials::Grant& g) {
  json::array out = Strings(g.account_permissions);
  for (const auto* v : {&g.workspace_permissions, &g.enterprise_permissions}) {
    for (const auto& p : *v) out.emplace_back(p);
  }
  return out;
}

std::string_view InstallationStatus(const AppAuthorization& a) {
  return a.kind == AuthorizationKind::kAppAuth ? "approved_app_auth" : "approved_app_obo";
}

json::object AuthorizationObject(const AppAuthorization& a) {
  return {
      {"authorization_id", a.id},
      {"appid", a.app_id},
      {"authorization_type", a.kind == AuthorizationKind::kAppAuth ? "AuthApp" : "OnBehalfOfUser"},
      {"installation_status", InstallationStatus(a)},
      {"account_id", a.account_id},
      {"enterprise_id", a.enterprise_id},
      {"enterprise_wide", a.enterprise_wide()},
      {"permission_list", PermissionList(a.grant)},
      {"authorized_by", a.authorized_by},
      {"created_at", a.created_at},
      {"status", a.Disabled() ? "Deactive" : "Active"},
      {"disabled_at", a.disabled_at}};
}

// --- input

// web|pkce|device|service, Coze's IDL names (WebBackend|SinglePageOrNative|Terminal|Service)
// and the SDK config's "jwt".
std::optional<ClientType> ParseWireClientType(std::string_view s) {
  if (auto t = credentials::ParseClientType(s)) return t;
  if (s == "WebBackend") return ClientType::kWeb;
  if (s == "SinglePageOrNative") return ClientType::kPkce;
  if (s == "Terminal") return ClientType::kDevice;
  if (s == "Service" || s == "jwt") return ClientType::kService;
  return std::nullopt;
}

// An optional list of points inside declared_permission, named by its full path in errors.
Result<std::vector<std::string>> DeclaredList(const json::object& declared, std::string_view key) {
  auto list = OptStringList(declared, key);
  const std::string field = "declared_permission." + std::string(key);
  if (!list) return Error::BadRequest(field, field + " must be an array of strings");
  return list.value().value_or(std::vector<std::string>{});
}

// admin's field names → the request's; a refusal because of who asks ("by", "owner") is 4101.
Error WireAppError(Error e) {
  if (e.code != Errc::kBadRequest) return e;
  if (e.field == "by" || e.field == "owner") return Error::Make(Errc::kPermissionDenied, e.message);
  static constexpr std::pair<std::string_view, std::string_view> kRenames[] = {
      {"owner_account", "organization_id"},
      {"account", "organization_id"},
      {"enterprise", "enterprise_id"},
      {"redirect_uri", "redirect_uris"},
      {"account_permissions", "declared_permission.account_permission"},
      {"workspace_permissions", "declared_permission.workspace_permission"},
      {"enterprise_permissions", "declared_permission.enterprise_permission"},
      {"permissions", "declared_permission"},
      {"public_key", "public_key_pem"},
      {"app", "appid"},
      {"kind", "appid"},
      {"id", "authorization_id"},
  };
  for (const auto& [from, to] : kRenames) {
    if (e.field == from) {
      e.field = std::string(to);
      break;
    }
  }
  return e;
}

// --- who may act

bool IsEnterpriseAdmin(ConsoleCall& c, const std::string& enterprise_id) {
  auto role = c.deps.store.GetEnterpriseRole(enterprise_id, c.user.id);
  return role && role.value() && domain::IsAdmin(*role.value());
}

// Super_admin/admin of the organization or of its enterprise.
bool AdministersOrg(ConsoleCall& c, const domain::Account& org) {
  if (org.kind != domain::AccountKind::kOrganization) return false;
  auto role = c.deps.store.GetOrgRole(org.id, c.user.id);
  if (role && role.value() && domain::IsAdmin(*role.value())) return true;
  return IsEnterpriseAdmin(c, org.enterprise_id);
}

// The organization named by `organization_id`, which the user must administer: unknown or not
// an organization → 4000 naming the field; not an admin of it → 4101.
Result<domain::Account> AdministeredOrg(ConsoleCall& c, const std::string& id) {
  auto org = c.deps.store.GetAccount(id);
  if (!org || org->kind != domain::AccountKind::kOrganization) {
    return Error::BadRequest("organization_id", "organization " + id + " not found");
  }
  if (!AdministersOrg(c, *org)) {
    return Error::Make(Errc::kPermissionDenied,
                       "only a super_admin or admin manages the apps of organization " + id);
  }
  return org;
}

Error NotEnterpriseAdmin(const std::string& enterprise_id) {
  return Error::Make(Errc::kPermissionDenied, "only a super_admin or admin of enterprise " +
                                                  enterprise_id + " manages its apps");
}

// An unknown enterprise answers the same as one the user does not administer.
Status RequireEnterpriseAdmin(ConsoleCall& c, const std::string& enterprise_id) {
  if (!IsEnterpriseAdmin(c, enterprise_id)) return NotEnterpriseAdmin(enterprise_id);
  return {};
}

bool Manages(ConsoleCall& c, const OAuthApp& app) {
  if (app.owner_account_id == c.user.id) return true;  // the personal account's id = user id
  auto account = c.deps.store.GetAccount(app.owner_account_id);
  return account && AdministersOrg(c, *account);
}

Error AppNotFound(const std::string& id) {
  return Error::Make(Errc::kNotFound, "app " + id + " not found");
}

// A live app the user manages; anything else → 4200 (never revealing another user's app).
Result<OAuthApp> ManagedApp(ConsoleCall& c, const std::string& id) {
  auto env = c.Env();
  auto app = admin::LiveApp(env, id);
  if (!app && app.error().code != Errc::kNotFound) return app.error();
  if (!app || !Manages(c, *app)) return AppNotFound(id);
  return app;
}

// The body and the live app its `appid` names.
struct AppCall {
  json::object body;
  OAuthApp app;
};
Result<AppCall> ReadAnyAppCall(ConsoleCall& c) {
  auto body = JsonBody(c.req);
  if (!body) return body.error();
  auto id = RequiredId(*body, "appid");
  if (!id) return id.error();
  auto env = c.Env();
  auto app = admin::LiveApp(env, *id);
  if (!app && app.error().code != Errc::kNotFound) return app.error();
  if (!app) return AppNotFound(*id);
  return AppCall{std::move(body.value()), std::move(app.value())};
}

// Same, for an app the user manages; anything else → 4200 (never revealing another user's app).
Result<AppCall> ReadAppCall(ConsoleCall& c) {
  auto call = ReadAnyAppCall(c);
  if (call && !Manages(c, call->app)) return AppNotFound(call->app.id);
  return call;
}

// Ends a successful write. Writes that change a decision bump the store's auth epoch, which
// drops the authenticator's cache at once (Store::OnAuthEpochBump): nothing to do here.
http::Response Written(ConsoleCall& c, json::object data) { return c.Ok(std::move(data)); }

// --- app metadata

http::Response CreateAppMeta(ConsoleCall& c) {
  auto body = JsonBody(c.req);
  if (!body) return c.Fail(body.error());
  auto name = ReqString(*body, "name");
  if (!name) return c.Fail(name.error());
  auto description = OptString(*body, "description");
  if (!description) return c.Fail(description.error());
  auto client_type_name = ReqString(*body, "client_type");
  if (!client_type_name) return c.Fail(client_type_name.error());
  auto client_type = ParseWireClientType(*client_type_name);
  if (!client_type) {
    return c.Fail(
        Error::BadRequest("client_type",
                          "client_type must be web, pkce, device or service (or WebBackend, "
                          "SinglePageOrNative, Terminal, Service), not '" +
                              client_type_name->substr(0, 50) + "'"));
  }
  auto app_type_name = OptString(*body, "app_type");
  if (!app_type_name) return c.Fail(app_type_name.error());
  auto app_type = credentials::AppType::kNormal;
  if (app_type_name.value() && !app_type_name.value()->empty()) {
    std::string lower = *app_type_name.value();
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    auto parsed = credentials::ParseAppType(lower);
    if (!parsed) {
      return c.Fail(Error::BadRequest(
          "app_type", "app_type must be normal, connector or enterprise_privileged"));
    }
    app_type = *parsed;
  }
  auto redirect_uris = OptStringList(*body, "redirect_uris");
  if (!redirect_uris) return c.Fail(redirect_uris.error());
  auto declared = OptObject(*body, "declared_permission");
  if (!declared) return c.Fail(declared.error());
  const json::object points = declared.value().value_or(json::object{});
  auto account = DeclaredList(points, "account_permission");
  if (!account) return c.Fail(account.error());
  auto workspace = DeclaredList(points, "workspace_permission");
  if (!workspace) return c.Fail(workspace.error());
  auto enterprise = DeclaredList(points, "enterprise_permission");
  if (!enterprise) return c.Fail(enterprise.error());
  auto org = OptId(*body, "organization_id");
  if (!org) return c.Fail(org.error());
  if (org.value()) {
    if (auto o = AdministeredOrg(c, *org.value()); !o) return c.Fail(o.error());
  }

  admin::AppSpec spec;
  spec.owner_account_id = org.value().value_or(c.user.id);
  spec.owner_user_id = c.user.id;
  spec.name = std::move(name.value());
  spec.description = description.value().value_or("");
  spec.app_type = app_type;
  spec.client_type = *client_type;
  spec.redirect_uris = redirect_uris.value().value_or(std::vector<std::string>{});
  spec.account_permissions = std::move(account.value());
  spec.workspace_permissions = std::move(workspace.value());
  spec.enterprise_permissions = std::move(enterprise.value());
  auto env = c.Env();
  auto app = admin::CreateApp(env, spec);
  if (!app) return c.Fail(WireAppError(app.error()));
  return c.Ok(json::object{{"app", AppMeta(*app)}});
}

http::Response ListAppMeta(ConsoleCall& c) {
  auto org = QueryId(c.req, "organization_id");
  if (!org) return c.Fail(org.error());
  if (org.value()) {
    if (auto o = AdministeredOrg(c, *org.value()); !o) return c.Fail(o.error());
  }
  auto apps = c.deps.store.ListOAuthAppsOfAccount(org.value().value_or(c.user.id));
  if (!apps) return c.Fail(apps.error());
  std::stable_sort(apps->begin(), apps->end(),
                   [](const auto& a, const auto& b) { return a.created_at > b.created_at; });
  json::array items;
  for (const auto& a : apps.value()) items.emplace_back(AppMeta(a));
  const auto total = static_cast<int64_t>(items.size());
  return c.Ok(json::object{{"apps", std::move(items)}, {"total", total}});
}

http::Response GetAppMeta(ConsoleCall& c) {
  auto id = RequiredQueryId(c.req, "appid");
  if (!id) return c.Fail(id.error());
  auto app = ManagedApp(c, *id);
  if (!app) return c.Fail(app.error());
  auto keys = c.deps.store.ListAppPublicKeys(app->id);
  if (!keys) return c.Fail(keys.error());
  auto secrets = c.deps.store.ListClientSecrets(app->id);
  if (!secrets) return c.Fail(secrets.error());
  json::object meta = AppMeta(*app);
  json::array k, s;
  for (const auto& key : keys.value()) {
    k.push_back(json::object{{"fingerprint", key.fingerprint}, {"created_at", key.created_at}});
  }
  for (const auto& secret : secrets.value()) {
    s.push_back(
        json::object{{"id", secret.id}, {"mask", secret.mask}, {"created_at", secret.created_at}});
  }
  meta["public_keys"] = std::move(k);
  meta["client_secrets"] = std::move(s);
  meta["redirect_uris"] = Strings(app->redirect_uris);
  return c.Ok(json::object{{"app", std::move(meta)}});
}

// Changes status (Active|Deactive), name, description and redirect_uris — each optional, at
// least one given — without recreating the app (its authorizations and tokens stay). Types,
// points and ids never change. The metadata is validated by admin::UpdateAppMeta (the same
// redirect URI rule as creation) before anything is written.
http::Response UpdateAppMeta(ConsoleCall& c) {
  auto call = ReadAppCall(c);
  if (!call) return c.Fail(call.error());
  static constexpr std::string_view kEditable[] = {"appid", "status", "name", "description",
                                                   "redirect_uris"};
  for (const auto& kv : call->body) {
    if (std::find(std::begin(kEditable), std::end(kEditable), kv.key()) == std::end(kEditable)) {
      const std::string field(kv.key());
      return c.Fail(Error::BadRequest(field, field +
                                                 " cannot be changed; update_app_meta changes "
                                                 "status, name, description and redirect_uris"));
    }
  }
  if (call->body.size() < 2) {
    return c.Fail(
        Error::BadRequest("status", "give status, name, description or redirect_uris to change"));
  }
  auto status = OptString(call->body, "status");
  if (!status) return c.Fail(status.error());
  if (status.value() && *status.value() != "Active" && *status.value() != "Deactive") {
    return c.Fail(Error::BadRequest("status", "status must be Active or Deactive"));
  }
  admin::AppMetaChange change;
  auto name = OptString(call->body, "name");
  if (!name) return c.Fail(name.error());
  change.name = std::move(name.value());
  auto description = OptString(call->body, "description");
  if (!description) return c.Fail(description.error());
  change.description = std::move(description.value());
  auto redirect_uris = OptStringList(call->body, "redirect_uris");
  if (!redirect_uris) return c.Fail(redirect_uris.error());
  change.redirect_uris = std::move(redirect_uris.value());
  auto env = c.Env();
  if (change.name || change.description || change.redirect_uris) {
    if (auto u = admin::UpdateAppMeta(env, call->app.id, change); !u) {
      return c.Fail(WireAppError(u.error()));
    }
  }
  if (status.value()) {
    if (auto s = admin::SetAppEnabled(env, call->app.id, *status.value() == "Active"); !s) {
      return c.Fail(WireAppError(s.error()));
    }
  }
  auto app = admin::LiveApp(env, call->app.id);
  if (!app) return c.Fail(app.error());
  json::object meta = AppMeta(*app);
  meta["redirect_uris"] = Strings(app->redirect_uris);
  return Written(c, json::object{{"app", std::move(meta)}});
}

http::Response DeleteApp(ConsoleCall& c) {
  auto call = ReadAppCall(c);
  if (!call) return c.Fail(call.error());
  auto env = c.Env();
  if (auto s = admin::DeleteApp(env, call->app.id); !s) return c.Fail(WireAppError(s.error()));
  return Written(c, json::object{});
}

// --- client secrets, public keys

http::Response CreateClientSecret(ConsoleCall& c) {
  auto call = ReadAppCall(c);
  if (!call) return c.Fail(call.error());
  auto env = c.Env();
  auto created = admin::CreateClientSecret(env, call->app.id);
  if (!created) return c.Fail(WireAppError(created.error()));
  const auto& s = created->secret;
  // The plaintext is in this response only; the store keeps its SHA-256.
  return c.Ok(json::object{{"client_secret",
                            {{"id", s.id},
                             {"mask", s.mask},
                             {"plaintext", created->plaintext},
                             {"created_at", s.created_at}}}});
}

http::Response DeleteClientSecret(ConsoleCall& c) {
  auto call = ReadAppCall(c);
  if (!call) return c.Fail(call.error());
  auto id = RequiredId(call->body, "id");
  if (!id) return c.Fail(id.error());
  auto env = c.Env();
  if (auto s = admin::DeleteClientSecret(env, call->app.id, *id); !s) {
    return c.Fail(WireAppError(s.error()));
  }
  return Written(c, json::object{});
}

http::Response UploadPublicKey(ConsoleCall& c) {
  auto call = ReadAppCall(c);
  if (!call) return c.Fail(call.error());
  auto pem = ReqString(call->body, "public_key_pem");
  if (!pem) return c.Fail(pem.error());
  auto env = c.Env();
  auto key = admin::AddPublicKey(env, call->app.id, *pem);
  if (!key) return c.Fail(WireAppError(key.error()));
  return Written(c,
                 json::object{{"fingerprint", key->fingerprint}, {"created_at", key->created_at}});
}

// Generates a key pair on the server: the public half is registered (as upload_public_key), the
// private half is in this response only and never stored.
http::Response GenerateKeyPair(ConsoleCall& c) {
  auto call = ReadAppCall(c);
  if (!call) return c.Fail(call.error());
  if (call->body.size() != 1) {
    return c.Fail(Error::BadRequest("appid", "generate_key_pair takes only appid"));
  }
  auto env = c.Env();
  auto generated = admin::GenerateKeyPair(env, call->app.id);
  if (!generated) return c.Fail(WireAppError(generated.error()));
  return c.Ok(json::object{{"fingerprint", generated->key.fingerprint},
                           {"created_at", generated->key.created_at},
                           {"public_key_pem", generated->key.public_key_pem},
                           {"private_key_pem", generated->private_pem}});
}

http::Response DeletePublicKey(ConsoleCall& c) {
  auto call = ReadAppCall(c);
  if (!call) return c.Fail(call.error());
  auto fingerprint = ReqString(call->body, "fingerprint");
  if (!fingerprint) return c.Fail(fingerprint.error());
  auto env = c.Env();
  if (auto s = admin::DeleteKey(env, call->app.id, *fingerprint); !s) {
    return c.Fail(WireAppError(s.error()));
  }
  return Written(c, json::object{});
}

// --- authorizations and installations

Result<AppAuthorization> RunAuthorize(ConsoleCall& c, admin::AuthorizeSpec spec) {
  spec.actor_user_id = c.user.id;
  auto env = c.Env();
  auto a = admin::AuthorizeApp(env, spec);
  if (!a) return WireAppError(a.error());
  return a;
}

// AppAuth with every declared point, into the user's personal account, an organization they
// administer or (enterprise_id) enterprise-wide.
http::Response AuthorizeWithDeclaredPermission(ConsoleCall& c) {
  auto call = ReadAppCall(c);
  if (!call) return c.Fail(call.error());
  auto org = OptId(call->body, "organization_id");
  if (!org) return c.Fail(org.error());
  auto enterprise = OptEnterpriseId(call->body);
  if (!enterprise) return c.Fail(enterprise.error());
  if (org.value() && enterprise.value()) {
    return c.Fail(Error::BadRequest("organization_id",
                                    "give at most one of organization_id and enterprise_id"));
  }
  admin::AuthorizeSpec spec;
  spec.app_id = call->app.id;
  spec.kind = AuthorizationKind::kAppAuth;
  if (enterprise.value()) {
    if (auto s = RequireEnterpriseAdmin(c, *enterprise.value()); !s) return c.Fail(s.error());
    spec.enterprise_id = *enterprise.value();
  } else if (org.value()) {
    if (auto o = AdministeredOrg(c, *org.value()); !o) return c.Fail(o.error());
    spec.account_id = *org.value();
  } else {
    spec.account_id = c.user.id;
  }
  auto a = RunAuthorize(c, std::move(spec));
  if (!a) return c.Fail(a.error());
  return c.Ok(json::object{{"authorization", AuthorizationObject(*a)}});
}

http::Response InstallAppObo(ConsoleCall& c) {
  auto call = ReadAppCall(c);
  if (!call) return c.Fail(call.error());
  auto enterprise = RequiredEnterpriseId(call->body);
  if (!enterprise) return c.Fail(enterprise.error());
  if (auto s = RequireEnterpriseAdmin(c, *enterprise); !s) return c.Fail(s.error());
  admin::AuthorizeSpec spec;
  spec.app_id = call->app.id;
  spec.kind = AuthorizationKind::kOboInstall;
  spec.enterprise_id = *enterprise;
  auto a = RunAuthorize(c, std::move(spec));
  if (!a) return c.Fail(a.error());
  return c.Ok(json::object{{"authorization", AuthorizationObject(*a)}});
}

// Whether the user administers the place an authorization is in.
bool AdministersPlace(ConsoleCall& c, const AppAuthorization& a) {
  if (a.enterprise_wide()) return IsEnterpriseAdmin(c, a.enterprise_id);
  if (a.account_id == c.user.id) return true;
  auto account = c.deps.store.GetAccount(a.account_id);
  return account && AdministersOrg(c, *account);
}

http::Response Revoke(ConsoleCall& c, const AppAuthorization& a) {
  auto env = c.Env();
  if (auto s = admin::RevokeAuthorization(env, a.id); !s) return c.Fail(WireAppError(s.error()));
  return Written(c, json::object{});
}

// For an app the user does not manage, every refusal is the unknown app's 4200.
Error Hidden(bool manages, const OAuthApp& app, Error e) {
  return manages ? std::move(e) : AppNotFound(app.id);
}

// The authorization the body names (authorization_id) of the body's app (appid), for a caller
// who may act on it: the app's managers and the admins of the place it is in. For anyone else
// every refusal is the unknown app's 4200.
struct AuthorizationCall {
  AppCall call;
  bool administers = false;  // of the place the authorization is in
  AppAuthorization authorization;
};
Result<AuthorizationCall> ReadAuthorizationCall(ConsoleCall& c) {
  auto call = ReadAnyAppCall(c);
  if (!call) return call.error();
  const OAuthApp& app = call->app;
  const bool manages = Manages(c, app);
  auto id = RequiredId(call->body, "authorization_id");
  if (!id) return Hidden(manages, app, id.error());
  auto a = c.deps.store.GetAppAuthorization(*id);
  if (!a && a.error().code != Errc::kNotFound) return a.error();
  const bool administers = a && AdministersPlace(c, *a);
  if (!a || a->app_id != app.id || (!manages && !administers)) {
    return Hidden(manages, app,
                  Error::Make(Errc::kNotFound, "authorization " + *id + " not found"));
  }
  return AuthorizationCall{std::move(call.value()), administers, std::move(a.value())};
}

http::Response RevokeAuthorizedPermission(ConsoleCall& c) {
  auto r = ReadAuthorizationCall(c);
  if (!r) return c.Fail(r.error());
  return Revoke(c, r->authorization);
}

// Disables (status Deactive) or enables (Active) an authorization or installation. Only whoever
// administers its place may: the enterprise's admins, the organization's, the personal account's
// owner — not the app's owner elsewhere, who disables the whole app instead.
http::Response UpdateAuthorizationStatus(ConsoleCall& c) {
  auto r = ReadAuthorizationCall(c);
  if (!r) return c.Fail(r.error());
  const AppAuthorization& a = r->authorization;
  if (a.Revoked()) {
    return c.Fail(Error::Make(Errc::kNotFound, "authorization " + a.id + " not found"));
  }
  // From here on the caller may see the authorization: its errors are its own.
  auto status = OptString(r->call.body, "status");
  if (!status) return c.Fail(status.error());
  if (!status.value() || (*status.value() != "Active" && *status.value() != "Deactive")) {
    return c.Fail(Error::BadRequest("status", "status must be Active or Deactive"));
  }
  if (!r->administers) {
    return c.Fail(Error::Make(Errc::kPermissionDenied,
                              "only an administrator of the place it is authorized in may "
                              "disable or enable it; disable the app itself instead"));
  }
  auto env = c.Env();
  if (auto s = admin::SetAuthorizationEnabled(env, a.id, *status.value() == "Active"); !s) {
    return c.Fail(WireAppError(s.error()));
  }
  auto updated = c.deps.store.GetAppAuthorization(a.id);
  if (!updated) return c.Fail(updated.error());
  return Written(c, json::object{{"authorization", AuthorizationObject(*updated)}});
}

http::Response UninstallAppObo(ConsoleCall& c) {
  auto call = ReadAnyAppCall(c);
  if (!call) return c.Fail(call.error());
  const OAuthApp& app = call->app;
  const bool manages = Manages(c, app);
  auto enterprise = OptEnterpriseId(call->body);
  if (!enterprise) return c.Fail(Hidden(manages, app, enterprise.error()));
  if (!enterprise.value()) {
    return c.Fail(
        Hidden(manages, app, Error::BadRequest("enterprise_id", "enterprise_id is required")));
  }
  const std::string& ent = *enterprise.value();
  // Enterprise admins uninstall; another user's app they see only when it is installed there.
  if (!IsEnterpriseAdmin(c, ent)) return c.Fail(Hidden(manages, app, NotEnterpriseAdmin(ent)));
  auto list = c.deps.store.ListAppAuthorizations(app.id);
  if (!list) return c.Fail(list.error());
  for (const auto& a : list.value()) {
    if (!a.Revoked() && a.kind == AuthorizationKind::kOboInstall && a.enterprise_wide() &&
        a.enterprise_id == ent) {
      return Revoke(c, a);
    }
  }
  return c.Fail(Hidden(
      manages, app,
      Error::Make(Errc::kNotFound, "app " + app.id + " is not installed in enterprise " + ent)));
}

// Live authorizations and installations the user made: of their personal apps, and in every
// enterprise they belong to.
http::Response ListAuthorizedApps(ConsoleCall& c) {
  std::vector<AppAuthorization> found;
  auto apps = c.deps.store.ListOAuthAppsOfAccount(c.user.id);
  if (!apps) return c.Fail(apps.error());
  for (const auto& app : apps.value()) {
    auto list = c.deps.store.ListAppAuthorizations(app.id);
    if (!list) return c.Fail(list.error());
    found.insert(found.end(), list->begin(), list->end());
  }
  auto enterprises = c.deps.store.ListEnterprisesOfUser(c.user.id);
  if (!enterprises) return c.Fail(enterprises.error());
  for (const auto& e : enterprises.value()) {
    auto list = c.deps.store.ListAuthorizationsInEnterprise(e.id);
    if (!list) return c.Fail(list.error());
    found.insert(found.end(), list->begin(), list->end());
  }
  std::unordered_set<std::string> seen;
  json::array items;
  for (const auto& a : found) {
    if (a.Revoked() || a.authorized_by != c.user.id || !seen.insert(a.id).second) continue;
    auto app = c.deps.store.GetOAuthApp(a.app_id);
    json::object item = AuthorizationObject(a);
    item["app_name"] = app ? app->name : "";
    item["client_type"] = app ? credentials::ToString(app->client_type) : "";
    items.push_back(std::move(item));
  }
  const auto total = static_cast<int64_t>(items.size());
  return c.Ok(json::object{{"authorizations", std::move(items)}, {"total", total}});
}

// The user's own OBO consents: the apps they authorized to act for them (on the consent page or
// a device), where, with which points.
http::Response ListMyOboAuthorizations(ConsoleCall& c) {
  auto env = c.Env();
  auto grants = admin::ListUserConsents(env, c.user.id);
  if (!grants) return c.Fail(grants.error());
  json::array items;
  for (const auto& g : grants.value()) {
    auto app = c.deps.store.GetOAuthApp(g.app_id);
    items.push_back(
        json::object{{"authorization_id", g.id},
                     {"appid", g.app_id},
                     {"app_name", app ? app->name : ""},
                     {"client_type", app ? credentials::ToString(app->client_type) : ""},
                     {"context_kind", credentials::ToString(g.context.kind)},
                     {"account_id", g.context.account_id},
                     {"enterprise_id", g.context.enterprise_id},
                     {"permission_list", PermissionList(g.grant)},
                     {"created_at", g.created_at}});
  }
  const auto total = static_cast<int64_t>(items.size());
  return c.Ok(json::object{{"authorizations", std::move(items)}, {"total", total}});
}

http::Response RevokeMyOboAuthorization(ConsoleCall& c) {
  auto body = JsonBody(c.req);
  if (!body) return c.Fail(body.error());
  auto id = RequiredId(*body, "authorization_id");
  if (!id) return c.Fail(id.error());
  auto env = c.Env();
  if (auto s = admin::RevokeUserConsent(env, c.user.id, *id); !s) return c.Fail(s.error());
  return Written(c, json::object{});
}

// 应用安装管理: every live AppAuth and OBO installation in the enterprise (admins only).
http::Response ListAppInstallations(ConsoleCall& c) {
  auto enterprise = EnterpriseIdValue(c.req.Query("enterprise_id"));
  if (!enterprise) return c.Fail(enterprise.error());
  if (!enterprise.value())
    return c.Fail(Error::BadRequest("enterprise_id", "enterprise_id is required"));
  if (auto s = RequireEnterpriseAdmin(c, *enterprise.value()); !s) return c.Fail(s.error());
  auto list = c.deps.store.ListAuthorizationsInEnterprise(*enterprise.value());
  if (!list) return c.Fail(list.error());
  json::array items;
  for (const auto& a : list.value()) {
    auto app = c.deps.store.GetOAuthApp(a.app_id);
    if (!app) continue;
    auto owner = c.deps.store.GetUser(app->owner_user_id);
    items.push_back(json::object{
        {"app_owner", {{"user_id", app->owner_user_id}, {"name", owner ? owner->name : ""}}},
        {"app_id", app->id},
        {"app_name", app->name},
        {"client_type", credentials::ToString(app->client_type)},
        {"permission_list", PermissionList(a.grant)},
        {"installation_status", InstallationStatus(a)},
        {"status", a.Disabled() ? "Deactive" : "Active"},
        {"disabled_at", a.disabled_at},
        {"authorization_id", a.id},
        {"account_id", a.account_id},
        {"enterprise_wide", a.enterprise_wide()},
        {"created_at", a.created_at}});
  }
  const auto total = static_cast<int64_t>(items.size());
  return c.Ok(json::object{{"installations", std::move(items)}, {"total", total}});
}

}  // namespace

void RegisterConsoleAppRoutes(http::Router& router, Deps& deps) {
  using V = http::Verb;
  const std::string app = "/api/permission_api/app/";
  auto add = [&](V verb, const char* name, http::Response (*fn)(ConsoleCall&)) {
    AddConsoleRoute(router, deps, verb, app + name, fn);
  };
  add(V::post, "create_app_meta", CreateAppMeta);
  add(V::get, "list_app_meta", ListAppMeta);
  add(V::get, "get_app_meta", GetAppMeta);
  add(V::post, "update_app_meta", UpdateAppMeta);
  add(V::post, "delete_app", DeleteApp);
  add(V::post, "create_client_secret", CreateClientSecret);
  add(V::post, "delete_client_secret", DeleteClientSecret);
  add(V::post, "upload_public_key", UploadPublicKey);
  add(V::post, "generate_key_pair", GenerateKeyPair);
  add(V::post, "delete_public_key", DeletePublicKey);
  add(V::post, "authorize_app_with_declared_permission", AuthorizeWithDeclaredPermission);
  add(V::post, "revoke_app_authorized_permission", RevokeAuthorizedPermission);
  add(V::post, "update_authorization_status", UpdateAuthorizationStatus);
  add(V::get, "list_authorized_apps", ListAuthorizedApps);
  add(V::get, "list_my_obo_authorizations", ListMyOboAuthorizations);
  add(V::post, "revoke_my_obo_authorization", RevokeMyOboAuthorization);
  add(V::post, "install_app_obo", InstallAppObo);
  add(V::post, "uninstall_app_obo", UninstallAppObo);
  add(V::get, "list_app_installations", ListAppInstallations);
}

}  // namespace cozeauth::api
