#include <gtest/gtest.h>

#include "http/message.hpp"
#include "http/router.hpp"

namespace cozeauth::http {
namespace {

TEST(Router, MatchesLiteralsAndCaptures) {
  Router r;
  r.Add(Verb::get, "/v1/bots/{bot_id}", {.permission = "getMetadata"},
        [](Request&) { return Response{}; });
  r.Add(Verb::get, "/v1/bots", {}, [](Request&) { return Response{}; });
  r.Add(Verb::post, "/api/passport/web/email/login/", {}, [](Request&) { return Response{}; });

  struct {
    Verb method;
    std::string path;
    std::string pattern;  // empty = no match
    std::string param;
    bool path_matched;
  } cases[] = {
      {Verb::get, "/v1/bots/123", "/v1/bots/{bot_id}", "123", false},
      {Verb::get, "/v1/bots", "/v1/bots", "", false},
      {Verb::get, "/v1/bots/", "/v1/bots", "", false},
      {Verb::post, "/api/passport/web/email/login", "/api/passport/web/email/login/", "", false},
      {Verb::post, "/v1/bots/123", "", "", true},
      {Verb::get, "/v1/bots/123/x", "", "", false},
      {Verb::get, "/", "", "", false},
  };
  for (const auto& c : cases) {
    std::vector<std::pair<std::string, std::string>> params;
    bool matched = false;
    const Route* route = r.Match(c.method, c.path, params, matched);
    if (c.pattern.empty()) {
      EXPECT_EQ(route, nullptr) << c.path;
      EXPECT_EQ(matched, c.path_matched) << c.path;
    } else {
      ASSERT_NE(route, nullptr) << c.path;
      EXPECT_EQ(route->pattern, c.pattern);
      if (!c.param.empty()) {
        ASSERT_EQ(params.size(), 1u);
        EXPECT_EQ(params[0].second, c.param);
      }
    }
  }
}

TEST(Router, RejectsDuplicateRoutes) {
  Router r;
  r.Add(Verb::get, "/a", {}, [](Request&) { return Response{}; });
  EXPECT_THROW(r.Add(Verb::get, "/a", {}, [](Request&) { return Response{}; }), std::logic_error);
}

TEST(Query, DecodesToleratingUnencodedValues) {
  auto q = ParseQuery("a=1&b=x%20y&c=p+q&d=100%&e&=z&conversation_id=73 8");
  ASSERT_EQ(q.size(), 7u);
  EXPECT_EQ(q[0], (std::pair<std::string, std::string>{"a", "1"}));
  EXPECT_EQ(q[1].second, "x y");
  EXPECT_EQ(q[2].second, "p q");
  EXPECT_EQ(q[3].second, "100%");
  EXPECT_EQ(q[4], (std::pair<std::string, std::string>{"e", ""}));
  EXPECT_EQ(q[5].first, "");
  EXPECT_EQ(q[6].second, "73 8");
  EXPECT_EQ(PercentEncode("a b/c"), "a%20b%2Fc");
}

TEST(Envelope, HasCodeMsgAndLogid) {
  EXPECT_EQ(ErrorEnvelope(4100, "authentication is invalid", "L1"),
            R"({"code":4100,"msg":"authentication is invalid","detail":{"logid":"L1"}})");
}

}  // namespace
}  // namespace cozeauth::http
