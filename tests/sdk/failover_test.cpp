// FailoverAuth and OboAuth through coze::Client over fake transports: the order of credentials,
// which codes switch, the per-resource memory (stickiness, LRU, save/restore, re-check), the
// counters and callback, streams, and concurrent use.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <coze/client.hpp>
#include <coze/failover.hpp>
#include <mutex>
#include <thread>

#include "sdk/fake_transport.hpp"

namespace coze {
namespace {
namespace json = boost::json;
using test::FakeTransport;
using namespace std::chrono_literals;

const char* kBot = R"({"code":0,"msg":"","data":{"bot_id":"1","name":"b"}})";

std::string Rejection(int64_t code) {
  return R"({"code":)" + std::to_string(code) + R"(,"msg":"no","detail":{"logid":"L)" +
         std::to_string(code) + R"("}})";
}

std::string BearerOf(const HttpRequest& request) {
  HttpResponse as_response{0, request.headers, ""};
  return as_response.Header("Authorization");
}

class FailoverTest : public ::testing::Test {
 protected:
  void Make(FailoverOptions options = {}) {
    options.now = [this] { return now_; };
    auth_ = std::make_shared<FailoverAuth>(
        std::vector<FailoverCredential>{{"personal", std::make_shared<TokenAuth>("pat_p")},
                                        {"enterprise", std::make_shared<TokenAuth>("pat_e")}},
        std::move(options));
    client_ = std::make_unique<Client>(
        ClientOptions{.base_url = "http://coze.test", .auth = auth_, .transport = fake_});
  }
  void SetUp() override { Make(); }

  // The tokens sent, in order.
  std::vector<std::string> Sent() const {
    std::vector<std::string> out;
    for (const auto& r : fake_->requests) out.push_back(BearerOf(r).substr(7));
    return out;
  }

  std::shared_ptr<FakeTransport> fake_ = std::make_shared<FakeTransport>();
  std::shared_ptr<FailoverAuth> auth_;
  std::unique_ptr<Client> client_;
  std::chrono::steady_clock::time_point now_{};
};

class SwitchingCode : public FailoverTest, public ::testing::WithParamInterface<int64_t> {};

TEST_P(SwitchingCode, FallsBackToTheNextCredentialAndLearnsIt) {
  fake_->ReplyJson(GetParam() == 700012006 ? 401 : 200, Rejection(GetParam()));
  fake_->ReplyJson(200, kBot);
  auto bot = client_->bots().Retrieve("1");
  ASSERT_TRUE(bot) << bot.Describe();
  EXPECT_THAT(Sent(), ::testing::ElementsAre("pat_p", "pat_e"));
  EXPECT_EQ(fake_->requests[0].url, fake_->requests[1].url);
  EXPECT_EQ(auth_->Learned("bot:1"), 1u);
}

INSTANTIATE_TEST_SUITE_P(Codes, SwitchingCode,
                         ::testing::Values(4100, 4101, 700012006, 4200, 4001, 4002, 4005, 4006));

TEST_F(FailoverTest, OtherFailuresAreReturnedWithoutTryingTheNextCredential) {
  fake_->ReplyJson(200, Rejection(4000));
  fake_->ReplyJson(200, Rejection(5000));
  fake_->ReplyJson(200, Rejection(4015));
  fake_->Fail("connection refused");
  fake_->Reply(502, "<html>bad gateway</html>");
  fake_->ReplyJson(400, R"({"error_code":"invalid_request","error_message":"x"})");
  for (int64_t code : std::vector<int64_t>{4000, 5000, 4015, kClientErrorCode, 502}) {
    auto bot = client_->bots().Retrieve("1");
    ASSERT_FALSE(bot);
    EXPECT_EQ(bot.error().code, code);
  }
  auto bot = client_->bots().Retrieve("1");
  ASSERT_TRUE(bot.is_auth_error());
  EXPECT_THAT(Sent(), ::testing::Each(std::string("pat_p")));
  EXPECT_EQ(fake_->requests.size(), 6u);
  EXPECT_EQ(auth_->learned_count(), 0u);
}

