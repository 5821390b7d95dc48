// Migration rehearsal on live traffic (issue 13 item 4, docs/migration.md "Rehearse first"),
// against the real binary, over the Coze guide's world (tests/support/guide_world.hpp) plus a
// personal SAT: mixed traffic of PAT, SAT, AppAuth (JWT) and OBO tokens on W's bot and on a
// published workflow of W — the personal ones that reach W today and the enterprise ones that do
// not yet — while a rehearsal of `cut` or `grant` runs; then the real migration and the same
// traffic. The rehearsal's per-credential prediction (requests that would fail, by code) must equal
// what actually happened, for every credential. Negative: a rehearsal cannot be started, read or
// stopped by someone who could not run the migration (cross-tenant), the real answers never change
// while one runs, and a stopped one records nothing. Waits poll for their event (/metrics, an
// answer's code); flushes are the server's graceful restart (TestServer::Restart).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "support/console_browser.hpp"
#include "support/guide_world.hpp"
#include "support/openapi_expect.hpp"

namespace cozeauth::it {
namespace {
namespace json = boost::json;

// Codes → how many requests got each.
using Codes = std::map<int, int64_t>;

// A published workflow of W (docs/runtime.md): runs need the `run` point.
constexpr const char* kGreeting = R"({
  "inputs": [{"name": "name", "type": "string", "required": true}],
  "nodes": [{"id": "greet", "type": "template", "template": "Hello, {{name}}!"}],
  "outputs": [{"name": "output", "type": "string", "value": "{{greet}}"}]})";

std::vector<std::string> WithRun() {
  std::vector<std::string> p = AllWorkspacePoints();
  p.push_back("run");
  return p;
}

class Rehearsal : public GuideWorld {
 protected:
  void SetUp() override {
    GuideWorld::SetUp();
    auto sat = scenario_.cli().Must({"sat", "create", "--user", user_.id, "--name", "svc",
                                     "--workspace-permissions", "getMetadata,chat,run",
                                     "--workspaces", "all"});
    sat_ = {sat.Str("id"), sat.Str("token")};
    const auto file = server_.dir() / "greet.json";
    std::ofstream(file) << kGreeting;
    workflow_ = scenario_.cli()
                    .Must({"workflow", "create", "--workspace", ws_, "--name", "greet",
                           "--definition", file.string(), "--publish"})
                    .Str("id");
    // Two PATs that may run workflows: the personal one reaches W today, the enterprise one
    // (all workspaces of the organization) only after the migration.
    wf_pat_ = scenario_.CreatePat(user_.id, {.name = "runner", .workspace_permissions = WithRun()});
    ent_wf_pat_ = scenario_.CreatePat(user_.id, {.account_id = ent_.default_org_account_id,
                                                 .name = "ent runner",
                                                 .workspace_permissions = WithRun()});
  }

  // One credential of the traffic: requests on W's bot, on the personal account's conversation
  // (elsewhere than W: counted because the credential reaches W today) and runs of W's workflow
  // (the JWT app and the OBO consent lack `run`: refused before and after, in the shadow too).
  // A request refused for its permission point never names W to the server (the target is read
  // after that check), so for a credential that does not reach W it is not W's traffic and the
  // rehearsal does not count it: the enterprise JWT, which lacks `run`, sends no runs.
  struct Client {
    std::string label;
    std::string token;
    int bot_requests = 0;
    int conversation_requests = 0;
    int workflow_runs = 0;
  };
  std::vector<Client> Clients() const {
    return {{"personal_pat", personal_pat_.token, 3, 2, 0},
            {"sat", sat_.token, 2, 0, 2},
            {"personal_jwt", personal_jwt_, 2, 0, 1},
            {"obo", obo_token_, 2, 1, 1},
            {"enterprise_pat", ent_pat_.token, 2, 0, 0},
            {"enterprise_jwt", enterprise_jwt_, 1, 0, 0},
            {"personal_runner", wf_pat_.token, 0, 0, 3},
            {"enterprise_runner", ent_wf_pat_.token, 0, 0, 2}};
  }

  HttpResponse RunWorkflowAs(const std::string& token) {
    return http_.PostJson(
        "/v1/workflow/run",
        json::object{{"workflow_id", workflow_}, {"parameters", json::object{{"name", "Ann"}}}},
        Bearer(token));
  }

  // The traffic once; the codes each credential got.
  std::map<std::string, Codes> Traffic() {
    std::map<std::string, Codes> out;
    for (const auto& c : Clients()) {
      for (int i = 0; i < c.bot_requests; ++i) ++out[c.label][CodeOf(BotAs(c.token))];
      for (int i = 0; i < c.conversation_requests; ++i) {
        ++out[c.label][CodeOf(ConversationAs(c.token))];
      }
      for (int i = 0; i < c.workflow_runs; ++i) ++out[c.label][CodeOf(RunWorkflowAs(c.token))];
    }
    return out;
  }

