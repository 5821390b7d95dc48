#pragma once
// The permission catalogue (coze-platform.md §2.3): every permission point the platform knows,
// with its level and a description. One table in code (catalogue.cpp). Points are named as the
// Coze docs print them (`chat`, `getMetadata`) or with their resource prefix where the docs do
// (`Workspace.update`); FindPoint accepts either form ("Bot.getMetadata" finds `getMetadata`).

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace cozeauth::policy {

enum class Level { kAccount, kWorkspace, kEnterprise };
std::string_view ToString(Level level);

struct PermissionPoint {
  std::string_view name;
  Level level;
  std::string_view group;  // UI grouping (Bot管理 → "bot", …)
  std::string_view description;
};

std::span<const PermissionPoint> Catalogue();
// Exact name, or the part after the last '.' for prefixed forms; nullptr if unknown.
const PermissionPoint* FindPoint(std::string_view name);

// Validates and canonicalises a list of point names that must all be of `level`.
// Fails with kBadRequest naming `field` and the first offending point.
Result<std::vector<std::string>> CanonicalPoints(const std::vector<std::string>& names, Level level,
                                                 std::string_view field);

}  // namespace cozeauth::policy
