// The Coze guide "update API authorization after upgrading to the Enterprise/Team edition", end
// to end against the real binary (issue 4): a personal workspace W with a bot, a personal PAT, a
// JWT app authorized in the personal account, an OBO consent and a conversation; an enterprise
// whose super_admin is the same user, an enterprise PAT for all workspaces and the app installed
// in the enterprise. The plan, then `cut` or `grant`, then what each credential can still reach,
// the cross-account grant, and the preconditions (each refused with the store unchanged).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <functional>
#include <set>
#include <thread>
#include <string>

#include "support/console_browser.hpp"
#include "support/openapi_expect.hpp"
#include "support/rsa_jwt.hpp"
#include "support/scenario.hpp"
#include "support/sqlite_file.hpp"
#include "support/test_server.hpp"

namespace cozeauth::it {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;

constexpr auto kPropagation = 2000ms;  // a write by the CLI process: the server's epoch poll
constexpr const char* kRedirect = "http://localhost:8080/callback";

class Migration : public ::testing::Test {
 protected:
  Migration() : scenario_(server_), http_(server_.Http()) {}

  void SetUp() override {
    user_ = scenario_.CreateUser("owner");
    ws_ = scenario_.CreateWorkspace(user_.id, user_.id, "W");
    bot_ = scenario_.CreateBot(ws_, "W bot", "Hi:", true);
    personal_pat_ = scenario_.CreatePat(user_.id, {.name = "personal"});
    jwt_app_ = scenario_.CreateApp({.owner = user_.id, .client_type = "service"});
    kid_ = scenario_.AddAppKey(jwt_app_.id, signer_.public_pem());
    scenario_.AuthorizeApp(jwt_app_.id, user_.id, user_.id, "app");
    conversation_ = Str(OkBody(http_.PostJson("/v1/conversation/create",
                                              json::object{{"bot_id", bot_}},
                                              Bearer(personal_pat_.token))),
                        "data.id");

    ent_ = scenario_.CreateEnterprise("Acme", user_.id);
    ent_pat_ = scenario_.CreatePat(user_.id,
                                   {.account_id = ent_.default_org_account_id, .name = "prod"});
    scenario_.AuthorizeApp(jwt_app_.id, user_.id, ent_.id, "app");

    web_app_ = scenario_.CreateApp(
        {.owner = user_.id, .client_type = "web", .redirect_uris = {kRedirect}});
    const std::string secret = scenario_.CreateClientSecret(web_app_.id);
    obo_token_ = ObtainOboToken(http_, LoginBrowser(http_, user_), web_app_, secret, kRedirect,
                                "personal");
    personal_jwt_ = JwtToken("/api/permission/oauth2/account/" + user_.id + "/token");
    enterprise_jwt_ = JwtToken("/api/permission/oauth2/enterprise_id/" + ent_.id + "/token");
    for (const auto& t : {personal_pat_.token, personal_jwt_, obo_token_}) {
      ASSERT_TRUE(IsOk(BotAs(t))) << "before the migration the personal credentials reach W";
    }
    for (const auto& t : {ent_pat_.token, enterprise_jwt_}) {
      ASSERT_TRUE(IsCozeError(BotAs(t), 4101)) << "… and the enterprise ones do not";
    }
  }

  std::string JwtToken(const std::string& path) {
    const std::string aud = "127.0.0.1:" + std::to_string(server_.port());
    auto res = http_.PostJson(path,
                              {{"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"}},
                              Bearer(signer_.Sign(kid_, jwt_app_.id, aud)));
    EXPECT_EQ(res.status, 200u) << res.Describe();
    return res.status == 200 ? std::string(res.Json().at("access_token").as_string()) : "";
  }

  HttpResponse BotAs(const std::string& token) {
    return http_.Get("/v1/bots/" + bot_, Bearer(token));
  }
  HttpResponse ConversationAs(const std::string& token) {
    return http_.Get("/v1/conversation/retrieve?conversation_id=" + conversation_, Bearer(token));
  }
  // Repeats until the code is reached: the CLI's write reaches the server within its poll.
  ::testing::AssertionResult Becomes(const std::function<HttpResponse()>& request, int code) {
    auto polled = PollForCode(request, code, kPropagation);
    if (polled.reached) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "wanted code " << code << ", got "
                                         << polled.last.Describe();
  }

