#include "console/pages/page.hpp"

#include <algorithm>
#include <ctime>

#include "api/respond.hpp"
#include "base/crypto.hpp"
#include "console/pages/layout.hpp"
#include "console/session.hpp"

namespace cozeauth::console {
namespace json = boost::json;
namespace {

constexpr Text kForbidden{"请求已过期，请返回上一页刷新后重试。",
                          "This form has expired. Go back, reload the page and try again."};
constexpr Text kForbiddenTitle{"无法完成操作", "Cannot complete the request"};
constexpr Text kNotFoundPlace{"找不到该企业，或你不是它的成员。",
                              "No such enterprise, or you are not one of its members."};
constexpr Text kInternal{"服务器内部错误，日志编号：", "Internal error. Log id: "};
constexpr Text kInternalTitle{"服务器内部错误", "Internal error"};
constexpr Text kErrorPrefix{"操作未完成：", "Not done: "};

bool IsFormPost(const http::Request& req) {
  std::string_view type = req.Header("Content-Type");
  return type.empty() || type.starts_with("application/x-www-form-urlencoded");
}

http::Response SignInRedirect(const http::Request& req) {
  auto res = http::Response::Redirect("/sign?redirect=" + http::PercentEncode(req.target), 303);
  res.SetHeader("Cache-Control", "no-store");
  return res;
}

// The path part of the request target, as sent (for links back to this page).
std::string_view TargetPath(const http::Request& req) {
  std::string_view t = req.target;
  return t.substr(0, t.find('?'));
}

unsigned StatusFor(Errc code) {
  switch (code) {
    case Errc::kBadRequest:
      return 400;
    case Errc::kPermissionDenied:
      return 403;
    case Errc::kAlreadyExists:
      return 409;
    case Errc::kInternal:
      return 500;
    default:
      return api::HttpStatusFor(code) >= 400 ? api::HttpStatusFor(code) : 404;
  }
}

}  // namespace

std::string FormFields::Get(std::string_view key) const {
  for (const auto& [k, v] : fields) {
    if (k == key) return v;
  }
  return {};
}

std::vector<std::string> FormFields::All(std::string_view key) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : fields) {
    if (k == key) out.push_back(v);
  }
  return out;
}

bool FormFields::Has(std::string_view key) const {
  return std::any_of(fields.begin(), fields.end(), [&](const auto& f) { return f.first == key; });
}

PageCall::PageCall(http::Request& r, api::Deps& d, const http::Router& router,
                   const store::Session& s, const domain::User& u, Lang l)
    : req(r), deps(d), session(s), user(u), lang(l), router_(router) {}

Result<std::vector<EnterpriseContext>> LoadEnterprises(store::Store& store,
                                                       const std::string& user_id) {
  auto list = store.ListEnterprisesOfUser(user_id);
  if (!list) return list.error();
  std::vector<EnterpriseContext> out;
  for (auto& e : *list) {
    auto role = store.GetEnterpriseRole(e.id, user_id);
    if (!role) return role.error();
    if (!role.value()) continue;
    auto orgs = store.ListOrganizations(e.id);
    if (!orgs) return orgs.error();
    std::stable_partition(orgs->begin(), orgs->end(), [&](const domain::Account& a) {
      return a.id == e.default_org_account_id;
    });
    out.push_back(EnterpriseContext{std::move(e), *role.value(), std::move(*orgs)});
  }
  return out;
}

Result<const std::vector<EnterpriseContext>*> PageCall::Enterprises() {
  if (enterprises_) return &*enterprises_;
  auto list = LoadEnterprises(deps.store, user.id);
  if (!list) return list.error();
  enterprises_ = std::move(*list);
  return &*enterprises_;
}

