// `cozeauth admin app …`: OAuth apps (coze-platform.md §5) — create|list|get and
// disable|enable|delete here; the app's client secrets (admin_app_secrets.cpp), public keys
// (admin_app_keys.cpp), authorizations and installations (admin_app_authorizations.cpp) and the
// SDKs' JSON config (admin_app_export.cpp) in their own files. SetupAdminAppCommands registers
// them all, in the order `--help` lists them.

#include <cstdio>
#include <memory>

#include "admin/oauth_apps.hpp"
#include "base/strings.hpp"
#include "cli/admin_common.hpp"
#include "cli/admin_print.hpp"

namespace cozeauth::cli {
namespace {

using credentials::AppAuthorization;
using credentials::ClientType;
using credentials::OAuthApp;

// --- create

struct AppCreateOptions {
  std::string owner_account;
  std::string owner;
  std::string name;
  std::string client_type;
  std::string app_type = "normal";
  std::string description;
  std::vector<std::string> redirect_uris;
  std::string account_permissions;
  std::string workspace_permissions;
  std::string enterprise_permissions;
};

Result<admin::AppSpec> BuildAppSpec(const AppCreateOptions& o) {
  admin::AppSpec spec;
  auto client_type = credentials::ParseClientType(o.client_type);
  if (!client_type) {
    return Error::BadRequest("client_type",
                             "--client-type must be web, pkce, device or service, "
                             "not '" +
                                 o.client_type + "'");
  }
  auto app_type = credentials::ParseAppType(o.app_type);
  if (!app_type) {
    return Error::BadRequest("app_type",
                             "--app-type must be normal, connector or "
                             "enterprise_privileged, not '" +
                                 o.app_type + "'");
  }
  if (o.redirect_uris.size() > admin::kMaxRedirectUris) {
    return Error::BadRequest("redirect_uri", "at most 3 --redirect-uri");
  }
  spec.owner_account_id = o.owner_account;
  spec.owner_user_id = o.owner;
  spec.name = o.name;
  spec.description = o.description;
  spec.client_type = *client_type;
  spec.app_type = *app_type;
  spec.redirect_uris = o.redirect_uris;
  spec.account_permissions = SplitNonEmpty(o.account_permissions, ',');
  spec.workspace_permissions = SplitNonEmpty(o.workspace_permissions, ',');
  spec.enterprise_permissions = SplitNonEmpty(o.enterprise_permissions, ',');
  return spec;
}

void SetupAppCreate(CLI::App& group, Cli& cli) {
  auto o = std::make_shared<AppCreateOptions>();
  CLI::App* cmd = AddAdminLeaf(group, "create", "Create an OAuth app (declares its points)", cli);
  cmd->add_option("--owner-account", o->owner_account,
                  "Owning account: the owner's personal account or an organization they administer")
      ->required();
  cmd->add_option("--owner", o->owner,
                  "Owner user id (default: the user of a personal --owner-account)");
  cmd->add_option("--name", o->name, "App name")->required();
  cmd->add_option("--client-type", o->client_type, "web|pkce|device|service")->required();
  cmd->add_option("--app-type", o->app_type,
                  "normal (default), connector or enterprise_privileged (service apps only)");
  cmd->add_option("--description", o->description, "Description");
  cmd->add_option("--redirect-uri", o->redirect_uris,
                  "Redirect URI of a web or pkce app (repeat the option, 1 to 3)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  cmd->add_option("--account-permissions", o->account_permissions,
                  "Comma list of declared account-level points");
  cmd->add_option("--workspace-permissions", o->workspace_permissions,
                  "Comma list of declared workspace-level points");
  cmd->add_option("--enterprise-permissions", o->enterprise_permissions,
                  "Comma list of declared enterprise-level points");
  cmd->callback([o, &cli, cmd] {
    auto spec = BuildAppSpec(*o);
    if (!spec) return cli.Fail(spec.error());
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      if (spec->owner_user_id.empty()) {
        auto account = env.store.GetAccount(spec->owner_account_id);
        if (!account) {
          return cli.Fail(Error::BadRequest("owner_account",
                                            "account " + spec->owner_account_id + " not found"));
        }
        if (account->kind != domain::AccountKind::kPersonal) {
          return cli.Fail(Error::BadRequest(
              "owner", "--owner is required when --owner-account is an organization"));
        }
        spec->owner_user_id = account->user_id;
      }
      auto app = admin::CreateApp(env, *spec);
      if (!app) return cli.Fail(app.error());
      if (cli.json) return PrintJson(AppJson(*app));
      std::printf("created app %s (%s, %s client)\nclient_id: %s\n", app->id.c_str(),
                  app->name.c_str(), std::string(credentials::ToString(app->client_type)).c_str(),
                  app->client_id.c_str());
      if (app->client_type == ClientType::kService) {
        std::printf("next: cozeauth admin app key add --app %s --public-key-file public.pem\n",
                    app->id.c_str());
      } else if (app->client_type == ClientType::kWeb) {
        std::printf("next: cozeauth admin app secret create --app %s\n", app->id.c_str());
      }
    });
  });
}

