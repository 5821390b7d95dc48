#include "support/scenario.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>

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
      "deleteMessage",      "uploadFile",           "retrieveFile",     "listVoice"};
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