  CliResult Migrate(const std::string& mode) {
    return scenario_.cli().Command({"migrate", "run", "--workspace", ws_, "--to-org",
                                    ent_.default_org_account_id, "--mode", mode});
  }

  TestServer server_;
  Scenario scenario_;
  HttpClient http_;
  RsaJwtSigner signer_;
  UserInfo user_;
  std::string ws_, bot_, conversation_, kid_;
  TokenInfo personal_pat_, ent_pat_;
  AppInfo jwt_app_, web_app_;
  EnterpriseInfo ent_;
  std::string obo_token_, personal_jwt_, enterprise_jwt_;
};

const json::object* Row(const json::value& plan, const std::string& kind) {
  for (const auto& r : plan.at("credentials").as_array()) {
    if (r.at("kind").as_string() == kind) return &r.as_object();
  }
  return nullptr;
}

TEST_F(Migration, PlanListsEveryCredentialItsFateAndItsCoverage) {
  // Request counts reach the store in the server's periodic flush (docs/observe.md): plan
  // until the setup's use of getMetadata by the personal PAT shows.
  auto plan_now = [&] {
    return scenario_.cli().MustCommand(
        {"migrate", "plan", "--workspace", ws_, "--to-org", ent_.default_org_account_id});
  };
  CliResult plan = plan_now();
  for (int i = 0; i < 40 && plan.out.find("\"used_points\":[\"") == std::string::npos; ++i) {
    std::this_thread::sleep_for(100ms);
    plan = plan_now();
  }
  const json::value& p = plan.json;
  EXPECT_EQ(p.at("workspace_id").as_string(), ws_);
  EXPECT_EQ(p.at("enterprise_id").as_string(), ent_.id);
  EXPECT_TRUE(p.at("grant_possible").as_bool());
  EXPECT_EQ(p.at("account_resources").at("conversations").as_int64(), 1);
  EXPECT_EQ(p.at("account_resources").at("conversation_sample").as_array().at(0).as_string(),
            conversation_);

  const json::object* pat = Row(p, "pat");
  ASSERT_NE(pat, nullptr) << plan.out;
  EXPECT_EQ(pat->at("id").as_string(), personal_pat_.id);
  EXPECT_TRUE(pat->at("keeps_with_grant").as_bool());
  EXPECT_TRUE(pat->at("covered").as_bool());
  EXPECT_EQ(pat->at("coverage").as_string(), "covered by PAT 'prod' (all workspaces)");
  // The setup's requests with the personal PAT used getMetadata on W's bot.
  bool used_meta = false;
  for (const auto& u : pat->at("used_points").as_array()) used_meta |= u.as_string() == "getMetadata";
  EXPECT_TRUE(used_meta) << plan.out;

  const json::object* app = Row(p, "app_auth");
  ASSERT_NE(app, nullptr) << plan.out;
  EXPECT_EQ(app->at("app_id").as_string(), jwt_app_.id);
  EXPECT_EQ(app->at("live_tokens").as_int64(), 1);
  EXPECT_TRUE(app->at("covered").as_bool());
  EXPECT_TRUE(app->at("keeps_with_grant").as_bool());

  const json::object* obo = Row(p, "obo");
  ASSERT_NE(obo, nullptr) << plan.out;
  EXPECT_EQ(obo->at("app_id").as_string(), web_app_.id);
  EXPECT_FALSE(obo->at("keeps_with_grant").as_bool());
  EXPECT_NE(std::string(obo->at("after_grant").as_string()).find("OBO"), std::string::npos);
  EXPECT_FALSE(obo->at("covered").as_bool());  // not installed for OBO in the enterprise
}

TEST_F(Migration, CutMovesWAndOnlyEnterpriseCredentialsReachItThenTheGrantOpensOldConversations) {
  auto run = Migrate("cut");
  ASSERT_TRUE(run.ok()) << run.Describe();
  const std::string migration_id = run.Str("id");

  EXPECT_TRUE(Becomes([&] { return BotAs(personal_pat_.token); }, 4101));
  EXPECT_TRUE(Becomes([&] { return BotAs(personal_jwt_); }, 4101));
  EXPECT_TRUE(Becomes([&] { return BotAs(obo_token_); }, 4101));
  EXPECT_TRUE(IsOk(BotAs(ent_pat_.token)));
  EXPECT_TRUE(IsOk(BotAs(enterprise_jwt_)));
  // The workspace kept its id and its bot.
  auto ws = OkBody(http_.Get("/v1/workspaces?page_num=1&page_size=50", Bearer(ent_pat_.token)));
  EXPECT_NE(json::serialize(ws).find(ws_), std::string::npos);

  // The old conversation stays in the personal account: 4101 until the user opens it.
  EXPECT_TRUE(IsCozeError(ConversationAs(ent_pat_.token), 4101));
  auto grant = scenario_.cli().MustCommand({"grant", "create", "--user", user_.id, "--enterprise",
                                            ent_.id, "--credential", "pat", "--id", ent_pat_.id});
  EXPECT_TRUE(Becomes([&] { return ConversationAs(ent_pat_.token); }, 0));
  // … and continues it: a new chat in the old conversation.
  auto chat = http_.PostJson("/v3/chat?conversation_id=" + conversation_,
                             json::object{{"bot_id", bot_},
                                          {"user_id", "u1"},
                                          {"stream", false},
                                          {"additional_messages",
                                           json::array{json::object{{"role", "user"},
                                                                    {"content", "again"},
                                                                    {"content_type", "text"}}}}},
                             Bearer(ent_pat_.token));
  EXPECT_TRUE(IsOk(chat)) << chat.Describe();
  scenario_.cli().MustCommand({"grant", "revoke", "--user", user_.id, "--id", grant.Str("id")});
  EXPECT_TRUE(Becomes([&] { return ConversationAs(ent_pat_.token); }, 4101));

  auto list = scenario_.cli().MustCommand({"migrate", "list", "--workspace", ws_});
  ASSERT_EQ(list.json.as_array().size(), 1u);
  EXPECT_EQ(list.json.as_array()[0].at("id").as_string(), migration_id);
  EXPECT_EQ(list.json.as_array()[0].at("mode").as_string(), "cut");
  EXPECT_EQ(list.json.as_array()[0].at("actor_user_id").as_string(), user_.id);
  EXPECT_TRUE(list.json.as_array()[0].at("plan").at("credentials").as_array().size() >= 3);
}

TEST_F(Migration, GrantKeepsPersonalPatAndJwtButCutsObo) {
  auto run = Migrate("grant");
  ASSERT_TRUE(run.ok()) << run.Describe();
  EXPECT_TRUE(Becomes([&] { return BotAs(obo_token_); }, 4101));
  EXPECT_TRUE(IsOk(BotAs(personal_pat_.token)));
  EXPECT_TRUE(IsOk(BotAs(personal_jwt_)));
  EXPECT_TRUE(IsOk(BotAs(ent_pat_.token)));
  EXPECT_TRUE(IsOk(BotAs(enterprise_jwt_)));
  // The personal PAT still reads its own conversations (they never moved).
  EXPECT_TRUE(IsOk(ConversationAs(personal_pat_.token)));
}

TEST_F(Migration, EveryViolatedPreconditionIsRefusedAndChangesNothing) {
  SqliteFile db(server_.db_path());
  // Bookkeeping that a running server may write at any time (last use, request counts).
  const std::set<std::string> skip_tables{"request_stats"};
  const std::set<std::string> skip_columns{"last_used_at"};
  const auto before = db.Snap(skip_tables, skip_columns);

  UserInfo stranger = scenario_.CreateUser("stranger");
  UserInfo boss = scenario_.CreateUser("boss");
  EnterpriseInfo other = scenario_.CreateEnterprise("Other", boss.id);
  scenario_.cli().Must({"enterprise", "add-member", "--enterprise", other.id, "--user", user_.id,
                        "--role", "member"});
  // An admin of the enterprise whose own workspace no PAT or AppAuth credential reaches.
  UserInfo admin = scenario_.CreateUser("admin");
  scenario_.cli().Must({"enterprise", "add-member", "--enterprise", ent_.id, "--user", admin.id,
                        "--role", "admin"});
  const std::string empty_ws = scenario_.CreateWorkspace(admin.id, admin.id, "Empty");
  const auto setup = db.Snap(skip_tables, skip_columns);

  struct Case {
    std::string name;
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"not the owner", {"--workspace", ws_, "--to-org", ent_.default_org_account_id, "--mode",
                         "cut", "--by", stranger.id},
       "only the owner of workspace"},
      {"owner is no admin of that enterprise",
       {"--workspace", ws_, "--to-org", other.default_org_account_id, "--mode", "cut"},
       "is not super_admin or admin of enterprise"},
      {"unknown organization", {"--workspace", ws_, "--to-org", RandomId(), "--mode", "cut"},
       "not found"},
      {"a personal account is no organization",
       {"--workspace", ws_, "--to-org", user_.id, "--mode", "cut"}, "not found"},
      {"unknown workspace",
       {"--workspace", RandomId(), "--to-org", ent_.default_org_account_id, "--mode", "cut"},
       "not found"},
      {"unknown mode",
       {"--workspace", ws_, "--to-org", ent_.default_org_account_id, "--mode", "move"},
       "--mode must be cut or grant"},
      {"grant with nothing to grant",
       {"--workspace", empty_ws, "--to-org", ent_.default_org_account_id, "--mode", "grant"},
       "grant mode has nothing to grant"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args{"migrate", "run"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    auto r = scenario_.cli().Command(args);
    EXPECT_NE(r.exit_code, 0) << c.name << ": " << r.Describe();
    EXPECT_NE((r.err + r.out).find(c.message), std::string::npos) << c.name << ": " << r.Describe();
    EXPECT_EQ(DiffSnapshots(setup, db.Snap(skip_tables, skip_columns)), "") << c.name;
  }
  EXPECT_TRUE(IsOk(BotAs(personal_pat_.token)));

  // Once migrated, the workspace is no longer personal: a second migration is refused.
  ASSERT_TRUE(Migrate("cut").ok());
  const auto migrated = db.Snap(skip_tables, skip_columns);
  auto again = Migrate("cut");
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.err.find("is not in a personal account"), std::string::npos) << again.Describe();
  EXPECT_EQ(DiffSnapshots(migrated, db.Snap(skip_tables, skip_columns)), "");
  EXPECT_NE(DiffSnapshots(before, migrated), "");  // the one that ran did change the store
}

TEST_F(Migration, CrossAccountGrantRefusesOboSatAndForeignCredentials) {
  auto cli = scenario_.cli();
  auto obo = cli.Command({"grant", "create", "--user", user_.id, "--enterprise", ent_.id,
                          "--credential", "obo", "--id", "1"});
  EXPECT_NE(obo.exit_code, 0);
  EXPECT_NE(obo.err.find("OBO credentials cannot be granted"), std::string::npos) << obo.Describe();
  auto sat = cli.Command({"grant", "create", "--user", user_.id, "--enterprise", ent_.id,
                          "--credential", "sat", "--id", "1"});
  EXPECT_NE(sat.exit_code, 0);
  EXPECT_NE(sat.err.find("service access tokens cannot be granted"), std::string::npos);
  // The personal PAT is no enterprise credential.
  auto personal = cli.Command({"grant", "create", "--user", user_.id, "--enterprise", ent_.id,
                               "--credential", "pat", "--id", personal_pat_.id});
  EXPECT_NE(personal.exit_code, 0);
  // A member who is no admin of the enterprise cannot open their account to it.
  UserInfo member = scenario_.CreateUser("member");
  cli.Must({"enterprise", "add-member", "--enterprise", ent_.id, "--user", member.id, "--role",
            "member"});
  TokenInfo member_pat =
      scenario_.CreatePat(member.id, {.account_id = ent_.default_org_account_id});
  auto not_admin = cli.Command({"grant", "create", "--user", member.id, "--enterprise", ent_.id,
                                "--credential", "pat", "--id", member_pat.id});
  EXPECT_NE(not_admin.exit_code, 0);
  // The candidates: the owner's enterprise PAT and the app authorized in the enterprise.
  auto list = cli.MustCommand({"grant", "list", "--user", user_.id, "--enterprise", ent_.id});
  std::string ids;
  for (const auto& c : list.json.as_array()) ids += std::string(c.at("id").as_string()) + " ";
  EXPECT_NE(ids.find(ent_pat_.id), std::string::npos) << list.out;
  EXPECT_NE(ids.find(jwt_app_.id), std::string::npos) << list.out;
  EXPECT_EQ(ids.find(personal_pat_.id), std::string::npos) << list.out;
  // AppAuth: the enterprise JWT reads the personal conversation once the app is granted.
  EXPECT_TRUE(IsCozeError(ConversationAs(enterprise_jwt_), 4101));
  cli.MustCommand({"grant", "create", "--user", user_.id, "--enterprise", ent_.id, "--credential",
                   "app", "--id", jwt_app_.id});
  EXPECT_TRUE(Becomes([&] { return ConversationAs(enterprise_jwt_); }, 0));
}

}  // namespace
}  // namespace cozeauth::it