// --- list, get

void SetupAppList(CLI::App& group, Cli& cli) {
  auto account = std::make_shared<std::string>();
  CLI::App* cmd = AddAdminLeaf(group, "list", "List the OAuth apps an account owns", cli);
  cmd->add_option("--account", *account, "Owning account id (personal or organization)")
      ->required();
  cmd->callback([account, &cli, cmd] {
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      if (auto a = env.store.GetAccount(*account); !a) {
        return cli.Fail(Error::Make(a.error().code, "account " + *account + " not found"));
      }
      auto apps = env.store.ListOAuthAppsOfAccount(*account);
      if (!apps) return cli.Fail(apps.error());
      if (cli.json) {
        boost::json::array out;
        for (const auto& a : apps.value()) out.emplace_back(AppJson(a));
        return PrintJson(out);
      }
      std::vector<std::vector<std::string>> rows;
      for (const auto& a : apps.value()) {
        rows.push_back({a.id, a.client_id, a.name,
                        std::string(credentials::ToString(a.client_type)),
                        std::string(credentials::ToString(a.app_type)),
                        std::string(credentials::ToString(a.status)), FormatTime(a.created_at)});
      }
      PrintTable({"ID", "CLIENT ID", "NAME", "CLIENT TYPE", "APP TYPE", "STATUS", "CREATED"}, rows);
    });
  });
}

void PrintAppDetails(const OAuthApp& a, const std::vector<credentials::AppPublicKey>& keys,
                     const std::vector<credentials::ClientSecret>& secrets,
                     const std::vector<AppAuthorization>& authorizations) {
  std::printf("id:           %s\nclient_id:    %s\nname:         %s\n", a.id.c_str(),
              a.client_id.c_str(), a.name.c_str());
  if (!a.description.empty()) std::printf("description:  %s\n", a.description.c_str());
  std::printf("client_type:  %s\napp_type:     %s\nstatus:       %s\n",
              std::string(credentials::ToString(a.client_type)).c_str(),
              std::string(credentials::ToString(a.app_type)).c_str(),
              std::string(credentials::ToString(a.status)).c_str());
  std::printf("owner:        account %s, user %s\n", a.owner_account_id.c_str(),
              a.owner_user_id.c_str());
  std::printf("declared:     account: %s; workspace: %s; enterprise: %s\n",
              JoinOrDash(a.account_permissions).c_str(),
              JoinOrDash(a.workspace_permissions).c_str(),
              JoinOrDash(a.enterprise_permissions).c_str());
  if (!a.redirect_uris.empty()) {
    std::printf("redirects:    %s\n", Join(a.redirect_uris, " ").c_str());
  }
  std::printf("created:      %s\n", FormatTime(a.created_at).c_str());
  if (a.client_type == ClientType::kService) {
    std::printf("\npublic keys (%zu):\n", keys.size());
    std::vector<std::vector<std::string>> rows;
    for (const auto& k : keys) rows.push_back({k.fingerprint, FormatTime(k.created_at)});
    if (!rows.empty()) PrintTable({"KID", "ADDED"}, rows);
  }
  if (a.client_type == ClientType::kWeb) {
    std::printf("\nclient secrets (%zu):\n", secrets.size());
    std::vector<std::vector<std::string>> rows;
    for (const auto& s : secrets) rows.push_back({s.id, s.mask, FormatTime(s.created_at)});
    if (!rows.empty()) PrintTable({"ID", "MASK", "CREATED"}, rows);
  }
  std::printf("\nauthorizations (%zu):\n", authorizations.size());
  std::vector<std::vector<std::string>> rows;
  for (const auto& z : authorizations) {
    rows.push_back({z.id, std::string(credentials::ToString(z.kind)), AuthorizationPlace(z),
                    std::string(AuthorizationStatus(z)), z.authorized_by, FormatTime(z.created_at),
                    DescribeGrant(z.grant)});
  }
  if (!rows.empty()) {
    PrintTable({"ID", "KIND", "PLACE", "STATUS", "BY", "CREATED", "GRANT"}, rows);
  }
}

