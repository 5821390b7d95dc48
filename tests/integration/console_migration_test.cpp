// The console side of issue 4 over HTTP against the real binary, on the Coze guide's setup
// (tests/support/guide_world.hpp): the migration checklist
// (/api/permission_api/app/get_checklist_for_workspace_migration), the migration itself and the
// migrations list (/api/permission_api/workspace/…), and the 个人账号资源授权 page (list,
// authorize, revoke) with the enterprise PAT reading the old personal conversation only while it is
// granted. The refusals: someone else's workspace, a non-admin, obo/sat types, a batch with one
// bad item, missing CSRF, malformed bodies — each writing nothing (store snapshots).
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "support/console_browser.hpp"
#include "support/guide_world.hpp"
#include "support/openapi_expect.hpp"
#include "support/sqlite_file.hpp"

namespace cozeauth::it {
namespace {
namespace json = boost::json;

const std::string kApp = "/api/permission_api/app/";
const std::string kWorkspace = "/api/permission_api/workspace/";
const std::string kChecklist = kApp + "get_checklist_for_workspace_migration";
const std::string kMigrate = kWorkspace + "migrate";
const std::string kCandidates =
    kApp + "get_apps_and_patlist_for_personalaccountpermission_authorization";
const std::string kAuthorize = kApp + "authorize_apps_and_patlist_with_personalaccountpermission";
const std::string kRevoke = kApp + "revoke_app_and_pat_personalaccountpermission";

// Bookkeeping a running server may write at any time (request counts, last use).
const std::set<std::string> kSkipTables{"request_stats"};
const std::set<std::string> kSkipColumns{"last_used_at"};

// The first element of `array` for which `pred` holds; nullptr if none.
const json::object* Find(const json::value& array,
                         const std::function<bool(const json::object&)>& pred) {
  for (const auto& v : array.as_array()) {
    if (v.is_object() && pred(v.as_object())) return &v.as_object();
  }
  return nullptr;
}

std::vector<std::string> StringList(const json::value& v) {
  std::vector<std::string> out;
  for (const auto& s : v.as_array()) out.emplace_back(s.as_string());
  return out;
}

class ConsoleMigration : public GuideWorld {
 protected:
  void SetUp() override {
    GuideWorld::SetUp();
    if (HasFatalFailure()) return;
    owner_ = LoginBrowser(http_, user_);
  }

  HttpResponse Post(const ConsoleBrowser& b, const std::string& path, const json::value& body) {
    return http_.PostJson(path, body, b.Write());
  }
  HttpResponse Checklist(const ConsoleBrowser& b, const json::array& workspaces,
                         const std::string& org) {
    return Post(b, kChecklist,
                json::object{{"workspace_id_list", workspaces}, {"organization_id", org}});
  }
  HttpResponse MigrateVia(const ConsoleBrowser& b, const std::string& ws, const std::string& org,
                          const std::string& mode) {
    return Post(b, kMigrate,
                json::object{{"workspace_id", ws}, {"organization_id", org}, {"mode", mode}});
  }
  HttpResponse ListMigrations(const ConsoleBrowser& b, const std::string& query = "") {
    return http_.Get(kWorkspace + "list_migrations" + query, b.Read());
  }
  HttpResponse Candidates(const ConsoleBrowser& b, json::object extra = {}) {
    json::object body{{"enterprise_id", ent_.id}};
    for (auto& kv : extra) body[kv.key()] = kv.value();
    return Post(b, kCandidates, body);
  }
  HttpResponse Authorize(const ConsoleBrowser& b, json::array items) {
    return Post(b, kAuthorize,
                json::object{{"enterprise_id", ent_.id}, {"crossaccount_authinfo_list", items}});
  }
  HttpResponse RevokeVia(const ConsoleBrowser& b, const std::string& id, const std::string& type) {
    return Post(b, kRevoke,
                json::object{{"enterprise_id", ent_.id},
                             {"crossaccount_authinfo", {{"id", id}, {"type", type}}}});
  }
  static json::object Item(const std::string& id, const std::string& type) {
    return {{"id", id}, {"type", type}};
  }

  UserInfo EnterpriseUser(const std::string& label, const std::string& role) {
    UserInfo u = scenario_.CreateUser(label);
    scenario_.cli().Must(
        {"enterprise", "add-member", "--enterprise", ent_.id, "--user", u.id, "--role", role});
    return u;
  }

