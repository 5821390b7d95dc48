#include "api/migration_json.hpp"

namespace cozeauth::api {
namespace json = boost::json;
namespace {

json::array Strings(const std::vector<std::string>& v) { return json::array(v.begin(), v.end()); }

}  // namespace

json::object PlanJson(const migration::Plan& plan) {
  json::array rows;
  for (const auto& r : plan.credentials) {
    rows.push_back(json::object{{"kind", r.kind},
                                {"id", r.id},
                                {"name", r.name},
                                {"owner_user_id", r.owner_user_id},
                                {"app_id", r.app_id},
                                {"live_tokens", r.live_tokens},
                                {"points", Strings(r.points)},
                                {"used_points", Strings(r.used_points)},
                                {"after_cut", r.after_cut},
                                {"after_grant", r.after_grant},
                                {"keeps_with_grant", r.keeps_with_grant},
                                {"covered", r.covered},
                                {"coverage", r.coverage}});
  }
  return json::object{
      {"workspace_id", plan.workspace_id},
      {"workspace_name", plan.workspace_name},
      {"from_account_id", plan.from_account_id},
      {"to_account_id", plan.to_account_id},
      {"enterprise_id", plan.enterprise_id},
      {"enterprise_name", plan.enterprise_name},
      {"credentials", std::move(rows)},
      {"grant_possible", plan.grant_possible},
      {"workspace_resources", json::object{{"bots", plan.bots},
                                           {"workflows", plan.workflows},
                                           {"app_projects", plan.app_projects},
                                           {"note", "move with the workspace, ids unchanged"}}},
      {"account_resources",
       json::object{{"conversations", plan.conversations_left},
                    {"conversation_sample", Strings(plan.conversation_sample)},
                    {"note",
                     "conversations and files stay in the personal account; enterprise "
                     "credentials reach them only through a cross-account grant"}}}};
}

std::string PlanRecord(const migration::Plan& plan) { return json::serialize(PlanJson(plan)); }

json::object MigrationJson(const domain::Migration& m) {
  json::object out{{"id", m.id},
                   {"workspace_id", m.workspace_id},
                   {"from_account_id", m.from_account_id},
                   {"to_account_id", m.to_account_id},
                   {"enterprise_id", m.enterprise_id},
                   {"mode", domain::ToString(m.mode)},
                   {"actor_user_id", m.actor_user_id},
                   {"created_at", m.created_at}};
  boost::system::error_code ec;
  json::value plan = json::parse(m.plan_json, ec);
  out["plan"] = ec ? json::value(nullptr) : plan;
  return out;
}

json::object GrantJson(const domain::AccountGrant& g) {
  return {{"id", g.id},
          {"personal_account_id", g.personal_account_id},
          {"enterprise_id", g.enterprise_id},
          {"credential_kind", domain::ToString(g.credential_kind)},
          {"credential_id", g.credential_id},
          {"granted_by", g.granted_by},
          {"created_at", g.created_at},
          {"revoked_at", g.revoked_at}};
}

json::object CandidateJson(const migration::GrantCandidate& c) {
  return {{"type", domain::ToString(c.kind)},
          {"id", c.id},
          {"name", c.name},
          {"created_at", c.created_at},
          {"expire_at", c.expires_at},
          {"account_permissions", Strings(c.account_points)},
          {"is_authorized", !c.grant_id.empty()},
          {"grant_id", c.grant_id}};
}

}  // namespace cozeauth::api