void SetupAppGet(CLI::App& group, Cli& cli) {
  auto app_id = std::make_shared<std::string>();
  CLI::App* cmd = AddAdminLeaf(
      group, "get", "Show an app with its public keys, secrets' masks and authorizations", cli);
  cmd->add_option("--app", *app_id, "App id")->required();
  cmd->callback([app_id, &cli, cmd] {
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      // Deleted apps stay readable (status "deleted").
      auto app = env.store.GetOAuthApp(*app_id);
      if (!app) return cli.Fail(Error::Make(app.error().code, "app " + *app_id + " not found"));
      auto keys = env.store.ListAppPublicKeys(*app_id);
      if (!keys) return cli.Fail(keys.error());
      auto secrets = env.store.ListClientSecrets(*app_id);
      if (!secrets) return cli.Fail(secrets.error());
      auto authorizations = env.store.ListAppAuthorizations(*app_id);
      if (!authorizations) return cli.Fail(authorizations.error());
      if (!cli.json) {
        return PrintAppDetails(*app, keys.value(), secrets.value(), authorizations.value());
      }
      auto out = AppJson(*app);
      boost::json::array k, s, z;
      for (const auto& key : keys.value()) k.emplace_back(AppPublicKeyJson(key));
      for (const auto& secret : secrets.value()) s.emplace_back(ClientSecretJson(secret));
      for (const auto& a : authorizations.value()) z.emplace_back(AuthorizationJson(a));
      out["public_keys"] = std::move(k);
      out["client_secrets"] = std::move(s);
      out["authorizations"] = std::move(z);
      PrintJson(out);
    });
  });
}

// --- enable, disable, delete

enum class AppChange { kEnable, kDisable, kDelete };

void SetupAppChange(CLI::App& group, Cli& cli, AppChange change) {
  auto app_id = std::make_shared<std::string>();
  const char* name = change == AppChange::kEnable    ? "enable"
                     : change == AppChange::kDisable ? "disable"
                                                     : "delete";
  const char* description =
      change == AppChange::kEnable ? "Enable an app again (its tokens work again)"
      : change == AppChange::kDisable
          ? "Disable an app: all its tokens are suspended (4100) until enabled"
          : "Delete an app: revokes every authorization, consent and token; irreversible";
  CLI::App* cmd = AddAdminLeaf(group, name, description, cli);
  cmd->add_option("--app", *app_id, "App id")->required();
  cmd->callback([app_id, &cli, cmd, change, name] {
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      Status s = change == AppChange::kDelete
                     ? admin::DeleteApp(env, *app_id)
                     : admin::SetAppEnabled(env, *app_id, change == AppChange::kEnable);
      if (!s) return cli.Fail(s.error());
      auto app = env.store.GetOAuthApp(*app_id);
      if (!app) return cli.Fail(app.error());
      if (cli.json) return PrintJson(AppJson(*app));
      std::printf("%sd app %s (status %s)\n", name, app->id.c_str(),
                  std::string(credentials::ToString(app->status)).c_str());
    });
  });
}

}  // namespace

void SetupAdminAppCommands(CLI::App& admin, Cli& cli) {
  CLI::App* app = AddAdminGroup(admin, "app", "OAuth apps: keys, secrets, authorizations");
  SetupAppCreate(*app, cli);
  SetupAppList(*app, cli);
  SetupAppGet(*app, cli);
  SetupAppSecretCommands(*app, cli);
  SetupAppKeyCommands(*app, cli);
  SetupAppChange(*app, cli, AppChange::kDisable);
  SetupAppChange(*app, cli, AppChange::kEnable);
  SetupAppChange(*app, cli, AppChange::kDelete);
  SetupAppAuthorizationCommands(*app, cli);
  SetupAppExportCommand(*app, cli);
}

}  // namespace cozeauth::cli
