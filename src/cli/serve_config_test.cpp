// The settings of `cozeauth serve` (serve_config.hpp): every integer setting is reachable by its
// flag, its environment variable and its TOML key, and every source refuses a value outside the
// one range the table gives it.
#include "cli/serve_config.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace cozeauth::cli {
namespace {

// A `serve` command registered the way serve.cpp does it, over `o`.
struct Command {
  explicit Command(ServeOptions& o) {
    app.add_option("--config", config);
    for (const IntSetting& setting : IntSettings(o)) {
      std::visit(
          [&](auto* field) {
            app.add_option(setting.flag, *field)
                ->envname(setting.env)
                ->check(CLI::Range(setting.low, setting.high));
          },
          setting.field);
    }
  }
  bool Parse(std::vector<std::string> args) {
    args.insert(args.begin(), "serve");
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    try {
      app.parse(static_cast<int>(argv.size()), argv.data());
      return true;
    } catch (const CLI::ParseError&) {
      return false;
    }
  }
  CLI::App app{"serve"};
  std::string config;
};

// The variables a developer may have set must not decide what the tests read.
class ServeConfig : public ::testing::Test {
 protected:
  void SetUp() override {
    ServeOptions o;
    for (const IntSetting& setting : IntSettings(o)) unsetenv(setting.env);
  }
};

// The value of the setting named `key` in `o`.
int64_t ValueOf(ServeOptions& o, std::string_view key) {
  for (const IntSetting& s : IntSettings(o)) {
    if (s.key == key) {
      return std::visit([](auto* field) { return static_cast<int64_t>(*field); }, s.field);
    }
  }
  ADD_FAILURE() << "no setting " << key;
  return -1;
}

TEST_F(ServeConfig, EveryIntegerSettingIsReachableByFlagEnvironmentAndTomlWithinItsRange) {
  ServeOptions probe;
  for (const IntSetting& setting : IntSettings(probe)) {
    SCOPED_TRACE(setting.key);
    ASSERT_LT(setting.low, setting.high);
    const int64_t value = setting.high;  // a value no default has

    {  // the flag
      ServeOptions o;
      Command cmd(o);
      ASSERT_TRUE(cmd.Parse({setting.flag, std::to_string(value)}));
      EXPECT_EQ(ValueOf(o, setting.key), value);
    }
    {  // the environment
      ServeOptions o;
      Command cmd(o);
      setenv(setting.env, std::to_string(setting.low).c_str(), 1);
      const bool parsed = cmd.Parse({});
      unsetenv(setting.env);
      ASSERT_TRUE(parsed);
      EXPECT_EQ(ValueOf(o, setting.key), setting.low);
    }
    {  // the TOML key
      ServeOptions o;
      Command cmd(o);
      ASSERT_TRUE(cmd.Parse({}));
      std::string db;
      const std::string text = std::string(setting.key) + " = " + std::to_string(value) + "\n";
      ASSERT_TRUE(ApplyConfigText(text, "test.toml", o, db, cmd.app));
      EXPECT_EQ(ValueOf(o, setting.key), value);
    }
    for (int64_t outside : {setting.low - 1, setting.high + 1}) {
      ServeOptions o;
      Command cmd(o);
      EXPECT_FALSE(cmd.Parse({setting.flag, std::to_string(outside)})) << outside;
      ServeOptions from_env;
      Command env_cmd(from_env);
      setenv(setting.env, std::to_string(outside).c_str(), 1);
      EXPECT_FALSE(env_cmd.Parse({})) << outside;
      unsetenv(setting.env);
      ServeOptions fresh;
      Command toml_cmd(fresh);
      ASSERT_TRUE(toml_cmd.Parse({}));
      std::string db;
      auto s = ApplyConfigText(std::string(setting.key) + " = " + std::to_string(outside) + "\n",
                               "test.toml", fresh, db, toml_cmd.app);
      ASSERT_FALSE(s) << outside;
      EXPECT_NE(s.error().message.find(setting.key), std::string::npos) << s.error().message;
    }
  }
}

TEST_F(ServeConfig, FlagWinsOverTheTomlKey) {
  ServeOptions o;
  Command cmd(o);
  ASSERT_TRUE(cmd.Parse({"--login-max-failures", "3"}));
  std::string db;
  ASSERT_TRUE(ApplyConfigText("login_max_failures = 9\ndevice_codes_per_minute = 7\n", "test.toml",
                              o, db, cmd.app));
  EXPECT_EQ(o.server.login_max_failures, 3);
  EXPECT_EQ(o.server.device_codes_per_minute, 7);
}

TEST_F(ServeConfig, RateLimitDefaultsAreTheDocumentedOnes) {
  ServeOptions o;
  EXPECT_EQ(o.server.login_max_failures, 5);
  EXPECT_EQ(o.server.device_codes_per_minute, 30);
}

TEST_F(ServeConfig, AWrongTypeNamesTheKey) {
  ServeOptions o;
  Command cmd(o);
  ASSERT_TRUE(cmd.Parse({}));
  std::string db;
  for (const char* text : {"login_max_failures = \"5\"\n", "login_max_failures = 2.5\n",
                           "login_max_failures = -1e23\n"}) {
    auto s = ApplyConfigText(text, "test.toml", o, db, cmd.app);
    ASSERT_FALSE(s) << text;
    EXPECT_NE(s.error().message.find("login_max_failures"), std::string::npos);
  }
  EXPECT_EQ(o.server.login_max_failures, 5);
}

}  // namespace
}  // namespace cozeauth::cli
