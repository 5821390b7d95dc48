// Authenticator over a real SQLite store: a garbage-token flood costs a known token no store
// read, repeated garbage is answered from memory, and revocation still applies at once (issue 8,
// defect 5); bots have their own generation, so a bot update — by this process or another on the
// same file — refreshes the bot without emptying the token cache (issue 9). Store reads of tokens
// are counted by AuthStats::token_loads. The pieces have their own tests in auth/.
#include "api/authenticator.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "admin/operations.hpp"
#include "base/random.hpp"

namespace cozeauth::api {
namespace {

using policy::CredentialState;

// One store and user for the suite (creating a user hashes a password with Argon2id); each test
// gets its own PAT and its own Authenticator.
class AuthenticatorTest : public ::testing::Test {
 protected:
  struct Shared {
    FakeClock clock;
    SeededRandom random{42};
    std::unique_ptr<store::Store> store = std::move(store::OpenStore("sqlite::memory:").value());
    IdGenerator ids{clock, random};
    admin::Env env{*store, clock, random, ids};
    std::string user_id =
        admin::CreateUser(env, "alice", "alice@example.com", "alicepass1").value().id;
  };
  static void SetUpTestSuite() { shared_ = new Shared; }
  static void TearDownTestSuite() {
    delete shared_;
    shared_ = nullptr;
  }
  void SetUp() override { token_ = CreatePat("a"); }

  // A bot in a new workspace of the user, written to the store directly.
  std::string CreateBot(const std::string& name) {
    domain::Bot bot;
    bot.id = shared_->ids.Next();
    bot.workspace_id =
        admin::CreateWorkspace(shared_->env, shared_->user_id, shared_->user_id, "w").value().id;
    bot.name = name;
    bot.owner_user_id = shared_->user_id;
    EXPECT_TRUE(store_.CreateBot(bot).has_value());
    return bot.id;
  }

  std::pair<std::string, std::string> CreatePat(const std::string& name) {  // {id, plaintext}
    admin::TokenSpec spec;
    spec.user_id = shared_->user_id;
    spec.name = name;
    spec.days = 1;
    spec.workspace_permissions = {"getMetadata"};
    spec.all_workspaces = true;
    auto t = admin::CreateToken(shared_->env, spec);
    EXPECT_TRUE(t.has_value());
    return t ? std::pair{t->token.id, t->plaintext} : std::pair<std::string, std::string>{};
  }
  // A well-formed PAT the store has never seen.
  static std::string Garbage(int i) {
    std::string s = "pat_" + std::to_string(i);
    return "Bearer " + s + std::string(68 - s.size(), 'x');
  }

