#include "credentials/oauth_app.hpp"

#include "credentials/oauth_grant.hpp"

namespace cozeauth::credentials {

std::string_view ToString(AppType t) {
  switch (t) {
    case AppType::kNormal:
      return "normal";
    case AppType::kConnector:
      return "connector";
    case AppType::kEnterprisePrivileged:
      return "enterprise_privileged";
  }
  return "normal";
}

std::string_view ToString(ClientType t) {
  switch (t) {
    case ClientType::kWeb:
      return "web";
    case ClientType::kPkce:
      return "pkce";
    case ClientType::kDevice:
      return "device";
    case ClientType::kService:
      return "service";
  }
  return "service";
}

std::string_view ToString(AppStatus s) {
  switch (s) {
    case AppStatus::kActive:
      return "active";
    case AppStatus::kDisabled:
      return "disabled";
    case AppStatus::kDeleted:
      return "deleted";
  }
  return "disabled";
}

std::optional<AppType> ParseAppType(std::string_view s) {
  for (auto t : {AppType::kNormal, AppType::kConnector, AppType::kEnterprisePrivileged}) {
    if (ToString(t) == s) return t;
  }
  return std::nullopt;
}

std::optional<ClientType> ParseClientType(std::string_view s) {
  for (auto t : {ClientType::kWeb, ClientType::kPkce, ClientType::kDevice, ClientType::kService}) {
    if (ToString(t) == s) return t;
  }
  return std::nullopt;
}

std::optional<AppStatus> ParseAppStatus(std::string_view s) {
  if (s == "active") return AppStatus::kActive;
  if (s == "disabled") return AppStatus::kDisabled;
  if (s == "deleted") return AppStatus::kDeleted;
  return std::nullopt;
}

std::string_view ToString(AuthorizationKind k) {
  return k == AuthorizationKind::kAppAuth ? "app" : "obo";
}

std::optional<AuthorizationKind> ParseAuthorizationKind(std::string_view s) {
  if (s == "app") return AuthorizationKind::kAppAuth;
  if (s == "obo") return AuthorizationKind::kOboInstall;
  return std::nullopt;
}

std::string_view ToString(DeviceStatus s) {
  switch (s) {
    case DeviceStatus::kPending:
      return "pending";
    case DeviceStatus::kApproved:
      return "approved";
    case DeviceStatus::kDenied:
      return "denied";
    case DeviceStatus::kConsumed:
      return "consumed";
  }
  return "pending";
}

std::optional<DeviceStatus> ParseDeviceStatus(std::string_view s) {
  for (auto d : {DeviceStatus::kPending, DeviceStatus::kApproved, DeviceStatus::kDenied,
                 DeviceStatus::kConsumed}) {
    if (ToString(d) == s) return d;
  }
  return std::nullopt;
}

}  // namespace cozeauth::credentials
