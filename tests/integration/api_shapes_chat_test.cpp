// The success shapes of conversations, messages and chat v3 (coze-protocol.md §3, §9.1–9.3),
// including the variations clients rely on: top-level message-list cursors, `message` for
// modify, and the exact SSE event sequence of a streamed chat. Suite ApiShapes (see
// api_shapes.hpp), continued from api_shapes_test.cpp.

#include "integration/api_shapes.hpp"
#include "support/sse.hpp"

namespace cozeauth::it {
namespace {
namespace json = boost::json;

TEST_F(ApiShapes, ConversationLifecycle) {
  auto created =
      Post("/v1/conversation/create", json::object{{"bot_id", world().bot_id},
                                                   {"meta_data", {{"uuid", "abc-1"}}},
                                                   {"messages", json::array{UserText("seed")}}});
  ASSERT_TRUE(IsOk(created));
  auto c = created.Json();
  ASSERT_TRUE(IsId(Path(c, "data.id")));
  const std::string id = Str(c, "data.id");
  EXPECT_TRUE(IsTimestamp(Path(c, "data.created_at")));
  EXPECT_EQ(Str(c, "data.meta_data.uuid"), "abc-1");
  EXPECT_TRUE(IsId(Path(c, "data.last_section_id")));
  const std::string first_section = Str(c, "data.last_section_id");

  auto retrieved = Get("/v1/conversation/retrieve?conversation_id=" + id);
  ASSERT_TRUE(IsOk(retrieved));
  EXPECT_EQ(Str(retrieved.Json(), "data.id"), id);
  EXPECT_EQ(Str(retrieved.Json(), "data.meta_data.uuid"), "abc-1");

  auto listed = Get("/v1/conversations?bot_id=" + world().bot_id + "&page_num=1&page_size=50");
  ASSERT_TRUE(IsOk(listed));
  auto l = listed.Json();
  ASSERT_TRUE(Path(l, "data.conversations").is_array());
  EXPECT_TRUE(Path(l, "data.has_more").is_bool());
  EXPECT_TRUE(Contains(Ids(Path(l, "data.conversations")), id)) << listed.body;

  auto renamed = Put("/v1/conversations/" + id, json::object{{"name", "Renamed"}});
  ASSERT_TRUE(IsOk(renamed));
  EXPECT_EQ(Str(OkBody(Get("/v1/conversation/retrieve?conversation_id=" + id)), "data.name"),
            "Renamed");

  auto cleared = http().Post("/v1/conversations/" + id + "/clear", "", auth());
  ASSERT_TRUE(IsOk(cleared));
  auto cl = cleared.Json();
  ASSERT_TRUE(IsId(Path(cl, "data.id")));
  EXPECT_NE(Str(cl, "data.id"), first_section) << "clear starts a new section";
  EXPECT_EQ(Str(cl, "data.conversation_id"), id);
  EXPECT_EQ(
      Str(OkBody(Get("/v1/conversation/retrieve?conversation_id=" + id)), "data.last_section_id"),
      Str(cl, "data.id"));

  auto deleted = Delete("/v1/conversations/" + id);
  ASSERT_TRUE(IsOk(deleted));
  EXPECT_TRUE(IsCozeError(Get("/v1/conversation/retrieve?conversation_id=" + id), 4002));
}

TEST_F(ApiShapes, MessageCreateRetrieveModifyDelete) {
  const std::string conv = NewConversation();
  auto created =
      Post("/v1/conversation/message/create?conversation_id=" + conv, UserText("original text"));
  ASSERT_TRUE(IsOk(created));
  auto m = created.Json();
  ASSERT_TRUE(IsId(Path(m, "data.id")));
  const std::string id = Str(m, "data.id");
  EXPECT_EQ(Str(m, "data.conversation_id"), conv);
  EXPECT_EQ(Str(m, "data.role"), "user");
  EXPECT_EQ(Str(m, "data.content"), "original text");
  EXPECT_EQ(Str(m, "data.content_type"), "text");
  EXPECT_TRUE(Path(m, "data.type").is_string());
  EXPECT_TRUE(IsTimestamp(Path(m, "data.created_at")));
  EXPECT_TRUE(IsTimestamp(Path(m, "data.updated_at")));

  const std::string q = "?conversation_id=" + conv + "&message_id=" + id;
  auto retrieved = Get("/v1/conversation/message/retrieve" + q);
  ASSERT_TRUE(IsOk(retrieved));
  EXPECT_EQ(Str(retrieved.Json(), "data.id"), id);
  EXPECT_EQ(Str(retrieved.Json(), "data.content"), "original text");

  auto modified = Post("/v1/conversation/message/modify" + q,
                       json::object{{"content", "edited text"}, {"content_type", "text"}});
  ASSERT_TRUE(IsOk(modified));
  auto mod = modified.Json();
  // coze-protocol.md §3.1: modify answers under top-level "message", not "data".
  EXPECT_EQ(Str(mod, "message.id"), id) << modified.body;
  EXPECT_EQ(Str(mod, "message.content"), "edited text");
  EXPECT_EQ(Str(OkBody(Get("/v1/conversation/message/retrieve" + q)), "data.content"),
            "edited text");

  auto deleted = http().Post("/v1/conversation/message/delete" + q, "", auth());
  ASSERT_TRUE(IsOk(deleted));
  EXPECT_EQ(Str(deleted.Json(), "data.id"), id);
  EXPECT_TRUE(IsCozeError(Get("/v1/conversation/message/retrieve" + q), 4005));
}

TEST_F(ApiShapes, MessageListIsTopLevelWithCursorPaging) {
  const std::string conv = NewConversation();
  std::vector<std::string> ids;  // oldest first
  for (int i = 1; i <= 5; ++i) ids.push_back(NewMessage(conv, "m" + std::to_string(i)));
  const std::string url = "/v1/conversation/message/list?conversation_id=" + conv;

  // Default order is desc (newest first); the list and cursors are top-level (§3.1).
  auto all = Post(url, json::object{});
  ASSERT_TRUE(IsOk(all));
  auto a = all.Json();
  ASSERT_TRUE(Path(a, "data").is_array()) << all.body;
  EXPECT_EQ(Ids(Path(a, "data")),
            (std::vector<std::string>{ids[4], ids[3], ids[2], ids[1], ids[0]}));
  EXPECT_EQ(Str(a, "first_id"), ids[4]);
  EXPECT_EQ(Str(a, "last_id"), ids[0]);
  EXPECT_FALSE(Path(a, "has_more").as_bool());
  EXPECT_EQ(Str(a, "data.0.content"), "m5");

  // Pages of two, following last_id with after_id (how the SDKs page, §9.5).
  auto p1 = OkBody(Post(url, json::object{{"limit", 2}}));
  EXPECT_EQ(Ids(Path(p1, "data")), (std::vector<std::string>{ids[4], ids[3]}));
  EXPECT_TRUE(Path(p1, "has_more").as_bool());
  EXPECT_EQ(Str(p1, "first_id"), ids[4]);
  EXPECT_EQ(Str(p1, "last_id"), ids[3]);

  auto p2 = OkBody(Post(url, json::object{{"limit", 2}, {"after_id", Str(p1, "last_id")}}));
  EXPECT_EQ(Ids(Path(p2, "data")), (std::vector<std::string>{ids[2], ids[1]}));
  EXPECT_TRUE(Path(p2, "has_more").as_bool());

  auto p3 = OkBody(Post(url, json::object{{"limit", 2}, {"after_id", Str(p2, "last_id")}}));
  EXPECT_EQ(Ids(Path(p3, "data")), (std::vector<std::string>{ids[0]}));
  EXPECT_FALSE(Path(p3, "has_more").as_bool());

  // Back from page 2 with before_id = its first_id gives page 1 again.
  auto back = OkBody(Post(url, json::object{{"limit", 2}, {"before_id", Str(p2, "first_id")}}));
  EXPECT_EQ(Ids(Path(back, "data")), (std::vector<std::string>{ids[4], ids[3]}));

  // Ascending order starts with the oldest.
  auto asc = OkBody(Post(url, json::object{{"order", "asc"}, {"limit", 2}}));
  EXPECT_EQ(Ids(Path(asc, "data")), (std::vector<std::string>{ids[0], ids[1]}));
  EXPECT_TRUE(Path(asc, "has_more").as_bool());
}

TEST_F(ApiShapes, ChatNonStreamCompletesWithTheRuntimeReply) {
  const std::string conv = NewConversation();
  auto res = Post("/v3/chat?conversation_id=" + conv, ChatRequest("hello", false));
  ASSERT_TRUE(IsOk(res));
  auto chat = res.Json();
  ASSERT_TRUE(IsId(Path(chat, "data.id")));
  const std::string chat_id = Str(chat, "data.id");
  EXPECT_EQ(Str(chat, "data.conversation_id"), conv);
  EXPECT_EQ(Str(chat, "data.bot_id"), world().bot_id);
  EXPECT_EQ(Str(chat, "data.status"), "completed");
  EXPECT_TRUE(IsTimestamp(Path(chat, "data.created_at")));
  EXPECT_TRUE(IsTimestamp(Path(chat, "data.completed_at")));
  EXPECT_TRUE(Path(chat, "data.usage").is_object());

  const std::string q = "?conversation_id=" + conv + "&chat_id=" + chat_id;
  // GET (docs, Go) and POST (JS, Python) must both work (§9.1).
  for (const bool post : {false, true}) {
    SCOPED_TRACE(post ? "POST /v3/chat/retrieve" : "GET /v3/chat/retrieve");
    auto r = post ? http().Post("/v3/chat/retrieve" + q, "", auth()) : Get("/v3/chat/retrieve" + q);
    ASSERT_TRUE(IsOk(r));
    EXPECT_EQ(Str(r.Json(), "data.id"), chat_id);
    EXPECT_EQ(Str(r.Json(), "data.status"), "completed");
  }

  auto msgs = Get("/v3/chat/message/list" + q);
  ASSERT_TRUE(IsOk(msgs));
  auto m = msgs.Json();
  ASSERT_TRUE(Path(m, "data").is_array()) << msgs.body;
  std::vector<std::string> answers;
  for (const auto& msg : Path(m, "data").as_array()) {
    EXPECT_TRUE(IsId(Path(msg, "id")));
    EXPECT_EQ(Str(msg, "chat_id"), chat_id);
    EXPECT_EQ(Str(msg, "conversation_id"), conv);
    if (Str(msg, "role") == "assistant" && Str(msg, "type") == "answer") {
      answers.push_back(Str(msg, "content"));
    }
  }
  EXPECT_EQ(answers, std::vector<std::string>{ExpectedReply(world().prompt, "hello")}) << msgs.body;

  // A completed chat cannot be cancelled (4104).
  auto cancel =
      Post("/v3/chat/cancel", json::object{{"conversation_id", conv}, {"chat_id", chat_id}});
  EXPECT_TRUE(IsCozeError(cancel, 4104));
}

TEST_F(ApiShapes, ChatWithoutConversationCreatesOne) {
  auto res = Post("/v3/chat", ChatRequest("first words", false));
  ASSERT_TRUE(IsOk(res));
  auto chat = res.Json();
  ASSERT_TRUE(IsId(Path(chat, "data.conversation_id")));
  EXPECT_EQ(Str(chat, "data.status"), "completed");
  auto conv = Get("/v1/conversation/retrieve?conversation_id=" + Str(chat, "data.conversation_id"));
  EXPECT_TRUE(IsOk(conv));
}

TEST_F(ApiShapes, ChatStreamEmitsTheExactEventSequence) {
  const std::string message = "hello streaming world";
  const std::string reply = ExpectedReply(world().prompt, message);
  auto res = Post("/v3/chat", ChatRequest(message, true));
  ASSERT_EQ(res.status, 200u) << res.Describe();
  EXPECT_NE(res.Header("Content-Type").find("text/event-stream"), std::string::npos)
      << res.Header("Content-Type");
  EXPECT_FALSE(res.Header("X-Tt-Logid").empty());

  SseParse sse = ParseChatSse(res.body);
  ASSERT_TRUE(sse.ok()) << sse.error << "\nbody:\n" << res.body;
  const auto& ev = sse.events;
  ASSERT_GE(ev.size(), 6u) << res.body;

  EXPECT_EQ(ev[0].event, "conversation.chat.created");
  EXPECT_EQ(ev[1].event, "conversation.chat.in_progress");
  size_t i = 2;
  std::string concatenated;
  std::string message_id;
  while (i < ev.size() && ev[i].event == "conversation.message.delta") {
    auto d = json::parse(ev[i].data);
    EXPECT_EQ(Str(d, "role"), "assistant");
    EXPECT_EQ(Str(d, "type"), "answer");
    if (message_id.empty()) message_id = Str(d, "id");
    EXPECT_EQ(Str(d, "id"), message_id) << "all deltas belong to one message";
    concatenated += Str(d, "content");
    ++i;
  }
  EXPECT_GE(i - 2, 1u) << "at least one delta";
  EXPECT_EQ(concatenated, reply);
  ASSERT_EQ(ev.size(), i + 3) << "after the deltas: message.completed, chat.completed, done\n"
                              << res.body;
  EXPECT_EQ(ev[i].event, "conversation.message.completed");
  EXPECT_EQ(ev[i + 1].event, "conversation.chat.completed");
  EXPECT_EQ(ev[i + 2].event, "done");

  auto created = json::parse(ev[0].data);
  const std::string chat_id = Str(created, "id");
  EXPECT_TRUE(IsId(Path(created, "id")));
  EXPECT_EQ(Str(json::parse(ev[1].data), "status"), "in_progress");
  auto completed_msg = json::parse(ev[i].data);
  EXPECT_EQ(Str(completed_msg, "content"), reply);
  EXPECT_EQ(Str(completed_msg, "chat_id"), chat_id);
  auto completed_chat = json::parse(ev[i + 1].data);
  EXPECT_EQ(Str(completed_chat, "id"), chat_id);
  EXPECT_EQ(Str(completed_chat, "status"), "completed");
  // The done event carries [DONE]: bare, or as the JSON string of the py fixture (§3.4).
  EXPECT_TRUE(ev[i + 2].data == "[DONE]" || ev[i + 2].data == "\"[DONE]\"") << ev[i + 2].data;

  // The streamed chat is stored like any other.
  auto retrieved = Get("/v3/chat/retrieve?conversation_id=" + Str(created, "conversation_id") +
                       "&chat_id=" + chat_id);
  ASSERT_TRUE(IsOk(retrieved));
  EXPECT_EQ(Str(retrieved.Json(), "data.status"), "completed");
}

}  // namespace
}  // namespace cozeauth::it
