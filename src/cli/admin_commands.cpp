// `cozeauth admin`: operator commands on the store. This file registers the noun groups and
// holds the plumbing they share (admin_common.hpp); each group lives in its own admin_*.cpp.

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

#include "base/clock.hpp"
#include "base/ids.hpp"
#include "base/random.hpp"
#include "cli/admin_common.hpp"

namespace cozeauth::cli {

CLI::App* AddAdminGroup(CLI::App& parent, const std::string& name, const std::string& description) {
  CLI::App* group = parent.add_subcommand(name, description);
  group->require_subcommand(1);
  return group;
}

CLI::App* AddAdminLeaf(CLI::App& group, const std::string& name, const std::string& description,
                       Cli& cli) {
  CLI::App* cmd = group.add_subcommand(name, description);
  AddStoreOptions(*cmd, cli);
  return cmd;
}

void WithAdminEnv(Cli& cli, const CLI::App& leaf, const std::function<void(admin::Env&)>& fn) {
  std::unique_ptr<store::Store> store = cli.OpenStore();
  if (!store) return;
  Clock& clock = SystemClock::Instance();
  SecureRandom& random = OsRandom::Instance();
  IdGenerator ids(clock, random);
  admin::Env env{*store, clock, random, ids};
  fn(env);
}

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

void SetupAdminCommands(CLI::App& app, Cli& cli) {
  CLI::App* admin = AddAdminGroup(app, "admin", "Operator commands on the store");
  SetupAdminUserCommands(*admin, cli);
  SetupAdminTenancyCommands(*admin, cli);
  SetupAdminWorkspaceCommands(*admin, cli);
  SetupAdminWorkflowCommands(*admin, cli);
  SetupAdminTokenCommands(*admin, cli);
  SetupAdminAppCommands(*admin, cli);
}

}  // namespace cozeauth::cli
