// The bot operations (admin/bots.hpp) against an in-memory store with a fake clock: creation,
// the fields an update may change and their validation, and how publishing and unpublishing
// move a bot between connectors and between draft and published. Every refusal is checked to
// write nothing.
#include "admin/bots.hpp"

#include <gtest/gtest.h>

#include <tuple>

#include "admin/test_env.hpp"

namespace cozeauth::admin {
namespace {

using Connectors = std::vector<std::string>;

class BotsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ann_ = CreateUser(env_, "ann", "ann@x.test", "Passw0rd-ann").value();
    ws_ = CreateWorkspace(env_, ann_.id, ann_.id, "W").value();
  }

  domain::Bot NewBot(bool publish = false) {
    BotSpec spec;
    spec.workspace_id = ws_.id;
    spec.name = "Helper";
    spec.description = "helps";
    spec.prompt = "Be brief.";
    spec.prologue = "Hi";
    spec.publish = publish;
    auto bot = CreateBot(env_, spec);
    EXPECT_TRUE(bot.has_value()) << (bot ? "" : bot.error().message);
    return bot ? bot.value() : domain::Bot{};
  }

  domain::Bot Stored(const std::string& id) { return store_->GetBot(id).value(); }

  int64_t BotCount() { return store_->ListBots(ws_.id, std::nullopt, {1, 100}).value().total; }

  static void ExpectBadRequest(const Error& e, const std::string& field) {
    EXPECT_EQ(e.code, Errc::kBadRequest) << e.message;
    EXPECT_EQ(e.field, field) << e.message;
  }

  // Every field an operation may write.
  static auto Written(const domain::Bot& b) {
    return std::tie(b.name, b.description, b.prompt, b.prologue, b.is_published, b.published_at,
                    b.connector_ids, b.updated_at);
  }
  static void ExpectSame(const domain::Bot& a, const domain::Bot& b) {
    EXPECT_EQ(Written(a), Written(b));
  }

  TestEnv test_;
  Env& env_ = test_.env;
  FakeClock& clock_ = test_.clock;
  store::Store* store_ = test_.store.get();
  domain::User ann_;
  domain::Workspace ws_;
};

// --- create

TEST_F(BotsTest, CreateStoresADraftOwnedByTheWorkspaceOwner) {
  const domain::Bot bot = NewBot();
  const domain::Bot stored = Stored(bot.id);
  EXPECT_EQ(stored.workspace_id, ws_.id);
  EXPECT_EQ(stored.owner_user_id, ann_.id);
  EXPECT_EQ(stored.name, "Helper");
  EXPECT_FALSE(stored.is_published);
  EXPECT_TRUE(stored.connector_ids.empty());
  EXPECT_EQ(stored.created_at, clock_.NowSeconds());
  EXPECT_EQ(stored.updated_at, clock_.NowSeconds());
}

TEST_F(BotsTest, CreateWithPublishGoesToTheApiChannel) {
  const domain::Bot stored = Stored(NewBot(/*publish=*/true).id);
  EXPECT_TRUE(stored.is_published);
  EXPECT_EQ(stored.published_at, clock_.NowSeconds());
  EXPECT_EQ(stored.connector_ids, Connectors{domain::kApiConnectorId});
  EXPECT_EQ(std::string(domain::kApiConnectorId), "1024");  // coze-protocol.md §9.1
}

TEST_F(BotsTest, CreateRefusesBadSpecsAndWritesNothing) {
  const struct {
    const char* why;
    std::string name;
    std::string prompt;
    std::string workspace_id;
    Errc code;
    const char* field;
  } cases[] = {
      {"no name", "", "", "", Errc::kBadRequest, "name"},
      {"name of 101 characters", std::string(101, 'n'), "", "", Errc::kBadRequest, "name"},
      {"prompt of 20001 characters", "ok", std::string(20001, 'p'), "", Errc::kBadRequest,
       "prompt"},
      {"unknown workspace", "ok", "", "7000000000000000001", Errc::kNotFound, ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.why);
    BotSpec spec;
    spec.workspace_id = c.workspace_id.empty() ? ws_.id : c.workspace_id;
    spec.name = c.name;
    spec.prompt = c.prompt;
    spec.publish = true;
    auto bot = CreateBot(env_, spec);
    ASSERT_FALSE(bot.has_value());
    EXPECT_EQ(bot.error().code, c.code) << bot.error().message;
    if (c.code == Errc::kBadRequest) {
      EXPECT_EQ(bot.error().field, c.field);
    }
    EXPECT_EQ(BotCount(), 0);
  }
  BotSpec limits;
  limits.workspace_id = ws_.id;
  limits.name = std::string(kMaxBotNameChars, 'n');
  limits.prompt = std::string(kMaxBotPromptChars, 'p');
  EXPECT_TRUE(CreateBot(env_, limits).has_value());
}

