// The storage contract (store.hpp), written against the Store interface so that every backend
// runs it. Each TEST_P runs on an in-memory database and on a file (WAL, reader pool); the
// SqliteFile tests cover what only a file can show: persistence and a second store (another
// process, such as the admin CLI) on the same file.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <latch>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "base/clock.hpp"
#include "store/sqlite/schema.hpp"
#include "store/sqlite/sqlite_db.hpp"
#include "store/contract_test_support.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/store.hpp"

namespace cozeauth {
namespace store {
namespace {

using contract::CodeOf;
using contract::TempDbPath;

using credentials::Token;
using credentials::TokenKind;

auto Fields(const domain::User& u) {
  return std::tie(u.id, u.name, u.email, u.password_hash, u.created_at);
}
auto Fields(const domain::Account& a) {
  return std::tie(a.id, a.kind, a.name, a.user_id, a.enterprise_id, a.is_default, a.created_at);
}
auto Fields(const domain::Enterprise& e) {
  return std::tie(e.id, e.name, e.edition, e.owner_user_id, e.default_org_account_id, e.created_at);
}
auto Fields(const domain::Workspace& w) {
  return std::tie(w.id, w.name, w.description, w.owner_account_id, w.owner_user_id, w.type,
                  w.created_at, w.legacy_account_id);
}
auto Fields(const domain::Bot& b) {
  return std::tie(b.id, b.workspace_id, b.name, b.description, b.icon_url, b.prompt, b.prologue,
                  b.owner_user_id, b.is_published, b.published_at, b.connector_ids, b.created_at,
                  b.updated_at);
}
auto Fields(const domain::Conversation& c) {
  return std::tie(c.id, c.owner_account_id, c.session_name, c.bot_id, c.name, c.meta_data_json,
                  c.creator_id, c.connector_id, c.last_section_id, c.created_at, c.updated_at);
}
auto Fields(const domain::Message& m) {
  return std::tie(m.id, m.conversation_id, m.bot_id, m.chat_id, m.section_id, m.role, m.type,
                  m.content, m.content_type, m.meta_data_json, m.created_at, m.updated_at);
}
auto Fields(const domain::Chat& c) {
  return std::tie(c.id, c.conversation_id, c.bot_id, c.owner_account_id, c.section_id, c.status,
                  c.meta_data_json, c.created_at, c.completed_at, c.input_count, c.output_count);
}
auto Fields(const domain::File& f) {
  return std::tie(f.id, f.owner_account_id, f.file_name, f.bytes, f.sha256_hex, f.created_at);
}
auto Fields(const Session& s) {
  return std::tie(s.id, s.session_hash, s.csrf_token, s.user_id, s.created_at, s.expires_at);
}
auto Fields(const Token& t) {
  return std::tie(t.id, t.kind, t.name, t.token_hash, t.user_id, t.context.kind,
                  t.context.account_id, t.context.enterprise_id, t.grant.account_permissions,
                  t.grant.workspace_permissions, t.grant.enterprise_permissions,
                  t.grant.all_workspaces, t.grant.workspace_ids, t.grant.bot_ids, t.session_name,
                  t.created_at, t.updated_at, t.expires_at, t.revoked_at, t.last_used_at, t.app_id,
                  t.authorization_id);
}

template <typename T>
std::vector<std::string> Ids(const std::vector<T>& items) {
  std::vector<std::string> ids;
  for (const auto& item : items) ids.push_back(item.id);
  return ids;
}

// --- sample rows

domain::User MakeUser(const std::string& id, const std::string& email) {
  return domain::User{id, "user " + id, email, "$argon2id$fake", 1'700'000'000};
}

domain::Account PersonalAccount(const std::string& user_id) {
  domain::Account a;
  a.id = user_id;  // a personal account's id is its user's id
  a.kind = domain::AccountKind::kPersonal;
  a.name = "personal " + user_id;
  a.user_id = user_id;
  a.created_at = 1'700'000'001;
  return a;
}

domain::Account Organization(const std::string& id, const std::string& enterprise_id,
                             int64_t created_at = 1'700'000'002) {
  domain::Account a;
  a.id = id;
  a.kind = domain::AccountKind::kOrganization;
  a.name = "org " + id;
  a.enterprise_id = enterprise_id;
  a.created_at = created_at;
  return a;
}

domain::Enterprise MakeEnterprise(const std::string& id, const std::string& owner,
                                  const std::string& default_org) {
  domain::Enterprise e;
  e.id = id;
  e.name = "enterprise " + id;
  e.edition = domain::Edition::kTeam;
  e.owner_user_id = owner;
  e.default_org_account_id = default_org;
  e.created_at = 1'700'000'003;
  return e;
}

domain::Workspace MakeWorkspace(const std::string& id, const std::string& owner_account,
                                const std::string& owner_user, int64_t created_at) {
  domain::Workspace w;
  w.id = id;
  w.name = "ws " + id;
  w.description = "about " + id;
  w.owner_account_id = owner_account;
  w.owner_user_id = owner_user;
  w.type = domain::WorkspaceType::kTeam;
  w.created_at = created_at;
  return w;
}

domain::Bot MakeBot(const std::string& id, const std::string& workspace_id, bool published,
                    int64_t updated_at) {
  domain::Bot b;
  b.id = id;
  b.workspace_id = workspace_id;
  b.name = "bot " + id;
  b.description = "describes " + id;
  b.icon_url = "https://example.com/" + id + ".png";
  b.prompt = "You are " + id;
  b.prologue = "Hello from " + id;
  b.owner_user_id = "1001";
  b.is_published = published;
  b.published_at = published ? updated_at : 0;
  b.connector_ids = {"1024", "999"};
  b.created_at = 1'700'000'100;
  b.updated_at = updated_at;
  return b;
}

domain::Conversation MakeConversation(const std::string& id, const std::string& account,
                                      const std::string& bot, const std::string& session_name,
                                      int64_t created_at) {
  domain::Conversation c;
  c.id = id;
  c.owner_account_id = account;
  c.session_name = session_name;
  c.bot_id = bot;
  c.name = "conv " + id;
  c.meta_data_json = R"({"k":"v"})";
  c.creator_id = "1001";
  c.connector_id = "1024";
  c.last_section_id = "s-" + id;
  c.created_at = created_at;
  c.updated_at = created_at + 5;
  return c;
}

domain::Message MakeMessage(const std::string& id, const std::string& conversation,
                            const std::string& chat, int64_t created_at) {
  domain::Message m;
  m.id = id;
  m.conversation_id = conversation;
  m.bot_id = "5001";
  m.chat_id = chat;
  m.section_id = "sec";
  m.role = "user";
  m.type = "question";
  m.content = "content of " + id;
  m.content_type = "text";
  m.meta_data_json = R"({"m":"1"})";
  m.created_at = created_at;
  m.updated_at = created_at;
  return m;
}

domain::Chat MakeChat(const std::string& id, const std::string& conversation) {
  domain::Chat c;
  c.id = id;
  c.conversation_id = conversation;
  c.bot_id = "5001";
  c.owner_account_id = "1001";
  c.section_id = "sec";
  c.status = "in_progress";
  c.meta_data_json = R"({"c":"2"})";
  c.created_at = 1'700'000'200;
  c.completed_at = 0;
  c.input_count = 3;
  c.output_count = 4;
  return c;
}

Token MakeToken(const std::string& id, const std::string& hash, const std::string& user_id) {
  Token t;
  t.id = id;
  t.kind = TokenKind::kPat;
  t.name = "token " + id;
  t.token_hash = hash;
  t.user_id = user_id;
  t.context.kind = credentials::ContextKind::kPersonal;
  t.context.account_id = user_id;
  t.grant.workspace_permissions = {"chat", "listBot"};
  t.created_at = 1'700'000'300;
  t.updated_at = 1'700'000'300;
  return t;
}

std::string HashOf(int n) { return std::string(60, 'a') + std::to_string(1000 + n); }

// --- fixtures

class StoreContract : public contract::StoreContractTest {
 protected:
  // User 1001 with its personal account; enterprise ent_1 with default organization 2001.
  void SeedTenancy() {
    ASSERT_OK(store().CreateUser(MakeUser("1001", "alice@example.com")));
    ASSERT_OK(store().CreateUser(MakeUser("1002", "bob@example.com")));
    ASSERT_OK(store().CreateAccount(PersonalAccount("1001")));
    ASSERT_OK(store().CreateEnterprise(MakeEnterprise("ent_1", "1001", "2001")));
    domain::Account org = Organization("2001", "ent_1");
    org.is_default = true;
    ASSERT_OK(store().CreateAccount(org));
    ASSERT_OK(store().CreateWorkspace(MakeWorkspace("3001", "1001", "1001", 1'700'000'010)));
    ASSERT_OK(store().CreateWorkspace(MakeWorkspace("3002", "2001", "1001", 1'700'000'011)));
  }

};

COZEAUTH_STORE_CONTRACT(StoreContract);

TEST_P(StoreContract, CreatesAndGetsEachEntity) {
  SeedTenancy();
  EXPECT_EQ(Fields(VALUE(store().GetUser("1001"))), Fields(MakeUser("1001", "alice@example.com")));
  EXPECT_EQ(Fields(VALUE(store().GetAccount("1001"))), Fields(PersonalAccount("1001")));
  domain::Account org = Organization("2001", "ent_1");
  org.is_default = true;
  EXPECT_EQ(Fields(VALUE(store().GetAccount("2001"))), Fields(org));
  EXPECT_EQ(Fields(VALUE(store().GetEnterprise("ent_1"))),
            Fields(MakeEnterprise("ent_1", "1001", "2001")));
  EXPECT_EQ(Fields(VALUE(store().GetWorkspace("3002"))),
            Fields(MakeWorkspace("3002", "2001", "1001", 1'700'000'011)));

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

  const Session session{"s1", std::string(64, 'e'), "csrf-1", "1001", 1'700'000'190, 1'700'086'590};
  ASSERT_OK(store().CreateSession(session));
  EXPECT_EQ(Fields(VALUE(store().FindSessionByHash(session.session_hash))), Fields(session));
  ASSERT_OK(store().DeleteSession("s1"));
  EXPECT_EQ(CodeOf(store().FindSessionByHash(session.session_hash)), Errc::kNotFound);
}

TEST_P(StoreContract, UsersByEmailCountAndList) {
  ASSERT_OK(store().CreateUser(MakeUser("1002", "Bob@Example.com")));
  ASSERT_OK(store().CreateUser(MakeUser("1001", "alice@example.com")));
  // Users without an email do not collide with each other.
  ASSERT_OK(store().CreateUser(MakeUser("1003", "")));
  ASSERT_OK(store().CreateUser(MakeUser("1004", "")));

  EXPECT_EQ(VALUE(store().FindUserByEmail("bob@example.com")).id, "1002");
  EXPECT_EQ(VALUE(store().FindUserByEmail("alice@example.com")).id, "1001");
  EXPECT_EQ(CodeOf(store().FindUserByEmail("carol@example.com")), Errc::kNotFound);
  EXPECT_EQ(CodeOf(store().FindUserByEmail("")), Errc::kNotFound);
  EXPECT_EQ(VALUE(store().GetUser("1003")).email, "");
  EXPECT_EQ(VALUE(store().CountUsers()), 4);
  EXPECT_EQ(Ids(VALUE(store().ListUsers())),
            (std::vector<std::string>{"1001", "1002", "1003", "1004"}));
}

TEST_P(StoreContract, MissingRowsAreNotFound) {
  SeedTenancy();
  ASSERT_OK(store().CreateConversation(MakeConversation("6001", "1001", "5001", "", 1)));
  const Token ghost = MakeToken("4999", HashOf(999), "1001");
  const std::string secret_hash = HashOf(998);
  struct Case {
    const char* name;
    std::function<Errc()> call;
    std::string id;  // the message must name it
  };
  const std::vector<Case> cases = {
      {"GetUser", [&] { return CodeOf(store().GetUser("1999")); }, "1999"},
      {"GetAccount", [&] { return CodeOf(store().GetAccount("2999")); }, "2999"},
      {"GetEnterprise", [&] { return CodeOf(store().GetEnterprise("ent_9")); }, "ent_9"},
      {"UpdateEdition",
       [&] { return CodeOf(store().UpdateEnterpriseEdition("ent_9", domain::Edition::kTeam)); },
       "ent_9"},
      {"GetWorkspace", [&] { return CodeOf(store().GetWorkspace("3999")); }, "3999"},
      {"GetBot", [&] { return CodeOf(store().GetBot("5999")); }, "5999"},
      {"UpdateBot", [&] { return CodeOf(store().UpdateBot(MakeBot("5999", "3001", false, 1))); },
       "5999"},
      {"GetConversation", [&] { return CodeOf(store().GetConversation("6999")); }, "6999"},
      {"UpdateConversation",
       [&] {
         return CodeOf(store().UpdateConversation(MakeConversation("6999", "1001", "", "", 1)));
       },
       "6999"},
      {"DeleteConversation", [&] { return CodeOf(store().DeleteConversation("6999")); }, "6999"},
      {"GetMessage", [&] { return CodeOf(store().GetMessage("8999")); }, "8999"},
      {"UpdateMessage",
       [&] { return CodeOf(store().UpdateMessage(MakeMessage("8999", "6001", "", 1))); }, "8999"},
      {"DeleteMessage", [&] { return CodeOf(store().DeleteMessage("8999")); }, "8999"},
      {"GetChat", [&] { return CodeOf(store().GetChat("7999")); }, "7999"},
      {"UpdateChat", [&] { return CodeOf(store().UpdateChat(MakeChat("7999", "6001"))); }, "7999"},
      {"GetFile", [&] { return CodeOf(store().GetFile("9999")); }, "9999"},
      {"GetToken", [&] { return CodeOf(store().GetToken("4999")); }, "4999"},
      {"UpdateToken", [&] { return CodeOf(store().UpdateToken(ghost)); }, "4999"},
      {"RevokeToken", [&] { return CodeOf(store().RevokeToken("4999", 5)); }, "4999"},
      {"DeleteSession", [&] { return CodeOf(store().DeleteSession("s9")); }, "s9"},
      {"RemoveWorkspaceMember",
       [&] { return CodeOf(store().RemoveWorkspaceMember("3001", "1002")); }, "1002"},
      {"RemoveOrgMember", [&] { return CodeOf(store().RemoveOrgMember("2001", "1002")); }, "1002"},
      {"RemoveEnterpriseMember",
       [&] { return CodeOf(store().RemoveEnterpriseMember("ent_1", "1002")); }, "1002"},
      // Foreign keys: a membership or child row needs its parent.
      {"SetWorkspaceRoleUnknownWorkspace",
       [&] {
         return CodeOf(store().SetWorkspaceRole("3999", "1001", domain::WorkspaceRole::kMember));
       },
       ""},
      {"SetOrgRoleUnknownUser",
       [&] { return CodeOf(store().SetOrgRole("2001", "1999", domain::OrgRole::kMember)); }, ""},
      {"CreateBotUnknownWorkspace",
       [&] { return CodeOf(store().CreateBot(MakeBot("5998", "3999", false, 1))); }, ""},
      {"CreateMessageUnknownConversation",
       [&] { return CodeOf(store().CreateMessage(MakeMessage("8998", "6999", "", 1))); }, ""},
  };
  for (const auto& c : cases) EXPECT_EQ(c.call(), Errc::kNotFound) << c.name;

  // Messages name what is missing; lookups by secret digest never echo the digest.
  auto user = store().GetUser("1999");
  ASSERT_FALSE(user.has_value());
  EXPECT_NE(user.error().message.find("user 1999"), std::string::npos) << user.error().message;
  auto token = store().FindTokenByHash(secret_hash);
  ASSERT_FALSE(token.has_value());
  EXPECT_EQ(token.error().code, Errc::kNotFound);
  EXPECT_EQ(token.error().message.find(secret_hash), std::string::npos);
  auto session = store().FindSessionByHash(secret_hash);
  ASSERT_FALSE(session.has_value());
  EXPECT_EQ(session.error().code, Errc::kNotFound);
  EXPECT_EQ(session.error().message.find(secret_hash), std::string::npos);
}

TEST_P(StoreContract, DuplicatesAreAlreadyExists) {
  SeedTenancy();
  ASSERT_OK(store().CreateToken(MakeToken("4001", HashOf(1), "1001")));
  ASSERT_OK(store().CreateConversation(MakeConversation("6001", "1001", "", "", 1)));
  ASSERT_OK(store().CreateMessage(MakeMessage("8001", "6001", "", 1)));
  ASSERT_OK(store().CreateSession(Session{"s1", HashOf(50), "c", "1001", 1, 2}));

  struct Case {
    const char* name;
    Status status;
  };
  const std::vector<Case> cases = {
      {"same email", store().CreateUser(MakeUser("1009", "alice@example.com"))},
      {"email differing in case", store().CreateUser(MakeUser("1009", "ALICE@example.com"))},
      {"same user id", store().CreateUser(MakeUser("1001", "new@example.com"))},
      {"same token hash", store().CreateToken(MakeToken("4002", HashOf(1), "1001"))},
      {"same token id", store().CreateToken(MakeToken("4001", HashOf(2), "1001"))},
      {"same message id", store().CreateMessage(MakeMessage("8001", "6001", "", 2))},
      {"same session hash", store().CreateSession(Session{"s2", HashOf(50), "c", "1001", 1, 2})},
      {"same workspace id",
       store().CreateWorkspace(MakeWorkspace("3001", "1001", "1001", 1'700'000'010))},
  };
  for (const auto& c : cases) {
    ASSERT_FALSE(c.status.has_value()) << c.name;
    EXPECT_EQ(c.status.error().code, Errc::kAlreadyExists)
        << c.name << ": " << c.status.error().message;
    EXPECT_EQ(c.status.error().message.find(HashOf(1)), std::string::npos) << c.name;
  }
  // The failed writes changed nothing.
  EXPECT_EQ(VALUE(store().CountUsers()), 2);
  EXPECT_EQ(VALUE(store().FindTokenByHash(HashOf(1))).id, "4001");
  EXPECT_EQ(CodeOf(store().GetToken("4002")), Errc::kNotFound);
}

TEST_P(StoreContract, RolesSetOverwriteListAndRemove) {
  SeedTenancy();
  // Each scope exposes the same five operations; roles are compared by name.
  struct Scope {
    const char* name;
    std::function<Status(const std::string& user, int role)> set;
    std::function<Result<std::optional<std::string>>(const std::string& user)> get;
    std::function<Result<std::vector<domain::Member>>()> list;  // null: no list operation
    std::function<Status(const std::string& user)> remove;
    std::vector<std::string> role_names;  // role index -> name
  };
  auto org_role = [](int r) { return static_cast<domain::OrgRole>(r); };
  auto ws_role = [](int r) { return static_cast<domain::WorkspaceRole>(r); };
  auto name_of = [](auto optional_role) -> std::optional<std::string> {
    if (!optional_role) return std::nullopt;
    return std::string(domain::ToString(*optional_role));
  };
  const std::vector<Scope> scopes = {
      {"enterprise",
       [&](const std::string& u, int r) {
         return store().SetEnterpriseRole("ent_1", u, org_role(r));
       },
       [&](const std::string& u) {
         return store().GetEnterpriseRole("ent_1", u).transform(name_of);
       },
       [&] { return store().ListEnterpriseMembers("ent_1"); },
       [&](const std::string& u) { return store().RemoveEnterpriseMember("ent_1", u); },
       {"super_admin", "admin", "member", "guest"}},
      {"organization",
       [&](const std::string& u, int r) { return store().SetOrgRole("2001", u, org_role(r)); },
       [&](const std::string& u) { return store().GetOrgRole("2001", u).transform(name_of); },
       nullptr,
       [&](const std::string& u) { return store().RemoveOrgMember("2001", u); },
       {"super_admin", "admin", "member", "guest"}},
      {"workspace",
       [&](const std::string& u, int r) { return store().SetWorkspaceRole("3002", u, ws_role(r)); },
       [&](const std::string& u) { return store().GetWorkspaceRole("3002", u).transform(name_of); },
       [&] { return store().ListWorkspaceMembers("3002"); },
       [&](const std::string& u) { return store().RemoveWorkspaceMember("3002", u); },
       {"owner", "admin", "member"}},
  };
  for (const auto& s : scopes) {
    SCOPED_TRACE(s.name);
    EXPECT_FALSE(VALUE(s.get("1001")).has_value());
    ASSERT_OK(s.set("1001", 0));
    ASSERT_OK(s.set("1002", 2));
    EXPECT_EQ(VALUE(s.get("1001")), s.role_names[0]);
    EXPECT_EQ(VALUE(s.get("1002")), s.role_names[2]);
    ASSERT_OK(s.set("1002", 1));  // overwrite
    EXPECT_EQ(VALUE(s.get("1002")), s.role_names[1]);
    if (s.list) {
      auto members = VALUE(s.list());
      ASSERT_EQ(members.size(), 2u);
      std::sort(members.begin(), members.end(),
                [](const auto& a, const auto& b) { return a.user_id < b.user_id; });
      EXPECT_EQ(members[0].user_id, "1001");
      EXPECT_EQ(members[0].role, s.role_names[0]);
      EXPECT_EQ(members[1].user_id, "1002");
      EXPECT_EQ(members[1].role, s.role_names[1]);
      EXPECT_GT(members[1].joined_at, 0);
    }
    ASSERT_OK(s.remove("1002"));
    EXPECT_FALSE(VALUE(s.get("1002")).has_value());
    EXPECT_EQ(VALUE(s.get("1001")), s.role_names[0]);
    EXPECT_EQ(CodeOf(s.remove("1002")), Errc::kNotFound);
  }
}

TEST_P(StoreContract, EnterpriseListings) {
  SeedTenancy();  // ent_1 with organization 2001 owning workspace 3002; personal 3001
  ASSERT_OK(store().CreateAccount(Organization("2002", "ent_1", 1'700'000'020)));
  ASSERT_OK(store().CreateWorkspace(MakeWorkspace("3003", "2002", "1001", 1'700'000'030)));
  ASSERT_OK(store().CreateWorkspace(MakeWorkspace("3004", "2001", "1002", 1'700'000'040)));
  ASSERT_OK(store().CreateEnterprise(MakeEnterprise("ent_2", "1002", "2101")));
  ASSERT_OK(store().CreateAccount(Organization("2101", "ent_2")));
  ASSERT_OK(store().CreateWorkspace(MakeWorkspace("3101", "2101", "1002", 1'700'000'050)));

  EXPECT_EQ(Ids(VALUE(store().ListWorkspacesOfEnterprise("ent_1"))),
            (std::vector<std::string>{"3002", "3003", "3004"}));
  EXPECT_EQ(Ids(VALUE(store().ListWorkspacesOfEnterprise("ent_2"))),
            (std::vector<std::string>{"3101"}));
  EXPECT_TRUE(VALUE(store().ListWorkspacesOfEnterprise("ent_9")).empty());
  EXPECT_EQ(Ids(VALUE(store().ListWorkspacesOfAccount("2001"))),
            (std::vector<std::string>{"3002", "3004"}));
  EXPECT_EQ(Ids(VALUE(store().ListWorkspacesOfAccount("1001"))),
            (std::vector<std::string>{"3001"}));
  EXPECT_EQ(Ids(VALUE(store().ListOrganizations("ent_1"))),
            (std::vector<std::string>{"2001", "2002"}));

  // A role in the enterprise or in one of its organizations makes it the user's.
  EXPECT_TRUE(VALUE(store().ListEnterprisesOfUser("1002")).empty());
  ASSERT_OK(store().SetOrgRole("2101", "1002", domain::OrgRole::kMember));
  EXPECT_EQ(Ids(VALUE(store().ListEnterprisesOfUser("1002"))), (std::vector<std::string>{"ent_2"}));
  ASSERT_OK(store().SetEnterpriseRole("ent_1", "1002", domain::OrgRole::kAdmin));
  EXPECT_EQ(Ids(VALUE(store().ListEnterprisesOfUser("1002"))),
            (std::vector<std::string>{"ent_1", "ent_2"}));

  ASSERT_OK(store().UpdateEnterpriseEdition("ent_1", domain::Edition::kEnterprise));
  EXPECT_EQ(VALUE(store().GetEnterprise("ent_1")).edition, domain::Edition::kEnterprise);
}

TEST_P(StoreContract, BotPagesCountAllAndOrderByUpdate) {
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

TEST_P(StoreContract, ConversationPagesFilterByOwnerBotAndSession) {
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

TEST_P(StoreContract, MessageCursorsPageBothWays) {
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

TEST_P(StoreContract, MessageLimitIsAtMostFifty) {
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

TEST_P(StoreContract, MessagesUpdateAndDelete) {
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

TEST_P(StoreContract, DeleteConversationTakesItsMessagesAndChats) {
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

TEST_P(StoreContract, TransactionCommitsOrRollsBackEverything) {
  // An error from fn undoes every write, reads inside see the uncommitted writes.
  Status failed = store().Transaction([&]() -> Status {
    if (Status st = store().CreateUser(MakeUser("1001", "a@example.com")); !st) return st;
    if (Status st = store().CreateAccount(PersonalAccount("1001")); !st) return st;
    auto seen = store().GetUser("1001");
    if (!seen) return seen.error();
    EXPECT_EQ(VALUE(store().CountUsers()), 1);
    return Error::Make(Errc::kBadRequest, "changed my mind");
  });
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().message, "changed my mind");
  EXPECT_EQ(CodeOf(store().GetUser("1001")), Errc::kNotFound);
  EXPECT_EQ(CodeOf(store().GetAccount("1001")), Errc::kNotFound);

  // An exception is rethrown after the rollback, and the store stays usable.
  EXPECT_THROW((void)store().Transaction([&]() -> Status {
    EXPECT_OK(store().CreateUser(MakeUser("1002", "b@example.com")));
    throw std::runtime_error("bug");
  }),
               std::runtime_error);
  EXPECT_EQ(CodeOf(store().GetUser("1002")), Errc::kNotFound);

  // A failed write inside a transaction undoes only itself; nested transactions join.
  ASSERT_OK(store().Transaction([&]() -> Status {
    if (Status st = store().CreateUser(MakeUser("1003", "c@example.com")); !st) return st;
    EXPECT_EQ(CodeOf(store().CreateUser(MakeUser("1004", "c@example.com"))), Errc::kAlreadyExists);
    return store().Transaction([&] { return store().CreateAccount(PersonalAccount("1003")); });
  }));
  EXPECT_EQ(VALUE(store().GetUser("1003")).email, "c@example.com");
  EXPECT_OK(store().GetAccount("1003"));
  EXPECT_EQ(CodeOf(store().GetUser("1004")), Errc::kNotFound);
  EXPECT_EQ(VALUE(store().CountUsers()), 1);
}

TEST_P(StoreContract, AuthEpochMovesOnAuthorizationWritesOnly) {
  SeedTenancy();
  ASSERT_OK(store().CreateToken(MakeToken("4001", HashOf(1), "1001")));
  ASSERT_OK(store().SetWorkspaceRole("3002", "1002", domain::WorkspaceRole::kMember));
  struct Case {
    const char* name;
    std::function<Status()> write;
    bool bumps;
  };
  Token updated = MakeToken("4001", HashOf(1), "1001");
  updated.grant.workspace_permissions = {"chat"};
  const std::vector<Case> cases = {
      {"CreateBot", [&] { return store().CreateBot(MakeBot("5001", "3001", true, 1)); }, false},
      {"UpdateBot", [&] { return store().UpdateBot(MakeBot("5001", "3001", false, 2)); }, true},
      {"CreateConversation",
       [&] { return store().CreateConversation(MakeConversation("6001", "1001", "5001", "", 1)); },
       false},
      {"TouchTokens",
       [&] {
         return store().TouchTokens({{"4001", 1'700'001'000}});
       },
       false},
      {"CreateUser", [&] { return store().CreateUser(MakeUser("1005", "e@example.com")); }, false},
      {"SetWorkspaceRole",
       [&] { return store().SetWorkspaceRole("3002", "1001", domain::WorkspaceRole::kAdmin); },
       true},
      {"RemoveWorkspaceMember", [&] { return store().RemoveWorkspaceMember("3002", "1002"); },
       true},
      {"SetOrgRole", [&] { return store().SetOrgRole("2001", "1002", domain::OrgRole::kGuest); },
       true},
      {"RemoveOrgMember", [&] { return store().RemoveOrgMember("2001", "1002"); }, true},
      {"SetEnterpriseRole",
       [&] { return store().SetEnterpriseRole("ent_1", "1002", domain::OrgRole::kMember); }, true},
      {"RemoveEnterpriseMember", [&] { return store().RemoveEnterpriseMember("ent_1", "1002"); },
       true},
      {"UpdateEnterpriseEdition",
       [&] { return store().UpdateEnterpriseEdition("ent_1", domain::Edition::kEnterprise); },
       true},
      {"CreateWorkspace",
       [&] { return store().CreateWorkspace(MakeWorkspace("3009", "2001", "1001", 5)); }, true},
      {"UpdateToken", [&] { return store().UpdateToken(updated); }, true},
      {"RevokeToken", [&] { return store().RevokeToken("4001", 1'700'002'000); }, true},
  };
  for (const auto& c : cases) {
    const int64_t before = VALUE(store().AuthEpoch());
    ASSERT_OK(c.write());
    const int64_t after = VALUE(store().AuthEpoch());
    if (c.bumps) {
      EXPECT_GT(after, before) << c.name;
    } else {
      EXPECT_EQ(after, before) << c.name;
    }
  }

  // A bumping write that fails, or a transaction that rolls back, leaves the epoch alone.
  const int64_t before = VALUE(store().AuthEpoch());
  EXPECT_EQ(CodeOf(store().RevokeToken("4999", 1)), Errc::kNotFound);
  EXPECT_FALSE(store()
                   .Transaction([&]() -> Status {
                     EXPECT_OK(
                         store().SetWorkspaceRole("3001", "1002", domain::WorkspaceRole::kMember));
                     // Inside the transaction, the epoch already reflects its own write.
                     EXPECT_GT(VALUE(store().AuthEpoch()), before);
                     return Error::Make(Errc::kInternal, "roll back");
                   })
                   .has_value());
  EXPECT_EQ(VALUE(store().AuthEpoch()), before);
}

TEST_P(StoreContract, TokensRoundTripEveryField) {
  SeedTenancy();
  Token full;
  full.id = "4001";
  full.kind = TokenKind::kSat;
  full.name = "deploy bot";
  full.token_hash = HashOf(1);
  full.user_id = "1001";
  full.context = {credentials::ContextKind::kEnterprise, "2001", "ent_1"};
  full.grant.account_permissions = {"Account.readMember", "createWorkspace"};
  full.grant.workspace_permissions = {"chat", "listBot", "Bot.publish"};
  full.grant.enterprise_permissions = {"Enterprise.listOrganization"};
  full.grant.all_workspaces = true;
  full.grant.workspace_ids = {"3001", "3002"};
  full.session_name = "session-7";
  full.created_at = 1'700'000'300;
  full.updated_at = 1'700'000'301;
  full.expires_at = 1'702'592'300;
  full.revoked_at = 0;
  full.last_used_at = 1'700'000'302;
  ASSERT_OK(store().CreateToken(full));
  // Defaults: empty lists, permanent, never used.
  Token bare = MakeToken("4002", HashOf(2), "1001");
  bare.grant = {};
  bare.kind = TokenKind::kPat;
  ASSERT_OK(store().CreateToken(bare));
  Token other_user = MakeToken("4003", HashOf(3), "1002");
  ASSERT_OK(store().CreateToken(other_user));

  EXPECT_EQ(Fields(VALUE(store().FindTokenByHash(HashOf(1)))), Fields(full));
  EXPECT_EQ(Fields(VALUE(store().GetToken("4001"))), Fields(full));
  EXPECT_EQ(Fields(VALUE(store().FindTokenByHash(HashOf(2)))), Fields(bare));

  EXPECT_EQ(Ids(VALUE(store().ListTokensOfUser("1001", TokenKind::kSat))),
            (std::vector<std::string>{"4001"}));
  auto all = Ids(VALUE(store().ListTokensOfUser("1001", std::nullopt)));
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, (std::vector<std::string>{"4001", "4002"}));
  EXPECT_TRUE(VALUE(store().ListTokensOfUser("1001", TokenKind::kOboAccess)).empty());

  // UpdateToken changes name, grant and expiry; RevokeToken keeps the first revocation time.
  Token changed = full;
  changed.name = "renamed";
  changed.grant.all_workspaces = false;
  changed.grant.workspace_ids = {"3002"};
  changed.grant.account_permissions = {};
  changed.expires_at = -1;
  changed.updated_at = 1'700'000'400;
  ASSERT_OK(store().UpdateToken(changed));
  EXPECT_EQ(Fields(VALUE(store().GetToken("4001"))), Fields(changed));
  ASSERT_OK(store().RevokeToken("4001", 1'700'000'500));
  ASSERT_OK(store().RevokeToken("4001", 1'700'000'600));
  EXPECT_EQ(VALUE(store().GetToken("4001")).revoked_at, 1'700'000'500);
}

TEST_P(StoreContract, TouchTokensKeepsTheLatestUse) {
  ASSERT_OK(store().CreateToken(MakeToken("4001", HashOf(1), "1001")));
  ASSERT_OK(store().CreateToken(MakeToken("4002", HashOf(2), "1001")));
  EXPECT_EQ(VALUE(store().GetToken("4001")).last_used_at, -1);
  ASSERT_OK(store().TouchTokens({{"4001", 1'700'000'500},
                                 {"4002", 1'700'000'600},
                                 {"4999", 1'700'000'700}}));  // unknown ids are skipped
  EXPECT_EQ(VALUE(store().GetToken("4001")).last_used_at, 1'700'000'500);
  EXPECT_EQ(VALUE(store().GetToken("4002")).last_used_at, 1'700'000'600);
  // An older report (a batch that arrived late) never moves it back.
  ASSERT_OK(store().TouchTokens({{"4001", 1'700'000'400}, {"4002", 1'700'000'650}}));
  EXPECT_EQ(VALUE(store().GetToken("4001")).last_used_at, 1'700'000'500);
  EXPECT_EQ(VALUE(store().GetToken("4002")).last_used_at, 1'700'000'650);
  ASSERT_OK(store().TouchTokens({}));
}

TEST_P(StoreContract, ConcurrentReadersAndWritersAllSucceed) {
  SeedTenancy();
  ASSERT_OK(store().CreateBot(MakeBot("5000", "3001", true, 1)));
  constexpr int kThreads = 4;
  constexpr int kRounds = 25;  // 8 store calls each: 200 per thread
  std::atomic<int> failures{0};
  std::mutex first_failure_mu;
  std::string first_failure;
  auto check = [&](bool ok, const std::string& what) {
    if (ok) return;
    if (failures.fetch_add(1) == 0) {
      std::lock_guard lock(first_failure_mu);
      first_failure = what;
    }
  };
  auto status_text = [](const auto& r) { return r.has_value() ? "" : r.error().message; };

  std::latch start(kThreads);  // maximize overlap: all threads begin together
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      int64_t last_epoch = 0;
      for (int i = 0; i < kRounds; ++i) {
        const std::string n = std::to_string(t * 1000 + i);
        const std::string user_id = "2" + n;
        auto created = store().CreateUser(MakeUser(user_id, "u" + n + "@example.com"));
        check(created.has_value(), "CreateUser: " + status_text(created));
        auto token = store().CreateToken(MakeToken("4" + n, HashOf(t * 1000 + i), user_id));
        check(token.has_value(), "CreateToken: " + status_text(token));
        auto found = store().FindTokenByHash(HashOf(t * 1000 + i));
        check(found.has_value() && found->user_id == user_id,
              "FindTokenByHash: " + status_text(found));
        auto bot = store().GetBot("5000");
        check(bot.has_value(), "GetBot: " + status_text(bot));
        auto listed = store().ListBots("3001", std::nullopt, Page{1, 5});
        check(listed.has_value() && listed->total >= 1, "ListBots: " + status_text(listed));
        auto txn = store().Transaction([&]() -> Status {
          if (Status st = store().SetWorkspaceRole("3001", user_id, domain::WorkspaceRole::kMember);
              !st) {
            return st;
          }
          auto role = store().GetWorkspaceRole("3001", user_id);
          if (!role) return role.error();
          if (*role != domain::WorkspaceRole::kMember) {
            return Error::Make(Errc::kInternal, "own write not visible");
          }
          return {};
        });
        check(txn.has_value(), "Transaction: " + status_text(txn));
        auto revoked = store().RevokeToken("4" + n, 1'700'000'000 + i);
        check(revoked.has_value(), "RevokeToken: " + status_text(revoked));
        auto epoch = store().AuthEpoch();
        check(epoch.has_value() && *epoch > last_epoch, "AuthEpoch: " + status_text(epoch));
        if (epoch) last_epoch = *epoch;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0) << first_failure;
  EXPECT_EQ(VALUE(store().CountUsers()), 2 + kThreads * kRounds);
  EXPECT_EQ(VALUE(store().ListWorkspaceMembers("3001")).size(),
            static_cast<size_t>(kThreads * kRounds));
  EXPECT_TRUE(VALUE(store().FindTokenByHash(HashOf(1000 + kRounds - 1))).Revoked());
}

TEST(SqliteMemory, EachOpenIsAFreshDatabase) {
  auto first = OpenStore("sqlite::memory:");
  auto second = OpenStore("sqlite::memory:");
  ASSERT_TRUE(first.has_value() && second.has_value());
  ASSERT_OK((*first)->CreateUser(MakeUser("1001", "a@example.com")));
  EXPECT_OK((*first)->GetUser("1001"));
  EXPECT_EQ(CodeOf((*second)->GetUser("1001")), Errc::kNotFound);
}

TEST(SqliteClock, JoinTimesComeFromTheInjectedClock) {
  FakeClock clock(1'750'000'000);
  auto opened = sqlite::SqliteStore::Open(":memory:", clock);
  ASSERT_TRUE(opened.has_value()) << opened.error().message;
  Store& store = **opened;
  ASSERT_OK(store.CreateUser(MakeUser("1001", "a@example.com")));
  ASSERT_OK(store.CreateAccount(PersonalAccount("1001")));
  ASSERT_OK(store.CreateWorkspace(MakeWorkspace("3001", "1001", "1001", 1)));
  ASSERT_OK(store.SetWorkspaceRole("3001", "1001", domain::WorkspaceRole::kMember));
  clock.Advance(3600);
  ASSERT_OK(store.SetWorkspaceRole("3001", "1001", domain::WorkspaceRole::kAdmin));
  auto members = VALUE(store.ListWorkspaceMembers("3001"));
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].role, "admin");
  EXPECT_EQ(members[0].joined_at, 1'750'000'000);  // re-setting a role keeps the join time
}

TEST(SqliteFile, ReopenFindsDataAndAppliesTheSchemaOnce) {
  const TempDbPath db("reopen");
  const std::string path = db.path();
  ASSERT_FALSE(std::filesystem::exists(db.dir()));
  {
    auto opened = OpenStore("sqlite:" + path);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    ASSERT_OK((*opened)->CreateUser(MakeUser("1001", "a@example.com")));
    ASSERT_OK((*opened)->CreateToken(MakeToken("4001", HashOf(1), "1001")));
  }
  for (int reopen = 0; reopen < 2; ++reopen) {
    auto opened = OpenStore("sqlite:" + path);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    EXPECT_EQ(VALUE((*opened)->GetUser("1001")).email, "a@example.com");
    EXPECT_EQ(VALUE((*opened)->FindTokenByHash(HashOf(1))).id, "4001");
  }

  // One schema_version row per version: reopening applied nothing twice.
  auto conn = sqlite::Connection::Open(path, /*uri=*/false);
  ASSERT_TRUE(conn.has_value()) << conn.error().message;
  static constexpr char kVersions[] = "SELECT COUNT(*), MAX(version) FROM schema_version";
  auto st = (*conn)->Prepare(kVersions, "read versions");
  ASSERT_TRUE(st.has_value()) << st.error().message;
  ASSERT_TRUE(VALUE(st->Step()));
  EXPECT_EQ(st->Int(0), sqlite::LatestSchemaVersion());
  EXPECT_EQ(st->Int(1), sqlite::LatestSchemaVersion());
}

TEST(SqliteFile, SecondStoreSeesWritesAndEpochOfTheFirst) {
  // The server and the admin CLI are two processes on one file; two stores model them.
  const TempDbPath db("two_stores");
  const std::string path = db.path();
  auto server = OpenStore("sqlite:" + path);
  ASSERT_TRUE(server.has_value()) << server.error().message;
  auto cli = OpenStore("sqlite:" + path);
  ASSERT_TRUE(cli.has_value()) << cli.error().message;

  ASSERT_OK((*cli)->CreateUser(MakeUser("1001", "a@example.com")));
  ASSERT_OK((*cli)->CreateToken(MakeToken("4001", HashOf(1), "1001")));
  EXPECT_FALSE(VALUE((*server)->FindTokenByHash(HashOf(1))).Revoked());

  const int64_t before = VALUE((*server)->AuthEpoch());
  EXPECT_EQ(VALUE((*server)->AuthEpoch()), before);  // cached: nothing changed
  ASSERT_OK((*cli)->RevokeToken("4001", 1'700'000'000));
  const int64_t after = VALUE((*server)->AuthEpoch());
  EXPECT_GT(after, before);
  EXPECT_EQ(after, VALUE((*cli)->AuthEpoch()));
  EXPECT_TRUE(VALUE((*server)->FindTokenByHash(HashOf(1))).Revoked());

  // A write that does not bump leaves the other store's epoch where it was.
  ASSERT_OK((*cli)->TouchTokens({{"4001", 1'700'000'100}}));
  EXPECT_EQ(VALUE((*server)->AuthEpoch()), after);
}

TEST(SqliteFile, OpenReportsAnUnusablePath) {
  // The parent "directory" is a regular file, so it cannot be created.
  const TempDbPath db("unusable");
  std::filesystem::create_directories(db.dir());
  const std::string blocker = (db.dir() / "file").string();
  { std::ofstream(blocker) << "x"; }
  auto opened = OpenStore("sqlite:" + blocker + "/store.db");
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code, Errc::kInternal);
}

}  // namespace
}  // namespace store
}  // namespace cozeauth
