#include "support/cli_runner.hpp"

#include <cstdlib>
#include <stdexcept>

#ifndef COZEAUTH_BINARY
#error "COZEAUTH_BINARY must name the cozeauth executable under test"
#endif

namespace cozeauth::it {

std::string CozeauthBinary() {
  if (const char* b = std::getenv("COZEAUTH_TEST_BINARY"); b != nullptr && *b != '\0') return b;
  return COZEAUTH_BINARY;
}

std::string CliResult::Describe() const {
  std::string s = "cozeauth";
  for (const auto& a : args) s += " " + a;
  s += " → exit " + std::to_string(exit_code);
  s += "\n  stdout: " + out;
  s += "\n  stderr: " + err;
  return s;
}

std::string CliResult::Str(std::initializer_list<std::string_view> keys) const {
  if (const auto* o = json.if_object()) {
    for (auto key : keys) {
      const auto* v = o->if_contains(key);
      if (v == nullptr) continue;
      if (v->is_string()) return std::string(v->as_string());
      if (v->is_int64()) return std::to_string(v->as_int64());
      if (v->is_uint64()) return std::to_string(v->as_uint64());
    }
  }
  std::string names;
  for (auto key : keys) names += (names.empty() ? "" : "|") + std::string(key);
  throw std::runtime_error("no string field " + names + " in the output of " + Describe());
}

CliResult AdminCli::Run(const std::vector<std::string>& args) const {
  std::vector<std::string> with_group{"admin"};
  with_group.insert(with_group.end(), args.begin(), args.end());
  return Command(with_group);
}

CliResult AdminCli::Command(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{CozeauthBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--db", db_url_, "--json"});
  ProcessResult p = RunProcess(argv, {}, std::chrono::seconds(60));
  CliResult r;
  r.args = args;
  r.exit_code = p.exit_code;
  r.out = std::move(p.out);
  r.err = std::move(p.err);
  boost::system::error_code ec;
  auto v = boost::json::parse(r.out, ec);
  if (!ec) r.json = std::move(v);
  return r;
}

CliResult AdminCli::Must(const std::vector<std::string>& args) const {
  CliResult r = Run(args);
  if (!r.ok()) throw std::runtime_error("admin command failed: " + r.Describe());
  return r;
}

CliResult AdminCli::MustCommand(const std::vector<std::string>& args) const {
  CliResult r = Command(args);
  if (!r.ok()) throw std::runtime_error("command failed: " + r.Describe());
  return r;
}

}  // namespace cozeauth::it
