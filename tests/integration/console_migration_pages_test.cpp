// The console pages of the migration group (issue 12 items 6 and 7) against the real binary, on
// the Coze guide's setup (tests/support/guide_world.hpp): the wizard at /migrate (checklist,
// the create-the-missing-PAT link, conversations left behind, confirm by typing the name —
// refused when wrong, with nothing migrated — run, land on the observation page), the
// observation chart at /enterprise/{id}/observe for real traffic of two PATs before and after
// the migration (asserted on the SVG's data-* attributes and the data table), the audit log at
// /enterprise/{id}/audit with its filters, and the refusals: non-admins, other enterprises,
// missing CSRF token, hostile names escaped. No sleeping: stored request counts are read after a
// graceful restart (FlushServer), and "before" traffic is aged in the store by SQL.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <ctime>
#include <string>
#include <vector>

#include "support/console_browser.hpp"
#include "support/guide_world.hpp"
#include "support/openapi_expect.hpp"
#include "support/sqlite_file.hpp"

namespace cozeauth::it {
namespace {
namespace json = boost::json;

constexpr const char* kForm = "application/x-www-form-urlencoded";
const std::string kListMigrations = "/api/permission_api/workspace/list_migrations";
const std::string kAuditApi = "/api/permission_api/observe/audit";

std::string Enc(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += hex[ch >> 4];
      out += hex[ch & 15];
    }
  }
  return out;
}

std::string FormBody(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += Enc(k) + "=" + Enc(v);
  }
  return out;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The element (from its '<' to the next '>') that holds `marker`; "" if none.
std::string TagWith(const std::string& html, const std::string& marker, size_t from = 0) {
  const size_t at = html.find(marker, from);
  if (at == std::string::npos) return {};
  const size_t start = html.rfind('<', at);
  return html.substr(start, html.find('>', at) - start + 1);
}

// The integer value of attribute `name` in `tag`; -1 if absent.
int64_t Attr(const std::string& tag, const std::string& name) {
  const std::string needle = " " + name + "=\"";
  const size_t at = tag.find(needle);
  if (at == std::string::npos) return -1;
  return std::stoll(tag.substr(at + needle.size()));
}

// The part of the observation page about one credential: its <section> (chart and table).
std::string SectionOf(const std::string& html, const std::string& credential_id) {
  const size_t at = html.find("<section class=\"credential\" id=\"credential-");
  for (size_t s = at; s != std::string::npos;
       s = html.find("<section class=\"credential\"", s + 1)) {
    const size_t end = html.find("</section>", s);
    const std::string section = html.substr(s, end - s);
    if (Contains(section.substr(0, section.find('>')),
                 "data-credential-id=\"" + credential_id + "\"")) {
      return section;
    }
  }
  return {};
}

// Sum of data-`attr` over the chart's bars (<g data-at=…>) of one side (before/after).
int64_t SumBars(const std::string& section, const std::string& side, const std::string& attr) {
  int64_t sum = 0;
  for (size_t at = section.find("<g data-at=\""); at != std::string::npos;
       at = section.find("<g data-at=\"", at + 1)) {
    const std::string tag = section.substr(at, section.find('>', at) - at + 1);
    if (Contains(tag, "data-side=\"" + side + "\"")) sum += Attr(tag, "data-" + attr);
  }
  return sum;
}

// Sum of a column of the data table over the rows of one side.
int64_t SumTable(const std::string& section, const std::string& side, int column) {
  int64_t sum = 0;
  for (size_t at = section.find("<tr data-at=\""); at != std::string::npos;
       at = section.find("<tr data-at=\"", at + 1)) {
    const size_t end = section.find("</tr>", at);
    const std::string row = section.substr(at, end - at);
    if (!Contains(row.substr(0, row.find('>')), "data-side=\"" + side + "\"")) continue;
    size_t cell = 0;
    for (int i = 0; i <= column; ++i) cell = row.find("<td>", cell) + 4;
    sum += std::stoll(row.substr(cell));
  }
  return sum;
}