  CliResult Rehearse(const std::string& mode, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"migrate", "rehearse", "--workspace",
                                  ws_,       "--to-org", ent_.default_org_account_id,
                                  "--mode",  mode};
    args.insert(args.end(), extra.begin(), extra.end());
    return scenario_.cli().Command(args);
  }

  // Polls /metrics until `text` is present (or absent): the server saw a store write of
  // another process at its auth-epoch poll.
  ::testing::AssertionResult MetricsShow(const std::string& text, bool present = true) {
    auto polled = PollForCode(
        [&] {
          HttpResponse res = http_.Get("/metrics");
          const bool has = res.body.find(text) != std::string::npos;
          // A code the poll recognises: 0 when the wanted state holds.
          res.body = has == present ? R"({"code":0,"msg":""})" : R"({"code":1,"msg":""})";
          return res;
        },
        0, kPropagation);
    if (polled.reached) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "/metrics never " << (present ? "showed " : "lost ") << text;
  }

  static std::string Active(const std::string& id) {
    return "cozeauth_rehearsal_active{rehearsal=\"" + id + "\"";
  }

  json::value Report(const std::string& id) {
    return scenario_.cli().MustCommand({"migrate", "rehearsal", "report", id}).json;
  }

  // The report's row of a credential of the traffic.
  const json::object* RowOf(const json::value& report, const std::string& label) {
    for (const auto& v : report.at("credentials").as_array()) {
      const json::object& r = v.as_object();
      const std::string kind(r.at("kind").as_string());
      const std::string id(r.at("id").as_string());
      const bool in_plan = r.at("in_plan").as_bool();
      if ((label == "personal_pat" && id == personal_pat_.id) ||
          (label == "enterprise_pat" && id == ent_pat_.id) || (label == "sat" && id == sat_.id) ||
          (label == "personal_runner" && id == wf_pat_.id) ||
          (label == "enterprise_runner" && id == ent_wf_pat_.id) ||
          (label == "personal_jwt" && kind == "app_auth" && in_plan) ||
          (label == "enterprise_jwt" && kind == "app_auth" && !in_plan) ||
          (label == "obo" && kind == "obo")) {
        return &r;
      }
    }
    return nullptr;
  }

  static Codes Failures(const Codes& codes) {
    Codes out;
    for (const auto& [code, n] : codes) {
      if (code != 0) out[code] = n;
    }
    return out;
  }

  static Codes Predicted(const json::object& row) {
    Codes out;
    for (const auto& [code, n] : row.at("would_fail_by_code").as_object()) {
      out[std::stoi(std::string(code))] = n.as_int64();
    }
    return out;
  }

  TokenInfo sat_;
  TokenInfo wf_pat_;
  TokenInfo ent_wf_pat_;
  std::string workflow_;
};

class RehearsalPrediction : public Rehearsal, public ::testing::WithParamInterface<const char*> {};

