#include "api/rehearsal_json.hpp"

#include <string>

namespace cozeauth::api {
namespace json = boost::json;

json::object RehearsalJson(const domain::Rehearsal& r) {
  return {{"id", r.id},
          {"workspace_id", r.workspace_id},
          {"to_account_id", r.to_account_id},
          {"enterprise_id", r.enterprise_id},
          {"mode", std::string(domain::ToString(r.mode))},
          {"actor_user_id", r.actor_user_id},
          {"started_at", r.started_at},
          {"ends_at", r.ends_at},
          {"stopped_at", r.stopped_at}};
}

json::object RehearsalReportJson(const migration::RehearsalReport& report) {
  json::array rows;
  for (const auto& row : report.credentials) {
    json::object by_code;
    for (const auto& [code, n] : row.would_fail_by_code) by_code[std::to_string(code)] = n;
    rows.push_back(json::object{{"kind", row.kind},
                                {"id", row.id},
                                {"name", row.name},
                                {"requests", row.requests},
                                {"real_denied", row.real_denied},
                                {"would_fail", row.would_fail},
                                {"would_fail_by_code", std::move(by_code)},
                                {"in_plan", row.in_plan},
                                {"covered", row.covered},
                                {"coverage", row.coverage}});
  }
  return {{"rehearsal", RehearsalJson(report.rehearsal)},
          {"active", report.active},
          {"requests", report.requests},
          {"would_fail", report.would_fail},
          {"plan_error", report.plan_error},
          {"credentials", std::move(rows)}};
}

}  // namespace cozeauth::api
