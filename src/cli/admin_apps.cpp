// `cozeauth admin app …`: OAuth apps (coze-platform.md §5) — create|list|get, client secrets,
// public keys, enable|disable|delete, authorize|revoke (AppAuth and OBO installations), the
// enterprise's installations (应用安装管理) and the SDKs' JSON config (export-config).

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>

#include "admin/oauth_apps.hpp"
#include "base/crypto.hpp"
#include "base/strings.hpp"
#include "cli/admin_common.hpp"
#include "cli/admin_print.hpp"
#include "oauth/keys.hpp"

namespace cozeauth::cli {
namespace {

using credentials::AppAuthorization;
using credentials::AuthorizationKind;
using credentials::ClientType;
using credentials::OAuthApp;

// Whole file, or kBadRequest naming `field` (checked before the store is opened).
Result<std::string> ReadTextFile(const std::string& path, const std::string& field,
                                 const std::string& flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error::BadRequest(field, flag + ": cannot read '" + path + "': " + std::strerror(errno));
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  if (buf.str().empty()) return Error::BadRequest(field, flag + ": '" + path + "' is empty");
  return buf.str();
}

std::string JoinOrDash(const std::vector<std::string>& items) {
  return items.empty() ? "-" : Join(items, ",");
}

std::string DescribeGrant(const credentials::Grant& g) {
  std::string out = "account: " + JoinOrDash(g.account_permissions) +
                    "; workspace: " + JoinOrDash(g.workspace_permissions);
  if (!g.workspace_permissions.empty()) {
    out +=
        g.all_workspaces ? " (all workspaces)" : " (workspaces " + Join(g.workspace_ids, ",") + ")";
  }
  out += "; enterprise: " + JoinOrDash(g.enterprise_permissions);
  return out;
}

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
                    z.Revoked() ? "revoked" : "active", z.authorized_by, FormatTime(z.created_at),
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

// --- client secrets, public keys

struct AppItemOptions {
  std::string app;
  std::string id;    // secret id
  std::string kid;   // key fingerprint
  std::string file;  // public key PEM
};

void SetupSecretCreate(CLI::App& group, Cli& cli) {
  auto o = std::make_shared<AppItemOptions>();
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
  auto o = std::make_shared<AppItemOptions>();
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

void SetupKeyAdd(CLI::App& group, Cli& cli) {
  auto o = std::make_shared<AppItemOptions>();
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
  auto o = std::make_shared<AppItemOptions>();
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

// --- authorize, revoke, installations

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
                          std::string(credentials::ToString(a.kind)), place, a.authorized_by,
                          FormatTime(a.created_at)});
        }
      }
      if (cli.json) return PrintJson(out);
      PrintTable({"AUTHORIZATION", "APP", "NAME", "CLIENT TYPE", "KIND", "PLACE", "BY", "CREATED"},
                 rows);
    });
  });
}

// --- export-config

struct ExportOptions {
  std::string app;
  std::string api_base;
  std::string www_base;
  std::string secret;
  std::string public_key_id;
  std::string private_key_file;
  std::string out;
};

Result<std::string> BaseUrl(const std::string& url, const char* field, const char* flag) {
  std::string u(Trim(url));
  const bool scheme = u.rfind("http://", 0) == 0 || u.rfind("https://", 0) == 0;
  if (!scheme || u.size() <= u.find("://") + 3 || u.find_first_of(" \t\r\n") != std::string::npos) {
    return Error::BadRequest(field,
                             std::string(flag) + " must be an http(s) URL, not '" + url + "'");
  }
  while (u.size() > 1 && u.back() == '/') u.pop_back();
  return u;
}

// The `kid` of the public half of a PEM private key (unencrypted; never prompts).
Result<std::string> KidOfPrivateKey(const std::string& pem) {
  auto bad = [] {
    return Error::BadRequest("private_key",
                             "--private-key-file is not an unencrypted PEM RSA "
                             "private key");
  };
  std::unique_ptr<BIO, decltype(&BIO_free)> in(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!in) return bad();
  auto no_passphrase = [](char*, int, int, void*) -> int { return 0; };
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(in.get(), nullptr, no_passphrase, nullptr), &EVP_PKEY_free);
  if (!key) return bad();
  std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), &BIO_free);
  if (!out || PEM_write_bio_PUBKEY(out.get(), key.get()) != 1) return bad();
  char* data = nullptr;
  const long n = BIO_get_mem_data(out.get(), &data);
  auto parsed = oauth::ParsePublicKeyPem(std::string_view(data, static_cast<size_t>(n)));
  if (!parsed) {
    return Error::BadRequest("private_key", "--private-key-file: " + parsed.error().message);
  }
  return parsed->fingerprint;
}