TEST_P(RehearsalPrediction, PredictionEqualsOutcomeForEveryCredential) {
  const std::string mode = GetParam();
  const auto baseline = Traffic();

  // Started by the CLI, another process: the server learns of it at its epoch poll.
  auto started = Rehearse(mode, {"--for", "2h"});
  ASSERT_TRUE(started.ok()) << started.Describe();
  const std::string id = started.Str("id");
  ASSERT_TRUE(MetricsShow(Active(id)));

  // The real answers do not change while the rehearsal runs.
  const auto during = Traffic();
  EXPECT_EQ(during, baseline);
  // The shadow counts reach /metrics at the next flush (every 200 ms).
  ASSERT_TRUE(MetricsShow("cozeauth_rehearsal_requests_total{rehearsal=\"" + id + "\""));
  auto observed = scenario_.cli().MustCommand({"observe", "--since", "1h"});
  EXPECT_NE(json::serialize(observed.json.at("rehearsals")).find(id), std::string::npos)
      << observed.out;

  FlushServer();  // every shadow count reaches the store
  const json::value report = Report(id);
  EXPECT_EQ(report.at("rehearsal").at("mode").as_string(), mode);
  scenario_.cli().MustCommand({"migrate", "rehearsal", "stop", id});
  ASSERT_TRUE(MetricsShow(Active(id), /*present=*/false));

  auto run = scenario_.cli().Command({"migrate", "run", "--workspace", ws_, "--to-org",
                                      ent_.default_org_account_id, "--mode", mode});
  ASSERT_TRUE(run.ok()) << run.Describe();
  // Wait for the server to see the migration: the OBO token loses W in either mode.
  ASSERT_TRUE(Becomes([&] { return BotAs(obo_token_); }, 4101));
  const auto after = Traffic();

  for (const auto& c : Clients()) {
    SCOPED_TRACE(c.label + " in " + mode + " mode");
    const json::object* row = RowOf(report, c.label);
    ASSERT_NE(row, nullptr) << json::serialize(report);
    int64_t sent = 0;
    for (const auto& [code, n] : during.at(c.label)) sent += n;
    EXPECT_EQ(row->at("requests").as_int64(), sent);
    EXPECT_EQ(Predicted(*row), Failures(after.at(c.label))) << json::serialize(*row);
    EXPECT_EQ(row->at("real_denied").as_int64(), [&] {
      int64_t n = 0;
      for (const auto& [code, k] : Failures(during.at(c.label))) n += k;
      return n;
    }());
  }
  // The prediction is not trivial: cut takes W from the personal PAT, grant leaves it; the
  // enterprise PAT, denied today, reaches W afterwards; the plan's coverage comes along.
  const json::object* pat = RowOf(report, "personal_pat");
  ASSERT_NE(pat, nullptr);
  EXPECT_EQ(pat->at("would_fail").as_int64(), mode == std::string("cut") ? 3 : 0);
  // Two enterprise PATs for all workspaces cover it ('prod' and 'ent runner'); either is named.
  const std::string coverage(pat->at("coverage").as_string());
  EXPECT_TRUE(coverage == "covered by PAT 'prod' (all workspaces)" ||
              coverage == "covered by PAT 'ent runner' (all workspaces)")
      << coverage;
  const json::object* ent = RowOf(report, "enterprise_pat");
  ASSERT_NE(ent, nullptr);
  EXPECT_EQ(ent->at("real_denied").as_int64(), 2);
  EXPECT_EQ(ent->at("would_fail").as_int64(), 0);
  // Workflows too: the personal runner loses W in cut mode only; the enterprise runner, refused
  // today, runs W's workflow afterwards in both modes; the SAT loses W in both (grant keeps
  // PATs and AppAuth apps only, docs/migration.md).
  const bool cut = mode == std::string("cut");
  for (const auto& [label, would_fail, real_denied] :
       {std::tuple{"personal_runner", cut ? 3 : 0, 0}, std::tuple{"enterprise_runner", 0, 2},
        std::tuple{"sat", 4, 0}}) {
    SCOPED_TRACE(label);
    const json::object* row = RowOf(report, label);
    ASSERT_NE(row, nullptr) << json::serialize(report);
    EXPECT_EQ(row->at("would_fail").as_int64(), would_fail) << json::serialize(*row);
    EXPECT_EQ(row->at("real_denied").as_int64(), real_denied) << json::serialize(*row);
  }
  EXPECT_EQ(after.at("enterprise_runner"), (Codes{{0, 2}}));
  EXPECT_EQ(during.at("personal_runner"), (Codes{{0, 3}}));
  // The stopped rehearsal counted nothing of the traffic after the migration.
  FlushServer();
  EXPECT_EQ(Report(id).at("requests").as_int64(), report.at("requests").as_int64());
}

INSTANTIATE_TEST_SUITE_P(Modes, RehearsalPrediction, ::testing::Values("cut", "grant"),
                         [](const auto& info) { return std::string(info.param); });

