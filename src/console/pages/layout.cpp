#include "console/pages/layout.hpp"

#include "console/html.hpp"

namespace cozeauth::console {
namespace {

struct NavItem {
  Text label;
  std::string_view suffix;  // under the context: "" is its home page
  bool admin_only = false;  // enterprise pages only its admins can use
};

// 个人版: what a user does with their own account.
constexpr NavItem kPersonalNav[] = {
    {{"概览", "Overview"}, "/"},
    {{"个人访问令牌", "Personal access tokens"}, "/open/oauth/pats"},
    {{"OAuth 应用", "OAuth apps"}, "/open/oauth/apps"},
    {{"迁移空间到团队或企业", "Move a workspace"}, "/migrate"},
    {{"账号设置", "Account settings"}, "/account"},
};

// 企业版 / 团队版: the pages of one enterprise, under /enterprise/{enterprise_id}.
constexpr NavItem kEnterpriseNav[] = {
    {{"企业概览", "Enterprise overview"}, ""},
    {{"个人访问令牌", "Personal access tokens"}, "/open/oauth/pats"},
    {{"服务身份及凭证", "Service identities"}, "/open/oauth/service-identities", true},
    {{"OAuth 应用", "OAuth apps"}, "/open/oauth/apps"},
    {{"应用安装管理", "App installation management"}, "/open/oauth/installations", true},
    {{"成员与角色", "Members and roles"}, "/members"},
    {{"个人账号资源授权", "Personal account resource authorization"}, "/personal-resources", true},
    {{"线上观测", "Observation"}, "/observe", true},
    {{"审计日志", "Audit log"}, "/audit", true},
};

constexpr Text kPersonal{"个人版", "Personal"};
constexpr Text kEnterprise{"企业版", "Enterprise"};
constexpr Text kTeam{"团队版", "Team"};
constexpr Text kSwitch{"切换空间", "Switch context"};
constexpr Text kOrganization{"组织", "Organization"};
constexpr Text kNavLabel{"控制台导航", "Console navigation"};
constexpr Text kLangLabel{"语言", "Language"};
constexpr Text kSignOut{"退出登录", "Sign out"};
constexpr Text kSkip{"跳到正文", "Skip to content"};

std::string EditionLabel(Lang lang, const domain::Enterprise& e) {
  return std::string(Tr(lang, e.edition == domain::Edition::kTeam ? kTeam : kEnterprise));
}

std::string ContextLabel(const LayoutInput& in) {
  if (!in.current) return std::string(Tr(in.lang, kPersonal)) + " · " + in.user->name;
  return EditionLabel(in.lang, in.current->enterprise) + " · " + in.current->enterprise.name;
}

std::string Switcher(const LayoutInput& in) {
  std::string out = "<details class=\"switcher\" id=\"context-switcher\"><summary aria-label=\"" +
                    Escape(Tr(in.lang, kSwitch)) + "\">" + Escape(ContextLabel(in)) +
                    "</summary><ul>";
  out += "<li><a href=\"/\" data-context=\"personal\"" +
         std::string(in.current ? "" : " aria-current=\"true\"") + ">" +
         Escape(Tr(in.lang, kPersonal)) + " · " + Escape(in.user->name) + "</a></li>";
  if (in.enterprises) {
    for (const auto& e : *in.enterprises) {
      const bool here = in.current && in.current->enterprise.id == e.enterprise.id;
      out += "<li><a href=\"/enterprise/" + Escape(e.enterprise.id) + "\" data-context=\"" +
             Escape(e.enterprise.id) + "\"" + (here ? " aria-current=\"true\"" : "") + ">" +
             Escape(EditionLabel(in.lang, e.enterprise)) + " · " + Escape(e.enterprise.name) +
             "</a>";
      // Its organizations: each one's tokens (a PAT belongs to one organization).
      if (!e.organizations.empty()) out += "<ul class=\"orgs\">";
      for (const auto& org : e.organizations) {
        out += "<li><a href=\"/enterprise/" + Escape(e.enterprise.id) +
               "/open/oauth/pats?organization_id=" + Escape(org.id) + "\" data-organization=\"" +
               Escape(org.id) + "\">" + Escape(Tr(in.lang, kOrganization)) + " · " +
               Escape(org.name) + "</a></li>";
      }
      if (!e.organizations.empty()) out += "</ul>";
      out += "</li>";
    }
  }
  return out + "</ul></details>";
}

std::string Navigation(const LayoutInput& in) {
  std::string prefix;
  if (in.current) prefix = "/enterprise/" + in.current->enterprise.id;
  std::string out =
      "<nav class=\"side\" aria-label=\"" + Escape(Tr(in.lang, kNavLabel)) + "\"><ul>";
  auto add = [&](const NavItem& item) {
    if (item.admin_only && in.current && !in.current->IsAdmin()) return;
    std::string href = prefix + std::string(item.suffix);
    if (href.empty()) href = "/";
    const bool here = href == in.path;
    out += "<li><a href=\"" + Escape(href) + "\"" + (here ? " aria-current=\"page\"" : "") + ">" +
           Escape(Tr(in.lang, item.label)) + "</a></li>";
  };
  if (in.current) {
    for (const auto& item : kEnterpriseNav) add(item);
  } else {
    for (const auto& item : kPersonalNav) add(item);
  }
  return out + "</ul></nav>";
}

std::string LanguageSwitch(const LayoutInput& in) {
  const std::string path = Escape(in.path);
  auto link = [&](Lang l, std::string_view label) {
    // A path that carries a query (an authorize request's parameters) keeps it.
    const char* sep = in.path.find('?') == std::string_view::npos ? "?" : "&";
    return "<a href=\"" + path + sep + "lang=" + std::string(LangCode(l)) + "\" lang=\"" +
           std::string(LangTag(l)) + "\" hreflang=\"" + std::string(LangTag(l)) + "\"" +
           (l == in.lang ? " aria-current=\"true\"" : "") + ">" + std::string(label) + "</a>";
  };
  return "<nav class=\"lang\" aria-label=\"" + Escape(Tr(in.lang, kLangLabel)) + "\">" +
         link(Lang::kZh, "中文") + " " + link(Lang::kEn, "English") + "</nav>";
}

}  // namespace

std::string RenderLayout(const LayoutInput& in, std::string_view body_html) {
  std::string out = "<!doctype html><html lang=\"" + std::string(LangTag(in.lang)) +
                    "\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                    "<meta name=\"referrer\" content=\"no-referrer\">"
                    // No favicon request (it would be a 404 on every page).
                    "<link rel=\"icon\" href=\"data:,\"><title>";
  out += Escape(in.title);
  out += " · cozeauth</title><link rel=\"stylesheet\" href=\"" + std::string(kStylesheetPath) +
         "\"><script src=\"" + std::string(kScriptPath) + "\" defer></script></head><body>";
  out += "<a class=\"skip\" href=\"#main\">" + Escape(Tr(in.lang, kSkip)) + "</a>";
  out += "<header class=\"top\"><a class=\"brand\" href=\"/\">cozeauth</a>";
  if (in.user) {
    out += Switcher(in);
    out += LanguageSwitch(in);
    out += "<span class=\"who\" id=\"signed-in-as\">" + Escape(in.user->email) + "</span>";
    out += "<form method=\"post\" action=\"/console/logout\" class=\"inline\">" + in.csrf_input +
           "<button type=\"submit\" class=\"secondary\" id=\"sign-out\">" +
           Escape(Tr(in.lang, kSignOut)) + "</button></form>";
  } else {
    out += LanguageSwitch(in);
  }
  out += "</header><div class=\"frame\">";
  if (in.user) out += Navigation(in);
  out += "<main id=\"main\">";
  out += body_html;
  out += "</main></div></body></html>";
  return out;
}

http::Response HtmlResponse(std::string html, unsigned status, std::string_view form_origin) {
  http::Response res = http::Response::Html(std::move(html), status);
  std::string csp(kPageCsp);
  if (!form_origin.empty() && form_origin.find_first_of(" ;,'\"") == std::string_view::npos) {
    constexpr std::string_view kSelf = "form-action 'self'";
    if (const size_t at = csp.find(kSelf); at != std::string::npos) {
      csp.insert(at + kSelf.size(), " " + std::string(form_origin));
    }
  }
  res.SetHeader("Content-Security-Policy", std::move(csp));
  res.SetHeader("Cache-Control", "no-store");
  res.SetHeader("X-Frame-Options", "DENY");
  res.SetHeader("X-Content-Type-Options", "nosniff");
  res.SetHeader("Referrer-Policy", "no-referrer");
  return res;
}

std::string_view Stylesheet() {
  return R"css(:root{--ink:#1f2329;--muted:#5b6270;--line:#dee0e3;--bg:#f4f5f7;--brand:#3c42d6;--danger:#b42318;--ok:#067647}
*{box-sizing:border-box}
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;background:var(--bg);margin:0;color:var(--ink);line-height:1.5}
a{color:var(--brand)}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.4rem;z-index:2}
.top{display:flex;align-items:center;gap:1rem;padding:.6rem 1.2rem;background:#fff;border-bottom:1px solid var(--line);flex-wrap:wrap}
.brand{font-weight:700;text-decoration:none;color:var(--ink)}
.switcher{position:relative}.switcher summary{cursor:pointer;padding:.3rem .6rem;border:1px solid var(--line);border-radius:6px}
.switcher ul{position:absolute;background:#fff;border:1px solid var(--line);border-radius:6px;list-style:none;margin:.3rem 0 0;padding:.3rem;min-width:16rem;z-index:1}
.switcher li a{display:block;padding:.3rem .5rem;text-decoration:none}
.switcher a[aria-current]{font-weight:700}
.switcher ul.orgs{position:static;border:0;margin:0 0 0 1rem;padding:0;min-width:0}
.lang a{margin-right:.4rem}.lang a[aria-current]{font-weight:700;text-decoration:none;color:var(--ink)}
.who{margin-left:auto;color:var(--muted)}
.frame{display:flex;align-items:flex-start}
.side{width:15rem;flex:none;padding:1rem .6rem}
.side ul{list-style:none;margin:0;padding:0}
.side a{display:block;padding:.4rem .7rem;border-radius:6px;text-decoration:none;color:var(--ink)}
.side a[aria-current]{background:#e6e8fc;font-weight:600}
main{flex:1;min-width:0;max-width:72rem;margin:1rem;background:#fff;border-radius:10px;padding:1.4rem 1.8rem;box-shadow:0 1px 6px rgba(0,0,0,.06)}
h1{font-size:1.4rem;margin:0 0 1rem}h2{font-size:1.1rem;margin:1.6rem 0 .6rem}
label{display:block;margin:.7rem 0 .25rem;font-weight:500}
label.choice{font-weight:400;margin:.3rem 0}
input[type=text],input[type=email],input[type=password],input[type=number],input[type=date],select,textarea{width:100%;max-width:36rem;padding:.5rem;border:1px solid #b8bcc4;border-radius:6px;font:inherit}
textarea{min-height:8rem;font-family:ui-monospace,monospace}
button,.button{display:inline-block;padding:.45rem 1.1rem;border-radius:6px;border:1px solid var(--brand);font:inherit;cursor:pointer;background:var(--brand);color:#fff;text-decoration:none;margin:.6rem .4rem 0 0}
button.secondary,.button.secondary{background:#fff;color:var(--brand)}
button.danger{background:#fff;color:var(--danger);border-color:var(--danger)}
button:focus-visible,a:focus-visible,summary:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #9ea3f5;outline-offset:1px}
button[disabled]{opacity:.55;cursor:not-allowed}
form.inline{display:inline}form.inline button{margin:0 .3rem 0 0}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{text-align:left;padding:.45rem .5rem;border-bottom:1px solid var(--line);vertical-align:top;font-size:.94rem}
th{color:var(--muted);font-weight:600}
fieldset{border:1px solid var(--line);border-radius:8px;margin:1rem 0;padding:.6rem 1rem}
legend{font-weight:600;padding:0 .3rem}
code,.secret{font-family:ui-monospace,monospace;background:#f0f1f4;padding:.1rem .3rem;border-radius:4px;word-break:break-all}
.secret{display:block;padding:.7rem;font-size:1rem;margin:.5rem 0}
.muted,.hint{color:var(--muted)}.hint{font-size:.9rem;margin:.2rem 0}
.error{color:var(--danger)}.ok{color:var(--ok)}
button.copied{border-color:var(--ok);color:var(--ok)}
.notice{background:#ecfdf3;border:1px solid #abefc6;color:var(--ok);padding:.6rem .8rem;border-radius:6px}
.warning{background:#fffaeb;border:1px solid #fedf89;color:#7a2e0e;padding:.6rem .8rem;border-radius:6px}
.status-active{color:var(--ok)}.status-revoked,.status-disabled,.status-expired{color:var(--danger)}
.chart{max-width:100%;height:auto;border:1px solid var(--line);border-radius:6px;background:#fff}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
ol.steps li{margin:.3rem 0}
@media (max-width:48rem){.frame{display:block}.side{width:auto}main{margin:.5rem;padding:1rem}}
)css";
}

std::string_view Script() {
  return R"js(// cozeauth console: copy buttons, confirmations, confirm-by-typing. No other script runs.
'use strict';
document.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-copy]');
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  if (!source) return;
  // A link marked data-copy-href copies its URL, resolved by the browser to an absolute one.
  const text = source.hasAttribute('data-copy-href') ? source.href
      : source.value !== undefined ? source.value : source.textContent;
  const done = () => {
    // An icon button keeps its icon: its accessible name says "copied" for a moment instead.
    const iconOnly = button.children.length > 0;
    const label = iconOnly ? button.getAttribute('aria-label') : button.textContent;
    const copied = button.dataset.copied || label;
    if (iconOnly) button.setAttribute('aria-label', copied); else button.textContent = copied;
    button.classList.add('copied');
    setTimeout(() => {
      if (iconOnly) button.setAttribute('aria-label', label); else button.textContent = label;
      button.classList.remove('copied');
    }, 1500);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, () => {});
  } else {
    const range = document.createRange();
    range.selectNodeContents(source);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    try { document.execCommand('copy'); done(); } catch (e) { /* selected: copy by hand */ }
  }
});
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
});
const syncMustMatch = (input) => {
  const form = input.form;
  if (!form) return;
  const ok = input.value === input.dataset.mustMatch;
  for (const b of form.querySelectorAll('button[type=submit]')) b.disabled = !ok;
};
document.addEventListener('input', (event) => {
  if (event.target.dataset && event.target.dataset.mustMatch !== undefined) syncMustMatch(event.target);
});
document.addEventListener('DOMContentLoaded', () => {
  for (const input of document.querySelectorAll('input[data-must-match]')) syncMustMatch(input);
  for (const link of document.querySelectorAll('a[data-copy-href]')) link.textContent = link.href;
});
)js";
}

void RegisterStaticFiles(http::Router& router) {
  auto serve = [](std::string_view body, std::string type) {
    return [body, type](http::Request&) {
      http::Response res;
      res.content_type = type;
      res.body = std::string(body);
      res.SetHeader("Cache-Control", "public, max-age=300");
      res.SetHeader("X-Content-Type-Options", "nosniff");
      return res;
    };
  };
  router.Add(http::Verb::get, std::string(kStylesheetPath), {.inline_io = true},
             serve(Stylesheet(), "text/css; charset=utf-8"));
  router.Add(http::Verb::get, std::string(kScriptPath), {.inline_io = true},
             serve(Script(), "text/javascript; charset=utf-8"));
}

}  // namespace cozeauth::console
