// FailoverAuth against the real server across a live workspace migration (the guide's PAT
// scenario, coze-platform.md §6.4–§6.5): an application thread chats with W's bot through
// FailoverAuth(personal PAT, enterprise PAT) while the test moves W into the enterprise's
// default organization with `cozeauth migrate run --mode cut`. The application must see no
// failure, and once the chain has fallen back, a call must cost one HTTP request — the plain
// retry of the guide costs two. The same for the guide's JWT pair (account_id, then
// enterprise_id).

#include <gtest/gtest.h>

#include <atomic>
#include <coze/oauth.hpp>
#include <filesystem>
#include <iostream>
#include <thread>
#include <utility>

#include "sdk/failover_support.hpp"

namespace cozeauth::it {
namespace {

constexpr int kCallsBefore = 20;       // calls before the migration starts
constexpr int kCallsAfter = 300;       // calls after the first fallback
constexpr int kMaxCalls = 3000;        // a bound, should the fallback never come
constexpr int kPlainRetryCalls = 100;  // the comparison loop

struct LoopFigures {
  int calls = 0, streams = 0, failures = 0;
  std::string first_failure;
  int first_fallback_call = -1;          // the call that fell back first
  uint64_t requests_after_fallback = 0;  // requests of the calls after it
  int calls_after_fallback = 0;
  ProcessResult migration;
  double RequestsPerCallAfterFallback() const {
    return calls_after_fallback == 0
               ? 0
               : static_cast<double>(requests_after_fallback) / calls_after_fallback;
  }
};

// The application: chats with W's bot through `client` (every tenth call streams) on one
// thread, while this thread migrates W after kCallsBefore calls; stops kCallsAfter calls after
// the first call that cost more than one request (the fallback), or after kMaxCalls.
LoopFigures ChatAcrossTheMigration(MigrationWorld& m, coze::Client& client,
                                   CountingTransport& counting) {
  LoopFigures f;
  std::atomic<int> calls{0};
  std::atomic<bool> migrated{false};
  std::thread app([&] {
    for (int i = 0; i < kMaxCalls; ++i) {
      if (f.first_fallback_call >= 0 && f.calls_after_fallback >= kCallsAfter) break;
      const uint64_t before = counting.requests.load();
      const std::string text = "call " + std::to_string(i);
      coze::Result<coze::Chat> chat = coze::Error{};
      if (i % 10 == 9) {  // a stream fails over before its first event
        ++f.streams;
        chat = client.chat().Stream(m.Ask(text), nullptr);
      } else {
        chat = client.chat().Create(m.Ask(text));
      }
      const uint64_t spent = counting.requests.load() - before;
      if (!chat) {
        ++f.failures;
        if (f.first_failure.empty()) f.first_failure = chat.Describe();
      }
      if (f.first_fallback_call >= 0) {
        f.requests_after_fallback += spent;
        ++f.calls_after_fallback;
      } else if (spent > 1) {
        f.first_fallback_call = i;
      }
      f.calls = calls.fetch_add(1) + 1;
      // Before the migration, do not run far ahead of it.
      while (!migrated.load() && calls.load() >= kCallsBefore * 3) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    }
  });
  while (calls.load() < kCallsBefore) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  f.migration = m.Migrate();
  migrated.store(true);
  app.join();
  return f;
}

void Print(const char* label, const LoopFigures& f, const coze::FailoverAuth& chain) {
  std::cout << "[" << label << "] calls=" << f.calls << " (" << f.streams << " streamed)"
            << ", first fallback at call " << f.first_fallback_call
            << "; requests per call after it: " << f.RequestsPerCallAfterFallback() << " over "
            << f.calls_after_fallback << " calls\n";
  for (const auto& s : chain.Stats()) {
    std::cout << "[" << label << "] " << s.name << ": attempts=" << s.attempts
              << " successes=" << s.successes << " fallbacks=" << s.fallbacks
              << " failures=" << s.failures << "\n";
  }
}

void ExpectSeamless(const LoopFigures& f, const coze::FailoverAuth& chain,
                    const std::string& bot_id) {
  ASSERT_EQ(f.migration.exit_code, 0)
      << "cozeauth migrate run failed\n  stdout: " << f.migration.out
      << "\n  stderr: " << f.migration.err;
  EXPECT_EQ(f.failures, 0) << "first failure: " << f.first_failure;
  ASSERT_GE(f.first_fallback_call, kCallsBefore) << "a fallback before the migration";
  ASSERT_EQ(f.calls_after_fallback, kCallsAfter) << "the chain never fell back";
  EXPECT_LE(f.RequestsPerCallAfterFallback(), 1.01);
  EXPECT_EQ(chain.Learned("bot:" + bot_id), 1u);
  const auto stats = chain.Stats();
  EXPECT_EQ(stats[0].failures + stats[1].failures, 0u);
  EXPECT_EQ(stats[0].fallbacks, 1u) << "one fallback: the bot was learned at once";
}

TEST(FailoverIntegration, PatChainSurvivesACutMigrationAtOneRequestPerCall) {
  MigrationWorld m;
  auto counting = std::make_shared<CountingTransport>(coze::MakeCurlTransport());
  auto chain = m.MakeChain();
  auto client = m.MakeClient(chain, counting);
  const LoopFigures f = ChatAcrossTheMigration(m, *client, *counting);
  Print("pat failover", f, *chain);
  ExpectSeamless(f, *chain, m.world().bot_id);

  // The guide's plain retry on the migrated workspace, measured the same way.
  auto plain_counting = std::make_shared<CountingTransport>(coze::MakeCurlTransport());
  auto personal =
      m.MakeClient(std::make_shared<coze::TokenAuth>(m.personal_pat().token), plain_counting);
  auto enterprise =
      m.MakeClient(std::make_shared<coze::TokenAuth>(m.enterprise_pat().token), plain_counting);
  int plain_failures = 0;
  for (int i = 0; i < kPlainRetryCalls; ++i) {
    if (!PlainRetryChat(*personal, *enterprise, m.Ask("plain " + std::to_string(i)))) {
      ++plain_failures;
    }
  }
  EXPECT_EQ(plain_failures, 0);
  const double plain = static_cast<double>(plain_counting->requests.load()) / kPlainRetryCalls;
  EXPECT_DOUBLE_EQ(plain, 2.0);
  std::cout << "[pat failover] requests per successful call after the migration: sticky "
            << f.RequestsPerCallAfterFallback() << ", plain retry " << plain << " (over "
            << kPlainRetryCalls << " calls)\n";
}

// A fresh RSA key pair (openssl CLI): {PKCS#8 private PEM, SPKI public PEM}.
std::pair<std::string, std::string> NewRsaKeyPair(const std::filesystem::path& dir) {
  const auto key = dir / "jwt-key.pem";
  auto gen = RunProcess({"/usr/bin/openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt",
                         "rsa_keygen_bits:2048", "-out", key.string()},
                        {});
  if (gen.exit_code != 0) throw std::runtime_error("openssl genpkey: " + gen.err);
  auto pub = RunProcess({"/usr/bin/openssl", "pkey", "-in", key.string(), "-pubout"}, {});
  if (pub.exit_code != 0) throw std::runtime_error("openssl pkey: " + pub.err);
  return {ReadFile(key), pub.out};
}

// The guide's AppAuth step: one service app authorized in the creator's personal account and
// enterprise-wide; JWT for account_id first, JWT for enterprise_id after it.
TEST(FailoverIntegration, JwtChainSurvivesACutMigrationAtOneRequestPerCall) {
  MigrationWorld m;
  const std::string owner = m.world().user.id;
  const auto [private_pem, public_pem] = NewRsaKeyPair(m.server().dir());
  const AppInfo app = m.scenario().CreateApp({.owner = owner, .client_type = "service"});
  const std::string kid = m.scenario().AddAppKey(app.id, public_pem);
  m.scenario().AuthorizeApp(app.id, owner, owner);
  m.scenario().AuthorizeApp(app.id, owner, m.enterprise().id);

  coze::OAuthClientOptions o;
  o.client_id = app.id;
  o.private_key = private_pem;
  o.public_key_id = kid;
  o.base_url = m.server().base_url();
  auto jwt = coze::JWTOAuthClient::Create(o);
  ASSERT_TRUE(jwt) << jwt.Describe();
  auto account = std::make_shared<coze::JWTAuth>(*jwt, coze::JWTTokenRequest{.account_id = owner});
  auto enterprise = std::make_shared<coze::JWTAuth>(
      *jwt, coze::JWTTokenRequest{.enterprise_id = m.enterprise().id});
  // The CLI's writes reach the server within one poll: wait until both tokens can be bought.
  for (auto* auth : {account.get(), enterprise.get()}) {
    coze::Result<std::string> token = coze::Error{};
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!(token = auth->Token()) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_TRUE(token) << token.Describe();
  }

  auto chain = std::make_shared<coze::FailoverAuth>(std::vector<coze::FailoverCredential>{
      {"jwt-account", account}, {"jwt-enterprise", enterprise}});
  auto counting = std::make_shared<CountingTransport>(coze::MakeCurlTransport());
  auto client = m.MakeClient(chain, counting);
  const LoopFigures f = ChatAcrossTheMigration(m, *client, *counting);
  Print("jwt failover", f, *chain);
  ExpectSeamless(f, *chain, m.world().bot_id);
}

}  // namespace
}  // namespace cozeauth::it
