#include "support/scenario.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace cozeauth::it {
namespace {

std::string Unique(const std::string& label) {
  static std::atomic<int> counter{0};
  return label + "-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
}

}  // namespace

const std::vector<std::string>& AllAccountPoints() {
  static const std::vector<std::string> kPoints = {
      "listWorkspace",      "createWorkspace",      "getChat",          "cancelChat",
      "createConversation", "retrieveConversation", "listConversation", "editConversation",
      "createMessage",      "listMessage",          "retrieveMessage",  "modifyMessage",
      "deleteMessage",      "uploadFile",           "retrieveFile",     "listVoice",
      "submitToolChat"};
  return kPoints;
}

const std::vector<std::string>& AllWorkspacePoints() {
  static const std::vector<std::string> kPoints = {"chat",        "createBot",     "edit",
                                                   "publish",     "disconnectBot", "listBot",
                                                   "getMetadata", "readMember"};
  return kPoints;
}

std::string JoinPoints(const std::vector<std::string>& points) {
  std::string out;
  for (const auto& p : points) out += (out.empty() ? "" : ",") + p;
  return out;
}

std::vector<std::string> Without(std::vector<std::string> points, const std::string& point) {
  std::erase(points, point);
  return points;
}

UserInfo Scenario::CreateUser(const std::string& label) {
  UserInfo u;
  u.name = Unique(label);
  u.email = u.name + "@cozeauth.test";
  u.password = "Pw-" + u.name + "-x9";
  auto r =
      cli_.Must({"user", "create", "--name", u.name, "--email", u.email, "--password", u.password});
  u.id = r.Str({"id", "user_id"});
  return u;
}

std::string Scenario::CreateWorkspace(const std::string& account_id,
                                      const std::string& owner_user_id, const std::string& name) {
  auto r = cli_.Must(
      {"workspace", "create", "--account", account_id, "--owner", owner_user_id, "--name", name});
  return r.Str({"id", "workspace_id"});
}

void Scenario::AddWorkspaceMember(const std::string& workspace_id, const std::string& user_id,
                                  const std::string& role) {
  cli_.Must(
      {"workspace", "add-member", "--workspace", workspace_id, "--user", user_id, "--role", role});
}

void Scenario::RemoveWorkspaceMember(const std::string& workspace_id, const std::string& user_id) {
  cli_.Must({"workspace", "remove-member", "--workspace", workspace_id, "--user", user_id});
}

std::string Scenario::CreateBot(const std::string& workspace_id, const std::string& name,
                                const std::string& prompt, bool publish) {
  std::vector<std::string> args{"bot", "create", "--workspace", workspace_id, "--name", name};
  if (!prompt.empty()) args.insert(args.end(), {"--prompt", prompt});
  if (publish) args.push_back("--publish");
  auto r = cli_.Must(args);
  return r.Str({"id", "bot_id"});
}

TokenInfo Scenario::CreatePat(const std::string& user_id, const PatSpec& spec) {
  std::vector<std::string> args{"pat",    "create",  "--user", user_id,
                                "--name", spec.name, "--days", std::to_string(spec.days)};
  if (!spec.account_id.empty()) args.insert(args.end(), {"--account", spec.account_id});
  if (!spec.account_permissions.empty()) {
    args.insert(args.end(), {"--account-permissions", JoinPoints(spec.account_permissions)});
  }
  if (!spec.workspace_permissions.empty()) {
    args.insert(args.end(), {"--workspace-permissions", JoinPoints(spec.workspace_permissions)});
  }
  args.insert(args.end(), {"--workspaces", spec.workspaces});
  auto r = cli_.Must(args);
  return TokenInfo{r.Str("id"), r.Str("token")};
}

void Scenario::RevokeToken(const std::string& token_id) {
  cli_.Must({"token", "revoke", "--id", token_id});
}

EnterpriseInfo Scenario::CreateEnterprise(const std::string& name, const std::string& owner_user_id,
                                          const std::string& edition) {
  auto r = cli_.Must(
      {"enterprise", "create", "--name", name, "--owner", owner_user_id, "--edition", edition});
  return EnterpriseInfo{r.Str("enterprise_id"), r.Str("default_org_account_id")};
}

