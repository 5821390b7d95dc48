// `cozeauth admin user create|list`.

#include <cstdio>
#include <memory>

#include "cli/admin_common.hpp"
#include "cli/admin_print.hpp"

namespace cozeauth::cli {
namespace {

struct UserCreateOptions {
  std::string name;
  std::string email;
  std::string password;
};

void SetupUserCreate(CLI::App& group, Cli& cli) {
  auto o = std::make_shared<UserCreateOptions>();
  CLI::App* cmd =
      AddAdminLeaf(group, "create", "Create a user with a personal account and workspace", cli);
  cmd->add_option("--name", o->name, "Unique user name")->required();
  cmd->add_option("--email", o->email, "Login email")->required();
  // The environment keeps the password out of `ps` and shell history.
  cmd->add_option("--password", o->password, "Console password (8+ characters)")
      ->envname("COZEAUTH_USER_PASSWORD");
  cmd->callback([o, &cli, cmd] {
    if (o->password.empty()) {
      return cli.Fail(Error::BadRequest(
          "password", "a password is required: --password or COZEAUTH_USER_PASSWORD"));
    }
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      auto user = admin::CreateUser(env, o->name, o->email, o->password);
      if (!user) return cli.Fail(user.error());
      // The personal workspace is what most scripts grant a first token on.
      std::string personal_workspace;
      if (auto spaces = env.store.ListWorkspacesOfAccount(user->id); spaces) {
        for (const auto& w : spaces.value()) {
          if (w.type == domain::WorkspaceType::kPersonal) personal_workspace = w.id;
        }
      }
      if (cli.json) {
        auto out = UserJson(*user);
        out["personal_workspace_id"] = personal_workspace;
        return PrintJson(out);
      }
      std::printf("created user %s (%s <%s>); personal workspace %s\n", user->id.c_str(),
                  user->name.c_str(), user->email.c_str(), personal_workspace.c_str());
    });
  });
}

void SetupUserList(CLI::App& group, Cli& cli) {
  CLI::App* cmd = AddAdminLeaf(group, "list", "List users", cli);
  cmd->callback([&cli, cmd] {
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      auto users = env.store.ListUsers();
      if (!users) return cli.Fail(users.error());
      if (cli.json) {
        boost::json::array out;
        for (const auto& u : users.value()) out.emplace_back(UserJson(u));
        return PrintJson(out);
      }
      std::vector<std::vector<std::string>> rows;
      for (const auto& u : users.value()) {
        rows.push_back({u.id, u.name, u.email, FormatTime(u.created_at)});
      }
      PrintTable({"ID", "NAME", "EMAIL", "CREATED"}, rows);
    });
  });
}

}  // namespace

void SetupAdminUserCommands(CLI::App& admin, Cli& cli) {
  CLI::App* group = AddAdminGroup(admin, "user", "Users");
  SetupUserCreate(*group, cli);
  SetupUserList(*group, cli);
}

}  // namespace cozeauth::cli
