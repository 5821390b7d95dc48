// `cozeauth migrate plan|run|list` (and rehearse|rehearsal …, migrate_rehearse.cpp) (workspace
// migration into an enterprise, coze-platform.md §6.4) and `cozeauth grant list|create|revoke`
// (enterprise access to personal account-level resources, §7). Operator commands on the store, like
// `cozeauth admin …`: --db and --json on every leaf; the decisions are migration::'s.

#include <string>

#include "api/migration_json.hpp"
#include "cli/admin_common.hpp"
#include "cli/admin_print.hpp"
#include "cli/migrate_rehearse.hpp"
#include "migration/account_grants.hpp"
#include "migration/migration.hpp"

namespace cozeauth::cli {
namespace json = boost::json;
namespace {

struct MigrateOptions {
  std::string workspace;
  std::string to_org;
  std::string mode;
  std::string by;
};

struct GrantOptions {
  std::string user;
  std::string enterprise;
  std::string credential;
  std::string id;
};

void SetupMigrate(CLI::App& app, Cli& cli) {
  CLI::App* group =
      AddAdminGroup(app, "migrate", "Move a personal workspace into an enterprise organization");
  auto o = std::make_shared<MigrateOptions>();

  CLI::App* plan = AddAdminLeaf(*group, "plan",
                                "The pre-flight checklist: every credential that reaches the "
                                "workspace, what each mode does to it, what covers it",
                                cli);
  plan->add_option("--workspace", o->workspace, "Workspace id")->required();
  plan->add_option("--to-org", o->to_org, "Organization account id of the enterprise")->required();
  plan->callback([&cli, o, plan] {
    WithAdminEnv(cli, *plan, [&](admin::Env& env) {
      auto p = migration::MakePlan(env, o->workspace, o->to_org);
      if (!p) return cli.Fail(p.error());
      if (cli.json) return PrintJson(api::PlanJson(*p));
      std::fputs(migration::PlanTable(*p).c_str(), stdout);
    });
  });

  CLI::App* run = AddAdminLeaf(*group, "run", "Migrate (one transaction; irreversible)", cli);
  run->add_option("--workspace", o->workspace, "Workspace id")->required();
  run->add_option("--to-org", o->to_org, "Organization account id of the enterprise")->required();
  run->add_option("--mode", o->mode,
                  "cut: personal credentials lose the workspace; grant: personal PATs and "
                  "AppAuth apps keep it (OBO and SAT are cut)")
      ->required();
  run->add_option("--by", o->by,
                  "The user who migrates (must own the workspace and be super_admin/admin of "
                  "the enterprise); default: the workspace's owner");
  run->callback([&cli, o, run] {
    auto mode = domain::ParseMigrationMode(o->mode);
    if (!mode) return cli.Fail(Error::BadRequest("mode", "--mode must be cut or grant"));
    WithAdminEnv(cli, *run, [&](admin::Env& env) {
      auto by = MigrationActor(env, o->workspace, o->by);
      if (!by) return cli.Fail(by.error());
      env.actor = by.value();
      auto m =
          migration::Migrate(env, {o->workspace, o->to_org, *mode, by.value()}, api::PlanRecord);
      if (!m) return cli.Fail(m.error());
      if (cli.json) return PrintJson(api::MigrationJson(*m));
      std::printf("migrated workspace %s to organization %s (%s mode): migration %s\n",
                  m->workspace_id.c_str(), m->to_account_id.c_str(),
                  std::string(domain::ToString(m->mode)).c_str(), m->id.c_str());
    });
  });

  CLI::App* list = AddAdminLeaf(*group, "list", "Migrations, newest first", cli);
  list->add_option("--workspace", o->workspace, "Only this workspace's");
  list->callback([&cli, o, list] {
    WithAdminEnv(cli, *list, [&](admin::Env& env) {
      auto all = env.store.ListMigrations(o->workspace);
      if (!all) return cli.Fail(all.error());
      json::array out;
      for (const auto& m : all.value()) out.push_back(api::MigrationJson(m));
      if (cli.json) return PrintJson(out);
      for (const auto& m : all.value()) {
        std::printf("%s  workspace %s  %s -> %s  %s  by %s  at %lld\n", m.id.c_str(),
                    m.workspace_id.c_str(), m.from_account_id.c_str(), m.to_account_id.c_str(),
                    std::string(domain::ToString(m.mode)).c_str(), m.actor_user_id.c_str(),
                    static_cast<long long>(m.created_at));
      }
    });
  });

  SetupRehearseCommands(*group, cli);
}

void SetupGrant(CLI::App& app, Cli& cli) {
  CLI::App* group =
      AddAdminGroup(app, "grant",
                    "Open a personal account's account-level resources to an enterprise PAT or "
                    "AppAuth app (个人账号资源授权)");
  auto o = std::make_shared<GrantOptions>();

  CLI::App* list = AddAdminLeaf(*group, "list",
                                "The candidates (your enterprise PATs, the enterprise's AppAuth "
                                "apps) and which are granted",
                                cli);
  list->add_option("--user", o->user, "Owner of the personal account")->required();
  list->add_option("--enterprise", o->enterprise, "Enterprise id")->required();
  list->callback([&cli, o, list] {
    WithAdminEnv(cli, *list, [&](admin::Env& env) {
      auto candidates = migration::ListGrantCandidates(env, o->user, o->enterprise);
      if (!candidates) return cli.Fail(candidates.error());
      json::array out;
      for (const auto& c : candidates.value()) out.push_back(api::CandidateJson(c));
      if (cli.json) return PrintJson(out);
      for (const auto& c : candidates.value()) {
        std::printf("%-3s %s  %-24s %s\n", std::string(domain::ToString(c.kind)).c_str(),
                    c.id.c_str(), c.name.c_str(),
                    c.grant_id.empty() ? "not granted" : ("granted: " + c.grant_id).c_str());
      }
    });
  });

  CLI::App* create = AddAdminLeaf(*group, "create", "Grant one credential", cli);
  create->add_option("--user", o->user, "Owner of the personal account")->required();
  create->add_option("--enterprise", o->enterprise, "Enterprise id")->required();
  create->add_option("--credential", o->credential, "pat or app (obo and sat are refused)")
      ->required();
  create->add_option("--id", o->id, "PAT token id, or app id")->required();
  create->callback([&cli, o, create] {
    WithAdminEnv(cli, *create, [&](admin::Env& env) {
      env.actor = o->user;
      auto g = migration::GrantAccountAccess(env, {o->user, o->enterprise, o->credential, o->id});
      if (!g) return cli.Fail(g.error());
      if (cli.json) return PrintJson(api::GrantJson(*g));
      std::printf("granted %s %s access to personal account %s: grant %s\n", o->credential.c_str(),
                  o->id.c_str(), o->user.c_str(), g->id.c_str());
    });
  });

  CLI::App* revoke = AddAdminLeaf(*group, "revoke", "Revoke a grant", cli);
  revoke->add_option("--user", o->user, "Owner of the personal account")->required();
  revoke->add_option("--id", o->id, "Grant id")->required();
  revoke->callback([&cli, o, revoke] {
    WithAdminEnv(cli, *revoke, [&](admin::Env& env) {
      env.actor = o->user;
      if (auto s = migration::RevokeAccountAccess(env, o->user, o->id); !s) {
        return cli.Fail(s.error());
      }
      if (cli.json) return PrintJson(json::object{{"id", o->id}, {"revoked", true}});
      std::printf("revoked grant %s\n", o->id.c_str());
    });
  });
}

}  // namespace

void SetupMigrateCommands(CLI::App& app, Cli& cli) {
  SetupMigrate(app, cli);
  SetupGrant(app, cli);
}

}  // namespace cozeauth::cli
