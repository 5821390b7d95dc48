// 个人访问令牌 (personal access tokens) and 服务身份及凭证 (service identities), over the console
// token API (console/token_routes.cpp): every read and write is a c.Api(…) call of that API's
// own handler, so its rules (names, lifetimes, points and levels, workspaces, who may manage a
// token, who may hold service identities) are applied once, there.
//
//   GET  /open/oauth/pats                                    personal PATs: the table
//   GET  /open/oauth/pats/new                                创建访问令牌 (pre-filled, see below)
//   POST /open/oauth/pats/new                                create: the token shown once, in
//                                                            this response (never in a URL)
//   GET  /open/oauth/pats/{token_id}/edit                    edit name and scope
//   POST /open/oauth/pats/{token_id}/edit                    update, 303 back to the table
//   POST /open/oauth/pats/{token_id}/delete                  revoke (删除, data-confirm)
//   the same under /enterprise/{enterprise_id}/open/oauth/pats — a PAT of one of the
//   enterprise's organizations (?organization_id=, the default organization when absent);
//   the same under /enterprise/{enterprise_id}/open/oauth/service-identities for service
//   identities, which only an organization's super_admin and admin hold: every service
//   identity page first asks the API's list route for that organization, which refuses others.
//
// Pre-filling the create form (GET …/new, or the table's own path, which redirects there): the
// query parameters are the form's own field names, so another page can link to a filled form,
// e.g. the migration checklist's "create the missing enterprise PAT":
//   name=…                        the token's name
//   organization_id=…             enterprise pages: the organization (default organization)
//   duration_day=1|30|…|permanent|customize, expire_date=YYYY-MM-DD (with customize)
//   account_permission=a,b        account-level points (comma-separated or repeated)
//   workspace_permission=chat     workspace-level points (comma-separated or repeated)
//   enterprise_permission=…       enterprise-level points (comma-separated or repeated)
//                                 (a point named under another level's parameter is checked in
//                                 its own level's group, as the catalogue levels it)
//   all_workspaces=1              访问空间: all workspaces, present and future (0: chosen ones)
//   workspace_id=…                a chosen workspace (repeated)
// Unknown points are kept out of the form; nothing is created until the user submits it.

#include <algorithm>
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "console/pages/page.hpp"
#include "console/pages/pages.hpp"
#include "console/pages/points.hpp"
#include "credentials/token.hpp"

