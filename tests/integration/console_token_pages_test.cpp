// The console's 个人访问令牌 and 服务身份及凭证 pages (console/pages/token_pages.cpp) against the
// real binary, as a browser uses them: form posts with the session's CSRF token, the token shown
// once in the create response, the table, edit and revoke — checked through the console JSON
// API — in zh-CN and en; the pre-filled create link; refusals (CSRF, another user's token, a
// non-administrator's service identities) that change nothing; hostile names escaped.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cctype>
#include <regex>
#include <string>
#include <vector>

#include "support/console_browser.hpp"
#include "support/openapi_expect.hpp"
#include "support/scenario.hpp"
#include "support/test_server.hpp"

namespace cozeauth::it {
namespace {
namespace json = boost::json;

constexpr const char* kListPats = "/api/permission_api/pat/list_personal_access_tokens";
constexpr const char* kGetPat = "/api/permission_api/pat/get_personal_access_token_and_permission";
constexpr const char* kListSats = "/api/permission_api/service/list_service_identities";
constexpr const char* kForm = "application/x-www-form-urlencoded";

using Fields = std::vector<std::pair<std::string, std::string>>;

std::string Encode(const Fields& fields) {
  std::string out;
  auto enc = [](const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string r;
    for (unsigned char ch : s) {
      if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
        r += static_cast<char>(ch);
      } else {
        r += '%';
        r += hex[ch >> 4];
        r += hex[ch & 15];
      }
    }
    return r;
  };
  for (const auto& [k, v] : fields) out += (out.empty() ? "" : "&") + enc(k) + "=" + enc(v);
  return out;
}

// The text of the element with id="ID" (up to its first '<').
std::string ElementText(const std::string& html, const std::string& id) {
  std::smatch m;
  if (!std::regex_search(html, m, std::regex("id=\"" + id + "\"[^>]*>([^<]*)<"))) return {};
  return m[1];
}

// The value attribute of the <input id="ID">.
std::string InputValue(const std::string& html, const std::string& id) {
  std::smatch m;
  if (!std::regex_search(html, m,
                         std::regex("<input[^>]*id=\"" + id + "\"[^>]*value=\"([^\"]*)\""))) {
    return {};
  }
  return m[1];
}

// Whether the <input id="ID"> is checked.
bool Checked(const std::string& html, const std::string& id) {
  std::smatch m;
  if (!std::regex_search(html, m, std::regex("<input[^>]*id=\"" + id + "\"[^>]*>"))) return false;
  return m[0].str().find(" checked") != std::string::npos;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class ConsoleTokenPagesTest : public ::testing::Test {
 protected:
  ConsoleTokenPagesTest() : scenario_(server_), http_(server_.Http()) {}

  HttpResponse Page(const ConsoleBrowser& b, const std::string& path) {
    return http_.Get(path, b.Read());
  }
  HttpResponse Submit(const ConsoleBrowser& b, const std::string& path, Fields fields,
                      bool with_csrf = true) {
    if (with_csrf) fields.emplace_back("csrf_token", b.csrf);
    return http_.Post(path, Encode(fields), b.Read(), kForm);
  }

  json::array Pats(const ConsoleBrowser& b, const std::string& org) {
    auto res = http_.Get(std::string(kListPats) + "?organization_id=" + org, b.Read());
    return Path(OkBody(res), "data.personal_access_tokens").as_array();
  }
  json::value GetPat(const ConsoleBrowser& b, const std::string& id) {
    return OkBody(http_.Get(std::string(kGetPat) + "?id=" + id, b.Read()));
  }

  TestServer server_;
  Scenario scenario_;
  HttpClient http_;
};

// The whole path a user takes, in each language: the empty table, the form with the catalogue's
// points and the user's workspaces, create (the token shown once), the table, edit, revoke.
TEST_F(ConsoleTokenPagesTest, CreateShowOnceListEditRevokeInBothLanguages) {
  UserInfo alice = scenario_.CreateUser("alice");
  const std::string ws = scenario_.CreateWorkspace(alice.id, alice.id, "Alpha WS");
  ConsoleBrowser b = LoginBrowser(http_, alice);

  struct Lang {
    std::string code, title, none, warning, all_ws, updated, deleted, expires_label, point;
  };
  const std::vector<Lang> langs = {
      {"zh", "个人访问令牌", "还没有个人访问令牌", "只显示这一次", "所有工作空间", "已保存",
       "已删除", "有效期", "创建会话"},
      {"en", "Personal access tokens", "No personal access tokens yet", "shown only once",
       "All workspaces", "Saved.", "Deleted.", "Expiry", "Create conversations"},
  };
  std::vector<std::string> tokens;
  for (const Lang& l : langs) {
    SCOPED_TRACE(l.code);
    const std::string q = "?lang=" + l.code;
    auto empty = Page(b, "/open/oauth/pats" + q);
    ASSERT_EQ(empty.status, 200u) << empty.Describe();
    EXPECT_TRUE(Contains(empty.body, l.title));
    EXPECT_TRUE(Contains(empty.body, l.none));
    EXPECT_TRUE(Contains(empty.body, "id=\"create-token\""));

    auto form = Page(b, "/open/oauth/pats/new" + q);
    ASSERT_EQ(form.status, 200u) << form.Describe();
    EXPECT_TRUE(Contains(form.body, l.expires_label));
    EXPECT_TRUE(Contains(form.body, "<label for=\"token-name\">"));
    EXPECT_TRUE(Contains(form.body, "id=\"p-account-createConversation\""));
    EXPECT_TRUE(Contains(form.body, l.point));  // the point's description, in the page's language
    EXPECT_TRUE(Contains(form.body, "id=\"p-workspace-chat\""));
    EXPECT_FALSE(Contains(form.body, "id=\"points-enterprise\""));  // personal: no such level
    EXPECT_TRUE(Contains(form.body, "id=\"ws-" + ws + "\""));
    EXPECT_TRUE(Contains(form.body, "Alpha WS"));
    EXPECT_TRUE(Contains(form.body, "name=\"csrf_token\""));

    const std::string name = "tok-" + l.code;
    auto created = Submit(b, "/open/oauth/pats/new" + q,  // the form's language
                          {{"name", name},
                           {"duration_day", "30"},
                           {"account_permission", "createConversation"},
                           {"workspace_permission", "chat"},
                           {"all_workspaces", "0"},
                           {"workspace_id", ws}});
    ASSERT_EQ(created.status, 200u) << created.Describe();
    EXPECT_EQ(created.Header("Cache-Control"), "no-store");
    EXPECT_TRUE(created.Header("Location").empty());
    EXPECT_TRUE(Contains(created.body, l.warning));
    EXPECT_TRUE(Contains(created.body, "data-copy=\"new-token\""));
    const std::string token = ElementText(created.body, "new-token");
    ASSERT_EQ(token.rfind("pat_", 0), 0u) << created.body;
    tokens.push_back(token);

    json::array pats = Pats(b, alice.id);
    ASSERT_EQ(pats.size(), 1u);
    const std::string id = Str(pats[0], "id");
    EXPECT_EQ(Str(pats[0], "name"), name);
    json::value got = GetPat(b, id);
    EXPECT_EQ(Path(got, "data.account_permission.permission_list").as_array(),
              (json::array{"createConversation"}));
    EXPECT_EQ(Int(got, "data.workspace_permission.option"), 1);
    EXPECT_EQ(Path(got, "data.workspace_permission.workspace_id_list").as_array(),
              (json::array{json::value(ws)}));

    // Listed, with its scope by workspace name, and never the token again.
    auto list = Page(b, "/open/oauth/pats" + q);
    ASSERT_EQ(list.status, 200u);
    EXPECT_TRUE(Contains(list.body, "id=\"token-" + id + "\""));
    EXPECT_TRUE(Contains(list.body, name));
    EXPECT_TRUE(Contains(list.body, "Alpha WS"));
    EXPECT_TRUE(Contains(list.body, "<code>createConversation</code>"));
    EXPECT_TRUE(Contains(list.body, "<th scope=\"col\">"));
    EXPECT_TRUE(Contains(list.body, "data-confirm=\""));
    EXPECT_FALSE(Contains(list.body, token));
    EXPECT_FALSE(Contains(Page(b, "/open/oauth/pats/" + id + "/edit").body, token));

    // Edit: the form shows the token as it is; the post changes name, points and workspaces.
    auto edit = Page(b, "/open/oauth/pats/" + id + "/edit" + q);
    ASSERT_EQ(edit.status, 200u) << edit.Describe();
    EXPECT_EQ(InputValue(edit.body, "token-name"), name);
    EXPECT_TRUE(Checked(edit.body, "p-account-createConversation"));
    EXPECT_TRUE(Checked(edit.body, "p-workspace-chat"));
    EXPECT_TRUE(Checked(edit.body, "ws-" + ws));
    EXPECT_TRUE(Checked(edit.body, "ws-chosen"));
    auto saved = Submit(b, "/open/oauth/pats/" + id + "/edit",
                        {{"name", name + "-renamed"},
                         {"account_permission", "createConversation"},
                         {"account_permission", "listConversation"},
                         {"workspace_permission", "chat"},
                         {"all_workspaces", "1"}});
    ASSERT_EQ(saved.status, 303u) << saved.Describe();
    EXPECT_EQ(saved.Header("Location"), "/open/oauth/pats?notice=updated");
    got = GetPat(b, id);
    EXPECT_EQ(Str(got, "data.personal_access_token.name"), name + "-renamed");
    EXPECT_EQ(Path(got, "data.account_permission.permission_list").as_array().size(), 2u);
    EXPECT_EQ(Int(got, "data.workspace_permission.option"), 2);
    auto after = Page(b, "/open/oauth/pats?notice=updated&lang=" + l.code);
    EXPECT_TRUE(Contains(after.body, l.updated));
    EXPECT_TRUE(Contains(after.body, l.all_ws));
    EXPECT_TRUE(Contains(after.body, name + "-renamed"));

    // Revoke.
    auto revoked = Submit(b, "/open/oauth/pats/" + id + "/delete", {});
    ASSERT_EQ(revoked.status, 303u) << revoked.Describe();
    EXPECT_EQ(revoked.Header("Location"), "/open/oauth/pats?notice=deleted");
    EXPECT_TRUE(Pats(b, alice.id).empty());
    auto gone = Page(b, "/open/oauth/pats?notice=deleted&lang=" + l.code);
    EXPECT_TRUE(Contains(gone.body, l.deleted));
    EXPECT_TRUE(Contains(gone.body, l.none));
  }
  // The plaintext never reached the access log (only paths and ids are logged).
  for (const auto& line : server_.AccessLogLines()) {
    for (const auto& token : tokens) EXPECT_FALSE(Contains(line, token)) << line;
  }
}

// The migration checklist's link: a filled form for an enterprise PAT, with the default
// organization first and a selector when the enterprise has several; nothing is created until
// the user submits.
TEST_F(ConsoleTokenPagesTest, PrefilledEnterprisePatFormAndOrganizations) {
  UserInfo admin = scenario_.CreateUser("admin");
  const EnterpriseInfo ent = scenario_.CreateEnterprise("Acme", admin.id, "enterprise");
  const std::string second =
      scenario_.cli()
          .Must({"org", "create", "--enterprise", ent.id, "--name", "Second org"})
          .Str({"account_id", "org_account_id", "id"});
  ConsoleBrowser b = LoginBrowser(http_, admin);
  const std::string base = "/enterprise/" + ent.id + "/open/oauth/pats";
  const std::string prefill =
      "?name=Enterprise%20PAT&account_permission=createConversation,listConversation"
      "&workspace_permission=chat&all_workspaces=1";

  // The table's own path forwards a pre-fill to the form.
  auto forwarded = Page(b, base + prefill);
  ASSERT_EQ(forwarded.status, 303u) << forwarded.Describe();
  EXPECT_EQ(forwarded.Header("Location"), base + "/new" + prefill);

  auto form = Page(b, base + "/new" + prefill + "&lang=en");
  ASSERT_EQ(form.status, 200u) << form.Describe();
  EXPECT_EQ(InputValue(form.body, "token-name"), "Enterprise PAT");
  EXPECT_TRUE(Checked(form.body, "p-account-createConversation"));
  EXPECT_TRUE(Checked(form.body, "p-account-listConversation"));
  EXPECT_FALSE(Checked(form.body, "p-account-getChat"));
  EXPECT_TRUE(Checked(form.body, "p-workspace-chat"));
  EXPECT_TRUE(Checked(form.body, "ws-all"));
  EXPECT_TRUE(Contains(form.body, "id=\"points-enterprise\""));  // the admin may
  EXPECT_TRUE(Contains(form.body, "<select id=\"organization\" name=\"organization_id\">"));
  // The default organization is selected (first).
  EXPECT_TRUE(
      Contains(form.body, "<option value=\"" + ent.default_org_account_id + "\" selected>"));
  EXPECT_TRUE(Pats(b, ent.default_org_account_id).empty());
  // A point named under the other level's parameter lands in its own level (the checklist
  // lists a credential's points under workspace_permission).
  auto mixed = Page(b, base + "/new?workspace_permission=createConversation,chat&all_workspaces=1");
  ASSERT_EQ(mixed.status, 200u);
  EXPECT_TRUE(Checked(mixed.body, "p-account-createConversation"));
  EXPECT_TRUE(Checked(mixed.body, "p-workspace-chat"));

  auto created = Submit(b, base + "/new",
                        {{"organization_id", ent.default_org_account_id},
                         {"name", "Enterprise PAT"},
                         {"duration_day", "30"},
                         {"account_permission", "createConversation"},
                         {"workspace_permission", "chat"},
                         {"all_workspaces", "1"}});
  ASSERT_EQ(created.status, 200u) << created.Describe();
  EXPECT_EQ(ElementText(created.body, "new-token").rfind("pat_", 0), 0u);
  ASSERT_EQ(Pats(b, ent.default_org_account_id).size(), 1u);
  EXPECT_TRUE(Pats(b, second).empty());
  EXPECT_TRUE(Pats(b, admin.id).empty());  // not a personal one

  // The table per organization.
  auto list = Page(b, base + "?lang=zh");
  ASSERT_EQ(list.status, 200u);
  EXPECT_TRUE(Contains(list.body, "Enterprise PAT"));
  EXPECT_TRUE(Contains(list.body, "所有工作空间"));
  EXPECT_TRUE(Contains(list.body, "id=\"org-select\""));
  auto other = Page(b, base + "?organization_id=" + second);
  EXPECT_FALSE(Contains(other.body, "Enterprise PAT"));

  // Created in the second organization through its selector value.
  auto in_second = Submit(b, base + "/new",
                          {{"organization_id", second},
                           {"name", "Second PAT"},
                           {"duration_day", "1"},
                           {"account_permission", "getChat"}});
  ASSERT_EQ(in_second.status, 200u) << in_second.Describe();
  EXPECT_EQ(Pats(b, second).size(), 1u);

  // The personal page does not list enterprise tokens.
  EXPECT_FALSE(Contains(Page(b, "/open/oauth/pats").body, "Enterprise PAT"));
  // An enterprise page's token cannot be edited through the personal pages.
  const std::string id = Str(Pats(b, ent.default_org_account_id)[0], "id");
  EXPECT_EQ(Page(b, "/open/oauth/pats/" + id + "/edit").status, 404u);
  EXPECT_EQ(Page(b, base + "/" + id + "/edit").status, 200u);
}

TEST_F(ConsoleTokenPagesTest, RefusedCreateReshowsTheFormWithTheEntriesKept) {
  UserInfo alice = scenario_.CreateUser("alice");
  const std::string ws = scenario_.CreateWorkspace(alice.id, alice.id, "Kept WS");
  ConsoleBrowser b = LoginBrowser(http_, alice);

  // No permission point: the API's message, the name and the chosen workspace kept.
  auto no_points = Submit(b, "/open/oauth/pats/new?lang=en",
                          {{"name", "my-token"},
                           {"duration_day", "30"},
                           {"all_workspaces", "0"},
                           {"workspace_id", ws}});
  EXPECT_EQ(no_points.status, 400u) << no_points.Describe();
  EXPECT_TRUE(Contains(no_points.body, "id=\"form-error\""));
  EXPECT_TRUE(Contains(no_points.body, "grant at least one permission point"));
  EXPECT_EQ(InputValue(no_points.body, "token-name"), "my-token");
  EXPECT_TRUE(Checked(no_points.body, "ws-" + ws));
  EXPECT_TRUE(Checked(no_points.body, "ws-chosen"));

  // An empty name, and a point kept.
  auto no_name = Submit(b, "/open/oauth/pats/new",
                        {{"name", ""}, {"duration_day", "30"}, {"account_permission", "getChat"}});
  EXPECT_EQ(no_name.status, 400u) << no_name.Describe();
  EXPECT_TRUE(Contains(no_name.body, "id=\"form-error\""));
  EXPECT_TRUE(Checked(no_name.body, "p-account-getChat"));

  // Workspace points without workspaces.
  auto no_ws = Submit(b, "/open/oauth/pats/new",
                      {{"name", "ws-less"},
                       {"duration_day", "30"},
                       {"workspace_permission", "chat"},
                       {"all_workspaces", "0"}});
  EXPECT_EQ(no_ws.status, 400u);
  EXPECT_TRUE(Contains(no_ws.body, "workspace"));
  EXPECT_TRUE(Checked(no_ws.body, "p-workspace-chat"));

  // A PAT lives at most 30 days: a custom date too far ahead is the API's refusal.
  auto too_long = Submit(b, "/open/oauth/pats/new",
                         {{"name", "long"},
                          {"duration_day", "customize"},
                          {"expire_date", "2099-01-01"},
                          {"account_permission", "getChat"}});
  EXPECT_EQ(too_long.status, 400u);
  EXPECT_EQ(InputValue(too_long.body, "expire-date"), "2099-01-01");

  EXPECT_TRUE(Pats(b, alice.id).empty());

  // A refused edit keeps the entries as well, and changes nothing.
  auto ok = Submit(b, "/open/oauth/pats/new",
                   {{"name", "keep"}, {"duration_day", "30"}, {"account_permission", "getChat"}});
  ASSERT_EQ(ok.status, 200u) << ok.Describe();
  const std::string id = Str(Pats(b, alice.id)[0], "id");
  auto bad_edit = Submit(b, "/open/oauth/pats/" + id + "/edit", {{"name", "emptied"}});
  EXPECT_EQ(bad_edit.status, 400u);
  EXPECT_EQ(InputValue(bad_edit.body, "token-name"), "emptied");
  EXPECT_EQ(Str(GetPat(b, id), "data.personal_access_token.name"), "keep");
}

TEST_F(ConsoleTokenPagesTest, MissingOrWrongCsrfChangesNothing) {
  UserInfo alice = scenario_.CreateUser("alice");
  ConsoleBrowser b = LoginBrowser(http_, alice);
  const Fields create = {
      {"name", "csrf"}, {"duration_day", "30"}, {"account_permission", "getChat"}};
  EXPECT_EQ(Submit(b, "/open/oauth/pats/new", create, false).status, 403u);
  Fields wrong = create;
  wrong.emplace_back("csrf_token", "not-the-token");
  EXPECT_EQ(http_.Post("/open/oauth/pats/new", Encode(wrong), b.Read(), kForm).status, 403u);
  EXPECT_TRUE(Pats(b, alice.id).empty());

  ASSERT_EQ(Submit(b, "/open/oauth/pats/new", create).status, 200u);
  const std::string id = Str(Pats(b, alice.id)[0], "id");
  EXPECT_EQ(Submit(b, "/open/oauth/pats/" + id + "/edit",
                   {{"name", "changed"}, {"account_permission", "getChat"}}, false)
                .status,
            403u);
  EXPECT_EQ(Submit(b, "/open/oauth/pats/" + id + "/delete", {}, false).status, 403u);
  ASSERT_EQ(Pats(b, alice.id).size(), 1u);
  EXPECT_EQ(Str(GetPat(b, id), "data.personal_access_token.name"), "csrf");
}

TEST_F(ConsoleTokenPagesTest, AnotherUsersTokenCannotBeSeenEditedOrRevoked) {
  UserInfo alice = scenario_.CreateUser("alice");
  UserInfo bob = scenario_.CreateUser("bob");
  TokenInfo bobs = scenario_.CreatePat(bob.id, {.name = "bobs-token"});
  ConsoleBrowser a = LoginBrowser(http_, alice);
  ConsoleBrowser bb = LoginBrowser(http_, bob);

  EXPECT_FALSE(Contains(Page(a, "/open/oauth/pats").body, "bobs-token"));
  EXPECT_EQ(Page(a, "/open/oauth/pats/" + bobs.id + "/edit").status, 403u);
  EXPECT_EQ(Submit(a, "/open/oauth/pats/" + bobs.id + "/edit",
                   {{"name", "stolen"}, {"account_permission", "getChat"}})
                .status,
            403u);
  EXPECT_EQ(Submit(a, "/open/oauth/pats/" + bobs.id + "/delete", {}).status, 403u);
  // Unknown ids are 404.
  EXPECT_EQ(Page(a, "/open/oauth/pats/1234567890123456789/edit").status, 404u);

  ASSERT_EQ(Pats(bb, bob.id).size(), 1u);
  EXPECT_EQ(Str(GetPat(bb, bobs.id), "data.personal_access_token.name"), "bobs-token");
  // Bob's token still works.
  EXPECT_EQ(http_.Get("/v1/users/me", Bearer(bobs.token)).status, 200u);

  // Another enterprise's pages are 404 for alice.
  const EnterpriseInfo ent = scenario_.CreateEnterprise("Bob Co", bob.id);
  EXPECT_EQ(Page(a, "/enterprise/" + ent.id + "/open/oauth/pats").status, 404u);
  EXPECT_EQ(Page(a, "/enterprise/" + ent.id + "/open/oauth/service-identities").status, 404u);
}

TEST_F(ConsoleTokenPagesTest, ServiceIdentitiesForAdministratorsOnly) {
  UserInfo admin = scenario_.CreateUser("admin");
  UserInfo member = scenario_.CreateUser("member");
  const EnterpriseInfo ent = scenario_.CreateEnterprise("Acme", admin.id);
  scenario_.cli().Must({"enterprise", "add-member", "--enterprise", ent.id, "--user", member.id,
                        "--role", "member"});
  const std::string org_ws =
      scenario_.CreateWorkspace(ent.default_org_account_id, admin.id, "Org WS");
  ConsoleBrowser a = LoginBrowser(http_, admin);
  ConsoleBrowser m = LoginBrowser(http_, member);
  const std::string base = "/enterprise/" + ent.id + "/open/oauth/service-identities";

  for (const std::string& lang : {std::string("zh"), std::string("en")}) {
    auto page = Page(a, base + "?lang=" + lang);
    ASSERT_EQ(page.status, 200u) << page.Describe();
    EXPECT_TRUE(Contains(page.body, lang == "zh" ? "服务身份及凭证" : "Service identities"));
    EXPECT_TRUE(Contains(page.body, "href=\"" + base + "\""));  // in the admin's navigation
  }
  auto form = Page(a, base + "/new");
  ASSERT_EQ(form.status, 200u);
  EXPECT_TRUE(Contains(form.body, "value=\"permanent\""));
  EXPECT_TRUE(Contains(form.body, "id=\"ws-" + org_ws + "\""));
  auto created = Submit(a, base + "/new",
                        {{"organization_id", ent.default_org_account_id},
                         {"name", "ci-bot"},
                         {"duration_day", "permanent"},
                         {"workspace_permission", "chat"},
                         {"all_workspaces", "1"}});
  ASSERT_EQ(created.status, 200u) << created.Describe();
  EXPECT_EQ(ElementText(created.body, "new-token").rfind("sat_", 0), 0u) << created.body;
  auto sats = OkBody(http_.Get(
      std::string(kListSats) + "?organization_id=" + ent.default_org_account_id, a.Read()));
  ASSERT_EQ(Path(sats, "data.service_identities").as_array().size(), 1u);
  const std::string id = Str(Path(sats, "data.service_identities").as_array()[0], "id");
  auto list = Page(a, base + "?lang=zh");
  EXPECT_TRUE(Contains(list.body, "ci-bot"));
  EXPECT_TRUE(Contains(list.body, "永久有效"));

  // Edit and revoke, as for PATs.
  auto saved = Submit(a, base + "/" + id + "/edit",
                      {{"name", "ci-bot-2"},
                       {"workspace_permission", "chat"},
                       {"workspace_permission", "listBot"},
                       {"all_workspaces", "1"}});
  ASSERT_EQ(saved.status, 303u) << saved.Describe();
  EXPECT_TRUE(Contains(Page(a, base).body, "ci-bot-2"));

  // The member: no navigation entry, and the pages refuse through the API's own rule.
  auto home = Page(m, "/enterprise/" + ent.id + "/open/oauth/pats");
  ASSERT_EQ(home.status, 200u);
  EXPECT_FALSE(Contains(home.body, "service-identities"));
  EXPECT_EQ(Page(m, base).status, 403u);
  EXPECT_EQ(Page(m, base + "/new").status, 403u);
  EXPECT_EQ(Submit(m, base + "/new",
                   {{"organization_id", ent.default_org_account_id},
                    {"name", "sneaky"},
                    {"duration_day", "permanent"},
                    {"workspace_permission", "chat"},
                    {"all_workspaces", "1"}})
                .status,
            403u);
  EXPECT_EQ(Page(m, base + "/" + id + "/edit").status, 403u);
  EXPECT_EQ(Submit(m, base + "/" + id + "/delete", {}).status, 403u);
  // The JSON route itself: a member listing the organization's service identities is refused.
  auto api = http_.Get(std::string(kListSats) + "?organization_id=" + ent.default_org_account_id,
                       m.Read());
  EXPECT_EQ(CodeOf(api), 4101) << api.Describe();
  // Still there, unchanged.
  sats = OkBody(http_.Get(std::string(kListSats) + "?organization_id=" + ent.default_org_account_id,
                          a.Read()));
  ASSERT_EQ(Path(sats, "data.service_identities").as_array().size(), 1u);

  auto revoked = Submit(a, base + "/" + id + "/delete", {});
  ASSERT_EQ(revoked.status, 303u) << revoked.Describe();
  sats = OkBody(http_.Get(std::string(kListSats) + "?organization_id=" + ent.default_org_account_id,
                          a.Read()));
  EXPECT_TRUE(Path(sats, "data.service_identities").as_array().empty());
}

TEST_F(ConsoleTokenPagesTest, HostileNamesRenderEscaped) {
  UserInfo alice = scenario_.CreateUser("alice");
  const std::string hostile = "<script>alert(\"x\")</script>' \u202Eevil";
  const std::string ws = scenario_.CreateWorkspace(alice.id, alice.id, hostile);
  ConsoleBrowser b = LoginBrowser(http_, alice);
  auto created = Submit(b, "/open/oauth/pats/new",
                        {{"name", hostile},
                         {"duration_day", "30"},
                         {"workspace_permission", "chat"},
                         {"all_workspaces", "0"},
                         {"workspace_id", ws}});
  ASSERT_EQ(created.status, 200u) << created.Describe();
  const std::string id = Str(Pats(b, alice.id)[0], "id");
  const std::string escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;";
  for (const std::string& path :
       {std::string("/open/oauth/pats"), "/open/oauth/pats/" + id + "/edit",
        std::string("/open/oauth/pats/new?name=") + "%3Cscript%3Ealert(%22x%22)%3C%2Fscript%3E"}) {
    SCOPED_TRACE(path);
    auto page = Page(b, path);
    ASSERT_EQ(page.status, 200u);
    EXPECT_FALSE(Contains(page.body, "<script>alert")) << page.body;
    EXPECT_TRUE(Contains(page.body, "&lt;script&gt;alert"));
  }
  EXPECT_FALSE(Contains(created.body, "<script>alert"));
  auto list = Page(b, "/open/oauth/pats");
  EXPECT_TRUE(Contains(list.body, escaped));
  EXPECT_TRUE(Contains(list.body, "\u202E"));  // kept as text, inside escaped markup
  EXPECT_TRUE(Contains(list.body, "data-confirm=\"") &&
              !Contains(list.body, "data-confirm=\"Delete \"<script"));
}

}  // namespace
}  // namespace cozeauth::it
