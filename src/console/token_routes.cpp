// Console self-service for personal access tokens (coze-platform.md §3.3) and service
// identities (§4) at Coze's paths. Both share one set of handlers, parameterised by Flavor: a
// PAT's permission blocks are top-level fields and its expiry is fixed; a service identity's
// blocks sit under `permission` and its expiry is editable. Every write goes through
// admin::CreateToken / UpdateToken / RevokeToken (which validate) and then drops the
// authenticator's cache so the change applies to the next request.

#include <algorithm>
#include <boost/json.hpp>

#include "api/json_input.hpp"
#include "console/routes.hpp"
#include "console/session.hpp"
#include "console/tokens.hpp"
#include "policy/catalogue.hpp"

namespace cozeauth::api {
namespace json = boost::json;
namespace {

using credentials::TokenKind;

struct Flavor {
  TokenKind kind;
  std::string_view object_key;    // the token object in responses
  std::string_view list_key;      // the list in list responses
  std::string_view grant_prefix;  // where the permission blocks sit in the body
  std::string_view noun;          // for messages
};

constexpr Flavor kPat{TokenKind::kPat, "personal_access_token", "personal_access_tokens", "",
                      "personal access token"};
constexpr Flavor kSat{TokenKind::kSat, "service_identity", "service_identities", "permission.",
                      "service identity"};

// The object holding the permission blocks: the body (PAT) or body.permission (SAT).
Result<json::object> GrantSource(const Flavor& f, const json::object& body) {
  if (f.grant_prefix.empty()) return body;
  auto p = OptObject(body, "permission");
  if (!p) return p.error();
  return p.value().value_or(json::object{});
}

// A live token of this flavor that the session's user may manage. Unknown, deleted or of
// another kind → 4200; someone else's → 4101. Organization admins also manage the service
// identities of their organization (only they may create them there, coze-platform.md §4).
Result<credentials::Token> ManagedToken(ConsoleCall& c, const Flavor& f, const std::string& id) {
  auto t = c.deps.store.GetToken(id);
  if (!t && t.error().code != Errc::kNotFound) return t.error();
  if (!t || t->kind != f.kind || t->Revoked()) {
    return Error::Make(Errc::kNotFound, std::string(f.noun) + " " + id + " not found");
  }
  if (t->user_id == c.user.id) return t;
  if (f.kind == TokenKind::kSat && t->context.kind != credentials::ContextKind::kPersonal) {
    auto role = c.deps.store.GetOrgRole(t->context.account_id, c.user.id);
    if (!role) return role.error();
    if (role.value() && domain::IsAdmin(*role.value())) return t;
  }
  return Error::Make(Errc::kPermissionDenied,
                     "this " + std::string(f.noun) + " belongs to another user");
}

// Service identities of an organization are its administrators' (coze-platform.md §4): a
// member who is not super_admin or admin there is refused (4101). A personal account's own
// identities are the user's.
Status RequireOrgAdminForSat(ConsoleCall& c, const std::string& account_id) {
  if (account_id == c.user.id) return {};
  auto role = c.deps.store.GetOrgRole(account_id, c.user.id);
  if (!role) return role.error();
  if (role.value() && domain::IsAdmin(*role.value())) return {};
  return Error::Make(Errc::kPermissionDenied,
                     "only an organization's super_admin and admin manage its service identities");
}

// The grant and the expiry a create or update body carries, read the same way for both (the
// flavour says where the grant sits); no expiry given is nullopt.
struct GrantAndExpiry {
  WireGrant grant;
  std::optional<WireExpiry> expiry;
};
Result<GrantAndExpiry> ReadGrantAndExpiry(const Flavor& f, const json::object& body, int64_t now) {
  auto source = GrantSource(f, body);
  if (!source) return source.error();
  auto grant = ParseWireGrant(*source, f.grant_prefix);
  if (!grant) return grant.error();
  auto expiry = ParseWireExpiry(body, now);
  if (!expiry) return expiry.error();
  return GrantAndExpiry{std::move(grant.value()), std::move(expiry.value())};
}

http::Response Create(const Flavor& f, ConsoleCall& c) {
  auto body = JsonBody(c.req);
  if (!body) return c.Fail(body.error());
  auto name = ReqString(*body, "name");
  if (!name) return c.Fail(name.error());
  auto org = OptId(*body, "organization_id");
  if (!org) return c.Fail(org.error());
  auto read = ReadGrantAndExpiry(f, *body, c.deps.clock.NowSeconds());
  if (!read) return c.Fail(read.error());
  const std::optional<WireExpiry>& expiry = read->expiry;
  if (!expiry) {
    return c.Fail(Error::BadRequest("duration_day", "duration_day (or expire_at) is required"));
  }

  admin::TokenSpec spec;
  spec.kind = f.kind;
  spec.user_id = c.user.id;
  spec.account_id = org.value().value_or("");
  spec.name = name.value();
  spec.days = expiry->days;
  ApplyGrant(read->grant, spec);
  auto env = c.Env();
  auto created = admin::CreateToken(env, spec);
  if (!created) return c.Fail(WireError(created.error(), f.grant_prefix, expiry->field));
  return c.Ok(
      json::object{{f.object_key, TokenSummary(created->token)}, {"token", created->plaintext}});
}

http::Response List(const Flavor& f, ConsoleCall& c) {
  auto page = QueryInt(c.req, "page", 1, 1, 1'000'000);
  if (!page) return c.Fail(page.error());
  auto size = QueryInt(c.req, "size", 20, 1, 100);
  if (!size) return c.Fail(size.error());
  auto org = QueryId(c.req, "organization_id");
  if (!org) return c.Fail(org.error());
  if (f.kind == TokenKind::kSat && org.value()) {
    // Only an organization's super_admin and admin hold its service identities (the rule
    // admin::CreateToken applies to creation): the console's 服务身份及凭证 page asks here.
    if (auto s = RequireOrgAdminForSat(c, *org.value()); !s) return c.Fail(s.error());
  }
  auto tokens = c.deps.store.ListTokensOfUser(c.user.id, f.kind);
  if (!tokens) return c.Fail(tokens.error());

  std::vector<credentials::Token> live;
  for (auto& t : tokens.value()) {
    if (t.Revoked()) continue;  // deleted tokens are gone from the console
    if (org.value() && t.context.account_id != *org.value()) continue;
    live.push_back(std::move(t));
  }
  std::sort(live.begin(), live.end(), [](const auto& a, const auto& b) {
    return a.created_at != b.created_at ? a.created_at > b.created_at : a.id > b.id;
  });
  const size_t begin = std::min(live.size(), size_t(page.value() - 1) * size_t(size.value()));
  const size_t end = std::min(live.size(), begin + size_t(size.value()));
  json::array items;
  for (size_t i = begin; i < end; ++i) items.push_back(TokenSummary(live[i]));
  return c.Ok(json::object{{f.list_key, std::move(items)},
                           {"total", static_cast<int64_t>(live.size())},
                           {"has_more", end < live.size()}});
}

http::Response Get(const Flavor& f, ConsoleCall& c) {
  auto id = RequiredQueryId(c.req, "id");
  if (!id) return c.Fail(id.error());
  auto t = ManagedToken(c, f, id.value());
  if (!t) return c.Fail(t.error());
  json::object data{{f.object_key, TokenSummary(t.value())}};
  json::object grant = GrantObject(t->grant);
  if (f.grant_prefix.empty()) {
    for (auto& kv : grant) data[kv.key()] = std::move(kv.value());
  } else {
    data["permission"] = std::move(grant);
  }
  return c.Ok(std::move(data));
}

http::Response Update(const Flavor& f, ConsoleCall& c) {
  auto body = JsonBody(c.req);
  if (!body) return c.Fail(body.error());
  auto id = RequiredId(*body, "id");
  if (!id) return c.Fail(id.error());
  auto name = OptString(*body, "name");
  if (!name) return c.Fail(name.error());
  auto read = ReadGrantAndExpiry(f, *body, c.deps.clock.NowSeconds());
  if (!read) return c.Fail(read.error());
  const std::optional<WireExpiry>& expiry = read->expiry;

  admin::TokenUpdate update = ToUpdate(read->grant);
  update.name = name.value();
  std::string days_field = "duration_day";
  if (expiry) {
    // coze-platform.md §3.1: a PAT's expiry is fixed at creation; a SAT's is editable (§4).
    if (f.kind == TokenKind::kPat) {
      return c.Fail(
          Error::BadRequest(expiry->field, "a personal access token's expiry cannot be changed"));
    }
    update.days = expiry->days;
    days_field = expiry->field;
  }
  auto t = ManagedToken(c, f, id.value());
  if (!t) return c.Fail(t.error());
  auto env = c.Env();
  auto updated = admin::UpdateToken(env, id.value(), update);
  if (!updated) return c.Fail(WireError(updated.error(), f.grant_prefix, days_field));
  return c.Ok(json::object{{f.object_key, TokenSummary(updated.value())}});
}

http::Response Delete(const Flavor& f, ConsoleCall& c) {
  auto body = JsonBody(c.req);
  if (!body) return c.Fail(body.error());
  auto id = RequiredId(*body, "id");
  if (!id) return c.Fail(id.error());
  auto t = ManagedToken(c, f, id.value());
  if (!t) return c.Fail(t.error());
  auto env = c.Env();
  if (auto s = admin::RevokeToken(env, id.value()); !s) return c.Fail(s.error());
  return c.Ok(json::object{});
}

http::Response SupportedPermissions(ConsoleCall& c) {
  json::array list;
  for (const auto& p : policy::Catalogue()) {
    list.push_back(json::object{{"name", p.name},
                                {"level", policy::ToString(p.level)},
                                {"group", p.group},
                                {"description", p.description}});
  }
  return c.Ok(json::object{{"permission_list", std::move(list)}});
}

}  // namespace

void RegisterConsoleTokenRoutes(http::Router& router, Deps& deps) {
  using V = http::Verb;
  auto add = [&](V verb, std::string path, http::Response (*fn)(const Flavor&, ConsoleCall&),
                 const Flavor& f) {
    AddConsoleRoute(router, deps, verb, std::move(path),
                    [fn, &f](ConsoleCall& c) { return fn(f, c); });
  };
  const std::string pat = "/api/permission_api/pat/";
  add(V::post, pat + "create_personal_access_token_and_permission", Create, kPat);
  add(V::get, pat + "list_personal_access_tokens", List, kPat);
  add(V::get, pat + "get_personal_access_token_and_permission", Get, kPat);
  add(V::post, pat + "update_personal_access_token_and_permission", Update, kPat);
  add(V::post, pat + "delete_personal_access_token_and_permission", Delete, kPat);
  AddConsoleRoute(router, deps, V::get, pat + "list_personal_access_token_support_permissions",
                  SupportedPermissions);

  const std::string sat = "/api/permission_api/service/";
  add(V::post, sat + "create_service_identity", Create, kSat);
  add(V::get, sat + "list_service_identities", List, kSat);
  add(V::get, sat + "get_service_identity", Get, kSat);
  add(V::post, sat + "update_service_identity", Update, kSat);
  add(V::post, sat + "delete_service_identity", Delete, kSat);
}

}  // namespace cozeauth::api
