// Self-checks of the harness's pure parts: the assertions the suites rely on must be able to
// fail, or a passing suite would prove nothing.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/http_client.hpp"
#include "support/openapi_expect.hpp"
#include "support/sqlite_file.hpp"
#include "support/sse.hpp"

namespace cozeauth::it {
namespace {
namespace json = boost::json;

TEST(Harness, ParseChatSseAcceptsTheExactFormat) {
  auto p = ParseChatSse("event:a\ndata:{\"x\":1}\n\nevent:done\ndata:\"[DONE]\"\n\n");
  ASSERT_TRUE(p.ok()) << p.error;
  ASSERT_EQ(p.events.size(), 2u);
  EXPECT_EQ(p.events[0].event, "a");
  EXPECT_EQ(p.events[0].data, "{\"x\":1}");
  EXPECT_EQ(p.events[1].event, "done");
}

TEST(Harness, ParseChatSseRejectsEveryDeviation) {
  for (const char* body : {
           "",                                    // nothing
           "data:x\n\n",                          // no event line
           "event:a\n\n",                         // no data line
           "event:a\nid:1\ndata:x\n\n",           // an extra field between
           "event:a\ndata:x\ndata:y\n\n",         // multi-line data
           "event:a\ndata:x\n",                   // no blank line
           "event:a\ndata:x\n\nevent:b\ndata:y",  // unterminated last line
           "event:a\r\ndata:x\r\n\r\n",           // CRLF
           ": comment\nevent:a\ndata:x\n\n",      // a comment line
       }) {
    EXPECT_FALSE(ParseChatSse(body).ok()) << "accepted: " << json::serialize(json::string(body));
  }
}

TEST(Harness, EnvelopeChecksFailOnWrongResponses) {
  HttpResponse ok{200,
                  {{"Content-Type", "application/json"}, {"X-Tt-Logid", "L1"}},
                  R"({"code":0,"msg":"","data":{},"detail":{"logid":"L1"}})"};
  EXPECT_TRUE(IsOk(ok));
  EXPECT_FALSE(IsCozeError(ok, 4100));
  HttpResponse other_logid = ok;
  other_logid.headers[1].second = "L2";
  EXPECT_FALSE(IsOk(other_logid));
  HttpResponse err{200,
                   {{"Content-Type", "application/json"}, {"X-Tt-Logid", "L1"}},
                   R"({"code":4101,"msg":"no","detail":{"logid":"L1"}})"};
  EXPECT_TRUE(IsCozeError(err, 4101));
  EXPECT_FALSE(IsCozeError(err, 4100));
  EXPECT_FALSE(IsCozeError(err, 4101, 403));
  EXPECT_FALSE(IsOk(err));
  HttpResponse no_msg{200,
                      {{"Content-Type", "application/json"}, {"X-Tt-Logid", "L1"}},
                      R"({"code":4101,"detail":{"logid":"L1"}})"};
  EXPECT_FALSE(IsCozeError(no_msg, 4101)) << "PY treats a body without msg as success";
}

TEST(Harness, IdAndTimestampChecks) {
  EXPECT_TRUE(IsId(json::value("1913343175169650534")));
  EXPECT_FALSE(IsId(json::value(1913343175169650534LL)));
  EXPECT_FALSE(IsId(json::value("191334317516965053")));
  EXPECT_FALSE(IsId(json::value("19133431751696505x4")));
  EXPECT_TRUE(IsTimestamp(json::value(1764062000)));
  EXPECT_FALSE(IsTimestamp(json::value(1764062000000LL))) << "milliseconds";
  EXPECT_FALSE(IsTimestamp(json::value("1764062000")));
  EXPECT_EQ(RandomId().size(), 19u);
  EXPECT_TRUE(IsId(json::value(RandomId())));
}

TEST(Harness, PathWalksObjectsAndArrays) {
  auto v = json::parse(R"({"data":{"items":[{"id":"a"},{"id":"b"}]}})");
  EXPECT_EQ(Str(v, "data.items.1.id"), "b");
  EXPECT_TRUE(Has(v, "data.items.0"));
  EXPECT_FALSE(Has(v, "data.items.2"));
  EXPECT_THROW(Path(v, "data.missing"), std::runtime_error);
  EXPECT_THROW(Int(v, "data.items.0.id"), std::runtime_error);
}

TEST(Harness, SnapshotDiffShowsChanges) {
  SqliteFile::Snapshot a{{"t", {"id='1' ", "id='2' "}}};
  SqliteFile::Snapshot b{{"t", {"id='1' ", "id='3' "}}};
  EXPECT_EQ(DiffSnapshots(a, a), "");
  const std::string diff = DiffSnapshots(a, b);
  EXPECT_NE(diff.find("- id='2'"), std::string::npos) << diff;
  EXPECT_NE(diff.find("+ id='3'"), std::string::npos) << diff;
  EXPECT_NE(DiffSnapshots(a, {}), "");
}

TEST(Harness, Sha256HexMatchesAKnownVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace cozeauth::it