TEST_F(FailoverTest, ALearnedResourceCostsOneRequest) {
  fake_->ReplyJson(200, Rejection(4101));
  fake_->ReplyJson(200, kBot);
  fake_->ReplyJson(200, kBot);
  ASSERT_TRUE(client_->bots().Retrieve("1"));
  ASSERT_TRUE(client_->bots().Retrieve("1"));
  EXPECT_THAT(Sent(), ::testing::ElementsAre("pat_p", "pat_e", "pat_e"));
}

TEST_F(FailoverTest, TheKeyIsTheBotWhereverTheRequestNamesIt) {
  fake_->ReplyJson(200, Rejection(4006));
  fake_->ReplyJson(200, kBot);
  ASSERT_TRUE(client_->bots().Retrieve("7"));  // path /v1/bots/7
  // A chat names the bot in its body, a conversation list in its query: the same resource.
  fake_->ReplyJson(200, R"({"code":0,"msg":"","data":{"id":"c","status":"in_progress"}})");
  ASSERT_TRUE(client_->chat().Create({.bot_id = "7", .conversation_id = "99"}));
  fake_->ReplyJson(200, R"({"code":0,"msg":"","data":{"conversations":[],"has_more":false}})");
  ASSERT_TRUE(client_->conversations().List("7"));
  EXPECT_THAT(Sent(), ::testing::ElementsAre("pat_p", "pat_e", "pat_e", "pat_e"));
}

TEST_F(FailoverTest, ResourcesAreLearnedIndependently) {
  fake_->ReplyJson(200, Rejection(4101));
  fake_->ReplyJson(200, kBot);
  ASSERT_TRUE(client_->bots().Retrieve("1"));
  fake_->ReplyJson(200, kBot);
  ASSERT_TRUE(client_->bots().Retrieve("2"));  // not migrated: the personal PAT serves it
  fake_->ReplyJson(200, R"({"code":0,"msg":"","data":{"id":"c9"}})");
  ASSERT_TRUE(client_->conversations().Retrieve("9"));
  EXPECT_THAT(Sent(), ::testing::ElementsAre("pat_p", "pat_e", "pat_p", "pat_p"));
  EXPECT_EQ(auth_->Learned("bot:1"), 1u);
  EXPECT_EQ(auth_->Learned("bot:2"), std::nullopt);
  EXPECT_EQ(auth_->learned_count(), 1u) << "the first credential is the default, not stored";
}

TEST_F(FailoverTest, ALearnedCredentialThatIsRejectedFallsBackToTheOthers) {
  fake_->ReplyJson(200, Rejection(4101));
  fake_->ReplyJson(200, kBot);
  ASSERT_TRUE(client_->bots().Retrieve("1"));
  fake_->ReplyJson(200, Rejection(4100));  // the enterprise PAT was revoked
  fake_->ReplyJson(200, kBot);
  ASSERT_TRUE(client_->bots().Retrieve("1"));
  EXPECT_THAT(Sent(), ::testing::ElementsAre("pat_p", "pat_e", "pat_e", "pat_p"));
  EXPECT_EQ(auth_->Learned("bot:1"), std::nullopt);
}

TEST_F(FailoverTest, EveryCredentialRejectedReturnsTheLastError) {
  fake_->ReplyJson(200, Rejection(4100));
  fake_->ReplyJson(200, Rejection(4101));
  auto bot = client_->bots().Retrieve("1");
  ASSERT_FALSE(bot);
  EXPECT_EQ(bot.error().code, 4101);
  EXPECT_EQ(bot.error().logid, "L4101");
  EXPECT_EQ(fake_->requests.size(), 2u);
  EXPECT_EQ(auth_->learned_count(), 0u);
}

TEST_F(FailoverTest, TheMemoryIsBoundedLeastRecentlyUsedFirst) {
  Make({.max_resources = 2});
  for (const char* id : {"1", "2"}) {
    fake_->ReplyJson(200, Rejection(4101));
    fake_->ReplyJson(200, kBot);
    ASSERT_TRUE(client_->bots().Retrieve(id));
  }
  fake_->ReplyJson(200, kBot);
  ASSERT_TRUE(client_->bots().Retrieve("1"));  // bot 1 is now the most recently used
  fake_->ReplyJson(200, Rejection(4101));
  fake_->ReplyJson(200, kBot);
  ASSERT_TRUE(client_->bots().Retrieve("3"));  // evicts bot 2
  EXPECT_EQ(auth_->learned_count(), 2u);
  EXPECT_EQ(auth_->Learned("bot:1"), 1u);
  EXPECT_EQ(auth_->Learned("bot:2"), std::nullopt);
  EXPECT_EQ(auth_->Learned("bot:3"), 1u);
}

