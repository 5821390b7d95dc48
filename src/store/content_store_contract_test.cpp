// The storage contract of ContentStore (content_store.hpp): bots, conversations, messages and
// their cursors, chats and file metadata, written against the interface so that every backend
// runs it. Each TEST_P runs on an in-memory database and on a file (WAL, reader pool).

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/contract_test_rows.hpp"
#include "store/contract_test_support.hpp"
#include "store/store.hpp"

namespace cozeauth {
namespace store {
namespace {

using namespace contract;  // NOLINT(google-build-using-namespace): the suite's vocabulary

class ContentContract : public TenancySeededContractTest<ContentStore> {
 protected:
  void TearDown() override {
    store().OnBotEpochBump(nullptr);
    backend().OnAuthEpochBump(nullptr);
  }
};

COZEAUTH_STORE_CONTRACT(ContentContract);

TEST_P(ContentContract, CreatesAndGetsEachEntity) {
  SeedTenancy();
  const domain::Bot bot = MakeBot("5001", "3001", true, 1'700'000'150);
  ASSERT_OK(store().CreateBot(bot));
  EXPECT_EQ(Fields(VALUE(store().GetBot("5001"))), Fields(bot));

  const domain::Conversation conv = MakeConversation("6001", "1001", "5001", "", 1'700'000'160);
  ASSERT_OK(store().CreateConversation(conv));
  EXPECT_EQ(Fields(VALUE(store().GetConversation("6001"))), Fields(conv));

  const domain::Chat chat = MakeChat("7001", "6001");
  ASSERT_OK(store().CreateChat(chat));
  EXPECT_EQ(Fields(VALUE(store().GetChat("7001"))), Fields(chat));

  const domain::Message message = MakeMessage("8001", "6001", "7001", 1'700'000'170);
  ASSERT_OK(store().CreateMessage(message));
  EXPECT_EQ(Fields(VALUE(store().GetMessage("8001"))), Fields(message));

  const domain::File file{"9001", "1001", "notes.txt", 1234, std::string(64, 'f'), 1'700'000'180};
  ASSERT_OK(store().CreateFile(file));
  EXPECT_EQ(Fields(VALUE(store().GetFile("9001"))), Fields(file));
}

TEST_P(ContentContract, MissingRowsAreNotFound) {
  SeedTenancy();
  ASSERT_OK(store().CreateConversation(MakeConversation("6001", "1001", "5001", "", 1)));
  ExpectNotFound({
      {"GetBot", [&] { return CodeOf(store().GetBot("5999")); }},
      {"UpdateBot", [&] { return CodeOf(store().UpdateBot(MakeBot("5999", "3001", false, 1))); }},
      {"GetConversation", [&] { return CodeOf(store().GetConversation("6999")); }},
      {"UpdateConversation",
       [&] {
         return CodeOf(store().UpdateConversation(MakeConversation("6999", "1001", "", "", 1)));
       }},
      {"DeleteConversation", [&] { return CodeOf(store().DeleteConversation("6999")); }},
      {"GetMessage", [&] { return CodeOf(store().GetMessage("8999")); }},
      {"UpdateMessage",
       [&] { return CodeOf(store().UpdateMessage(MakeMessage("8999", "6001", "", 1))); }},
      {"DeleteMessage", [&] { return CodeOf(store().DeleteMessage("8999")); }},
      {"GetChat", [&] { return CodeOf(store().GetChat("7999")); }},
      {"UpdateChat", [&] { return CodeOf(store().UpdateChat(MakeChat("7999", "6001"))); }},
      {"GetFile", [&] { return CodeOf(store().GetFile("9999")); }},
      // Foreign keys: a child row needs its parent.
      {"CreateBotUnknownWorkspace",
       [&] { return CodeOf(store().CreateBot(MakeBot("5998", "3999", false, 1))); }},
      {"CreateMessageUnknownConversation",
       [&] { return CodeOf(store().CreateMessage(MakeMessage("8998", "6999", "", 1))); }},
  });
}

TEST_P(ContentContract, DuplicatesAreAlreadyExists) {
  SeedTenancy();
  ASSERT_OK(store().CreateConversation(MakeConversation("6001", "1001", "", "", 1)));
  ASSERT_OK(store().CreateMessage(MakeMessage("8001", "6001", "", 1)));
  ExpectAlreadyExists(
      {
          {"same message id", store().CreateMessage(MakeMessage("8001", "6001", "", 2))},
      },
      HashOf(1));
}

TEST_P(ContentContract, BotPagesCountAllAndOrderByUpdate) {
  SeedTenancy();
  // Five bots in 3001 (published: 5001, 5003, 5005), one elsewhere.
  for (int i = 1; i <= 5; ++i) {
    ASSERT_OK(store().CreateBot(
        MakeBot("500" + std::to_string(i), "3001", i % 2 == 1, 1'700'000'000 + i * 10)));
  }
  ASSERT_OK(store().CreateBot(MakeBot("5101", "3002", true, 1'800'000'000)));

  struct Case {
    std::optional<bool> published;
    Page page;
    std::vector<std::string> ids;
    int64_t total;
    bool has_more;
  };
  const std::vector<Case> cases = {
      {std::nullopt, {1, 2}, {"5005", "5004"}, 5, true},
      {std::nullopt, {2, 2}, {"5003", "5002"}, 5, true},
      {std::nullopt, {3, 2}, {"5001"}, 5, false},
      {std::nullopt, {4, 2}, {}, 5, false},
      {std::nullopt, {1, 5}, {"5005", "5004", "5003", "5002", "5001"}, 5, false},
      {true, {1, 2}, {"5005", "5003"}, 3, true},
      {true, {2, 2}, {"5001"}, 3, false},
      {false, {1, 20}, {"5004", "5002"}, 2, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(testing::Message() << "published=" << (c.published ? int(*c.published) : -1)
                                    << " page=" << c.page.page_num << "/" << c.page.page_size);
    auto paged = VALUE(store().ListBots("3001", c.published, c.page));
    EXPECT_EQ(Ids(paged.items), c.ids);
    EXPECT_EQ(paged.total, c.total);
    EXPECT_EQ(paged.has_more, c.has_more);
  }

  // UpdateBot replaces the mutable fields and reorders the listing.
  domain::Bot bot = MakeBot("5001", "3001", true, 1'900'000'000);
  bot.name = "renamed";
  bot.connector_ids = {};
  ASSERT_OK(store().UpdateBot(bot));
  EXPECT_EQ(Fields(VALUE(store().GetBot("5001"))), Fields(bot));
  EXPECT_EQ(Ids(VALUE(store().ListBots("3001", std::nullopt, {1, 1})).items),
            (std::vector<std::string>{"5001"}));
}

TEST_P(ContentContract, ConversationPagesFilterByOwnerBotAndSession) {
  SeedTenancy();
  // Account 1001 with bot 5001, session "": 6001..6004, created in that order.
  for (int i = 1; i <= 4; ++i) {
    ASSERT_OK(store().CreateConversation(
        MakeConversation("600" + std::to_string(i), "1001", "5001", "", 1'700'000'000 + i)));
  }
  ASSERT_OK(
      store().CreateConversation(MakeConversation("6101", "1001", "5002", "", 1'700'000'050)));
  ASSERT_OK(store().CreateConversation(
      MakeConversation("6201", "1001", "5001", "jwt-s1", 1'700'000'060)));
  ASSERT_OK(
      store().CreateConversation(MakeConversation("6301", "2001", "5001", "", 1'700'000'070)));

  struct Case {
    std::string bot;
    std::string session;
    bool ascending;
    Page page;
    std::vector<std::string> ids;
    int64_t total;
    bool has_more;
  };
  const std::vector<Case> cases = {
      {"5001", "", false, {1, 3}, {"6004", "6003", "6002"}, 4, true},
      {"5001", "", false, {2, 3}, {"6001"}, 4, false},
      {"5001", "", true, {1, 3}, {"6001", "6002", "6003"}, 4, true},
      {"", "", false, {1, 10}, {"6101", "6004", "6003", "6002", "6001"}, 5, false},
      {"5001", "jwt-s1", false, {1, 10}, {"6201"}, 1, false},
      {"5009", "", false, {1, 10}, {}, 0, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(testing::Message() << "bot=" << c.bot << " session=" << c.session
                                    << " asc=" << c.ascending << " page=" << c.page.page_num);
    auto paged = VALUE(store().ListConversations("1001", c.bot, c.session, c.ascending, c.page));
    EXPECT_EQ(Ids(paged.items), c.ids);
    EXPECT_EQ(paged.total, c.total);
    EXPECT_EQ(paged.has_more, c.has_more);
  }

  domain::Conversation updated = MakeConversation("6001", "1001", "5001", "", 1'700'000'001);
  updated.name = "renamed";
  updated.meta_data_json = R"({"x":"y"})";
  updated.last_section_id = "new-section";
  updated.updated_at = 1'800'000'000;
  ASSERT_OK(store().UpdateConversation(updated));
  EXPECT_EQ(Fields(VALUE(store().GetConversation("6001"))), Fields(updated));
}

TEST_P(ContentContract, MessageCursorsPageBothWays) {
  ASSERT_OK(store().CreateConversation(MakeConversation("6001", "1001", "5001", "", 1)));
  ASSERT_OK(store().CreateConversation(MakeConversation("6002", "1001", "5001", "", 1)));
  // Chronological order m0..m6; ids are deliberately not sorted, and several messages share a
  // second, so only insertion order breaks the ties.
  const std::vector<std::string> m = {"9005", "1003", "7001", "2002", "8004", "3006", "5000"};
  const std::vector<int64_t> created = {100, 100, 100, 101, 102, 102, 103};
  for (size_t i = 0; i < m.size(); ++i) {
    ASSERT_OK(store().CreateMessage(
        MakeMessage(m[i], "6001", i % 2 == 0 ? "chat-even" : "chat-odd", created[i])));
  }
  ASSERT_OK(store().CreateMessage(MakeMessage("4444", "6002", "chat-even", 101)));

  struct Case {
    const char* name;
    std::string before, after;
    bool descending;
    int limit;
    std::vector<std::string> ids;
    bool has_more;
    std::string chat = "";
  };
  const std::vector<Case> cases = {
      {"newest first", "", "", true, 3, {m[6], m[5], m[4]}, true},
      {"older than m4", m[4], "", true, 3, {m[3], m[2], m[1]}, true},
      {"older than m1", m[1], "", true, 3, {m[0]}, false},
      {"oldest first", "", "", false, 3, {m[0], m[1], m[2]}, true},
      {"newer than m2", "", m[2], false, 3, {m[3], m[4], m[5]}, true},
      {"newer than m5", "", m[5], false, 3, {m[6]}, false},
      {"newer than m2, shown newest first", "", m[2], true, 2, {m[4], m[3]}, true},
      {"older than m4, shown oldest first", m[4], "", false, 2, {m[2], m[3]}, true},
      {"between m1 and m5", m[5], m[1], true, 50, {m[4], m[3], m[2]}, false},
      {"\"0\" is no cursor", "0", "0", true, 50, {m[6], m[5], m[4], m[3], m[2], m[1], m[0]}, false},
      {"whole conversation", "", "", false, 7, {m[0], m[1], m[2], m[3], m[4], m[5], m[6]}, false},
      {"limit below 1 means 1", "", "", true, 0, {m[6]}, true},
      {"one chat", "", "", true, 50, {m[6], m[4], m[2], m[0]}, false, "chat-even"},
      {"one chat, older than m4", m[4], "", true, 1, {m[2]}, true, "chat-even"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    MessageQuery q;
    q.conversation_id = "6001";
    q.chat_id = c.chat;
    q.before_id = c.before;
    q.after_id = c.after;
    q.descending = c.descending;
    q.limit = c.limit;
    auto page = VALUE(store().ListMessages(q));
    EXPECT_EQ(Ids(page.items), c.ids);
    EXPECT_EQ(page.has_more, c.has_more);
  }

  MessageQuery unknown_cursor;
  unknown_cursor.conversation_id = "6001";
  unknown_cursor.before_id = "4444";  // exists, but in another conversation
  EXPECT_EQ(CodeOf(store().ListMessages(unknown_cursor)), Errc::kNotFound);

  EXPECT_EQ(Ids(VALUE(store().ListChatMessages("chat-odd"))),
            (std::vector<std::string>{m[1], m[3], m[5]}));
}

TEST_P(ContentContract, MessageLimitIsAtMostFifty) {
  ASSERT_OK(store().CreateConversation(MakeConversation("6001", "1001", "5001", "", 1)));
  for (int i = 0; i < 52; ++i) {
    ASSERT_OK(store().CreateMessage(MakeMessage(std::to_string(10'000 + i), "6001", "", i)));
  }
  MessageQuery q;
  q.conversation_id = "6001";
  q.limit = 500;
  auto page = VALUE(store().ListMessages(q));
  EXPECT_EQ(page.items.size(), 50u);
  EXPECT_TRUE(page.has_more);
  EXPECT_EQ(page.items.front().id, "10051");
}

TEST_P(ContentContract, MessagesUpdateAndDelete) {
  ASSERT_OK(store().CreateConversation(MakeConversation("6001", "1001", "5001", "", 1)));
  ASSERT_OK(store().CreateMessage(MakeMessage("8001", "6001", "", 10)));
  domain::Message updated = MakeMessage("8001", "6001", "chat-1", 10);
  updated.content = "edited";
  updated.role = "assistant";
  updated.type = "answer";
  updated.updated_at = 20;
  ASSERT_OK(store().UpdateMessage(updated));
  EXPECT_EQ(Fields(VALUE(store().GetMessage("8001"))), Fields(updated));
  ASSERT_OK(store().DeleteMessage("8001"));
  EXPECT_EQ(CodeOf(store().GetMessage("8001")), Errc::kNotFound);

  ASSERT_OK(store().CreateChat(MakeChat("7001", "6001")));
  domain::Chat chat = MakeChat("7001", "6001");
  chat.status = "completed";
  chat.completed_at = 1'700'000'999;
  chat.output_count = 42;
  ASSERT_OK(store().UpdateChat(chat));
  EXPECT_EQ(Fields(VALUE(store().GetChat("7001"))), Fields(chat));
}

TEST_P(ContentContract, DeleteConversationTakesItsMessagesAndChats) {
  ASSERT_OK(store().CreateConversation(MakeConversation("6001", "1001", "5001", "", 1)));
  ASSERT_OK(store().CreateConversation(MakeConversation("6002", "1001", "5001", "", 2)));
  ASSERT_OK(store().CreateChat(MakeChat("7001", "6001")));
  ASSERT_OK(store().CreateChat(MakeChat("7002", "6002")));
  ASSERT_OK(store().CreateMessage(MakeMessage("8001", "6001", "7001", 10)));
  ASSERT_OK(store().CreateMessage(MakeMessage("8002", "6001", "7001", 11)));
  ASSERT_OK(store().CreateMessage(MakeMessage("8003", "6002", "7002", 12)));

  ASSERT_OK(store().DeleteConversation("6001"));
  EXPECT_EQ(CodeOf(store().GetConversation("6001")), Errc::kNotFound);
  EXPECT_EQ(CodeOf(store().GetMessage("8001")), Errc::kNotFound);
  EXPECT_EQ(CodeOf(store().GetMessage("8002")), Errc::kNotFound);
  EXPECT_EQ(CodeOf(store().GetChat("7001")), Errc::kNotFound);
  EXPECT_TRUE(VALUE(store().ListChatMessages("7001")).empty());
  // The other conversation is untouched.
  EXPECT_OK(store().GetConversation("6002"));
  EXPECT_OK(store().GetMessage("8003"));
  EXPECT_OK(store().GetChat("7002"));
  EXPECT_EQ(CodeOf(store().DeleteConversation("6001")), Errc::kNotFound);
}

// content_store.hpp: UpdateBot bumps the bot epoch, not the auth epoch (issue 9: a bot edit must
// not empty every token cache); a failed update bumps nothing.
TEST_P(ContentContract, UpdateBotBumpsTheBotEpochNotTheAuthEpoch) {
  SeedTenancy();
  ASSERT_OK(store().CreateBot(MakeBot("5001", "3001", true, 1)));
  const int64_t before = VALUE(store().BotEpoch());
  ExpectEpochMoves(
      backend(),
      {{"UpdateBot", [&] { return store().UpdateBot(MakeBot("5001", "3001", false, 2)); }, false}});
  const int64_t after = VALUE(store().BotEpoch());
  EXPECT_GT(after, before);
  EXPECT_EQ(CodeOf(store().UpdateBot(MakeBot("5999", "3001", false, 3))), Errc::kNotFound);
  EXPECT_EQ(VALUE(store().BotEpoch()), after);
}

// content_store.hpp: the bot listener runs once per committed bot-epoch bump (a transaction's
// once, after its commit), never on a failure or a rollback, and not for the auth epoch.
TEST_P(ContentContract, BotEpochListenerRunsAfterEachCommittedUpdate) {
  SeedTenancy();
  ASSERT_OK(store().CreateBot(MakeBot("5001", "3001", true, 1)));
  int bot_calls = 0, auth_calls = 0;
  int64_t seen = 0;
  store().OnBotEpochBump([&] {
    ++bot_calls;
    seen = VALUE(store().BotEpoch());  // the write is committed when the listener runs
  });
  backend().OnAuthEpochBump([&] { ++auth_calls; });

  ASSERT_OK(store().UpdateBot(MakeBot("5001", "3001", false, 2)));
  EXPECT_EQ(bot_calls, 1);
  EXPECT_EQ(seen, VALUE(store().BotEpoch()));
  EXPECT_EQ(CodeOf(store().UpdateBot(MakeBot("5999", "3001", false, 3))), Errc::kNotFound);
  EXPECT_EQ(bot_calls, 1);

  ASSERT_OK(backend().Transaction([&]() -> Status {
    if (Status st = store().UpdateBot(MakeBot("5001", "3001", true, 4)); !st) return st;
    EXPECT_EQ(bot_calls, 1);  // not before the commit
    return store().UpdateBot(MakeBot("5001", "3001", false, 5));
  }));
  EXPECT_EQ(bot_calls, 2);
  EXPECT_FALSE(backend()
                   .Transaction([&]() -> Status {
                     EXPECT_OK(store().UpdateBot(MakeBot("5001", "3001", true, 6)));
                     return Error::Make(Errc::kInternal, "roll back");
                   })
                   .has_value());
  EXPECT_EQ(bot_calls, 2);
  // An auth-epoch write is not a bot write, and the other way round.
  ASSERT_OK(backend().SetWorkspaceRole("3001", "1002", domain::WorkspaceRole::kMember));
  EXPECT_EQ(bot_calls, 2);
  EXPECT_EQ(auth_calls, 1);

  store().OnBotEpochBump(nullptr);  // cleared: later writes call nothing
  ASSERT_OK(store().UpdateBot(MakeBot("5001", "3001", false, 7)));
  EXPECT_EQ(bot_calls, 2);
}

// content_store.hpp: "Bumps the auth epoch: none of these writes", and of the bot epoch only
// UpdateBot — nor do writes of other aggregates that bump the auth epoch.
TEST_P(ContentContract, OtherWritesLeaveBothEpochsAlone) {
  SeedTenancy();
  domain::Conversation renamed = MakeConversation("6001", "1001", "5001", "", 1);
  renamed.name = "renamed";
  const int64_t bots_before = VALUE(store().BotEpoch());
  ExpectEpochMoves(
      backend(),
      {
          {"CreateBot", [&] { return store().CreateBot(MakeBot("5001", "3001", true, 1)); }, false},
          {"CreateConversation",
           [&] {
             return store().CreateConversation(MakeConversation("6001", "1001", "5001", "", 1));
           },
           false},
          {"UpdateConversation", [&] { return store().UpdateConversation(renamed); }, false},
          {"CreateChat", [&] { return store().CreateChat(MakeChat("7001", "6001")); }, false},
          {"UpdateChat", [&] { return store().UpdateChat(MakeChat("7001", "6001")); }, false},
          {"CreateMessage",
           [&] { return store().CreateMessage(MakeMessage("8001", "6001", "7001", 10)); }, false},
          {"UpdateMessage",
           [&] { return store().UpdateMessage(MakeMessage("8001", "6001", "7001", 11)); }, false},
          {"DeleteMessage", [&] { return store().DeleteMessage("8001"); }, false},
          {"CreateFile",
           [&] {
             return store().CreateFile({"9001", "1001", "a.txt", 1, std::string(64, 'f'), 1});
           },
           false},
          {"DeleteConversation", [&] { return store().DeleteConversation("6001"); }, false},
      });
  ASSERT_OK(backend().SetWorkspaceRole("3001", "1002", domain::WorkspaceRole::kMember));
  EXPECT_EQ(VALUE(store().BotEpoch()), bots_before);
}

}  // namespace
}  // namespace store
}  // namespace cozeauth