// --- field validation and update

TEST_F(BotsTest, FieldValidationByUse) {
  const struct {
    const char* why;
    std::optional<std::string> name;
    BotFieldsUse use;
    bool ok;
  } cases[] = {
      {"create without a name", std::nullopt, BotFieldsUse::kCreate, false},
      {"create with an empty name", "", BotFieldsUse::kCreate, false},
      {"create with 101 characters", std::string(101, 'n'), BotFieldsUse::kCreate, false},
      {"create with 100 characters", std::string(100, 'n'), BotFieldsUse::kCreate, true},
      {"create with one character", "n", BotFieldsUse::kCreate, true},
      {"update without a name", std::nullopt, BotFieldsUse::kUpdate, true},
      {"update with an empty name", "", BotFieldsUse::kUpdate, false},
      {"update with 101 characters", std::string(101, 'n'), BotFieldsUse::kUpdate, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.why);
    BotFields fields;
    fields.name = c.name;
    Status s = ValidateBotFields(fields, c.use);
    EXPECT_EQ(s.has_value(), c.ok);
    if (!s) ExpectBadRequest(s.error(), "name");
  }
}

TEST_F(BotsTest, UpdateChangesOnlyTheGivenFieldsAndNeverThePublication) {
  const domain::Bot before = NewBot(/*publish=*/true);
  clock_.Advance(60);
  BotFields fields;
  fields.name = "Helper 2";
  fields.prompt = "Be thorough.";
  auto updated = UpdateBot(env_, before, fields);
  ASSERT_TRUE(updated.has_value()) << updated.error().message;
  const domain::Bot stored = Stored(before.id);
  EXPECT_EQ(stored.name, "Helper 2");
  EXPECT_EQ(stored.prompt, "Be thorough.");
  EXPECT_EQ(stored.description, "helps");
  EXPECT_EQ(stored.prologue, "Hi");
  EXPECT_EQ(stored.updated_at, before.updated_at + 60);
  EXPECT_EQ(stored.created_at, before.created_at);
  EXPECT_TRUE(stored.is_published);
  EXPECT_EQ(stored.published_at, before.published_at);
  EXPECT_EQ(stored.connector_ids, before.connector_ids);
  ExpectSame(updated.value(), stored);
}

TEST_F(BotsTest, UpdateWithAnInvalidNameWritesNothing) {
  const domain::Bot before = NewBot();
  clock_.Advance(60);
  BotFields fields;
  fields.name = "";
  fields.description = "changed";
  auto updated = UpdateBot(env_, before, fields);
  ASSERT_FALSE(updated.has_value());
  ExpectBadRequest(updated.error(), "name");
  ExpectSame(Stored(before.id), before);
}

TEST_F(BotsTest, PromptLimitHoldsForCreateAndUpdateAlike) {
  // Every way to write a prompt has the same bound: an update once skipped it, so a bot created
  // within the limit could be grown past it through the API.
  const std::string longest(kMaxBotPromptChars, 'p');
  const std::string too_long(kMaxBotPromptChars + 1, 'p');
  for (BotFieldsUse use : {BotFieldsUse::kCreate, BotFieldsUse::kUpdate}) {
    BotFields fields;
    fields.name = "n";
    fields.prompt = longest;
    EXPECT_TRUE(ValidateBotFields(fields, use).has_value());
    fields.prompt = too_long;
    Status s = ValidateBotFields(fields, use);
    ASSERT_FALSE(s.has_value());
    ExpectBadRequest(s.error(), "prompt");
  }

  const domain::Bot before = NewBot();
  clock_.Advance(60);
  BotFields grow;
  grow.prompt = too_long;
  grow.description = "changed";
  auto updated = UpdateBot(env_, before, grow);
  ASSERT_FALSE(updated.has_value());
  ExpectBadRequest(updated.error(), "prompt");
  ExpectSame(Stored(before.id), before);
}

