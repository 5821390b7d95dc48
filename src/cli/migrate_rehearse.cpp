// `cozeauth migrate rehearse|rehearsal …`: operator commands on the store, like `migrate run`;
// the decisions are migration::'s (rehearsal.hpp). A rehearsal started here reaches every running
// server at its next auth-epoch poll (starting one bumps the epoch).

#include "cli/migrate_rehearse.hpp"

#include <memory>

#include "api/rehearsal_json.hpp"
#include "cli/admin_common.hpp"
#include "cli/admin_print.hpp"
#include "migration/rehearsal.hpp"
#include "observe/credential_report.hpp"

namespace cozeauth::cli {
namespace json = boost::json;
namespace {

struct RehearseOptions {
  std::string workspace;
  std::string to_org;
  std::string mode;
  std::string duration = "1h";
  std::string by;
  std::string id;
};

void PrintRehearsal(const domain::Rehearsal& r, int64_t now) {
  std::printf("%s  workspace %s -> %s  %s  %s  started %lld ends %lld\n", r.id.c_str(),
              r.workspace_id.c_str(), r.to_account_id.c_str(),
              std::string(domain::ToString(r.mode)).c_str(),
              r.ActiveAt(now) ? "running" : (r.stopped_at ? "stopped" : "ended"),
              static_cast<long long>(r.started_at), static_cast<long long>(r.ends_at));
}

// The rehearsal an ID names, or the newest of --workspace.
Result<std::string> Chosen(admin::Env& env, const RehearseOptions& o) {
  if (!o.id.empty()) return o.id;
  if (o.workspace.empty()) {
    return Error::BadRequest("id", "give a rehearsal ID or --workspace");
  }
  auto all = env.store.ListRehearsals(o.workspace);
  if (!all) return all.error();
  if (all->empty()) {
    return Error::Make(Errc::kNotFound, "no rehearsal of workspace " + o.workspace);
  }
  return all->front().id;
}

void SetupRehearse(CLI::App& migrate, Cli& cli, const std::shared_ptr<RehearseOptions>& o) {
  CLI::App* rehearse = AddAdminLeaf(migrate, "rehearse",
                                    "Decide every request on the workspace also as if it were "
                                    "migrated, and count what would fail (nothing changes)",
                                    cli);
  rehearse->add_option("--workspace", o->workspace, "Workspace id")->required();
  rehearse->add_option("--to-org", o->to_org, "Organization account id of the enterprise")
      ->required();
  rehearse->add_option("--mode", o->mode, "cut or grant, as for migrate run")->required();
  rehearse->add_option("--for", o->duration, "How long: 30m, 2h, 1d … (default 1h, at most 7d)");
  rehearse->add_option("--by", o->by,
                       "The user who would migrate (as for migrate run); default: the "
                       "workspace's owner");
  rehearse->callback([&cli, o, rehearse] {
    auto mode = domain::ParseMigrationMode(o->mode);
    if (!mode) return cli.Fail(Error::BadRequest("mode", "--mode must be cut or grant"));
    auto seconds = observe::ParseDuration(o->duration, "for");
    if (!seconds) return cli.Fail(seconds.error());
    WithAdminEnv(cli, *rehearse, [&](admin::Env& env) {
      auto by = MigrationActor(env, o->workspace, o->by);
      if (!by) return cli.Fail(by.error());
      env.actor = by.value();
      auto r = migration::StartRehearsal(
          env, {{o->workspace, o->to_org, *mode, by.value()}, seconds.value()});
      if (!r) return cli.Fail(r.error());
      if (cli.json) return PrintJson(api::RehearsalJson(*r));
      std::printf(
          "rehearsing the migration of workspace %s to organization %s (%s mode): "
          "rehearsal %s, until %lld\n",
          r->workspace_id.c_str(), r->to_account_id.c_str(),
          std::string(domain::ToString(r->mode)).c_str(), r->id.c_str(),
          static_cast<long long>(r->ends_at));
    });
  });
}

void SetupRehearsalGroup(CLI::App& migrate, Cli& cli, const std::shared_ptr<RehearseOptions>& o) {
  CLI::App* group = AddAdminGroup(migrate, "rehearsal", "Migration rehearsals: list, report, stop");

  CLI::App* show = AddAdminLeaf(*group, "show", "Rehearsals, newest first (or one by ID)", cli);
  show->add_option("id", o->id, "Rehearsal id");
  show->add_option("--workspace", o->workspace, "Only this workspace's");
  show->callback([&cli, o, show] {
    WithAdminEnv(cli, *show, [&](admin::Env& env) {
      std::vector<domain::Rehearsal> list;
      if (!o->id.empty()) {
        auto r = env.store.GetRehearsal(o->id);
        if (!r) return cli.Fail(r.error());
        list.push_back(std::move(r).value());
      } else {
        auto all = env.store.ListRehearsals(o->workspace);
        if (!all) return cli.Fail(all.error());
        list = std::move(all).value();
      }
      if (cli.json) {
        json::array out;
        for (const auto& r : list) out.push_back(api::RehearsalJson(r));
        return PrintJson(out);
      }
      for (const auto& r : list) PrintRehearsal(r, env.clock.NowSeconds());
    });
  });

  CLI::App* report = AddAdminLeaf(*group, "report",
                                  "Per credential: requests, what would fail, what covers it", cli);
  report->add_option("id", o->id, "Rehearsal id");
  report->add_option("--workspace", o->workspace, "The workspace's newest rehearsal");
  report->callback([&cli, o, report] {
    WithAdminEnv(cli, *report, [&](admin::Env& env) {
      auto id = Chosen(env, *o);
      if (!id) return cli.Fail(id.error());
      auto r = migration::MakeRehearsalReport(env, id.value());
      if (!r) return cli.Fail(r.error());
      if (cli.json) return PrintJson(api::RehearsalReportJson(*r));
      std::fputs(migration::RehearsalReportTable(*r).c_str(), stdout);
    });
  });

  CLI::App* stop = AddAdminLeaf(*group, "stop", "Stop a rehearsal now", cli);
  stop->add_option("id", o->id, "Rehearsal id")->required();
  stop->callback([&cli, o, stop] {
    WithAdminEnv(cli, *stop, [&](admin::Env& env) {
      auto r = migration::StopRehearsal(env, o->id);
      if (!r) return cli.Fail(r.error());
      if (cli.json) return PrintJson(api::RehearsalJson(*r));
      std::printf("stopped rehearsal %s\n", r->id.c_str());
    });
  });
}

}  // namespace

Result<std::string> MigrationActor(admin::Env& env, const std::string& workspace_id,
                                   const std::string& by) {
  if (!by.empty()) return by;
  auto w = env.store.GetWorkspace(workspace_id);
  if (!w) return Error::BadRequest("workspace", "workspace " + workspace_id + " not found");
  return w->owner_user_id;
}

void SetupRehearseCommands(CLI::App& migrate, Cli& cli) {
  auto o = std::make_shared<RehearseOptions>();
  SetupRehearse(migrate, cli, o);
  SetupRehearsalGroup(migrate, cli, o);
}

}  // namespace cozeauth::cli