  static inline Shared* shared_ = nullptr;
  FakeClock& clock_ = shared_->clock;
  store::Store& store_ = *shared_->store;
  std::pair<std::string, std::string> token_;
};

TEST_F(AuthenticatorTest, GarbageFloodCausesNoStoreReadForAKnownToken) {
  Authenticator auth(store_, clock_,
                     {.capacity = 16, .unknown_capacity = 64, .unknown_ttl_millis = 60'000});
  const std::string known = "Bearer " + token_.second;
  ASSERT_EQ(auth.Authenticate(known)->state, CredentialState::kActive);
  ASSERT_EQ(auth.Stats().token_loads, 1u);
  // 100x the known capacity and 25x the unknown one, interleaved with the known token. The old
  // cache cleared a whole shard when full, so the known token went back to the store.
  constexpr int kFlood = 1600;
  for (int i = 0; i < kFlood; ++i) {
    ASSERT_EQ(auth.Authenticate(Garbage(i))->state, CredentialState::kUnknown);
    if (i % 100 == 0) {
      ASSERT_EQ(auth.Authenticate(known)->state, CredentialState::kActive);
    }
  }
  EXPECT_EQ(auth.Authenticate(known)->state, CredentialState::kActive);
  const AuthStats s = auth.Stats();
  EXPECT_EQ(s.token_loads, 1u + kFlood);  // one read per distinct garbage token, none for known
  EXPECT_EQ(s.tokens.known, 1u);
  EXPECT_EQ(s.tokens.known_evictions, 0u);
  EXPECT_LE(s.tokens.unknown, 64u + 15u);
}

TEST_F(AuthenticatorTest, RepeatedGarbageIsAnsweredFromMemoryUntilItExpires) {
  Authenticator auth(store_, clock_, {.capacity = 16, .unknown_ttl_millis = 60'000});
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(auth.Authenticate(Garbage(1))->state, CredentialState::kUnknown);
  }
  EXPECT_EQ(auth.Stats().token_loads, 1u);
  EXPECT_EQ(auth.Stats().unknown_hits, 2u);
  clock_.Advance(60);
  EXPECT_EQ(auth.Authenticate(Garbage(1))->state, CredentialState::kUnknown);
  EXPECT_EQ(auth.Stats().token_loads, 2u);
}

TEST_F(AuthenticatorTest, KnownTokensBeyondCapacityStillAuthenticate) {
  Authenticator auth(store_, clock_, {.capacity = 2, .shards = 1});
  std::vector<std::string> headers{"Bearer " + token_.second};
  for (int i = 0; i < 4; ++i)
    headers.push_back("Bearer " + CreatePat("p" + std::to_string(i)).second);
  for (int round = 0; round < 2; ++round) {
    for (const auto& h : headers) EXPECT_EQ(auth.Authenticate(h)->state, CredentialState::kActive);
  }
  EXPECT_EQ(auth.Stats().tokens.known, 2u);
  EXPECT_GT(auth.Stats().tokens.known_evictions, 0u);
}

TEST_F(AuthenticatorTest, RevocationAppliesOnTheNextRequest) {
  Authenticator auth(store_, clock_, {.capacity = 16});
  const std::string known = "Bearer " + token_.second;
  ASSERT_EQ(auth.Authenticate(known)->state, CredentialState::kActive);
  ASSERT_EQ(auth.Authenticate(known)->state, CredentialState::kActive);     // cached
  ASSERT_TRUE(admin::RevokeToken(shared_->env, token_.first).has_value());  // bumps the auth epoch
  EXPECT_EQ(auth.Authenticate(known)->state, CredentialState::kRevoked);
}

TEST_F(AuthenticatorTest, AnUnknownDigestIsAskedAgainAfterAnInvalidation) {
  Authenticator auth(store_, clock_, {.capacity = 16});
  EXPECT_EQ(auth.Authenticate(Garbage(7))->state, CredentialState::kUnknown);
  EXPECT_EQ(auth.Authenticate(Garbage(7))->state, CredentialState::kUnknown);
  EXPECT_EQ(auth.Stats().token_loads, 1u);
  auth.Invalidate();
  EXPECT_EQ(auth.Authenticate(Garbage(7))->state, CredentialState::kUnknown);
  EXPECT_EQ(auth.Stats().token_loads, 2u);
}

TEST_F(AuthenticatorTest, ExpiryIsCheckedPerRequest) {
  Authenticator auth(store_, clock_, {.capacity = 16});
  const std::string known = "Bearer " + token_.second;
  ASSERT_EQ(auth.Authenticate(known)->state, CredentialState::kActive);
  clock_.Advance(2 * 86'400);
  EXPECT_EQ(auth.Authenticate(known)->state, CredentialState::kExpired);
  EXPECT_EQ(auth.Stats().token_loads, 1u);
}

// last_used_at reaches the store once per token per kLastUsedIntervalSeconds, not per request:
// the first use, then the first a whole interval later (written by the flush, SyncNow).
TEST_F(AuthenticatorTest, LastUsedIsWrittenOncePerInterval) {
  Authenticator auth(store_, clock_, {.capacity = 16});
  const std::string known = "Bearer " + token_.second;
  auto last_used = [&] { return store_.GetToken(token_.first).value().last_used_at; };
  ASSERT_EQ(last_used(), -1);
  const int64_t first = clock_.NowSeconds();
  ASSERT_EQ(auth.Authenticate(known)->state, CredentialState::kActive);
  auth.SyncNow();
  EXPECT_EQ(last_used(), first);
  clock_.Advance(kLastUsedIntervalSeconds - 1);
  ASSERT_EQ(auth.Authenticate(known)->state, CredentialState::kActive);
  auth.SyncNow();
  EXPECT_EQ(last_used(), first);  // within the interval: nothing written
  clock_.Advance(1);
  ASSERT_EQ(auth.Authenticate(known)->state, CredentialState::kActive);
  auth.SyncNow();
  EXPECT_EQ(last_used(), first + kLastUsedIntervalSeconds);
}

// Issue 9: UpdateBot bumped the auth epoch, so every bot edit emptied every token cache.
TEST_F(AuthenticatorTest, ABotUpdateRefreshesTheBotAndKeepsTheTokenCache) {
  Authenticator auth(store_, clock_, {.capacity = 16});
  const std::string bot_id = CreateBot("before");
  const std::string known = "Bearer " + token_.second;
  ASSERT_EQ(auth.Authenticate(known)->state, CredentialState::kActive);
  ASSERT_EQ(auth.Bot(bot_id).value().name, "before");
  ASSERT_EQ(auth.Bot(bot_id).value().name, "before");  // now cached

  domain::Bot bot = store_.GetBot(bot_id).value();
  bot.name = "after";
  ASSERT_TRUE(store_.UpdateBot(bot).has_value());
  EXPECT_EQ(auth.Bot(bot_id).value().name, "after");  // no stale bot, not even for one poll

  EXPECT_EQ(auth.Authenticate(known)->state, CredentialState::kActive);
  EXPECT_EQ(auth.Stats().token_loads, 1u);  // the token was not read again
}

TEST_F(AuthenticatorTest, AnAuthorizationWriteKeepsRefreshingTokens) {
  // The other direction still holds: the auth epoch drops tokens (and facts).
  Authenticator auth(store_, clock_, {.capacity = 16});
  const std::string known = "Bearer " + token_.second;
  ASSERT_EQ(auth.Authenticate(known)->state, CredentialState::kActive);
  ASSERT_TRUE(store_
                  .SetWorkspaceRole(
                      admin::CreateWorkspace(shared_->env, shared_->user_id, shared_->user_id, "w2")
                          .value()
                          .id,
                      shared_->user_id, domain::WorkspaceRole::kMember)
                  .has_value());
  EXPECT_EQ(auth.Authenticate(known)->state, CredentialState::kActive);
  EXPECT_EQ(auth.Stats().token_loads, 2u);
}

// Two store objects on one SQLite file: `server` is the one this process's Authenticator
// watches, `other` stands for another process (a second server, the admin CLI).
class AuthenticatorCrossProcessTest : public ::testing::Test {
 protected:
  AuthenticatorCrossProcessTest() {
    dir_ = std::filesystem::temp_directory_path() /
           ("cozeauth_authn_" + std::to_string(::getpid()) + "_" + std::to_string(++counter_));
    std::filesystem::create_directories(dir_);
    const std::string url = "sqlite:" + (dir_ / "c.db").string();
    server_ = std::move(store::OpenStore(url).value());
    other_ = std::move(store::OpenStore(url).value());
  }
  ~AuthenticatorCrossProcessTest() override {
    server_.reset();
    other_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  static inline int counter_ = 0;
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> server_, other_;
  FakeClock clock_;
  SeededRandom random_{7};
  IdGenerator ids_{clock_, random_};
};

TEST_F(AuthenticatorCrossProcessTest, ABotUpdateElsewhereIsSeenAtThePollAndKeepsTheTokenCache) {
  admin::Env env{*other_, clock_, random_, ids_};
  const std::string user =
      admin::CreateUser(env, "bob", "bob@example.com", "bobpass123").value().id;
  admin::TokenSpec spec;
  spec.user_id = user;
  spec.name = "t";
  spec.days = 1;
  spec.workspace_permissions = {"getMetadata"};
  spec.all_workspaces = true;
  const auto token = admin::CreateToken(env, spec).value();
  domain::Bot bot;
  bot.id = ids_.Next();
  bot.workspace_id = admin::CreateWorkspace(env, user, user, "w").value().id;
  bot.name = "before";
  bot.owner_user_id = user;
  ASSERT_TRUE(other_->CreateBot(bot).has_value());

  Authenticator auth(*server_, clock_, {.capacity = 16});
  auth.SyncNow();  // the epochs as they are now (Start() does this)
  const std::string header = "Bearer " + token.plaintext;
  ASSERT_EQ(auth.Authenticate(header)->state, CredentialState::kActive);
  ASSERT_EQ(auth.Bot(bot.id).value().name, "before");

  bot.name = "after";
  ASSERT_TRUE(other_->UpdateBot(bot).has_value());
  // Another process's write reaches this one through the poll, not the listener.
  EXPECT_EQ(auth.Bot(bot.id).value().name, "before");
  auth.SyncNow();
  EXPECT_EQ(auth.Bot(bot.id).value().name, "after");
  EXPECT_EQ(auth.Authenticate(header)->state, CredentialState::kActive);
  EXPECT_EQ(auth.Stats().token_loads, 1u);  // the bot epoch left the token cache alone

  // A revocation elsewhere moves the auth epoch and still reaches the token cache.
  ASSERT_TRUE(other_->RevokeToken(token.token.id, clock_.NowSeconds()).has_value());
  auth.SyncNow();
  EXPECT_EQ(auth.Authenticate(header)->state, CredentialState::kRevoked);
}

}  // namespace
}  // namespace cozeauth::api
