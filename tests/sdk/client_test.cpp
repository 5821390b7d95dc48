// coze::Client over a FakeTransport: the headers it sends, how it builds URLs and bodies, and
// the error contract (coze-protocol.md §3.3, §10 client items 1–2).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <coze/client.hpp>

#include "sdk/fake_transport.hpp"

namespace coze {
namespace {
namespace json = boost::json;
using test::FakeTransport;

class ClientTest : public ::testing::Test {
 protected:
  std::shared_ptr<FakeTransport> fake_ = std::make_shared<FakeTransport>();
  Client client_{{.base_url = "http://coze.test/",
                  .auth = std::make_shared<TokenAuth>("pat_abc"),
                  .transport = fake_}};

  std::string SentHeader(const std::string& name, size_t index = 0) {
    HttpResponse as_response{0, fake_->requests.at(index).headers, ""};
    return as_response.Header(name);
  }
};

const char* kUser = R"({"code":0,"msg":"","data":{"user_id":"7","user_name":"ann",
  "nick_name":"Ann","avatar_url":"","extra":1},"detail":{"logid":"L1"}})";

TEST_F(ClientTest, SendsAuthorizationAndBothUserAgentHeaders) {
  fake_->ReplyJson(200, kUser);
  auto me = client_.users().Me();
  ASSERT_TRUE(me) << me.Describe();
  EXPECT_EQ(me->user_name, "ann");
  ASSERT_EQ(fake_->requests.size(), 1u);
  EXPECT_EQ(fake_->requests[0].method, "GET");
  EXPECT_EQ(fake_->requests[0].url, "http://coze.test/v1/users/me");
  EXPECT_EQ(SentHeader("authorization"), "Bearer pat_abc");
  EXPECT_THAT(SentHeader("User-Agent"),
              ::testing::MatchesRegex("cozecpp/0\\.1\\.0 cpp/20[0-9]+ linux/.+"));
  auto ua = json::parse(SentHeader("X-Coze-Client-User-Agent")).as_object();
  EXPECT_EQ(ua.at("version"), "0.1.0");
  EXPECT_EQ(ua.at("lang"), "cpp");
  EXPECT_EQ(ua.at("lang_version").as_string(), std::to_string(__cplusplus));
  EXPECT_EQ(ua.at("os_name"), "linux");
  EXPECT_TRUE(ua.at("os_version").is_string());
}

TEST_F(ClientTest, SubmitToolOutputsSendsIdsInTheQueryAndOutputsInTheBody) {
  fake_->ReplyJson(200, R"({"code":0,"msg":"","data":{"id":"ch1","conversation_id":"c1",)"
                        R"("status":"completed"}})");
  auto chat = client_.chat().SubmitToolOutputs("c1", "ch1", {{"t1", "out 1"}, {"t2", "out 2"}});
  ASSERT_TRUE(chat) << chat.Describe();
  EXPECT_EQ(chat->status, "completed");
  const auto& req = fake_->requests[0];
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.url, "http://coze.test/v3/chat/submit_tool_outputs?conversation_id=c1&chat_id=ch1");
  auto body = json::parse(req.body).as_object();
  EXPECT_EQ(body.at("stream").as_bool(), false);
  const auto& outputs = body.at("tool_outputs").as_array();
  ASSERT_EQ(outputs.size(), 2u);
  EXPECT_EQ(outputs[1].at("tool_call_id").as_string(), "t2");
  EXPECT_EQ(outputs[1].at("output").as_string(), "out 2");
}

TEST_F(ClientTest, EncodesQueryValuesAndSendsJsonBodies) {
  fake_->ReplyJson(200, R"({"code":0,"msg":"","data":{"id":"m1","role":"user"}})");
  auto m = client_.messages().Create("c 1&x", "user", "hi");
  ASSERT_TRUE(m) << m.Describe();
  const auto& req = fake_->requests[0];
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.url, "http://coze.test/v1/conversation/message/create?conversation_id=c%201%26x");
  EXPECT_EQ(SentHeader("Content-Type"), "application/json");
  auto body = json::parse(req.body).as_object();
  EXPECT_EQ(body.at("content"), "hi");
  EXPECT_EQ(body.at("content_type"), "text");
}

