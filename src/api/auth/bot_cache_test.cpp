// BotCache on a fake content store: a found bot is read once per bot generation, an unknown id
// is read every time (so a newly created bot is seen at once), and no bot loaded before
// Invalidate() — even by a load racing with it — is served after it.
#include "api/auth/bot_cache.hpp"

#include <gtest/gtest.h>

#include "api/auth/fake_stores.hpp"

namespace cozeauth::api {
namespace {

domain::Bot MakeBot(const std::string& id, const std::string& name) {
  domain::Bot b;
  b.id = id;
  b.workspace_id = "3001";
  b.name = name;
  return b;
}

class BotCacheTest : public ::testing::Test {
 protected:
  fakes::FakeContentStore store_;
  BotCache bots_{store_, 4};
};

TEST_F(BotCacheTest, AFoundBotIsReadOnce) {
  store_.bots["5001"] = MakeBot("5001", "first");
  EXPECT_EQ(bots_.Bot("5001").value().name, "first");
  EXPECT_EQ(bots_.Bot("5001").value().name, "first");
  EXPECT_EQ(store_.reads, 1);
  EXPECT_EQ(bots_.Counts().hits, 1u);
  EXPECT_EQ(bots_.Counts().misses, 1u);
}

TEST_F(BotCacheTest, AnUnknownBotIsNeverCached) {
  auto missing = bots_.Bot("5002");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, Errc::kNotFound);
  store_.bots["5002"] = MakeBot("5002", "created elsewhere");  // creation bumps nothing
  EXPECT_EQ(bots_.Bot("5002").value().name, "created elsewhere");
  EXPECT_EQ(store_.reads, 2);
}

TEST_F(BotCacheTest, InvalidateServesTheUpdatedBot) {
  store_.bots["5001"] = MakeBot("5001", "first");
  ASSERT_EQ(bots_.Bot("5001").value().name, "first");
  store_.bots["5001"].name = "second";
  EXPECT_EQ(bots_.Bot("5001").value().name, "first");  // cached until the bot epoch moves
  bots_.Invalidate();
  EXPECT_EQ(bots_.Bot("5001").value().name, "second");
}

// An update committed while a request is loading the bot: the loaded copy is older than the
// invalidation, so the next request reads the store again.
TEST_F(BotCacheTest, ALoadRacingAnInvalidationIsNeverServedAfterIt) {
  store_.bots["5001"] = MakeBot("5001", "first");
  store_.during_get = [&] {
    store_.bots["5001"].name = "second";
    bots_.Invalidate();
  };
  EXPECT_EQ(bots_.Bot("5001").value().name, "first");
  EXPECT_EQ(bots_.Bot("5001").value().name, "second");
  EXPECT_EQ(store_.reads, 2);
}

// A warm read hands out the cached copy and its one rendering; an update brings a new copy,
// rendered anew from the updated bot.
TEST_F(BotCacheTest, ARenderingIsMadeOncePerCachedCopy) {
  store_.bots["5001"] = MakeBot("5001", "first");
  int renders = 0;
  const auto render = [&renders](const domain::Bot& b) {
    ++renders;
    return "{\"name\":\"" + b.name + "\"}";
  };
  auto a = bots_.Shared("5001").value();
  auto b = bots_.Shared("5001").value();
  EXPECT_EQ(a.get(), b.get());
  EXPECT_EQ(a->Rendered(render), R"({"name":"first"})");
  EXPECT_EQ(b->Rendered(render), R"({"name":"first"})");
  EXPECT_EQ(renders, 1);

  store_.bots["5001"].name = "second";
  bots_.Invalidate();
  auto c = bots_.Shared("5001").value();
  EXPECT_NE(c.get(), a.get());
  EXPECT_EQ(c->Rendered(render), R"({"name":"second"})");
  EXPECT_EQ(renders, 2);
  EXPECT_EQ(a->Rendered(render), R"({"name":"first"})");  // a request still holding the old copy
  EXPECT_EQ(bots_.Bot("5001").value().name, "second");
  EXPECT_EQ(store_.reads, 2);
}

}  // namespace
}  // namespace cozeauth::api
