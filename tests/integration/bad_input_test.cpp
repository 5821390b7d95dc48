// Bad input gets a clear error and changes nothing (architecture.md §10): malformed JSON and
// wrong field types → 4000; oversized bodies → HTTP 413 (or a 4000-family code); broken
// multipart uploads → 4000 or 43xx; hostile headers do not take the server down. Unknown
// fields, on the other hand, are tolerated: the SDKs send extras (style.md §6).
//
// "Changes nothing" means the domain data: after each rejected batch the stored rows of every
// table except the observation table request_stats (and the tokens' last_used_at bookkeeping)
// and the upload directory equal a snapshot taken before. The observation table, on the
// contrary, must record the refusals: its counts reach the store in a background flush every
// second, so the tests that check them restart the server — a graceful stop flushes them —
// rather than race that flush (TestServer::Restart).

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "support/openapi_expect.hpp"
#include "support/shared_world.hpp"
#include "support/sqlite_file.hpp"

namespace cozeauth::it {
namespace {
namespace json = boost::json;

struct BadRequest {
  std::string method;
  std::string target;
  std::string body;
};

class BadInput : public SharedWorld<BadInput> {
 protected:
  // A conversation with one message, for the endpoints that need ids.
  struct Ids {
    std::string conversation;
    std::string message;
  };
  // Made once per world (a repeated run, --gtest_repeat, builds a new world and server).
  static const Ids& Existing() {
    static std::string made_for_bot;
    static Ids ids;
    if (made_for_bot != world().bot_id) {
      ids.conversation =
          Str(OkBody(Post("/v1/conversation/create", json::object{{"bot_id", world().bot_id}})),
              "data.id");
      ids.message =
          Str(OkBody(Post(
                  "/v1/conversation/message/create?conversation_id=" + ids.conversation,
                  json::object{{"role", "user"}, {"content", "kept"}, {"content_type", "text"}})),
              "data.id");
      made_for_bot = world().bot_id;
    }
    return ids;
  }

  struct StoreState {
    SqliteFile::Snapshot rows;
    std::set<std::string> files;
  };
  // Domain data only: the server writes request_stats and last_used_at in the background.
  static StoreState State() {
    StoreState s;
    s.rows = SqliteFile(server().db_path()).Snap({"request_stats"}, {"last_used_at"});
    std::error_code ec;
    for (const auto& e : std::filesystem::recursive_directory_iterator(server().data_dir(), ec)) {
      s.files.insert(e.path().string());
    }
    return s;
  }
  static void ExpectUnchanged(const StoreState& before) {
    StoreState after = State();
    EXPECT_EQ(DiffSnapshots(before.rows, after.rows), "") << "rejected input changed the store";
    EXPECT_EQ(before.files, after.files) << "rejected input changed the upload directory";
  }

  // Requests by the world's PAT that request_stats holds, answered with `code` (any code when
  // nullopt). Only exact after Flush().
  static int64_t Observed(std::optional<int> code = std::nullopt) {
    std::string sql = "SELECT COALESCE(SUM(count), 0) FROM request_stats WHERE token_id = '" +
                      world().pat.id + "'";
    if (code) sql += " AND code = " + std::to_string(*code);
    return SqliteFile(server().db_path()).QueryInt(sql);
  }
  // Everything the server counted so far is in the store once this returns.
  static void Flush() { server().Restart(); }

  static HttpResponse Send(const BadRequest& r,
                           const std::string& content_type = "application/json") {
    return http().Request(r.method, r.target, auth(), r.body, content_type);
  }

  // The write endpoints that take a JSON body.
  static std::vector<std::string> JsonWriteTargets() {
    const Ids& ids = Existing();
    const std::string cq = "?conversation_id=" + ids.conversation;
    const std::string mq = cq + "&message_id=" + ids.message;
    return {"POST /v1/workspaces",
            "POST /v1/bot/create",
            "POST /v1/bot/update",
            "POST /v1/bot/publish",
            "POST /v1/conversation/create",
            "PUT /v1/conversations/" + ids.conversation,
            "POST /v1/conversation/message/create" + cq,
            "POST /v1/conversation/message/list" + cq,
            "POST /v1/conversation/message/modify" + mq,
            "POST /v3/chat" + cq,
            "POST /v3/chat/cancel"};
  }

