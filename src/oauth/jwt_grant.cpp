#include "oauth/jwt_grant.hpp"

#include <algorithm>
#include <memory>

#include "base/checked.hpp"
#include "oauth/errors.hpp"
#include "oauth/jwt_bearer.hpp"
#include "policy/catalogue.hpp"

namespace cozeauth::oauth {
namespace {

using credentials::AppAuthorization;
using credentials::ContextKind;

// Names in `allowed` (canonicalised through the catalogue) that are also in `have`.
std::vector<std::string> Intersect(const std::vector<std::string>& have,
                                   const std::vector<std::string>& allowed) {
  std::vector<std::string> canonical;
  for (const auto& name : allowed) {
    const policy::PermissionPoint* p = policy::FindPoint(name);
    canonical.push_back(p ? std::string(p->name) : name);
  }
  std::vector<std::string> out;
  for (const auto& h : have) {
    if (std::find(canonical.begin(), canonical.end(), h) != canonical.end()) out.push_back(h);
  }
  return out;
}

bool Matches(const AppAuthorization& a, JwtTarget target, const std::string& target_id,
             const credentials::OAuthApp& app) {
  if (a.Revoked()) return false;
  switch (target) {
    case JwtTarget::kOwner:
      return !a.enterprise_wide() && a.account_id == app.owner_account_id;
    case JwtTarget::kAccount:
      return !a.enterprise_wide() && a.account_id == target_id;
    case JwtTarget::kEnterprise:
      return a.enterprise_wide() && a.enterprise_id == target_id;
  }
  return false;
}

// The authorization the grant acts through; it lives as long as `all`.
Result<const AppAuthorization*> FindAuthorization(const std::vector<AppAuthorization>& all,
                                                  const credentials::OAuthApp& app,
                                                  const JwtGrantRequest& req) {
  for (const auto& a : all) {
    if (!Matches(a, req.target, req.target_id, app)) continue;
    if (a.Disabled()) {
      // Suspended by whoever administers the place, until enabled again (§5.4).
      return OAuthError(kAccessDeny, "app: " + app.name + " is currently disabled where it is " +
                                         (a.enterprise_wide() ? "installed" : "authorized"));
    }
    return &a;
  }
  switch (req.target) {
    case JwtTarget::kOwner:
      return OAuthError(kAccessDeny, "app " + app.id + " is not authorized in its owner's account");
    case JwtTarget::kAccount:
      return OAuthError(kAccessDeny, "app " + app.id + " is not authorized in account " +
                                         req.target_id.substr(0, 64));
    case JwtTarget::kEnterprise:
      break;
  }
  return OAuthError(kAccessDeny, "app " + app.id + " is not installed in enterprise " +
                                     req.target_id.substr(0, 64));
}

Result<credentials::Context> ContextOf(GrantFacts& facts, const AppAuthorization& a) {
  if (a.enterprise_wide()) {
    auto e = facts.Enterprise(a.enterprise_id);
    if (!e) return e.error();
    return credentials::Context{ContextKind::kEnterprise, (*e)->default_org_account_id, (*e)->id};
  }
  auto found = facts.Account(a.account_id);
  if (!found) return found.error();
  const domain::Account& account = **found;
  if (account.kind == domain::AccountKind::kPersonal) {
    return credentials::Context{ContextKind::kPersonal, account.id, ""};
  }
  return credentials::Context{ContextKind::kOrganization, account.id, account.enterprise_id};
}

Result<std::shared_ptr<const credentials::OAuthApp>> UsableApp(GrantFacts& facts,
                                                               const std::string& app_id) {
  auto found = facts.App(app_id);
  if (!found) {
    if (found.error().code == Errc::kNotFound) {
      return OAuthError(kInvalidClient, "unknown app");
    }
    return found.error();
  }
  const credentials::OAuthApp* app = found->get();
  if (app->client_type != credentials::ClientType::kService) {
    return OAuthError(kAccessDeny, "invalid app type");  // §4.8: only service apps sign JWTs
  }
  if (app->status == credentials::AppStatus::kDeleted) {
    return OAuthError(kInvalidClient, "unknown app");  // its authorizations went with it
  }
  if (app->status == credentials::AppStatus::kDisabled) {
    return OAuthError(kAccessDeny, "app: " + app->name + " is currently deactivated by the owner");
  }
  return found;
}

// What a verified assertion's grant acts through.
struct Resolved {
  std::shared_ptr<const credentials::OAuthApp> app;
  std::shared_ptr<const std::vector<AppAuthorization>> authorizations;
  const AppAuthorization* authorization = nullptr;  // one of *authorizations
  credentials::Context context;
};

Result<Resolved> Resolve(GrantFacts& facts, const std::string& app_id, const JwtGrantRequest& req) {
  Resolved r;
  auto app = UsableApp(facts, app_id);
  if (!app) return app.error();
  r.app = std::move(app.value());
  auto authorizations = facts.Authorizations(r.app->id);
  if (!authorizations) return authorizations.error();
  r.authorizations = std::move(authorizations.value());
  auto found = FindAuthorization(*r.authorizations, *r.app, req);
  if (!found) return found.error();
  r.authorization = found.value();
  auto context = ContextOf(facts, *r.authorization);
  if (!context) return context.error();
  r.context = std::move(context.value());
  return r;
}

}  // namespace

credentials::Grant NarrowGrant(const credentials::Grant& grant, const JwtScope& scope) {
  credentials::Grant out = grant;
  if (scope.account_permissions) {
    out.account_permissions = Intersect(grant.account_permissions, *scope.account_permissions);
  }
  if (scope.workspace_permissions) {
    out.workspace_permissions =
        Intersect(grant.workspace_permissions, *scope.workspace_permissions);
  }
  if (scope.workspace_ids) {
    std::vector<std::string> ids;
    for (const auto& id : *scope.workspace_ids) {
      const bool granted = grant.all_workspaces ||
                           std::find(grant.workspace_ids.begin(), grant.workspace_ids.end(), id) !=
                               grant.workspace_ids.end();
      if (granted && std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    }
    out.all_workspaces = false;
    out.workspace_ids = std::move(ids);
  }
  if (scope.bot_ids && !scope.bot_ids->empty()) {
    std::vector<std::string> bots;
    for (const auto& id : *scope.bot_ids) {
      const bool allowed =
          grant.bot_ids.empty() ||
          std::find(grant.bot_ids.begin(), grant.bot_ids.end(), id) != grant.bot_ids.end();
      if (allowed && std::find(bots.begin(), bots.end(), id) == bots.end()) bots.push_back(id);
    }
    // A list that keeps nothing must not widen to "every bot": keep an impossible id.
    out.bot_ids = bots.empty() ? std::vector<std::string>{"-"} : std::move(bots);
  }
  return out;
}

Result<PreparedJwtGrant> PrepareJwtBearer(Env& env, const JwtGrantRequest& req) {
  const int64_t duration = req.duration_seconds.value_or(kJwtDefaultDurationSeconds);
  if (duration <= 0 || duration > kJwtMaxDurationSeconds) {
    return OAuthError(kInvalidRequest, "invalid request: duration_seconds");
  }
  const int64_t now = env.clock.NowSeconds();
  // The official Go and Java SDKs sign exp = iat + ttl with ttl = duration_seconds (up to 86399,
  // coze-protocol.md §4.7), so an assertion may live as long as the token it asks for; anything
  // longer than both that and the configured cap is refused.
  const int64_t max_lifetime = std::max(env.jwt_max_lifetime_seconds, duration);
  // The jti is recorded below, in the token's own write: one transaction per grant (and one per
  // group of concurrent grants, store.hpp IssueJwtToken), not two. A replay is still refused
  // there, and a grant refused before it (app disabled, not authorized) leaves the jti unused.
  StoreGrantFacts store_facts(env.store);
  GrantFacts& facts = env.grant_facts ? *env.grant_facts : store_facts;
  auto claims = VerifyJwtAssertion(facts, req.jwt, req.aud_hosts, now, max_lifetime);
  if (!claims) return claims.error();
  auto resolved = Resolve(facts, claims->app_id, req);
  if (!resolved && env.grant_facts) {
    // A refusal is confirmed by the store itself: a cached answer may predate a write by another
    // process (an app enabled or authorized through the CLI) until the next epoch poll, and a
    // grant is never refused on one. An acceptance is served from the cache.
    resolved = Resolve(store_facts, claims->app_id, req);
  }
  if (!resolved) return resolved.error();
  const credentials::OAuthApp* app = resolved->app.get();
  const AppAuthorization* authorization = resolved->authorization;

  credentials::Token t;
  auto minted = credentials::MintToken(credentials::TokenKind::kAppAccess, env.random);
  t.id = env.ids.Next();
  t.kind = credentials::TokenKind::kAppAccess;
  t.name = "jwt:" + app->name;
  t.token_hash = minted.hash_hex;
  t.context = resolved->context;
  t.grant = req.scope ? NarrowGrant(authorization->grant, *req.scope) : authorization->grant;
  t.session_name = claims->session_name;
  t.created_at = t.updated_at = now;
  t.expires_at = SaturatingAdd(now, duration);
  t.app_id = app->id;
  t.authorization_id = authorization->id;
  return PreparedJwtGrant{JwtIdUseOf(*claims, now), std::move(t), std::move(minted.plaintext)};
}

Status JwtWriteOutcome(const Status& written) {
  if (written) return {};
  if (written.error().code == Errc::kAlreadyExists) return JtiAlreadyUsed();
  return written.error();
}

Result<IssuedToken> ExchangeJwtBearer(Env& env, const JwtGrantRequest& req) {
  auto prepared = PrepareJwtBearer(env, req);
  if (!prepared) return prepared.error();
  if (Status s = JwtWriteOutcome(env.store.IssueJwtToken(prepared->jti, prepared->token)); !s) {
    return s.error();
  }
  const int64_t expires_at = prepared->token.expires_at;
  return IssuedToken{std::move(prepared->access_token), expires_at, std::move(prepared->token)};
}

}  // namespace cozeauth::oauth
