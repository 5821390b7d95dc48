// `cozeauth admin app authorize|revoke|disable-authorization|enable-authorization|installations`:
// where an app may act (coze-platform.md §5.3–§5.4) — AppAuth authorizations of service apps into
// an account or enterprise-wide, OBO installations of web/pkce/device apps into an enterprise,
// their revocation with every token issued through them, their suspension (disable, enable
// again), and an enterprise's list of them (应用安装管理).

#include <cstdio>
#include <memory>

#include "admin/oauth_apps.hpp"
#include "base/strings.hpp"
#include "cli/admin_common.hpp"
#include "cli/admin_print.hpp"

namespace cozeauth::cli {
namespace {

using credentials::AppAuthorization;
using credentials::AuthorizationKind;
using credentials::ClientType;

struct AuthorizeOptions {
  std::string app;
  std::string by;
  std::string account;
  std::string enterprise;
  std::string kind;
  std::string workspaces = "all";
  std::string account_permissions;
  std::string workspace_permissions;
  std::string enterprise_permissions;
  CLI::Option* account_permissions_opt = nullptr;
  CLI::Option* workspace_permissions_opt = nullptr;
  CLI::Option* enterprise_permissions_opt = nullptr;
};

Result<admin::AuthorizeSpec> BuildAuthorizeSpec(const AuthorizeOptions& o) {
  admin::AuthorizeSpec spec;
  if (!o.kind.empty()) {
    auto kind = credentials::ParseAuthorizationKind(o.kind);
    if (!kind) return Error::BadRequest("kind", "--kind must be app or obo, not '" + o.kind + "'");
    spec.kind = *kind;
  }
  if (o.account.empty() == o.enterprise.empty()) {
    return Error::BadRequest("account", "give exactly one of --account and --enterprise");
  }
  spec.app_id = o.app;
  spec.actor_user_id = o.by;
  spec.account_id = o.account;
  spec.enterprise_id = o.enterprise;
  if (Trim(o.workspaces) == "all") {
    spec.all_workspaces = true;
  } else {
    spec.all_workspaces = false;
    spec.workspace_ids = SplitNonEmpty(o.workspaces, ',');
    if (spec.workspace_ids.empty()) {
      return Error::BadRequest("workspaces", "--workspaces must be 'all' or a comma list of ids");
    }
  }
  // Omitted = every declared point of that level; given (even empty) = exactly those.
  if (o.account_permissions_opt->count() > 0) {
    spec.account_permissions = SplitNonEmpty(o.account_permissions, ',');
  }
  if (o.workspace_permissions_opt->count() > 0) {
    spec.workspace_permissions = SplitNonEmpty(o.workspace_permissions, ',');
  }
  if (o.enterprise_permissions_opt->count() > 0) {
    spec.enterprise_permissions = SplitNonEmpty(o.enterprise_permissions, ',');
  }
  return spec;
}

void SetupAppAuthorize(CLI::App& group, Cli& cli) {
  auto o = std::make_shared<AuthorizeOptions>();
  CLI::App* cmd = AddAdminLeaf(
      group, "authorize",
      "Authorize a service app (kind app) or install an OBO app into an enterprise (kind obo)",
      cli);
  cmd->add_option("--app", o->app, "App id")->required();
  cmd->add_option("--by", o->by,
                  "User id of who authorizes: the owner (personal account) or an admin")
      ->required();
  cmd->add_option("--account", o->account, "Personal or organization account id");
  cmd->add_option("--enterprise", o->enterprise, "Enterprise id (enterprise-wide)");
  cmd->add_option("--kind", o->kind,
                  "app (service apps) or obo (web/pkce/device apps, into an enterprise); "
                  "default from the app's client type");
  cmd->add_option("--workspaces", o->workspaces,
                  "'all' (default) or a comma list of workspace ids");
  o->account_permissions_opt =
      cmd->add_option("--account-permissions", o->account_permissions,
                      "Granted account-level points (default: all declared)");
  o->workspace_permissions_opt =
      cmd->add_option("--workspace-permissions", o->workspace_permissions,
                      "Granted workspace-level points (default: all declared)");
  o->enterprise_permissions_opt =
      cmd->add_option("--enterprise-permissions", o->enterprise_permissions,
                      "Granted enterprise-level points (default: all declared)");
  cmd->callback([o, &cli, cmd] {
    auto spec = BuildAuthorizeSpec(*o);
    if (!spec) return cli.Fail(spec.error());
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      if (o->kind.empty()) {
        auto app = admin::LiveApp(env, o->app);
        if (!app) return cli.Fail(app.error());
        spec->kind = app->client_type == ClientType::kService ? AuthorizationKind::kAppAuth
                                                              : AuthorizationKind::kOboInstall;
      }
      auto a = admin::AuthorizeApp(env, *spec);
      if (!a) return cli.Fail(a.error());
      if (cli.json) return PrintJson(AuthorizationJson(*a));
      std::printf("authorized app %s (%s) in %s: authorization %s\ngrant: %s\n", a->app_id.c_str(),
                  std::string(credentials::ToString(a->kind)).c_str(),
                  AuthorizationPlace(*a).c_str(), a->id.c_str(), DescribeGrant(a->grant).c_str());
    });
  });
}

