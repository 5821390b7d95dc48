// `cozeauth admin app key add|delete`: the RSA public keys of service apps (coze-platform.md
// §5.2). A key's fingerprint is the `kid` of the JWTs it verifies; deleting a key makes them
// fail at once. The PEM file is read before the store is opened.

#include <cstdio>
#include <memory>

#include "admin/oauth_apps.hpp"
#include "cli/admin_common.hpp"
#include "cli/admin_print.hpp"

namespace cozeauth::cli {
namespace {

struct KeyOptions {
  std::string app;
  std::string kid;   // key fingerprint
  std::string file;  // public key PEM
};

void SetupKeyAdd(CLI::App& group, Cli& cli) {
  auto o = std::make_shared<KeyOptions>();
  CLI::App* cmd = AddAdminLeaf(
      group, "add", "Register a service app's RSA public key; prints its fingerprint (kid)", cli);
  cmd->add_option("--app", o->app, "App id")->required();
  cmd->add_option("--public-key-file", o->file, "PEM file of the public key (never the private)")
      ->required();
  cmd->callback([o, &cli, cmd] {
    auto pem = ReadTextFile(o->file, "public_key", "--public-key-file");
    if (!pem) return cli.Fail(pem.error());
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      auto key = admin::AddPublicKey(env, o->app, *pem);
      if (!key) return cli.Fail(key.error());
      if (cli.json) return PrintJson(AppPublicKeyJson(*key));
      std::printf("added public key to app %s\nkid: %s\n", key->app_id.c_str(),
                  key->fingerprint.c_str());
    });
  });
}

void SetupKeyDelete(CLI::App& group, Cli& cli) {
  auto o = std::make_shared<KeyOptions>();
  CLI::App* cmd = AddAdminLeaf(group, "delete", "Delete a public key (its JWTs stop working)", cli);
  cmd->add_option("--app", o->app, "App id")->required();
  cmd->add_option("--kid", o->kid, "Key fingerprint (the JWT kid)")->required();
  cmd->callback([o, &cli, cmd] {
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      if (auto s = admin::DeleteKey(env, o->app, o->kid); !s) return cli.Fail(s.error());
      if (cli.json) {
        return PrintJson(
            boost::json::object{{"app_id", o->app}, {"kid", o->kid}, {"deleted", true}});
      }
      std::printf("deleted public key %s of app %s\n", o->kid.c_str(), o->app.c_str());
    });
  });
}

}  // namespace

void SetupAppKeyCommands(CLI::App& app_group, Cli& cli) {
  CLI::App* key = AddAdminGroup(app_group, "key", "Public keys of service apps (JWT kid)");
  SetupKeyAdd(*key, cli);
  SetupKeyDelete(*key, cli);
}

}  // namespace cozeauth::cli