namespace cozeauth::console {
namespace {

namespace json = boost::json;
using http::Verb;
using Pairs = std::vector<std::pair<std::string, std::string>>;

// ---------------------------------------------------------------- the two kinds of token

struct Flavor {
  bool sat = false;
  std::string_view suffix;  // under the context
  std::string_view create, list, get, update, del;
  std::string_view object_key;
  std::string_view list_key;
  Text title, create_title, edit_title, created_title, create_button, none;
};

constexpr Flavor kPat{
    false,
    "/open/oauth/pats",
    "/api/permission_api/pat/create_personal_access_token_and_permission",
    "/api/permission_api/pat/list_personal_access_tokens",
    "/api/permission_api/pat/get_personal_access_token_and_permission",
    "/api/permission_api/pat/update_personal_access_token_and_permission",
    "/api/permission_api/pat/delete_personal_access_token_and_permission",
    "personal_access_token",
    "personal_access_tokens",
    {"个人访问令牌", "Personal access tokens"},
    {"创建访问令牌", "Create a personal access token"},
    {"编辑访问令牌", "Edit personal access token"},
    {"访问令牌已创建", "Personal access token created"},
    {"创建访问令牌", "Create token"},
    {"还没有个人访问令牌。", "No personal access tokens yet."},
};

constexpr Flavor kSat{
    true,
    "/open/oauth/service-identities",
    "/api/permission_api/service/create_service_identity",
    "/api/permission_api/service/list_service_identities",
    "/api/permission_api/service/get_service_identity",
    "/api/permission_api/service/update_service_identity",
    "/api/permission_api/service/delete_service_identity",
    "service_identity",
    "service_identities",
    {"服务身份及凭证", "Service identities"},
    {"创建服务身份", "Create a service identity"},
    {"编辑服务身份", "Edit service identity"},
    {"服务访问令牌已创建", "Service access token created"},
    {"创建服务身份", "Create service identity"},
    {"还没有服务身份。", "No service identities yet."},
};

// ---------------------------------------------------------------- strings

constexpr Text kName{"名称", "Name"};
constexpr Text kCreated{"创建时间", "Created"};
constexpr Text kLastUsed{"最近使用", "Last used"};
constexpr Text kExpires{"过期时间", "Expires"};
constexpr Text kStatus{"状态", "Status"};
constexpr Text kScope{"权限范围", "Scope"};
constexpr Text kActions{"操作", "Actions"};
constexpr Text kNever{"从未使用", "Never"};
constexpr Text kPermanent{"永久有效", "Never expires"};
constexpr Text kActive{"有效", "Active"};
constexpr Text kExpired{"已过期", "Expired"};
constexpr Text kEdit{"编辑", "Edit"};
constexpr Text kDelete{"删除", "Delete"};
constexpr Text kSave{"保存", "Save"};
constexpr Text kCancel{"取消", "Cancel"};
constexpr Text kOrganization{"组织", "Organization"};
constexpr Text kSwitchOrg{"切换组织", "Show organization"};
constexpr Text kDefaultOrg{"默认组织", "default organization"};
constexpr Text kExpiry{"有效期", "Expiry"};
constexpr Text kDuration{"有效时长", "Valid for"};
constexpr Text kCustomDate{"自定义过期日期（选择「自定义」时）",
                           "Custom expiry date (with \"Custom\")"};
constexpr Text kCustom{"自定义", "Custom"};
constexpr Text kPermissions{"权限", "Permissions"};
constexpr Text kWorkspaces{"访问空间", "Workspaces"};
constexpr Text kAllWorkspaces{"所有工作空间（包括未来创建的工作空间）",
                              "All workspaces (present and future)"};
constexpr Text kChosenWorkspaces{"指定工作空间", "Chosen workspaces"};
constexpr Text kNoWorkspaces{"此账号下还没有你可选择的工作空间。",
                             "This account has no workspace you can choose yet."};
constexpr Text kAccountLevel{"账号级权限", "Account-level permissions"};
constexpr Text kWorkspaceLevel{"工作空间级权限", "Workspace-level permissions"};
constexpr Text kEnterpriseLevel{"企业级权限", "Enterprise-level permissions"};
constexpr Text kAccountShort{"账号", "Account"};
constexpr Text kWorkspaceShort{"工作空间", "Workspace"};
constexpr Text kEnterpriseShort{"企业", "Enterprise"};
constexpr Text kShownOnce{
    "请立即复制并妥善保存此令牌：它只显示这一次，离开此页面后将无法再次查看。",
    "Copy this token now and keep it safe: it is shown only once and cannot be seen again "
    "after you leave this page."};
constexpr Text kNewToken{"令牌", "Token"};
constexpr Text kBack{"返回列表", "Back to the list"};
constexpr Text kUpdated{"已保存。", "Saved."};
constexpr Text kDeleted{"已删除。", "Deleted."};
constexpr Text kConfirmDelete{"确定删除「%」吗？使用它的请求将立即被拒绝，此操作无法撤销。",
                              "Delete \"%\"? Requests using it are refused at once; this cannot "
                              "be undone."};
constexpr Text kNoOrg{"找不到该组织，或它不属于此企业。",
                      "No such organization in this enterprise."};
constexpr Text kOtherPlace{"该令牌不属于当前空间。", "That token does not belong to this context."};
constexpr Text kNotDone{"操作未完成：", "Not done: "};
constexpr Text kPatExpiryFixed{"个人访问令牌的有效期在创建后不能修改。",
                               "A personal access token's expiry cannot be changed."};
constexpr Text kSatHint{"服务访问令牌（sat_）代表组织本身调用 API，不代表任何个人。",
                        "A service access token (sat_) calls the API as the organization itself, "
                        "not as a person."};

struct GroupLabel {
  std::string_view group;
  Text label;
};
constexpr GroupLabel kGroups[] = {
    {"bot", {"Bot 管理", "Bots"}},         {"workspace", {"工作空间", "Workspaces"}},
    {"workflow", {"工作流", "Workflows"}}, {"app", {"应用", "Apps"}},
    {"chat", {"对话", "Chats"}},           {"conversation", {"会话", "Conversations"}},
    {"message", {"消息", "Messages"}},     {"file", {"文件", "Files"}},
    {"audio", {"音频", "Audio"}},          {"variable", {"变量", "Variables"}},
    {"connector", {"渠道", "Channels"}},   {"enterprise", {"企业管理", "Enterprise"}},
};

std::string Tx(const PageCall& c, const Text& t) { return Escape(c.T(t)); }

// ---------------------------------------------------------------- small helpers

std::string PathParam(const PageCall& c, std::string_view key) {
  for (const auto& [k, v] : c.req.path_params) {
    if (k == key) return v;
  }
  return {};
}

std::string Get(const Pairs& p, std::string_view key) {
  for (const auto& [k, v] : p) {
    if (k == key) return v;
  }
  return {};
}

bool Has(const Pairs& p, std::string_view key) {
  return std::any_of(p.begin(), p.end(), [&](const auto& kv) { return kv.first == key; });
}

// Every value of `key`, repeated or comma-separated, trimmed, without empties and repeats.
std::vector<std::string> Values(const Pairs& p, std::string_view key) {
  std::vector<std::string> out;
  for (const auto& [k, v] : p) {
    if (k != key) continue;
    size_t start = 0;
    while (start <= v.size()) {
      size_t end = v.find(',', start);
      if (end == std::string::npos) end = v.size();
      std::string item = v.substr(start, end - start);
      item.erase(0, item.find_first_not_of(" \t"));
      item.erase(item.find_last_not_of(" \t") + 1);
      if (!item.empty() && std::find(out.begin(), out.end(), item) == out.end()) {
        out.push_back(std::move(item));
      }
      start = end + 1;
    }
  }
  return out;
}

bool Contains(const std::vector<std::string>& v, std::string_view x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::string Str(const json::value* v) {
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}
int64_t Int(const json::value* v, int64_t def = -1) {
  return v && v->is_int64() ? v->get_int64() : def;
}
const json::value* At(const json::value& v, std::string_view key) {
  return v.is_object() ? v.get_object().if_contains(key) : nullptr;
}
std::vector<std::string> StrList(const json::value* v) {
  std::vector<std::string> out;
  if (v && v->is_array()) {
    for (const auto& x : v->get_array()) {
      if (x.is_string()) out.emplace_back(x.get_string());
    }
  }
  return out;
}
json::array JsonList(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

// "YYYY-MM-DD" → the last second of that day in UTC; -1 if it is not such a date.
int64_t EndOfDayUtc(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return -1;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return -1;
  }
  int y = std::stoi(s.substr(0, 4));
  const unsigned m = static_cast<unsigned>(std::stoi(s.substr(5, 2)));
  const unsigned d = static_cast<unsigned>(std::stoi(s.substr(8, 2)));
  if (m < 1 || m > 12 || d < 1 || d > 31) return -1;
  // days_from_civil (H. Hinnant).
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const int64_t days = int64_t{era} * 146097 + int64_t{doe} - 719468;
  return days * 86400 + 86399;
}

std::string Replace(std::string_view pattern, std::string_view value) {
  std::string out(pattern);
  if (auto at = out.find('%'); at != std::string::npos) out.replace(at, 1, value);
  return out;
}

// The error's status on a re-shown form.
unsigned FormStatus(const Error& e) {
  switch (e.code) {
    case Errc::kPermissionDenied:
      return 403;
    case Errc::kAlreadyExists:
      return 409;
    case Errc::kNotFound:
      return 404;
    default:
      return 400;
  }
}

// ---------------------------------------------------------------- the context

// Where the page acts: the personal account, or one organization of the current enterprise.
struct Place {
  const EnterpriseContext* ent = nullptr;
  std::string account_id;  // the user's id (personal account) or the organization's account id
  bool org_admin = false;  // the user administers that organization
};

Result<Place> ResolvePlace(PageCall& c, const std::string& wanted_org) {
  auto cur = c.CurrentEnterprise();
  if (!cur) return cur.error();
  Place p;
  p.ent = *cur;
  if (!p.ent) {
    p.account_id = c.user.id;
    return p;
  }
  for (const auto& org : p.ent->organizations) {
    if (wanted_org.empty() || org.id == wanted_org) {
      p.account_id = org.id;
      break;
    }
  }
  if (p.account_id.empty()) return Error::Make(Errc::kNotFound, std::string(c.T(kNoOrg)));
  auto role = c.deps.store.GetOrgRole(p.account_id, c.user.id);
  if (!role) return role.error();
  p.org_admin = role.value() && domain::IsAdmin(*role.value());
  return p;
}

// The list route for this place (newest first). For service identities this is also the
// API's check that the user administers the organization.
Result<json::value> ListTokens(PageCall& c, const Flavor& f, const Place& p) {
  return c.Api(Verb::get, std::string(f.list) +
                              "?size=100&organization_id=" + http::PercentEncode(p.account_id));
}

// The workspaces of the place the user may choose: all of a personal account's, all of an
// organization the user administers, else those the user is a member of (what admin:: accepts).
Result<std::vector<domain::Workspace>> ChoosableWorkspaces(PageCall& c, const Place& p) {
  auto all = c.deps.store.ListWorkspacesOfAccount(p.account_id);
  if (!all) return all.error();
  if (!p.ent || p.org_admin) return std::move(all.value());
  std::vector<domain::Workspace> out;
  for (auto& w : all.value()) {
    auto role = c.deps.store.GetWorkspaceRole(w.id, c.user.id);
    if (!role) return role.error();
    if (role.value()) out.push_back(std::move(w));
  }
  return out;
}

std::string ListPath(const PageCall& c, const Flavor& f, const Place& p) {
  std::string path = c.Link(f.suffix);
  if (p.ent && p.ent->organizations.size() > 1) {
    path += "?organization_id=" + http::PercentEncode(p.account_id);
  }
  return path;
}

// ---------------------------------------------------------------- the catalogue

struct Point {
  std::string name, level, group, description;
};

Result<std::vector<Point>> LoadCatalogue(PageCall& c) {
  auto data =
      c.Api(Verb::get, "/api/permission_api/pat/list_personal_access_token_support_permissions");
  if (!data) return data.error();
  std::vector<Point> out;
  if (const json::value* list = At(*data, "permission_list"); list && list->is_array()) {
    for (const auto& p : list->get_array()) {
      out.push_back(Point{Str(At(p, "name")), Str(At(p, "level")), Str(At(p, "group")),
                          Str(At(p, "description"))});
    }
  }
  return out;
}

std::string GroupName(const PageCall& c, const std::string& group) {
  for (const auto& g : kGroups) {
    if (g.group == group) return std::string(c.T(g.label));
  }
  return group;
}

// ---------------------------------------------------------------- the form

struct TokenForm {
  std::string name;
  std::string organization_id;
  std::string duration = "30";
  std::string expire_date;
  std::vector<std::string> account, workspace, enterprise, workspace_ids;
  bool all_workspaces = false;
};

TokenForm ReadForm(const Pairs& p) {
  TokenForm f;
  f.name = Get(p, "name");
  f.organization_id = Get(p, "organization_id");
  if (Has(p, "duration_day")) f.duration = Get(p, "duration_day");
  f.expire_date = Get(p, "expire_date");
  f.account = Values(p, "account_permission");
  f.workspace = Values(p, "workspace_permission");
  f.enterprise = Values(p, "enterprise_permission");
  f.workspace_ids = Values(p, "workspace_id");
  f.all_workspaces = Get(p, "all_workspaces") == "1";
  return f;
}

// The form filled from a token as the get route answers it.
TokenForm FormOfToken(const Flavor& f, const json::value& data) {
  TokenForm t;
  const json::value* summary = At(data, f.object_key);
  t.name = summary ? Str(At(*summary, "name")) : "";
  t.organization_id = summary ? Str(At(*summary, "organization_id")) : "";
  const json::value* blocks = f.sat ? At(data, "permission") : &data;
  if (!blocks) return t;
  if (const json::value* a = At(*blocks, "account_permission")) {
    t.account = StrList(At(*a, "permission_list"));
  }
  if (const json::value* w = At(*blocks, "workspace_permission")) {
    t.workspace = StrList(At(*w, "permission_list"));
    t.workspace_ids = StrList(At(*w, "workspace_id_list"));
    t.all_workspaces = Int(At(*w, "option"), 1) == 2;
  }
  if (const json::value* e = At(*blocks, "enterprise_permission")) {
    t.enterprise = StrList(At(*e, "permission_list"));
  }
  return t;
}

// The permission blocks of a create or update body, as the API reads them.
json::object Blocks(const TokenForm& t) {
  return json::object{
      {"account_permission", json::object{{"permission_list", JsonList(t.account)}}},
      {"workspace_permission",
       json::object{{"option", t.all_workspaces ? 2 : 1},
                    {"workspace_id_list",
                     JsonList(t.all_workspaces ? std::vector<std::string>{} : t.workspace_ids)},
                    {"permission_list", JsonList(t.workspace)}}},
      {"enterprise_permission", json::object{{"permission_list", JsonList(t.enterprise)}}},
  };
}

void PutBlocks(const Flavor& f, const TokenForm& t, json::object& body) {
  json::object blocks = Blocks(t);
  if (f.sat) {
    body["permission"] = std::move(blocks);
  } else {
    for (auto& kv : blocks) body[kv.key()] = std::move(kv.value());
  }
}

struct FormView {
  const Flavor* flavor = nullptr;
  const Place* place = nullptr;
  const std::vector<Point>* catalogue = nullptr;
  const std::vector<domain::Workspace>* workspaces = nullptr;
  bool create = true;
  std::string action;
  std::string error;  // the API's refusal, when re-shown
};

std::string Checkbox(const std::string& id, const std::string& name, const std::string& value,
                     bool checked, const std::string& label_html) {
  return "<label class=\"choice\" for=\"" + Escape(id) + "\"><input type=\"checkbox\" id=\"" +
         Escape(id) + "\" name=\"" + Escape(name) + "\" value=\"" + Escape(value) + "\"" +
         (checked ? " checked" : "") + "> " + label_html + "</label>";
}

std::string LevelFieldset(const PageCall& c, const std::vector<Point>& catalogue,
                          std::string_view level, const Text& legend, const std::string& field,
                          const std::vector<std::string>& chosen) {
  std::string out =
      "<fieldset id=\"points-" + std::string(level) + "\"><legend>" + Tx(c, legend) + "</legend>";
  std::string group;
  for (const auto& p : catalogue) {
    if (p.level != level) continue;
    if (p.group != group) {
      group = p.group;
      out += "<p class=\"hint\"><strong>" + Escape(GroupName(c, group)) + "</strong></p>";
    }
    out +=
        Checkbox("p-" + std::string(level) + "-" + p.name, field, p.name, Contains(chosen, p.name),
                 "<code>" + Escape(p.name) + "</code> " +
                     Escape(PointDescription(c.lang, p.name, p.description)));
  }
  return out + "</fieldset>";
}

std::string ExpiryFieldset(const PageCall& c, const Flavor& f, const TokenForm& t) {
  std::vector<std::pair<std::string, std::string>> options;
  for (int days : {1, 7, 30, 90, 180, 365}) {
    if (!f.sat && days > credentials::kPatMaxDays) continue;  // what a PAT may live
    options.emplace_back(std::to_string(days),
                         std::to_string(days) + (c.lang == Lang::kZh ? " 天" : " days"));
  }
  if (f.sat) options.emplace_back("permanent", std::string(c.T(kPermanent)));
  options.emplace_back("customize", std::string(c.T(kCustom)));
  std::string out = "<fieldset id=\"expiry\"><legend>" + Tx(c, kExpiry) +
                    "</legend><label for=\"duration\">" + Tx(c, kDuration) +
                    "</label><select id=\"duration\" name=\"duration_day\">";
  for (const auto& [value, label] : options) {
    out += "<option value=\"" + Escape(value) + "\"" + (value == t.duration ? " selected" : "") +
           ">" + Escape(label) + "</option>";
  }
  out += "</select><label for=\"expire-date\">" + Tx(c, kCustomDate) +
         "</label><input type=\"date\" id=\"expire-date\" name=\"expire_date\" value=\"" +
         Escape(t.expire_date) + "\"></fieldset>";
  return out;
}

std::string WorkspaceFieldset(const PageCall& c, const TokenForm& t,
                              const std::vector<domain::Workspace>& workspaces) {
  auto radio = [&](const std::string& id, const std::string& value, bool checked, const Text& l) {
    return "<label class=\"choice\" for=\"" + id + "\"><input type=\"radio\" id=\"" + id +
           "\" name=\"all_workspaces\" value=\"" + value + "\"" + (checked ? " checked" : "") +
           "> " + Tx(c, l) + "</label>";
  };
  std::string out = "<fieldset id=\"workspaces\"><legend>" + Tx(c, kWorkspaces) + "</legend>";
  out += radio("ws-all", "1", t.all_workspaces, kAllWorkspaces);
  out += radio("ws-chosen", "0", !t.all_workspaces, kChosenWorkspaces);
  if (workspaces.empty()) {
    out += "<p class=\"hint\">" + Tx(c, kNoWorkspaces) + "</p>";
  }
  for (const auto& w : workspaces) {
    out += Checkbox("ws-" + w.id, "workspace_id", w.id, Contains(t.workspace_ids, w.id),
                    Escape(w.name) + " <span class=\"muted\">(" + Escape(w.id) + ")</span>");
  }
  return out + "</fieldset>";
}

std::string FormHtml(const PageCall& c, const FormView& v, const TokenForm& t) {
  const Flavor& f = *v.flavor;
  const Place& p = *v.place;
  std::string out;
  if (!v.error.empty()) out += ErrorLine(std::string(c.T(kNotDone)) + v.error);
  if (f.sat) out += "<p class=\"hint\">" + Tx(c, kSatHint) + "</p>";
  out += "<form method=\"post\" action=\"" + Escape(v.action) + "\" id=\"token-form\">" +
         c.CsrfInput();
  if (v.create && p.ent) {
    if (p.ent->organizations.size() > 1) {
      out += "<label for=\"organization\">" + Tx(c, kOrganization) +
             "</label><select id=\"organization\" name=\"organization_id\">";
      for (const auto& org : p.ent->organizations) {
        out += "<option value=\"" + Escape(org.id) + "\"" +
               (org.id == p.account_id ? " selected" : "") + ">" + Escape(org.name) +
               (org.id == p.ent->enterprise.default_org_account_id
                    ? " (" + std::string(c.T(kDefaultOrg)) + ")"
                    : std::string()) +
               "</option>";
      }
      out += "</select>";
    } else {
      out +=
          "<input type=\"hidden\" name=\"organization_id\" value=\"" + Escape(p.account_id) + "\">";
    }
  }
  out += "<label for=\"token-name\">" + Tx(c, kName) +
         "</label><input type=\"text\" id=\"token-name\" name=\"name\" maxlength=\"100\" "
         "required value=\"" +
         Escape(t.name) + "\">";
  if (v.create) {
    out += ExpiryFieldset(c, f, t);
  } else if (!f.sat) {
    out += "<p class=\"hint\">" + Tx(c, kPatExpiryFixed) + "</p>";
  }
  // A point is checked in its own level's group whichever parameter named it, so that a link
  // listing every point under one parameter (the migration checklist's) fills the form right.
  std::vector<std::string> chosen = t.account;
  chosen.insert(chosen.end(), t.workspace.begin(), t.workspace.end());
  chosen.insert(chosen.end(), t.enterprise.begin(), t.enterprise.end());
  out += "<fieldset id=\"permissions\"><legend>" + Tx(c, kPermissions) + "</legend>";
  out += LevelFieldset(c, *v.catalogue, "account", kAccountLevel, "account_permission", chosen);
  out +=
      LevelFieldset(c, *v.catalogue, "workspace", kWorkspaceLevel, "workspace_permission", chosen);
  // Enterprise-level points need an organization and its administrator (the API says so too).
  if (p.ent && (p.org_admin || !t.enterprise.empty())) {
    out += LevelFieldset(c, *v.catalogue, "enterprise", kEnterpriseLevel, "enterprise_permission",
                         chosen);
  }
  out += "</fieldset>";
  out += WorkspaceFieldset(c, t, *v.workspaces);
  out += "<button type=\"submit\" id=\"token-submit\">" +
         Tx(c, v.create ? f.create_button : kSave) + "</button><a class=\"button secondary\" " +
         "href=\"" + Escape(ListPath(c, f, p)) + "\">" + Tx(c, kCancel) + "</a></form>";
  return out;
}

http::Response RenderForm(PageCall& c, const Flavor& f, const Place& p, const TokenForm& t,
                          bool create, std::string action, std::string error = {},
                          unsigned status = 200) {
  const Text& title = create ? f.create_title : f.edit_title;
  auto catalogue = LoadCatalogue(c);
  if (!catalogue) return c.Failure(title, catalogue.error());
  auto workspaces = ChoosableWorkspaces(c, p);
  if (!workspaces) return c.Failure(title, workspaces.error());
  FormView v{&f, &p, &*catalogue, &*workspaces, create, std::move(action), std::move(error)};
  return c.Render(title, "<h1>" + Tx(c, title) + "</h1>" + FormHtml(c, v, t), status);
}

// ---------------------------------------------------------------- the table

std::string ScopeHtml(const PageCall& c, const TokenForm& t,
                      const std::vector<domain::Workspace>& workspaces) {
  auto points = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& p : v) out += (out.empty() ? "" : ", ") + ("<code>" + Escape(p) + "</code>");
    return out;
  };
  std::string out;
  auto line = [&](const Text& label, const std::string& html) {
    if (!out.empty()) out += "<br>";
    out += "<span class=\"muted\">" + Tx(c, label) + "：</span>" + html;
  };
  if (!t.account.empty()) line(kAccountShort, points(t.account));
  if (!t.workspace.empty()) line(kWorkspaceShort, points(t.workspace));
  if (!t.enterprise.empty()) line(kEnterpriseShort, points(t.enterprise));
  std::string where;
  if (t.all_workspaces) {
    where = Tx(c, kAllWorkspaces);
  } else {
    for (const auto& id : t.workspace_ids) {
      auto w = std::find_if(workspaces.begin(), workspaces.end(),
                            [&](const domain::Workspace& x) { return x.id == id; });
      where += (where.empty() ? "" : ", ") +
               (w != workspaces.end() ? Escape(w->name) : "<code>" + Escape(id) + "</code>");
    }
  }
  if (!where.empty()) line(kWorkspaces, "<span class=\"ws-scope\">" + where + "</span>");
  return out;
}

http::Response ListPage(const Flavor& f, PageCall& c) {
  // A pre-filled create link may point at the table itself: on to the form.
  for (std::string_view key : {"name", "account_permission", "workspace_permission",
                               "enterprise_permission", "all_workspaces", "workspace_id"}) {
    if (c.req.Query(key)) {
      const size_t q = c.req.target.find('?');
      return c.SeeOther(c.Link(std::string(f.suffix) + "/new") + c.req.target.substr(q));
    }
  }
  auto place = ResolvePlace(c, c.req.Query("organization_id").value_or(""));
  if (!place) return c.Failure(f.title, place.error());
  auto list = ListTokens(c, f, *place);
  if (!list) return c.Failure(f.title, list.error());
  auto workspaces = ChoosableWorkspaces(c, *place);
  if (!workspaces) return c.Failure(f.title, workspaces.error());

  std::string body =
      "<h1>" + Tx(c, f.title) + "</h1>" + c.Notice({{"updated", kUpdated}, {"deleted", kDeleted}});
  if (f.sat) body += "<p class=\"hint\">" + Tx(c, kSatHint) + "</p>";
  const Place& p = *place;
  if (p.ent && p.ent->organizations.size() > 1) {
    body += "<form method=\"get\" action=\"" + Escape(c.Link(f.suffix)) +
            "\" id=\"org-select\"><label for=\"organization\">" + Tx(c, kOrganization) +
            "</label><select id=\"organization\" name=\"organization_id\">";
    for (const auto& org : p.ent->organizations) {
      body += "<option value=\"" + Escape(org.id) + "\"" +
              (org.id == p.account_id ? " selected" : "") + ">" + Escape(org.name) + "</option>";
    }
    body += "</select><button type=\"submit\" class=\"secondary\">" + Tx(c, kSwitchOrg) +
            "</button></form>";
  }
  std::string new_link = c.Link(std::string(f.suffix) + "/new");
  if (p.ent) new_link += "?organization_id=" + http::PercentEncode(p.account_id);
  body += "<p><a class=\"button\" id=\"create-token\" href=\"" + Escape(new_link) + "\">" +
          Tx(c, f.create_button) + "</a></p>";

  const json::value* items = At(*list, f.list_key);
  if (!items || !items->is_array() || items->get_array().empty()) {
    return c.Render(f.title,
                    body + "<p class=\"muted\" id=\"no-tokens\">" + Tx(c, f.none) + "</p>");
  }
  body += "<table id=\"tokens\"><thead><tr>";
  for (const Text* h : {&kName, &kCreated, &kLastUsed, &kExpires, &kStatus, &kScope, &kActions}) {
    body += "<th scope=\"col\">" + Tx(c, *h) + "</th>";
  }
  body += "</tr></thead><tbody>";
  const int64_t now = c.deps.clock.NowSeconds();
  for (const auto& item : items->get_array()) {
    const std::string id = Str(At(item, "id"));
    const std::string name = Str(At(item, "name"));
    auto detail = c.Api(Verb::get, std::string(f.get) + "?id=" + http::PercentEncode(id));
    if (!detail) return c.Failure(f.title, detail.error());
    const TokenForm scope = FormOfToken(f, *detail);
    const int64_t expires = Int(At(item, "expire_at"));
    const bool expired = expires >= 0 && now >= expires;
    const int64_t last_used = Int(At(item, "last_used_at"));
    const std::string base = c.Link(std::string(f.suffix) + "/" + http::PercentEncode(id));
    body += "<tr id=\"token-" + Escape(id) + "\"><td class=\"token-name\">" + Escape(name) +
            "</td><td>" + Escape(FormatTime(Int(At(item, "created_at")))) + "</td><td>" +
            (last_used > 0 ? Escape(FormatTime(last_used)) : Tx(c, kNever)) + "</td><td>" +
            (expires < 0 ? Tx(c, kPermanent) : Escape(FormatTime(expires))) + "</td><td>" +
            "<span class=\"status-" + std::string(expired ? "expired" : "active") + "\">" +
            Tx(c, expired ? kExpired : kActive) + "</span></td><td>" +
            ScopeHtml(c, scope, *workspaces) + "</td><td>";
    body += "<a href=\"" + Escape(base + "/edit") + "\" id=\"edit-" + Escape(id) + "\">" +
            Tx(c, kEdit) + "</a> ";
    body += "<form method=\"post\" class=\"inline\" action=\"" + Escape(base + "/delete") +
            "\" data-confirm=\"" + Escape(Replace(c.T(kConfirmDelete), name)) + "\">" +
            c.CsrfInput() + "<button type=\"submit\" class=\"danger\" id=\"delete-" + Escape(id) +
            "\" aria-label=\"" + Tx(c, kDelete) + " " + Escape(name) + "\">" + Tx(c, kDelete) +
            "</button></form></td></tr>";
  }
  body += "</tbody></table>";
  return c.Render(f.title, body);
}

// ---------------------------------------------------------------- create

http::Response NewPage(const Flavor& f, PageCall& c) {
  const Pairs& input = c.req.method == Verb::post ? c.form.fields : c.req.query;
  TokenForm t = ReadForm(input);
  auto place = ResolvePlace(c, t.organization_id);
  if (!place) return c.Failure(f.create_title, place.error());
  const Place& p = *place;
  if (f.sat) {
    // The API's rule on who holds this organization's service identities.
    if (auto list = ListTokens(c, f, p); !list) return c.Failure(f.create_title, list.error());
  }
  const std::string action = c.Link(std::string(f.suffix) + "/new");
  if (c.req.method != Verb::post) {
    // 访问空间 defaults to all workspaces unless the link names some.
    if (!Has(input, "all_workspaces")) t.all_workspaces = t.workspace_ids.empty();
    return RenderForm(c, f, p, t, true, action);
  }

  json::object body{{"name", t.name}, {"duration_day", t.duration}};
  if (t.duration == "customize") {
    if (const int64_t at = EndOfDayUtc(t.expire_date); at > 0) body["expire_at"] = at;
  }
  if (p.ent) body["organization_id"] = p.account_id;
  PutBlocks(f, t, body);
  auto created = c.Api(Verb::post, std::string(f.create), std::move(body));
  if (!created) {
    if (created.error().code == Errc::kInternal || created.error().code == Errc::kUnauthenticated)
      return c.Failure(f.create_title, created.error());
    return RenderForm(c, f, p, t, true, action, created.error().message,
                      FormStatus(created.error()));
  }
  // The token, once: in this response only (no-store), never in a URL or a log line.
  const std::string token = Str(At(*created, "token"));
  std::string out = "<h1>" + Tx(c, f.created_title) + "</h1>";
  out += "<p class=\"warning\" role=\"alert\" id=\"shown-once\">" + Tx(c, kShownOnce) + "</p>";
  out += "<dl class=\"facts\"><dt>" + Tx(c, kName) + "</dt><dd id=\"created-name\">" +
         Escape(t.name) + "</dd><dt>" + Tx(c, kNewToken) +
         "</dt><dd><code class=\"secret\" id=\"new-token\">" + Escape(token) + "</code>" +
         CopyButton(c, "new-token") + "</dd></dl>";
  out += "<p><a href=\"" + Escape(ListPath(c, f, p)) + "\" id=\"back-to-list\">" + Tx(c, kBack) +
         "</a></p>";
  return c.Render(f.created_title, out);
}

// ---------------------------------------------------------------- edit and delete

// The token of the URL as the get route answers it (which refuses another user's), and the
// place it lives in, which must be this page's context.
struct Loaded {
  json::value data;
  Place place;
};
Result<Loaded> LoadToken(const Flavor& f, PageCall& c, const std::string& id) {
  auto data = c.Api(Verb::get, std::string(f.get) + "?id=" + http::PercentEncode(id));
  if (!data) return data.error();
  const json::value* summary = At(*data, f.object_key);
  const std::string org = summary ? Str(At(*summary, "organization_id")) : "";
  auto cur = c.CurrentEnterprise();
  if (!cur) return cur.error();
  const bool here = *cur ? std::any_of((*cur)->organizations.begin(), (*cur)->organizations.end(),
                                       [&](const domain::Account& a) { return a.id == org; })
                         : org == c.user.id;
  if (!here) return Error::Make(Errc::kNotFound, std::string(c.T(kOtherPlace)));
  auto place = ResolvePlace(c, *cur ? org : std::string());
  if (!place) return place.error();
  if (f.sat) {
    if (auto list = ListTokens(c, f, *place); !list) return list.error();
  }
  return Loaded{std::move(*data), std::move(*place)};
}

http::Response EditPage(const Flavor& f, PageCall& c) {
  const std::string id = PathParam(c, "token_id");
  auto loaded = LoadToken(f, c, id);
  if (!loaded) return c.Failure(f.edit_title, loaded.error());
  const Place& p = loaded->place;
  const std::string action =
      c.Link(std::string(f.suffix) + "/" + http::PercentEncode(id) + "/edit");
  if (c.req.method != Verb::post) {
    return RenderForm(c, f, p, FormOfToken(f, loaded->data), false, action);
  }
  TokenForm t = ReadForm(c.form.fields);
  json::object body{{"id", id}, {"name", t.name}};
  PutBlocks(f, t, body);
  auto updated = c.Api(Verb::post, std::string(f.update), std::move(body));
  if (!updated) {
    if (updated.error().code == Errc::kInternal || updated.error().code == Errc::kUnauthenticated)
      return c.Failure(f.edit_title, updated.error());
    return RenderForm(c, f, p, t, false, action, updated.error().message,
                      FormStatus(updated.error()));
  }
  return c.SeeOther(ListPath(c, f, p), "updated");
}

http::Response DeletePage(const Flavor& f, PageCall& c) {
  const std::string id = PathParam(c, "token_id");
  auto loaded = LoadToken(f, c, id);
  if (!loaded) return c.Failure(kDelete, loaded.error());
  auto deleted = c.Api(Verb::post, std::string(f.del), json::object{{"id", id}});
  if (!deleted) return c.Failure(kDelete, deleted.error());
  return c.SeeOther(ListPath(c, f, loaded->place), "deleted");
}

void AddGroup(http::Router& router, api::Deps& deps, const Flavor& f, const std::string& prefix) {
  const std::string base = prefix + std::string(f.suffix);
  auto bind = [&f](http::Response (*fn)(const Flavor&, PageCall&)) {
    return [fn, &f](PageCall& c) { return fn(f, c); };
  };
  AddPage(router, deps, Verb::get, base, bind(ListPage));
  AddPage(router, deps, Verb::get, base + "/new", bind(NewPage));
  AddPage(router, deps, Verb::post, base + "/new", bind(NewPage));
  AddPage(router, deps, Verb::get, base + "/{token_id}/edit", bind(EditPage));
  AddPage(router, deps, Verb::post, base + "/{token_id}/edit", bind(EditPage));
  AddPage(router, deps, Verb::post, base + "/{token_id}/delete", bind(DeletePage));
}

}  // namespace

void RegisterTokenPages(http::Router& router, api::Deps& deps) {
  AddGroup(router, deps, kPat, "");
  AddGroup(router, deps, kPat, "/enterprise/{enterprise_id}");
  AddGroup(router, deps, kSat, "/enterprise/{enterprise_id}");
}

}  // namespace cozeauth::console
