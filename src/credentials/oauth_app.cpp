#include "credentials/oauth_app.hpp"

namespace cozeauth::credentials {

std::string_view ToString(AppType t) {
  switch (t) {
    case AppType::kNormal: return "normal";
    case AppType::kConnector: return "connector";
    case AppType::kEnterprisePrivileged: return "enterprise_privileged";
  }
  return "normal";
}

std::string_view ToString(ClientType t) {
  switch (t) {
    case ClientType::kWeb: return "web";
    case ClientType::kPkce: return "pkce";
    case ClientType::kDevice: return "device";
    case ClientType::kService: return "service";
  }
  return "service";
}

std::string_view ToString(AppStatus s) {
  return s == AppStatus::kActive ? "active" : "disabled";
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
  return std::nullopt;
}

}  // namespace cozeauth::credentials
