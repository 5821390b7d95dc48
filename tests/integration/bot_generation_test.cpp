// Bots have their own cache generation (issue 9; api/auth/bot_cache.hpp): two real servers share
// one SQLite file, one updates a bot, and the other — which had it cached — serves the update
// within its epoch poll, without dropping its cached tokens and decision facts (an UpdateBot
// used to bump the auth epoch and so empty every token cache of every process).

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "support/openapi_expect.hpp"
#include "support/scenario.hpp"
#include "support/test_server.hpp"

namespace cozeauth::it {
namespace {

namespace json = boost::json;

// A write by another process reaches a server within its 200 ms epoch poll; this only bounds a
// failure, generously, for loaded machines (as GuideWorld::kPropagation).
constexpr std::chrono::milliseconds kPropagation{30'000};

// Lookups that read the store.
int64_t CacheMisses(const TestServer& server) {
  return server.Metric("cozeauth_auth_cache_misses_total");
}

TEST(BotGeneration, AnUpdateByAnotherServerIsServedWithoutEmptyingTheTokenCache) {
  TestServer a;
  Scenario scenario(a);
  const World w = scenario.MakeWorld();
  TestServer b({.db_file = a.db_path()});
  // Every write so far (the CLI's, B's start-up) bumped epochs that A would pick up at some poll
  // of its own; a restart starts A from the current epochs, so the misses counted below come
  // from the update alone.
  a.Restart();
  const std::string target = "/v1/bots/" + w.bot_id;
  auto name_at_a = [&] {
    return Str(OkBody(a.Http().Get(target, Bearer(w.pat.token))), "data.name");
  };

  const std::string before = name_at_a();
  ASSERT_EQ(name_at_a(), before);  // the token, the facts and the bot are cached at A now
  const int64_t misses_before = CacheMisses(a);

  ASSERT_TRUE(IsOk(b.Http().PostJson("/v1/bot/update",
                                     json::object{{"bot_id", w.bot_id}, {"name", "Renamed by B"}},
                                     Bearer(w.pat.token))));

  // A must not keep the stale bot: its poll of the bot epoch drops it.
  const auto deadline = std::chrono::steady_clock::now() + kPropagation;
  std::string seen = name_at_a();
  while (seen != "Renamed by B" && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    seen = name_at_a();
  }
  ASSERT_EQ(seen, "Renamed by B") << "server A still serves the bot as it was before the update";

  // Only the bot was read again: the token, the workspace facts and the roles stayed cached.
  EXPECT_EQ(CacheMisses(a) - misses_before, 1)
      << "a bot update must not invalidate A's token and fact caches";
}

}  // namespace
}  // namespace cozeauth::it
