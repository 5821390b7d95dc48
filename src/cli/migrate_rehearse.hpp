#pragma once
// `cozeauth migrate rehearse` and `cozeauth migrate rehearsal show|report|stop` (a migration
// rehearsal on live traffic, migration/rehearsal.hpp; docs/migration.md "Rehearse first"), and
// the one rule both `migrate run` and `migrate rehearse` use for who migrates. Single-threaded,
// like the rest of the CLI.

#include <CLI/CLI.hpp>
#include <string>

#include "admin/operations.hpp"
#include "base/result.hpp"
#include "cli/cli.hpp"

namespace cozeauth::cli {

// The user who migrates: `by` when given, else the workspace's owner; kBadRequest naming
// "workspace" for an unknown workspace.
Result<std::string> MigrationActor(admin::Env& env, const std::string& workspace_id,
                                   const std::string& by);

// Adds `rehearse` and the `rehearsal` group under the `migrate` group.
void SetupRehearseCommands(CLI::App& migrate, Cli& cli);

}  // namespace cozeauth::cli