TEST_F(FailoverTest, MaxResourcesZeroLearnsNothing) {
  Make({.max_resources = 0});
  for (int i = 0; i < 2; ++i) {
    fake_->ReplyJson(200, Rejection(4101));
    fake_->ReplyJson(200, kBot);
    ASSERT_TRUE(client_->bots().Retrieve("1"));
  }
  EXPECT_EQ(fake_->requests.size(), 4u);
}

TEST_F(FailoverTest, SaveAndRestoreCarryTheMemoryAcrossARestart) {
  for (const char* id : {"1", "2"}) {
    fake_->ReplyJson(200, Rejection(4101));
    fake_->ReplyJson(200, kBot);
    ASSERT_TRUE(client_->bots().Retrieve(id));
  }
  const std::string saved = auth_->Save();
  auto doc = json::parse(saved).as_object();
  EXPECT_EQ(doc.at("version"), 1);
  ASSERT_EQ(doc.at("resources").as_array().size(), 2u);
  EXPECT_EQ(doc.at("resources").as_array()[0].at("key"), "bot:1") << "oldest first";
  EXPECT_EQ(doc.at("resources").as_array()[1].at("credential"), "enterprise");

  fake_->requests.clear();
  Make({.max_resources = 1});  // a restart, with a smaller memory
  ASSERT_TRUE(auth_->Restore(saved));
  EXPECT_EQ(auth_->learned_count(), 1u);
  EXPECT_EQ(auth_->Learned("bot:2"), 1u) << "the most recently used survives";
  fake_->ReplyJson(200, kBot);
  ASSERT_TRUE(client_->bots().Retrieve("2"));
  EXPECT_THAT(Sent(), ::testing::ElementsAre("pat_e"));
}

TEST_F(FailoverTest, RestoreSkipsUnknownCredentialsAndRejectsGarbage) {
  EXPECT_TRUE(auth_->Restore(
      R"({"version":1,"resources":[{"key":"bot:1","credential":"gone"},
                                   {"key":"bot:2","credential":"enterprise"}]})"));
  EXPECT_EQ(auth_->Learned("bot:1"), std::nullopt);
  EXPECT_EQ(auth_->Learned("bot:2"), 1u);
  EXPECT_FALSE(auth_->Restore("not json"));
  EXPECT_FALSE(auth_->Restore(R"({"version":2,"resources":[]})"));
  EXPECT_FALSE(auth_->Restore(R"({"version":1,"resources":[{"key":1}]})"));
  EXPECT_EQ(auth_->learned_count(), 1u);
  auth_->Forget();
  EXPECT_EQ(auth_->learned_count(), 0u);
}

TEST_F(FailoverTest, RecheckGivesTheFirstCredentialAnotherChanceAfterTheInterval) {
  Make({.recheck_after = 5min});
  fake_->ReplyJson(200, Rejection(4101));
  fake_->ReplyJson(200, kBot);
  ASSERT_TRUE(client_->bots().Retrieve("1"));  // learned at t = 0

  now_ += 4min;
  fake_->ReplyJson(200, kBot);
  ASSERT_TRUE(client_->bots().Retrieve("1"));
  now_ += 2min;  // due: one call re-checks the personal PAT, still rejected
  fake_->ReplyJson(200, Rejection(4101));
  fake_->ReplyJson(200, kBot);
  ASSERT_TRUE(client_->bots().Retrieve("1"));
  fake_->ReplyJson(200, kBot);  // the next one goes straight to the enterprise PAT again
  ASSERT_TRUE(client_->bots().Retrieve("1"));
  EXPECT_THAT(Sent(), ::testing::ElementsAre("pat_p", "pat_e", "pat_e", "pat_p", "pat_e", "pat_e"));

  now_ += 5min;  // due again; this time the personal PAT works (say, a grant was added)
  fake_->ReplyJson(200, kBot);
  ASSERT_TRUE(client_->bots().Retrieve("1"));
  EXPECT_EQ(auth_->Learned("bot:1"), std::nullopt);
  EXPECT_EQ(Sent().back(), "pat_p");
}