  SqliteFile::Snapshot Snap() {
    return SqliteFile(server_.db_path()).Snap(kSkipTables, kSkipColumns);
  }

  ConsoleBrowser owner_;
};

// A business error with `code` whose message contains `text`.
::testing::AssertionResult Refused(const HttpResponse& res, int code, const std::string& text) {
  auto r = IsCozeError(res, code);
  if (!r) return r;
  const std::string msg(res.Json().at("msg").as_string());
  if (msg.find(text) == std::string::npos) {
    return ::testing::AssertionFailure() << "msg lacks '" << text << "': " << res.Describe();
  }
  return ::testing::AssertionSuccess();
}

TEST_F(ConsoleMigration, ChecklistListsEveryCredentialWithItsTypeFateAndCoverage) {
  // A personal service token on every workspace, and a second personal workspace W2 that the
  // all-workspace credentials reach too: each stays one item naming both workspaces.
  auto sat =
      scenario_.cli().Must({"sat", "create", "--user", user_.id, "--name", "svc",
                            "--workspace-permissions", "getMetadata,chat", "--workspaces", "all"});
  const std::string sat_id = sat.Str("id");
  const std::string ws2 = scenario_.CreateWorkspace(user_.id, user_.id, "W2");

  auto res = Checklist(owner_, json::array{ws_, ws2, ws_}, ent_.default_org_account_id);
  ASSERT_TRUE(IsOk(res)) << res.Describe();
  const json::value data = Path(OkBody(res), "data");
  const json::value& checklist = Path(data, "checklist");

  const json::object* pat = Find(checklist, [&](const json::object& o) {
    return o.at("checklist_item_type").as_string() == "PersonalAccessToken";
  });
  ASSERT_NE(pat, nullptr) << res.body;
  EXPECT_EQ(pat->at("id").as_string(), personal_pat_.id);
  EXPECT_EQ(pat->at("name").as_string(), "personal");
  EXPECT_EQ(Str(*pat, "user_info.user_id"), user_.id);
  EXPECT_EQ(StringList(pat->at("affected_workspaces")), (std::vector<std::string>{ws_, ws2}));
  EXPECT_TRUE(pat->at("covered").as_bool());
  EXPECT_EQ(pat->at("coverage").as_string(), "covered by PAT 'prod' (all workspaces)");
  EXPECT_NE(std::string(pat->at("after_cut").as_string()).find("4101"), std::string::npos);
  EXPECT_EQ(pat->at("after_grant").as_string(), "keeps the workspace");
  const auto points = StringList(pat->at("points"));
  EXPECT_NE(std::find(points.begin(), points.end(), "getMetadata"), points.end());
  EXPECT_TRUE(pat->at("used_points").is_array());

  const json::object* svc = Find(checklist, [&](const json::object& o) {
    return o.at("checklist_item_type").as_string() == "ServiceAccessToken";
  });
  ASSERT_NE(svc, nullptr) << res.body;
  EXPECT_EQ(svc->at("id").as_string(), sat_id);
  EXPECT_FALSE(svc->at("covered").as_bool());
  EXPECT_EQ(std::string(svc->at("coverage").as_string())
                .rfind("NOT covered: create an enterprise SAT", 0),
            0u)
      << res.body;
  EXPECT_NE(std::string(svc->at("after_grant").as_string()).find("SATs are not granted"),
            std::string::npos);

  const json::object* app = Find(checklist, [&](const json::object& o) {
    return o.at("checklist_item_type").as_string() == "AppAuth";
  });
  ASSERT_NE(app, nullptr) << res.body;
  EXPECT_EQ(app->at("app_id").as_string(), jwt_app_.id);
  EXPECT_EQ(app->at("live_tokens").as_int64(), 1);
  EXPECT_TRUE(app->at("covered").as_bool());
  EXPECT_EQ(app->at("after_grant").as_string(), "keeps the workspace");

  const json::object* obo = Find(checklist, [&](const json::object& o) {
    return o.at("checklist_item_type").as_string() == "Obo";
  });
  ASSERT_NE(obo, nullptr) << res.body;
  EXPECT_EQ(obo->at("app_id").as_string(), web_app_.id);
  EXPECT_EQ(Str(*obo, "user_info.user_id"), user_.id);
  EXPECT_FALSE(obo->at("covered").as_bool());
  EXPECT_NE(std::string(obo->at("after_grant").as_string()).find("OBO"), std::string::npos);

  // Exactly those four: the enterprise PAT does not reach W today.
  EXPECT_EQ(checklist.as_array().size(), 4u) << res.body;
  for (const auto& item : checklist.as_array()) {
    EXPECT_NE(item.at("id").as_string(), ent_pat_.id);
    const auto ws = StringList(item.at("affected_workspaces"));
    EXPECT_NE(std::find(ws.begin(), ws.end(), ws_), ws.end()) << json::serialize(item);
  }

  // One plan per listed workspace (the duplicate dropped), as `cozeauth migrate plan` prints.
  ASSERT_EQ(Path(data, "plans").as_array().size(), 2u);
  EXPECT_EQ(Str(data, "plans.0.workspace_id"), ws_);
  EXPECT_EQ(Str(data, "plans.0.enterprise_id"), ent_.id);
  EXPECT_EQ(Int(data, "plans.0.account_resources.conversations"), 1);
  EXPECT_EQ(Str(data, "plans.0.account_resources.conversation_sample.0"), conversation_);
  EXPECT_EQ(Str(data, "plans.1.workspace_id"), ws2);
  EXPECT_TRUE(Path(data, "plans.0.grant_possible").as_bool());

  // An administrator of the target enterprise who does not own the workspace reads nothing
  // (issue 8: reading the plan requires what running the migration requires).
  const ConsoleBrowser admin = LoginBrowser(http_, EnterpriseUser("admin", "admin"));
  auto by_admin = Checklist(admin, json::array{ws_}, ent_.default_org_account_id);
  EXPECT_TRUE(Refused(by_admin, 4101, "only the owner of workspace " + ws_));
  EXPECT_EQ(by_admin.body.find(personal_pat_.id), std::string::npos) << by_admin.body;
}

TEST_F(ConsoleMigration, ChecklistRefusesOthersUnknownsAndMalformedBodies) {
  const std::string org = ent_.default_org_account_id;
  const ConsoleBrowser stranger = LoginBrowser(http_, scenario_.CreateUser("stranger"));
  const ConsoleBrowser member = LoginBrowser(http_, EnterpriseUser("member", "member"));

  EXPECT_TRUE(Refused(Checklist(stranger, json::array{ws_}, org), 4101, "only the owner"));
  EXPECT_TRUE(Refused(Checklist(member, json::array{ws_}, org), 4101, "only the owner"));
  const std::string unknown = RandomId();
  EXPECT_TRUE(Refused(Checklist(owner_, json::array{ws_, unknown}, org), 4200,
                      "workspace " + unknown + " not found"));
  EXPECT_TRUE(Refused(Checklist(owner_, json::array{ws_}, RandomId()), 4000, "organization_id"));
  EXPECT_TRUE(Refused(Checklist(owner_, json::array{ws_}, user_.id), 4000, "not found"))
      << "a personal account is no organization";

  const std::vector<std::pair<std::string, std::string>> malformed = {
      {"not json", "body"},
      {"[]", "body"},
      {"{}", "workspace_id_list"},
      {R"({"workspace_id_list": [], "organization_id": ")" + org + "\"}", "workspace_id_list"},
      {R"({"workspace_id_list": "1", "organization_id": ")" + org + "\"}", "workspace_id_list"},
      {R"({"workspace_id_list": ["abc"], "organization_id": ")" + org + "\"}", "workspace_id_list"},
      {R"({"workspace_id_list": [")" + ws_ + "\"]}", "organization_id"},
      {R"({"workspace_id_list": [")" + ws_ + R"("], "organization_id": "x1"})", "organization_id"},
  };
  for (const auto& [body, field] : malformed) {
    auto res = http_.Post(kChecklist, body, owner_.Write());
    EXPECT_TRUE(Refused(res, 4000, field)) << body;
  }
  // 21 workspaces is more than one checklist covers.
  json::array many;
  for (int i = 0; i < 21; ++i) many.emplace_back(RandomId());
  EXPECT_TRUE(Refused(Checklist(owner_, many, org), 4000, "workspace_id_list"));

  // Session and CSRF, as for every console write.
  auto no_csrf = http_.PostJson(
      kChecklist, json::object{{"workspace_id_list", json::array{ws_}}, {"organization_id", org}},
      owner_.Read());
  EXPECT_TRUE(IsCozeError(no_csrf, 4101, 403)) << no_csrf.Describe();
  auto no_session = http_.PostJson(kChecklist, json::object{}, {});
  EXPECT_EQ(no_session.status, 401u) << no_session.Describe();
}

