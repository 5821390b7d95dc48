// The client commands of the `cozeauth` binary (`login`, `logout`, `whoami`, `chat`; docs/cli.md
// "Client commands") against the real server: a PAT login, whoami and chat (JSON and streamed,
// a continued conversation, stdin turns), the device flow approved through the console's
// verification endpoint while the command polls, the rotated refresh token written back, a JWT
// app config, and the failures (a revoked token: 4100; an unknown bot: 4006). Every command runs
// as a child process with a private HOME / XDG_CONFIG_HOME and without COZE_API_TOKEN /
// COZE_API_BASE from the developer's shell.

#include <sys/stat.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "support/console_browser.hpp"
#include "support/openapi_expect.hpp"
#include "support/shared_world.hpp"

namespace cozeauth::it {
namespace {
namespace json = boost::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct CliRun {
  std::vector<std::string> args;
  int exit_code = -1;
  std::string out, err;

  bool ok() const { return exit_code == 0; }
  json::value Json() const { return json::parse(out); }
  std::string Describe() const {
    std::string s = "cozeauth";
    for (const auto& a : args) s += " " + a;
    return s + " → exit " + std::to_string(exit_code) + "\n  stdout: " + out + "\n  stderr: " + err;
  }
};

unsigned Mode(const fs::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return 0;
  return st.st_mode & 0777;
}

std::set<std::string> Keys(const json::value& v) {
  std::set<std::string> keys;
  for (const auto& kv : v.as_object()) keys.emplace(kv.key());
  return keys;
}

// The value after "<label>: " on a line of `text`; "" when absent.
std::string LineValue(const std::string& text, const std::string& label) {
  const size_t at = text.find(label + ": ");
  if (at == std::string::npos) return {};
  const size_t start = at + label.size() + 2;
  return text.substr(start, text.find('\n', start) - start);
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

class ClientCommands : public SharedWorld<ClientCommands> {
 protected:
  void SetUp() override {
    SharedWorld::SetUp();
    if (HasFatalFailure()) return;
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = server().dir() / (std::string("client-") + info->name());
    fs::create_directories(dir_);
    creds_ = (dir_ / "credentials.json").string();
  }

  // `env -u … HOME=… XDG_CONFIG_HOME=… cozeauth <args…>`.
  std::vector<std::string> Argv(const std::vector<std::string>& args) const {
    std::vector<std::string> argv{"/usr/bin/env",
                                  "-u",
                                  "COZE_API_TOKEN",
                                  "-u",
                                  "COZE_API_BASE",
                                  "HOME=" + (dir_ / "home").string(),
                                  "XDG_CONFIG_HOME=" + (dir_ / "xdg").string()};
    argv.insert(argv.end(), env_.begin(), env_.end());
    argv.push_back(CozeauthBinary());
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }

  CliRun Cli(const std::vector<std::string>& args) const { return Finish(args, Argv(args)); }

  // The same with `input` on stdin.
  CliRun CliWithInput(const std::vector<std::string>& args, const std::string& input) const {
    const fs::path in = dir_ / "stdin.txt";
    std::ofstream(in) << input;
    std::vector<std::string> argv{"/bin/sh", "-c", "f=$1; shift; exec \"$@\" < \"$f\"", "sh",
                                  in.string()};
    for (auto& a : Argv(args)) argv.push_back(std::move(a));
    return Finish(args, argv);
  }

  static CliRun Finish(const std::vector<std::string>& args, const std::vector<std::string>& argv) {
    ProcessResult p = RunProcess(argv, {}, 60s);
    return {args, p.exit_code, std::move(p.out), std::move(p.err)};
  }

  // Client options pointing at the test server and this test's credentials file.
  std::vector<std::string> With(std::vector<std::string> args) const {
    args.insert(args.end(), {"--base-url", server().base_url(), "--credentials", creds_});
    return args;
  }

  json::value StoredCredentials() const { return json::parse(ReadFile(creds_)); }

  // A device-flow login: the command polls while the test approves its user code as the
  // world's user through the console (POST …/device/verification, cookie + CSRF token).
  void DeviceLogin(const std::string& client_id) {
    const fs::path out = dir_ / "login.out", err = dir_ / "login.err";
    const std::vector<std::string> args =
        With({"login", "--device", "--client-id", client_id, "--json"});
    const pid_t pid = SpawnProcess(Argv(args), {}, out, err);
    std::string code;
    for (auto deadline = std::chrono::steady_clock::now() + 20s;
         code.empty() && std::chrono::steady_clock::now() < deadline;
         std::this_thread::sleep_for(50ms)) {
      code = LineValue(ReadFile(err), "user code");
    }
    ASSERT_FALSE(code.empty()) << "no user code on stderr: " << ReadFile(err);
    EXPECT_NE(ReadFile(err).find("To sign in, open " + server().base_url()), std::string::npos);
    const ConsoleBrowser browser = LoginBrowser(http(), world().user);
    auto approved = http().PostJson("/api/permission/oauth2/device/verification",
                                    {{"user_code", code}, {"consent", true}}, browser.Write());
    ASSERT_TRUE(IsOk(approved)) << approved.Describe();
    const std::optional<int> status = WaitProcess(pid, 40s);  // the first poll waits 5 s
    ASSERT_TRUE(status.has_value()) << "login still polling: " << ReadFile(err);
    ASSERT_EQ(*status, 0) << ReadFile(out) << ReadFile(err);
    auto printed = json::parse(ReadFile(out));
    EXPECT_EQ(Str(printed, "user_id"), world().user.id);
    EXPECT_EQ(Str(printed, "type"), "device");
  }

  fs::path dir_;
  std::string creds_;
  std::vector<std::string> env_;  // extra NAME=VALUE for the commands
};

TEST_F(ClientCommands, TokenLoginWhoamiAndChat) {
  // The default credentials file: $XDG_CONFIG_HOME/cozeauth/credentials.json.
  auto login = Cli({"login", "--token", world().pat.token, "--base-url", server().base_url()});
  ASSERT_TRUE(login.ok()) << login.Describe();
  const fs::path file = dir_ / "xdg" / "cozeauth" / "credentials.json";
  ASSERT_TRUE(fs::exists(file)) << login.Describe();
  EXPECT_EQ(Mode(file), 0600u);
  EXPECT_EQ(Mode(file.parent_path()), 0700u);
  auto stored = json::parse(ReadFile(file));
  EXPECT_EQ(Keys(stored), (std::set<std::string>{"version", "type", "base_url", "access_token"}));
  EXPECT_EQ(Str(stored, "type"), "token");
  EXPECT_EQ(Str(stored, "access_token"), world().pat.token);
  EXPECT_EQ(Str(stored, "base_url"), server().base_url());

  // The base URL now comes from the file.
  auto me = Cli({"whoami", "--json"});
  ASSERT_TRUE(me.ok()) << me.Describe();
  EXPECT_EQ(Str(me.Json(), "user_id"), world().user.id);
  EXPECT_EQ(Str(me.Json(), "user_name"), world().user.name);
  EXPECT_EQ(Str(me.Json(), "type"), "token");

  auto first = Cli({"chat", "--bot", world().bot_id, "--message", "hello world"});
  ASSERT_TRUE(first.ok()) << first.Describe();
  EXPECT_EQ(first.out, ExpectedReply(world().prompt, "hello world") + "\n");
  const std::string conversation = LineValue(first.err, "conversation");
  ASSERT_TRUE(IsId(json::value(conversation))) << first.Describe();

  // Streamed, continuing the conversation.
  auto second = Cli({"chat", "--bot", world().bot_id, "--stream", "--conversation", conversation,
                     "--message", "second turn"});
  ASSERT_TRUE(second.ok()) << second.Describe();
  EXPECT_EQ(second.out, ExpectedReply(world().prompt, "second turn") + "\n");
  EXPECT_EQ(LineValue(second.err, "conversation"), conversation);

  // Machine output, again in the same conversation.
  auto third = Cli({"chat", "--bot", world().bot_id, "--conversation", conversation, "--message",
                    "third", "--json"});
  ASSERT_TRUE(third.ok()) << third.Describe();
  auto j = third.Json();
  EXPECT_EQ(Str(j, "reply"), ExpectedReply(world().prompt, "third"));
  EXPECT_EQ(Str(j, "conversation_id"), conversation);
  EXPECT_EQ(Str(j, "status"), "completed");
  EXPECT_TRUE(IsId(Path(j, "chat_id")));
  EXPECT_EQ(Int(j, "usage.input_count"), 1);

  // The server kept all three turns in the one conversation.
  auto listed = Post("/v1/conversation/message/list?conversation_id=" + conversation,
                     json::object{{"order", "asc"}});
  ASSERT_TRUE(IsOk(listed)) << listed.Describe();
  std::vector<std::string> contents;
  const json::value body = listed.Json();
  for (const auto& m : Path(body, "data").as_array()) contents.push_back(Str(m, "content"));
  EXPECT_EQ(contents,
            (std::vector<std::string>{"hello world", ExpectedReply(world().prompt, "hello world"),
                                      "second turn", ExpectedReply(world().prompt, "second turn"),
                                      "third", ExpectedReply(world().prompt, "third")}));
}

TEST_F(ClientCommands, StdinLinesAreTurnsOfOneConversation) {
  ASSERT_TRUE(Cli(With({"login", "--token", world().pat.token})).ok());
  for (const bool stream : {false, true}) {
    std::vector<std::string> args = With({"chat", "--bot", world().bot_id});
    if (stream) args.push_back("--stream");
    auto r = CliWithInput(args, "one\n\ntwo words\n");
    ASSERT_TRUE(r.ok()) << r.Describe();
    EXPECT_EQ(r.out, ExpectedReply(world().prompt, "one") + "\n" +
                         ExpectedReply(world().prompt, "two words") + "\n");
    EXPECT_EQ(Count(r.err, "conversation: "), 1u) << r.Describe();
  }
}

TEST_F(ClientCommands, TokenOverridesTheFile) {
  // No file: a token from the flag or the environment; neither: not logged in.
  auto none = Cli(With({"whoami"}));
  EXPECT_NE(none.exit_code, 0) << none.Describe();
  EXPECT_NE(none.err.find("not logged in"), std::string::npos) << none.Describe();

  auto flag = Cli(With({"whoami", "--json", "--token", world().pat.token}));
  ASSERT_TRUE(flag.ok()) << flag.Describe();
  EXPECT_EQ(Str(flag.Json(), "source"), "--token");

  env_ = {"COZE_API_TOKEN=" + world().pat.token, "COZE_API_BASE=" + server().base_url()};
  auto from_env = Cli({"whoami", "--json", "--credentials", creds_});
  ASSERT_TRUE(from_env.ok()) << from_env.Describe();
  EXPECT_EQ(Str(from_env.Json(), "source"), "COZE_API_TOKEN");
  EXPECT_EQ(Str(from_env.Json(), "user_id"), world().user.id);
  EXPECT_FALSE(fs::exists(creds_));

  // A stored credential loses to the override (here: a token that does not exist).
  env_.clear();
  ASSERT_TRUE(Cli(With({"login", "--token", world().pat.token})).ok());
  auto bogus = Cli(With({"whoami", "--token", "pat_bogus"}));
  EXPECT_NE(bogus.exit_code, 0);
  EXPECT_NE(bogus.err.find("4100"), std::string::npos) << bogus.Describe();

  auto out = Cli(With({"logout"}));
  EXPECT_TRUE(out.ok()) << out.Describe();
  EXPECT_FALSE(fs::exists(creds_));
}

TEST_F(ClientCommands, DeviceLoginThenWhoamiChatAndRefresh) {
  const AppInfo app = scenario().CreateApp({.owner = world().user.id, .client_type = "device"});
  ASSERT_NO_FATAL_FAILURE(DeviceLogin(app.client_id));

  EXPECT_EQ(Mode(creds_), 0600u);
  auto stored = StoredCredentials();
  // Nothing but the tokens is secret here (a device app has no client secret).
  EXPECT_EQ(Keys(stored), (std::set<std::string>{"version", "type", "base_url", "client_id",
                                                 "access_token", "refresh_token", "expires_in"}));
  EXPECT_EQ(Str(stored, "client_id"), app.client_id);
  EXPECT_EQ(Str(stored, "access_token").rfind("czu_", 0), 0u);
  EXPECT_TRUE(IsTimestamp(Path(stored, "expires_in")));

  auto me = Cli(With({"whoami", "--json"}));
  ASSERT_TRUE(me.ok()) << me.Describe();
  EXPECT_EQ(Str(me.Json(), "user_id"), world().user.id);
  EXPECT_EQ(Str(me.Json(), "type"), "device");
  EXPECT_EQ(StoredCredentials(), stored);  // far from expiry: no refresh

  auto chat = Cli(With({"chat", "--bot", world().bot_id, "--message", "via obo", "--stream"}));
  ASSERT_TRUE(chat.ok()) << chat.Describe();
  EXPECT_EQ(chat.out, ExpectedReply(world().prompt, "via obo") + "\n");

  // Close to expiry: OAuthAuth refreshes, and the rotated pair is written back (0600).
  json::object near = stored.as_object();
  near["expires_in"] = Int(stored, "expires_in") - 15 * 60 + 10;
  std::ofstream(creds_, std::ios::trunc) << json::serialize(near);
  auto refreshed = Cli(With({"whoami", "--json"}));
  ASSERT_TRUE(refreshed.ok()) << refreshed.Describe();
  EXPECT_EQ(Str(refreshed.Json(), "user_id"), world().user.id);
  auto rotated = StoredCredentials();
  EXPECT_NE(Str(rotated, "access_token"), Str(stored, "access_token"));
  EXPECT_NE(Str(rotated, "refresh_token"), Str(stored, "refresh_token"));
  EXPECT_GT(Int(rotated, "expires_in"), Int(near, "expires_in") + 600);
  EXPECT_EQ(Mode(creds_), 0600u);
  auto again = Cli(With({"whoami"}));
  EXPECT_TRUE(again.ok()) << again.Describe();
  EXPECT_EQ(StoredCredentials(), rotated);
}

TEST_F(ClientCommands, JwtConfigLoginStoresOnlyThePath) {
  const fs::path key = dir_ / "private.pem", pub = dir_ / "public.pem";
  auto gen = RunProcess({"/usr/bin/openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt",
                         "rsa_keygen_bits:2048", "-out", key.string()},
                        {});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  auto pubout = RunProcess(
      {"/usr/bin/openssl", "pkey", "-in", key.string(), "-pubout", "-out", pub.string()}, {});
  ASSERT_EQ(pubout.exit_code, 0) << pubout.err;
  const AppInfo app = scenario().CreateApp({.owner = world().user.id, .client_type = "service"});
  scenario().AddAppKey(app.id, ReadFile(pub));
  scenario().AuthorizeApp(app.id, world().user.id, world().user.id);
  const fs::path config = dir_ / "coze_oauth_config.json";
  scenario().cli().Must({"app", "export-config", "--app", app.id, "--api-base", server().base_url(),
                         "--private-key-file", key.string(), "--out", config.string()});

  auto login = Cli({"login", "--config", config.string(), "--credentials", creds_, "--json"});
  ASSERT_TRUE(login.ok()) << login.Describe();
  EXPECT_EQ(Str(login.Json(), "type"), "jwt");
  auto stored = StoredCredentials();
  EXPECT_EQ(Keys(stored),
            (std::set<std::string>{"version", "type", "base_url", "client_id", "config_file"}));
  EXPECT_EQ(Str(stored, "config_file"), config.string());
  EXPECT_EQ(ReadFile(creds_).find("PRIVATE KEY"), std::string::npos);

  auto chat = Cli({"chat", "--credentials", creds_, "--bot", world().bot_id, "--message", "jwt"});
  ASSERT_TRUE(chat.ok()) << chat.Describe();
  EXPECT_EQ(chat.out, ExpectedReply(world().prompt, "jwt") + "\n");
}

TEST_F(ClientCommands, RevokedTokenFailsWith4100) {
  const TokenInfo pat = scenario().CreatePat(world().user.id, {.name = "revoked"});
  ASSERT_TRUE(Cli(With({"login", "--token", pat.token})).ok());
  ASSERT_TRUE(Cli(With({"whoami"})).ok());
  scenario().RevokeToken(pat.id);
  CliRun r;
  // Until the server's auth-epoch poll sees the revocation; the deadline only bounds a failure.
  for (auto deadline = std::chrono::steady_clock::now() + 30s;
       std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(100ms)) {
    r = Cli(With({"whoami"}));
    if (!r.ok()) break;
  }
  EXPECT_EQ(r.exit_code, 1) << r.Describe();
  EXPECT_NE(r.err.find("error: 4100: "), std::string::npos) << r.Describe();
  EXPECT_NE(r.err.find("(logid "), std::string::npos) << r.Describe();

  auto chat = Cli(With({"chat", "--bot", world().bot_id, "--message", "hi", "--json"}));
  EXPECT_EQ(chat.exit_code, 1) << chat.Describe();
  EXPECT_EQ(chat.out, "");
  auto err = json::parse(chat.err);
  EXPECT_EQ(Int(err, "code"), 4100);
  EXPECT_FALSE(Str(err, "logid").empty());

  // login refuses a revoked token and keeps the file as it was.
  const std::string before = ReadFile(creds_);
  EXPECT_NE(Cli(With({"login", "--token", pat.token})).exit_code, 0);
  EXPECT_EQ(ReadFile(creds_), before);
}

TEST_F(ClientCommands, UnknownBotFailsWith4006) {
  for (const bool stream : {false, true}) {
    std::vector<std::string> args =
        With({"chat", "--token", world().pat.token, "--bot", RandomId(), "--message", "hi"});
    if (stream) args.push_back("--stream");
    auto r = Cli(args);
    EXPECT_EQ(r.exit_code, 1) << r.Describe();
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("error: 4006: "), std::string::npos) << r.Describe();
  }
}

}  // namespace
}  // namespace cozeauth::it
