#pragma once
// The console pages (issue 12): server-rendered HTML over the console's JSON API. A page handler
// gets a PageCall — the signed-in user, the language, the posted form — renders its body and
// hands it to Render, which wraps it in the one layout (header, context switcher, navigation,
// language switch) with the one stylesheet and script (/console/static/…) under a strict CSP.
//
//   AddPage(router, deps, Verb::get, "/open/oauth/pats", [](PageCall& c) {
//     auto list = c.Api(Verb::get, "/api/permission_api/pat/list_personal_access_tokens");
//     if (!list) return c.Failure(kTitle, list.error());
//     return c.Render(kTitle, "<h1>" + std::string(c.T(kTitle)) + "</h1>" + …);
//   });
//
// Rules every page keeps:
// - No second copy of any rule: a state change goes through c.Api(…) — the console API's own
//   handler, in-process, as the signed-in user with the session's CSRF token — or an admin::
//   operation the API also uses. Pages read the store only to list what the user may see.
// - Every state change is a POST form carrying CsrfInput(); AddPage checks it (constant time)
//   before the handler runs, and answers GET for the page. After a change, SeeOther(…) back to a
//   page (303, post/redirect/get); a secret shown once is rendered in the POST's own response
//   (never put in a URL), with Cache-Control: no-store like every page.
// - Every value from the store or the user goes through Escape (console/html.hpp); attributes
//   are double-quoted. No inline script, no style="…" attribute (the CSP forbids both): classes
//   from console.css, and data-* hooks for console.js (data-copy, data-confirm, data-must-match).
// - Every string in both languages (Text, console/pages/i18n.hpp); ids on the elements tests use.
//
// Not signed in → 303 to /sign?redirect=<this page>. POST with a missing or wrong csrf_token →
// 403 page, nothing done. Unknown enterprise in the URL, or one the user is not a member of →
// 404 page (the same answer, so ids cannot be probed).

#include <boost/json.hpp>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/deps.hpp"
#include "base/result.hpp"
#include "console/html.hpp"
#include "console/pages/i18n.hpp"
#include "domain/model.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace cozeauth::console {

// A posted application/x-www-form-urlencoded body, fields in order.
struct FormFields {
  std::vector<std::pair<std::string, std::string>> fields;
  // The first value of `key`, or "".
  std::string Get(std::string_view key) const;
  // Every value of `key` (checkbox groups, multi-selects), in order.
  std::vector<std::string> All(std::string_view key) const;
  bool Has(std::string_view key) const;
};

// An enterprise the user belongs to: the context switcher's entries after the personal one.
struct EnterpriseContext {
  domain::Enterprise enterprise;
  domain::OrgRole role = domain::OrgRole::kMember;  // the user's role in the enterprise
  std::vector<domain::Account> organizations;       // its organizations (default first)
  bool IsAdmin() const { return domain::IsAdmin(role); }
};

// The enterprises `user_id` belongs to, with role and organizations (default first): what the
// context switcher lists. Reads the store.
Result<std::vector<EnterpriseContext>> LoadEnterprises(store::Store& store,
                                                       const std::string& user_id);

class PageCall {
 public:
  PageCall(http::Request& req, api::Deps& deps, const http::Router& router,
           const store::Session& session, const domain::User& user, Lang lang);

  http::Request& req;
  api::Deps& deps;
  const store::Session& session;
  const domain::User& user;
  const Lang lang;
  FormFields form;  // POST: the parsed body (its csrf_token already checked)

  std::string_view T(const Text& t) const { return Tr(lang, t); }

  // The enterprises the user belongs to, with role and organizations (read once per call).
  Result<const std::vector<EnterpriseContext>*> Enterprises();
  // The enterprise of the route's {enterprise_id}, when the page has one and the user is a
  // member; nullptr for a personal page. Not a member or unknown → kNotFound.
  Result<const EnterpriseContext*> CurrentEnterprise();
  // `suffix` (starting with '/') under the current context: "/open/oauth/pats" on a personal
  // page, "/enterprise/ent_1/open/oauth/pats" on a page of enterprise ent_1.
  std::string Link(std::string_view suffix) const;

  // Calls the console JSON API in-process: the route's own handler, as this user, with the
  // session's CSRF token. `target` is path + query (values percent-encoded by the caller, e.g.
  // with http::PercentEncode); `body` is sent as JSON unless null. Returns the envelope's `data`
  // (or the whole envelope when it has none, for top-level lists). A non-zero code → its Error
  // (code and public message as the API answered them).
  Result<boost::json::value> Api(http::Verb method, std::string target,
                                 boost::json::value body = nullptr);

  // <input type="hidden" name="csrf_token" value="…">, for every POST form.
  std::string CsrfInput() const;

  // The page: `body_html` (already escaped) inside the layout, titled T(title). 200 unless told.
  http::Response Render(const Text& title, std::string_view body_html, unsigned status = 200);
  // 303 See Other to `path` (an absolute path on this site), adding ?notice=<notice> (or
  // &notice=) when given; the next page shows it through Notice().
  http::Response SeeOther(std::string path, std::string_view notice = {});
  // The banner for this request's ?notice=, if it is one of `known` (its text, never the raw
  // query value); "" otherwise.
  std::string Notice(std::initializer_list<std::pair<std::string_view, Text>> known) const;
  // An error page titled T(title) with the error's message, status from its code (400, 403,
  // 404, 409; 401 → sign-in redirect). An internal fault shows only the log id and is logged
  // once with its cause.
  http::Response Failure(const Text& title, const Error& e);

 private:
  const http::Router& router_;
  std::optional<std::vector<EnterpriseContext>> enterprises_;
  bool internal_logged_ = false;  // Api already logged the 5000 it returns
};

using PageHandler = std::function<http::Response(PageCall&)>;

// Registers a console page (see the rules above). `pattern` as http::Router's; pages of an
// enterprise context start with "/enterprise/{enterprise_id}". `options.slow` for a page that
// checks a password (Argon2id).
void AddPage(http::Router& router, api::Deps& deps, http::Verb method, std::string pattern,
             PageHandler handler, http::RouteOptions options = {});

// Small HTML helpers every page uses, all escaping what they are given.
// <button type="button" class="copy" data-copy="ID">label</button>: copies #ID's text.
std::string CopyButton(const PageCall& c, std::string_view target_id);
// A Unix time as "2026-12-02 13:45 UTC"; "—" for ≤ 0 (never / permanent).
std::string FormatTime(int64_t unix_seconds);
// <p class="error" role="alert" id="form-error">message</p> for a form re-shown after a refusal.
std::string ErrorLine(std::string_view message);

// Every console page and its static files, in the order the page groups are listed in
// console/pages/pages.cpp. Called by the composition root after the console API is registered.
void RegisterConsolePages(http::Router& router, api::Deps& deps);

}  // namespace cozeauth::console
