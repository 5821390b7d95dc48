#include "console/oauth_pages.hpp"

#include <boost/json.hpp>
#include <memory>

#include "admin/oauth_apps.hpp"
#include "api/respond.hpp"
#include "base/crypto.hpp"
#include "console/html.hpp"
#include "console/pages/i18n.hpp"
#include "console/pages/layout.hpp"
#include "console/pages/page.hpp"
#include "console/safe_redirect.hpp"
#include "console/session.hpp"
#include "oauth/errors.hpp"
#include "oauth/obo.hpp"
#include "policy/catalogue.hpp"

namespace cozeauth::console {
namespace json = boost::json;
namespace {

using api::Deps;
using http::Request;
using http::Response;

constexpr std::string_view kAuthorizePath = "/api/permission/oauth2/authorize";
constexpr std::string_view kConsentPath = "/api/permission/oauth2/authorize_consent";
constexpr std::string_view kDeviceVerifyPath = "/api/permission/oauth2/device/verification";

oauth::Env OAuthEnv(Deps& deps) {
  return oauth::Env{deps.store, deps.clock, deps.random, deps.ids};
}

// The posted form (application/x-www-form-urlencoded) or JSON object, as strings.
struct Form {
  bool json = false;
  std::vector<std::pair<std::string, std::string>> fields;
  std::string Get(std::string_view key) const {
    for (const auto& [k, v] : fields) {
      if (k == key) return v;
    }
    return {};
  }
};

Result<Form> ParseForm(const Request& req) {
  Form f;
  if (req.Header("Content-Type").find("application/json") != std::string_view::npos) {
    f.json = true;
    boost::system::error_code ec;
    json::value v = json::parse(req.body, ec);
    if (ec || !v.is_object()) return Error::BadRequest("body", "body must be a JSON object");
    for (const auto& [k, val] : v.get_object()) {
      if (val.is_string()) f.fields.emplace_back(k, std::string(val.get_string()));
      if (val.is_bool()) f.fields.emplace_back(k, val.get_bool() ? "true" : "false");
    }
    return f;
  }
  f.fields = http::ParseQuery(req.body);
  return f;
}

Response LoginRedirect(const Request& req) {
  return Response::Redirect("/sign?redirect=" + http::PercentEncode(req.target));
}

// The sign-in page, in the console's frame and language (console/pages/layout.hpp).
Response LoginPage(const Request& req, std::string_view redirect, std::string_view error,
                   unsigned status = 200) {
  const LangChoice choice = ChooseLang(req);
  const Lang lang = choice.lang;
  const Text title{"登录", "Sign in"};
  std::string body =
      "<h1>" + Escape(Tr(lang, Text{"登录 cozeauth", "Sign in to cozeauth"})) + "</h1>";
  if (!error.empty())
    body += "<p class=\"error\" role=\"alert\" id=\"error\">" + Escape(error) + "</p>";
  body +=
      "<form method=\"post\" action=\"/sign\"><input type=\"hidden\" name=\"redirect\" value=\"" +
      Escape(redirect) + "\"><label for=\"email\">" + Escape(Tr(lang, Text{"邮箱", "Email"})) +
      "</label><input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" "
      "required><label for=\"password\">" +
      Escape(Tr(lang, Text{"密码", "Password"})) +
      "</label><input id=\"password\" name=\"password\" type=\"password\" "
      "autocomplete=\"current-password\" required><div><button type=\"submit\" "
      "id=\"sign-in\">" +
      Escape(Tr(lang, title)) + "</button></div></form>";
  LayoutInput in;
  in.lang = lang;
  in.title = Tr(lang, title);
  const std::string path = "/sign";
  in.path = path;
  Response res = HtmlResponse(RenderLayout(in, body), status);
  if (choice.from_query) res.headers.emplace_back("Set-Cookie", LangCookieHeader(lang, false));
  return res;
}

// A refused sign-in's message in the page's language (the throttle's and the wrong password's;
// anything else as the API words it).
std::string LoginError(const Request& req, const Error& e) {
  const Lang lang = ChooseLang(req).lang;
  if (e.message == api::kTooManyAttempts) {
    return std::string(
        Tr(lang, Text{"尝试次数过多，请稍后再试。", "Too many attempts, retry later."}));
  }
  if (e.code == Errc::kUnauthenticated) {
    return std::string(Tr(lang, Text{"邮箱或密码错误。", "Invalid email or password."}));
  }
  return e.message;
}

std::string PointsTable(Lang lang, const credentials::OAuthApp& app, bool workspace_scoped) {
  std::string rows;
  auto add = [&](const std::vector<std::string>& points, const Text& level) {
    for (const auto& p : points) {
      const policy::PermissionPoint* point = policy::FindPoint(p);
      rows += "<tr><td><code>" + Escape(p) + "</code></td><td>" + Escape(Tr(lang, level)) +
              "</td><td>" + Escape(point ? point->description : "") + "</td></tr>";
    }
  };
  if (!workspace_scoped) add(app.account_permissions, Text{"个人账号", "account"});
  add(app.workspace_permissions, Text{"工作空间", "workspace"});
  add(app.enterprise_permissions, Text{"企业", "enterprise"});
  return "<table id=\"permissions\"><caption>" + Escape(Tr(lang, Text{"授权范围", "Permissions"})) +
         "</caption><thead><tr><th scope=\"col\">" + Escape(Tr(lang, Text{"权限", "Permission"})) +
         "</th><th scope=\"col\">" + Escape(Tr(lang, Text{"级别", "Level"})) +
         "</th><th scope=\"col\">" + Escape(Tr(lang, Text{"允许的操作", "What it allows"})) +
         "</th></tr></thead><tbody>" + rows + "</tbody></table>";
}

// A consent place's label in the page's language (oauth::ConsentPlaces words them in English:
// "Personal account", "Enterprise: <name>", "Workspace: <name>[ (<enterprise>)]").
std::string PlaceLabel(Lang lang, const oauth::ConsentPlace& p) {
  if (lang == Lang::kEn) return p.label;
  if (p.label == "Personal account") return "个人账号";
  for (const auto& [en, zh] :
       {std::pair<std::string_view, std::string_view>{"Enterprise: ", "企业："},
        {"Workspace: ", "工作空间："}}) {
    if (p.label.rfind(en, 0) == 0) return std::string(zh) + p.label.substr(en.size());
  }
  return p.label;
}

std::string PlacesFieldset(Lang lang, const std::vector<oauth::ConsentPlace>& places) {
  std::string out =
      "<fieldset><legend>" + Escape(Tr(lang, Text{"授权到", "Authorize in"})) + "</legend>";
  bool first = true;
  for (const auto& p : places) {
    out += "<label class=\"choice\"><input type=\"radio\" name=\"place\" value=\"" +
           Escape(p.key()) + "\"" + (first ? " checked" : "") + "> " + Escape(PlaceLabel(lang, p)) +
           "</label>";
    first = false;
  }
  return out + "</fieldset>";
}

std::string ConsentBody(Lang lang, const credentials::OAuthApp& app, bool workspace_scoped,
                        const std::vector<oauth::ConsentPlace>& places, std::string_view action,
                        std::string_view hidden_html, std::string_view csrf) {
  return "<h1 id=\"app-name\">" + Escape(app.name) + " " +
         Escape(Tr(lang, Text{"请求访问你的扣子账号", "wants to access your Coze account"})) +
         "</h1>" +
         (app.description.empty() ? "" : "<p class=\"muted\">" + Escape(app.description) + "</p>") +
         "<p>" +
         Escape(Tr(lang, Text{"它将以你的身份、在以下权限内操作，绝不超出你本人的权限：",
                              "It will act on your behalf with these permissions, never beyond "
                              "your own rights:"})) +
         "</p>" + PointsTable(lang, app, workspace_scoped) + "<form method=\"post\" action=\"" +
         Escape(action) + "\">" + std::string(hidden_html) +
         "<input type=\"hidden\" name=\"csrf_token\" value=\"" + Escape(csrf) + "\">" +
         PlacesFieldset(lang, places) +
         "<div><button type=\"submit\" name=\"consent\" value=\"true\" id=\"allow\">" +
         Escape(Tr(lang, Text{"授权", "Allow"})) +
         "</button> <button class=\"secondary\" type=\"submit\" name=\"consent\" value=\"false\" "
         "id=\"deny\">" +
         Escape(Tr(lang, Text{"拒绝", "Deny"})) + "</button></div></form>";
}

// The authorization request travels from the consent page back to us as `authorize_key`:
// base64url of its parameters. It is not a secret and not trusted: the consent post checks it
// again exactly as the first GET did, and needs the session and its CSRF token.
std::string EncodeAuthorizeKey(const oauth::AuthorizeParams& p) {
  json::object o{
      {"response_type", p.response_type},   {"client_id", p.client_id},
      {"redirect_uri", p.redirect_uri},     {"state", p.state},
      {"code_challenge", p.code_challenge}, {"code_challenge_method", p.code_challenge_method},
      {"workspace_id", p.workspace_id}};
  return Base64UrlEncode(json::serialize(o));
}

std::optional<oauth::AuthorizeParams> DecodeAuthorizeKey(std::string_view key) {
  auto raw = Base64UrlDecode(key);
  if (!raw) return std::nullopt;
  boost::system::error_code ec;
  json::value v = json::parse(*raw, ec);
  if (ec || !v.is_object()) return std::nullopt;
  auto get = [&](std::string_view k) -> std::string {
    const json::value* f = v.get_object().if_contains(k);
    return f && f->is_string() ? std::string(f->get_string()) : std::string();
  };
  return oauth::AuthorizeParams{get("response_type"),  get("client_id"),
                                get("redirect_uri"),   get("state"),
                                get("code_challenge"), get("code_challenge_method"),
                                get("workspace_id")};
}

std::string WithQuery(const std::string& uri,
                      const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out = uri;
  char sep = uri.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [k, v] : params) {
    out += sep + k + "=" + http::PercentEncode(v);
    sep = '&';
  }
  return out;
}

std::string ErrorRedirect(const oauth::AuthorizeParams& p, std::string_view error,
                          std::string_view description) {
  return WithQuery(p.redirect_uri, {{"error", std::string(error)},
                                    {"error_description", std::string(description)},
                                    {"state", p.state}});
}

// A redirect back to the app for the browser form, or Coze's JSON {redirect_uri}.
Response ToApp(const Request& req, bool json_call, std::string location) {
  if (json_call) return api::Ok(req, json::object{{"redirect_uri", location}});
  Response res = Response::Redirect(std::move(location));
  res.SetHeader("Cache-Control", "no-store");
  return res;
}

oauth::AuthorizeParams ParamsOf(const Request& req) {
  auto q = [&](std::string_view k) { return req.Query(k).value_or(""); };
  std::string ws = req.route.find("{workspace_id}") != std::string::npos
                       ? req.PathParam("workspace_id")
                       : std::string();
  return {q("response_type"),
          q("client_id"),
          q("redirect_uri"),
          q("state"),
          q("code_challenge"),
          q("code_challenge_method"),
          ws};
}

// scheme://host[:port] of an absolute http(s) URL (already validated as registered).
std::string OriginOf(const std::string& uri) {
  const size_t host = uri.find("://");
  if (host == std::string::npos) return {};
  return uri.substr(0, uri.find_first_of("/?#", host + 3));
}

// This page's path for the layout's language links: a GET keeps its query (an authorize
// request's parameters) without `lang`; a post's links lead to the form's page or home.
std::string PagePath(const Request& req) {
  if (req.method == http::Verb::post) {
    return req.path == "/device" || req.path == "/open/oauth/share" ? req.path : "/";
  }
  std::string out = req.path;
  char sep = '?';
  for (const auto& [k, v] : req.query) {
    if (k == "lang") continue;
    out += sep + http::PercentEncode(k) + "=" + http::PercentEncode(v);
    sep = '&';
  }
  return out;
}

// A page of this file in the console's frame: the layout (with the header of a signed-in user,
// `who`), the console's headers and strict CSP. `form_target`: the origin a posted form may end
// up at besides ours. Browsers apply form-action to the redirects that follow a form post too,
// so the consent page must allow the app's redirect URI origin, or Allow/Deny would be blocked
// on their way back to the app.
Response Render(Deps& deps, const Request& req, const api::SessionUser* who,
                const std::string& title, const std::string& body, unsigned status = 200,
                const std::string& form_target = "") {
  const LangChoice choice = ChooseLang(req);
  LayoutInput in;
  in.lang = choice.lang;
  in.title = title;
  const std::string path = PagePath(req);
  in.path = path;
  std::vector<EnterpriseContext> enterprises;
  std::string csrf_input;
  if (who) {
    in.user = &who->user;
    csrf_input = "<input type=\"hidden\" name=\"csrf_token\" value=\"" +
                 Escape(who->session.csrf_token) + "\">";
    in.csrf_input = csrf_input;
    // The context switcher's enterprises; none on a store fault.
    if (auto list = LoadEnterprises(deps.store, who->user.id)) {
      enterprises = std::move(*list);
      in.enterprises = &enterprises;
    }
  }
  Response res = HtmlResponse(RenderLayout(in, body), status, form_target);
  if (choice.from_query) {
    res.headers.emplace_back("Set-Cookie",
                             LangCookieHeader(choice.lang, deps.options.secure_cookies));
  }
  return res;
}

Lang LangOf(const Request& req) { return ChooseLang(req).lang; }

// A page that shows an error and offers no way forward.
Response ErrorView(Deps& deps, const Request& req, const api::SessionUser* who, const Text& title,
                   std::string_view message, unsigned status) {
  const Lang lang = LangOf(req);
  const std::string t(Tr(lang, title));
  return Render(deps, req, who, t,
                "<h1>" + Escape(t) + "</h1><p class=\"error\" role=\"alert\" id=\"error\">" +
                    Escape(message) + "</p>",
                status);
}

constexpr Text kAuthorizationFailed{"授权失败", "Authorization failed"};
constexpr Text kAuthorizeAnApp{"授权应用", "Authorize an app"};

// An error page for a failed step: its message with `status`, or for an internal fault a logged
// cause and a generic 500 page with the log id (causes never reach the browser).
Response FailurePage(Deps& deps, const Request& req, const api::SessionUser* who, const Text& title,
                     const Error& e, unsigned status) {
  if (e.code != Errc::kInternal) return ErrorView(deps, req, who, title, e.message, status);
  api::LogInternalError(req, e);
  const Lang lang = LangOf(req);
  return ErrorView(deps, req, who, title,
                   std::string(Tr(lang, Text{"内部错误（日志 ID ", "Internal error (log id "})) +
                       req.logid + std::string(Tr(lang, Text{"）。", ")."})),
                   500);
}

Response Authorize(Deps& deps, Request& req) {
  auto env = OAuthEnv(deps);
  oauth::AuthorizeParams p = ParamsOf(req);
  oauth::AuthorizeCheck check = oauth::CheckAuthorizeRequest(env, p);
  if (!check.redirect_ok) {
    auto session = api::ResolveSession(deps, req);
    return ErrorView(deps, req, session ? &*session : nullptr, kAuthorizationFailed,
                     check.error_description, 400);
  }
  if (!check.error.empty()) {
    return ToApp(req, false, ErrorRedirect(p, check.error, check.error_description));
  }
  auto session = api::ResolveSession(deps, req);
  if (!session) return LoginRedirect(req);
  const Lang lang = LangOf(req);
  auto places = oauth::ConsentPlaces(env, *check.app, session->user.id, p.workspace_id);
  if (!places) {
    return FailurePage(deps, req, &*session, kAuthorizationFailed, places.error(), 400);
  }
  if (places->empty()) {
    return ErrorView(
        deps, req, &*session, kAuthorizationFailed,
        lang == Lang::kZh
            ? "应用 " + check.app->name + " 未安装在你可以授权的地方。请企业管理员安装后再授权。"
            : "The app " + check.app->name +
                  " is not installed where you can authorize it. Ask an "
                  "administrator of your enterprise to install it, then authorize "
                  "again.",
        403);
  }
  std::string hidden = "<input type=\"hidden\" name=\"authorize_key\" value=\"" +
                       Escape(EncodeAuthorizeKey(p)) + "\">";
  return Render(deps, req, &*session,
                std::string(Tr(lang, Text{"授权 ", "Authorize "})) + check.app->name,
                ConsentBody(lang, *check.app, !p.workspace_id.empty(), *places, kConsentPath,
                            hidden, session->session.csrf_token),
                200, OriginOf(p.redirect_uri));
}

// The signed-in user of a state-changing post, CSRF checked; or the response to send.
struct Poster {
  std::optional<api::SessionUser> who;
  std::optional<Response> refusal;
};
Poster PostingUser(Deps& deps, const Request& req, const Form& form) {
  auto session = api::ResolveSession(deps, req);
  if (!session) {
    return {std::nullopt,
            form.json ? api::Fail(req, session.error())
                      : ErrorView(deps, req, nullptr, Text{"已退出登录", "Signed out"},
                                  Tr(ChooseLang(req).lang,
                                     Text{"请重新登录后重试。", "Sign in again and retry."}),
                                  401)};
  }
  const std::string posted = form.Get("csrf_token");
  const bool csrf_ok = api::CsrfValid(req, session->session) ||
                       (!posted.empty() && ConstantTimeEquals(posted, session->session.csrf_token));
  if (!csrf_ok) return {std::nullopt, api::CsrfRejected(req)};
  return {std::move(session).value(), std::nullopt};
}

Response AuthorizeConsent(Deps& deps, Request& req) {
  auto form = ParseForm(req);
  if (!form) return api::Fail(req, form.error());
  auto poster = PostingUser(deps, req, *form);
  if (poster.refusal) return *poster.refusal;
  auto p = DecodeAuthorizeKey(form->Get("authorize_key"));
  if (!p) {
    return form->json ? api::Fail(req, Errc::kBadRequest, "invalid authorize_key")
                      : ErrorView(deps, req, &*poster.who, kAuthorizationFailed,
                                  "invalid authorize_key", 400);
  }
  auto env = OAuthEnv(deps);
  oauth::AuthorizeCheck check = oauth::CheckAuthorizeRequest(env, *p);
  if (!check.redirect_ok) {
    return form->json ? api::Fail(req, Errc::kBadRequest, check.error_description)
                      : ErrorView(deps, req, &*poster.who, kAuthorizationFailed,
                                  check.error_description, 400);
  }
  if (!check.error.empty()) {
    return ToApp(req, form->json, ErrorRedirect(*p, check.error, check.error_description));
  }
  if (form->Get("consent") != "true") {
    return ToApp(req, form->json,
                 ErrorRedirect(*p, oauth::kAccessDenied, "the user denied access"));
  }
  std::string place = form->Get("place");
  if (place.empty()) place = "personal";
  auto grant = oauth::Consent(env, *check.app, poster.who->user.id, place, p->workspace_id);
  if (!grant) {
    const bool internal = grant.error().code == Errc::kInternal;
    if (internal) api::LogInternalError(req, grant.error());
    return ToApp(req, form->json,
                 ErrorRedirect(*p, oauth::OAuthCode(grant.error()),
                               internal ? "internal error" : grant.error().message));
  }
  auto code = oauth::IssueAuthorizationCode(env, *grant, *p);
  if (!code) {
    api::LogInternalError(req, code.error());
    return ToApp(req, form->json, ErrorRedirect(*p, "server_error", "internal error"));
  }
  return ToApp(req, form->json, WithQuery(p->redirect_uri, {{"code", *code}, {"state", p->state}}));
}

// --- device verification

constexpr Text kConnectDevice{"连接设备", "Connect a device"};

std::string DeviceEntryForm(Lang lang, std::string_view user_code, std::string_view csrf,
                            std::string_view error) {
  std::string body =
      "<h1>" + Escape(Tr(lang, kConnectDevice)) + "</h1><p>" +
      Escape(Tr(lang, Text{"请输入设备上显示的代码。", "Enter the code shown on your device."})) +
      "</p>";
  if (!error.empty()) {
    body += "<p class=\"error\" role=\"alert\" id=\"error\">" + Escape(error) + "</p>";
  }
  body +=
      "<form method=\"post\" action=\"/device\"><input type=\"hidden\" name=\"csrf_token\" "
      "value=\"" +
      Escape(csrf) + "\"><label for=\"user_code\">" + Escape(Tr(lang, Text{"代码", "Code"})) +
      "</label><input id=\"user_code\" name=\"user_code\" type=\"text\" autocomplete=\"off\" "
      "placeholder=\"XXXX-XXXX\" value=\"" +
      Escape(user_code) + "\" required><div><button type=\"submit\" id=\"continue\">" +
      Escape(Tr(lang, Text{"继续", "Continue"})) + "</button></div></form>";
  return body;
}

Response DeviceEntry(Deps& deps, const Request& req, const api::SessionUser& who,
                     std::string_view user_code, std::string_view error, unsigned status) {
  const Lang lang = LangOf(req);
  return Render(deps, req, &who, std::string(Tr(lang, kConnectDevice)),
                DeviceEntryForm(lang, user_code, who.session.csrf_token, error), status);
}

Response DeviceGet(Deps& deps, Request& req) {
  auto session = api::ResolveSession(deps, req);
  if (!session) return LoginRedirect(req);
  return DeviceEntry(deps, req, *session, req.Query("user_code").value_or(""), "", 200);
}

// Wrong user codes are throttled per user and per client address (RFC 8628 §5.1: user codes
// are short, so guessing must be slow).
Response DevicePost(Deps& deps, api::LoginThrottle& throttle, Request& req) {
  auto form = ParseForm(req);
  if (!form) return api::Fail(req, form.error());
  auto poster = PostingUser(deps, req, *form);
  if (poster.refusal) return *poster.refusal;
  const std::string& user_id = poster.who->user.id;
  const std::string csrf = poster.who->session.csrf_token;
  const std::string typed = form->Get("user_code");
  const Lang lang = LangOf(req);
  if (throttle.Blocked("device:" + user_id, "device:" + req.remote_address)) {
    return DeviceEntry(deps, req, *poster.who, typed,
                       Tr(lang, Text{"错误代码过多，请等待一分钟后重试。",
                                     "Too many wrong codes. Wait a minute and retry."}),
                       429);
  }
  auto env = OAuthEnv(deps);
  auto code = oauth::NormalizeUserCode(typed);
  auto pending = code ? oauth::FindPendingDevice(env, *code)
                      : Result<oauth::PendingDevice>(Error::Make(Errc::kNotFound, "bad code"));
  if (!pending) {
    throttle.RecordFailure("device:" + user_id, "device:" + req.remote_address);
    return DeviceEntry(
        deps, req, *poster.who, typed,
        Tr(lang, Text{"该代码无效或已过期。", "That code is not valid or has expired."}), 400);
  }
  auto places = oauth::ConsentPlaces(env, pending->app, user_id, pending->device.workspace_id);
  if (!places || places->empty()) {
    return ErrorView(deps, req, &*poster.who, kAuthorizationFailed,
                     lang == Lang::kZh
                         ? "你无法在此授权应用 " + pending->app.name + "。"
                         : "The app " + pending->app.name + " cannot be authorized by you here.",
                     403);
  }
  std::string hidden = "<input type=\"hidden\" name=\"user_code\" value=\"" + Escape(*code) + "\">";
  return Render(deps, req, &*poster.who,
                std::string(Tr(lang, Text{"授权 ", "Authorize "})) + pending->app.name,
                ConsentBody(lang, pending->app, !pending->device.workspace_id.empty(), *places,
                            kDeviceVerifyPath, hidden, csrf) +
                    "<p class=\"muted\">" + Escape(Tr(lang, Text{"设备代码", "Device code"})) +
                    " <strong id=\"user-code\">" + Escape(*code) + "</strong></p>");
}

Response DeviceVerify(Deps& deps, api::LoginThrottle& throttle, Request& req) {
  auto form = ParseForm(req);
  if (!form) return api::Fail(req, form.error());
  auto poster = PostingUser(deps, req, *form);
  if (poster.refusal) return *poster.refusal;
  const std::string& user_id = poster.who->user.id;
  if (throttle.Blocked("device:" + user_id, "device:" + req.remote_address)) {
    return form->json
               ? api::Fail(req, Errc::kBadRequest, "too many wrong codes, retry later")
               : ErrorView(deps, req, &*poster.who, kAuthorizationFailed,
                           Tr(LangOf(req), Text{"错误代码过多。", "Too many wrong codes."}), 429);
  }
  auto code = oauth::NormalizeUserCode(form->Get("user_code"));
  const bool approve =
      form->json ? form->Get("consent") != "false" : form->Get("consent") == "true";
  std::string place = form->Get("place");
  if (place.empty()) place = "personal";
  auto env = OAuthEnv(deps);
  Status s = code ? oauth::DecideDevice(env, *code, user_id, approve, place)
                  : Status(Error::Make(Errc::kNotFound, "user code not found or expired"));
  if (!s) {
    if (s.error().code == Errc::kNotFound) {
      throttle.RecordFailure("device:" + user_id, "device:" + req.remote_address);
    }
    if (s.error().code == Errc::kInternal) {
      return form->json
                 ? api::Fail(req, s.error())
                 : FailurePage(deps, req, &*poster.who, kAuthorizationFailed, s.error(), 500);
    }
    return form->json
               ? api::Fail(req, Errc::kBadRequest, s.error().message)
               : ErrorView(deps, req, &*poster.who, kAuthorizationFailed, s.error().message, 400);
  }
  if (form->json) return api::Ok(req, json::object{{"redirect_uri", ""}});
  const Lang lang = LangOf(req);
  const std::string title(Tr(lang, approve ? Text{"设备已连接", "Device connected"}
                                           : Text{"已拒绝访问", "Access denied"}));
  const std::string_view text =
      Tr(lang, approve ? Text{"你可以回到设备上继续，它现在已登录。",
                              "You can return to your device; it is signed in now."}
                       : Text{"该设备未获得访问权限。", "The device was not given access."});
  return Render(deps, req, &*poster.who, title,
                "<h1 id=\"result\">" + Escape(title) + "</h1><p>" + Escape(text) + "</p>");
}

// --- share link (coze-platform.md §5.4): the app's owner sends /open/oauth/share?appid=…;
// the recipient authorizes the app where they may: their own personal account (the owner only)
// or an enterprise they administer, for all its workspaces or the ones ticked. Service apps get
// an AppAuth authorization; web/pkce/device apps an OBO installation (enterprise only).

struct SharePlace {
  std::string key;  // "personal" or an enterprise id
  std::string label;
  std::vector<domain::Workspace> workspaces;
};

Result<std::vector<SharePlace>> SharePlaces(Deps& deps, const credentials::OAuthApp& app,
                                            const domain::User& user, Lang lang) {
  std::vector<SharePlace> out;
  if (app.client_type == credentials::ClientType::kService && app.owner_account_id == user.id) {
    auto ws = deps.store.ListWorkspacesOfAccount(user.id);
    if (!ws) return ws.error();
    out.push_back({"personal", std::string(Tr(lang, Text{"个人账号", "Personal account"})),
                   std::move(ws).value()});
  }
  auto enterprises = deps.store.ListEnterprisesOfUser(user.id);
  if (!enterprises) return enterprises.error();
  for (const auto& e : enterprises.value()) {
    auto role = deps.store.GetEnterpriseRole(e.id, user.id);
    if (!role || !role.value() || !domain::IsAdmin(*role.value())) continue;
    auto ws = deps.store.ListWorkspacesOfEnterprise(e.id);
    if (!ws) return ws.error();
    out.push_back({e.id, std::string(Tr(lang, Text{"企业：", "Enterprise: "})) + e.name,
                   std::move(ws).value()});
  }
  return out;
}

Response ShareGet(Deps& deps, Request& req) {
  auto session = api::ResolveSession(deps, req);
  if (!session) return LoginRedirect(req);
  const api::SessionUser* who = &*session;
  const Lang lang = LangOf(req);
  api::ConsoleCall call{req, deps, session->session, session->user};
  auto env = call.Env();
  auto app = admin::LiveApp(env, req.Query("appid").value_or(""));
  if (!app || app->status != credentials::AppStatus::kActive) {
    return ErrorView(deps, req, who, kAuthorizeAnApp,
                     Tr(lang, Text{"此分享链接没有指向任何有效的应用。",
                                   "This share link names no active app."}),
                     404);
  }
  auto places = SharePlaces(deps, *app, session->user, lang);
  if (!places) return FailurePage(deps, req, who, kAuthorizeAnApp, places.error(), 500);
  if (places->empty()) {
    return ErrorView(deps, req, who, kAuthorizeAnApp,
                     lang == Lang::kZh
                         ? "只有企业的超级管理员或管理员可以在企业中授权 " + app->name + "。"
                         : "Only a super_admin or admin of an enterprise can "
                           "authorize " +
                               app->name + " there.",
                     403);
  }
  std::string body = "<h1 id=\"app-name\">" + Escape(Tr(lang, Text{"授权 ", "Authorize "})) +
                     Escape(app->name) + "</h1>" + PointsTable(lang, *app, false) +
                     "<form method=\"post\" action=\"/open/oauth/share\">"
                     "<input type=\"hidden\" name=\"appid\" value=\"" +
                     Escape(app->id) +
                     "\">"
                     "<input type=\"hidden\" name=\"csrf_token\" value=\"" +
                     Escape(session->session.csrf_token) + "\"><fieldset><legend>" +
                     Escape(Tr(lang, Text{"授权到", "Authorize in"})) + "</legend>";
  bool first = true;
  for (const auto& p : *places) {
    body += "<label class=\"choice\"><input type=\"radio\" name=\"place\" value=\"" +
            Escape(p.key) + "\"" + (first ? " checked" : "") + "> " + Escape(p.label) + "</label>";
    first = false;
  }
  body += "</fieldset><fieldset><legend>" + Escape(Tr(lang, Text{"工作空间", "Workspaces"})) +
          "</legend><label class=\"choice\"><input type=\"radio\" name=\"scope\" value=\"all\" "
          "checked> " +
          Escape(Tr(lang,
                    Text{"所有工作空间（包括以后创建的）", "All workspaces, present and future"})) +
          "</label><label class=\"choice\"><input type=\"radio\" name=\"scope\" "
          "value=\"listed\"> " +
          Escape(Tr(lang, Text{"仅以下工作空间：", "Only these:"})) + "</label>";
  for (const auto& p : *places) {
    for (const auto& w : p.workspaces) {
      body += "<label class=\"choice\"><input type=\"checkbox\" name=\"workspace_id\" value=\"" +
              Escape(w.id) + "\"> " + Escape(w.name) + " <span class=\"muted\">(" +
              Escape(p.label) + ")</span></label>";
    }
  }
  body += "</fieldset><div><button type=\"submit\" id=\"authorize\">" +
          Escape(Tr(lang, Text{"授权", "Authorize"})) + "</button></div></form>";
  return Render(deps, req, who, std::string(Tr(lang, Text{"授权 ", "Authorize "})) + app->name,
                body);
}

Response SharePost(Deps& deps, Request& req) {
  auto form = ParseForm(req);
  if (!form) return api::Fail(req, form.error());
  auto poster = PostingUser(deps, req, *form);
  if (poster.refusal) return *poster.refusal;
  api::ConsoleCall call{req, deps, poster.who->session, poster.who->user};
  auto env = call.Env();
  auto app = admin::LiveApp(env, form->Get("appid"));
  if (!app) return FailurePage(deps, req, &*poster.who, kAuthorizeAnApp, app.error(), 404);
  admin::AuthorizeSpec spec;
  spec.app_id = app->id;
  spec.actor_user_id = poster.who->user.id;
  spec.kind = app->client_type == credentials::ClientType::kService
                  ? credentials::AuthorizationKind::kAppAuth
                  : credentials::AuthorizationKind::kOboInstall;
  const std::string place = form->Get("place");
  if (place == "personal") {
    spec.account_id = poster.who->user.id;
  } else {
    spec.enterprise_id = place;
  }
  spec.all_workspaces = form->Get("scope") != "listed";
  if (!spec.all_workspaces) {
    for (const auto& [k, v] : form->fields) {
      if (k == "workspace_id") spec.workspace_ids.push_back(v);
    }
  }
  auto a = admin::AuthorizeApp(env, spec);
  if (!a) return FailurePage(deps, req, &*poster.who, kAuthorizationFailed, a.error(), 400);
  const Lang lang = LangOf(req);
  const std::string title(Tr(lang, Text{"已授权", "Authorized"}));
  return Render(deps, req, &*poster.who, title,
                "<h1 id=\"result\">" + Escape(title) + "</h1><p>" +
                    (lang == Lang::kZh
                         ? Escape(app->name) + " 已授权（授权 ID <code id=\"authorization-id\">" +
                               Escape(a->id) + "</code>）。"
                         : Escape(app->name) +
                               " is authorized (authorization <code id=\"authorization-id\">" +
                               Escape(a->id) + "</code>).") +
                    "</p>");
}

// --- login page

Response SignGet(Request& req) {
  return LoginPage(req, SafeRedirectPath(req.Query("redirect").value_or("/")), "");
}

Response SignPost(Deps& deps, Request& req) {
  auto form = http::ParseQuery(req.body);
  auto get = [&](std::string_view k) {
    for (const auto& [key, v] : form) {
      if (key == k) return v;
    }
    return std::string();
  };
  const std::string redirect = SafeRedirectPath(get("redirect"));
  auto login = api::PasswordLogin(deps, get("email"), get("password"), req.remote_address);
  if (!login) {
    if (login.error().code == Errc::kInternal) {
      return FailurePage(deps, req, nullptr, Text{"登录", "Sign in"}, login.error(), 500);
    }
    return LoginPage(req, redirect, LoginError(req, login.error()), 401);
  }
  Response res = Response::Redirect(redirect);
  api::SetSessionCookies(res, deps, login->session);
  res.log_credential = "session";
  return res;
}

}  // namespace

