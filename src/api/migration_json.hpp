#pragma once
// The JSON of the migration module's values (migration.hpp, account_grants.hpp), as the console
// API answers them, `cozeauth migrate … --json` prints them and the migration record keeps its
// plan. migration/ speaks no JSON; this is its one encoding. Pure functions; thread-safe.

#include <boost/json.hpp>
#include <string>

#include "domain/migration.hpp"
#include "migration/account_grants.hpp"
#include "migration/migration.hpp"

namespace cozeauth::api {

boost::json::object PlanJson(const migration::Plan& plan);
// PlanJson serialized: the migration::PlanEncoder that Migrate records the plan with.
std::string PlanRecord(const migration::Plan& plan);
// The migration with its recorded plan parsed back ("plan": null when it does not parse).
boost::json::object MigrationJson(const domain::Migration& m);
boost::json::object GrantJson(const domain::AccountGrant& g);
boost::json::object CandidateJson(const migration::GrantCandidate& c);

}  // namespace cozeauth::api
