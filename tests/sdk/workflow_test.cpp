// The workflow and app APIs over a FakeTransport (coze-protocol.md §3.4, §9): the requests they
// send (method, path, body keys), the answers they read (a sync run's top-level data, an async
// run's execute_id, an interrupted run), the `id:`/`event:`/`data:` framing of workflow streams
// split at any byte (PING with `data: {}`, Interrupt, Error, Done), resume, history, the
// chat-style /v1/workflows/chat, lists, and the failover chain over these calls.

#include <gtest/gtest.h>

#include <coze/client.hpp>
#include <coze/failover.hpp>

#include "sdk/fake_transport.hpp"

namespace coze {
namespace {
namespace json = boost::json;
using test::FakeTransport;

constexpr const char* kEventStream = "text/event-stream";

// A workflow stream that asks a question: Message, PING, Interrupt (coze-protocol.md §3.4).
constexpr const char* kInterruptingStream =
    "id: 0\nevent: Message\ndata: {\"content\":\"Hello Paris\",\"node_title\":\"greet\","
    "\"node_seq_id\":\"0\",\"node_is_finish\":true}\n\n"
    "id: 1\nevent: PING\ndata: {}\n\n"
    "id: 2\nevent: Interrupt\ndata: {\"interrupt_data\":{\"event_id\":\"ev_1\",\"type\":2,"
    "\"data\":\"Which day?\"},\"node_title\":\"ask\"}\n\n";

class WorkflowTest : public ::testing::Test {
 protected:
  std::shared_ptr<FakeTransport> fake_ = std::make_shared<FakeTransport>();
  Client client_{{.base_url = "http://coze.test",
                  .auth = std::make_shared<TokenAuth>("pat_abc"),
                  .transport = fake_}};

  const HttpRequest& Sent(size_t i = 0) const { return fake_->requests.at(i); }
  json::object SentBody(size_t i = 0) const { return json::parse(Sent(i).body).as_object(); }
  std::string Path(size_t i = 0) const {
    return Sent(i).url.substr(sizeof("http://coze.test") - 1);
  }
};

TEST_F(WorkflowTest, SyncRunSendsTheRequestAndReadsTheTopLevelAnswer) {
  fake_->ReplyJson(200, R"({"code":0,"msg":"","data":"{\"output\":\"Hello Paris\"}",
    "execute_id":"7001","debug_url":"http://coze.test/debug/7001",
    "usage":{"token_count":5,"output_count":3,"input_count":2},"detail":{"logid":"L"}})");
  auto run = client_.workflows().runs().Create(
      {.workflow_id = "42", .parameters = {{"city", "Paris"}}, .bot_id = "9"});
  ASSERT_TRUE(run) << run.Describe();
  EXPECT_EQ(run->data, R"({"output":"Hello Paris"})");
  EXPECT_EQ(run->execute_id, "7001");
  EXPECT_EQ(run->debug_url, "http://coze.test/debug/7001");
  ASSERT_TRUE(run->usage);
  EXPECT_EQ(run->usage->token_count, 5);
  EXPECT_FALSE(run->interrupt);
  EXPECT_EQ(Sent().method, "POST");
  EXPECT_EQ(Path(), "/v1/workflow/run");
  const auto body = SentBody();
  EXPECT_EQ(body.at("workflow_id"), "42");
  EXPECT_EQ(body.at("parameters").at("city"), "Paris");
  EXPECT_EQ(body.at("bot_id"), "9");
  EXPECT_FALSE(body.contains("is_async"));
  EXPECT_FALSE(body.contains("app_id"));
}

TEST_F(WorkflowTest, AsyncRunReturnsTheExecuteIdAndHistoryReadsIt) {
  fake_->ReplyJson(200, R"({"code":0,"msg":"","execute_id":"7002","debug_url":"u"})");
  auto run = client_.workflows().runs().Create({.workflow_id = "42", .is_async = true});
  ASSERT_TRUE(run) << run.Describe();
  EXPECT_EQ(run->execute_id, "7002");
  EXPECT_EQ(run->data, "");
  EXPECT_EQ(SentBody().at("is_async"), true);

  fake_->ReplyJson(200, R"({"code":0,"msg":"","data":[{"execute_id":"7002",
    "execute_status":"Success","run_mode":2,"output":"{\"output\":\"x\"}","error_code":"0",
    "create_time":1700000000,"update_time":1700000001,"connector_id":"1024","unknown":1}]})");
  auto history = client_.workflows().runs().History("42", "7002");
  ASSERT_TRUE(history) << history.Describe();
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].execute_status, "Success");
  EXPECT_EQ((*history)[0].run_mode, 2);
  EXPECT_EQ((*history)[0].output, R"({"output":"x"})");
  EXPECT_EQ((*history)[0].error_code, "0");
  EXPECT_EQ(Sent(1).method, "GET");
  EXPECT_EQ(Path(1), "/v1/workflows/42/run_histories/7002");
}

