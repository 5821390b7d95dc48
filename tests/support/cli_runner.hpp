#pragma once
// Runs the operator CLI (`cozeauth admin … --db <url> --json`) against a test's store and
// returns what it printed. The CLI is a separate process writing the same SQLite file as the
// running server, exactly as an operator would use it.
//
//   AdminCli cli(server.db_url());
//   CliResult r = cli.Run({"user", "create", "--name", "ann", "--email", "a@x", "--password",
//   "p"}); ASSERT_TRUE(r.ok()) << r.Describe(); std::string id = r.Str("id");

#include <boost/json.hpp>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "support/subprocess.hpp"

namespace cozeauth::it {

// The cozeauth binary under test: $COZEAUTH_TEST_BINARY if set, else the build's target file.
std::string CozeauthBinary();

struct CliResult {
  std::vector<std::string> args;
  int exit_code = -1;
  std::string out;
  std::string err;
  boost::json::value json;  // stdout parsed as JSON; null when stdout is not JSON

  bool ok() const { return exit_code == 0; }
  // "cozeauth admin … → exit 1; stdout …; stderr …", for assertion messages.
  std::string Describe() const;
  // The first of `keys` present in the top-level JSON object as a string (ids may also be
  // printed as integers); throws std::runtime_error naming the command otherwise.
  std::string Str(std::initializer_list<std::string_view> keys) const;
  std::string Str(std::string_view key) const { return Str({key}); }
};

class AdminCli {
 public:
  explicit AdminCli(std::string db_url) : db_url_(std::move(db_url)) {}
  // `cozeauth admin <args…> --db <url> --json`.
  CliResult Run(const std::vector<std::string>& args) const;
  // Like Run, but throws std::runtime_error (with Describe()) unless the command succeeded.
  CliResult Must(const std::vector<std::string>& args) const;
  // `cozeauth <args…> --db <url> --json`: the store commands outside `admin` (migrate, grant,
  // observe, audit).
  CliResult Command(const std::vector<std::string>& args) const;
  CliResult MustCommand(const std::vector<std::string>& args) const;

 private:
  std::string db_url_;
};

}  // namespace cozeauth::it