void SetupAppRevoke(CLI::App& group, Cli& cli) {
  auto id = std::make_shared<std::string>();
  CLI::App* cmd =
      AddAdminLeaf(group, "revoke",
                   "Revoke an authorization or uninstall an installation, with its tokens", cli);
  cmd->add_option("--authorization", *id, "Authorization id")->required();
  cmd->callback([id, &cli, cmd] {
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      if (auto s = admin::RevokeAuthorization(env, *id); !s) return cli.Fail(s.error());
      auto a = env.store.GetAppAuthorization(*id);
      if (!a) return cli.Fail(a.error());
      if (cli.json) return PrintJson(AuthorizationJson(*a));
      std::printf("revoked authorization %s of app %s in %s\n", a->id.c_str(), a->app_id.c_str(),
                  AuthorizationPlace(*a).c_str());
    });
  });
}

void SetupAppSetEnabled(CLI::App& group, Cli& cli, bool enabled) {
  auto id = std::make_shared<std::string>();
  CLI::App* cmd = AddAdminLeaf(
      group, enabled ? "enable-authorization" : "disable-authorization",
      enabled ? "Enable a disabled authorization or installation: its tokens work again"
              : "Disable an authorization or installation: its tokens are refused and none are "
                "issued until it is enabled again (nothing is revoked)",
      cli);
  cmd->add_option("--authorization", *id, "Authorization id")->required();
  cmd->callback([id, &cli, cmd, enabled] {
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      if (auto s = admin::SetAuthorizationEnabled(env, *id, enabled); !s) {
        return cli.Fail(s.error());
      }
      auto a = env.store.GetAppAuthorization(*id);
      if (!a) return cli.Fail(a.error());
      if (cli.json) return PrintJson(AuthorizationJson(*a));
      std::printf("%s authorization %s of app %s in %s\n", enabled ? "enabled" : "disabled",
                  a->id.c_str(), a->app_id.c_str(), AuthorizationPlace(*a).c_str());
    });
  });
}

// "enterprise-wide", "organization Lab (<id>)" or "personal account <id>".
std::string DescribePlace(admin::Env& env, const AppAuthorization& a) {
  if (a.enterprise_wide()) return "enterprise-wide";
  auto account = env.store.GetAccount(a.account_id);
  if (!account) return "account " + a.account_id;
  if (account->kind == domain::AccountKind::kPersonal) return "personal account " + account->id;
  return "organization " + account->name + " (" + account->id + ")";
}

void SetupAppInstallations(CLI::App& group, Cli& cli) {
  auto enterprise = std::make_shared<std::string>();
  CLI::App* cmd = AddAdminLeaf(
      group, "installations",
      "Every live authorization and installation in an enterprise (应用安装管理)", cli);
  cmd->add_option("--enterprise", *enterprise, "Enterprise id (ent_…)")->required();
  cmd->callback([enterprise, &cli, cmd] {
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      if (auto e = env.store.GetEnterprise(*enterprise); !e) {
        return cli.Fail(Error::Make(e.error().code, "enterprise " + *enterprise + " not found"));
      }
      auto list = env.store.ListAuthorizationsInEnterprise(*enterprise);
      if (!list) return cli.Fail(list.error());
      boost::json::array out;
      std::vector<std::vector<std::string>> rows;
      for (const auto& a : list.value()) {
        std::string app_name, client_type;
        if (auto app = env.store.GetOAuthApp(a.app_id); app) {
          app_name = app->name;
          client_type = credentials::ToString(app->client_type);
        }
        const std::string place = DescribePlace(env, a);
        if (cli.json) {
          auto item = AuthorizationJson(a);
          item["app_name"] = app_name;
          item["app_client_type"] = client_type;
          item["place"] = place;
          out.emplace_back(std::move(item));
        } else {
          rows.push_back({a.id, a.app_id, app_name, client_type,
                          std::string(credentials::ToString(a.kind)), place,
                          std::string(AuthorizationStatus(a)), a.authorized_by,
                          FormatTime(a.created_at)});
        }
      }
      if (cli.json) return PrintJson(out);
      PrintTable({"AUTHORIZATION", "APP", "NAME", "CLIENT TYPE", "KIND", "PLACE", "STATUS", "BY",
                  "CREATED"},
                 rows);
    });
  });
}

}  // namespace

void SetupAppAuthorizationCommands(CLI::App& app_group, Cli& cli) {
  SetupAppAuthorize(app_group, cli);
  SetupAppRevoke(app_group, cli);
  SetupAppSetEnabled(app_group, cli, /*enabled=*/false);
  SetupAppSetEnabled(app_group, cli, /*enabled=*/true);
  SetupAppInstallations(app_group, cli);
}

}  // namespace cozeauth::cli
