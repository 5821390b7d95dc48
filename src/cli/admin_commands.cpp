#include "cli/cli.hpp"

namespace cozeauth::cli {

// TODO(helper): admin commands not written yet.
void SetupAdminCommands(CLI::App&, Cli&) {}

}  // namespace cozeauth::cli
