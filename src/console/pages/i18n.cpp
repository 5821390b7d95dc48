#include "console/pages/i18n.hpp"

#include <cctype>
#include <charconv>
#include <optional>

#include "console/session.hpp"

namespace cozeauth::console {
namespace {

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The language a range names ("zh", "zh-CN", "en-US", …); nullopt for any other.
std::optional<Lang> RangeLang(std::string_view range) {
  for (auto [prefix, lang] : {std::pair{std::string_view("zh"), Lang::kZh},
                              std::pair{std::string_view("en"), Lang::kEn}}) {
    if (StartsWithNoCase(range, prefix) &&
        (range.size() == prefix.size() || range[prefix.size()] == '-')) {
      return lang;
    }
  }
  return std::nullopt;
}

// q-value in thousandths ("q=0.8" → 800); nullopt when malformed.
std::optional<int> QValue(std::string_view params) {
  int q = 1000;
  while (!params.empty()) {
    const size_t semi = params.find(';');
    std::string_view p = Trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    if (!StartsWithNoCase(p, "q=")) continue;
    p.remove_prefix(2);
    if (p.empty() || p.size() > 5 || (p[0] != '0' && p[0] != '1')) return std::nullopt;
    q = (p[0] - '0') * 1000;
    if (p.size() > 1) {
      if (p[1] != '.') return std::nullopt;
      int scale = 100;
      for (char d : p.substr(2)) {
        if (d < '0' || d > '9') return std::nullopt;
        q += (d - '0') * scale;
        scale /= 10;
      }
    }
    if (q > 1000) return std::nullopt;
  }
  return q;
}

std::optional<Lang> ParseCode(std::string_view code) {
  if (code == "zh" || code == "zh-CN") return Lang::kZh;
  if (code == "en") return Lang::kEn;
  return std::nullopt;
}

}  // namespace

std::string_view LangTag(Lang lang) { return lang == Lang::kZh ? "zh-CN" : "en"; }
std::string_view LangCode(Lang lang) { return lang == Lang::kZh ? "zh" : "en"; }

Lang LangFromAcceptLanguage(std::string_view header, Lang fallback) {
  if (header.size() > 1024) return fallback;  // no client needs more; bounds the work
  std::optional<Lang> best;
  int best_q = 0;
  while (!header.empty()) {
    const size_t comma = header.find(',');
    std::string_view item = Trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    const size_t semi = item.find(';');
    auto lang = RangeLang(Trim(item.substr(0, semi)));
    if (!lang) continue;
    auto q = QValue(semi == std::string_view::npos ? std::string_view() : item.substr(semi + 1));
    if (!q || *q == 0) continue;
    if (*q > best_q) {
      best = lang;
      best_q = *q;
    }
  }
  return best.value_or(fallback);
}

LangChoice ChooseLang(const http::Request& req) {
  if (auto q = req.Query("lang")) {
    if (auto lang = ParseCode(*q)) return {*lang, true};
  }
  if (auto cookie = api::CookieValue(req, kLangCookie)) {
    if (auto lang = ParseCode(*cookie)) return {*lang, false};
  }
  return {LangFromAcceptLanguage(req.Header("Accept-Language")), false};
}

std::string LangCookieHeader(Lang lang, bool secure) {
  std::string v = std::string(kLangCookie) + "=" + std::string(LangCode(lang)) +
                  "; Path=/; Max-Age=31536000; SameSite=Lax";
  if (secure) v += "; Secure";
  return v;
}

}  // namespace cozeauth::console
