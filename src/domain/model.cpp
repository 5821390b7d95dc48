#include "domain/model.hpp"

#include <array>
#include <utility>

namespace cozeauth::domain {
namespace {

template <typename E, size_t N>
std::optional<E> Parse(const std::array<std::pair<E, std::string_view>, N>& table,
                       std::string_view s) {
  for (const auto& [v, name] : table) {
    if (name == s) return v;
  }
  return std::nullopt;
}

template <typename E, size_t N>
std::string_view Print(const std::array<std::pair<E, std::string_view>, N>& table, E v) {
  for (const auto& [e, name] : table) {
    if (e == v) return name;
  }
  return "unknown";
}

constexpr std::array<std::pair<AccountKind, std::string_view>, 2> kAccountKinds{
    {{AccountKind::kPersonal, "personal"}, {AccountKind::kOrganization, "organization"}}};
constexpr std::array<std::pair<Edition, std::string_view>, 2> kEditions{
    {{Edition::kTeam, "team"}, {Edition::kEnterprise, "enterprise"}}};
constexpr std::array<std::pair<OrgRole, std::string_view>, 4> kOrgRoles{
    {{OrgRole::kSuperAdmin, "super_admin"},
     {OrgRole::kAdmin, "admin"},
     {OrgRole::kMember, "member"},
     {OrgRole::kGuest, "guest"}}};
constexpr std::array<std::pair<WorkspaceRole, std::string_view>, 3> kWorkspaceRoles{
    {{WorkspaceRole::kOwner, "owner"},
     {WorkspaceRole::kAdmin, "admin"},
     {WorkspaceRole::kMember, "member"}}};
constexpr std::array<std::pair<WorkspaceType, std::string_view>, 2> kWorkspaceTypes{
    {{WorkspaceType::kPersonal, "personal"}, {WorkspaceType::kTeam, "team"}}};

}  // namespace

std::string_view ToString(AccountKind v) { return Print(kAccountKinds, v); }
std::string_view ToString(Edition v) { return Print(kEditions, v); }
std::string_view ToString(OrgRole v) { return Print(kOrgRoles, v); }
std::string_view ToString(WorkspaceRole v) { return Print(kWorkspaceRoles, v); }
std::string_view ToString(WorkspaceType v) { return Print(kWorkspaceTypes, v); }
std::optional<AccountKind> ParseAccountKind(std::string_view s) { return Parse(kAccountKinds, s); }
std::optional<Edition> ParseEdition(std::string_view s) { return Parse(kEditions, s); }
std::optional<OrgRole> ParseOrgRole(std::string_view s) { return Parse(kOrgRoles, s); }
std::optional<WorkspaceRole> ParseWorkspaceRole(std::string_view s) {
  return Parse(kWorkspaceRoles, s);
}
std::optional<WorkspaceType> ParseWorkspaceType(std::string_view s) {
  return Parse(kWorkspaceTypes, s);
}

}  // namespace cozeauth::domain