// Writes `text` to `path`, readable by its owner only (it may hold a secret or a private key).
Status WriteConfigFile(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Error::BadRequest("out", "--out: cannot write '" + path + "': " + std::strerror(errno));
  }
  ::fchmod(fd, 0600);
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string why = std::strerror(errno);
      ::close(fd);
      return Error::Make(Errc::kInternal, "--out: writing '" + path + "' failed: " + why);
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) {
    return Error::Make(Errc::kInternal, "--out: writing '" + path + "' failed");
  }
  return {};
}

// Fills the service-app fields: the key id (given, derived from the private key, or the app's
// only key) and the private key.
Status AddJwtFields(admin::Env& env, const ExportOptions& o, const std::string& private_key,
                    boost::json::object& config) {
  auto keys = env.store.ListAppPublicKeys(o.app);
  if (!keys) return keys.error();
  auto registered = [&](const std::string& kid) {
    return std::any_of(keys->begin(), keys->end(),
                       [&](const credentials::AppPublicKey& k) { return k.fingerprint == kid; });
  };
  std::string kid = o.public_key_id;
  if (!kid.empty() && !registered(kid)) {
    return Error::BadRequest("public_key_id",
                             "--public-key-id " + kid + " is not a public key of app " + o.app);
  }
  if (!private_key.empty()) {
    auto derived = KidOfPrivateKey(private_key);
    if (!derived) return derived.error();
    if (!kid.empty() && *derived != kid) {
      return Error::BadRequest("private_key", "--private-key-file does not match --public-key-id " +
                                                  kid + " (its public key is " + *derived + ")");
    }
    if (!registered(*derived)) {
      return Error::BadRequest("private_key", "the public half of --private-key-file (" + *derived +
                                                  ") is not registered on app " + o.app +
                                                  "; run `admin app key add` first");
    }
    kid = *derived;
  }
  if (kid.empty()) {
    if (keys->size() == 1) {
      kid = keys->front().fingerprint;
    } else if (keys->size() > 1) {
      return Error::BadRequest("public_key_id", "app " + o.app + " has " +
                                                    std::to_string(keys->size()) +
                                                    " public keys; pass --public-key-id");
    } else {
      std::fprintf(stderr, "warning: app %s has no public key yet; public_key_id left out\n",
                   o.app.c_str());
    }
  }
  if (!kid.empty()) config["public_key_id"] = kid;
  if (!private_key.empty()) {
    config["private_key"] = private_key;
  } else {
    std::fprintf(stderr, "warning: no --private-key-file; add \"private_key\" before use\n");
  }
  return {};
}

// The JSON config the official SDKs load (coze-py load_oauth_app_from_config, coze-go
// LoadOAuthAppFromConfig): client_type web|pkce|device|jwt, client_id, the type's secrets, bases.
Result<boost::json::object> BuildConfig(admin::Env& env, const ExportOptions& o,
                                        const std::string& api_base, const std::string& www_base,
                                        const std::string& private_key) {
  auto app = admin::LiveApp(env, o.app);
  if (!app) return app.error();
  const ClientType type = app->client_type;
  if (!o.secret.empty() && type != ClientType::kWeb) {
    return Error::BadRequest("secret", "--secret is for web apps only");
  }
  if ((!o.public_key_id.empty() || !private_key.empty()) && type != ClientType::kService) {
    return Error::BadRequest("public_key_id",
                             "--public-key-id and --private-key-file are for service apps only");
  }
  boost::json::object config;
  config["client_type"] = type == ClientType::kService ? "jwt" : credentials::ToString(type);
  config["client_id"] = app->client_id;
  if (type == ClientType::kWeb) {
    if (o.secret.empty()) {
      std::fprintf(stderr,
                   "warning: no --secret; add \"client_secret\" before use "
                   "(`admin app secret create` prints a new one)\n");
    } else {
      auto secrets = env.store.ListClientSecrets(o.app);
      if (!secrets) return secrets.error();
      const std::string hash = Sha256Hex(o.secret);
      const bool known =
          std::any_of(secrets->begin(), secrets->end(), [&](const credentials::ClientSecret& s) {
            return ConstantTimeEquals(s.secret_hash, hash);
          });
      if (!known) {
        return Error::BadRequest("secret", "--secret is not a live client secret of app " + o.app);
      }
      config["client_secret"] = o.secret;
    }
  }
  if (type == ClientType::kService) {
    if (auto s = AddJwtFields(env, o, private_key, config); !s) return s.error();
  }
  config["coze_api_base"] = api_base;
  config["coze_www_base"] = www_base;
  return config;
}