TEST_F(FailoverTest, CountersAndTheCallbackSeeEveryAttempt) {
  std::vector<std::tuple<std::string, std::string, AttemptOutcome, int64_t>> events;
  Make({.on_attempt = [&](const FailoverEvent& e) {
    events.emplace_back(std::string(e.name), std::string(e.resource), e.outcome, e.code);
  }});
  fake_->ReplyJson(200, Rejection(4101));
  fake_->ReplyJson(200, kBot);
  ASSERT_TRUE(client_->bots().Retrieve("1"));
  fake_->ReplyJson(200, Rejection(5000));
  ASSERT_FALSE(client_->bots().Retrieve("1"));
  fake_->ReplyJson(200, Rejection(4100));
  fake_->ReplyJson(200, Rejection(4100));
  ASSERT_FALSE(client_->users().Me());

  using O = AttemptOutcome;
  EXPECT_THAT(events, ::testing::ElementsAre(std::tuple{"personal", "bot:1", O::kFallback, 4101},
                                             std::tuple{"enterprise", "bot:1", O::kSuccess, 0},
                                             std::tuple{"enterprise", "bot:1", O::kFailure, 5000},
                                             std::tuple{"personal", "*", O::kFallback, 4100},
                                             std::tuple{"enterprise", "*", O::kFailure, 4100}));
  auto stats = auth_->Stats();
  ASSERT_EQ(stats.size(), 2u);
  EXPECT_EQ(stats[0].name, "personal");
  EXPECT_EQ(stats[0].attempts, 2u);
  EXPECT_EQ(stats[0].fallbacks, 2u);
  EXPECT_EQ(stats[0].successes, 0u);
  EXPECT_EQ(stats[1].attempts, 3u);
  EXPECT_EQ(stats[1].successes, 1u);
  EXPECT_EQ(stats[1].failures, 2u);
  EXPECT_EQ(stats[1].fallbacks, 0u);
}

class FailingAuth : public Auth {
 public:
  Result<std::string> Token() override { return AuthError{"invalid_grant", "expired", "", 400}; }
};

TEST_F(FailoverTest, ATokenFailureEndsTheCall) {
  auth_ = std::make_shared<FailoverAuth>(
      std::vector<FailoverCredential>{{"jwt-account", std::make_shared<FailingAuth>()},
                                      {"jwt-enterprise", std::make_shared<TokenAuth>("czs_e")}});
  client_ = std::make_unique<Client>(
      ClientOptions{.base_url = "http://coze.test", .auth = auth_, .transport = fake_});
  auto bot = client_->bots().Retrieve("1");
  ASSERT_TRUE(bot.is_auth_error());
  EXPECT_TRUE(fake_->requests.empty());
  EXPECT_EQ(auth_->Stats()[0].failures, 1u);
}

TEST_F(FailoverTest, AStreamFailsOverWhenRejectedBeforeItsFirstEvent) {
  fake_->ReplyJson(200, Rejection(4101));
  fake_->Reply(200,
               "event:conversation.chat.created\ndata:{\"id\":\"c\",\"status\":\"created\"}\n\n"
               "event:conversation.chat.completed\ndata:{\"id\":\"c\",\"status\":\"completed\"}\n\n"
               "event:done\ndata:\"[DONE]\"\n\n",
               {{"Content-Type", "text/event-stream"}});
  std::vector<std::string> names;
  auto chat = client_->chat().Stream({.bot_id = "5"}, [&](const ChatEvent& e) {
    names.push_back(e.event);
    return true;
  });
  ASSERT_TRUE(chat) << chat.Describe();
  EXPECT_EQ(chat->status, "completed");
  EXPECT_THAT(names, ::testing::ElementsAre("conversation.chat.created",
                                            "conversation.chat.completed", "done"));
  EXPECT_THAT(Sent(), ::testing::ElementsAre("pat_p", "pat_e"));
  EXPECT_EQ(auth_->Learned("bot:5"), 1u);
}

