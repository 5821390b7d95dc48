#include "policy/catalogue.hpp"

#include <algorithm>
#include <array>

namespace cozeauth::policy {
namespace {

using L = Level;
// Levels follow coze-platform.md §2.3. `chat` is workspace-level: it targets a bot.
constexpr std::array kPoints = {
    // Bots (workspace)
    PermissionPoint{"chat", L::kWorkspace, "bot", "Start a chat with a bot"},
    PermissionPoint{"createBot", L::kWorkspace, "bot", "Create bots in a workspace"},
    PermissionPoint{"edit", L::kWorkspace, "bot", "Update a bot"},
    PermissionPoint{"publish", L::kWorkspace, "bot", "Publish a bot to channels"},
    PermissionPoint{"disconnectBot", L::kWorkspace, "bot", "Unpublish a bot"},
    PermissionPoint{"listBot", L::kWorkspace, "bot", "List bots of a workspace"},
    PermissionPoint{"getMetadata", L::kWorkspace, "bot", "Read a bot's configuration"},
    PermissionPoint{"getPublishedBot", L::kWorkspace, "bot", "List published bots (legacy)"},
    // Workspaces
    PermissionPoint{"listWorkspace", L::kAccount, "workspace", "List workspaces"},
    PermissionPoint{"createWorkspace", L::kAccount, "workspace", "Create workspaces"},
    PermissionPoint{"Workspace.update", L::kWorkspace, "workspace", "Update a workspace"},
    PermissionPoint{"readMember", L::kWorkspace, "workspace", "List workspace members"},
    PermissionPoint{"addMember", L::kWorkspace, "workspace", "Add workspace members"},
    PermissionPoint{"removeMember", L::kWorkspace, "workspace", "Remove workspace members"},
    // Workflows (workspace)
    PermissionPoint{"run", L::kWorkspace, "workflow", "Run workflows"},
    PermissionPoint{"listRunHistory", L::kWorkspace, "workflow", "Read workflow run results"},
    PermissionPoint{"listWorkflow", L::kWorkspace, "workflow", "List workflows"},
    PermissionPoint{"getMetaData", L::kWorkspace, "workflow", "Read a workflow's metadata"},
    // Apps (workspace; coze-platform.md §2: GET /v1/apps)
    PermissionPoint{"listApp", L::kWorkspace, "app", "List apps of a workspace"},
    // Chats and conversations (account)
    PermissionPoint{"getChat", L::kAccount, "chat", "Retrieve a chat"},
    PermissionPoint{"cancelChat", L::kAccount, "chat", "Cancel a chat"},
    PermissionPoint{"submitToolChat", L::kAccount, "chat", "Submit tool outputs"},
    PermissionPoint{"createConversation", L::kAccount, "conversation", "Create conversations"},
    PermissionPoint{"retrieveConversation", L::kAccount, "conversation", "Retrieve a conversation"},
    PermissionPoint{"listConversation", L::kAccount, "conversation", "List conversations"},
    PermissionPoint{"editConversation", L::kAccount, "conversation",
                    "Rename, delete or clear a conversation"},
    PermissionPoint{"createMessage", L::kAccount, "message", "Create messages"},
    PermissionPoint{"listMessage", L::kAccount, "message", "List messages"},
    PermissionPoint{"retrieveMessage", L::kAccount, "message", "Retrieve a message"},
    PermissionPoint{"modifyMessage", L::kAccount, "message", "Modify a message"},
    PermissionPoint{"deleteMessage", L::kAccount, "message", "Delete a message"},
    PermissionPoint{"feedback", L::kAccount, "message", "Message feedback"},
    // Files, audio, variables (account)
    PermissionPoint{"uploadFile", L::kAccount, "file", "Upload files"},
    PermissionPoint{"retrieveFile", L::kAccount, "file", "Retrieve file metadata"},
    PermissionPoint{"listVoice", L::kAccount, "audio", "List voices"},
    PermissionPoint{"createVoice", L::kAccount, "audio", "Clone voices"},
    PermissionPoint{"createSpeech", L::kAccount, "audio", "Speech synthesis"},
    PermissionPoint{"createTranscription", L::kAccount, "audio", "Speech recognition"},
    PermissionPoint{"createRoom", L::kAccount, "audio", "Create RTC rooms"},
    PermissionPoint{"readVariable", L::kAccount, "variable", "Read user variables"},
    PermissionPoint{"updateVariable", L::kAccount, "variable", "Update user variables"},
    // Channel apps (account)
    PermissionPoint{"Connector.botChat", L::kAccount, "connector", "Channel chat"},
    // Enterprise
    PermissionPoint{"getBenefit", L::kEnterprise, "enterprise", "Read enterprise benefits"},
    PermissionPoint{"Enterprise.batchAddPeople", L::kEnterprise, "enterprise",
                    "Add enterprise members"},
    PermissionPoint{"Enterprise.updatePeople", L::kEnterprise, "enterprise",
                    "Update enterprise members"},
    PermissionPoint{"Enterprise.removePeople", L::kEnterprise, "enterprise",
                    "Remove enterprise members"},
    PermissionPoint{"Enterprise.listOrganization", L::kEnterprise, "enterprise",
                    "List organizations"},
    PermissionPoint{"Enterprise.createOrganization", L::kEnterprise, "enterprise",
                    "Create organizations"},
};

}  // namespace

std::string_view ToString(Level level) {
  switch (level) {
    case Level::kAccount:
      return "account";
    case Level::kWorkspace:
      return "workspace";
    case Level::kEnterprise:
      return "enterprise";
  }
  return "unknown";
}

std::span<const PermissionPoint> Catalogue() { return kPoints; }

const PermissionPoint* FindPoint(std::string_view name) {
  for (const auto& p : kPoints) {
    if (p.name == name) return &p;
  }
  // "Bot.getMetadata" → "getMetadata".
  if (auto dot = name.rfind('.'); dot != std::string_view::npos) {
    auto bare = name.substr(dot + 1);
    for (const auto& p : kPoints) {
      if (p.name == bare) return &p;
    }
    return nullptr;
  }
  // The bare form of an enterprise/channel/account point ("batchAddPeople" →
  // "Enterprise.batchAddPeople"; coze-platform.md §2.2: accept both forms). Resource prefixes
  // such as "Workspace." are not stripped: their bare actions ("update") name other points in
  // Coze (knowledge `update`).
  const PermissionPoint* found = nullptr;
  for (const auto& p : kPoints) {
    auto dot = p.name.rfind('.');
    if (dot == std::string_view::npos) continue;
    auto prefix = p.name.substr(0, dot);
    if (prefix != "Enterprise" && prefix != "Connector" && prefix != "Account") continue;
    if (p.name.substr(dot + 1) == name) {
      if (found != nullptr) return nullptr;
      found = &p;
    }
  }
  return found;
}

Result<std::vector<std::string>> CanonicalPoints(const std::vector<std::string>& names, Level level,
                                                 std::string_view field) {
  std::vector<std::string> out;
  for (const auto& n : names) {
    const PermissionPoint* p = FindPoint(n);
    if (p == nullptr) {
      return Error::BadRequest(std::string(field), "unknown permission point '" + n + "'");
    }
    if (p->level != level) {
      return Error::BadRequest(
          std::string(field), "permission point '" + n + "' is " + std::string(ToString(p->level)) +
                                  "-level, not " + std::string(ToString(level)) + "-level");
    }
    if (std::find(out.begin(), out.end(), p->name) == out.end()) out.emplace_back(p->name);
  }
  return out;
}

}  // namespace cozeauth::policy
