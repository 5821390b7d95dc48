// Authenticator over a real in-memory SQLite store: a garbage-token flood costs a known token no
// store read, repeated garbage is answered from memory, and revocation still applies at once
// (issue 8, defect 5). Store reads are counted by AuthStats::token_loads.
#include "api/authenticator.hpp"

#include <gtest/gtest.h>

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
    std::unique_ptr<store::Store> store =
        std::move(store::OpenStore("sqlite::memory:").value());
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
  for (int i = 0; i < 4; ++i) headers.push_back("Bearer " + CreatePat("p" + std::to_string(i)).second);
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
  ASSERT_EQ(auth.Authenticate(known)->state, CredentialState::kActive);  // cached
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

}  // namespace
}  // namespace cozeauth::api
