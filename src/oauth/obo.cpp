#include "oauth/obo.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include "base/checked.hpp"
#include "base/crypto.hpp"
#include "oauth/client_secret.hpp"
#include "oauth/errors.hpp"
#include "oauth/obo_internal.hpp"

namespace cozeauth::oauth {
using internal::IsOboClient;
using internal::Issue;
using internal::LiveGrant;
using internal::UsableOboApp;

namespace {

using credentials::AppStatus;
using credentials::ClientType;
using credentials::ContextKind;
using credentials::OAuthApp;
using credentials::OboGrant;

constexpr size_t kRefreshTokenChars = 72;  // coze-protocol.md §6
constexpr size_t kCodeChars = 64;

}  // namespace

namespace internal {

bool IsOboClient(ClientType t) { return t != ClientType::kService; }

Result<OAuthApp> UsableOboApp(Env& env, const std::string& client_id) {
  if (client_id.empty()) return OAuthError(kInvalidRequest, "invalid request: client_id");
  auto app = env.store.FindOAuthAppByClientId(client_id);
  if (!app) {
    if (app.error().code == Errc::kNotFound) return OAuthError(kInvalidClient, "unknown client_id");
    return app.error();
  }
  if (app->status == AppStatus::kDeleted) return OAuthError(kInvalidClient, "unknown client_id");
  if (app->status == AppStatus::kDisabled) {
    return OAuthError(kAccessDeny, "app: " + app->name + " is currently deactivated by the owner");
  }
  if (!IsOboClient(app->client_type)) return OAuthError(kAccessDeny, "invalid app type");
  return app;
}

}  // namespace internal

namespace {

// Web apps prove themselves with a live client secret; public clients (pkce, device) have none
// and whatever they send is ignored (§4.2 rule 1).
Status AuthenticateClient(Env& env, const OAuthApp& app, const std::string& bearer) {
  if (app.client_type != ClientType::kWeb) return {};
  if (bearer.empty()) {
    return OAuthError(kInvalidClient, "client secret required: Authorization: Bearer <secret>");
  }
  auto live = IsLiveClientSecret(env.store, app.id, bearer);
  if (!live) return live.error();
  if (!live.value()) return OAuthError(kInvalidClient, "invalid client secret");
  return {};
}

// RFC 7636 §4.6; compared in constant time.
bool VerifierMatches(const credentials::AuthorizationCode& code, const std::string& verifier) {
  if (code.code_challenge.empty()) return true;
  if (verifier.empty()) return false;
  std::string derived = verifier;
  if (code.code_challenge_method == "S256") {
    const Sha256Digest digest = Sha256(verifier);
    derived = Base64UrlEncode(
        std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
  }
  return ConstantTimeEquals(derived, code.code_challenge);
}

}  // namespace

namespace internal {

Result<OboGrant> LiveGrant(Env& env, const std::string& grant_id) {
  auto g = env.store.GetOboGrant(grant_id);
  if (!g) {
    if (g.error().code == Errc::kNotFound) return OAuthError(kInvalidGrant, "consent revoked");
    return g.error();
  }
  if (g->Revoked()) return OAuthError(kInvalidGrant, "consent revoked");
  return g;
}

Result<OboTokens> Issue(Env& env, const OAuthApp& app, const OboGrant& g,
                        const std::string& parent_hash) {
  // A consent in an enterprise needs its installation there enabled: while an admin has it
  // disabled nothing is issued (a refresh rolls back, so its token still works afterwards).
  auto disabled = env.store.IsAuthorizationDisabled(g.id);
  if (!disabled) return disabled.error();
  if (*disabled) {
    return OAuthError(kAccessDeny,
                      "app: " + app.name + " is currently disabled in this enterprise");
  }
  const int64_t now = env.clock.NowSeconds();
  auto minted = credentials::MintToken(credentials::TokenKind::kOboAccess, env.random);
  credentials::Token t;
  t.id = env.ids.Next();
  t.kind = credentials::TokenKind::kOboAccess;
  t.name = "obo:" + app.name;
  t.token_hash = minted.hash_hex;
  t.user_id = g.user_id;
  t.context = g.context;
  t.grant = g.grant;
  t.created_at = t.updated_at = now;
  t.expires_at = SaturatingAdd(now, credentials::kOboAccessSeconds);
  t.app_id = app.id;
  t.authorization_id = g.id;
  OboTokens out;
  out.refresh_token = env.random.Alnum(kRefreshTokenChars);
  credentials::RefreshToken rt{Sha256Hex(out.refresh_token),
                               g.id,
                               app.id,
                               now,
                               SaturatingAdd(now, credentials::kRefreshSeconds),
                               0,
                               parent_hash,
                               t.id};
  Status s = env.store.Transaction([&]() -> Status {
    if (auto c = env.store.CreateToken(t); !c) return c;
    return env.store.CreateRefreshToken(rt);
  });
  if (!s) return s.error();
  out.access_token = std::move(minted.plaintext);
  out.expires_at = t.expires_at;
  out.token = std::move(t);
  return out;
}

}  // namespace internal

namespace {

// The reuse grace window (RefreshTokens): `rt` was presented again after it had been rotated.
// If the rotation happened at most refresh_reuse_grace_seconds ago and its newest successor was
// never presented, the client most likely lost the response (the server died after commit, a
// proxy timed out): the unused successor and its access token are revoked and a fresh pair is
// issued, chained to `rt`. Otherwise nullopt, and the caller revokes the family. Runs inside the
// caller's transaction, so two retries cannot both take the same successor.
Result<std::optional<Result<OboTokens>>> RetryWithinGrace(Env& env, const OAuthApp& app,
                                                          const credentials::RefreshToken& rt,
                                                          int64_t now) {
  using Outcome = std::optional<Result<OboTokens>>;
  const int64_t grace = env.refresh_reuse_grace_seconds;
  if (grace <= 0 || SaturatingSub(now, rt.used_at) > grace) return Outcome();
  auto successor = env.store.FindRefreshSuccessor(rt.token_hash);
  if (!successor) {
    // No recorded successor (a row written before lineage existed): treat as reuse.
    if (successor.error().code == Errc::kNotFound) return Outcome();
    return successor.error();
  }
  if (successor->used_at != 0) return Outcome();  // the client did get it: real reuse
  auto taken = env.store.ConsumeRefreshToken(successor->token_hash, now);
  if (!taken) return taken.error();
  if (taken->used_at != 0) return Outcome();
  if (!successor->access_token_id.empty()) {
    auto s = env.store.RevokeToken(successor->access_token_id, now);
    if (!s && s.error().code != Errc::kNotFound) return s.error();
  }
  auto grant = LiveGrant(env, rt.grant_id);
  if (!grant) return Outcome(grant.error());
  return Outcome(Issue(env, app, *grant, rt.token_hash));
}

std::string Label(const domain::Enterprise& e) { return "Enterprise: " + e.name; }

Result<std::optional<ConsentPlace>> EnterprisePlace(Env& env, const OAuthApp& app,
                                                    const domain::Enterprise& e) {
  ConsentPlace place{{ContextKind::kEnterprise, e.default_org_account_id, e.id}, Label(e), ""};
  auto owner = env.store.GetAccount(app.owner_account_id);
  if (owner && owner->enterprise_id == e.id) return std::optional<ConsentPlace>(place);
  auto installs = env.store.ListAppAuthorizations(app.id);
  if (!installs) return installs.error();
  for (const auto& a : installs.value()) {
    if (!a.Revoked() && !a.Disabled() && a.kind == credentials::AuthorizationKind::kOboInstall &&
        a.enterprise_wide() && a.enterprise_id == e.id) {
      place.installation_id = a.id;
      return std::optional<ConsentPlace>(place);
    }
  }
  return std::optional<ConsentPlace>();
}

}  // namespace

AuthorizeCheck CheckAuthorizeRequest(Env& env, const AuthorizeParams& p) {
  AuthorizeCheck out;
  auto app = env.store.FindOAuthAppByClientId(p.client_id);
  if (!app || app->status == AppStatus::kDeleted) {
    out.error = "invalid_client";
    out.error_description = "unknown client_id";
    return out;
  }
  // Exact match only (architecture.md §6): no prefix, case or trailing-slash tolerance.
  if (std::find(app->redirect_uris.begin(), app->redirect_uris.end(), p.redirect_uri) ==
      app->redirect_uris.end()) {
    out.error = "invalid_request";
    out.error_description = "redirect_uri is not registered for this app";
    return out;
  }
  out.app = app.value();
  out.redirect_ok = true;
  auto fail = [&](std::string_view code, std::string text) {
    out.error = code;
    out.error_description = std::move(text);
    return out;
  };
  if (p.response_type != "code")
    return fail("unsupported_response_type", "response_type must be code");
  if (app->status == AppStatus::kDisabled)
    return fail(kAccessDeny, "app is currently deactivated by the owner");
  if (app->client_type != ClientType::kWeb && app->client_type != ClientType::kPkce) {
    return fail(kAccessDeny, "invalid app type");
  }
  if (!p.code_challenge_method.empty() && p.code_challenge_method != "S256" &&
      p.code_challenge_method != "plain") {
    return fail(kInvalidRequest, "code_challenge_method must be S256 or plain");
  }
  if (p.code_challenge.size() > 256) return fail(kInvalidRequest, "code_challenge is too long");
  if (app->client_type == ClientType::kPkce && p.code_challenge.empty()) {
    return fail(kInvalidRequest, "PKCE apps must send code_challenge");
  }
  if (p.state.size() > 2048) return fail(kInvalidRequest, "state is too long");
  return out;
}

Result<std::vector<ConsentPlace>> ConsentPlaces(Env& env, const OAuthApp& app,
                                                const std::string& user_id,
                                                const std::string& workspace_id) {
  std::vector<ConsentPlace> out;
  if (!workspace_id.empty()) {
    auto w = env.store.GetWorkspace(workspace_id);
    if (!w) return OAuthError(kInvalidRequest, "invalid request: workspace_id");
    auto role = env.store.GetWorkspaceRole(workspace_id, user_id);
    if (!role) return role.error();
    if (!role.value()) return out;  // not a member: nowhere to consent
    auto owner = env.store.GetAccount(w->owner_account_id);
    if (!owner) return owner.error();
    if (owner->kind == domain::AccountKind::kPersonal) {
      out.push_back({{ContextKind::kPersonal, owner->id, ""}, "Workspace: " + w->name, ""});
      return out;
    }
    auto e = env.store.GetEnterprise(owner->enterprise_id);
    if (!e) return e.error();
    auto place = EnterprisePlace(env, app, e.value());
    if (!place) return place.error();
    if (*place) {
      (*place)->label = "Workspace: " + w->name + " (" + e->name + ")";
      out.push_back(**place);
    }
    return out;
  }
  out.push_back({{ContextKind::kPersonal, user_id, ""}, "Personal account", ""});
  auto enterprises = env.store.ListEnterprisesOfUser(user_id);
  if (!enterprises) return enterprises.error();
  for (const auto& e : enterprises.value()) {
    auto place = EnterprisePlace(env, app, e);
    if (!place) return place.error();
    if (*place) out.push_back(**place);
  }
  return out;
}

Result<OboGrant> Consent(Env& env, const OAuthApp& app, const std::string& user_id,
                         const std::string& place_key, const std::string& workspace_id) {
  auto places = ConsentPlaces(env, app, user_id, workspace_id);
  if (!places) return places.error();
  auto it = std::find_if(places->begin(), places->end(),
                         [&](const ConsentPlace& p) { return p.key() == place_key; });
  if (it == places->end()) {
    return OAuthError(kAccessDeny, "the app cannot be authorized there by this user");
  }
  OboGrant g;
  g.id = env.ids.Next();
  g.app_id = app.id;
  g.user_id = user_id;
  g.context = it->context;
  g.installation_id = it->installation_id;
  g.grant.workspace_permissions = app.workspace_permissions;
  g.grant.enterprise_permissions = app.enterprise_permissions;
  if (workspace_id.empty()) {
    g.grant.account_permissions = app.account_permissions;
    g.grant.all_workspaces = true;
  } else {
    g.grant.workspace_ids = {workspace_id};  // no conversation points (§5.3)
  }
  g.created_at = env.clock.NowSeconds();
  if (auto s = env.store.CreateOboGrant(g); !s) return s.error();
  return g;
}

Result<std::string> IssueAuthorizationCode(Env& env, const OboGrant& grant,
                                           const AuthorizeParams& p) {
  const int64_t now = env.clock.NowSeconds();
  std::string code = "code_" + env.random.Alnum(kCodeChars);
  credentials::AuthorizationCode c;
  c.code_hash = Sha256Hex(code);
  c.grant_id = grant.id;
  c.app_id = grant.app_id;
  c.redirect_uri = p.redirect_uri;
  c.code_challenge = p.code_challenge;
  c.code_challenge_method =
      p.code_challenge.empty()
          ? ""
          : (p.code_challenge_method.empty() ? "plain" : p.code_challenge_method);
  c.created_at = now;
  c.expires_at = SaturatingAdd(now, credentials::kCodeSeconds);
  if (auto s = env.store.CreateAuthorizationCode(c); !s) return s.error();
  return code;
}

Result<OboTokens> ExchangeAuthorizationCode(Env& env, const TokenRequest& req) {
  auto app = UsableOboApp(env, req.client_id);
  if (!app) return app.error();
  if (app->client_type == ClientType::kDevice) return OAuthError(kAccessDeny, "invalid app type");
  if (auto s = AuthenticateClient(env, *app, req.bearer); !s) return s.error();
  if (req.code.empty()) return OAuthError(kInvalidRequest, "invalid request: code");
  const int64_t now = env.clock.NowSeconds();
  auto code = env.store.ConsumeAuthorizationCode(Sha256Hex(req.code), now);
  if (!code) {
    if (code.error().code == Errc::kNotFound)
      return OAuthError(kInvalidGrant, "invalid authorization code");
    return code.error();
  }
  if (code->app_id != app->id) return OAuthError(kInvalidGrant, "invalid authorization code");
  if (code->used_at != 0) {
    // RFC 6749 §4.1.2: a replayed code revokes what it issued.
    if (auto s = env.store.RevokeOboGrant(code->grant_id, now); !s) return s.error();
    return OAuthError(kInvalidGrant, "authorization code already used; its tokens are revoked");
  }
  if (now >= code->expires_at) return OAuthError(kInvalidGrant, "authorization code expired");
  if (req.redirect_uri != code->redirect_uri) {
    return OAuthError(kInvalidGrant, "redirect_uri does not match the authorization request");
  }
  if (!VerifierMatches(*code, req.code_verifier)) {
    return OAuthError(kInvalidGrant, "code_verifier does not match the code_challenge");
  }
  auto grant = LiveGrant(env, code->grant_id);
  if (!grant) return grant.error();
  return Issue(env, *app, *grant);
}

Result<OboTokens> RefreshTokens(Env& env, const TokenRequest& req) {
  auto app = UsableOboApp(env, req.client_id);
  if (!app) return app.error();
  if (auto s = AuthenticateClient(env, *app, req.bearer); !s) return s.error();
  if (req.refresh_token.empty())
    return OAuthError(kInvalidRequest, "invalid request: refresh_token");
  const int64_t now = env.clock.NowSeconds();
  const std::string presented_hash = Sha256Hex(req.refresh_token);
  // Consumption and issuing share one write transaction, so a concurrent retry of the same token
  // sees either nothing done or the committed successor, never a consumed token without one.
  std::optional<Result<OboTokens>> answer;
  Status written = env.store.Transaction([&]() -> Status {
    auto rt = env.store.ConsumeRefreshToken(presented_hash, now);
    if (!rt) {
      if (rt.error().code != Errc::kNotFound) return rt.error();
      answer = OAuthError(kInvalidGrant, "invalid refresh token");
      return {};
    }
    if (rt->app_id != app->id) {
      answer = OAuthError(kInvalidGrant, "invalid refresh token");
      return {};
    }
    if (rt->used_at != 0) {
      auto retried = RetryWithinGrace(env, *app, *rt, now);
      if (!retried) return retried.error();
      if (*retried) {
        answer = std::move(**retried);
        return answer->has_value() ? Status{} : answer->error();
      }
      // Rotation with reuse detection: a used refresh token means it leaked (or a client bug);
      // the whole family goes, in the same transaction as the decision.
      if (auto s = env.store.RevokeOboGrant(rt->grant_id, now); !s) return s;
      answer =
          OAuthError(kInvalidGrant, "refresh token already used; the authorization is revoked");
      return {};
    }
    if (now >= rt->expires_at) {
      answer = OAuthError(kInvalidGrant, "refresh token expired");
      return {};
    }
    auto grant = LiveGrant(env, rt->grant_id);
    if (!grant) {
      answer = grant.error();
      return {};
    }
    answer = Issue(env, *app, *grant, presented_hash);
    // A failed issue rolls the consumption back: the client may simply retry.
    return answer->has_value() ? Status{} : answer->error();
  });
  if (!written) return written.error();
  return std::move(*answer);
}

}  // namespace cozeauth::oauth
