#pragma once
// Plumbing shared by the `cozeauth admin …` commands (one file per noun group: admin_users.cpp,
// admin_tenancy.cpp, admin_workspaces.cpp, admin_tokens.cpp, admin_apps.cpp and the app's parts
// in admin_app_*.cpp). Each leaf command carries --db and --json, checks what only the command
// line can check (enum spellings, numbers, files) before opening the store, then calls one
// admin:: operation — which validates everything else before it writes — and prints the result.
// Single-threaded, like the rest of the CLI.

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "admin/operations.hpp"
#include "cli/cli.hpp"

namespace cozeauth::cli {

// A noun group (`user`, `enterprise`, …) under `parent`; it requires exactly one subcommand.
CLI::App* AddAdminGroup(CLI::App& parent, const std::string& name, const std::string& description);
// A leaf command under `group`, with --db and --json.
CLI::App* AddAdminLeaf(CLI::App& group, const std::string& name, const std::string& description,
                       Cli& cli);

// Opens the store named by --db (else COZEAUTH_DB, else the default) and runs `fn` with
// an operations environment on the system clock and the OS CSPRNG. If the store cannot be
// opened, reports why (exit code 1) and does not call `fn`.
void WithAdminEnv(Cli& cli, const CLI::App& leaf, const std::function<void(admin::Env&)>& fn);

// The whole file at `path`, or kBadRequest naming `field` and the option `flag` when it cannot
// be read or is empty. Commands call it before opening the store.
Result<std::string> ReadTextFile(const std::string& path, const std::string& field,
                                 const std::string& flag);

void SetupAdminUserCommands(CLI::App& admin, Cli& cli);       // user create|list
void SetupAdminTenancyCommands(CLI::App& admin, Cli& cli);    // enterprise …, org create
void SetupAdminWorkspaceCommands(CLI::App& admin, Cli& cli);  // workspace …, bot create
// workflow create|list|show|publish|unpublish, app-project create|list (admin_workflows.cpp)
void SetupAdminWorkflowCommands(CLI::App& admin, Cli& cli);
// pat create, sat create, token revoke|list, permissions
void SetupAdminTokenCommands(CLI::App& admin, Cli& cli);
// app create|list|get|secret …|key …|disable|enable|delete|authorize|revoke|installations|
// export-config (admin_apps.cpp, which calls the four below)
void SetupAdminAppCommands(CLI::App& admin, Cli& cli);
void SetupAppSecretCommands(CLI::App& app_group, Cli& cli);  // secret create|delete
void SetupAppKeyCommands(CLI::App& app_group, Cli& cli);     // key add|delete
// authorize|revoke|installations (admin_app_authorizations.cpp)
void SetupAppAuthorizationCommands(CLI::App& app_group, Cli& cli);
void SetupAppExportCommand(CLI::App& app_group, Cli& cli);  // export-config

}  // namespace cozeauth::cli
