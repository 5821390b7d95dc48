#include "cli/cli.hpp"

#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>

namespace cozeauth::cli {

std::unique_ptr<store::Store> Cli::OpenStore() {
  auto s = store::OpenStore(db_url);
  if (!s) {
    Fail(s.error());
    return nullptr;
  }
  return std::move(s.value());
}

void Cli::Fail(const Error& error) {
  exit_code = 1;
  std::string msg = error.message.empty() ? "failed" : error.message;
  if (json) {
    boost::json::object o{{"error", msg}, {"code", static_cast<int>(error.code)}};
    if (!error.field.empty()) o["field"] = error.field;
    std::fprintf(stderr, "%s\n", boost::json::serialize(o).c_str());
  } else {
    std::fprintf(stderr, "error: %s\n", msg.c_str());
  }
}

void AddStoreOptions(CLI::App& cmd, Cli& cli) {
  // No envname: CLI11 2.1 would copy COZEAUTH_DB into every command's --db, run or not, and
  // the last one would win over an explicit flag. main() reads COZEAUTH_DB once instead.
  cmd.add_option("--db", cli.db_url,
                 "Store URL (default: $COZEAUTH_DB or sqlite:./var/cozeauth.db)");
  cmd.add_flag("--json", cli.json, "Print JSON");
}

}  // namespace cozeauth::cli