TEST_F(FailoverTest, AStreamThatStartedIsNotSentAgain) {
  // The stream started (the token was accepted); its error event is the chat's result.
  fake_->Reply(200, "event:error\ndata:{\"code\":4101,\"msg\":\"late\"}\n\n",
               {{"Content-Type", "text/event-stream"}});
  auto chat = client_->chat().Stream({.bot_id = "5"}, nullptr);
  ASSERT_FALSE(chat);
  EXPECT_EQ(chat.error().code, 4101);
  EXPECT_EQ(fake_->requests.size(), 1u);
}

TEST(FailoverResourceKeyTest, BotThenConversationThenWorkspaceThenDefault) {
  struct Case {
    ApiRequest request;
    std::string key;
  };
  const std::vector<Case> cases = {
      {{.path = "/v1/bots/123"}, "bot:123"},
      {{.method = "POST", .path = "/v1/bots/123/unpublish"}, "bot:123"},
      {{.path = "/v1/bot/get_online_info", .query = {{"bot_id", "9"}}}, "bot:9"},
      {{.method = "POST",
        .path = "/v3/chat",
        .query = {{"conversation_id", "55"}},
        .json = json::object{{"bot_id", "8"}}},
       "bot:8"},
      {{.method = "POST", .path = "/v1/workflow/run", .json = json::object{{"bot_id", 42}}},
       "bot:42"},
      {{.path = "/v1/conversation/message/list", .query = {{"conversation_id", "55"}}},
       "conversation:55"},
      {{.path = "/v1/conversations/56/clear"}, "conversation:56"},
      {{.path = "/v1/conversation/create"}, "*"},
      {{.path = "/v1/bots", .query = {{"workspace_id", "77"}}}, "workspace:77"},
      {{.method = "POST", .path = "/v1/bot/create", .json = json::object{{"space_id", "78"}}},
       "workspace:78"},
      {{.path = "/v1/workspaces/79/members"}, "workspace:79"},
      {{.path = "/v1/bots/", .query = {{"bot_id", ""}}}, "*"},
      {{.path = "/v1/users/me"}, "*"},
  };
  for (const auto& c : cases) EXPECT_EQ(FailoverResourceKey(c.request), c.key) << c.request.path;
}

TEST(FailoverAuthTest, MisuseIsAProgrammingError) {
  EXPECT_THROW(FailoverAuth({}), std::invalid_argument);
  EXPECT_THROW(FailoverAuth({{"a", nullptr}}), std::invalid_argument);
  auto t = std::make_shared<TokenAuth>("x");
  EXPECT_THROW(FailoverAuth({{"a", t}, {"a", t}}), std::invalid_argument);
  FailoverAuth ok({{"a", t}});
  EXPECT_EQ(*ok.Token(), "x");
}

// A thread-safe server stand-in: bot ids below `migrated` answer 4101 to pat_p and succeed for
// pat_e; the others the reverse. Counts requests.
class MigratedTransport : public HttpTransport {
 public:
  explicit MigratedTransport(int migrated) : migrated_(migrated) {}
  Result<HttpResponse> Send(const HttpRequest& request) override {
    requests.fetch_add(1);
    const int bot = std::stoi(request.url.substr(request.url.rfind('/') + 1));
    const bool personal = BearerOf(request) == "Bearer pat_p";
    const bool ok = (bot < migrated_) != personal;
    return HttpResponse{200,
                        {{"Content-Type", "application/json"}},
                        ok ? R"({"code":0,"msg":"","data":{"bot_id":"x"}})" : Rejection(4101)};
  }
  Result<HttpResponse> Stream(const HttpRequest& request, const ChunkCallback&) override {
    return Error{kClientErrorCode, "no streams here", {}, 0};
  }
  std::atomic<int> requests{0};

 private:
  const int migrated_;
};