TEST_F(WorkflowTest, AnInterruptedSyncRunCarriesTheEventToResume) {
  fake_->ReplyJson(200, R"({"code":0,"msg":"","data":"","execute_id":"7003","debug_url":"u",
    "interrupt_data":{"event_id":"ev_9","type":2}})");
  auto run = client_.workflows().runs().Create({.workflow_id = "42"});
  ASSERT_TRUE(run) << run.Describe();
  ASSERT_TRUE(run->interrupt);
  EXPECT_EQ(run->interrupt->event_id, "ev_9");
  EXPECT_EQ(run->interrupt->type, 2);
}

TEST_F(WorkflowTest, RunErrorsAreErrors) {
  fake_->ReplyJson(200, R"({"code":4200,"msg":"workflow not found","detail":{"logid":"L4"}})");
  auto run = client_.workflows().runs().Create({.workflow_id = "404"});
  ASSERT_FALSE(run);
  EXPECT_EQ(run.error().code, 4200);
  EXPECT_EQ(run.error().logid, "L4");
}

TEST_F(WorkflowTest, StreamFramingIdEventDataAcrossEveryChunkSize) {
  for (size_t chunk : {1u, 2u, 5u, 13u, 1000u}) {
    SCOPED_TRACE(chunk);
    fake_->requests.clear();
    fake_->chunk_size = chunk;
    fake_->Reply(200, kInterruptingStream, {{"Content-Type", kEventStream}});
    std::vector<WorkflowEvent> events;
    auto end =
        client_.workflows().runs().Stream({.workflow_id = "42"}, [&](const WorkflowEvent& e) {
          events.push_back(e);
          return true;
        });
    ASSERT_TRUE(end) << end.Describe();
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[0].id, 0);
    EXPECT_EQ(events[0].event, workflow_event::kMessage);
    ASSERT_TRUE(events[0].message);
    EXPECT_EQ(events[0].message->content, "Hello Paris");
    EXPECT_EQ(events[0].message->node_title, "greet");
    EXPECT_TRUE(events[0].message->node_is_finish);
    EXPECT_EQ(events[1].id, 1);
    EXPECT_EQ(events[1].event, workflow_event::kPing);
    EXPECT_EQ(events[1].data, "{}");
    EXPECT_FALSE(events[1].message || events[1].interrupt || events[1].error);
    EXPECT_EQ(events[2].id, 2);
    ASSERT_TRUE(events[2].interrupt);
    EXPECT_EQ(events[2].interrupt->event_id, "ev_1");
    EXPECT_EQ(events[2].interrupt->data, "Which day?");
    ASSERT_TRUE(end->interrupt);
    EXPECT_EQ(end->interrupt->type, 2);
    EXPECT_EQ(Path(), "/v1/workflow/stream_run");
    EXPECT_FALSE(SentBody().contains("is_async"));
  }
}

