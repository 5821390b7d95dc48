// `cozeauth admin workflow create|list|show|publish|unpublish` and
// `cozeauth admin app-project create|list` (Coze "apps": projects that hold workflows; named
// app-project so that they are not confused with OAuth apps, `admin app …`).

#include <boost/json.hpp>
#include <cstdio>
#include <memory>

#include "admin/workflows.hpp"
#include "cli/admin_common.hpp"
#include "cli/admin_print.hpp"

namespace cozeauth::cli {
namespace {

namespace json = boost::json;

// Pages of the store's lists read until the last one.
constexpr int kListPageSize = 100;

json::object WorkflowJson(const domain::Workflow& w, bool with_definition) {
  json::object out{{"id", w.id},
                   {"workspace_id", w.workspace_id},
                   {"app_id", w.app_id},
                   {"name", w.name},
                   {"description", w.description},
                   {"is_published", w.is_published},
                   {"published_at", w.published_at},
                   {"creator_user_id", w.creator_user_id},
                   {"created_at", w.created_at},
                   {"updated_at", w.updated_at}};
  if (with_definition) {
    boost::system::error_code ec;
    json::value definition = json::parse(w.definition_json, ec);
    out["definition"] = ec ? json::value(w.definition_json) : std::move(definition);
  }
  return out;
}

json::object AppProjectJson(const domain::AppProject& a) {
  return {{"id", a.id},
          {"workspace_id", a.workspace_id},
          {"name", a.name},
          {"description", a.description},
          {"is_published", a.has_published_workflow},
          {"creator_user_id", a.creator_user_id},
          {"created_at", a.created_at},
          {"updated_at", a.updated_at}};
}

struct WorkflowCreateOptions {
  admin::WorkflowSpec spec;
  std::string definition_file;
};

void SetupWorkflowCreate(CLI::App& group, Cli& cli) {
  auto o = std::make_shared<WorkflowCreateOptions>();
  CLI::App* cmd = AddAdminLeaf(group, "create", "Create a workflow in a workspace", cli);
  cmd->add_option("--workspace", o->spec.workspace_id, "Workspace id")->required();
  cmd->add_option("--name", o->spec.name, "Workflow name")->required();
  cmd->add_option("--definition", o->definition_file,
                  "File holding the definition (JSON, docs/runtime.md \"Workflows\")")
      ->required();
  cmd->add_option("--description", o->spec.description, "Description");
  cmd->add_option("--app-project", o->spec.app_id, "App project (of the same workspace)");
  cmd->add_flag("--publish", o->spec.publish, "Publish it: only published workflows run");
  cmd->callback([o, &cli, cmd] {
    auto definition = ReadTextFile(o->definition_file, "definition", "--definition");
    if (!definition) return cli.Fail(definition.error());
    o->spec.definition_json = std::move(definition).value();
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      auto w = admin::CreateWorkflow(env, o->spec);
      if (!w) return cli.Fail(w.error());
      if (cli.json) return PrintJson(WorkflowJson(*w, false));
      std::printf("created workflow %s (%s) in workspace %s%s\n", w->id.c_str(), w->name.c_str(),
                  w->workspace_id.c_str(), w->is_published ? ", published" : "");
    });
  });
}

struct ListOptions {
  std::string workspace;
  std::string app;
};

void SetupWorkflowList(CLI::App& group, Cli& cli) {
  auto o = std::make_shared<ListOptions>();
  CLI::App* cmd = AddAdminLeaf(group, "list", "List the workflows of a workspace", cli);
  cmd->add_option("--workspace", o->workspace, "Workspace id")->required();
  cmd->add_option("--app-project", o->app, "Only the workflows of this app project");
  cmd->callback([o, &cli, cmd] {
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      std::vector<domain::Workflow> all;
      for (int page = 1;; ++page) {
        auto got =
            env.store.ListWorkflows({o->workspace, std::nullopt, o->app}, {page, kListPageSize});
        if (!got) return cli.Fail(got.error());
        all.insert(all.end(), got->items.begin(), got->items.end());
        if (!got->has_more) break;
      }
      if (cli.json) {
        json::array out;
        for (const auto& w : all) out.emplace_back(WorkflowJson(w, false));
        return PrintJson(out);
      }
      std::vector<std::vector<std::string>> rows;
      for (const auto& w : all) {
        rows.push_back({w.id, w.name, w.is_published ? "published" : "draft",
                        w.app_id.empty() ? "-" : w.app_id, FormatTime(w.created_at)});
      }
      PrintTable({"ID", "NAME", "STATUS", "APP", "CREATED"}, rows);
    });
  });
}