void SetupAppExportConfig(CLI::App& group, Cli& cli) {
  auto o = std::make_shared<ExportOptions>();
  CLI::App* cmd = AddAdminLeaf(group, "export-config",
                               "Write the SDKs' JSON config of an app (always JSON)", cli);
  cmd->add_option("--app", o->app, "App id")->required();
  cmd->add_option("--api-base", o->api_base, "OpenAPI base URL, e.g. http://127.0.0.1:8080")
      ->required();
  cmd->add_option("--www-base", o->www_base,
                  "Web (authorize/consent) base URL (default: --api-base)");
  cmd->add_option("--secret", o->secret, "Web apps: a client secret's plaintext to include");
  cmd->add_option("--public-key-id", o->public_key_id,
                  "Service apps: the kid (default: the private key's, or the app's only key)");
  cmd->add_option("--private-key-file", o->private_key_file,
                  "Service apps: PEM private key whose content becomes private_key");
  cmd->add_option("--out", o->out, "Write to this file (mode 0600) instead of stdout");
  cmd->callback([o, &cli, cmd] {
    auto api_base = BaseUrl(o->api_base, "api_base", "--api-base");
    if (!api_base) return cli.Fail(api_base.error());
    auto www_base = o->www_base.empty() ? api_base : BaseUrl(o->www_base, "www_base", "--www-base");
    if (!www_base) return cli.Fail(www_base.error());
    std::string private_key;
    if (!o->private_key_file.empty()) {
      auto pem = ReadTextFile(o->private_key_file, "private_key", "--private-key-file");
      if (!pem) return cli.Fail(pem.error());
      private_key = std::move(*pem);
    }
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      auto config = BuildConfig(env, *o, *api_base, *www_base, private_key);
      if (!config) return cli.Fail(config.error());
      if (o->out.empty()) return PrintJson(*config);
      if (auto s = WriteConfigFile(o->out, boost::json::serialize(*config) + "\n"); !s) {
        return cli.Fail(s.error());
      }
      if (cli.json) {
        return PrintJson(boost::json::object{{"app_id", o->app}, {"out", o->out}});
      }
      std::printf("wrote the config of app %s to %s\n", o->app.c_str(), o->out.c_str());
    });
  });
}

}  // namespace

void SetupAdminAppCommands(CLI::App& admin, Cli& cli) {
  CLI::App* app = AddAdminGroup(admin, "app", "OAuth apps: keys, secrets, authorizations");
  SetupAppCreate(*app, cli);
  SetupAppList(*app, cli);
  SetupAppGet(*app, cli);
  CLI::App* secret = AddAdminGroup(*app, "secret", "Client secrets of web apps");
  SetupSecretCreate(*secret, cli);
  SetupSecretDelete(*secret, cli);
  CLI::App* key = AddAdminGroup(*app, "key", "Public keys of service apps (JWT kid)");
  SetupKeyAdd(*key, cli);
  SetupKeyDelete(*key, cli);
  SetupAppChange(*app, cli, AppChange::kDisable);
  SetupAppChange(*app, cli, AppChange::kEnable);
  SetupAppChange(*app, cli, AppChange::kDelete);
  SetupAppAuthorize(*app, cli);
  SetupAppRevoke(*app, cli);
  SetupAppInstallations(*app, cli);
  SetupAppExportConfig(*app, cli);
}

}  // namespace cozeauth::cli