TEST_F(ClientTest, BusinessErrorWithHttp200IsAnError) {
  fake_->ReplyJson(200, R"({"code":4006,"msg":"bot not found","detail":{"logid":"BODY"}})",
                   {{"X-Tt-Logid", "HEADER"}});
  auto r = client_.bots().Retrieve("1");
  ASSERT_FALSE(r);
  ASSERT_FALSE(r.is_auth_error());
  EXPECT_EQ(r.error().code, 4006);
  EXPECT_EQ(r.error().msg, "bot not found");
  EXPECT_EQ(r.error().logid, "BODY") << "detail.logid wins over the header";
  EXPECT_EQ(r.error().http_status, 200);
}

TEST_F(ClientTest, BusinessErrorWithHttp401TakesTheLogIdFromTheHeader) {
  fake_->ReplyJson(401, R"({"code":4100,"msg":"authentication is invalid"})",
                   {{"x-tt-logid", "20240708143040790E78F9318B35A2910B"}});
  auto r = client_.users().Me();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, 4100);
  EXPECT_EQ(r.error().logid, "20240708143040790E78F9318B35A2910B");
  EXPECT_EQ(r.error().http_status, 401);
}

TEST_F(ClientTest, OAuthShapedBodyIsAnAuthError) {
  fake_->ReplyJson(400, R"({"error_code":"invalid_grant","error_message":"code used"})");
  auto r = client_.users().Me();
  ASSERT_TRUE(r.is_auth_error()) << r.Describe();
  EXPECT_EQ(r.auth_error().error_code, "invalid_grant");
  EXPECT_EQ(r.auth_error().message, "code used");
  EXPECT_EQ(r.auth_error().http_status, 400);

  fake_->ReplyJson(401, R"({"error":"invalid_client","error_description":"bad secret"})");
  auto r2 = client_.users().Me();
  ASSERT_TRUE(r2.is_auth_error());
  EXPECT_EQ(r2.auth_error().error_code, "invalid_client");
  EXPECT_EQ(r2.auth_error().message, "bad secret");
}

TEST_F(ClientTest, DeprecatedErrorObjectBesideASuccessIsNotAnError) {
  fake_->ReplyJson(200, R"({"code":0,"msg":"","data":{"user_id":"7"},"error":{"logid":"x"}})");
  EXPECT_TRUE(client_.users().Me());
}

TEST_F(ClientTest, NonJsonFailureCarriesTheStatusAndAnExcerpt) {
  fake_->Reply(502, "<html>Bad Gateway</html>", {{"X-Tt-Logid", "GW"}});
  auto r = client_.users().Me();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, 502);
  EXPECT_EQ(r.error().http_status, 502);
  EXPECT_THAT(r.error().msg, ::testing::HasSubstr("Bad Gateway"));
  EXPECT_EQ(r.error().logid, "GW");
}

TEST_F(ClientTest, JsonWithoutCodeAtA5xxIsAnError) {
  fake_->ReplyJson(503, R"({"message":"overloaded"})");
  auto r = client_.users().Me();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, 503);
}

TEST_F(ClientTest, TransportFailureIsCodeMinusOne) {
  fake_->Fail("connection refused");
  auto r = client_.users().Me();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, kClientErrorCode);
  EXPECT_EQ(r.error().http_status, 0);
}