TEST_F(ConsoleMigration, CutThroughTheConsoleThenTheGrantPageOpensTheOldConversation) {
  auto run = MigrateVia(owner_, ws_, ent_.default_org_account_id, "cut");
  ASSERT_TRUE(IsOk(run)) << run.Describe();
  const json::value migration = Path(OkBody(run), "data.migration");
  const std::string migration_id = Str(migration, "id");
  EXPECT_TRUE(IsId(Path(migration, "id")));
  EXPECT_EQ(Str(migration, "mode"), "cut");
  EXPECT_EQ(Str(migration, "workspace_id"), ws_);
  EXPECT_EQ(Str(migration, "from_account_id"), user_.id);
  EXPECT_EQ(Str(migration, "to_account_id"), ent_.default_org_account_id);
  EXPECT_EQ(Str(migration, "enterprise_id"), ent_.id);
  EXPECT_EQ(Str(migration, "actor_user_id"), user_.id);
  EXPECT_GE(Path(migration, "plan.credentials").as_array().size(), 3u);

  // The console's write drops the server's cache at once; polled all the same.
  EXPECT_TRUE(Becomes([&] { return BotAs(personal_pat_.token); }, 4101));
  EXPECT_TRUE(Becomes([&] { return BotAs(personal_jwt_); }, 4101));
  EXPECT_TRUE(Becomes([&] { return BotAs(obo_token_); }, 4101));
  EXPECT_TRUE(IsOk(BotAs(ent_pat_.token)));
  EXPECT_TRUE(IsOk(BotAs(enterprise_jwt_)));

  // The migrations list: the owner's (also filtered by workspace), nobody else's.
  for (const std::string& query : std::vector<std::string>{"", "?workspace_id=" + ws_}) {
    auto list = ListMigrations(owner_, query);
    ASSERT_TRUE(IsOk(list)) << list.Describe();
    const json::value body = OkBody(list);
    ASSERT_EQ(Int(body, "data.total"), 1) << list.body;
    EXPECT_EQ(Str(body, "data.migrations.0.id"), migration_id);
    EXPECT_EQ(Str(body, "data.migrations.0.mode"), "cut");
  }
  EXPECT_EQ(Int(OkBody(ListMigrations(owner_, "?workspace_id=" + RandomId())), "data.total"), 0);
  const ConsoleBrowser stranger = LoginBrowser(http_, scenario_.CreateUser("stranger"));
  EXPECT_EQ(Int(OkBody(ListMigrations(stranger)), "data.total"), 0);
  EXPECT_TRUE(IsCozeError(ListMigrations(owner_, "?workspace_id=abc"), 4000));

  // 个人账号资源授权: the candidates are the owner's enterprise PAT and the enterprise's AppAuth
  // app, never the personal PAT.
  auto page = Candidates(owner_);
  ASSERT_TRUE(IsOk(page)) << page.Describe();
  json::value listed = OkBody(page);
  EXPECT_EQ(Str(listed, "data.enterprise_name"), "Acme");
  EXPECT_EQ(Int(listed, "data.total"), 2) << page.body;
  EXPECT_FALSE(Path(listed, "data.has_more").as_bool());
  const json::value& infos = Path(listed, "data.crossaccount_authinfo");
  const json::object* pat_row =
      Find(infos, [&](const json::object& o) { return o.at("id").as_string() == ent_pat_.id; });
  ASSERT_NE(pat_row, nullptr) << page.body;
  EXPECT_EQ(pat_row->at("type").as_string(), "pat");
  EXPECT_EQ(pat_row->at("name").as_string(), "prod");
  EXPECT_FALSE(pat_row->at("is_authorized").as_bool());
  EXPECT_GT(pat_row->at("expire_at").as_int64(), pat_row->at("created_at").as_int64());
  const json::object* app_row =
      Find(infos, [&](const json::object& o) { return o.at("id").as_string() == jwt_app_.id; });
  ASSERT_NE(app_row, nullptr) << page.body;
  EXPECT_EQ(app_row->at("type").as_string(), "app");
  EXPECT_EQ(app_row->at("expire_at").as_int64(), -1);
  EXPECT_EQ(page.body.find(personal_pat_.id), std::string::npos);
  auto first = Candidates(owner_, {{"page", 1}, {"page_size", 1}});
  ASSERT_TRUE(IsOk(first)) << first.Describe();
  EXPECT_EQ(Path(OkBody(first), "data.crossaccount_authinfo").as_array().size(), 1u);
  EXPECT_TRUE(Path(OkBody(first), "data.has_more").as_bool());
  EXPECT_EQ(Int(OkBody(first), "data.total"), 2);

  // The old conversation stays in the personal account: 4101 until it is opened to the PAT and
  // the app (one batch), then readable by both; revoking the PAT closes it to the PAT only.
  EXPECT_TRUE(IsCozeError(ConversationAs(ent_pat_.token), 4101));
  EXPECT_TRUE(IsCozeError(ConversationAs(enterprise_jwt_), 4101));
  auto granted = Authorize(owner_, json::array{Item(ent_pat_.id, "pat"), Item(jwt_app_.id, "app")});
  ASSERT_TRUE(IsOk(granted)) << granted.Describe();
  const json::value grants = Path(OkBody(granted), "data.grants");
  ASSERT_EQ(grants.as_array().size(), 2u);
  EXPECT_EQ(Str(grants, "0.credential_id"), ent_pat_.id);
  EXPECT_EQ(Str(grants, "0.credential_kind"), "pat");
  EXPECT_EQ(Str(grants, "0.personal_account_id"), user_.id);
  EXPECT_EQ(Str(grants, "1.credential_id"), jwt_app_.id);
  EXPECT_TRUE(Becomes([&] { return ConversationAs(ent_pat_.token); }, 0));
  EXPECT_TRUE(Becomes([&] { return ConversationAs(enterprise_jwt_); }, 0));

  listed = OkBody(Candidates(owner_));
  pat_row = Find(Path(listed, "data.crossaccount_authinfo"),
                 [&](const json::object& o) { return o.at("id").as_string() == ent_pat_.id; });
  ASSERT_NE(pat_row, nullptr);
  EXPECT_TRUE(pat_row->at("is_authorized").as_bool());
  EXPECT_EQ(pat_row->at("grant_id").as_string(), Str(grants, "0.id"));
  // Granting it again is refused (and, all or nothing, so is the rest of that batch).
  EXPECT_TRUE(IsCozeError(Authorize(owner_, json::array{Item(ent_pat_.id, "pat")}), 4201));

  auto revoked = RevokeVia(owner_, ent_pat_.id, "pat");
  ASSERT_TRUE(IsOk(revoked)) << revoked.Describe();
  EXPECT_EQ(Str(OkBody(revoked), "data.grant.id"), Str(grants, "0.id"));
  EXPECT_GT(Int(OkBody(revoked), "data.grant.revoked_at"), 0);
  EXPECT_TRUE(Becomes([&] { return ConversationAs(ent_pat_.token); }, 4101));
  EXPECT_TRUE(IsOk(ConversationAs(enterprise_jwt_)));
  EXPECT_TRUE(IsCozeError(RevokeVia(owner_, ent_pat_.id, "pat"), 4200)) << "no live grant left";
}

