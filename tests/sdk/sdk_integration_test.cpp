// The SDK against the real server (tests/support): one server and World per suite; every call
// goes through coze::Client with the libcurl transport over loopback.

#include <gtest/gtest.h>

#include <coze/client.hpp>

#include "support/shared_world.hpp"

namespace cozeauth::it {
namespace {

class SdkIntegration : public SharedWorld<SdkIntegration> {
 protected:
  static coze::Client& Sdk() {
    static std::unique_ptr<coze::Client> client;
    static std::string for_token;
    if (!client || for_token != world().pat.token) {
      client = MakeClient(world().pat.token);
      for_token = world().pat.token;
    }
    return *client;
  }
  static std::unique_ptr<coze::Client> MakeClient(const std::string& token) {
    return std::make_unique<coze::Client>(
        coze::ClientOptions{.base_url = server().base_url(),
                            .auth = std::make_shared<coze::TokenAuth>(token),
                            .timeout = std::chrono::seconds(20)});
  }
  static coze::ChatRequest Ask(const std::string& text) {
    return {.bot_id = world().bot_id,
            .user_id = "sdk-test",
            .additional_messages = {{.role = "user", .content = text}}};
  }
};

TEST_F(SdkIntegration, UsersMe) {
  auto me = Sdk().users().Me();
  ASSERT_TRUE(me) << me.Describe();
  EXPECT_EQ(me->user_id, world().user.id);
  EXPECT_EQ(me->user_name, world().user.name);
}

TEST_F(SdkIntegration, WorkspacesListIncludesTheWorldsWorkspace) {
  auto list = Sdk().workspaces().List({1, 50});
  ASSERT_TRUE(list) << list.Describe();
  EXPECT_EQ(list->total_count, static_cast<int64_t>(list->workspaces.size()));
  bool found = false;
  for (const auto& w : list->workspaces) found |= (w.id == world().workspace_id);
  EXPECT_TRUE(found);
}

TEST_F(SdkIntegration, BotsListAndRetrieve) {
  auto list = Sdk().bots().List(world().workspace_id);
  ASSERT_TRUE(list) << list.Describe();
  bool found = false;
  for (const auto& b : list->items) found |= (b.id == world().bot_id);
  EXPECT_TRUE(found);
  auto bot = Sdk().bots().Retrieve(world().bot_id);
  ASSERT_TRUE(bot) << bot.Describe();
  EXPECT_EQ(bot->bot_id, world().bot_id);
  EXPECT_EQ(bot->prompt, world().prompt);
}

TEST_F(SdkIntegration, ConversationsCreateRetrieveAndList) {
  auto created = Sdk().conversations().Create({.bot_id = world().bot_id, .name = "sdk"});
  ASSERT_TRUE(created) << created.Describe();
  auto got = Sdk().conversations().Retrieve(created->id);
  ASSERT_TRUE(got) << got.Describe();
  EXPECT_EQ(got->id, created->id);
  auto list = Sdk().conversations().List(world().bot_id);
  ASSERT_TRUE(list) << list.Describe();
  bool found = false;
  for (const auto& c : list->conversations) found |= (c.id == created->id);
  EXPECT_TRUE(found);
}

TEST_F(SdkIntegration, ChatCreateAndPollAnswersDeterministically) {
  auto poll = Sdk().chat().CreateAndPoll(Ask("hello sdk"), std::chrono::milliseconds(20),
                                         std::chrono::seconds(20));
  ASSERT_TRUE(poll) << poll.Describe();
  EXPECT_EQ(poll->chat.status, "completed");
  std::string answer;
  for (const auto& m : poll->messages) {
    if (m.role == "assistant" && m.type == "answer") answer = m.content;
  }
  EXPECT_EQ(answer, ExpectedReply(world().prompt, "hello sdk"));

  auto again = Sdk().chat().Retrieve(poll->chat.conversation_id, poll->chat.id);
  ASSERT_TRUE(again) << again.Describe();
  EXPECT_EQ(again->id, poll->chat.id);

  // The conversation's message list holds the question and the answer, cursors top-level.
  auto list = Sdk().messages().List(poll->chat.conversation_id, {.order = "asc"});
  ASSERT_TRUE(list) << list.Describe();
  ASSERT_GE(list->messages.size(), 2u);
  EXPECT_FALSE(list->first_id.empty());
  EXPECT_FALSE(list->last_id.empty());
}

TEST_F(SdkIntegration, SubmitToolOutputsReachesTheServerAndMapsItsRefusal) {
  // The built-in runtime calls no tools, so a completed chat is never waiting for outputs: the
  // server's 4000 comes back as the SDK's Error with code and logid.
  auto poll = Sdk().chat().CreateAndPoll(Ask("tools"), std::chrono::milliseconds(20),
                                         std::chrono::seconds(20));
  ASSERT_TRUE(poll) << poll.Describe();
  auto r =
      Sdk().chat().SubmitToolOutputs(poll->chat.conversation_id, poll->chat.id, {{"call_1", "42"}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, 4000);
  EXPECT_NE(r.error().msg.find("not waiting for tool outputs"), std::string::npos) << r.Describe();
  EXPECT_FALSE(r.error().logid.empty());
}

TEST_F(SdkIntegration, ChatStreamDeltasConcatenateToTheReply) {
  std::vector<std::string> events;
  std::string deltas;
  auto chat = Sdk().chat().Stream(Ask("stream me"), [&](const coze::ChatEvent& e) {
    events.push_back(e.event);
    if (e.event == coze::chat_event::kMessageDelta) deltas += e.message->content;
    return true;
  });
  ASSERT_TRUE(chat) << chat.Describe();
  EXPECT_EQ(chat->status, "completed");
  EXPECT_EQ(deltas, ExpectedReply(world().prompt, "stream me"));
  ASSERT_GE(events.size(), 4u);
  EXPECT_EQ(events.front(), coze::chat_event::kChatCreated);
  EXPECT_EQ(events.back(), coze::chat_event::kDone);
  const auto completed = std::find(events.begin(), events.end(), coze::chat_event::kChatCompleted);
  const auto first_delta = std::find(events.begin(), events.end(), coze::chat_event::kMessageDelta);
  ASSERT_NE(completed, events.end());
  ASSERT_NE(first_delta, events.end());
  EXPECT_LT(first_delta, completed);
}

TEST_F(SdkIntegration, MessagesCreateThenList) {
  auto conv = Sdk().conversations().Create({.bot_id = world().bot_id});
  ASSERT_TRUE(conv) << conv.Describe();
  auto m = Sdk().messages().Create(conv->id, "user", "note to self");
  ASSERT_TRUE(m) << m.Describe();
  auto list = Sdk().messages().List(conv->id);
  ASSERT_TRUE(list) << list.Describe();
  ASSERT_EQ(list->messages.size(), 1u);
  EXPECT_EQ(list->messages[0].content, "note to self");
}

TEST_F(SdkIntegration, FileUploadAndRetrieve) {
  auto up = Sdk().files().Upload(std::string("bytes\0with nul", 14), "data.bin");
  ASSERT_TRUE(up) << up.Describe();
  EXPECT_EQ(up->bytes, 14);
  EXPECT_EQ(up->file_name, "data.bin");
  auto got = Sdk().files().Retrieve(up->id);
  ASSERT_TRUE(got) << got.Describe();
  EXPECT_EQ(got->id, up->id);
  EXPECT_EQ(got->bytes, 14);
}

TEST_F(SdkIntegration, VoicesList) {
  auto voices = Sdk().audio().Voices();
  ASSERT_TRUE(voices) << voices.Describe();
  EXPECT_FALSE(voices->voice_list.empty());
}

TEST_F(SdkIntegration, GarbageTokenIs4100WithALogId) {
  auto client = MakeClient("pat_garbage");
  auto me = client->users().Me();
  ASSERT_FALSE(me);
  ASSERT_FALSE(me.is_auth_error()) << me.Describe();
  EXPECT_EQ(me.error().code, 4100);
  EXPECT_EQ(me.error().logid.size(), 34u) << me.Describe();
}

TEST_F(SdkIntegration, PatLackingThePointIs4101WithALogId) {
  auto pat = scenario().CreatePat(
      world().user.id,
      {.name = "no-meta", .workspace_permissions = Without(AllWorkspacePoints(), "getMetadata")});
  auto client = MakeClient(pat.token);
  auto bot = client->bots().Retrieve(world().bot_id);
  ASSERT_FALSE(bot);
  EXPECT_EQ(bot.error().code, 4101) << bot.Describe();
  EXPECT_EQ(bot.error().logid.size(), 34u);
  EXPECT_TRUE(client->users().Me()) << "the same PAT is still valid";
}

TEST_F(SdkIntegration, UnknownBotIs4006) {
  auto bot = Sdk().bots().Retrieve("7000000000000000001");
  ASSERT_FALSE(bot);
  EXPECT_EQ(bot.error().code, 4006) << bot.Describe();
}

TEST_F(SdkIntegration, UnreachableServerIsATransportError) {
  auto client = std::make_unique<coze::Client>(coze::ClientOptions{
      .base_url = "http://127.0.0.1:1", .auth = std::make_shared<coze::TokenAuth>("pat_x")});
  auto me = client->users().Me();
  ASSERT_FALSE(me);
  EXPECT_EQ(me.error().code, coze::kClientErrorCode);
}

}  // namespace
}  // namespace cozeauth::it
