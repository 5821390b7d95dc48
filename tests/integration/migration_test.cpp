// The Coze guide "update API authorization after upgrading to the Enterprise/Team edition", end
// to end against the real binary (issue 4): a personal workspace W with a bot, a personal PAT, a
// JWT app authorized in the personal account, an OBO consent and a conversation; an enterprise
// whose super_admin is the same user, an enterprise PAT for all workspaces and the app installed
// in the enterprise. The plan, then `cut` or `grant`, then what each credential can still reach,
// the cross-account grant, and the preconditions (each refused with the store unchanged). The
// setup is tests/support/guide_world.hpp's.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <functional>
#include <set>
#include <string>

#include "support/guide_world.hpp"
#include "support/openapi_expect.hpp"
#include "support/sqlite_file.hpp"

namespace cozeauth::it {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;

class Migration : public GuideWorld {
 protected:
  CliResult Migrate(const std::string& mode) {
    return scenario_.cli().Command({"migrate", "run", "--workspace", ws_, "--to-org",
                                    ent_.default_org_account_id, "--mode", mode});
  }
};

const json::object* Row(const json::value& plan, const std::string& kind) {
  for (const auto& r : plan.at("credentials").as_array()) {
    if (r.at("kind").as_string() == kind) return &r.as_object();
  }
  return nullptr;
}

TEST_F(Migration, PlanListsEveryCredentialItsFateAndItsCoverage) {
  // Request counts reach the store in the server's periodic flush (docs/observe.md), and at
  // shutdown: restart it so that the setup's use of getMetadata by the personal PAT is stored.
  FlushServer();
  const CliResult plan = scenario_.cli().MustCommand(
      {"migrate", "plan", "--workspace", ws_, "--to-org", ent_.default_org_account_id});
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
  for (const auto& u : pat->at("used_points").as_array())
    used_meta |= u.as_string() == "getMetadata";
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
  auto chat = http_.PostJson(
      "/v3/chat?conversation_id=" + conversation_,
      json::object{{"bot_id", bot_},
                   {"user_id", "u1"},
                   {"stream", false},
                   {"additional_messages",
                    json::array{json::object{
                        {"role", "user"}, {"content", "again"}, {"content_type", "text"}}}}},
      Bearer(ent_pat_.token));
  EXPECT_TRUE(IsOk(chat)) << chat.Describe();
  scenario_.cli().MustCommand({"grant", "revoke", "--user", user_.id, "--id", grant.Str("id")});
  EXPECT_TRUE(Becomes([&] { return ConversationAs(ent_pat_.token); }, 4101));

  // Observation: /metrics counts the denials of the old credentials and the successes of the
  // new ones by route and kind; `cozeauth observe --migration` splits them per credential
  // before/after (request counts reach the store in the server's once-a-second flush).
  const std::string metrics = http_.Get("/metrics").body;
  EXPECT_NE(metrics.find("cozeauth_http_requests_total{route=\"/v1/bots/{bot_id}\","
                         "credential=\"pat\",code=\"4101\"}"),
            std::string::npos);
  EXPECT_NE(metrics.find("cozeauth_http_requests_total{route=\"/v1/bots/{bot_id}\","
                         "credential=\"app\",code=\"4101\"}"),
            std::string::npos);
  EXPECT_NE(metrics.find("cozeauth_http_requests_total{route=\"/v1/bots/{bot_id}\","
                         "credential=\"pat\",code=\"0\"}"),
            std::string::npos);
  auto row_of = [](const json::value& report, const std::string& id) -> const json::object* {
    for (const auto& r : report.at("credentials").as_array()) {
      if (r.at("credential_id").as_string() == id) return &r.as_object();
      for (const auto& t : r.at("token_ids").as_array()) {
        if (t.as_string() == id) return &r.as_object();
      }
    }
    return nullptr;
  };
  auto observed = [&](const json::value& report) {
    const json::object* old_pat = row_of(report, personal_pat_.id);
    const json::object* new_pat = row_of(report, ent_pat_.id);
    // Counts are kept per minute and the migration's minute counts as "after"; this whole test
    // runs within a minute or two, so only the after window is certain to hold its requests.
    return old_pat && new_pat && old_pat->at("after").at("denied_4101").as_int64() >= 1 &&
           new_pat->at("after").at("successes").as_int64() >= 1;
  };
  FlushServer();  // the request counts reach the store at shutdown
  const CliResult report =
      scenario_.cli().MustCommand({"observe", "--migration", migration_id, "--since", "1h"});
  EXPECT_TRUE(observed(report.json)) << report.out;
  if (const json::object* old_pat = row_of(report.json, personal_pat_.id)) {
    EXPECT_EQ(old_pat->at("side").as_string(), "personal");
    EXPECT_NE(std::string(old_pat->at("hint").as_string()).find("still tried first"),
              std::string::npos)
        << report.out;
  }
  if (const json::object* jwt = row_of(report.json, jwt_app_.id)) {
    EXPECT_GE(jwt->at("after").at("denied_4101").as_int64(), 1) << report.out;
  }

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
  scenario_.cli().Must(
      {"enterprise", "add-member", "--enterprise", ent_.id, "--user", admin.id, "--role", "admin"});
  const std::string empty_ws = scenario_.CreateWorkspace(admin.id, admin.id, "Empty");
  const auto setup = db.Snap(skip_tables, skip_columns);

  struct Case {
    std::string name;
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"not the owner",
       {"--workspace", ws_, "--to-org", ent_.default_org_account_id, "--mode", "cut", "--by",
        stranger.id},
       "only the owner of workspace"},
      {"owner is no admin of that enterprise",
       {"--workspace", ws_, "--to-org", other.default_org_account_id, "--mode", "cut"},
       "is not super_admin or admin of enterprise"},
      {"unknown organization",
       {"--workspace", ws_, "--to-org", RandomId(), "--mode", "cut"},
       "not found"},
      {"a personal account is no organization",
       {"--workspace", ws_, "--to-org", user_.id, "--mode", "cut"},
       "not found"},
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
