// cozeauth: the composition root. One executable with subcommands (architecture.md §2);
// exceptions that escape a command are bugs and are reported here.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "cli/cli.hpp"

int main(int argc, char** argv) {
  using namespace cozeauth::cli;
  CLI::App app{"cozeauth: a self-hostable, Coze-compatible OpenAPI authorization platform"};
  app.set_version_flag("--version", "cozeauth 0.1.0");
  app.require_subcommand(1);
  Cli cli;
  // The environment is the default; a --db flag overrides it.
  const char* env_db = std::getenv("COZEAUTH_DB");
  cli.db_url = env_db && *env_db ? env_db : kDefaultDb;
  SetupServeCommand(app, cli);
  SetupAdminCommands(app, cli);
  SetupMigrateCommands(app, cli);
  SetupObserveCommands(app, cli);
  SetupClientCommands(app, cli);
  SetupStoreCommands(app, cli);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "internal error: %s\n", e.what());
    return 70;
  }
  return cli.exit_code;
}
