#include "observe/audit_scope.hpp"

#include <boost/json.hpp>

namespace cozeauth::observe {
namespace json = boost::json;
namespace {

std::string StringField(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

}  // namespace

std::string AuditScope::EnterpriseOfAccount(const std::string& account_id) {
  if (account_id.empty()) return {};
  auto [it, fresh] = accounts_.try_emplace(account_id);
  if (fresh) {
    auto a = store_.GetAccount(account_id);
    if (a && a->kind == domain::AccountKind::kOrganization) it->second = a->enterprise_id;
  }
  return it->second;
}

std::string AuditScope::EnterpriseOfWorkspace(const std::string& workspace_id) {
  if (workspace_id.empty()) return {};
  auto [it, fresh] = workspaces_.try_emplace(workspace_id);
  if (fresh) {
    if (auto w = store_.GetWorkspace(workspace_id)) {
      it->second = EnterpriseOfAccount(w->owner_account_id);
    }
  }
  return it->second;
}

void AuditScope::FromTarget(const store::AuditEvent& e, std::set<std::string>& out) {
  auto add = [&](std::string id) {
    if (!id.empty()) out.insert(std::move(id));
  };
  if (e.target_kind == "token") {
    if (auto t = store_.GetToken(e.target_id)) {
      add(t->context.enterprise_id);
      add(EnterpriseOfAccount(t->context.account_id));
    }
  } else if (e.target_kind == "app") {
    if (auto app = store_.GetOAuthApp(e.target_id)) add(EnterpriseOfAccount(app->owner_account_id));
  } else if (e.target_kind == "authorization") {
    if (auto a = store_.GetAppAuthorization(e.target_id)) {
      add(a->enterprise_id);
      add(EnterpriseOfAccount(a->account_id));
    }
  } else if (e.target_kind == "rehearsal") {
    if (auto r = store_.GetRehearsal(e.target_id)) add(r->enterprise_id);
  }
}

std::set<std::string> AuditScope::EnterprisesOf(const store::AuditEvent& e) {
  std::set<std::string> out;
  boost::system::error_code ec;
  json::value detail = json::parse(e.detail_json, ec);
  bool named = false;  // the detail names a place: the target is not consulted
  if (!ec && detail.is_object()) {
    const json::object& d = detail.get_object();
    if (auto id = StringField(d, "enterprise_id"); !id.empty()) out.insert(id);
    for (const char* key : {"account_id", "owner_account_id", "to_account_id", "from_account_id"}) {
      const std::string account = StringField(d, key);
      if (account.empty()) continue;
      named = true;
      if (auto ent = EnterpriseOfAccount(account); !ent.empty()) out.insert(ent);
    }
    if (auto ws = StringField(d, "workspace_id"); !ws.empty()) {
      named = true;
      if (auto ent = EnterpriseOfWorkspace(ws); !ent.empty()) out.insert(ent);
    }
    named = named || d.contains("enterprise_id");
  }
  if (!named) FromTarget(e, out);
  return out;
}

}  // namespace cozeauth::observe
