#pragma once
// The console's wire mapping for personal access tokens and service identities
// (coze-platform.md §2.2, §3.3, §4): Coze's request bodies → admin::TokenSpec / TokenUpdate, and
// credentials::Token → Coze's response objects. Parsing only checks shapes (a field of the wrong
// type is a kBadRequest naming it); the rules themselves (lifetimes, points, levels, workspaces,
// limits) are admin::CreateToken / UpdateToken's, whose field names WireError translates back
// into the request's. Pure functions.

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "admin/operations.hpp"
#include "api/deps.hpp"
#include "credentials/token.hpp"
#include "http/router.hpp"

namespace cozeauth::api {

// The permission blocks of a body, each optional (absent = unchanged on update).
struct WireGrant {
  std::optional<std::vector<std::string>> account, workspace, enterprise;
  std::optional<bool> all_workspaces;
  std::optional<std::vector<std::string>> workspace_ids;
};

// Reads account_permission, workspace_permission (v1: items are strings or
// {resource_type, actions[]}), workspace_permission_v2 and enterprise_permission from `o`.
// `prefix` is prepended to field names in errors ("permission." for service identities).
Result<WireGrant> ParseWireGrant(const boost::json::object& o, std::string_view prefix);

// duration_day ("1".."3650", "permanent", "customize") and expire_at (Unix seconds, used with
// "customize" or alone), as whole days from `now` rounded up; nullopt inside = permanent.
// Outer nullopt when neither field is present. duration_day has at most 6 digits; an expire_at
// more than kMaxWireDays ahead (the longest any token may live) is a kBadRequest, computed with
// checked arithmetic so that no value can wrap. admin:: then applies each kind's own limit.
inline constexpr int64_t kMaxWireDays = 3650;
struct WireExpiry {
  std::optional<int> days;
  std::string field;  // which request field decided it, for error messages
};
Result<std::optional<WireExpiry>> ParseWireExpiry(const boost::json::object& o, int64_t now);

// Applies the parsed blocks to a spec (creation: absent blocks grant nothing).
void ApplyGrant(const WireGrant& g, admin::TokenSpec& spec);
admin::TokenUpdate ToUpdate(const WireGrant& g);

// Renames admin's field names to the request's (account_permissions → account_permission,
// days → duration_day / expire_at, account → organization_id, …), with `prefix`.
Error WireError(Error e, std::string_view prefix, std::string_view days_field = "duration_day");

// {id, name, created_at, updated_at, last_used_at (-1 never), expire_at (-1 permanent),
// organization_id (the account the token lives in: the owner's user id for a personal one)}.
boost::json::object TokenSummary(const credentials::Token& t);
// {account_permission, workspace_permission, workspace_permission_v2, enterprise_permission}.
boost::json::object GrantObject(const credentials::Grant& g);

}  // namespace cozeauth::api
