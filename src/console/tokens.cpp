#include "console/tokens.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include "api/json_input.hpp"
#include "base/checked.hpp"

namespace cozeauth::api {
namespace json = boost::json;
namespace {

// A v1 workspace item {resource_type:"Bot", actions:["chat","edit"]} becomes "Bot.chat",
// "Bot.edit": the catalogue resolves prefixed names (coze-platform.md §2.2, accept both forms).
Status FlattenResourceItem(const json::object& item, const std::string& field,
                           std::vector<std::string>& out) {
  const json::value* type = item.if_contains("resource_type");
  const json::value* actions = item.if_contains("actions");
  if ((type != nullptr && !type->is_string() && !type->is_null()) || actions == nullptr ||
      !actions->is_array()) {
    return Error::BadRequest(field, field + " items must be strings or {resource_type, actions[]}");
  }
  const std::string prefix =
      type != nullptr && type->is_string() ? std::string(type->as_string()) : std::string();
  for (const auto& a : actions->as_array()) {
    if (!a.is_string()) return Error::BadRequest(field, field + " actions must be strings");
    std::string action(a.as_string());
    out.push_back(prefix.empty() || action.find('.') != std::string::npos ? action
                                                                          : prefix + "." + action);
  }
  return {};
}

// {permission_list:[...]} (items may be objects only where `allow_objects`).
Result<std::vector<std::string>> PermissionList(const json::object& block, const std::string& field,
                                                bool allow_objects) {
  const std::string list_field = field + ".permission_list";
  const json::value* list = block.if_contains("permission_list");
  std::vector<std::string> out;
  if (list == nullptr || list->is_null()) return out;
  if (!list->is_array()) return Error::BadRequest(list_field, list_field + " must be an array");
  for (const auto& item : list->as_array()) {
    if (item.is_string()) {
      out.emplace_back(item.as_string());
    } else if (allow_objects && item.is_object()) {
      if (auto s = FlattenResourceItem(item.as_object(), list_field, out); !s) return s.error();
    } else {
      return Error::BadRequest(list_field, list_field + " items must be strings");
    }
  }
  return out;
}

// One of the workspace blocks: option 1 (select: workspace_id_list) or 2 (all, present and
// future).
Status ReadWorkspaceBlock(const json::object& block, const std::string& field, bool allow_objects,
                          WireGrant& g) {
  auto points = PermissionList(block, field, allow_objects);
  if (!points) return points.error();
  auto option = OptInt(block, "option");
  if (!option) return Error::BadRequest(field + ".option", field + ".option must be 1 or 2");
  if (option.value() && *option.value() != 1 && *option.value() != 2) {
    return Error::BadRequest(field + ".option", field + ".option must be 1 (select) or 2 (all)");
  }
  auto ids = OptStringList(block, "workspace_id_list");
  if (!ids) {
    return Error::BadRequest(field + ".workspace_id_list",
                             field + ".workspace_id_list must be an array of strings");
  }
  const bool all = option.value().value_or(1) == 2;
  std::vector<std::string> wids = ids.value().value_or(std::vector<std::string>{});
  if (g.workspace) {
    // Both v1 and v2 were sent: they must describe the same scope.
    if (*g.all_workspaces != all || (!all && *g.workspace_ids != wids)) {
      return Error::BadRequest(field,
                               "workspace_permission and workspace_permission_v2 disagree "
                               "on the workspaces");
    }
    g.workspace->insert(g.workspace->end(), points->begin(), points->end());
    return {};
  }
  g.workspace = std::move(points.value());
  g.all_workspaces = all;
  g.workspace_ids = std::move(wids);
  return {};
}

}  // namespace

Result<WireGrant> ParseWireGrant(const json::object& o, std::string_view prefix) {
  WireGrant g;
  struct Block {
    const char* key;
    std::optional<std::vector<std::string>> WireGrant::*list;  // nullptr: a workspace block
    bool allow_objects;
  };
  static constexpr Block kBlocks[] = {
      {"account_permission", &WireGrant::account, false},
      {"workspace_permission", nullptr, true},
      {"workspace_permission_v2", nullptr, false},
      {"enterprise_permission", &WireGrant::enterprise, false},
  };
  for (const auto& b : kBlocks) {
    const std::string field = std::string(prefix) + b.key;
    const json::value* v = o.if_contains(b.key);
    if (v == nullptr || v->is_null()) continue;
    if (!v->is_object()) return Error::BadRequest(field, field + " must be an object");
    if (b.list == nullptr) {
      if (auto s = ReadWorkspaceBlock(v->as_object(), field, b.allow_objects, g); !s) {
        return s.error();
      }
      continue;
    }
    auto points = PermissionList(v->as_object(), field, false);
    if (!points) return points.error();
    g.*b.list = std::move(points.value());
  }
  return g;
}

Result<std::optional<WireExpiry>> ParseWireExpiry(const json::object& o, int64_t now) {
  const json::value* dv = o.if_contains("duration_day");
  std::string duration;
  if (dv != nullptr && dv->is_string()) {
    duration = std::string(dv->as_string());
  } else if (dv != nullptr && dv->is_int64()) {
    duration = std::to_string(dv->as_int64());
  } else if (dv != nullptr && !dv->is_null()) {
    return Error::BadRequest("duration_day", "duration_day must be a string");
  }
  auto expire_at = OptInt(o, "expire_at");
  if (!expire_at) return expire_at.error();
  if (duration.empty() && !expire_at.value()) return std::optional<WireExpiry>{};

  if (duration == "permanent") {
    return std::optional<WireExpiry>(WireExpiry{std::nullopt, "duration_day"});
  }
  if (duration.empty() || duration == "customize") {
    // Custom expiry: whole days from now, rounded up (the UI picks a day's 23:59:59).
    if (!expire_at.value()) {
      return Error::BadRequest("expire_at", "expire_at is required with customize");
    }
    const int64_t at = *expire_at.value();
    if (at <= now) return Error::BadRequest("expire_at", "expire_at must be in the future");
    // Checked: with at near INT64_MAX the rounding sum wrapped negative, and the int cast of the
    // wrapped day count could land inside the allowed 1..30 days.
    const std::optional<int64_t> ahead = CheckedSub(at, now);
    const std::optional<int64_t> rounded =
        ahead ? CheckedAdd(*ahead, credentials::kSecondsPerDay - 1) : std::nullopt;
    const int64_t days = rounded ? *rounded / credentials::kSecondsPerDay : -1;
    if (days < 1 || days > kMaxWireDays) {
      return Error::BadRequest("expire_at", "expire_at is out of range (at most " +
                                                std::to_string(kMaxWireDays) + " days ahead)");
    }
    return std::optional<WireExpiry>(WireExpiry{static_cast<int>(days), "expire_at"});
  }
  if (duration.size() > 6 ||
      !std::all_of(duration.begin(), duration.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Error::BadRequest(
        "duration_day", "duration_day must be a number of days, \"customize\" or \"permanent\"");
  }
  // At most 6 digits: fits an int; admin:: checks the kind's range.
  return std::optional<WireExpiry>(WireExpiry{std::stoi(duration), "duration_day"});
}

void ApplyGrant(const WireGrant& g, admin::TokenSpec& spec) {
  if (g.account) spec.account_permissions = *g.account;
  if (g.workspace) spec.workspace_permissions = *g.workspace;
  if (g.enterprise) spec.enterprise_permissions = *g.enterprise;
  spec.all_workspaces = g.all_workspaces.value_or(false);
  if (g.workspace_ids) spec.workspace_ids = *g.workspace_ids;
}

admin::TokenUpdate ToUpdate(const WireGrant& g) {
  admin::TokenUpdate u;
  u.account_permissions = g.account;
  u.workspace_permissions = g.workspace;
  u.enterprise_permissions = g.enterprise;
  u.all_workspaces = g.all_workspaces;
  u.workspace_ids = g.workspace_ids;
  return u;
}

Error WireError(Error e, std::string_view prefix, std::string_view days_field) {
  if (e.code != Errc::kBadRequest) return e;
  struct Rename {
    std::string_view from, to;
    bool in_permission;  // lives under `prefix`
  };
  static constexpr Rename kRenames[] = {
      {"account_permissions", "account_permission", true},
      {"workspace_permissions", "workspace_permission", true},
      {"workspaces", "workspace_permission", true},
      {"enterprise_permissions", "enterprise_permission", true},
      {"permissions", "permission", false},
      {"account", "organization_id", false},
      {"user", "organization_id", false},
  };
  if (e.field == "days") {
    e.field = std::string(days_field);
    return e;
  }
  for (const auto& r : kRenames) {
    if (e.field == r.from) {
      e.field = (r.in_permission ? std::string(prefix) : std::string()) + std::string(r.to);
      break;
    }
  }
  return e;
}

json::object TokenSummary(const credentials::Token& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"created_at", t.created_at},
          {"updated_at", t.updated_at},
          {"last_used_at", t.last_used_at > 0 ? t.last_used_at : -1},
          {"expire_at", t.expires_at},
          {"organization_id", t.context.account_id}};
}

json::object GrantObject(const credentials::Grant& g) {
  auto strings = [](const std::vector<std::string>& v) {
    json::array a;
    for (const auto& s : v) a.emplace_back(s);
    return a;
  };
  json::object ws{{"option", g.all_workspaces ? 2 : 1},
                  {"workspace_id_list", strings(g.workspace_ids)},
                  {"permission_list", strings(g.workspace_permissions)}};
  return {{"account_permission", json::object{{"permission_list", strings(g.account_permissions)}}},
          {"workspace_permission", ws},
          {"workspace_permission_v2", ws},
          {"enterprise_permission",
           json::object{{"permission_list", strings(g.enterprise_permissions)}}}};
}

}  // namespace cozeauth::api
