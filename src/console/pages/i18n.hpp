#pragma once
// The console's two languages. Every string a page shows is a Text holding both, written where
// it is used (no central catalogue to drift from the page); Coze's own zh-CN labels are used
// where the console names a Coze place (design/console.md). The language comes from, in order:
// `?lang=zh|en` (which the page also remembers in the `cozeauth_lang` cookie), that cookie, the
// Accept-Language header (q-values honoured), and Chinese by default. Pure functions.

#include <string>
#include <string_view>

#include "http/message.hpp"

namespace cozeauth::console {

enum class Lang { kZh, kEn };

// One string in both languages. Both must be non-empty (checked by i18n_test for the tables that
// tests can reach, and by review everywhere else).
struct Text {
  std::string_view zh;
  std::string_view en;
};

inline std::string_view Tr(Lang lang, const Text& t) { return lang == Lang::kZh ? t.zh : t.en; }

inline constexpr std::string_view kLangCookie = "cozeauth_lang";

// "zh-CN" / "en": the value of <html lang>.
std::string_view LangTag(Lang lang);
// "zh" / "en": the value of ?lang= and of the cookie.
std::string_view LangCode(Lang lang);

// The best match for an Accept-Language header: the first of zh / en by q-value (zh-* and en-*
// count; q=0 excludes), ties in header order; nullopt-like: `fallback` when neither appears or the
// header is malformed.
Lang LangFromAcceptLanguage(std::string_view header, Lang fallback = Lang::kZh);

// The request's language (see the header comment), and whether `?lang=` chose it (the page then
// sets the cookie so the choice sticks).
struct LangChoice {
  Lang lang = Lang::kZh;
  bool from_query = false;
};
LangChoice ChooseLang(const http::Request& req);

// `Set-Cookie` value remembering `lang` for a year (SameSite=Lax; Secure when `secure`).
std::string LangCookieHeader(Lang lang, bool secure);

}  // namespace cozeauth::console
