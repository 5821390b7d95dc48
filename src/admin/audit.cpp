#include "admin/audit.hpp"

#include <boost/json.hpp>

namespace cozeauth::admin {
namespace {

void AppendQuoted(std::string& out, std::string_view s) {
  out += boost::json::serialize(boost::json::string(s));
}

}  // namespace

void AuditDetail::Key(std::string_view key) {
  if (!body_.empty()) body_ += ',';
  AppendQuoted(body_, key);
  body_ += ':';
}

AuditDetail& AuditDetail::Add(std::string_view key, std::string_view value) {
  Key(key);
  AppendQuoted(body_, value);
  return *this;
}

AuditDetail& AuditDetail::Add(std::string_view key, int64_t value) {
  Key(key);
  body_ += std::to_string(value);
  return *this;
}

AuditDetail& AuditDetail::Add(std::string_view key, bool value) {
  Key(key);
  body_ += value ? "true" : "false";
  return *this;
}

AuditDetail& AuditDetail::Add(std::string_view key, const std::vector<std::string>& values) {
  Key(key);
  body_ += '[';
  for (size_t i = 0; i < values.size(); ++i) {
    if (i != 0) body_ += ',';
    AppendQuoted(body_, values[i]);
  }
  body_ += ']';
  return *this;
}

Status Audit(Env& env, std::string_view action, std::string_view target_kind,
             std::string_view target_id, std::string detail_json) {
  store::AuditEvent e;
  e.id = env.ids.Next();
  e.at = env.clock.NowSeconds();
  e.actor = env.actor.empty() ? std::string("operator") : env.actor;
  e.action = std::string(action);
  e.target_kind = std::string(target_kind);
  e.target_id = std::string(target_id);
  e.detail_json = detail_json.empty() ? std::string("{}") : std::move(detail_json);
  return env.store.AppendAudit(e);
}

Status Audited(Env& env, const std::function<Status()>& write, std::string_view action,
               std::string_view target_kind, std::string_view target_id, std::string detail_json) {
  return env.store.Transaction([&]() -> Status {
    if (Status s = write(); !s) return s;
    return Audit(env, action, target_kind, target_id, std::move(detail_json));
  });
}

}  // namespace cozeauth::admin
