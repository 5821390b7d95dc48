#include "api/respond.hpp"

#include <gtest/gtest.h>

#include <string>

namespace cozeauth::api {
namespace {

namespace json = boost::json;

TEST(Ok, IsTheEnvelopeSerialisedAsOneObject) {
  http::Request req;
  req.logid = "2026\"\\\x01";  // escaped like any JSON string
  const boost::json::value data = {{"bot_id", "7"}, {"name", "\xe6\x89\xa3\xe5\xad\x90"}};
  const http::Response res = Ok(req, data);
  const boost::json::value expected = {
      {"code", 0}, {"msg", ""}, {"data", data}, {"detail", {{"logid", req.logid}}}};
  EXPECT_EQ(res.body, boost::json::serialize(expected));
  EXPECT_EQ(boost::json::parse(res.body), expected);
  EXPECT_EQ(res.status, 200u);
  EXPECT_EQ(OkSerialized(req, boost::json::serialize(data)).body, res.body);
}

TEST(RedactSecrets, MasksCredentialsAndKeepsTheCause) {
  struct Case {
    std::string in, want;
  };
  const Case cases[] = {
      {"sqlite insert token: database or disk is full",
       "sqlite insert token: database or disk is full"},
      {"no such table: main.t_gone", "no such table: main.t_gone"},
      {"workspace 7312045567890123456 not found", "workspace 7312045567890123456 not found"},
      {"Authorization: Bearer pat_x", "Authorization: Bearer [redacted]"},
      {"bearer abc", "bearer [redacted]"},
      {"password=hunter2 rejected", "password=[redacted] rejected"},
      {"password: 'hunter2'", "password: '[redacted]'"},
      {"token pat_0123456789abcdefABCDEF0123456789 unusable", "token [redacted] unusable"},
      {"cookie cozeauth_session=Zm9vYmFyYmF6cXV4cXV1eDEyMzQ1Njc4OQ", "cookie [redacted]"},
      {"digest 3f786850e387550fdab836ed7e6dc881de23001b in use", "digest [redacted] in use"},
      {"czs_short", "[redacted]"},
  };
  for (const auto& c : cases) EXPECT_EQ(RedactSecrets(c.in), c.want) << c.in;
}

TEST(InternalErrorLine, IsOneJsonLineWithLogidRouteAndRedactedCause) {
  const std::string line = InternalErrorLine("20260101000000ABCDEF", "/api/x",
                                             "insert failed\r\nBearer pat_SECRETSECRETSECRET1");
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(line.find('\r'), std::string::npos);
  EXPECT_EQ(line.find("SECRET"), std::string::npos) << line;
  json::value v = json::parse(line);
  EXPECT_EQ(v.at("level"), "error");
  EXPECT_EQ(v.at("logid"), "20260101000000ABCDEF");
  EXPECT_EQ(v.at("route"), "/api/x");
  EXPECT_EQ(v.at("code"), 5000);
  EXPECT_EQ(v.at("error"), "insert failed\r\nBearer [redacted]");
}

TEST(Fail, InternalCauseStaysOutOfTheBody) {
  http::Request req;
  req.logid = "LOGID1";
  req.route = "/r";
  testing::internal::CaptureStderr();
  http::Response res = Fail(req, Error::Make(Errc::kInternal, "sqlite: disk I/O error"));
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(res.status, 500u);
  EXPECT_EQ(res.body.find("disk"), std::string::npos) << res.body;
  EXPECT_NE(err.find("\"logid\":\"LOGID1\""), std::string::npos) << err;
  EXPECT_NE(err.find("sqlite: disk I/O error"), std::string::npos) << err;
}

TEST(Fail, BusinessErrorsAreNotLogged) {
  http::Request req;
  req.logid = "LOGID2";
  testing::internal::CaptureStderr();
  (void)Fail(req, Error::BadRequest("name", "name is required"));
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}

}  // namespace
}  // namespace cozeauth::api