  static BadRequest Make(const std::string& method_and_target, std::string body) {
    auto sp = method_and_target.find(' ');
    return {method_and_target.substr(0, sp), method_and_target.substr(sp + 1), std::move(body)};
  }

  static bool Is4000Family(int code) { return code == 4000 || (code >= 4300 && code <= 4399); }
};

TEST_F(BadInput, MalformedJsonIs4000AndChangesNothing) {
  const auto targets = JsonWriteTargets();
  const std::vector<std::string> bodies = {"{\"name\":",
                                           "not json at all",
                                           "{\"a\":1}{\"b\":2}",
                                           "[1,2,3]",
                                           "\"a string\"",
                                           "{'single':'quotes'}",
                                           std::string("{\"name\":\"\xff\xfe\"}")};
  Flush();  // the setup's requests, so that the counts below are this test's alone
  const StoreState before = State();
  const int64_t observed_before = Observed(), refused_before = Observed(4000);
  for (const auto& t : targets) {
    for (const std::string& body : bodies) {
      SCOPED_TRACE(t + " with body " + body);
      EXPECT_TRUE(IsCozeError(Send(Make(t, body)), 4000));
    }
  }
  ExpectUnchanged(before);
  // The observation table records every refusal, and nothing else.
  Flush();
  const int64_t sent = static_cast<int64_t>(targets.size() * bodies.size());
  EXPECT_EQ(Observed(4000) - refused_before, sent);
  EXPECT_EQ(Observed() - observed_before, sent);
  ExpectUnchanged(before);  // the flush at shutdown wrote observations only
}

TEST_F(BadInput, WrongFieldTypesAre4000AndChangeNothing) {
  const Ids& ids = Existing();
  const std::string ws = world().workspace_id;
  const std::string bot = world().bot_id;
  const std::string cq = "?conversation_id=" + ids.conversation;
  const std::string mq = cq + "&message_id=" + ids.message;
  const std::string msgs = R"([{"role":"user","content":"hi","content_type":"text"}])";
  const std::vector<BadRequest> cases = {
      {"POST", "/v1/workspaces", R"({"name":5})"},
      {"POST", "/v1/bot/create", R"({"space_id":")" + ws + R"(","name":5})"},
      {"POST", "/v1/bot/create", R"({"space_id":{},"name":"x"})"},
      {"POST", "/v1/bot/create", R"({"space_id":")" + ws + R"(","name":"x","prompt_info":"p"})"},
      {"POST", "/v1/bot/create",
       R"({"space_id":")" + ws + R"(","name":"x","prompt_info":{"prompt":7}})"},
      {"POST", "/v1/bot/update", R"({"bot_id":{}})"},
      {"POST", "/v1/bot/update", R"({"bot_id":")" + bot + R"(","name":["x"]})"},
      {"POST", "/v1/bot/publish", R"({"bot_id":")" + bot + R"(","connector_ids":"1024"})"},
      {"POST", "/v1/bot/publish", R"({"bot_id":")" + bot + R"(","connector_ids":[1024.5]})"},
      {"POST", "/v1/conversation/create", R"({"bot_id":[1]})"},
      {"POST", "/v1/conversation/create", R"({"bot_id":")" + bot + R"(","meta_data":"x"})"},
      {"POST", "/v1/conversation/create", R"({"bot_id":")" + bot + R"(","messages":{}})"},
      {"PUT", "/v1/conversations/" + ids.conversation, R"({"name":5})"},
      {"POST", "/v1/conversation/message/create" + cq,
       R"({"role":"user","content":5,"content_type":"text"})"},
      {"POST", "/v1/conversation/message/create" + cq,
       R"({"role":["user"],"content":"x","content_type":"text"})"},
      {"POST", "/v1/conversation/message/create" + cq,
       R"({"role":"user","content":"x","content_type":"text","meta_data":[1]})"},
      {"POST", "/v1/conversation/message/list" + cq, R"({"limit":"ten"})"},
      {"POST", "/v1/conversation/message/modify" + mq, R"({"content":{"x":1}})"},
      {"POST", "/v3/chat" + cq,
       R"({"bot_id":")" + bot + R"(","user_id":"u","stream":"yes","additional_messages":)" + msgs +
           "}"},
      {"POST", "/v3/chat" + cq,
       R"({"bot_id":")" + bot + R"(","user_id":"u","stream":false,"additional_messages":"hi"})"},
      {"POST", "/v3/chat" + cq,
       R"({"bot_id":true,"user_id":"u","stream":false,"additional_messages":)" + msgs + "}"},
      {"POST", "/v3/chat/cancel", R"({"conversation_id":1.5,"chat_id":[]})"},
  };
  Flush();
  const StoreState before = State();
  const int64_t observed_before = Observed(), refused_before = Observed(4000);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.method + " " + c.target + " " + c.body);
    EXPECT_TRUE(IsCozeError(Send(c), 4000));
  }
  ExpectUnchanged(before);
  Flush();
  EXPECT_EQ(Observed(4000) - refused_before, static_cast<int64_t>(cases.size()));
  EXPECT_EQ(Observed() - observed_before, static_cast<int64_t>(cases.size()));
  ExpectUnchanged(before);
}