TEST_F(WorkflowTest, ResumeSendsTheAnswerAndEndsAtDone) {
  fake_->Reply(200,
               "id:0\r\nevent:Message\r\ndata:{\"content\":\"Monday in Paris\","
               "\"node_title\":\"say\",\"node_seq_id\":\"0\",\"node_is_finish\":true}\r\n\r\n"
               "id:1\r\nevent:Done\r\ndata:{\"debug_url\":\"http://coze.test/debug/1\"}\r\n\r\n",
               {{"Content-Type", kEventStream}});
  std::string text;
  auto end = client_.workflows().runs().Resume(
      {.workflow_id = "42", .event_id = "ev_1", .resume_data = "Monday", .interrupt_type = 2},
      [&](const WorkflowEvent& e) {
        if (e.message) text += e.message->content;
        return true;
      });
  ASSERT_TRUE(end) << end.Describe();
  EXPECT_EQ(text, "Monday in Paris");
  EXPECT_FALSE(end->interrupt);
  EXPECT_EQ(end->debug_url, "http://coze.test/debug/1");
  EXPECT_EQ(Path(), "/v1/workflow/stream_resume");
  const auto body = SentBody();
  EXPECT_EQ(body.at("workflow_id"), "42");
  EXPECT_EQ(body.at("event_id"), "ev_1");
  EXPECT_EQ(body.at("resume_data"), "Monday");
  EXPECT_EQ(body.at("interrupt_type"), 2);
}

TEST_F(WorkflowTest, AnErrorEventIsTheCallsErrorAndAnUnfinishedStreamIsOne) {
  fake_->Reply(200,
               "id: 0\nevent: Error\ndata: {\"error_code\":4000,\"error_message\":\"city: "
               "required\"}\n\n",
               {{"Content-Type", kEventStream}});
  std::vector<std::string> names;
  auto end = client_.workflows().runs().Stream({.workflow_id = "42"}, [&](const WorkflowEvent& e) {
    names.push_back(e.event);
    return true;
  });
  ASSERT_FALSE(end);
  EXPECT_EQ(end.error().code, 4000);
  EXPECT_EQ(end.error().msg, "city: required");
  EXPECT_EQ(names, std::vector<std::string>{"Error"});

  fake_->Reply(200, "id: 0\nevent: PING\ndata: {}\n\n", {{"Content-Type", kEventStream}});
  auto cut = client_.workflows().runs().Stream({.workflow_id = "42"}, nullptr);
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().code, kClientErrorCode);

  // An error before the stream starts is the JSON body's (4314: execution not found).
  fake_->ReplyJson(200, R"({"code":4314,"msg":"execution not found"})");
  auto resumed = client_.workflows().runs().Resume({.workflow_id = "42", .event_id = "x"}, nullptr);
  ASSERT_FALSE(resumed);
  EXPECT_EQ(resumed.error().code, 4314);
}

TEST_F(WorkflowTest, WorkflowChatIsAChatStyleStream) {
  fake_->Reply(200,
               "event: conversation.chat.created\ndata: {\"id\":\"c1\",\"status\":\"created\"}\n\n"
               "event: conversation.message.delta\ndata: {\"content\":\"Hi\"}\n\n"
               "event: conversation.chat.completed\ndata: {\"id\":\"c1\",\"status\":"
               "\"completed\"}\n\n"
               "event: done\ndata: {\"debug_url\":\"u\"}\n\n",
               {{"Content-Type", kEventStream}});
  std::string text;
  auto chat = client_.workflows().chat().Stream({.workflow_id = "42",
                                                 .additional_messages = {{.content = "hello"}},
                                                 .parameters = {{"city", "Paris"}},
                                                 .conversation_id = "77"},
                                                [&](const ChatEvent& e) {
                                                  if (e.event == chat_event::kMessageDelta)
                                                    text += e.message->content;
                                                  return true;
                                                });
  ASSERT_TRUE(chat) << chat.Describe();
  EXPECT_EQ(chat->status, "completed");
  EXPECT_EQ(text, "Hi");
  EXPECT_EQ(Path(), "/v1/workflows/chat");
  const auto body = SentBody();
  EXPECT_EQ(body.at("workflow_id"), "42");
  EXPECT_EQ(body.at("additional_messages").at(0).at("content"), "hello");
  EXPECT_EQ(body.at("conversation_id"), "77");
  EXPECT_FALSE(body.contains("bot_id"));
}