TEST_F(Rehearsal, OnlyWhoCouldRunTheMigrationStartsReadsOrStopsOne) {
  // The CLI: someone who does not own W, and an enterprise admin who does not own W.
  UserInfo stranger = scenario_.CreateUser("stranger");
  UserInfo admin = scenario_.CreateUser("admin");
  scenario_.cli().Must(
      {"enterprise", "add-member", "--enterprise", ent_.id, "--user", admin.id, "--role", "admin"});
  for (const auto& by : {stranger.id, admin.id}) {
    auto refused = Rehearse("cut", {"--by", by});
    EXPECT_FALSE(refused.ok()) << refused.Describe();
  }
  EXPECT_TRUE(Rehearse("cut", {"--for", "0s"}).exit_code != 0);  // out of range
  EXPECT_TRUE(Rehearse("cut", {"--for", "99999999999w"}).exit_code != 0);
  EXPECT_TRUE(
      scenario_.cli().MustCommand({"migrate", "rehearsal", "show"}).json.as_array().empty());

  // The console: the same check (4101), and nothing recorded.
  const std::string base = "/api/permission_api/workspace/";
  const json::object body{{"workspace_id", ws_},
                          {"organization_id", ent_.default_org_account_id},
                          {"mode", "cut"},
                          {"duration", "30m"}};
  for (const auto& who : {stranger, admin}) {
    const ConsoleBrowser b = LoginBrowser(http_, who);
    EXPECT_TRUE(IsCozeError(http_.PostJson(base + "rehearse", body, b.Write()), 4101));
  }
  EXPECT_TRUE(
      scenario_.cli().MustCommand({"migrate", "rehearsal", "show"}).json.as_array().empty());
  // Without the CSRF token even the owner is refused.
  const ConsoleBrowser owner = LoginBrowser(http_, user_);
  EXPECT_FALSE(IsOk(http_.PostJson(base + "rehearse", body, owner.Read())));

  auto started = http_.PostJson(base + "rehearse", body, owner.Write());
  ASSERT_TRUE(IsOk(started)) << started.Describe();
  const std::string id = Str(OkBody(started), "data.rehearsal.id");
  auto audit = scenario_.cli().MustCommand(
      {"audit", "--action", "migration.rehearsal_started", "--target", ws_});
  EXPECT_EQ(audit.json.as_array().size(), 1u) << audit.out;
  // A second one of the same workspace and mode is refused.
  EXPECT_TRUE(IsCozeError(http_.PostJson(base + "rehearse", body, owner.Write()), 4000));

  // Another user reads and stops nothing: 4101, as for an id that does not exist.
  const ConsoleBrowser other = LoginBrowser(http_, stranger);
  EXPECT_TRUE(
      IsCozeError(http_.Get(base + "rehearsal_report?rehearsal_id=" + id, other.Read()), 4101));
  EXPECT_TRUE(IsCozeError(
      http_.PostJson(base + "stop_rehearsal", json::object{{"rehearsal_id", id}}, other.Write()),
      4101));
  EXPECT_TRUE(IsCozeError(
      http_.Get(base + "rehearsal_report?rehearsal_id=1234567890123456789", owner.Read()), 4101));
  auto list = OkBody(http_.Get(base + "list_rehearsals", other.Read()));
  EXPECT_EQ(Int(list, "data.total"), 0);
  // Bad input is a 4000 naming the field.
  EXPECT_TRUE(IsCozeError(
      http_.PostJson(base + "rehearse",
                     json::object{{"workspace_id", ws_}, {"organization_id", "x"}, {"mode", "cut"}},
                     owner.Write()),
      4000));
  EXPECT_TRUE(
      IsCozeError(http_.PostJson(base + "rehearse",
                                 json::object{{"workspace_id", ws_},
                                              {"organization_id", ent_.default_org_account_id},
                                              {"mode", "grant"},
                                              {"duration", "forever"}},
                                 owner.Write()),
                  4000));
  auto mine = OkBody(http_.Get(base + "list_rehearsals?workspace_id=" + ws_, owner.Read()));
  EXPECT_EQ(Int(mine, "data.total"), 1);
  EXPECT_TRUE(IsOk(
      http_.PostJson(base + "stop_rehearsal", json::object{{"rehearsal_id", id}}, owner.Write())));
}

TEST_F(Rehearsal, AStoppedRehearsalRecordsNothing) {
  const ConsoleBrowser owner = LoginBrowser(http_, user_);
  const std::string base = "/api/permission_api/workspace/";
  auto started = http_.PostJson(
      base + "rehearse",
      json::object{
          {"workspace_id", ws_}, {"organization_id", ent_.default_org_account_id}, {"mode", "cut"}},
      owner.Write());
  ASSERT_TRUE(IsOk(started)) << started.Describe();
  const std::string id = Str(OkBody(started), "data.rehearsal.id");
  // The server's own writes apply to the very next request (the store's epoch listener).
  auto stopped =
      http_.PostJson(base + "stop_rehearsal", json::object{{"rehearsal_id", id}}, owner.Write());
  ASSERT_TRUE(IsOk(stopped)) << stopped.Describe();
  EXPECT_NE(Int(OkBody(stopped), "data.rehearsal.stopped_at"), 0);
  const auto traffic = Traffic();
  EXPECT_EQ(traffic.at("personal_pat").at(0), 5);
  FlushServer();
  auto report = OkBody(
      http_.Get(base + "rehearsal_report?rehearsal_id=" + id, LoginBrowser(http_, user_).Read()));
  EXPECT_EQ(Int(report, "data.report.requests"), 0) << json::serialize(report);
  EXPECT_FALSE(Path(report, "data.report.active").as_bool());
  EXPECT_EQ(http_.Get("/metrics").body.find("cozeauth_rehearsal_requests_total{"),
            std::string::npos);
}

}  // namespace
}  // namespace cozeauth::it
