// Workflows and app projects in a workspace migration (issue 13 item 3): they move with their
// workspace, ids unchanged, and a credential's fate on them is its fate on the workspace's bots.
// A personal SAT and a personal AppAuth (JWT) token run W's workflow before a `cut` migration;
// the plan lists both with their fates and counts W's bots, workflows and app projects; after
// the migration each credential gets on the workflow exactly what it gets on the bot (4101 with
// `cut`), and an enterprise PAT runs the same workflow id and reads the history of a
// run made before the migration.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/openapi_expect.hpp"
#include "support/rsa_jwt.hpp"
#include "support/scenario.hpp"
#include "support/test_server.hpp"

namespace cozeauth::it {
namespace {
namespace json = boost::json;

constexpr std::chrono::milliseconds kPropagation{30'000};

constexpr const char* kGreeting = R"({
  "inputs": [{"name": "name", "type": "string", "required": true}],
  "nodes": [{"id": "greet", "type": "template", "template": "Hello, {{name}}!"}],
  "outputs": [{"name": "output", "type": "string", "value": "{{greet}}"}]})";

std::vector<std::string> Points() {
  std::vector<std::string> p = AllWorkspacePoints();
  p.insert(p.end(), {"run", "listRunHistory", "listWorkflow", "getMetaData", "listApp"});
  return p;
}

const json::object* Row(const json::value& plan, const std::string& kind) {
  for (const auto& r : plan.at("credentials").as_array()) {
    if (r.at("kind").as_string() == kind) return &r.as_object();
  }
  return nullptr;
}

class WorkflowMigration : public ::testing::Test {
 protected:
  void SetUp() override {
    user_ = scenario_.CreateUser("owner");
    ws_ = scenario_.CreateWorkspace(user_.id, user_.id, "W");
    bot_ = scenario_.CreateBot(ws_, "W bot", "Hi:", true);
    app_project_ = scenario_.cli()
                       .Must({"app-project", "create", "--workspace", ws_, "--name", "Trips"})
                       .Str("id");
    const auto file = server_.dir() / "greet.json";
    std::ofstream(file) << kGreeting;
    workflow_ =
        scenario_.cli()
            .Must({"workflow", "create", "--workspace", ws_, "--name", "greet", "--definition",
                   file.string(), "--app-project", app_project_, "--publish"})
            .Str("id");
    sat_ = scenario_.cli()
               .Must({"sat", "create", "--user", user_.id, "--name", "svc", "--workspaces", "all",
                      "--workspace-permissions", JoinPoints(Points())})
               .Str("token");
    jwt_app_ = scenario_.CreateApp(
        {.owner = user_.id, .client_type = "service", .workspace_permissions = Points()});
    kid_ = scenario_.AddAppKey(jwt_app_.id, signer_.public_pem());
    scenario_.AuthorizeApp(jwt_app_.id, user_.id, user_.id, "app");
    jwt_ = JwtToken("/api/permission/oauth2/account/" + user_.id + "/token");
    ent_ = scenario_.CreateEnterprise("Acme", user_.id);
    ent_pat_ = scenario_.CreatePat(user_.id, {.account_id = ent_.default_org_account_id,
                                              .name = "prod",
                                              .workspace_permissions = Points()});
  }

  std::string JwtToken(const std::string& path) {
    const std::string aud = "127.0.0.1:" + std::to_string(server_.port());
    auto res = server_.Http().PostJson(
        path, {{"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"}},
        Bearer(signer_.Sign(kid_, jwt_app_.id, aud)));
    EXPECT_EQ(res.status, 200u) << res.Describe();
    return res.status == 200 ? std::string(res.Json().at("access_token").as_string()) : "";
  }
  HttpResponse Run(const std::string& token) const {
    return server_.Http().PostJson("/v1/workflow/run",
                                   {{"workflow_id", workflow_}, {"parameters", {{"name", "Ada"}}}},
                                   Bearer(token));
  }
  HttpResponse Bot(const std::string& token) const {
    return server_.Http().Get("/v1/bots/" + bot_, Bearer(token));
  }

  TestServer server_;
  Scenario scenario_{server_};
  RsaJwtSigner signer_;
  UserInfo user_;
  std::string ws_, bot_, app_project_, workflow_, sat_, kid_, jwt_;
  AppInfo jwt_app_;
  EnterpriseInfo ent_;
  TokenInfo ent_pat_;
};

TEST_F(WorkflowMigration, WorkflowsMoveWithTheWorkspaceAndFatesAreTheBots) {
  const std::string before_run = Str(OkBody(Run(sat_)), "execute_id");
  ASSERT_TRUE(IsOk(Run(jwt_)));
  ASSERT_TRUE(IsCozeError(Run(ent_pat_.token), 4101)) << "the enterprise PAT does not reach W yet";

  const CliResult plan = scenario_.cli().MustCommand(
      {"migrate", "plan", "--workspace", ws_, "--to-org", ent_.default_org_account_id});
  EXPECT_EQ(Int(plan.json, "workspace_resources.bots"), 1);
  EXPECT_EQ(Int(plan.json, "workspace_resources.workflows"), 1);
  EXPECT_EQ(Int(plan.json, "workspace_resources.app_projects"), 1);
  const json::object* sat_row = Row(plan.json, "sat");
  const json::object* app_row = Row(plan.json, "app_auth");
  ASSERT_NE(sat_row, nullptr) << plan.out;
  ASSERT_NE(app_row, nullptr) << plan.out;
  // `cut` keeps no personal credential on the workspace (the plan says what each loses).
  EXPECT_FALSE(sat_row->at("after_cut").as_string().empty());
  EXPECT_FALSE(app_row->at("after_cut").as_string().empty());

  scenario_.cli().MustCommand({"migrate", "run", "--workspace", ws_, "--to-org",
                               ent_.default_org_account_id, "--mode", "cut"});

  // The enterprise PAT reaches W once the server has seen the migration; the same ids answer.
  auto polled = PollForCode([&] { return Run(ent_pat_.token); }, 0, kPropagation);
  ASSERT_TRUE(polled.reached) << polled.last.Describe();
  EXPECT_EQ(Str(polled.last.Json(), "data"), R"({"output":"Hello, Ada!"})");
  EXPECT_TRUE(IsOk(server_.Http().Get("/v1/workflows/" + workflow_ + "/run_histories/" + before_run,
                                      Bearer(ent_pat_.token))));
  const json::value apps =
      OkBody(server_.Http().Get("/v1/apps?workspace_id=" + ws_, Bearer(ent_pat_.token)));
  EXPECT_EQ(Str(apps, "data.items.0.id"), app_project_);

  // Each personal credential gets on the workflow what it gets on the bot: with `cut`, 4101.
  struct {
    const char* name;
    std::string token;
  } creds[] = {{"sat", sat_}, {"app_auth", jwt_}};
  for (const auto& c : creds) {
    EXPECT_EQ(CodeOf(Run(c.token)), 4101) << c.name;
    EXPECT_EQ(CodeOf(Bot(c.token)), 4101) << c.name;
  }
}

}  // namespace
}  // namespace cozeauth::it
