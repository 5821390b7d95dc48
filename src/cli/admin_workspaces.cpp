// `cozeauth admin workspace create|add-member|remove-member|list` and `admin bot create`.

#include <cstdio>
#include <memory>

#include "admin/bots.hpp"
#include "cli/admin_common.hpp"
#include "cli/admin_print.hpp"

namespace cozeauth::cli {
namespace {

struct WorkspaceOptions {
  std::string workspace;
  std::string account;
  std::string owner;
  std::string name;
  std::string description;
  std::string user;
  std::string role;
};

void SetupWorkspaceCreate(CLI::App& group, Cli& cli) {
  auto o = std::make_shared<WorkspaceOptions>();
  CLI::App* cmd = AddAdminLeaf(group, "create", "Create a team workspace in an account", cli);
  cmd->add_option("--account", o->account, "Owning account id (personal or organization)")
      ->required();
  cmd->add_option("--owner", o->owner, "User id of the workspace owner")->required();
  cmd->add_option("--name", o->name, "Workspace name")->required();
  cmd->add_option("--description", o->description, "Description");
  cmd->callback([o, &cli, cmd] {
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      auto ws = admin::CreateWorkspace(env, o->account, o->owner, o->name, o->description);
      if (!ws) return cli.Fail(ws.error());
      if (cli.json) return PrintJson(WorkspaceJson(*ws));
      std::printf("created workspace %s (%s) in account %s\n", ws->id.c_str(), ws->name.c_str(),
                  ws->owner_account_id.c_str());
    });
  });
}

void SetupWorkspaceAddMember(CLI::App& group, Cli& cli) {
  auto o = std::make_shared<WorkspaceOptions>();
  CLI::App* cmd = AddAdminLeaf(group, "add-member", "Set a user's role in a workspace", cli);
  cmd->add_option("--workspace", o->workspace, "Workspace id")->required();
  cmd->add_option("--user", o->user, "User id")->required();
  cmd->add_option("--role", o->role, "admin|member")->required();
  cmd->callback([o, &cli, cmd] {
    auto role = domain::ParseWorkspaceRole(o->role);
    if (!role || *role == domain::WorkspaceRole::kOwner) {
      return cli.Fail(
          Error::BadRequest("role", "--role must be admin or member, not '" + o->role + "'"));
    }
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      if (auto s = admin::AddWorkspaceMember(env, o->workspace, o->user, *role); !s) {
        return cli.Fail(s.error());
      }
      const std::string role_name(domain::ToString(*role));
      if (cli.json) {
        return PrintJson(boost::json::object{
            {"workspace_id", o->workspace}, {"user_id", o->user}, {"role", role_name}});
      }
      std::printf("user %s is %s of workspace %s\n", o->user.c_str(), role_name.c_str(),
                  o->workspace.c_str());
    });
  });
}

void SetupWorkspaceRemoveMember(CLI::App& group, Cli& cli) {
  auto o = std::make_shared<WorkspaceOptions>();
  CLI::App* cmd = AddAdminLeaf(group, "remove-member", "Remove a user from a workspace", cli);
  cmd->add_option("--workspace", o->workspace, "Workspace id")->required();
  cmd->add_option("--user", o->user, "User id")->required();
  cmd->callback([o, &cli, cmd] {
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      if (auto s = admin::RemoveWorkspaceMember(env, o->workspace, o->user); !s) {
        return cli.Fail(s.error());
      }
      if (cli.json) {
        return PrintJson(boost::json::object{
            {"workspace_id", o->workspace}, {"user_id", o->user}, {"removed", true}});
      }
      std::printf("removed user %s from workspace %s\n", o->user.c_str(), o->workspace.c_str());
    });
  });
}

void SetupWorkspaceList(CLI::App& group, Cli& cli) {
  auto o = std::make_shared<WorkspaceOptions>();
  CLI::App* cmd = AddAdminLeaf(group, "list", "List the workspaces of an account", cli);
  cmd->add_option("--account", o->account, "Account id (personal or organization)")->required();
  cmd->callback([o, &cli, cmd] {
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      if (auto a = env.store.GetAccount(o->account); !a) {
        return cli.Fail(Error::Make(a.error().code, "account " + o->account + " not found"));
      }
      auto spaces = env.store.ListWorkspacesOfAccount(o->account);
      if (!spaces) return cli.Fail(spaces.error());
      if (cli.json) {
        boost::json::array out;
        for (const auto& w : spaces.value()) out.emplace_back(WorkspaceJson(w));
        return PrintJson(out);
      }
      std::vector<std::vector<std::string>> rows;
      for (const auto& w : spaces.value()) {
        rows.push_back({w.id, w.name, std::string(domain::ToString(w.type)), w.owner_user_id,
                        FormatTime(w.created_at)});
      }
      PrintTable({"ID", "NAME", "TYPE", "OWNER", "CREATED"}, rows);
    });
  });
}

void SetupBotCreate(CLI::App& group, Cli& cli) {
  auto spec = std::make_shared<admin::BotSpec>();
  CLI::App* cmd = AddAdminLeaf(group, "create", "Create a bot in a workspace", cli);
  cmd->add_option("--workspace", spec->workspace_id, "Workspace id")->required();
  cmd->add_option("--name", spec->name, "Bot name")->required();
  cmd->add_option("--prompt", spec->prompt, "System prompt");
  cmd->add_option("--description", spec->description, "Description");
  cmd->add_option("--prologue", spec->prologue, "Opening message");
  cmd->add_flag("--publish", spec->publish, "Publish to the API channel (connector 1024)");
  cmd->callback([spec, &cli, cmd] {
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      auto bot = admin::CreateBot(env, *spec);
      if (!bot) return cli.Fail(bot.error());
      if (cli.json) return PrintJson(BotJson(*bot));
      std::printf("created bot %s (%s) in workspace %s%s\n", bot->id.c_str(), bot->name.c_str(),
                  bot->workspace_id.c_str(), bot->is_published ? ", published" : "");
    });
  });
}

}  // namespace

void SetupAdminWorkspaceCommands(CLI::App& admin, Cli& cli) {
  CLI::App* workspace = AddAdminGroup(admin, "workspace", "Workspaces and their members");
  SetupWorkspaceCreate(*workspace, cli);
  SetupWorkspaceAddMember(*workspace, cli);
  SetupWorkspaceRemoveMember(*workspace, cli);
  SetupWorkspaceList(*workspace, cli);
  CLI::App* bot = AddAdminGroup(admin, "bot", "Bots (workspace-level resources)");
  SetupBotCreate(*bot, cli);
}

}  // namespace cozeauth::cli