TEST_F(ClientTest, MessageListReadsTopLevelCursors) {
  fake_->ReplyJson(200, R"({"code":0,"msg":"","data":[{"id":"a"},{"id":"b"}],
    "first_id":"a","last_id":"b","has_more":true})");
  auto list = client_.messages().List("c1", {.order = "asc", .limit = 2});
  ASSERT_TRUE(list) << list.Describe();
  ASSERT_EQ(list->messages.size(), 2u);
  EXPECT_EQ(list->first_id, "a");
  EXPECT_EQ(list->last_id, "b");
  EXPECT_TRUE(list->has_more);
  auto body = json::parse(fake_->requests[0].body).as_object();
  EXPECT_EQ(body.at("order"), "asc");
  EXPECT_EQ(body.at("limit"), 2);
}

TEST_F(ClientTest, ChatStreamDecodesEventsAcrossChunks) {
  fake_->chunk_size = 5;
  fake_->Reply(200,
               "event:conversation.chat.created\ndata:{\"id\":\"c\",\"status\":\"created\"}\n\n"
               "event:conversation.message.delta\ndata:{\"content\":\"Hi\"}\n\n"
               "event:conversation.message.delta\ndata:{\"content\":\" there\"}\n\n"
               "event:conversation.chat.completed\ndata:{\"id\":\"c\",\"status\":\"completed\"}\n\n"
               "event:done\ndata:\"[DONE]\"\n\n",
               {{"Content-Type", "text/event-stream"}});
  std::string text;
  std::vector<std::string> names;
  auto chat = client_.chat().Stream({.bot_id = "b"}, [&](const ChatEvent& e) {
    names.push_back(e.event);
    if (e.event == chat_event::kMessageDelta) text += e.message->content;
    return true;
  });
  ASSERT_TRUE(chat) << chat.Describe();
  EXPECT_EQ(chat->status, "completed");
  EXPECT_EQ(text, "Hi there");
  EXPECT_EQ(names.size(), 5u);
  EXPECT_EQ(SentHeader("Accept"), "text/event-stream");
  EXPECT_EQ(json::parse(fake_->requests[0].body).at("stream"), true);
}

TEST_F(ClientTest, ChatStreamErrorBeforeTheStreamIsMapped) {
  fake_->ReplyJson(200, R"({"code":4015,"msg":"bot not published","detail":{"logid":"L"}})");
  auto chat = client_.chat().Stream({.bot_id = "b"}, nullptr);
  ASSERT_FALSE(chat);
  EXPECT_EQ(chat.error().code, 4015);
  EXPECT_EQ(chat.error().logid, "L");
}

TEST_F(ClientTest, ChatStreamErrorEventIsReturned) {
  fake_->Reply(200, "event:error\ndata:{\"code\":5000,\"msg\":\"boom\"}\n\n",
               {{"Content-Type", "text/event-stream"}});
  auto chat = client_.chat().Stream({.bot_id = "b"}, nullptr);
  ASSERT_FALSE(chat);
  EXPECT_EQ(chat.error().code, 5000);
  EXPECT_EQ(chat.error().msg, "boom");
}

TEST_F(ClientTest, UploadSendsOneMultipartFilePart) {
  fake_->ReplyJson(200, R"({"code":0,"msg":"","data":{"id":"f1","bytes":5,"file_name":"a.txt"}})");
  auto f = client_.files().Upload("hello", "a.txt");
  ASSERT_TRUE(f) << f.Describe();
  EXPECT_EQ(f->bytes, 5);
  const std::string type = SentHeader("Content-Type");
  ASSERT_THAT(type, ::testing::StartsWith("multipart/form-data; boundary="));
  const std::string boundary = type.substr(type.find('=') + 1);
  EXPECT_THAT(fake_->requests[0].body, ::testing::HasSubstr("name=\"file\"; filename=\"a.txt\""));
  EXPECT_THAT(fake_->requests[0].body, ::testing::EndsWith("\r\n--" + boundary + "--\r\n"));
}

TEST_F(ClientTest, MalformedSuccessBodyIsAnErrorNotACrash) {
  fake_->ReplyJson(200, R"({"code":0,"msg":"","data":"not an object"})");
  auto r = client_.users().Me();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, kClientErrorCode);
}

}  // namespace
}  // namespace coze