std::string Today(int64_t offset_days = 0) {
  std::time_t t = std::time(nullptr) + offset_days * 86400;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

class ConsoleMigrationPages : public GuideWorld {
 protected:
  void SetUp() override {
    GuideWorld::SetUp();
    if (HasFatalFailure()) return;
    owner_ = LoginBrowser(http_, user_);
  }

  HttpResponse Page(const ConsoleBrowser& b, const std::string& path,
                    const std::string& lang = "en") {
    return http_.Get(path, {{"Cookie", b.cookie}, {"Accept-Language", lang}});
  }
  HttpResponse PostForm(const ConsoleBrowser& b, const std::string& path,
                        std::vector<std::pair<std::string, std::string>> fields,
                        bool with_csrf = true) {
    if (with_csrf) fields.emplace_back("csrf_token", b.csrf);
    return http_.Post(path, FormBody(fields), {{"Cookie", b.cookie}, {"Accept-Language", "en"}},
                      kForm);
  }
  HttpResponse RunWizard(const std::string& confirm, bool with_csrf = true,
                         const std::string& mode = "cut") {
    return PostForm(owner_, "/migrate",
                    {{"workspace_id", ws_},
                     {"organization_id", ent_.default_org_account_id},
                     {"mode", mode},
                     {"confirm_name", confirm}},
                    with_csrf);
  }
  int64_t MigrationCount() {
    return Int(OkBody(http_.Get(kListMigrations, owner_.Read())), "data.total");
  }
  std::string WizardPath() {
    return "/migrate?workspace_id=" + ws_ + "&organization_id=" + ent_.default_org_account_id;
  }
  UserInfo EnterpriseUser(const std::string& label, const std::string& role) {
    UserInfo u = scenario_.CreateUser(label);
    scenario_.cli().Must(
        {"enterprise", "add-member", "--enterprise", ent_.id, "--user", u.id, "--role", role});
    return u;
  }

  ConsoleBrowser owner_;
};

TEST_F(ConsoleMigrationPages, WizardShowsTheChecklistRefusesAWrongNameAndMigratesOnTheRightOne) {
  // Step 1: the workspace and the organizations of the enterprise the user administers.
  auto start = Page(owner_, "/migrate");
  ASSERT_EQ(start.status, 200u) << start.Describe();
  EXPECT_TRUE(Contains(start.body, "<option value=\"" + ws_ + "\"")) << start.body;
  EXPECT_TRUE(Contains(start.body, "<option value=\"" + ent_.default_org_account_id + "\""));
  EXPECT_TRUE(Contains(start.body, "Move a workspace to a team or enterprise"));

  // Step 2: the checklist — each credential with its type, fate under cut and grant, coverage.
  auto list = Page(owner_, WizardPath());
  ASSERT_EQ(list.status, 200u) << list.Describe();
  const std::string pat_row = TagWith(list.body, "data-credential-id=\"" + personal_pat_.id + "\"");
  EXPECT_TRUE(Contains(pat_row, "data-type=\"PersonalAccessToken\"")) << pat_row;
  EXPECT_TRUE(Contains(pat_row, "data-covered=\"true\"")) << pat_row;
  EXPECT_TRUE(Contains(list.body, "covered by PAT &#39;prod&#39; (all workspaces)") ||
              Contains(list.body, "covered by PAT &#x27;prod&#x27; (all workspaces)"))
      << list.body;
  EXPECT_TRUE(Contains(list.body, "keeps the workspace"));  // after grant
  EXPECT_TRUE(Contains(list.body, "After 手动迁移 (cut)"));
  // The OBO credential is not covered: a link creates the enterprise PAT, pre-filled.
  const std::string obo_row = TagWith(list.body, "data-type=\"Obo\"");
  EXPECT_TRUE(Contains(obo_row, "data-covered=\"false\"")) << obo_row;
  const std::string link = TagWith(list.body, "data-create-pat=\"");
  ASSERT_FALSE(link.empty()) << list.body;
  EXPECT_TRUE(Contains(link, "href=\"/enterprise/" + ent_.id + "/open/oauth/pats?name=W")) << link;
  EXPECT_TRUE(Contains(link, "&amp;workspace_permission=")) << link;
  EXPECT_TRUE(Contains(link, "&amp;organization_id=" + ent_.default_org_account_id)) << link;
  EXPECT_TRUE(Contains(link, "&amp;all_workspaces=1")) << link;
  {
    // The link opens the enterprise token page's create form, filled in.
    const size_t href_at = link.find("href=\"") + 6;
    std::string href = link.substr(href_at, link.find('"', href_at) - href_at);
    for (size_t at = href.find("&amp;"); at != std::string::npos; at = href.find("&amp;", at)) {
      href.replace(at, 5, "&");
    }
    auto form = Page(owner_, href);
    if (form.status == 303) form = Page(owner_, form.Header("Location"));
    EXPECT_EQ(form.status, 200u) << form.Describe();
    EXPECT_TRUE(Contains(form.body, "value=\"W (migrated)\"")) << form.body;
  }
  EXPECT_TRUE(Contains(list.body, "id=\"conversations-left\">1<")) << list.body;
  // Step 3: mode and the confirmation by name.
  EXPECT_TRUE(Contains(list.body, "id=\"mode-cut\" value=\"cut\" checked"));
  EXPECT_TRUE(Contains(list.body, "data-must-match=\"W\"")) << list.body;
  EXPECT_TRUE(Contains(list.body, FormValue(list.body, "csrf_token")));
  EXPECT_EQ(FormValue(list.body, "csrf_token"), owner_.csrf);

  // zh-CN: Coze's labels.
  auto zh = Page(owner_, WizardPath(), "zh-CN,zh;q=0.9");
  ASSERT_EQ(zh.status, 200u);
  for (const char* label : {"迁移空间到团队或企业", "手动迁移后", "一键授权后", "检查清单",
                            "创建缺少的企业令牌", "输入空间名称以确认"}) {
    EXPECT_TRUE(Contains(zh.body, label)) << label;
  }

  // A wrong name, and a missing CSRF token: refused, nothing migrated, W still personal.
  auto wrong = RunWizard("w");
  EXPECT_EQ(wrong.status, 400u) << wrong.Describe();
  EXPECT_TRUE(Contains(wrong.body, "id=\"form-error\"")) << wrong.body;
  auto no_csrf = RunWizard("W", false);
  EXPECT_EQ(no_csrf.status, 403u) << no_csrf.Describe();
  auto bad_csrf = PostForm(owner_, "/migrate",
                           {{"workspace_id", ws_},
                            {"organization_id", ent_.default_org_account_id},
                            {"mode", "cut"},
                            {"confirm_name", "W"},
                            {"csrf_token", "forged"}},
                           false);
  EXPECT_EQ(bad_csrf.status, 403u) << bad_csrf.Describe();
  EXPECT_EQ(MigrationCount(), 0);
  EXPECT_TRUE(IsOk(BotAs(personal_pat_.token)));

  // The right name migrates and lands on the migration's observation page.
  auto done = RunWizard("W");
  ASSERT_EQ(done.status, 303u) << done.Describe();
  const std::string location = done.Header("Location");
  EXPECT_EQ(location.rfind("/enterprise/" + ent_.id + "/observe?migration_id=", 0), 0u) << location;
  EXPECT_TRUE(Contains(location, "notice=migrated")) << location;
  EXPECT_EQ(MigrationCount(), 1);
  const std::string migration_id = QueryValue(location, "migration_id");
  auto observe = Page(owner_, location);
  ASSERT_EQ(observe.status, 200u) << observe.Describe();
  EXPECT_TRUE(Contains(observe.body, "id=\"notice\"")) << observe.body;
  EXPECT_TRUE(Contains(observe.body, "data-migration-id=\"" + migration_id + "\""));
  // Cut: the personal PAT lost W, the enterprise PAT reaches it.
  EXPECT_TRUE(Becomes([&] { return BotAs(ent_pat_.token); }, 0));
  EXPECT_TRUE(IsCozeError(BotAs(personal_pat_.token), 4101));
  // W is no longer offered.
  EXPECT_FALSE(Contains(Page(owner_, "/migrate").body, "<option value=\"" + ws_ + "\""));
}

TEST_F(ConsoleMigrationPages, ChartShowsTheOldPatFallingAndTheNewOneRising) {
  // Before: the personal PAT serves (GuideWorld sent 2 successes: a conversation and the bot),
  // the enterprise PAT is refused (GuideWorld's 1 and 2 more).
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(IsOk(BotAs(personal_pat_.token)));
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(IsCozeError(BotAs(ent_pat_.token), 4101));
  FlushServer();
  // Counts are per minute and the migration's minute is "after": move the traffic so far ten
  // minutes back, as if sent then.
  SqliteFile(server_.db_path()).Exec("UPDATE request_stats SET minute = minute - 10");

  ASSERT_EQ(RunWizard("W").status, 303u);
  ASSERT_TRUE(Becomes([&] { return BotAs(ent_pat_.token); }, 0));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(IsOk(BotAs(ent_pat_.token)));  // 4 with the poll's
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(IsCozeError(BotAs(personal_pat_.token), 4101));
  FlushServer();

  auto page = Page(owner_, "/enterprise/" + ent_.id + "/observe");
  ASSERT_EQ(page.status, 200u) << page.Describe();
  const std::string& html = page.body;

  // The summary table.
  const std::string old_row = TagWith(html, "<tr data-credential-id=\"" + personal_pat_.id + "\"");
  EXPECT_EQ(Attr(old_row, "data-before-requests"), 5) << old_row;
  EXPECT_EQ(Attr(old_row, "data-before-successes"), 5) << old_row;
  EXPECT_EQ(Attr(old_row, "data-after-requests"), 2) << old_row;
  EXPECT_EQ(Attr(old_row, "data-after-successes"), 0) << old_row;
  const std::string new_row = TagWith(html, "<tr data-credential-id=\"" + ent_pat_.id + "\"");
  EXPECT_EQ(Attr(new_row, "data-before-requests"), 3) << new_row;
  EXPECT_EQ(Attr(new_row, "data-before-successes"), 0) << new_row;
  EXPECT_GE(Attr(new_row, "data-after-requests"), 4) << new_row;
  EXPECT_EQ(Attr(new_row, "data-after-successes"), Attr(new_row, "data-after-requests"));

  // The charts: inline SVG, accessible, the same numbers per bar and in the data table.
  const std::string old_chart = SectionOf(html, personal_pat_.id);
  ASSERT_FALSE(old_chart.empty()) << html;
  EXPECT_TRUE(Contains(old_chart, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_TRUE(Contains(old_chart, "role=\"img\""));
  EXPECT_TRUE(Contains(old_chart, "<title id=\"chart-"));
  EXPECT_TRUE(Contains(old_chart, "data-marker=\"migration\""));
  EXPECT_EQ(SumBars(old_chart, "before", "successes"), 5);
  EXPECT_EQ(SumBars(old_chart, "after", "successes"), 0);
  EXPECT_EQ(SumBars(old_chart, "after", "denials"), 2);
  EXPECT_EQ(SumTable(old_chart, "before", 2), 5);  // successes column
  EXPECT_EQ(SumTable(old_chart, "after", 3), 2);   // denials column
  EXPECT_TRUE(Contains(old_chart, "data-safe-to-delete=\"false\"")) << "still tried";

  const std::string new_chart = SectionOf(html, ent_pat_.id);
  ASSERT_FALSE(new_chart.empty()) << html;
  EXPECT_EQ(SumBars(new_chart, "before", "successes"), 0);
  EXPECT_EQ(SumBars(new_chart, "before", "denials"), 3);
  EXPECT_EQ(SumBars(new_chart, "after", "successes"), Attr(new_row, "data-after-requests"));
  EXPECT_EQ(SumTable(new_chart, "after", 2), Attr(new_row, "data-after-requests"));

  // The personal JWT app (AppAuth) had traffic before and none since: safe to delete.
  const std::string idle = SectionOf(html, jwt_app_.id);
  ASSERT_FALSE(idle.empty()) << html;
  EXPECT_TRUE(Contains(idle, "data-safe-to-delete=\"true\"")) << idle;
  EXPECT_TRUE(Contains(idle, "data-marker=\"safe-to-delete\""));
  EXPECT_TRUE(Contains(idle, "Safe to delete"));
  // Links to revoke: the personal PAT on the personal token page, the enterprise one here.
  EXPECT_TRUE(Contains(html, "<a href=\"/open/oauth/pats\">Revoke…</a>"));
  EXPECT_TRUE(Contains(html, "<a href=\"/enterprise/" + ent_.id + "/open/oauth/pats\">"));
  // No inline style anywhere on the page.
  EXPECT_FALSE(Contains(html, "style=\""));

  auto zh = Page(owner_, "/enterprise/" + ent_.id + "/observe", "zh-CN");
  ASSERT_EQ(zh.status, 200u);
  for (const char* label : {"线上观测", "可以删除", "迁移前（请求 / 成功率）", "前往撤销"}) {
    EXPECT_TRUE(Contains(zh.body, label)) << label;
  }

  // The console API's series, which the chart draws: per bucket, by the bucket's first second.
  const std::string tag = TagWith(html, "<tr data-migration-id=\"");
  const size_t id_at = tag.find('"') + 1;
  const std::string migration_id = tag.substr(id_at, tag.find('"', id_at) - id_at);
  auto api = http_.Get(
      "/api/permission_api/observe/credentials?since=1h&bucket=1m&migration_id=" + migration_id,
      owner_.Read());
  ASSERT_TRUE(IsOk(api)) << api.Describe();
  const json::value data = Path(OkBody(api), "data");
  EXPECT_EQ(Int(data, "bucket"), 60);
  const int64_t split = Int(data, "windows.after.since");
  int64_t before_ok = 0, after_denied = 0;
  for (const auto& row : Path(data, "credentials").as_array()) {
    if (row.at("credential_id").as_string() != personal_pat_.id) continue;
    for (const auto& p : row.at("series").as_array()) {
      EXPECT_EQ(p.at("at").as_int64() % 60, 0);
      if (p.at("at").as_int64() < split) before_ok += p.at("successes").as_int64();
      if (p.at("at").as_int64() >= split) after_denied += p.at("denied_4101").as_int64();
    }
  }
  EXPECT_EQ(before_ok, 5);
  EXPECT_EQ(after_denied, 2);
  auto odd =
      http_.Get("/api/permission_api/observe/credentials?since=1h&bucket=90s", owner_.Read());
  EXPECT_TRUE(IsCozeError(odd, 4000)) << "a bucket of whole minutes only";
  auto many =
      http_.Get("/api/permission_api/observe/credentials?since=7d&bucket=1m", owner_.Read());
  EXPECT_TRUE(IsCozeError(many, 4000)) << "at most 1000 buckets";
}

TEST_F(ConsoleMigrationPages, AuditLogShowsTheEnterprisesEventsWithFilters) {
  ASSERT_EQ(RunWizard("W").status, 303u);
  // Another enterprise with its own administrator and a PAT: not Acme's business.
  UserInfo other_admin = scenario_.CreateUser("other-admin");
  EnterpriseInfo other = scenario_.CreateEnterprise("Other", other_admin.id);
  TokenInfo other_pat = scenario_.CreatePat(
      other_admin.id, {.account_id = other.default_org_account_id, .name = "other-prod"});

  const std::string audit = "/enterprise/" + ent_.id + "/audit";
  auto all = Page(owner_, audit);
  ASSERT_EQ(all.status, 200u) << all.Describe();
  EXPECT_TRUE(Contains(all.body, "data-action=\"workspace.migrated\"")) << all.body;
  EXPECT_TRUE(Contains(all.body, ent_pat_.id)) << "Acme's PAT's creation";
  EXPECT_FALSE(Contains(all.body, other_pat.id)) << "another enterprise's event";

  // Filters: action, actor, time range.
  auto tokens = Page(owner_, audit + "?action=token.");
  ASSERT_EQ(tokens.status, 200u);
  EXPECT_TRUE(Contains(tokens.body, "data-action=\"token.created\""));
  EXPECT_FALSE(Contains(tokens.body, "data-action=\"workspace.migrated\""));
  auto mine = Page(owner_, audit + "?actor=" + user_.id);
  ASSERT_EQ(mine.status, 200u);
  EXPECT_TRUE(Contains(mine.body, "data-action=\"workspace.migrated\""));
  EXPECT_FALSE(Contains(mine.body, "data-actor=\"operator\"")) << "the CLI's events filtered out";
  EXPECT_TRUE(Contains(all.body, "data-actor=\"operator\"")) << "the CLI created the PAT";
  auto past = Page(owner_, audit + "?from=" + Today(-3) + "&to=" + Today(-2));
  ASSERT_EQ(past.status, 200u);
  EXPECT_TRUE(Contains(past.body, "id=\"no-events\"")) << past.body;
  auto today = Page(owner_, audit + "?from=" + Today() + "&to=" + Today());
  EXPECT_TRUE(Contains(today.body, "data-action=\"workspace.migrated\""));
  auto zh = Page(owner_, audit, "zh-CN");
  EXPECT_TRUE(Contains(zh.body, "<h1>审计日志</h1>"));

  // The API: an admin reads their enterprise's events, nobody reads another's (same 4101 for
  // an unknown enterprise); without enterprise_id, only one's own.
  auto own = http_.Get(kAuditApi + "?enterprise_id=" + ent_.id, owner_.Read());
  ASSERT_TRUE(IsOk(own)) << own.Describe();
  EXPECT_TRUE(
      IsCozeError(http_.Get(kAuditApi + "?enterprise_id=" + other.id, owner_.Read()), 4101));
  EXPECT_TRUE(IsCozeError(http_.Get(kAuditApi + "?enterprise_id=ent_404404", owner_.Read()), 4101));
  EXPECT_TRUE(IsCozeError(http_.Get(kAuditApi + "?actor=" + other_admin.id, owner_.Read()), 4101));
  ConsoleBrowser other_b = LoginBrowser(http_, other_admin);
  auto theirs = http_.Get(kAuditApi + "?enterprise_id=" + other.id, other_b.Read());
  ASSERT_TRUE(IsOk(theirs)) << theirs.Describe();
  EXPECT_TRUE(Contains(theirs.body, other_pat.id));
  EXPECT_FALSE(Contains(theirs.body, "workspace.migrated"));
  EXPECT_TRUE(
      IsCozeError(http_.Get(kAuditApi + "?enterprise_id=" + ent_.id, other_b.Read()), 4101));
  // A plain member of Acme is refused by the API and the pages.
  UserInfo member = EnterpriseUser("member", "member");
  ConsoleBrowser member_b = LoginBrowser(http_, member);
  EXPECT_TRUE(
      IsCozeError(http_.Get(kAuditApi + "?enterprise_id=" + ent_.id, member_b.Read()), 4101));
  EXPECT_EQ(Page(member_b, audit).status, 403u);
  EXPECT_EQ(Page(member_b, "/enterprise/" + ent_.id + "/observe").status, 403u);
  EXPECT_FALSE(Contains(Page(member_b, "/enterprise/" + ent_.id).body, "/observe\""))
      << "not in a member's navigation";
  // Someone outside Acme gets 404 for its pages; Acme's admin gets 404 for Other's.
  EXPECT_EQ(Page(other_b, audit).status, 404u);
  EXPECT_EQ(Page(owner_, "/enterprise/" + other.id + "/observe").status, 404u);
  EXPECT_EQ(Page(owner_, "/enterprise/" + other.id + "/audit").status, 404u);
}

TEST_F(ConsoleMigrationPages, AnotherUsersWorkspaceCannotBeMovedThroughTheWizard) {
  UserInfo admin = EnterpriseUser("admin", "admin");
  ConsoleBrowser admin_b = LoginBrowser(http_, admin);
  // Not offered, no checklist for it, and the run is refused with nothing migrated.
  EXPECT_FALSE(Contains(Page(admin_b, "/migrate").body, "<option value=\"" + ws_ + "\""));
  auto list = Page(admin_b, WizardPath());
  EXPECT_EQ(list.status, 404u);
  EXPECT_FALSE(Contains(list.body, personal_pat_.id));
  auto run = PostForm(admin_b, "/migrate",
                      {{"workspace_id", ws_},
                       {"organization_id", ent_.default_org_account_id},
                       {"mode", "cut"},
                       {"confirm_name", "W"}});
  EXPECT_EQ(run.status, 400u) << run.Describe();
  EXPECT_EQ(MigrationCount(), 0);
  EXPECT_TRUE(IsOk(BotAs(personal_pat_.token)));
}

TEST_F(ConsoleMigrationPages, HostileNamesRenderEscaped) {
  const std::string hostile = "<script>alert(1)</script>\"' \u202Eevil";
  const std::string ws2 = scenario_.CreateWorkspace(user_.id, user_.id, hostile);
  scenario_.CreatePat(user_.id, {.name = hostile});
  auto page = Page(
      owner_, "/migrate?workspace_id=" + ws2 + "&organization_id=" + ent_.default_org_account_id);
  ASSERT_EQ(page.status, 200u) << page.Describe();
  EXPECT_FALSE(Contains(page.body, "<script>alert")) << page.body;
  EXPECT_TRUE(Contains(page.body, "&lt;script&gt;alert(1)&lt;/script&gt;&quot;"));
  EXPECT_TRUE(Contains(page.body, "data-must-match=\"&lt;script&gt;"));
  // The typed hostile name (exactly) migrates it.
  auto run = PostForm(owner_, "/migrate",
                      {{"workspace_id", ws2},
                       {"organization_id", ent_.default_org_account_id},
                       {"mode", "cut"},
                       {"confirm_name", hostile}});
  ASSERT_EQ(run.status, 303u) << run.Describe();
  auto observe = Page(owner_, run.Header("Location"));
  ASSERT_EQ(observe.status, 200u);
  EXPECT_FALSE(Contains(observe.body, "<script>alert")) << observe.body;
  auto audit = Page(owner_, "/enterprise/" + ent_.id + "/audit");
  EXPECT_FALSE(Contains(audit.body, "<script>alert")) << audit.body;
}

}  // namespace
}  // namespace cozeauth::it
