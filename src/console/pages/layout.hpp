#pragma once
// The one frame of every console page (console/pages/page.hpp renders through it): the header
// with the context switcher (个人版 / 企业版), the navigation of the current context, the language
// switch and sign-out; and the HTTP headers every page carries (strict CSP, no-store, no
// framing). The stylesheet and script are served from /console/static/ (RegisterStaticFiles) so
// that the CSP needs neither 'unsafe-inline' nor any other origin. Pure functions.

#include <string>
#include <string_view>
#include <vector>

#include "console/pages/i18n.hpp"
#include "console/pages/page.hpp"
#include "domain/model.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

namespace cozeauth::console {

inline constexpr std::string_view kStylesheetPath = "/console/static/console.css";
inline constexpr std::string_view kScriptPath = "/console/static/console.js";
// Every console page's policy: its own origin's stylesheet and script only, no plugins, forms
// post only to this site, never framed.
inline constexpr std::string_view kPageCsp =
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

struct LayoutInput {
  Lang lang = Lang::kZh;
  std::string_view title;
  std::string_view path;  // this page's path as requested (language links, aria-current)
  const domain::User* user = nullptr;
  std::string csrf_input;                                       // for the sign-out form
  const std::vector<EnterpriseContext>* enterprises = nullptr;  // null: could not be read
  const EnterpriseContext* current = nullptr;                   // null: the personal context
};

// The whole document around `body_html` (already escaped).
std::string RenderLayout(const LayoutInput& in, std::string_view body_html);

// text/html with the console's headers (CSP, Cache-Control: no-store, X-Frame-Options,
// X-Content-Type-Options, Referrer-Policy). `form_origin`, when given, is one more origin the
// page's forms may end at (the OAuth consent page's redirect URI: browsers apply form-action to
// the redirects after a post too); one holding a space, quote, comma or semicolon is ignored.
http::Response HtmlResponse(std::string html, unsigned status = 200,
                            std::string_view form_origin = {});

// GET /console/static/console.css and /console/static/console.js.
void RegisterStaticFiles(http::Router& router);

// The stylesheet and the script, for tests.
std::string_view Stylesheet();
std::string_view Script();

}  // namespace cozeauth::console