TEST_F(ConsoleMigration, EveryRefusedMigrationWritesNothing) {
  const std::string org = ent_.default_org_account_id;
  const ConsoleBrowser stranger = LoginBrowser(http_, scenario_.CreateUser("stranger"));
  UserInfo admin_user = EnterpriseUser("admin", "admin");
  const ConsoleBrowser admin = LoginBrowser(http_, admin_user);
  UserInfo boss = scenario_.CreateUser("boss");
  EnterpriseInfo other = scenario_.CreateEnterprise("Other", boss.id);
  scenario_.cli().Must({"enterprise", "add-member", "--enterprise", other.id, "--user", user_.id,
                        "--role", "member"});
  // The admin's own workspace, which no PAT or AppAuth credential reaches.
  const std::string empty_ws = scenario_.CreateWorkspace(admin_user.id, admin_user.id, "Empty");
  const auto setup = Snap();

  struct Case {
    std::string name;
    std::function<HttpResponse()> request;
    int code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"a stranger", [&] { return MigrateVia(stranger, ws_, org, "cut"); }, 4101,
       "only the owner of workspace " + ws_},
      {"an enterprise admin who does not own it",
       [&] { return MigrateVia(admin, ws_, org, "cut"); }, 4101,
       "only the owner of workspace " + ws_},
      {"the owner is no admin of that enterprise",
       [&] { return MigrateVia(owner_, ws_, other.default_org_account_id, "cut"); }, 4101,
       "is not super_admin or admin of enterprise " + other.id},
      {"unknown organization", [&] { return MigrateVia(owner_, ws_, RandomId(), "cut"); }, 4000,
       "organization_id"},
      {"a personal account is no organization",
       [&] { return MigrateVia(owner_, ws_, user_.id, "cut"); }, 4000, "not found"},
      {"unknown workspace", [&] { return MigrateVia(owner_, RandomId(), org, "cut"); }, 4200,
       "not found"},
      {"unknown mode", [&] { return MigrateVia(owner_, ws_, org, "move"); }, 4000,
       "mode must be cut or grant"},
      {"grant with nothing to grant", [&] { return MigrateVia(admin, empty_ws, org, "grant"); },
       4000, "grant mode has nothing to grant; use mode \"cut\""},
      {"malformed body", [&] { return http_.Post(kMigrate, "{", owner_.Write()); }, 4000, "body"},
      {"missing mode",
       [&] {
         return Post(owner_, kMigrate,
                     json::object{{"workspace_id", ws_}, {"organization_id", org}});
       },
       4000, "mode"},
      {"workspace_id of the wrong type",
       [&] {
         return Post(
             owner_, kMigrate,
             json::object{
                 {"workspace_id", json::array{ws_}}, {"organization_id", org}, {"mode", "cut"}});
       },
       4000, "workspace_id"},
  };
  for (const auto& c : cases) {
    EXPECT_TRUE(Refused(c.request(), c.code, c.message)) << c.name;
    EXPECT_EQ(DiffSnapshots(setup, Snap()), "") << c.name;
  }
  auto no_csrf = http_.PostJson(
      kMigrate, json::object{{"workspace_id", ws_}, {"organization_id", org}, {"mode", "cut"}},
      owner_.Read());
  EXPECT_TRUE(IsCozeError(no_csrf, 4101, 403)) << no_csrf.Describe();
  EXPECT_EQ(DiffSnapshots(setup, Snap()), "") << "no CSRF";
  EXPECT_TRUE(IsOk(BotAs(personal_pat_.token)));

  // The one that runs changes the store; a second one is refused and changes nothing.
  ASSERT_TRUE(IsOk(MigrateVia(owner_, ws_, org, "cut")));
  const auto migrated = Snap();
  EXPECT_NE(DiffSnapshots(setup, migrated), "");
  EXPECT_TRUE(Refused(MigrateVia(owner_, ws_, org, "grant"), 4000, "is not in a personal account"));
  EXPECT_EQ(DiffSnapshots(migrated, Snap()), "");
}

