// The authorization decision over HTTP (architecture.md §5, docs/errors.md): 4100 for a missing,
// unknown, expired or revoked credential; 4101 for a missing point, a workspace outside the
// token's scope or account, a lost role, or another account's resource; the resource-specific
// not-found codes; and the order of those steps. Writes made by other processes (the admin
// CLI, a direct SQL edit) must reach the running server within about a second.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <string>

#include "support/openapi_expect.hpp"
#include "support/shared_world.hpp"
#include "support/sqlite_file.hpp"

namespace cozeauth::it {
namespace {
namespace json = boost::json;
using std::chrono::milliseconds;

// Writes by another process become visible within one auth-epoch poll (architecture.md §8: a
// second). The tests poll for that event; the deadline only bounds a failure, generously, since
// a loaded machine (scripts/stress-tests) can starve the server longer than any SLA.
constexpr milliseconds kPropagation{30'000};

class AuthDecision : public SharedWorld<AuthDecision> {
 public:
  static void SetUpTestSuite() {
    SharedWorld::SetUpTestSuite();
    if (!world_) return;
    try {
      other_ = std::make_unique<World>(scenario_->MakeWorld("Other:"));
    } catch (const std::exception& e) {
      setup_error_ = e.what();
      world_.reset();
    }
  }
  static void TearDownTestSuite() {
    other_.reset();
    SharedWorld::TearDownTestSuite();
  }

 protected:
  static inline std::unique_ptr<World> other_;  // user B: a second personal account

  static HttpResponse GetAs(const std::string& token, const std::string& target) {
    return http().Get(target, Bearer(token));
  }
  static HttpResponse GetWith(const Headers& headers, const std::string& target) {
    return http().Get(target, headers);
  }

  static json::object UserText(const std::string& text) {
    return {{"role", "user"}, {"content", text}, {"content_type", "text"}};
  }
};

TEST_F(AuthDecision, MissingAuthorizationIs4100) {
  EXPECT_TRUE(IsCozeError(http().Get("/v1/users/me"), 4100));
  EXPECT_TRUE(IsCozeError(http().Get("/v1/bots/" + world().bot_id), 4100));
  EXPECT_TRUE(IsCozeError(http().Get("/v1/workspaces"), 4100));
  EXPECT_TRUE(
      IsCozeError(http().PostJson("/v3/chat", json::object{{"bot_id", world().bot_id}}), 4100));
}

TEST_F(AuthDecision, MalformedOrGarbageAuthorizationIs4100) {
  const std::string bot = "/v1/bots/" + world().bot_id;
  for (const std::string& header : std::vector<std::string>{
           "Bearer", "Bearer ", "garbage", "Basic dXNlcjpwYXNzd29yZA==", "Bearer garbage",
           "Bearer pat_short", "Token " + world().pat.token, "Bearer " + world().pat.token + "x",
           "Bearer x" + world().pat.token}) {
    SCOPED_TRACE("Authorization: " + header);
    EXPECT_TRUE(IsCozeError(GetWith({{"Authorization", header}}, bot), 4100));
  }
}

TEST_F(AuthDecision, UnknownWellFormedTokenIs4100) {
  for (const std::string prefix : {"pat_", "sat_", "czu_", "czs_"}) {
    SCOPED_TRACE(prefix);
    EXPECT_TRUE(IsCozeError(GetAs(prefix + RandomAlnum(64), "/v1/users/me"), 4100));
  }
}

TEST_F(AuthDecision, ExpiredTokenIs4100) {
  TokenInfo pat = scenario().CreatePat(world().user.id, {.name = "expiring", .days = 1});
  ASSERT_TRUE(IsOk(GetAs(pat.token, "/v1/users/me")));
  // The server reads the system clock; a day cannot pass in a test, so age the token in the
  // store and bump the auth epoch as every authorization-relevant write does.
  SqliteFile(server().db_path())
      .Exec(
          "UPDATE tokens SET expires_at = CAST(strftime('%s','now') AS INTEGER) - 60 "
          "WHERE id = '" +
          pat.id +
          "';"
          "UPDATE meta SET value = value + 1 WHERE key = 'auth_epoch';");
  auto polled = PollForCode([&] { return GetAs(pat.token, "/v1/users/me"); }, 4100, kPropagation);
  EXPECT_TRUE(polled.reached) << "still " << polled.last.Describe() << " after "
                              << polled.elapsed.count() << " ms";
  EXPECT_TRUE(IsCozeError(polled.last, 4100));
  // The world's token is unaffected.
  EXPECT_TRUE(IsOk(Get("/v1/users/me")));
}

TEST_F(AuthDecision, RevokedTokenIs4100WithinASecond) {
  TokenInfo pat = scenario().CreatePat(world().user.id, {.name = "to-revoke"});
  ASSERT_TRUE(IsOk(GetAs(pat.token, "/v1/bots/" + world().bot_id)));  // now cached
  scenario().RevokeToken(pat.id);
  auto polled = PollForCode([&] { return GetAs(pat.token, "/v1/bots/" + world().bot_id); }, 4100,
                            kPropagation);
  EXPECT_TRUE(polled.reached) << "revocation not effective after " << polled.elapsed.count()
                              << " ms: " << polled.last.Describe();
  EXPECT_TRUE(IsCozeError(polled.last, 4100));
  EXPECT_TRUE(IsOk(Get("/v1/bots/" + world().bot_id)));
}

TEST_F(AuthDecision, MissingPermissionPointIs4101) {
  TokenInfo pat = scenario().CreatePat(
      world().user.id, {.name = "no-getMetadata",
                        .workspace_permissions = Without(AllWorkspacePoints(), "getMetadata")});
  EXPECT_TRUE(IsCozeError(GetAs(pat.token, "/v1/bots/" + world().bot_id), 4101));
  EXPECT_TRUE(
      IsCozeError(GetAs(pat.token, "/v1/bot/get_online_info?bot_id=" + world().bot_id), 4101));
  // The same token is valid for the points it has.
  EXPECT_TRUE(IsOk(GetAs(pat.token, "/v1/bots?workspace_id=" + world().workspace_id)));
}

TEST_F(AuthDecision, MissingPointWinsOverUnknownId) {
  const std::string unknown_bot = "/v1/bots/" + RandomId();
  const std::string unknown_conv = "/v1/conversation/retrieve?conversation_id=" + RandomId();
  TokenInfo no_meta = scenario().CreatePat(
      world().user.id,
      {.name = "no-meta", .workspace_permissions = Without(AllWorkspacePoints(), "getMetadata")});
  TokenInfo no_conv = scenario().CreatePat(
      world().user.id,
      {.name = "no-conv",
       .account_permissions = Without(AllAccountPoints(), "retrieveConversation")});
  EXPECT_TRUE(IsCozeError(GetAs(no_meta.token, unknown_bot), 4101));
  EXPECT_TRUE(IsCozeError(GetAs(no_conv.token, unknown_conv), 4101));
  // With the point, the same requests reach the not-found step.
  EXPECT_TRUE(IsCozeError(Get(unknown_bot), 4006));
  EXPECT_TRUE(IsCozeError(Get(unknown_conv), 4002));
}

TEST_F(AuthDecision, WorkspaceOutsideTheTokensScopeIs4101) {
  const std::string w2 =
      scenario().CreateWorkspace(world().user.id, world().user.id, "Second workspace");
  const std::string bot2 = scenario().CreateBot(w2, "Bot in W2", "", true);
  TokenInfo only_w1 = scenario().CreatePat(world().user.id,
                                           {.name = "only-w1", .workspaces = world().workspace_id});
  EXPECT_TRUE(IsOk(GetAs(only_w1.token, "/v1/bots/" + world().bot_id)));
  EXPECT_TRUE(IsCozeError(GetAs(only_w1.token, "/v1/bots/" + bot2), 4101));
  EXPECT_TRUE(IsCozeError(GetAs(only_w1.token, "/v1/bots?workspace_id=" + w2), 4101));
  // The all-workspaces token of the same user reaches both.
  EXPECT_TRUE(IsOk(Get("/v1/bots/" + bot2)));
}

TEST_F(AuthDecision, AllWorkspacesIncludesWorkspacesCreatedAfterTheToken) {
  TokenInfo only_w1 = scenario().CreatePat(
      world().user.id, {.name = "only-w1-later", .workspaces = world().workspace_id});
  // The world's PAT (scope "all") predates this workspace.
  const std::string w3 = scenario().CreateWorkspace(world().user.id, world().user.id, "Later");
  const std::string bot3 = scenario().CreateBot(w3, "Later bot", "", true);
  auto polled = PollForCode([&] { return Get("/v1/bots/" + bot3); }, 0, kPropagation);
  EXPECT_TRUE(polled.reached) << polled.last.Describe();
  EXPECT_TRUE(IsOk(polled.last));
  EXPECT_TRUE(IsOk(Get("/v1/bots?workspace_id=" + w3)));
  EXPECT_TRUE(IsCozeError(GetAs(only_w1.token, "/v1/bots/" + bot3), 4101));
}

TEST_F(AuthDecision, AnotherAccountsWorkspaceIs4101) {
  const std::string b = other_->pat.token;
  EXPECT_TRUE(IsOk(GetAs(b, "/v1/bots/" + other_->bot_id)));
  EXPECT_TRUE(IsCozeError(GetAs(b, "/v1/bots/" + world().bot_id), 4101));
  EXPECT_TRUE(IsCozeError(GetAs(b, "/v1/bots?workspace_id=" + world().workspace_id), 4101));
  EXPECT_TRUE(IsCozeError(GetAs(b, "/v1/workspaces/" + world().workspace_id + "/members"), 4101));
  EXPECT_TRUE(IsCozeError(
      http().PostJson("/v1/bot/update",
                      json::object{{"bot_id", world().bot_id}, {"name", "hijacked"}}, Bearer(b)),
      4101));
  EXPECT_EQ(Str(OkBody(Get("/v1/bots/" + world().bot_id)), "data.name"),
            "Bot " + world().user.name);
  // B's workspace list does not show A's workspaces.
  auto list = OkBody(GetAs(b, "/v1/workspaces?page_size=50"));
  for (const auto& w : Path(list, "data.workspaces").as_array()) {
    EXPECT_NE(Str(w, "id"), world().workspace_id);
  }
}

TEST_F(AuthDecision, RemovedWorkspaceMemberLosesAccessWithinASecond) {
  // Members reach a workspace through an organization credential: a personal account's
  // workspaces are reachable only by that account's own credentials (decision step 4).
  UserInfo member = scenario().CreateUser("member");
  const auto& cli = scenario().cli();
  auto ent = cli.Must({"enterprise", "create", "--name", "Ent " + member.name, "--owner",
                       world().user.id, "--edition", "team"});
  const std::string enterprise_id = ent.Str("enterprise_id");
  const std::string org = ent.Str("default_org_account_id");
  cli.Must({"enterprise", "add-member", "--enterprise", enterprise_id, "--user", member.id,
            "--role", "member"});
  const std::string ws = scenario().CreateWorkspace(org, world().user.id, "Org workspace");
  const std::string bot = scenario().CreateBot(ws, "Org bot", "Org:", true);
  scenario().AddWorkspaceMember(ws, member.id, "member");
  TokenInfo pat = scenario().CreatePat(member.id, {.account_id = org, .name = "member-org"});

  auto reach = [&] { return GetAs(pat.token, "/v1/bots/" + bot); };
  auto before = PollForCode(reach, 0, kPropagation);
  ASSERT_TRUE(IsOk(before.last)) << "a workspace member's org PAT must reach the workspace";

  scenario().RemoveWorkspaceMember(ws, member.id);
  auto after = PollForCode(reach, 4101, kPropagation);
  EXPECT_TRUE(after.reached) << "removal not effective after " << after.elapsed.count()
                             << " ms: " << after.last.Describe();
  EXPECT_TRUE(IsCozeError(after.last, 4101));
}

TEST_F(AuthDecision, NotFoundCodesPerResource) {
  auto conv = OkBody(Post("/v1/conversation/create", json::object{{"bot_id", world().bot_id}}));
  const std::string c = Str(conv, "data.id");
  EXPECT_TRUE(IsCozeError(Get("/v1/bots/" + RandomId()), 4006));
  EXPECT_TRUE(IsCozeError(Get("/v1/bot/get_online_info?bot_id=" + RandomId()), 4006));
  EXPECT_TRUE(IsCozeError(Get("/v1/conversation/retrieve?conversation_id=" + RandomId()), 4002));
  EXPECT_TRUE(IsCozeError(
      Get("/v1/conversation/message/retrieve?conversation_id=" + c + "&message_id=" + RandomId()),
      4005));
  EXPECT_TRUE(
      IsCozeError(Get("/v3/chat/retrieve?conversation_id=" + c + "&chat_id=" + RandomId()), 4001));
  EXPECT_TRUE(IsCozeError(Get("/v1/files/retrieve?file_id=" + RandomId()), 4200));
}

TEST_F(AuthDecision, AnotherAccountsAccountLevelResourcesAre4101) {
  // A's conversation, message, chat and file.
  const std::string c = Str(
      OkBody(Post("/v1/conversation/create", json::object{{"bot_id", world().bot_id}})), "data.id");
  const std::string m =
      Str(OkBody(Post("/v1/conversation/message/create?conversation_id=" + c, UserText("private"))),
          "data.id");
  auto chat = OkBody(Post("/v3/chat?conversation_id=" + c,
                          json::object{{"bot_id", world().bot_id},
                                       {"user_id", "a"},
                                       {"stream", false},
                                       {"additional_messages", json::array{UserText("hi")}}}));
  const std::string chat_id = Str(chat, "data.id");
  auto mp = BuildMultipart({{"file", "secret.txt", "text/plain", "A's bytes"}});
  const std::string file_id =
      Str(OkBody(http().Post("/v1/files/upload", mp.body, auth(), mp.content_type)), "data.id");

  const std::string b = other_->pat.token;
  const std::string cq = "?conversation_id=" + c;
  EXPECT_TRUE(IsCozeError(GetAs(b, "/v1/conversation/retrieve" + cq), 4101));
  EXPECT_TRUE(IsCozeError(
      http().PostJson("/v1/conversation/message/list" + cq, json::object{}, Bearer(b)), 4101));
  EXPECT_TRUE(
      IsCozeError(GetAs(b, "/v1/conversation/message/retrieve" + cq + "&message_id=" + m), 4101));
  EXPECT_TRUE(IsCozeError(
      http().PostJson("/v1/conversation/message/create" + cq, UserText("intrusion"), Bearer(b)),
      4101));
  EXPECT_TRUE(IsCozeError(GetAs(b, "/v3/chat/retrieve" + cq + "&chat_id=" + chat_id), 4101));
  EXPECT_TRUE(IsCozeError(GetAs(b, "/v3/chat/message/list" + cq + "&chat_id=" + chat_id), 4101));
  EXPECT_TRUE(IsCozeError(GetAs(b, "/v1/files/retrieve?file_id=" + file_id), 4101));
  EXPECT_TRUE(
      IsCozeError(http().Put("/v1/conversations/" + c, R"({"name":"taken"})", Bearer(b)), 4101));
  EXPECT_TRUE(IsCozeError(http().Delete("/v1/conversations/" + c, Bearer(b)), 4101));
  // B chatting into A's conversation with B's own bot is still A's conversation.
  EXPECT_TRUE(IsCozeError(
      http().PostJson("/v3/chat" + cq,
                      json::object{{"bot_id", other_->bot_id},
                                   {"user_id", "b"},
                                   {"stream", false},
                                   {"additional_messages", json::array{UserText("hi")}}},
                      Bearer(b)),
      4101));

  // Nothing B tried changed A's conversation.
  auto still = OkBody(Get("/v1/conversation/retrieve" + cq));
  EXPECT_NE(Str(still, "data.name"), "taken");
  auto msgs = OkBody(Post("/v1/conversation/message/list" + cq, json::object{}));
  for (const auto& msg : Path(msgs, "data").as_array()) {
    EXPECT_NE(Str(msg, "content"), "intrusion");
  }
}

}  // namespace
}  // namespace cozeauth::it