// --- publish, unpublish

TEST_F(BotsTest, PublishConnectorsDefaultsToTheApiChannelAndChecksAList) {
  EXPECT_EQ(PublishConnectors(std::nullopt).value(), Connectors{domain::kApiConnectorId});
  EXPECT_EQ(PublishConnectors(Connectors{"999", "1024"}).value(), (Connectors{"999", "1024"}));
  const struct {
    const char* why;
    Connectors ids;
  } refused[] = {
      {"empty list", {}},
      {"letters", {"api"}},
      {"empty id", {"1024", ""}},
      {"digits and a letter", {"1024x"}},
      {"21 digits", {std::string(21, '1')}},
  };
  for (const auto& c : refused) {
    SCOPED_TRACE(c.why);
    auto r = PublishConnectors(c.ids);
    ASSERT_FALSE(r.has_value());
    ExpectBadRequest(r.error(), "connector_ids");
  }
}

TEST_F(BotsTest, PublishAddsConnectorsOnceInOrderAndStampsTheVersion) {
  const domain::Bot draft = NewBot();
  clock_.Advance(30);
  auto first = PublishBot(env_, draft, std::nullopt);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_TRUE(first->is_published);
  EXPECT_EQ(first->connector_ids, Connectors{domain::kApiConnectorId});
  EXPECT_EQ(first->published_at, clock_.NowSeconds());
  EXPECT_EQ(first->updated_at, clock_.NowSeconds());

  clock_.Advance(30);
  auto second = PublishBot(env_, first.value(), Connectors{"999", "1024", "999"});
  ASSERT_TRUE(second.has_value()) << second.error().message;
  EXPECT_EQ(second->connector_ids, (Connectors{"1024", "999"}));
  EXPECT_EQ(second->published_at, clock_.NowSeconds());
  ExpectSame(Stored(draft.id), second.value());
}

TEST_F(BotsTest, PublishWithBadConnectorsWritesNothing) {
  const domain::Bot draft = NewBot();
  clock_.Advance(30);
  for (const Connectors& ids : {Connectors{}, Connectors{"x"}}) {
    auto r = PublishBot(env_, draft, ids);
    ASSERT_FALSE(r.has_value());
    ExpectBadRequest(r.error(), "connector_ids");
  }
  ExpectSame(Stored(draft.id), draft);
}

TEST_F(BotsTest, UnpublishLeavesTheBotPublishedWhileAnyConnectorRemains) {
  domain::Bot bot = PublishBot(env_, NewBot(), Connectors{"1024", "999"}).value();
  const int64_t published_at = bot.published_at;
  clock_.Advance(10);

  bot = UnpublishBot(env_, bot, std::nullopt).value();  // the API channel by default
  EXPECT_EQ(bot.connector_ids, Connectors{"999"});
  EXPECT_TRUE(bot.is_published);
  EXPECT_EQ(bot.updated_at, clock_.NowSeconds());
  ExpectSame(Stored(bot.id), bot);

  clock_.Advance(10);
  bot = UnpublishBot(env_, bot, "1024").value();  // not on it: nothing but updated_at changes
  EXPECT_EQ(bot.connector_ids, Connectors{"999"});
  EXPECT_TRUE(bot.is_published);
  EXPECT_EQ(bot.updated_at, clock_.NowSeconds());

  bot = UnpublishBot(env_, bot, "999").value();
  EXPECT_TRUE(bot.connector_ids.empty());
  EXPECT_FALSE(bot.is_published);
  EXPECT_EQ(bot.published_at, published_at);  // history kept
  ExpectSame(Stored(bot.id), bot);
}

}  // namespace
}  // namespace cozeauth::admin