void SetupWorkflowShow(CLI::App& group, Cli& cli) {
  auto id = std::make_shared<std::string>();
  CLI::App* cmd = AddAdminLeaf(group, "show", "Show a workflow with its definition", cli);
  cmd->add_option("--workflow", *id, "Workflow id")->required();
  cmd->callback([id, &cli, cmd] {
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      auto w = env.store.GetWorkflow(*id);
      if (!w) return cli.Fail(w.error());
      if (cli.json) return PrintJson(WorkflowJson(*w, true));
      std::printf(
          "workflow %s (%s)\nworkspace: %s\napp project: %s\nstatus: %s\n"
          "created: %s\ndefinition: %s\n",
          w->id.c_str(), w->name.c_str(), w->workspace_id.c_str(),
          w->app_id.empty() ? "-" : w->app_id.c_str(), w->is_published ? "published" : "draft",
          FormatTime(w->created_at).c_str(), w->definition_json.c_str());
    });
  });
}

void SetupWorkflowPublish(CLI::App& group, Cli& cli, bool publish) {
  auto id = std::make_shared<std::string>();
  CLI::App* cmd = AddAdminLeaf(group, publish ? "publish" : "unpublish",
                               publish ? "Publish a workflow (it runs through the OpenAPI)"
                                       : "Unpublish a workflow (runs answer 4200)",
                               cli);
  cmd->add_option("--workflow", *id, "Workflow id")->required();
  cmd->callback([id, &cli, cmd, publish] {
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      auto w = admin::SetWorkflowPublished(env, *id, publish);
      if (!w) return cli.Fail(w.error());
      if (cli.json) return PrintJson(WorkflowJson(*w, false));
      std::printf("workflow %s %s\n", w->id.c_str(), publish ? "published" : "unpublished");
    });
  });
}

void SetupAppProjectCreate(CLI::App& group, Cli& cli) {
  auto spec = std::make_shared<admin::AppProjectSpec>();
  CLI::App* cmd = AddAdminLeaf(group, "create", "Create an app project in a workspace", cli);
  cmd->add_option("--workspace", spec->workspace_id, "Workspace id")->required();
  cmd->add_option("--name", spec->name, "App name")->required();
  cmd->add_option("--description", spec->description, "Description");
  cmd->callback([spec, &cli, cmd] {
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      auto app = admin::CreateAppProject(env, *spec);
      if (!app) return cli.Fail(app.error());
      if (cli.json) return PrintJson(AppProjectJson(*app));
      std::printf("created app project %s (%s) in workspace %s\n", app->id.c_str(),
                  app->name.c_str(), app->workspace_id.c_str());
    });
  });
}

void SetupAppProjectList(CLI::App& group, Cli& cli) {
  auto o = std::make_shared<ListOptions>();
  CLI::App* cmd = AddAdminLeaf(group, "list", "List the app projects of a workspace", cli);
  cmd->add_option("--workspace", o->workspace, "Workspace id")->required();
  cmd->callback([o, &cli, cmd] {
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      std::vector<domain::AppProject> all;
      for (int page = 1;; ++page) {
        auto got = env.store.ListAppProjects(o->workspace, {page, kListPageSize});
        if (!got) return cli.Fail(got.error());
        all.insert(all.end(), got->items.begin(), got->items.end());
        if (!got->has_more) break;
      }
      if (cli.json) {
        json::array out;
        for (const auto& a : all) out.emplace_back(AppProjectJson(a));
        return PrintJson(out);
      }
      std::vector<std::vector<std::string>> rows;
      for (const auto& a : all) {
        rows.push_back({a.id, a.name, a.has_published_workflow ? "published" : "draft",
                        FormatTime(a.created_at)});
      }
      PrintTable({"ID", "NAME", "STATUS", "CREATED"}, rows);
    });
  });
}

}  // namespace

void SetupAdminWorkflowCommands(CLI::App& admin, Cli& cli) {
  CLI::App* workflow = AddAdminGroup(admin, "workflow", "Workflows (workspace-level resources)");
  SetupWorkflowCreate(*workflow, cli);
  SetupWorkflowList(*workflow, cli);
  SetupWorkflowShow(*workflow, cli);
  SetupWorkflowPublish(*workflow, cli, true);
  SetupWorkflowPublish(*workflow, cli, false);
  CLI::App* app = AddAdminGroup(admin, "app-project",
                                "Coze apps: projects that hold workflows (not OAuth apps)");
  SetupAppProjectCreate(*app, cli);
  SetupAppProjectList(*app, cli);
}

}  // namespace cozeauth::cli
