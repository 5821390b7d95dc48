// The success shape of every OpenAPI endpoint the official SDKs call (coze-protocol.md §3, §9),
// over HTTP against the real server: the envelope (code 0, msg "", detail.logid == X-Tt-Logid),
// field names and types (ids are 19-digit strings, timestamps integer seconds). This file:
// health, users, workspaces, bots, files, voices; api_shapes_chat_test.cpp: conversations,
// messages and chat (JSON and SSE).

#include "integration/api_shapes.hpp"

namespace cozeauth::it {
namespace {
namespace json = boost::json;

TEST_F(ApiShapes, HealthzAnswersOk) {
  auto res = http().Get("/healthz");
  ASSERT_EQ(res.status, 200u) << res.Describe();
  EXPECT_EQ(Str(res.Json(), "status"), "ok");
}

TEST_F(ApiShapes, ReadyzAnswersReadyWhenTheStoreAnswers) {
  auto res = http().Get("/readyz");
  ASSERT_EQ(res.status, 200u) << res.Describe();
  EXPECT_EQ(Str(res.Json(), "status"), "ready");
}

TEST_F(ApiShapes, UsersMeDescribesTheTokensUser) {
  auto res = Get("/v1/users/me");
  ASSERT_TRUE(IsOk(res));
  auto body = res.Json();
  EXPECT_TRUE(IsId(Path(body, "data.user_id")));
  EXPECT_EQ(Str(body, "data.user_id"), world().user.id);
  EXPECT_EQ(Str(body, "data.user_name"), world().user.name);
  EXPECT_TRUE(Path(body, "data.nick_name").is_string());
  EXPECT_TRUE(Path(body, "data.avatar_url").is_string());
}

TEST_F(ApiShapes, LogIdHasTheCloudFormat) {
  // coze-protocol.md §2: 14-digit YYYYMMDDhhmmss + 20 upper-case hex characters.
  auto res = Get("/v1/users/me");
  ASSERT_TRUE(IsOk(res));
  const std::string logid = res.Header("X-Tt-Logid");
  ASSERT_EQ(logid.size(), 34u) << logid;
  for (size_t i = 0; i < 14; ++i) EXPECT_TRUE(std::isdigit(logid[i])) << logid;
  for (size_t i = 14; i < 34; ++i) {
    EXPECT_TRUE(std::isdigit(logid[i]) || (logid[i] >= 'A' && logid[i] <= 'F')) << logid;
  }
  EXPECT_NE(Get("/v1/users/me").Header("X-Tt-Logid"), logid) << "log ids must be unique";
}

TEST_F(ApiShapes, WorkspacesListHasPersonalAndTeamWorkspaces) {
  auto res = Get("/v1/workspaces?page_num=1&page_size=20");
  ASSERT_TRUE(IsOk(res));
  auto body = res.Json();
  const auto& spaces = Path(body, "data.workspaces");
  ASSERT_TRUE(spaces.is_array());
  EXPECT_EQ(Int(body, "data.total_count"), static_cast<int64_t>(spaces.as_array().size()));
  bool personal = false, team = false;
  for (const auto& w : spaces.as_array()) {
    EXPECT_TRUE(IsId(Path(w, "id")));
    EXPECT_TRUE(Path(w, "name").is_string());
    EXPECT_TRUE(Path(w, "icon_url").is_string());
    // Optional in the SDKs ([JS] `enterprise_id?`); these workspaces belong to no enterprise.
    if (Has(w, "enterprise_id")) {
      EXPECT_EQ(Str(w, "enterprise_id"), "");
    }
    const std::string type = Str(w, "workspace_type");
    EXPECT_TRUE(type == "personal" || type == "team") << type;
    EXPECT_EQ(Str(w, "role_type"), "owner") << "the user owns every workspace of this world";
    if (type == "personal" && Str(w, "name") == "Personal") personal = true;
    if (Str(w, "id") == world().workspace_id) {
      team = true;
      EXPECT_EQ(type, "team");
    }
  }
  EXPECT_TRUE(personal) << "the user's Personal workspace is missing: " << res.body;
  EXPECT_TRUE(team) << "workspace " << world().workspace_id << " is missing: " << res.body;
}

TEST_F(ApiShapes, WorkspaceCreateReturnsAnIdThatIsListed) {
  auto res = Post("/v1/workspaces", json::object{{"name", "Created over HTTP"},
                                                 {"description", "by api_shapes_test"}});
  ASSERT_TRUE(IsOk(res));
  const std::string id = Str(res.Json(), "data.id");
  EXPECT_TRUE(IsId(Path(res.Json(), "data.id")));
  auto list = OkBody(Get("/v1/workspaces?page_size=50"));
  EXPECT_TRUE(Contains(Ids(Path(list, "data.workspaces")), id)) << json::serialize(list);
}

TEST_F(ApiShapes, WorkspaceMembersListTheOwner) {
  auto res = Get("/v1/workspaces/" + world().workspace_id + "/members");
  ASSERT_TRUE(IsOk(res));
  auto body = res.Json();
  const auto& items = Path(body, "data.items");
  ASSERT_TRUE(items.is_array());
  ASSERT_EQ(items.as_array().size(), 1u) << res.body;
  EXPECT_EQ(Str(items, "0.user_id"), world().user.id);
  EXPECT_EQ(Str(items, "0.role_type"), "owner");
  EXPECT_TRUE(Path(items, "0.user_nickname").is_string());
}

TEST_F(ApiShapes, BotCreateUpdateAndRetrieve) {
  auto created = Post("/v1/bot/create", json::object{{"space_id", world().workspace_id},
                                                     {"name", "Shape bot"},
                                                     {"description", "first"},
                                                     {"prompt_info", {{"prompt", "Hi:"}}}});
  ASSERT_TRUE(IsOk(created));
  ASSERT_TRUE(IsId(Path(created.Json(), "data.bot_id")));
  const std::string bot_id = Str(created.Json(), "data.bot_id");
  // Read it first: the server caches bots, and an update must not leave a stale copy behind.
  ASSERT_EQ(Str(OkBody(Get("/v1/bots/" + bot_id)), "data.name"), "Shape bot");

  auto updated = Post("/v1/bot/update", json::object{{"bot_id", bot_id},
                                                     {"name", "Shape bot 2"},
                                                     {"prompt_info", {{"prompt", "Hey:"}}}});
  ASSERT_TRUE(IsOk(updated));

  for (const std::string& target :
       {"/v1/bots/" + bot_id, "/v1/bot/get_online_info?bot_id=" + bot_id}) {
    SCOPED_TRACE(target);
    auto res = Get(target);
    ASSERT_TRUE(IsOk(res));
    auto body = res.Json();
    EXPECT_EQ(Str(body, "data.bot_id"), bot_id);
    EXPECT_EQ(Str(body, "data.name"), "Shape bot 2");
    EXPECT_EQ(Str(body, "data.description"), "first") << "update must keep omitted fields";
    EXPECT_EQ(Str(body, "data.prompt_info.prompt"), "Hey:");
    EXPECT_TRUE(Path(body, "data.onboarding_info").is_object());
    EXPECT_TRUE(IsTimestamp(Path(body, "data.create_time")));
    EXPECT_TRUE(IsTimestamp(Path(body, "data.update_time")));
    EXPECT_TRUE(Path(body, "data.icon_url").is_string());
    EXPECT_TRUE(Path(body, "data.version").is_string());
  }
}

TEST_F(ApiShapes, BotPublishListAndUnpublish) {
  auto created = OkBody(Post(
      "/v1/bot/create", json::object{{"space_id", world().workspace_id}, {"name", "Publish bot"}}));
  const std::string bot_id = Str(created, "data.bot_id");

  auto draft = OkBody(Get("/v1/bots/" + bot_id));
  EXPECT_FALSE(Path(draft, "data.is_published").as_bool());

  auto published = Post("/v1/bot/publish",
                        json::object{{"bot_id", bot_id}, {"connector_ids", json::array{"1024"}}});
  ASSERT_TRUE(IsOk(published));

  auto res = Get("/v1/bots?workspace_id=" + world().workspace_id + "&page_num=1&page_size=50");
  ASSERT_TRUE(IsOk(res));
  auto list = res.Json();
  const auto& items = Path(list, "data.items");
  ASSERT_TRUE(items.is_array());
  EXPECT_GE(Int(list, "data.total"), static_cast<int64_t>(items.as_array().size()));
  bool found = false;
  for (const auto& item : items.as_array()) {
    EXPECT_TRUE(IsId(Path(item, "id")));
    EXPECT_TRUE(Path(item, "name").is_string());
    EXPECT_TRUE(Path(item, "icon_url").is_string());
    EXPECT_TRUE(Path(item, "description").is_string());
    EXPECT_TRUE(IsTimestamp(Path(item, "updated_at")));
    EXPECT_TRUE(IsId(Path(item, "owner_user_id")));
    EXPECT_TRUE(Path(item, "is_published").is_bool());
    if (Str(item, "id") == bot_id) {
      found = true;
      EXPECT_TRUE(Path(item, "is_published").as_bool());
      EXPECT_TRUE(IsTimestamp(Path(item, "published_at")));
      EXPECT_EQ(Str(item, "owner_user_id"), world().user.id);
    }
  }
  EXPECT_TRUE(found) << "published bot missing from " << res.body;
  EXPECT_TRUE(Contains(Ids(items), world().bot_id));

  auto unpublished = http().Post("/v1/bots/" + bot_id + "/unpublish", "", auth());
  ASSERT_TRUE(IsOk(unpublished));
  auto after = OkBody(Get("/v1/bots/" + bot_id));
  EXPECT_FALSE(Path(after, "data.is_published").as_bool());
}

TEST_F(ApiShapes, FileUploadAndRetrieve) {
  const std::string content = "hello file contents\n";
  auto mp = BuildMultipart({{"file", "notes.txt", "text/plain", content}});
  auto res = http().Post("/v1/files/upload", mp.body, auth(), mp.content_type);
  ASSERT_TRUE(IsOk(res));
  auto f = res.Json();
  ASSERT_TRUE(IsId(Path(f, "data.id")));
  EXPECT_EQ(Int(f, "data.bytes"), static_cast<int64_t>(content.size()));
  EXPECT_EQ(Str(f, "data.file_name"), "notes.txt");
  EXPECT_TRUE(IsTimestamp(Path(f, "data.created_at")));

  auto r = Get("/v1/files/retrieve?file_id=" + Str(f, "data.id"));
  ASSERT_TRUE(IsOk(r));
  auto g = r.Json();
  EXPECT_EQ(Str(g, "data.id"), Str(f, "data.id"));
  EXPECT_EQ(Int(g, "data.bytes"), static_cast<int64_t>(content.size()));
  EXPECT_EQ(Str(g, "data.file_name"), "notes.txt");
  EXPECT_EQ(Int(g, "data.created_at"), Int(f, "data.created_at"));
}

TEST_F(ApiShapes, VoicesList) {
  auto res = Get("/v1/audio/voices?page_num=1&page_size=100");
  ASSERT_TRUE(IsOk(res));
  auto v = res.Json();
  const auto& list = Path(v, "data.voice_list");
  ASSERT_TRUE(list.is_array()) << res.body;
  EXPECT_TRUE(Path(v, "data.has_more").is_bool());
  for (const auto& voice : list.as_array()) {
    EXPECT_TRUE(Path(voice, "voice_id").is_string());
    EXPECT_TRUE(Path(voice, "name").is_string());
    EXPECT_TRUE(Path(voice, "is_system_voice").is_bool());
    EXPECT_TRUE(Path(voice, "language_code").is_string());
    EXPECT_TRUE(Path(voice, "create_time").is_int64());
  }
}

}  // namespace
}  // namespace cozeauth::it