void RegisterOAuthPages(http::Router& router, Deps& deps) {
  api::SignInThrottle(deps);  // the JSON login's limiter too (console/routes.cpp)
  // Wrong device user codes are limited apart: they are guesses of a code, not of a password.
  auto device_throttle = std::make_shared<api::LoginThrottle>(deps.clock);
  router.Add(http::Verb::get, "/sign", {}, [](Request& req) { return SignGet(req); });
  router.Add(http::Verb::post, "/sign", {.slow = true},
             [&deps](Request& req) { return SignPost(deps, req); });
  auto authorize = [&deps](Request& req) { return Authorize(deps, req); };
  router.Add(http::Verb::get, std::string(kAuthorizePath), {}, authorize);
  router.Add(http::Verb::get, "/api/permission/oauth2/workspace_id/{workspace_id}/authorize", {},
             authorize);
  router.Add(http::Verb::post, std::string(kConsentPath), {},
             [&deps](Request& req) { return AuthorizeConsent(deps, req); });
  router.Add(http::Verb::get, "/open/oauth/share", {},
             [&deps](Request& req) { return ShareGet(deps, req); });
  router.Add(http::Verb::post, "/open/oauth/share", {},
             [&deps](Request& req) { return SharePost(deps, req); });
  router.Add(http::Verb::get, "/device", {},
             [&deps](Request& req) { return DeviceGet(deps, req); });
  router.Add(http::Verb::post, "/device", {}, [&deps, device_throttle](Request& req) {
    return DevicePost(deps, *device_throttle, req);
  });
  router.Add(
      http::Verb::post, std::string(kDeviceVerifyPath), {},
      [&deps, device_throttle](Request& req) { return DeviceVerify(deps, *device_throttle, req); });
}

}  // namespace cozeauth::console