AppInfo Scenario::CreateApp(const AppSpec& spec) {
  if (spec.owner.empty()) throw std::runtime_error("Scenario::CreateApp: AppSpec.owner is empty");
  std::vector<std::string> args{"app",
                                "create",
                                "--owner-account",
                                spec.owner_account.empty() ? spec.owner : spec.owner_account,
                                "--owner",
                                spec.owner,
                                "--name",
                                spec.name.empty() ? Unique("app") : spec.name,
                                "--client-type",
                                spec.client_type};
  if (!spec.app_type.empty()) args.insert(args.end(), {"--app-type", spec.app_type});
  std::vector<std::string> uris = spec.redirect_uris;
  if (uris.empty() && (spec.client_type == "web" || spec.client_type == "pkce")) {
    uris.push_back("http://localhost:8080/callback");
  }
  for (const auto& uri : uris) args.insert(args.end(), {"--redirect-uri", uri});
  if (!spec.account_permissions.empty()) {
    args.insert(args.end(), {"--account-permissions", JoinPoints(spec.account_permissions)});
  }
  if (!spec.workspace_permissions.empty()) {
    args.insert(args.end(), {"--workspace-permissions", JoinPoints(spec.workspace_permissions)});
  }
  if (!spec.enterprise_permissions.empty()) {
    args.insert(args.end(), {"--enterprise-permissions", JoinPoints(spec.enterprise_permissions)});
  }
  auto r = cli_.Must(args);
  return AppInfo{r.Str("id"), r.Str("client_id")};
}

std::string Scenario::AddAppKey(const std::string& app_id, const std::string& public_key_pem) {
  const char* tmpdir = std::getenv("TMPDIR");
  std::string path = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/cozeauth-key-XXXXXX";
  const int fd = mkstemp(path.data());
  if (fd < 0) throw std::runtime_error("Scenario::AddAppKey: mkstemp failed");
  close(fd);
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << public_key_pem;
  }
  CliResult r;
  try {
    r = cli_.Must({"app", "key", "add", "--app", app_id, "--public-key-file", path});
  } catch (...) {
    std::filesystem::remove(path);
    throw;
  }
  std::filesystem::remove(path);
  return r.Str({"kid", "fingerprint"});
}

std::string Scenario::CreateClientSecret(const std::string& app_id) {
  return cli_.Must({"app", "secret", "create", "--app", app_id}).Str("secret");
}

std::string Scenario::AuthorizeApp(const std::string& app_id, const std::string& by_user,
                                   const std::string& place, const std::string& kind,
                                   const AuthorizeOptions& options) {
  std::vector<std::string> args{"app", "authorize", "--app", app_id, "--by", by_user};
  const bool enterprise = place.rfind("ent_", 0) == 0;
  args.insert(args.end(), {enterprise ? "--enterprise" : "--account", place});
  if (!kind.empty()) args.insert(args.end(), {"--kind", kind});
  args.insert(args.end(), {"--workspaces", options.workspaces});
  if (options.account_permissions) {
    args.insert(args.end(), {"--account-permissions", JoinPoints(*options.account_permissions)});
  }
  if (options.workspace_permissions) {
    args.insert(args.end(),
                {"--workspace-permissions", JoinPoints(*options.workspace_permissions)});
  }
  if (options.enterprise_permissions) {
    args.insert(args.end(),
                {"--enterprise-permissions", JoinPoints(*options.enterprise_permissions)});
  }
  return cli_.Must(args).Str("id");
}

void Scenario::RevokeAuthorization(const std::string& authorization_id) {
  cli_.Must({"app", "revoke", "--authorization", authorization_id});
}

void Scenario::SetAppEnabled(const std::string& app_id, bool enabled) {
  cli_.Must({"app", enabled ? "enable" : "disable", "--app", app_id});
}

World Scenario::MakeWorld(const std::string& prompt) {
  World w;
  w.user = CreateUser("owner");
  w.workspace_id = CreateWorkspace(w.user.id, w.user.id, "Team " + w.user.name);
  w.prompt = prompt;
  w.bot_id = CreateBot(w.workspace_id, "Bot " + w.user.name, prompt, /*publish=*/true);
  w.pat = CreatePat(w.user.id);
  return w;
}

std::string ExpectedReply(const std::string& prompt, const std::string& message) {
  return prompt.empty() ? message : prompt + " " + message;
}

}  // namespace cozeauth::it
