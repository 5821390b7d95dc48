#include "cli/admin_print.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "base/strings.hpp"

namespace cozeauth::cli {
namespace {

boost::json::array StringArray(const std::vector<std::string>& items) {
  boost::json::array out;
  for (const auto& s : items) out.emplace_back(s);
  return out;
}

}  // namespace

boost::json::object UserJson(const domain::User& user) {
  // password_hash deliberately absent.
  return {{"id", user.id},
          {"name", user.name},
          {"email", user.email},
          {"personal_account_id", user.id},
          {"created_at", user.created_at}};
}

boost::json::object EnterpriseJson(const domain::Enterprise& e) {
  return {{"enterprise_id", e.id},
          {"name", e.name},
          {"edition", std::string(domain::ToString(e.edition))},
          {"owner_user_id", e.owner_user_id},
          {"default_org_account_id", e.default_org_account_id},
          {"created_at", e.created_at}};
}

boost::json::object AccountJson(const domain::Account& a) {
  boost::json::object o{{"id", a.id},
                        {"kind", std::string(domain::ToString(a.kind))},
                        {"name", a.name},
                        {"created_at", a.created_at}};
  if (a.kind == domain::AccountKind::kPersonal) {
    o["user_id"] = a.user_id;
  } else {
    o["enterprise_id"] = a.enterprise_id;
    o["is_default"] = a.is_default;
  }
  return o;
}

boost::json::object WorkspaceJson(const domain::Workspace& w) {
  return {{"id", w.id},
          {"name", w.name},
          {"description", w.description},
          {"workspace_type", std::string(domain::ToString(w.type))},
          {"owner_account_id", w.owner_account_id},
          {"owner_user_id", w.owner_user_id},
          {"created_at", w.created_at}};
}

boost::json::object BotJson(const domain::Bot& b) {
  return {{"id", b.id},
          {"workspace_id", b.workspace_id},
          {"name", b.name},
          {"description", b.description},
          {"prompt", b.prompt},
          {"prologue", b.prologue},
          {"owner_user_id", b.owner_user_id},
          {"is_published", b.is_published},
          {"published_at", b.published_at},
          {"connector_ids", StringArray(b.connector_ids)},
          {"created_at", b.created_at},
          {"updated_at", b.updated_at}};
}

std::string TokenStatus(const credentials::Token& t, int64_t now) {
  if (t.Revoked()) return "revoked";
  if (t.Expired(now)) return "expired";
  return "active";
}

boost::json::object TokenJson(const credentials::Token& t, int64_t now) {
  // token_hash deliberately absent; the plaintext is added by the create command only.
  boost::json::object context{{"kind", std::string(credentials::ToString(t.context.kind))},
                              {"account_id", t.context.account_id}};
  if (!t.context.enterprise_id.empty()) context["enterprise_id"] = t.context.enterprise_id;
  return {{"id", t.id},
          {"kind", std::string(credentials::ToString(t.kind))},
          {"name", t.name},
          {"user_id", t.user_id},
          {"context", std::move(context)},
          {"account_permissions", StringArray(t.grant.account_permissions)},
          {"workspace_permissions", StringArray(t.grant.workspace_permissions)},
          {"enterprise_permissions", StringArray(t.grant.enterprise_permissions)},
          {"all_workspaces", t.grant.all_workspaces},
          {"workspace_ids", StringArray(t.grant.workspace_ids)},
          {"created_at", t.created_at},
          {"updated_at", t.updated_at},
          {"expires_at", t.expires_at},
          {"revoked_at", t.revoked_at},
          {"last_used_at", t.last_used_at},
          {"status", TokenStatus(t, now)}};
}

boost::json::object AppJson(const credentials::OAuthApp& a) {
  return {{"id", a.id},
          {"client_id", a.client_id},
          {"name", a.name},
          {"description", a.description},
          {"app_type", std::string(credentials::ToString(a.app_type))},
          {"client_type", std::string(credentials::ToString(a.client_type))},
          {"status", std::string(credentials::ToString(a.status))},
          {"owner_account_id", a.owner_account_id},
          {"owner_user_id", a.owner_user_id},
          {"account_permissions", StringArray(a.account_permissions)},
          {"workspace_permissions", StringArray(a.workspace_permissions)},
          {"enterprise_permissions", StringArray(a.enterprise_permissions)},
          {"redirect_uris", StringArray(a.redirect_uris)},
          {"created_at", a.created_at}};
}

boost::json::object AppPublicKeyJson(const credentials::AppPublicKey& k) {
  return {{"kid", k.fingerprint},
          {"fingerprint", k.fingerprint},
          {"app_id", k.app_id},
          {"public_key_pem", k.public_key_pem},
          {"created_at", k.created_at}};
}

boost::json::object ClientSecretJson(const credentials::ClientSecret& s) {
  // secret_hash deliberately absent; the plaintext is added by the create command only.
  return {{"id", s.id}, {"app_id", s.app_id}, {"mask", s.mask}, {"created_at", s.created_at}};
}

boost::json::object GrantJson(const credentials::Grant& g) {
  return {{"account_permissions", StringArray(g.account_permissions)},
          {"workspace_permissions", StringArray(g.workspace_permissions)},
          {"enterprise_permissions", StringArray(g.enterprise_permissions)},
          {"all_workspaces", g.all_workspaces},
          {"workspace_ids", StringArray(g.workspace_ids)}};
}

boost::json::object AuthorizationJson(const credentials::AppAuthorization& a) {
  return {{"id", a.id},
          {"app_id", a.app_id},
          {"kind", std::string(credentials::ToString(a.kind))},
          {"account_id", a.account_id},
          {"enterprise_id", a.enterprise_id},
          {"enterprise_wide", a.enterprise_wide()},
          {"grant", GrantJson(a.grant)},
          {"authorized_by", a.authorized_by},
          {"created_at", a.created_at},
          {"revoked_at", a.revoked_at},
          {"disabled_at", a.disabled_at},
          {"status", AuthorizationStatus(a)}};
}

std::string_view AuthorizationStatus(const credentials::AppAuthorization& a) {
  if (a.Revoked()) return "revoked";
  return a.Disabled() ? "disabled" : "active";
}

std::string AuthorizationPlace(const credentials::AppAuthorization& a) {
  return a.enterprise_wide() ? "enterprise " + a.enterprise_id : "account " + a.account_id;
}

std::string JoinOrDash(const std::vector<std::string>& items) {
  return items.empty() ? "-" : Join(items, ",");
}

std::string DescribeGrant(const credentials::Grant& g) {
  std::string out = "account: " + JoinOrDash(g.account_permissions) +
                    "; workspace: " + JoinOrDash(g.workspace_permissions);
  if (!g.workspace_permissions.empty()) {
    out +=
        g.all_workspaces ? " (all workspaces)" : " (workspaces " + Join(g.workspace_ids, ",") + ")";
  }
  out += "; enterprise: " + JoinOrDash(g.enterprise_permissions);
  return out;
}

std::string FormatTime(int64_t unix_seconds) {
  if (unix_seconds < 0) return "never";
  if (unix_seconds == 0) return "-";
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

void PrintJson(const boost::json::value& value) {
  std::printf("%s\n", boost::json::serialize(value).c_str());
}

void PrintTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(header.size(), 0);
  auto widen = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size() && i < width.size(); ++i) {
      width[i] = std::max(width[i], row[i].size());
    }
  };
  widen(header);
  for (const auto& r : rows) widen(r);
  auto print = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t i = 0; i < row.size() && i < width.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line.append(width[i] - row[i].size() + 2, ' ');
    }
    std::printf("%s\n", line.c_str());
  };
  print(header);
  for (const auto& r : rows) print(r);
}

}  // namespace cozeauth::cli
