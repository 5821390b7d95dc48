// 迁移空间到团队或企业 (/migrate, personal context): the migration wizard. Choose one of your
// personal account's workspaces and an organization of an enterprise you administer; read the
// pre-flight checklist (the console API's get_checklist_for_workspace_migration: each credential,
// its type, its fate under 手动迁移 (cut) and 一键授权 (grant), its coverage, a link that
// creates the missing enterprise PAT pre-filled, the conversations left behind); choose the
// mode; confirm by typing the workspace's name (checked here too); run (the API's
// workspace/migrate); land on the migration's observation page (observe_pages.cpp).
// The observation and audit pages are registered from here as well.

#include <set>

#include "console/pages/api_json.hpp"
#include "console/pages/observe_pages.hpp"
#include "console/pages/page.hpp"
#include "console/pages/pages.hpp"

namespace cozeauth::console {
namespace {

namespace json = boost::json;
using http::Verb;

constexpr Text kTitle{"迁移空间到团队或企业", "Move a workspace to a team or enterprise"};
constexpr Text kIntro{
    "把个人账号下的工作空间迁移到你管理的企业组织中。迁移前请阅读检查清单：它列出访问该空间的每个"
    "凭证在两种迁移方式下的结果。",
    "Move a workspace of your personal account into an organization of an enterprise you "
    "administer. Read the checklist first: it lists every credential that reaches the workspace "
    "and what each migration mode does to it."};
constexpr Text kStep1{"1. 选择空间和目标组织", "1. Choose the workspace and the target"};
constexpr Text kWorkspace{"工作空间", "Workspace"};
constexpr Text kTarget{"目标组织", "Target organization"};
constexpr Text kShowChecklist{"查看检查清单", "Show the checklist"};
constexpr Text kNoWorkspaces{"你的个人账号下没有可迁移的团队空间。",
                             "Your personal account has no team workspace to move."};
constexpr Text kNoTargets{"你不是任何企业的超级管理员或管理员，无法迁移到企业。",
                          "You are not a super admin or admin of any enterprise: there is "
                          "nowhere to move a workspace to."};
constexpr Text kStep2{"2. 检查清单", "2. The checklist"};
constexpr Text kCredential{"凭证", "Credential"};
constexpr Text kType{"类型", "Type"};
constexpr Text kOwner{"所有者", "Owner"};
constexpr Text kAfterCut{"手动迁移后", "After 手动迁移 (cut)"};
constexpr Text kAfterGrant{"一键授权后", "After 一键授权 (grant)"};
constexpr Text kCoverage{"企业凭证覆盖", "Enterprise coverage"};
constexpr Text kCovered{"已覆盖", "Covered"};
constexpr Text kNotCovered{"未覆盖", "Not covered"};
constexpr Text kCreatePat{"创建缺少的企业令牌", "Create the missing enterprise PAT"};
constexpr Text kNoCredentials{"没有凭证访问此空间。", "No credential reaches this workspace."};
constexpr Text kLeftBehind{"留在个人账号的资源", "Left in your personal account"};
constexpr Text kConversations{"会话数", "Conversations"};
constexpr Text kLeftNote{
    "会话和文件留在个人账号中；企业凭证只有在「个人账号资源授权」后才能访问它们。",
    "Conversations and files stay in the personal account; enterprise credentials reach them "
    "only once granted on the Personal account resource authorization page."};
constexpr Text kMoving{"随空间迁移的资源", "Moving with the workspace"};
constexpr Text kBots{"智能体", "Bots"};
constexpr Text kWorkflows{"工作流", "Workflows"};
constexpr Text kAppProjects{"应用", "Apps"};
constexpr Text kStep3{"3. 选择迁移方式并确认", "3. Choose the mode and confirm"};
constexpr Text kMode{"迁移方式", "Mode"};
constexpr Text kCut{"手动迁移（cut）：个人凭证立即失去对该空间的访问，请先创建企业凭证。",
                    "手动迁移 (cut): personal credentials lose the workspace at once; create the "
                    "enterprise credentials first."};
constexpr Text kGrant{
    "一键授权（grant）：个人 PAT 和 AppAuth 应用继续访问该空间。",
    "一键授权 (grant): personal PATs and AppAuth apps keep reaching the workspace."};
constexpr Text kGrantImpossible{"（此空间没有可授权的凭证，无法使用一键授权）",
                                "(nothing to grant here: grant is not possible)"};
constexpr Text kConfirm{"输入空间名称以确认", "Type the workspace's name to confirm"};
constexpr Text kRun{"迁移", "Move the workspace"};
constexpr Text kMismatch{"输入的名称与空间名称不一致，未迁移任何内容。",
                         "The name typed does not match the workspace's name. Nothing was moved."};
constexpr Text kPickBoth{"请选择空间和目标组织。", "Choose a workspace and a target organization."};
constexpr Text kRefused{"迁移未完成：", "Not moved: "};

std::string E(std::string_view s) { return Escape(s); }

// Escaped, with a line-break opportunity after each '/' and '_' (paths and ids in the plan's
// sentences would otherwise widen the table past the page).
std::string Wrappable(std::string_view s) {
  std::string out;
  for (char ch : s) {
    out += Escape(std::string_view(&ch, 1));
    if (ch == '/' || ch == '_') out += "<wbr>";
  }
  return out;
}

// The workspaces the user may move: team workspaces of their personal account that they own.
Result<std::vector<domain::Workspace>> MovableWorkspaces(PageCall& c) {
  auto all = c.deps.store.ListWorkspacesOfAccount(c.user.id);
  if (!all) return all.error();
  std::vector<domain::Workspace> out;
  for (auto& w : *all) {
    if (w.type == domain::WorkspaceType::kTeam && w.owner_user_id == c.user.id) {
      out.push_back(std::move(w));
    }
  }
  return out;
}

struct Target {
  const EnterpriseContext* enterprise;
  const domain::Account* organization;
};

// Organizations of the enterprises the user administers.
std::vector<Target> Targets(PageCall& c) {
  std::vector<Target> out;
  auto list = c.Enterprises();
  if (!list) return out;
  for (const auto& e : **list) {
    if (!e.IsAdmin()) continue;
    for (const auto& org : e.organizations) out.push_back({&e, &org});
  }
  return out;
}

std::string_view TypeLabel(const PageCall& c, std::string_view type) {
  if (type == "PersonalAccessToken") return c.T({"个人访问令牌", "Personal access token"});
  if (type == "ServiceAccessToken") return c.T({"服务访问令牌", "Service access token"});
  if (type == "AppAuth") return c.T({"OAuth 应用（AppAuth）", "OAuth app (AppAuth)"});
  return c.T({"OAuth 应用（OBO）", "OAuth app (OBO)"});
}

std::string Choose(PageCall& c, const std::vector<domain::Workspace>& workspaces,
                   const std::vector<Target>& targets, const std::string& ws_id,
                   const std::string& org_id) {
  std::string out = "<h2>" + E(c.T(kStep1)) + "</h2>";
  if (workspaces.empty()) return out + "<p class=\"muted\">" + E(c.T(kNoWorkspaces)) + "</p>";
  if (targets.empty()) return out + "<p class=\"muted\">" + E(c.T(kNoTargets)) + "</p>";
  out += "<form method=\"get\" action=\"/migrate\" id=\"choose-form\">";
  out += "<label for=\"workspace_id\">" + E(c.T(kWorkspace)) +
         "</label><select id=\"workspace_id\" name=\"workspace_id\" required>";
  for (const auto& w : workspaces) {
    out += "<option value=\"" + E(w.id) + "\"" + (w.id == ws_id ? " selected" : "") + ">" +
           E(w.name) + " (" + E(w.id) + ")</option>";
  }
  out += "</select><label for=\"organization_id\">" + E(c.T(kTarget)) +
         "</label><select id=\"organization_id\" name=\"organization_id\" required>";
  for (const auto& t : targets) {
    out += "<option value=\"" + E(t.organization->id) + "\"" +
           (t.organization->id == org_id ? " selected" : "") + ">" +
           E(t.enterprise->enterprise.name) + " › " + E(t.organization->name) + "</option>";
  }
  out += "</select><div><button type=\"submit\" id=\"show-checklist\">" + E(c.T(kShowChecklist)) +
         "</button></div></form>";
  return out;
}

// The token page of `enterprise_id` (token_pages.cpp), its create form pre-filled: the target
// organization, the points the uncovered credential holds, all workspaces.
std::string CreatePatLink(const PageCall& c, const std::string& enterprise_id,
                          const std::string& org_id, const std::string& workspace_name,
                          const json::value& item) {
  std::string href =
      "/enterprise/" + http::PercentEncode(enterprise_id) +
      "/open/oauth/pats?name=" + http::PercentEncode(workspace_name + " (migrated)") +
      "&organization_id=" + http::PercentEncode(org_id);
  if (const json::value* points = item.as_object().if_contains("points");
      points && points->is_array()) {
    for (const auto& p : points->as_array()) {
      if (p.is_string()) href += "&workspace_permission=" + http::PercentEncode(p.get_string());
    }
  }
  href += "&all_workspaces=1";
  return "<a class=\"button secondary\" data-create-pat=\"" + E(JsonStr(item, "id")) +
         "\" href=\"" + E(href) + "\">" + E(c.T(kCreatePat)) + "</a>";
}

std::string ChecklistSection(PageCall& c, const json::value& data, const std::string& org_id,
                             const std::string& enterprise_id, const domain::Workspace& ws) {
  const json::value* plans = data.as_object().if_contains("plans");
  const json::value plan =
      plans && plans->is_array() && !plans->as_array().empty() ? plans->as_array()[0] : nullptr;
  std::string out = "<h2>" + E(c.T(kStep2)) + "</h2>";
  const json::value* list = data.as_object().if_contains("checklist");
  if (!list || !list->is_array() || list->as_array().empty()) {
    out += "<p class=\"muted\" id=\"checklist-empty\">" + E(c.T(kNoCredentials)) + "</p>";
  } else {
    out += "<table id=\"checklist\"><thead><tr>";
    for (const Text* h : {&kCredential, &kType, &kOwner, &kAfterCut, &kAfterGrant, &kCoverage}) {
      out += "<th scope=\"col\">" + E(c.T(*h)) + "</th>";
    }
    out += "</tr></thead><tbody>";
    for (const auto& item : list->as_array()) {
      const bool covered = JsonBool(item, "covered");
      const json::value* info = item.as_object().if_contains("user_info");
      out += "<tr data-credential-id=\"" + E(JsonStr(item, "id")) + "\" data-type=\"" +
             E(JsonStr(item, "checklist_item_type")) + "\" data-covered=\"" +
             (covered ? "true" : "false") + "\"><td>" + E(JsonStr(item, "name")) + " <code>" +
             E(JsonStr(item, "id")) + "</code></td><td>" +
             E(TypeLabel(c, JsonStr(item, "checklist_item_type"))) + "</td><td>" +
             (info ? E(JsonStr(*info, "name")) : std::string()) + "</td><td>" +
             Wrappable(JsonStr(item, "after_cut")) + "</td><td>" +
             Wrappable(JsonStr(item, "after_grant")) + "</td><td><span class=\"" +
             (covered ? "ok" : "error") + "\">" + E(c.T(covered ? kCovered : kNotCovered)) +
             "</span><br><span class=\"hint\">" + Wrappable(JsonStr(item, "coverage")) + "</span>";
      if (!covered) out += "<br>" + CreatePatLink(c, enterprise_id, org_id, ws.name, item);
      out += "</td></tr>";
    }
    out += "</tbody></table>";
  }
  if (plan.is_object()) {
    const json::value* account = plan.as_object().if_contains("account_resources");
    const json::value* moving = plan.as_object().if_contains("workspace_resources");
    out += "<h3>" + E(c.T(kLeftBehind)) + "</h3><dl class=\"facts\"><dt>" + E(c.T(kConversations)) +
           "</dt><dd id=\"conversations-left\">" +
           std::to_string(account ? JsonInt(*account, "conversations") : 0) +
           "</dd></dl><p class=\"hint\">" + E(c.T(kLeftNote)) + " <a href=\"/enterprise/" +
           E(http::PercentEncode(enterprise_id)) + "/personal-resources\">" +
           E(c.T({"个人账号资源授权", "Personal account resource authorization"})) + "</a></p>";
    if (moving) {
      out += "<h3>" + E(c.T(kMoving)) + "</h3><dl class=\"facts\"><dt>" + E(c.T(kBots)) +
             "</dt><dd>" + std::to_string(JsonInt(*moving, "bots")) + "</dd><dt>" +
             E(c.T(kWorkflows)) + "</dt><dd>" + std::to_string(JsonInt(*moving, "workflows")) +
             "</dd><dt>" + E(c.T(kAppProjects)) + "</dt><dd>" +
             std::to_string(JsonInt(*moving, "app_projects")) + "</dd></dl>";
    }
  }
  const bool grant_possible = plan.is_object() && JsonBool(plan, "grant_possible");
  out += "<h2>" + E(c.T(kStep3)) + "</h2>";
  out += "<form method=\"post\" action=\"/migrate\" id=\"migrate-form\">" + c.CsrfInput() +
         "<input type=\"hidden\" name=\"workspace_id\" value=\"" + E(ws.id) +
         "\"><input type=\"hidden\" name=\"organization_id\" value=\"" + E(org_id) +
         "\"><fieldset><legend>" + E(c.T(kMode)) + "</legend>";
  out +=
      "<label class=\"choice\" for=\"mode-cut\"><input type=\"radio\" name=\"mode\" "
      "id=\"mode-cut\" value=\"cut\" checked> " +
      E(c.T(kCut)) + "</label>";
  out +=
      "<label class=\"choice\" for=\"mode-grant\"><input type=\"radio\" name=\"mode\" "
      "id=\"mode-grant\" value=\"grant\"" +
      std::string(grant_possible ? "" : " disabled") + "> " + E(c.T(kGrant)) +
      (grant_possible ? "" : " " + E(c.T(kGrantImpossible))) + "</label></fieldset>";
  out += "<label for=\"confirm_name\">" + E(c.T(kConfirm)) + " <code>" + E(ws.name) +
         "</code></label><input type=\"text\" id=\"confirm_name\" name=\"confirm_name\" "
         "autocomplete=\"off\" required data-must-match=\"" +
         E(ws.name) + "\"><div><button type=\"submit\" class=\"danger\" id=\"run-migration\">" +
         E(c.T(kRun)) + "</button></div></form>";
  return out;
}

// The wizard for (ws_id, org_id) as chosen; `error` re-shows it after a refused run.
http::Response Wizard(PageCall& c, const std::string& ws_id, const std::string& org_id,
                      const std::string& error = {}, unsigned status = 200) {
  auto workspaces = MovableWorkspaces(c);
  if (!workspaces) return c.Failure(kTitle, workspaces.error());
  const std::vector<Target> targets = Targets(c);
  std::string body = "<h1>" + E(c.T(kTitle)) + "</h1>";
  if (!error.empty()) body += ErrorLine(error);
  body += "<p>" + E(c.T(kIntro)) + "</p>";
  body += Choose(c, *workspaces, targets, ws_id, org_id);
  if (!ws_id.empty() && !org_id.empty()) {
    const domain::Workspace* ws = nullptr;
    for (const auto& w : *workspaces) {
      if (w.id == ws_id) ws = &w;
    }
    const Target* target = nullptr;
    for (const auto& t : targets) {
      if (t.organization->id == org_id) target = &t;
    }
    if (ws == nullptr || target == nullptr) {
      body += ErrorLine(std::string(c.T(kRefused)) +
                        std::string(c.T({"空间或目标组织不可选。",
                                         "that workspace or organization cannot be chosen."})));
      return c.Render(kTitle, body, status == 200 ? 404 : status);
    }
    auto data = c.Api(Verb::post, "/api/permission_api/app/get_checklist_for_workspace_migration",
                      json::object{{"workspace_id_list", json::array{json::value(ws_id)}},
                                   {"organization_id", org_id}});
    if (!data) {
      body += ErrorLine(std::string(c.T(kRefused)) + data.error().message);
    } else {
      body += ChecklistSection(c, *data, org_id, target->enterprise->enterprise.id, *ws);
    }
  }
  return c.Render(kTitle, body, status);
}

http::Response Show(PageCall& c) {
  return Wizard(c, c.req.Query("workspace_id").value_or(""),
                c.req.Query("organization_id").value_or(""));
}

http::Response Run(PageCall& c) {
  const std::string ws_id = c.form.Get("workspace_id");
  const std::string org_id = c.form.Get("organization_id");
  if (ws_id.empty() || org_id.empty())
    return Wizard(c, ws_id, org_id, std::string(c.T(kPickBoth)), 400);
  // The typed name must be the workspace's (the page's script checks it too, before posting).
  auto ws = c.deps.store.GetWorkspace(ws_id);
  if (!ws || ws->owner_user_id != c.user.id || c.form.Get("confirm_name") != ws->name) {
    return Wizard(c, ws_id, org_id, std::string(c.T(kMismatch)), 400);
  }
  auto done = c.Api(
      Verb::post, "/api/permission_api/workspace/migrate",
      json::object{
          {"workspace_id", ws_id}, {"organization_id", org_id}, {"mode", c.form.Get("mode")}});
  if (!done) {
    if (done.error().code == Errc::kInternal) return c.Failure(kTitle, done.error());
    return Wizard(c, ws_id, org_id, std::string(c.T(kRefused)) + done.error().message, 400);
  }
  const json::value* m = done->is_object() ? done->as_object().if_contains("migration") : nullptr;
  if (m == nullptr) return c.Failure(kTitle, Error::Make(Errc::kInternal, "migrate: no migration"));
  return c.SeeOther("/enterprise/" + http::PercentEncode(JsonStr(*m, "enterprise_id")) +
                        "/observe?migration_id=" + http::PercentEncode(JsonStr(*m, "id")),
                    "migrated");
}

}  // namespace

void RegisterMigrationPages(http::Router& router, api::Deps& deps) {
  AddPage(router, deps, Verb::get, "/migrate", Show);
  AddPage(router, deps, Verb::post, "/migrate", Run);
  RegisterObservePages(router, deps);
}

}  // namespace cozeauth::console
