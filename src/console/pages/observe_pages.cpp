// 线上观测 and 审计日志 of an enterprise, for its super_admins and admins.
//
// /enterprise/{id}/observe[?migration_id=…&window=1h]: the migrations into the enterprise, and
// for the chosen one (the newest by default) each credential of its two sides — the personal
// account the workspace left and the enterprise it joined — with its success rate before and
// after, a chart of its requests per time bucket (svg_chart.hpp: the old credential's traffic
// falling, the new one's rising, "safe to delete" once the old one is idle) with the same numbers
// in a table, and a link to where it is revoked. The numbers are the console API's
// (GET /api/permission_api/observe/credentials with a bucket), read as this user: personal
// credentials show only to their owner, as the API decides.
//
// /enterprise/{id}/audit[?actor=&action=&from=&to=]: the enterprise's audit log
// (GET /api/permission_api/observe/audit?enterprise_id=…, which refuses anyone but its admins).

#include "console/pages/observe_pages.hpp"

#include <algorithm>
#include <ctime>
#include <map>
#include <optional>

#include "console/pages/api_json.hpp"
#include "console/pages/page.hpp"
#include "console/pages/svg_chart.hpp"

namespace cozeauth::console {
namespace {

namespace json = boost::json;
using http::Verb;

constexpr Text kObserve{"线上观测", "Observation"};
constexpr Text kAudit{"审计日志", "Audit log"};
constexpr Text kAdminsOnly{"只有企业的超级管理员或管理员可以查看此页面。",
                           "Only the enterprise's super admins and admins can open this page."};
constexpr Text kMigrated{"迁移完成。请在这里观察旧凭证的请求下降、新凭证的请求上升。",
                         "The workspace was moved. Watch the old credentials' traffic fall and "
                         "the new ones' rise here."};
constexpr Text kMigrations{"迁移记录", "Migrations"};
constexpr Text kNoMigrations{"还没有空间迁移到此企业。下面是企业凭证的请求情况。",
                             "No workspace has moved into this enterprise yet. Below: the "
                             "enterprise credentials' requests."};
constexpr Text kWorkspace{"工作空间", "Workspace"};
constexpr Text kMode{"迁移方式", "Mode"};
constexpr Text kWhen{"时间", "When"};
constexpr Text kBy{"操作者", "By"};
constexpr Text kShow{"查看", "Show"};
constexpr Text kWindow{"迁移前的观察时长", "Window before the migration"};
constexpr Text kWindowPlain{"观察时长", "Window"};
constexpr Text kApply{"更新", "Update"};
constexpr Text kCredentials{"凭证", "Credentials"};
constexpr Text kNoTraffic{"这段时间内没有你可以查看的凭证请求。",
                          "No request of a credential you may see in this window."};
constexpr Text kCredential{"凭证", "Credential"};
constexpr Text kType{"类型", "Type"};
constexpr Text kSide{"归属", "Side"};
constexpr Text kBefore{"迁移前（请求 / 成功率）", "Before (requests / success rate)"};
constexpr Text kAfter{"迁移后（请求 / 成功率）", "After (requests / success rate)"};
constexpr Text kTotal{"请求 / 成功率", "Requests / success rate"};
constexpr Text kStatus{"状态", "Status"};
constexpr Text kAction{"操作", "Action"};
constexpr Text kPersonalSide{"个人账号（旧）", "Personal account (old)"};
constexpr Text kEnterpriseSide{"企业（新）", "Enterprise (new)"};
constexpr Text kSafe{"可以删除", "Safe to delete"};
constexpr Text kRevoke{"前往撤销", "Revoke…"};
constexpr Text kMigrationMark{"迁移", "Migration"};
constexpr Text kTable{"数据表", "Data table"};
constexpr Text kRequests{"请求", "Requests"};
constexpr Text kSuccesses{"成功", "Successes"};
constexpr Text kDenials{"拒绝（4100/4101）", "Denied (4100/4101)"};
constexpr Text kOther{"其他错误", "Other errors"};
constexpr Text kLegend{"绿色：成功；红色：被拒绝（4100/4101）；橙色：其他错误；虚线：迁移时间。",
                       "Green: successes; red: denied (4100/4101); orange: other errors; dashed "
                       "line: the migration."};

std::string E(std::string_view s) { return Escape(s); }

Result<const EnterpriseContext*> AdminPlace(PageCall& c) {
  auto place = c.CurrentEnterprise();
  if (!place) return place.error();
  if (*place == nullptr || !(*place)->IsAdmin()) {
    return Error::Make(Errc::kPermissionDenied, std::string(c.T(kAdminsOnly)));
  }
  return *place;
}

std::string Rate(int64_t requests, int64_t successes) {
  if (requests <= 0) return "—";
  const int64_t tenths = (successes * 1000 + requests / 2) / requests;
  std::string out = std::to_string(tenths / 10);
  if (tenths % 10 != 0) out += "." + std::to_string(tenths % 10);
  return out + "%";
}

std::string Counts(const json::value& counts) {
  return std::to_string(JsonInt(counts, "requests")) + " / " +
         Rate(JsonInt(counts, "requests"), JsonInt(counts, "successes"));
}

std::string_view KindLabel(const PageCall& c, std::string_view kind) {
  if (kind == "pat") return c.T({"个人访问令牌", "Personal access token"});
  if (kind == "sat") return c.T({"服务访问令牌", "Service access token"});
  if (kind == "app") return c.T({"OAuth 应用（AppAuth）", "OAuth app (AppAuth)"});
  return c.T({"OAuth 应用（OBO）", "OAuth app (OBO)"});
}

// The API's hint (credential_report.cpp) in the page's language; the raw hint otherwise.
std::string HintLabel(const PageCall& c, const std::string& hint) {
  if (hint == "no traffic after migration: safe to delete") return std::string(c.T(kSafe));
  if (hint == "serving") return std::string(c.T({"正常服务", "Serving"}));
  if (hint == "no traffic after migration") {
    return std::string(c.T({"迁移后暂无请求", "No traffic after the migration"}));
  }
  if (hint.starts_with("still tried first")) {
    return std::string(c.T({"迁移后仍被调用并被拒绝：",
                            "Still called and denied after the "
                            "migration: "})) +
           hint.substr(hint.find(':') + 2);
  }
  if (hint.starts_with("denied after migration")) {
    return std::string(
               c.T({"迁移后请求全部失败：", "Every request failed after the migration: "})) +
           hint.substr(hint.find(':') + 2);
  }
  return hint;
}

// Where the credential is revoked: its token or app page, in the context it belongs to.
std::string RevokeHref(const PageCall& c, const json::value& row) {
  const std::string kind = JsonStr(row, "kind");
  const bool personal = JsonStr(row, "enterprise_id").empty();
  if (kind == "pat") return personal ? "/open/oauth/pats" : c.Link("/open/oauth/pats");
  if (kind == "sat") {
    return personal ? "/open/oauth/service-identities" : c.Link("/open/oauth/service-identities");
  }
  if (kind == "app" && !personal) return c.Link("/open/oauth/installations");
  return personal ? "/open/oauth/apps" : c.Link("/open/oauth/apps");
}

// A window choice: the value sent as `since`, and its label.
struct WindowChoice {
  std::string_view value;
  int64_t seconds;
  Text label;
};
constexpr WindowChoice kWindows[] = {
    {"15m", 900, {"15 分钟", "15 minutes"}}, {"1h", 3600, {"1 小时", "1 hour"}},
    {"6h", 6 * 3600, {"6 小时", "6 hours"}}, {"1d", 86400, {"1 天", "1 day"}},
    {"7d", 7 * 86400, {"7 天", "7 days"}},
};

std::string CredentialSection(const PageCall& c, const json::value& row, size_t index, int64_t from,
                              int64_t until, int64_t bucket, int64_t split) {
  const std::string id = JsonStr(row, "credential_id");
  const std::string name = JsonStr(row, "name").empty() ? id : JsonStr(row, "name");
  const bool migration = split > 0;
  const bool safe =
      migration && JsonStr(row, "hint") == "no traffic after migration: safe to delete";
  ChartInput in;
  in.id = std::to_string(index);
  in.title = std::string(c.T(kCredential)) + " " + name + " (" + id + ")";
  in.from = from;
  in.until = until;
  in.bucket = bucket;
  in.split = split;
  in.migration_label = std::string(c.T(kMigrationMark));
  if (safe) in.safe_label = std::string(c.T(kSafe));
  in.y_label = std::string(c.T({"每 ", "requests per "})) + std::to_string(bucket / 60) +
               std::string(c.T({" 分钟请求数", " min"}));
  const json::value& series = JsonMember(row, "series");
  std::string table = "<table id=\"series-" + in.id + "\"><caption>" + E(c.T(kTable)) + " · " +
                      E(name) + "</caption><thead><tr><th scope=\"col\">" + E(c.T(kWhen)) +
                      "</th><th scope=\"col\">" + E(c.T(kRequests)) + "</th><th scope=\"col\">" +
                      E(c.T(kSuccesses)) + "</th><th scope=\"col\">" + E(c.T(kDenials)) +
                      "</th><th scope=\"col\">" + E(c.T(kOther)) + "</th></tr></thead><tbody>";
  if (series.is_array()) {
    for (const auto& p : series.as_array()) {
      ChartBucket b;
      b.at = JsonInt(p, "at");
      b.requests = JsonInt(p, "requests");
      b.successes = JsonInt(p, "successes");
      b.denials = JsonInt(p, "denied_4100") + JsonInt(p, "denied_4101");
      b.other_errors = JsonInt(p, "other_errors");
      in.buckets.push_back(b);
      const char* side = !migration ? "" : b.at < split ? "before" : "after";
      table += "<tr data-at=\"" + std::to_string(b.at) + "\" data-side=\"" + side + "\"><td>" +
               E(FormatTime(b.at)) + "</td><td>" + std::to_string(b.requests) + "</td><td>" +
               std::to_string(b.successes) + "</td><td>" + std::to_string(b.denials) + "</td><td>" +
               std::to_string(b.other_errors) + "</td></tr>";
    }
  }
  table += "</tbody></table>";
  if (migration) {
    in.description = std::string(c.T(kBefore)) + ": " + Counts(JsonMember(row, "before")) + "; " +
                     std::string(c.T(kAfter)) + ": " + Counts(JsonMember(row, "after")) + ".";
  } else {
    in.description = std::string(c.T(kTotal)) + ": " + Counts(row) + ".";
  }
  std::string out = "<section class=\"credential\" id=\"credential-" + in.id +
                    "\" data-credential-id=\"" + E(id) + "\" data-side=\"" +
                    E(JsonStr(row, "side")) + "\"><h3>" + E(name) + " <span class=\"muted\">" +
                    E(KindLabel(c, JsonStr(row, "kind"))) + "</span>";
  if (safe) out += " <span class=\"ok\" data-safe-to-delete=\"true\">" + E(c.T(kSafe)) + "</span>";
  out += "</h3>" + RenderChart(in) + "<details><summary>" + E(c.T(kTable)) + "</summary>" + table +
         "</details></section>";
  return out;
}

http::Response Observe(PageCall& c) {
  auto place = AdminPlace(c);
  if (!place) return c.Failure(kObserve, place.error());
  const EnterpriseContext& ent = **place;
  auto all = c.deps.store.ListMigrations("");
  if (!all) return c.Failure(kObserve, all.error());
  std::vector<domain::Migration> migrations;
  for (auto& m : *all) {
    if (m.enterprise_id == ent.enterprise.id) migrations.push_back(std::move(m));
  }
  std::stable_sort(migrations.begin(), migrations.end(),
                   [](const auto& a, const auto& b) { return a.created_at > b.created_at; });
  const domain::Migration* chosen = migrations.empty() ? nullptr : &migrations.front();
  if (auto wanted = c.req.Query("migration_id"); wanted && !wanted->empty()) {
    chosen = nullptr;
    for (const auto& m : migrations) {
      if (m.id == *wanted) chosen = &m;
    }
    if (chosen == nullptr) {
      return c.Failure(kObserve,
                       Error::Make(Errc::kNotFound, std::string(c.T({"此企业没有这条迁移记录。",
                                                                     "No such migration into this "
                                                                     "enterprise."}))));
    }
  }
  const WindowChoice* window = &kWindows[1];
  if (auto w = c.req.Query("window")) {
    for (const auto& choice : kWindows) {
      if (choice.value == *w) window = &choice;
    }
  }
  const int64_t now = c.deps.clock.NowSeconds();
  const int64_t split = chosen ? chosen->created_at / 60 * 60 : 0;
  const int64_t from = (chosen ? split : now) - window->seconds;
  // About 48 bars of whole minutes, dividing the window so that the migration is a boundary.
  int64_t bucket = std::max<int64_t>(1, ((now - from) / 48 + 59) / 60) * 60;
  // (A migration long ago gets one bar per window: choose a longer window to see fewer.)
  if (bucket >= window->seconds) bucket = window->seconds;
  while (window->seconds % bucket != 0) bucket += 60;
  std::string target =
      "/api/permission_api/observe/credentials?since=" + std::string(window->value) +
      "&bucket=" + std::to_string(bucket);
  if (chosen) target += "&migration_id=" + http::PercentEncode(chosen->id);
  auto report = c.Api(Verb::get, target);
  if (!report) return c.Failure(kObserve, report.error());

  std::string body = "<h1>" + E(c.T(kObserve)) + "</h1>" + c.Notice({{"migrated", kMigrated}});
  body += "<h2>" + E(c.T(kMigrations)) + "</h2>";
  if (migrations.empty()) {
    body += "<p class=\"muted\" id=\"no-migrations\">" + E(c.T(kNoMigrations)) + "</p>";
  } else {
    body += "<table id=\"migrations\"><thead><tr><th scope=\"col\">" + E(c.T(kWorkspace)) +
            "</th><th scope=\"col\">" + E(c.T(kMode)) + "</th><th scope=\"col\">" + E(c.T(kWhen)) +
            "</th><th scope=\"col\">" + E(c.T(kBy)) + "</th><th scope=\"col\">" + E(c.T(kAction)) +
            "</th></tr></thead><tbody>";
    for (const auto& m : migrations) {
      auto w = c.deps.store.GetWorkspace(m.workspace_id);
      auto actor = c.deps.store.GetUser(m.actor_user_id);
      const bool here = chosen && chosen->id == m.id;
      body += "<tr data-migration-id=\"" + E(m.id) + "\"><td>" + E(w ? w->name : m.workspace_id) +
              " <code>" + E(m.workspace_id) + "</code></td><td>" +
              E(m.mode == domain::MigrationMode::kCut ? c.T({"手动迁移（cut）", "cut"})
                                                      : c.T({"一键授权（grant）", "grant"})) +
              "</td><td>" + E(FormatTime(m.created_at)) + "</td><td>" +
              E(actor ? actor->name : m.actor_user_id) + "</td><td><a href=\"" +
              E(c.Link("/observe?migration_id=" + http::PercentEncode(m.id))) + "\"" +
              (here ? " aria-current=\"true\"" : "") + ">" + E(c.T(kShow)) + "</a></td></tr>";
    }
    body += "</tbody></table>";
  }
  body += "<form method=\"get\" action=\"" + E(c.Link("/observe")) + "\" id=\"window-form\">";
  if (chosen) {
    body += "<input type=\"hidden\" name=\"migration_id\" value=\"" + E(chosen->id) + "\">";
  }
  body += "<label for=\"window\">" + E(c.T(chosen ? kWindow : kWindowPlain)) +
          "</label><select id=\"window\" name=\"window\">";
  for (const auto& choice : kWindows) {
    body += "<option value=\"" + std::string(choice.value) + "\"" +
            (&choice == window ? " selected" : "") + ">" + E(c.T(choice.label)) + "</option>";
  }
  body += "</select> <button type=\"submit\" class=\"secondary\">" + E(c.T(kApply)) +
          "</button></form>";

  // The rows: with a migration, its two sides; without, the enterprise's own credentials.
  std::vector<const json::value*> rows;
  if (const json::value& list = JsonMember(*report, "credentials"); list.is_array()) {
    for (const auto& row : list.as_array()) {
      if (!chosen && JsonStr(row, "enterprise_id") != ent.enterprise.id) continue;
      rows.push_back(&row);
    }
  }
  const int64_t since = JsonInt(*report, "since");
  const int64_t until = JsonInt(*report, "now") + 1;
  body += "<h2>" + E(c.T(kCredentials)) + "</h2>";
  if (chosen) {
    body += "<dl class=\"facts\" id=\"migration-facts\" data-migration-id=\"" + E(chosen->id) +
            "\" data-split=\"" + std::to_string(split) + "\"><dt>" + E(c.T(kWhen)) + "</dt><dd>" +
            E(FormatTime(chosen->created_at)) + "</dd><dt>" + E(c.T(kMode)) + "</dt><dd>" +
            E(domain::ToString(chosen->mode)) + "</dd></dl>";
  }
  if (rows.empty()) {
    body += "<p class=\"muted\" id=\"no-traffic\">" + E(c.T(kNoTraffic)) + "</p>";
    return c.Render(kObserve, body);
  }
  body += "<table id=\"credentials\"><thead><tr><th scope=\"col\">" + E(c.T(kCredential)) +
          "</th><th scope=\"col\">" + E(c.T(kType)) + "</th>";
  if (chosen) {
    body += "<th scope=\"col\">" + E(c.T(kSide)) + "</th><th scope=\"col\">" + E(c.T(kBefore)) +
            "</th><th scope=\"col\">" + E(c.T(kAfter)) + "</th><th scope=\"col\">" +
            E(c.T(kStatus)) + "</th>";
  } else {
    body += "<th scope=\"col\">" + E(c.T(kTotal)) + "</th>";
  }
  body += "<th scope=\"col\">" + E(c.T(kAction)) + "</th></tr></thead><tbody>";
  for (const json::value* row : rows) {
    const std::string id = JsonStr(*row, "credential_id");
    body += "<tr data-credential-id=\"" + E(id) + "\" data-side=\"" + E(JsonStr(*row, "side")) +
            "\" data-before-requests=\"" +
            std::to_string(JsonInt(JsonMember(*row, "before"), "requests")) +
            "\" data-before-successes=\"" +
            std::to_string(JsonInt(JsonMember(*row, "before"), "successes")) +
            "\" data-after-requests=\"" +
            std::to_string(JsonInt(JsonMember(*row, "after"), "requests")) +
            "\" data-after-successes=\"" +
            std::to_string(JsonInt(JsonMember(*row, "after"), "successes")) + "\"><td>" +
            E(JsonStr(*row, "name")) + " <code>" + E(id) + "</code></td><td>" +
            E(KindLabel(c, JsonStr(*row, "kind"))) + "</td>";
    if (chosen) {
      body += "<td>" +
              E(c.T(JsonStr(*row, "side") == "personal" ? kPersonalSide : kEnterpriseSide)) +
              "</td><td>" + E(Counts(JsonMember(*row, "before"))) + "</td><td>" +
              E(Counts(JsonMember(*row, "after"))) + "</td><td>" +
              E(HintLabel(c, JsonStr(*row, "hint"))) + "</td>";
    } else {
      body += "<td>" + E(Counts(*row)) + "</td>";
    }
    body += "<td><a href=\"" + E(RevokeHref(c, *row)) + "\">" + E(c.T(kRevoke)) + "</a></td></tr>";
  }
  body += "</tbody></table><p class=\"hint\">" + E(c.T(kLegend)) + "</p>";
  for (size_t i = 0; i < rows.size(); ++i) {
    body += CredentialSection(c, *rows[i], i, since, until, JsonInt(*report, "bucket"),
                              chosen ? split : 0);
  }
  return c.Render(kObserve, body);
}

// --- the audit log

constexpr std::pair<std::string_view, Text> kActions[] = {
    {"token.", {"令牌", "Tokens"}},
    {"app.", {"OAuth 应用", "OAuth apps"}},
    {"workspace.", {"空间迁移", "Workspace migrations"}},
    {"migration.", {"迁移演练", "Migration rehearsals"}},
    {"account_grant.", {"个人账号资源授权", "Personal account grants"}},
    {"workflow.", {"工作流", "Workflows"}},
    {"app_project.", {"应用项目", "App projects"}},
};

// "2026-12-02" → its first second (UTC); nullopt when malformed.
std::optional<int64_t> ParseDate(const std::string& text) {
  std::tm tm{};
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  tm.tm_year = std::stoi(text.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(text.substr(5, 2)) - 1;
  tm.tm_mday = std::stoi(text.substr(8, 2));
  if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31) return std::nullopt;
  const std::time_t t = timegm(&tm);
  if (t < 0) return std::nullopt;
  return static_cast<int64_t>(t);
}

http::Response Audit(PageCall& c) {
  auto place = c.CurrentEnterprise();
  if (!place) return c.Failure(kAudit, place.error());
  const EnterpriseContext& ent = **place;
  const std::string actor = c.req.Query("actor").value_or("");
  const std::string action = c.req.Query("action").value_or("");
  const std::string from = c.req.Query("from").value_or("");
  const std::string to = c.req.Query("to").value_or("");
  std::string target = "/api/permission_api/observe/audit?limit=200&enterprise_id=" +
                       http::PercentEncode(ent.enterprise.id);
  std::string error;
  if (!actor.empty()) target += "&actor=" + http::PercentEncode(actor);
  if (!action.empty()) target += "&action=" + http::PercentEncode(action);
  if (!from.empty()) {
    if (auto t = ParseDate(from)) {
      target += "&from=" + std::to_string(*t);
    } else {
      error =
          std::string(c.T({"开始日期格式应为 YYYY-MM-DD。", "From must be a date YYYY-MM-DD."}));
    }
  } else {
    target += "&since=3650d";
  }
  if (!to.empty()) {
    if (auto t = ParseDate(to)) {
      target += "&to=" + std::to_string(*t + 86400);  // the whole day
    } else {
      error = std::string(c.T({"结束日期格式应为 YYYY-MM-DD。", "To must be a date YYYY-MM-DD."}));
    }
  }
  Result<json::value> events = json::value();
  if (error.empty()) events = c.Api(Verb::get, target);
  if (!events) {
    if (events.error().code != Errc::kBadRequest) return c.Failure(kAudit, events.error());
    error = events.error().message;
  }

  std::string body = "<h1>" + E(c.T(kAudit)) + "</h1>";
  if (!error.empty()) body += ErrorLine(error);
  body += "<form method=\"get\" action=\"" + E(c.Link("/audit")) + "\" id=\"audit-filters\">";
  body += "<label for=\"actor\">" + E(c.T({"操作者", "Actor"})) +
          "</label><select id=\"actor\" name=\"actor\"><option value=\"\">" +
          E(c.T({"所有人", "Anyone"})) + "</option>";
  auto members = c.deps.store.ListEnterpriseMembers(ent.enterprise.id);
  bool actor_listed = actor.empty();
  if (members) {
    for (const auto& m : *members) {
      auto u = c.deps.store.GetUser(m.user_id);
      actor_listed = actor_listed || m.user_id == actor;
      body += "<option value=\"" + E(m.user_id) + "\"" + (m.user_id == actor ? " selected" : "") +
              ">" + E(u ? u->name : m.user_id) + " (" + E(m.user_id) + ")</option>";
    }
  }
  if (!actor_listed) {
    body += "<option value=\"" + E(actor) + "\" selected>" + E(actor) + "</option>";
  }
  body += "</select><label for=\"action\">" + E(c.T({"操作类型", "Action"})) +
          "</label><select id=\"action\" name=\"action\"><option value=\"\">" +
          E(c.T({"全部", "All"})) + "</option>";
  for (const auto& [prefix, label] : kActions) {
    body += "<option value=\"" + std::string(prefix) + "\"" +
            (prefix == action ? " selected" : "") + ">" + E(c.T(label)) + " (" +
            std::string(prefix) + "*)</option>";
  }
  body += "</select><label for=\"from\">" + E(c.T({"开始日期（UTC）", "From (UTC)"})) +
          "</label><input type=\"date\" id=\"from\" name=\"from\" value=\"" + E(from) +
          "\"><label for=\"to\">" + E(c.T({"结束日期（UTC，含当天）", "To (UTC, inclusive)"})) +
          "</label><input type=\"date\" id=\"to\" name=\"to\" value=\"" + E(to) +
          "\"><div><button type=\"submit\" id=\"apply-filters\">" + E(c.T({"筛选", "Filter"})) +
          "</button></div></form>";

  const json::value& list = events ? JsonMember(*events, "events") : json::value();
  if (!list.is_array() || list.as_array().empty()) {
    body += "<p class=\"muted\" id=\"no-events\">" +
            E(c.T({"没有符合条件的事件。", "No event matches."})) + "</p>";
    return c.Render(kAudit, body);
  }
  body += "<table id=\"audit\"><thead><tr><th scope=\"col\">" + E(c.T(kWhen)) +
          "</th><th scope=\"col\">" + E(c.T({"操作者", "Actor"})) + "</th><th scope=\"col\">" +
          E(c.T({"操作", "Action"})) + "</th><th scope=\"col\">" + E(c.T({"对象", "Target"})) +
          "</th><th scope=\"col\">" + E(c.T({"详情", "Detail"})) + "</th></tr></thead><tbody>";
  std::map<std::string, std::string> names;
  for (const auto& e : list.as_array()) {
    const std::string who = JsonStr(e, "actor");
    auto [it, fresh] = names.try_emplace(who, who);
    if (fresh && who != "operator") {
      if (auto u = c.deps.store.GetUser(who)) it->second = u->name + " (" + who + ")";
    }
    if (who == "operator") it->second = std::string(c.T({"运维命令行", "Operator CLI"}));
    body += "<tr data-event-id=\"" + E(JsonStr(e, "id")) + "\" data-action=\"" +
            E(JsonStr(e, "action")) + "\" data-actor=\"" + E(who) + "\"><td>" +
            E(FormatTime(JsonInt(e, "at"))) + "</td><td>" + E(it->second) + "</td><td>" +
            E(JsonStr(e, "action")) + "</td><td>" + E(JsonStr(e, "target_kind")) + " <code>" +
            E(JsonStr(e, "target_id")) + "</code></td><td><code>" +
            E(json::serialize(JsonMember(e, "detail"))) + "</code></td></tr>";
  }
  body += "</tbody></table>";
  if (events && JsonMember(*events, "truncated").is_bool() &&
      JsonMember(*events, "truncated").get_bool()) {
    body += "<p class=\"hint\">" +
            E(c.T({"只检索了最近的事件；请缩小时间范围。",
                   "Only the newest events were searched: narrow the time range."})) +
            "</p>";
  }
  return c.Render(kAudit, body);
}

}  // namespace

void RegisterObservePages(http::Router& router, api::Deps& deps) {
  AddPage(router, deps, Verb::get, "/enterprise/{enterprise_id}/observe", Observe);
  AddPage(router, deps, Verb::get, "/enterprise/{enterprise_id}/audit", Audit);
}

}  // namespace cozeauth::console
