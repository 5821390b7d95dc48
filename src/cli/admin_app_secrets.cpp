// `cozeauth admin app secret create|delete`: the client secrets of web apps (coze-platform.md
// §5.2). A new secret's plaintext is printed once, by create alone; only its SHA-256 is stored
// (admin::CreateClientSecret). A deleted secret stops authenticating at once.

#include <cstdio>
#include <memory>

#include "admin/oauth_apps.hpp"
#include "cli/admin_common.hpp"
#include "cli/admin_print.hpp"

namespace cozeauth::cli {
namespace {

struct SecretOptions {
  std::string app;
  std::string id;  // secret id
};

void SetupSecretCreate(CLI::App& group, Cli& cli) {
  auto o = std::make_shared<SecretOptions>();
  CLI::App* cmd =
      AddAdminLeaf(group, "create", "Create a client secret of a web app (printed once)", cli);
  cmd->add_option("--app", o->app, "App id")->required();
  cmd->callback([o, &cli, cmd] {
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      auto created = admin::CreateClientSecret(env, o->app);
      if (!created) return cli.Fail(created.error());
      const auto& s = created->secret;
      if (cli.json) {
        auto out = ClientSecretJson(s);
        out["secret"] = created->plaintext;
        return PrintJson(out);
      }
      std::printf("client secret (shown once; only its hash is stored, copy it now):\n  %s\n",
                  created->plaintext.c_str());
      std::printf("id:    %s\napp:   %s\nmask:  %s\n", s.id.c_str(), s.app_id.c_str(),
                  s.mask.c_str());
    });
  });
}

void SetupSecretDelete(CLI::App& group, Cli& cli) {
  auto o = std::make_shared<SecretOptions>();
  CLI::App* cmd = AddAdminLeaf(group, "delete", "Delete a client secret at once", cli);
  cmd->add_option("--app", o->app, "App id")->required();
  cmd->add_option("--id", o->id, "Client secret id")->required();
  cmd->callback([o, &cli, cmd] {
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      if (auto s = admin::DeleteClientSecret(env, o->app, o->id); !s) return cli.Fail(s.error());
      if (cli.json) {
        return PrintJson(boost::json::object{{"app_id", o->app}, {"id", o->id}, {"deleted", true}});
      }
      std::printf("deleted client secret %s of app %s\n", o->id.c_str(), o->app.c_str());
    });
  });
}

}  // namespace

void SetupAppSecretCommands(CLI::App& app_group, Cli& cli) {
  CLI::App* secret = AddAdminGroup(app_group, "secret", "Client secrets of web apps");
  SetupSecretCreate(*secret, cli);
  SetupSecretDelete(*secret, cli);
}

}  // namespace cozeauth::cli
