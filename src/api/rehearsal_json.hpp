#pragma once
// The JSON of migration rehearsals (migration/rehearsal.hpp), as the console API answers them
// and `cozeauth migrate rehearse|rehearsal … --json` prints them. Pure functions; thread-safe.
//
//   rehearsal: {id, workspace_id, to_account_id, enterprise_id, mode, actor_user_id,
//               started_at, ends_at, stopped_at}
//   report:    {rehearsal, active, requests, would_fail, plan_error,
//               credentials: [{kind, id, name, requests, real_denied, would_fail,
//                              would_fail_by_code: {"4101": n, …}, in_plan, covered, coverage}]}

#include <boost/json.hpp>

#include "domain/rehearsal.hpp"
#include "migration/rehearsal.hpp"

namespace cozeauth::api {

boost::json::object RehearsalJson(const domain::Rehearsal& r);
boost::json::object RehearsalReportJson(const migration::RehearsalReport& report);

}  // namespace cozeauth::api