TEST(FailoverConcurrency, ManyThreadsShareTheMemoryAndCounters) {
  constexpr int kThreads = 8, kCalls = 400, kBots = 20, kMigrated = 10;
  auto transport = std::make_shared<MigratedTransport>(kMigrated);
  std::atomic<int> events{0};
  auto auth = std::make_shared<FailoverAuth>(
      std::vector<FailoverCredential>{{"personal", std::make_shared<TokenAuth>("pat_p")},
                                      {"enterprise", std::make_shared<TokenAuth>("pat_e")}},
      FailoverOptions{.max_resources = 8, .on_attempt = [&](const FailoverEvent&) { ++events; }});
  Client client({.base_url = "http://coze.test", .auth = auth, .transport = transport});
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCalls; ++i) {
        if (!client.bots().Retrieve(std::to_string((t * 7 + i) % kBots))) ++failures;
        if (i % 97 == 0) (void)auth->Save();
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  uint64_t attempts = 0, successes = 0, fallbacks = 0;
  for (const auto& s : auth->Stats()) {
    attempts += s.attempts;
    successes += s.successes;
    fallbacks += s.fallbacks;
  }
  EXPECT_EQ(attempts, static_cast<uint64_t>(transport->requests.load()));
  EXPECT_EQ(successes, static_cast<uint64_t>(kThreads * kCalls));
  EXPECT_EQ(attempts, successes + fallbacks);
  EXPECT_EQ(events.load(), transport->requests.load());
  EXPECT_LE(auth->learned_count(), 8u);
}

// --- OBO

class OboTest : public ::testing::Test {
 protected:
  std::unique_ptr<Client> Make(OboOptions options) {
    return std::make_unique<Client>(ClientOptions{.base_url = "http://coze.test",
                                                  .auth = std::make_shared<OboAuth>(options),
                                                  .transport = fake_});
  }
  std::shared_ptr<FakeTransport> fake_ = std::make_shared<FakeTransport>();
};

TEST_F(OboTest, ARejectedTokenAsksForReauthorizationWithTheUrl) {
  int built = 0;
  auto client =
      Make({.token = std::make_shared<TokenAuth>("czu_x"), .authorize_url = [&] {
              ++built;
              return "http://coze.test/api/permission/oauth2/authorize?client_id=c&state=s" +
                     std::to_string(built);
            }});
  fake_->ReplyJson(200, Rejection(4101));
  auto bot = client->bots().Retrieve("1");
  ASSERT_FALSE(bot);
  EXPECT_EQ(bot.error().code, kReauthorizationRequiredCode);
  EXPECT_EQ(bot.error().logid, "L4101");
  auto reauth = ReauthorizationRequired::From(bot.error());
  ASSERT_TRUE(reauth);
  EXPECT_EQ(reauth->rejected_code, 4101);
  EXPECT_EQ(reauth->authorize_url,
            "http://coze.test/api/permission/oauth2/authorize?client_id=c&state=s1");
  EXPECT_FALSE(reauth->start_device_flow);
  EXPECT_EQ(fake_->requests.size(), 1u);

  fake_->ReplyJson(200, Rejection(4006));  // not a credential problem: passed through
  auto other = client->bots().Retrieve("1");
  EXPECT_EQ(other.error().code, 4006);
  EXPECT_FALSE(ReauthorizationRequired::From(other.error()));
  EXPECT_EQ(built, 1);
}

TEST_F(OboTest, TheDeviceFlowVariantCarriesAFlag) {
  auto client = Make({.token = std::make_shared<TokenAuth>("czu_x")});
  fake_->ReplyJson(401, Rejection(700012006));
  auto me = client->users().Me();
  auto reauth = ReauthorizationRequired::From(me.error());
  ASSERT_TRUE(reauth) << me.Describe();
  EXPECT_EQ(reauth->rejected_code, 700012006);
  EXPECT_TRUE(reauth->start_device_flow);
  EXPECT_TRUE(reauth->authorize_url.empty());
}

TEST_F(OboTest, ASpentRefreshTokenAsksForReauthorizationToo) {
  auto client = Make({.token = std::make_shared<FailingAuth>(),
                      .authorize_url = [] { return std::string("http://x/authorize"); }});
  auto me = client->users().Me();
  ASSERT_FALSE(me);
  auto reauth = ReauthorizationRequired::From(me.error());
  ASSERT_TRUE(reauth) << me.Describe();
  EXPECT_EQ(reauth->authorize_url, "http://x/authorize");
  EXPECT_TRUE(fake_->requests.empty());
}

TEST(SingleCredentialPath, TokenAuthMakesNoAttemptsObject) {
  TokenAuth auth("pat_x");
  EXPECT_EQ(auth.Begin(ApiRequest{}), nullptr);
}

}  // namespace
}  // namespace coze