TEST_F(ConsoleMigration, GrantPageRefusesNonAdminsOboSatAndPartialBatches) {
  // A member of the enterprise with their own enterprise PAT: not an administrator, so the page
  // is closed to them (Coze: 你不是企业管理员); an unknown enterprise answers the same.
  UserInfo member_user = EnterpriseUser("member", "member");
  TokenInfo member_pat =
      scenario_.CreatePat(member_user.id, {.account_id = ent_.default_org_account_id});
  const ConsoleBrowser member = LoginBrowser(http_, member_user);
  const auto setup = Snap();

  EXPECT_TRUE(Refused(Candidates(member), 4101, "not a super_admin or admin of enterprise"));
  EXPECT_TRUE(Refused(Authorize(member, json::array{Item(member_pat.id, "pat")}), 4101,
                      "not a super_admin or admin of enterprise"));
  EXPECT_TRUE(
      IsCozeError(Post(owner_, kCandidates, json::object{{"enterprise_id", "ent_1"}}), 4101));

  // OBO and SAT are never granted, with the module's reason.
  EXPECT_TRUE(Refused(Authorize(owner_, json::array{Item("1", "obo")}), 4000,
                      "OBO credentials cannot be granted"));
  EXPECT_TRUE(Refused(Authorize(owner_, json::array{Item("1", "sat")}), 4000,
                      "service access tokens cannot be granted"));
  EXPECT_TRUE(Refused(RevokeVia(owner_, "1", "obo"), 4000, "only PATs and AppAuth apps"));
  EXPECT_TRUE(Refused(Authorize(owner_, json::array{Item(ent_pat_.id, "token")}), 4000,
                      "credential must be pat or app"));

  // All or nothing: a valid item followed by a refused one writes neither.
  EXPECT_TRUE(Refused(
      Authorize(owner_, json::array{Item(ent_pat_.id, "pat"), Item(personal_pat_.id, "pat")}), 4000,
      "crossaccount_authinfo_list[1]"));
  EXPECT_TRUE(Refused(Authorize(owner_, json::array{Item(ent_pat_.id, "pat"), Item("1", "obo")}),
                      4000, "crossaccount_authinfo_list[1].type"));
  EXPECT_TRUE(
      Refused(Authorize(owner_, json::array{Item(ent_pat_.id, "pat"), Item(ent_pat_.id, "pat")}),
              4000, "repeats"));
  EXPECT_EQ(DiffSnapshots(setup, Snap()), "");
  EXPECT_TRUE(IsCozeError(ConversationAs(ent_pat_.token), 4101));
  EXPECT_TRUE(Refused(RevokeVia(owner_, ent_pat_.id, "pat"), 4200, "no live grant"));

  // Malformed bodies.
  const std::vector<std::pair<json::object, std::string>> malformed = {
      {{}, "enterprise_id"},
      {{{"enterprise_id", "acme"}, {"crossaccount_authinfo_list", json::array{}}}, "enterprise_id"},
      {{{"enterprise_id", ent_.id}}, "crossaccount_authinfo_list"},
      {{{"enterprise_id", ent_.id}, {"crossaccount_authinfo_list", json::array{}}},
       "crossaccount_authinfo_list"},
      {{{"enterprise_id", ent_.id}, {"crossaccount_authinfo_list", "x"}},
       "crossaccount_authinfo_list"},
      {{{"enterprise_id", ent_.id}, {"crossaccount_authinfo_list", json::array{"x"}}},
       "crossaccount_authinfo_list[0]"},
      {{{"enterprise_id", ent_.id},
        {"crossaccount_authinfo_list", json::array{Item("abc", "pat")}}},
       "crossaccount_authinfo_list[0].id"},
      {{{"enterprise_id", ent_.id},
        {"crossaccount_authinfo_list", json::array{json::object{{"id", ent_pat_.id}}}}},
       "crossaccount_authinfo_list[0].type"},
  };
  for (const auto& [body, field] : malformed) {
    EXPECT_TRUE(Refused(Post(owner_, kAuthorize, body), 4000, field)) << json::serialize(body);
  }
  EXPECT_TRUE(Refused(Post(owner_, kRevoke, json::object{{"enterprise_id", ent_.id}}), 4000,
                      "crossaccount_authinfo"));
  EXPECT_TRUE(Refused(http_.Post(kAuthorize, "nope", owner_.Write()), 4000, "body"));
  EXPECT_TRUE(Refused(Candidates(owner_, {{"page_size", 0}}), 4000, "page_size"));
  EXPECT_TRUE(Refused(Candidates(owner_, {{"page_size", 101}}), 4000, "page_size"));
  EXPECT_TRUE(Refused(Candidates(owner_, {{"page", "2"}}), 4000, "page"));
  EXPECT_EQ(DiffSnapshots(setup, Snap()), "");

  // CSRF on every write of the page.
  auto no_csrf = http_.PostJson(
      kAuthorize,
      json::object{{"enterprise_id", ent_.id},
                   {"crossaccount_authinfo_list", json::array{Item(ent_pat_.id, "pat")}}},
      owner_.Read());
  EXPECT_TRUE(IsCozeError(no_csrf, 4101, 403)) << no_csrf.Describe();
  auto no_csrf_revoke = http_.PostJson(
      kRevoke,
      json::object{{"enterprise_id", ent_.id}, {"crossaccount_authinfo", Item(ent_pat_.id, "pat")}},
      owner_.Read());
  EXPECT_TRUE(IsCozeError(no_csrf_revoke, 4101, 403)) << no_csrf_revoke.Describe();
  EXPECT_EQ(DiffSnapshots(setup, Snap()), "");
  EXPECT_TRUE(IsCozeError(ConversationAs(ent_pat_.token), 4101));
}

}  // namespace
}  // namespace cozeauth::it
