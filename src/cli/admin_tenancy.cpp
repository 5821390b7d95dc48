// `cozeauth admin enterprise create|add-member|remove-member|upgrade` and `admin org create`.

#include <cstdio>
#include <memory>

#include "cli/admin_common.hpp"
#include "cli/admin_print.hpp"

namespace cozeauth::cli {
namespace {

struct EnterpriseOptions {
  std::string enterprise;
  std::string name;
  std::string owner;
  std::string edition = "team";
  std::string user;
  std::string role;
};

Result<domain::OrgRole> ParseRoleArg(const std::string& role) {
  if (auto r = domain::ParseOrgRole(role)) return *r;
  return Error::BadRequest(
      "role", "--role must be super_admin, admin, member or guest, not '" + role + "'");
}

void SetupEnterpriseCreate(CLI::App& group, Cli& cli) {
  auto o = std::make_shared<EnterpriseOptions>();
  CLI::App* cmd =
      AddAdminLeaf(group, "create", "Create an enterprise with its default organization", cli);
  cmd->add_option("--name", o->name, "Enterprise name")->required();
  cmd->add_option("--owner", o->owner, "User id of the owner (becomes super_admin)")->required();
  cmd->add_option("--edition", o->edition, "team (default) or enterprise");
  cmd->callback([o, &cli, cmd] {
    auto edition = domain::ParseEdition(o->edition);
    if (!edition) {
      return cli.Fail(Error::BadRequest(
          "edition", "--edition must be team or enterprise, not '" + o->edition + "'"));
    }
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      auto created = admin::CreateEnterprise(env, o->name, o->owner, *edition);
      if (!created) return cli.Fail(created.error());
      const auto& e = created->enterprise;
      if (cli.json) return PrintJson(EnterpriseJson(e));
      std::printf("created enterprise %s (%s, %s edition); default organization account %s\n",
                  e.id.c_str(), e.name.c_str(), std::string(domain::ToString(e.edition)).c_str(),
                  e.default_org_account_id.c_str());
    });
  });
}

void SetupEnterpriseAddMember(CLI::App& group, Cli& cli) {
  auto o = std::make_shared<EnterpriseOptions>();
  CLI::App* cmd = AddAdminLeaf(
      group, "add-member", "Set a user's role in an enterprise and its default organization", cli);
  cmd->add_option("--enterprise", o->enterprise, "Enterprise id (ent_…)")->required();
  cmd->add_option("--user", o->user, "User id")->required();
  cmd->add_option("--role", o->role, "super_admin|admin|member|guest")->required();
  cmd->callback([o, &cli, cmd] {
    auto role = ParseRoleArg(o->role);
    if (!role) return cli.Fail(role.error());
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      if (auto s = admin::AddEnterpriseMember(env, o->enterprise, o->user, *role); !s) {
        return cli.Fail(s.error());
      }
      const std::string role_name(domain::ToString(*role));
      if (cli.json) {
        return PrintJson(boost::json::object{
            {"enterprise_id", o->enterprise}, {"user_id", o->user}, {"role", role_name}});
      }
      std::printf("user %s is %s of enterprise %s\n", o->user.c_str(), role_name.c_str(),
                  o->enterprise.c_str());
    });
  });
}

void SetupEnterpriseRemoveMember(CLI::App& group, Cli& cli) {
  auto o = std::make_shared<EnterpriseOptions>();
  CLI::App* cmd =
      AddAdminLeaf(group, "remove-member",
                   "Remove a user from an enterprise, its organizations and their workspaces", cli);
  cmd->add_option("--enterprise", o->enterprise, "Enterprise id (ent_…)")->required();
  cmd->add_option("--user", o->user, "User id")->required();
  cmd->callback([o, &cli, cmd] {
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      if (auto s = admin::RemoveEnterpriseMember(env, o->enterprise, o->user); !s) {
        return cli.Fail(s.error());
      }
      if (cli.json) {
        return PrintJson(boost::json::object{
            {"enterprise_id", o->enterprise}, {"user_id", o->user}, {"removed", true}});
      }
      std::printf("removed user %s from enterprise %s\n", o->user.c_str(), o->enterprise.c_str());
    });
  });
}

void SetupEnterpriseUpgrade(CLI::App& group, Cli& cli) {
  auto o = std::make_shared<EnterpriseOptions>();
  CLI::App* cmd =
      AddAdminLeaf(group, "upgrade", "Upgrade a team enterprise to the enterprise edition", cli);
  cmd->add_option("--enterprise", o->enterprise, "Enterprise id (ent_…)")->required();
  cmd->callback([o, &cli, cmd] {
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      if (auto s = admin::UpgradeEnterprise(env, o->enterprise); !s) return cli.Fail(s.error());
      auto e = env.store.GetEnterprise(o->enterprise);
      if (!e) return cli.Fail(e.error());
      if (cli.json) return PrintJson(EnterpriseJson(*e));
      std::printf("enterprise %s is now on the enterprise edition\n", e->id.c_str());
    });
  });
}

void SetupOrgCreate(CLI::App& group, Cli& cli) {
  auto o = std::make_shared<EnterpriseOptions>();
  CLI::App* cmd =
      AddAdminLeaf(group, "create", "Add an organization to an enterprise-edition enterprise", cli);
  cmd->add_option("--enterprise", o->enterprise, "Enterprise id (ent_…)")->required();
  cmd->add_option("--name", o->name, "Organization name")->required();
  cmd->callback([o, &cli, cmd] {
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      auto org = admin::CreateOrganization(env, o->enterprise, o->name);
      if (!org) return cli.Fail(org.error());
      if (cli.json) return PrintJson(AccountJson(*org));
      std::printf("created organization %s (%s) in enterprise %s\n", org->id.c_str(),
                  org->name.c_str(), org->enterprise_id.c_str());
    });
  });
}

}  // namespace

void SetupAdminTenancyCommands(CLI::App& admin, Cli& cli) {
  CLI::App* enterprise = AddAdminGroup(admin, "enterprise", "Enterprises and their members");
  SetupEnterpriseCreate(*enterprise, cli);
  SetupEnterpriseAddMember(*enterprise, cli);
  SetupEnterpriseRemoveMember(*enterprise, cli);
  SetupEnterpriseUpgrade(*enterprise, cli);
  CLI::App* org = AddAdminGroup(admin, "org", "Organizations (accounts inside an enterprise)");
  SetupOrgCreate(*org, cli);
}

}  // namespace cozeauth::cli