TEST_F(WorkflowTest, ListGetAndApps) {
  fake_->ReplyJson(200, R"({"code":0,"data":{"items":[{"workflow_id":"42","workflow_name":"w",
    "description":"d","icon_url":"","app_id":"5","created_at":1,"updated_at":2,
    "creator":{"id":"u1","name":""}}],"has_more":true}})");
  auto list = client_.workflows().List({.workspace_id = "3", .page = {2, 10}});
  ASSERT_TRUE(list) << list.Describe();
  ASSERT_EQ(list->items.size(), 1u);
  EXPECT_EQ(list->items[0].workflow_id, "42");
  EXPECT_EQ(list->items[0].app_id, "5");
  EXPECT_EQ(list->items[0].creator_id, "u1");
  EXPECT_TRUE(list->has_more);
  EXPECT_EQ(Path(0), "/v1/workflows?page_num=2&page_size=10&workspace_id=3");

  fake_->ReplyJson(200, R"({"code":0,"data":{"workflow_detail":{"workflow_id":"42",
    "workflow_name":"w"}}})");
  auto got = client_.workflows().Get("42");
  ASSERT_TRUE(got) << got.Describe();
  EXPECT_EQ(got->workflow_name, "w");
  EXPECT_EQ(Path(1), "/v1/workflows/42");

  fake_->ReplyJson(200, R"({"code":0,"data":{"items":[{"id":"5","name":"app","is_published":true,
    "owner_user_id":"u1","updated_at":9,"published_at":9}],"total":1}})");
  auto apps = client_.apps().List({.workspace_id = "3", .publish_status = "all"});
  ASSERT_TRUE(apps) << apps.Describe();
  ASSERT_EQ(apps->items.size(), 1u);
  EXPECT_EQ(apps->items[0].name, "app");
  EXPECT_EQ(apps->items[0].published_at, 9);
  EXPECT_EQ(apps->total, 1);
  EXPECT_EQ(Path(2), "/v1/apps?page_num=1&page_size=20&workspace_id=3&publish_status=all");

  fake_->ReplyJson(200, R"({"code":0,"data":{"no_items":[]}})");
  auto bad = client_.apps().List({.workspace_id = "3"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, kClientErrorCode) << "a body of the wrong shape";
}

TEST_F(WorkflowTest, TheFailoverChainCoversWorkflowCallsPerWorkflow) {
  auto chain = std::make_shared<FailoverAuth>(
      std::vector<FailoverCredential>{{"personal", std::make_shared<TokenAuth>("pat_p")},
                                      {"enterprise", std::make_shared<TokenAuth>("pat_e")}});
  Client client({.base_url = "http://coze.test", .auth = chain, .transport = fake_});
  // A stream refused before it starts falls back; the workflow is learned.
  fake_->ReplyJson(200, R"({"code":4101,"msg":"no permission"})");
  fake_->Reply(200, kInterruptingStream, {{"Content-Type", kEventStream}});
  auto end = client.workflows().runs().Stream({.workflow_id = "42", .bot_id = "9"}, nullptr);
  ASSERT_TRUE(end) << end.Describe();
  EXPECT_EQ(chain->Learned("workflow:42"), 1u);
  EXPECT_FALSE(chain->Learned("bot:9"));
  // Resume, history, run and get of the same workflow go straight to the enterprise PAT.
  fake_->Reply(200, "id: 0\nevent: Done\ndata: {}\n\n", {{"Content-Type", kEventStream}});
  ASSERT_TRUE(client.workflows().runs().Resume({.workflow_id = "42", .event_id = "ev_1"}, nullptr));
  fake_->ReplyJson(200, R"({"code":0,"data":[]})");
  ASSERT_TRUE(client.workflows().runs().History("42", "1"));
  fake_->ReplyJson(200, R"({"code":0,"data":{"workflow_detail":{"workflow_id":"42"}}})");
  ASSERT_TRUE(client.workflows().Get("42"));
  ASSERT_EQ(fake_->requests.size(), 5u);
  for (size_t i = 1; i < 5; ++i) {
    EXPECT_EQ(HttpResponse({0, fake_->requests[i].headers, ""}).Header("Authorization"),
              "Bearer pat_e")
        << i;
  }
  EXPECT_EQ(FailoverResourceKey({.path = "/v1/workflows/42/run_histories/1"}), "workflow:42");
  EXPECT_EQ(FailoverResourceKey({.path = "/v1/apps", .query = {{"workspace_id", "3"}}}),
            "workspace:3");
}

}  // namespace
}  // namespace coze
