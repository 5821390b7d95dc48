// Language choice for the console pages (console/pages/i18n.hpp).
#include "console/pages/i18n.hpp"

#include <gtest/gtest.h>

namespace cozeauth::console {
namespace {

TEST(AcceptLanguage, PicksTheHigherQualityOfChineseAndEnglish) {
  EXPECT_EQ(LangFromAcceptLanguage("zh-CN,zh;q=0.9,en;q=0.8"), Lang::kZh);
  EXPECT_EQ(LangFromAcceptLanguage("en-US,en;q=0.9"), Lang::kEn);
  EXPECT_EQ(LangFromAcceptLanguage("en;q=0.3, zh-TW;q=0.8"), Lang::kZh);
  EXPECT_EQ(LangFromAcceptLanguage("fr-FR, en-GB;q=0.5, zh;q=0.4"), Lang::kEn);
  EXPECT_EQ(LangFromAcceptLanguage("EN-us"), Lang::kEn) << "ranges are case-insensitive";
  // Ties go to the first listed.
  EXPECT_EQ(LangFromAcceptLanguage("en, zh"), Lang::kEn);
}

TEST(AcceptLanguage, ExclusionsMalformedValuesAndOthersFallBack) {
  EXPECT_EQ(LangFromAcceptLanguage(""), Lang::kZh);
  EXPECT_EQ(LangFromAcceptLanguage("fr, de"), Lang::kZh);
  EXPECT_EQ(LangFromAcceptLanguage("fr", Lang::kEn), Lang::kEn);
  EXPECT_EQ(LangFromAcceptLanguage("en;q=0, fr"), Lang::kZh) << "q=0 excludes";
  EXPECT_EQ(LangFromAcceptLanguage("en;q=2"), Lang::kZh) << "q above 1 is malformed";
  EXPECT_EQ(LangFromAcceptLanguage("en;q=abc"), Lang::kZh);
  EXPECT_EQ(LangFromAcceptLanguage("english"), Lang::kZh) << "not the range en";
  EXPECT_EQ(LangFromAcceptLanguage(std::string(2000, 'e') + ",en"), Lang::kZh) << "oversize";
}

TEST(LangChoice, QueryThenCookieThenHeader) {
  http::Request req;
  req.headers.set("Accept-Language", "en");
  EXPECT_EQ(ChooseLang(req).lang, Lang::kEn);
  req.headers.set("Cookie", "cozeauth_lang=zh");
  EXPECT_EQ(ChooseLang(req).lang, Lang::kZh);
  EXPECT_FALSE(ChooseLang(req).from_query);
  req.query = {{"lang", "en"}};
  EXPECT_EQ(ChooseLang(req).lang, Lang::kEn);
  EXPECT_TRUE(ChooseLang(req).from_query);
  req.query = {{"lang", "xx"}};
  EXPECT_EQ(ChooseLang(req).lang, Lang::kZh) << "an unknown ?lang= is ignored";
  EXPECT_EQ(LangCookieHeader(Lang::kEn, true),
            "cozeauth_lang=en; Path=/; Max-Age=31536000; SameSite=Lax; Secure");
}

}  // namespace
}  // namespace cozeauth::console