TEST_F(BadInput, UnknownFieldsAreTolerated) {
  const std::string ws = world().workspace_id;
  const StoreState before = State();
  auto bot = http().Post(
      "/v1/bot/create",
      R"({"space_id":")" + ws +
          R"(","name":"Tolerant","unknown_field":{"nested":[1,2]},"another":true,"n":null})",
      auth());
  ASSERT_TRUE(IsOk(bot));
  EXPECT_TRUE(IsId(Path(bot.Json(), "data.bot_id")));

  auto conv =
      http().Post("/v1/conversation/create",
                  R"({"bot_id":")" + world().bot_id + R"(","future_option":{"a":1}})", auth());
  ASSERT_TRUE(IsOk(conv));
  const std::string c = Str(conv.Json(), "data.id");

  auto msg =
      http().Post("/v1/conversation/message/create?conversation_id=" + c,
                  R"({"role":"user","content":"x","content_type":"text","extra":[1]})", auth());
  ASSERT_TRUE(IsOk(msg));
  EXPECT_EQ(Str(msg.Json(), "data.content"), "x");
  // Accepted input is stored — which also shows the snapshot comparison can see writes.
  const std::string diff = DiffSnapshots(before.rows, State().rows);
  EXPECT_NE(diff.find("table bots"), std::string::npos) << diff;
  EXPECT_NE(diff.find("table conversations"), std::string::npos) << diff;
  EXPECT_NE(diff.find("table messages"), std::string::npos) << diff;
}

TEST_F(BadInput, OversizedBodyIsRejectedAndChangesNothing) {
  const std::string big(10 * 1024 * 1024, 'a');
  const std::string body = R"({"bot_id":")" + world().bot_id + R"(","name":")" + big + R"("})";
  const StoreState before = State();
  // With Content-Length, and chunked (the limit must hold when no length is announced).
  const std::string head =
      "POST /v1/conversation/create HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Authorization: Bearer " +
      world().pat.token + "\r\nContent-Type: application/json\r\n";
  std::string chunked;
  for (size_t pos = 0; pos < body.size(); pos += 65536) {
    const std::string part = body.substr(pos, 65536);
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", part.size());
    chunked += size + part + "\r\n";
  }
  chunked += "0\r\n\r\n";
  const std::vector<std::pair<std::string, std::string>> requests = {
      {"content-length", head + "Content-Length: " + std::to_string(body.size()) +
                             "\r\nConnection: close\r\n\r\n" + body},
      {"chunked", head + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunked}};
  for (const auto& [name, raw] : requests) {
    SCOPED_TRACE(name);
    const std::string answer = http().Raw(raw, std::chrono::seconds(20));
    ASSERT_FALSE(answer.empty()) << "no answer to a 10 MiB body";
    const bool is_413 = answer.starts_with("HTTP/1.1 413");
    int code = -1;
    if (auto json_at = answer.find("\r\n\r\n{"); json_at != std::string::npos) {
      boost::system::error_code ec;
      auto v = json::parse(answer.substr(json_at + 4), ec);
      if (!ec && v.is_object() && v.as_object().contains("code") &&
          v.as_object().at("code").is_int64()) {
        code = static_cast<int>(v.as_object().at("code").as_int64());
      }
    }
    EXPECT_TRUE(is_413 || Is4000Family(code)) << answer.substr(0, 400);
  }
  ExpectUnchanged(before);
  EXPECT_TRUE(IsOk(Get("/v1/users/me"))) << "the server must survive oversized bodies";
}