Result<const EnterpriseContext*> PageCall::CurrentEnterprise() {
  auto it = std::find_if(req.path_params.begin(), req.path_params.end(),
                         [](const auto& p) { return p.first == "enterprise_id"; });
  if (it == req.path_params.end()) return static_cast<const EnterpriseContext*>(nullptr);
  auto list = Enterprises();
  if (!list) return list.error();
  for (const auto& e : **list) {
    if (e.enterprise.id == it->second) return &e;
  }
  return Error::Make(Errc::kNotFound, std::string(T(kNotFoundPlace)));
}

std::string PageCall::Link(std::string_view suffix) const {
  for (const auto& [k, v] : req.path_params) {
    if (k == "enterprise_id") return "/enterprise/" + http::PercentEncode(v) + std::string(suffix);
  }
  return std::string(suffix);
}

Result<json::value> PageCall::Api(http::Verb method, std::string target, json::value body) {
  http::Request inner;
  inner.method = method;
  inner.target = std::move(target);
  const size_t q = inner.target.find('?');
  inner.path = http::PercentDecode(std::string_view(inner.target).substr(0, q), false);
  if (q != std::string::npos) inner.query = http::ParseQuery(inner.target.substr(q + 1));
  if (auto cookie = req.Header("Cookie"); !cookie.empty()) inner.headers.set("Cookie", cookie);
  inner.headers.set(std::string(api::kCsrfHeader), session.csrf_token);
  if (!body.is_null()) {
    inner.headers.set("Content-Type", "application/json");
    inner.body = json::serialize(body);
  }
  inner.remote_address = req.remote_address;
  inner.logid = req.logid;

  bool path_matched = false;
  const http::Route* route = router_.Match(method, inner.path, inner.path_params, path_matched);
  if (!route)
    return Error::Make(Errc::kInternal, "console page calls an unknown API " + inner.path);
  inner.route = route->pattern;
  inner.permission = route->options.permission;
  http::Response res = route->handler(inner);

  boost::system::error_code ec;
  json::value v = json::parse(res.body, ec);
  if (ec || !v.is_object()) {
    return Error::Make(Errc::kInternal, "console API " + inner.path + " answered no JSON object");
  }
  json::object& o = v.get_object();
  const json::value* code = o.if_contains("code");
  const int64_t c = code && code->is_int64() ? code->get_int64() : -1;
  if (c != 0) {
    const json::value* msg = o.if_contains("msg");
    std::string text = msg && msg->is_string() ? std::string(msg->get_string()) : "";
    if (c == static_cast<int64_t>(Errc::kInternal) || c < 0) internal_logged_ = c > 0;
    return Error::Make(c > 0 ? static_cast<Errc>(c) : Errc::kInternal, std::move(text));
  }
  if (json::value* data = o.if_contains("data")) return std::move(*data);
  return v;
}

std::string PageCall::CsrfInput() const {
  return "<input type=\"hidden\" name=\"csrf_token\" value=\"" + Escape(session.csrf_token) + "\">";
}

http::Response PageCall::Render(const Text& title, std::string_view body_html, unsigned status) {
  LayoutInput in;
  in.lang = lang;
  in.title = T(title);
  in.path = TargetPath(req);
  in.user = &user;
  in.csrf_input = CsrfInput();
  auto enterprises = Enterprises();
  if (enterprises) in.enterprises = *enterprises;  // a pointer; none on a store fault
  auto current = CurrentEnterprise();
  if (current) in.current = *current;
  http::Response res = HtmlResponse(RenderLayout(in, body_html), status);
  if (ChooseLang(req).from_query) {
    res.headers.emplace_back("Set-Cookie", LangCookieHeader(lang, deps.options.secure_cookies));
  }
  res.log_credential = "session";
  return res;
}

http::Response PageCall::SeeOther(std::string path, std::string_view notice) {
  if (path.empty() || path[0] != '/' || (path.size() > 1 && (path[1] == '/' || path[1] == '\\'))) {
    path = "/";  // only ever a path on this site
  }
  if (!notice.empty()) {
    path += path.find('?') == std::string::npos ? "?notice=" : "&notice=";
    path += http::PercentEncode(notice);
  }
  auto res = http::Response::Redirect(std::move(path), 303);
  res.SetHeader("Cache-Control", "no-store");
  res.log_credential = "session";
  return res;
}

