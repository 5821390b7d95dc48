#pragma once
// Shared pieces of the `cozeauth` command line: each subcommand file exports a
// Setup…Command(CLI::App&, Cli&) that registers its options and callback. Commands return
// through Cli::Exit so that main() maps every failure to one non-zero exit code.

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "base/result.hpp"
#include "store/store.hpp"

namespace cozeauth::cli {

struct Cli {
  std::string db_url;  // --db / COZEAUTH_DB; default sqlite:./var/cozeauth.db
  bool json = false;   // --json
  int exit_code = 0;

  // Opens the store named by db_url; prints the error and sets exit_code on failure.
  std::unique_ptr<store::Store> OpenStore();
  // Prints `error` as "error: …" on stderr (or as JSON with --json) and sets exit_code = 1.
  void Fail(const Error& error);
};

inline constexpr const char* kDefaultDb = "sqlite:./var/cozeauth.db";

// Adds --db and --json to a command (each command carries its own, as scripts pass them after
// the subcommand name).
void AddStoreOptions(CLI::App& cmd, Cli& cli);

void SetupServeCommand(CLI::App& app, Cli& cli);
void SetupAdminCommands(CLI::App& app, Cli& cli);
// migrate plan|run|list, grant list|create|revoke (migrate_commands.cpp)
void SetupMigrateCommands(CLI::App& app, Cli& cli);
void SetupObserveCommands(CLI::App& app, Cli& cli);  // observe, audit
void SetupClientCommands(CLI::App& app, Cli& cli);   // login, logout, whoami, chat (over coze::sdk)
void SetupStoreCommands(CLI::App& app, Cli& cli);    // store copy (store_commands.cpp)

}  // namespace cozeauth::cli