TEST_F(BadInput, BrokenMultipartIsRejectedAndChangesNothing) {
  const std::string boundary = "cozeauthTestBoundary7MA4YWxk";
  const auto good = BuildMultipart({{"file", "a.txt", "text/plain", "some bytes"}}, boundary);
  struct Case {
    std::string name;
    std::string content_type;
    std::string body;
  };
  const std::vector<Case> cases = {
      {"no boundary parameter", "multipart/form-data", good.body},
      {"wrong boundary", "multipart/form-data; boundary=somethingElse", good.body},
      {"truncated body", good.content_type, good.body.substr(0, good.body.size() / 2)},
      {"no closing delimiter", good.content_type,
       good.body.substr(0, good.body.rfind("--" + boundary + "--"))},
      {"no file part", good.content_type,
       BuildMultipart({{"purpose", "", "", "assistants"}}, boundary).body},
      {"empty file", good.content_type,
       BuildMultipart({{"file", "empty.txt", "text/plain", ""}}, boundary).body},
      {"not multipart at all", "application/json", R"({"file":"a.txt"})"},
      {"empty body", good.content_type, ""},
      {"garbage", good.content_type, "\x01\x02 not a multipart body"},
  };
  Flush();
  const StoreState before = State();
  const int64_t observed_before = Observed(), success_before = Observed(0);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto res = http().Post("/v1/files/upload", c.body, auth(), c.content_type);
    EXPECT_EQ(res.status, 200u) << res.Describe();
    EXPECT_TRUE(Is4000Family(CodeOf(res))) << res.Describe();
    EXPECT_TRUE(IsCozeError(res, CodeOf(res)));  // a well-formed error envelope
  }
  ExpectUnchanged(before);
  Flush();
  EXPECT_EQ(Observed() - observed_before, static_cast<int64_t>(cases.size()));
  EXPECT_EQ(Observed(0), success_before) << "a refused upload counted as a success";
  ExpectUnchanged(before);
}

TEST_F(BadInput, HugeHeaderIsRefusedAndTheServerSurvives) {
  const std::string raw = "GET /v1/users/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                          world().pat.token + "\r\nX-Padding: " + std::string(20 * 1024, 'h') +
                          "\r\nConnection: close\r\n\r\n";
  const std::string answer = http().Raw(raw);
  // Either an explicit refusal or a closed connection — never a served request.
  EXPECT_TRUE(answer.empty() || answer.starts_with("HTTP/1.1 400") ||
              answer.starts_with("HTTP/1.1 431"))
      << answer.substr(0, 300);
  EXPECT_TRUE(IsOk(Get("/v1/users/me"))) << "the server must survive a huge header";
  EXPECT_EQ(http().Get("/healthz").status, 200u);
}

TEST_F(BadInput, OverlongBearerIs4100) {
  for (const std::string& token : {std::string(1000, 'A'), "pat_" + std::string(996, 'b'),
                                   world().pat.token + std::string(932, 'c')}) {
    EXPECT_TRUE(
        IsCozeError(http().Get("/v1/users/me", {{"Authorization", "Bearer " + token}}), 4100));
  }
}

TEST_F(BadInput, MalformedHttpGets400AndTheServerSurvives) {
  for (const std::string& raw : {std::string("BLAH\r\n\r\n"),
                                 std::string("GET /v1/users/me HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n"),
                                 std::string("POST /v1/conversation/create HTTP/1.1\r\nHost: x\r\n"
                                             "Content-Length: -5\r\n\r\n")}) {
    const std::string answer = http().Raw(raw);
    EXPECT_TRUE(answer.empty() || answer.starts_with("HTTP/1.1 400")) << answer.substr(0, 300);
  }
  EXPECT_EQ(http().Get("/healthz").status, 200u);
}

TEST_F(BadInput, UnknownRouteIs404WithAnEnvelope) {
  auto res = Get("/v1/no/such/api");
  EXPECT_TRUE(IsCozeError(res, 4000, 404));
}

}  // namespace
}  // namespace cozeauth::it