std::string PageCall::Notice(std::initializer_list<std::pair<std::string_view, Text>> known) const {
  auto notice = req.Query("notice");
  if (!notice) return {};
  for (const auto& [key, text] : known) {
    if (key == *notice) {
      return "<p class=\"notice\" role=\"status\" id=\"notice\">" + Escape(T(text)) + "</p>";
    }
  }
  return {};
}

http::Response PageCall::Failure(const Text& title, const Error& e) {
  if (e.code == Errc::kUnauthenticated) return SignInRedirect(req);
  std::string message;
  if (e.code == Errc::kInternal) {
    if (!internal_logged_) api::LogInternalError(req, e);
    message = std::string(T(kInternal)) + req.logid;
  } else {
    message = std::string(T(kErrorPrefix)) + e.message;
  }
  std::string body = "<h1>" + Escape(T(title)) + "</h1>" + ErrorLine(message) + "<p><a href=\"" +
                     Escape(TargetPath(req)) + "\">" + Escape(T(Text{"返回", "Back"})) + "</a></p>";
  return Render(title, body, StatusFor(e.code));
}

void AddPage(http::Router& router, api::Deps& deps, http::Verb method, std::string pattern,
             PageHandler handler, http::RouteOptions options) {
  const http::Router* r = &router;
  router.Add(method, std::move(pattern), std::move(options),
             [&deps, r, handler = std::move(handler)](http::Request& req) {
               auto su = api::ResolveSession(deps, req);
               if (!su) {
                 if (su.error().code == Errc::kUnauthenticated) return SignInRedirect(req);
                 api::LogInternalError(req, su.error());
                 const Lang lang = ChooseLang(req).lang;
                 LayoutInput in;
                 in.lang = lang;
                 in.title = Tr(lang, kInternalTitle);
                 return HtmlResponse(
                     RenderLayout(in, "<h1>" + Escape(in.title) + "</h1>" +
                                          ErrorLine(std::string(Tr(lang, kInternal)) + req.logid)),
                     500);
               }
               PageCall call(req, deps, *r, su->session, su->user, ChooseLang(req).lang);
               if (req.method != http::Verb::get && req.method != http::Verb::head) {
                 if (!IsFormPost(req)) {
                   return call.Failure(kForbiddenTitle,
                                       Error::BadRequest("Content-Type", "expected a form post"));
                 }
                 call.form.fields = http::ParseQuery(req.body);
                 const std::string presented = call.form.Get("csrf_token");
                 if (presented.empty() || !ConstantTimeEquals(presented, su->session.csrf_token)) {
                   return call.Failure(
                       kForbiddenTitle,
                       Error::Make(Errc::kPermissionDenied, std::string(call.T(kForbidden))));
                 }
               }
               if (auto place = call.CurrentEnterprise(); !place) {
                 return call.Failure(kForbiddenTitle, place.error());
               }
               http::Response res = handler(call);
               res.log_credential = "session";
               return res;
             });
}

std::string CopyButton(const PageCall& c, std::string_view target_id) {
  return "<button type=\"button\" class=\"copy secondary\" data-copy=\"" + Escape(target_id) +
         "\" data-copied=\"" + Escape(c.T(Text{"已复制", "Copied"})) + "\">" +
         Escape(c.T(Text{"复制", "Copy"})) + "</button>";
}

std::string FormatTime(int64_t unix_seconds) {
  if (unix_seconds <= 0) return "—";
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  if (!gmtime_r(&t, &tm)) return "—";
  char buf[32];
  if (std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm) == 0) return "—";
  return buf;
}

std::string ErrorLine(std::string_view message) {
  return "<p class=\"error\" role=\"alert\" id=\"form-error\">" + Escape(message) + "</p>";
}

}  // namespace cozeauth::console
