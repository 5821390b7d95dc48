#pragma once
// Sample rows for the storage contract suites of the tenancy, content, credential, session and
// unit-of-work interfaces (and sqlite/sqlite_store_test.cpp): users, accounts, enterprises,
// workspaces, bots, conversations, messages, chats, files and tokens; Fields() (every stored
// field, for whole-row comparisons), Ids(), SeedTenancy() and TenancySeededContractTest, the
// fixture of suites whose tests start from it. Test-only.

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "credentials/token.hpp"
#include "domain/model.hpp"
#include "store/contract_test_support.hpp"
#include "store/session_store.hpp"
#include "store/store.hpp"

namespace cozeauth::store::contract {

inline auto Fields(const domain::User& u) {
  return std::tie(u.id, u.name, u.email, u.password_hash, u.created_at);
}
inline auto Fields(const domain::Account& a) {
  return std::tie(a.id, a.kind, a.name, a.user_id, a.enterprise_id, a.is_default, a.created_at);
}
inline auto Fields(const domain::Enterprise& e) {
  return std::tie(e.id, e.name, e.edition, e.owner_user_id, e.default_org_account_id, e.created_at);
}
inline auto Fields(const domain::Workspace& w) {
  return std::tie(w.id, w.name, w.description, w.owner_account_id, w.owner_user_id, w.type,
                  w.created_at, w.legacy_account_id);
}
inline auto Fields(const domain::Bot& b) {
  return std::tie(b.id, b.workspace_id, b.name, b.description, b.icon_url, b.prompt, b.prologue,
                  b.owner_user_id, b.is_published, b.published_at, b.connector_ids, b.created_at,
                  b.updated_at);
}
inline auto Fields(const domain::Conversation& c) {
  return std::tie(c.id, c.owner_account_id, c.session_name, c.bot_id, c.name, c.meta_data_json,
                  c.creator_id, c.connector_id, c.last_section_id, c.created_at, c.updated_at);
}
inline auto Fields(const domain::Message& m) {
  return std::tie(m.id, m.conversation_id, m.bot_id, m.chat_id, m.section_id, m.role, m.type,
                  m.content, m.content_type, m.meta_data_json, m.created_at, m.updated_at);
}
inline auto Fields(const domain::Chat& c) {
  return std::tie(c.id, c.conversation_id, c.bot_id, c.owner_account_id, c.section_id, c.status,
                  c.meta_data_json, c.created_at, c.completed_at, c.input_count, c.output_count);
}
inline auto Fields(const domain::File& f) {
  return std::tie(f.id, f.owner_account_id, f.file_name, f.bytes, f.sha256_hex, f.created_at);
}
inline auto Fields(const Session& s) {
  return std::tie(s.id, s.session_hash, s.csrf_token, s.user_id, s.created_at, s.expires_at);
}
inline auto Fields(const credentials::Token& t) {
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

inline domain::User MakeUser(const std::string& id, const std::string& email) {
  return domain::User{id, "user " + id, email, "$argon2id$fake", 1'700'000'000};
}

inline domain::Account PersonalAccount(const std::string& user_id) {
  domain::Account a;
  a.id = user_id;  // a personal account's id is its user's id
  a.kind = domain::AccountKind::kPersonal;
  a.name = "personal " + user_id;
  a.user_id = user_id;
  a.created_at = 1'700'000'001;
  return a;
}

inline domain::Account Organization(const std::string& id, const std::string& enterprise_id,
                                    int64_t created_at = 1'700'000'002) {
  domain::Account a;
  a.id = id;
  a.kind = domain::AccountKind::kOrganization;
  a.name = "org " + id;
  a.enterprise_id = enterprise_id;
  a.created_at = created_at;
  return a;
}

inline domain::Enterprise MakeEnterprise(const std::string& id, const std::string& owner,
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

inline domain::Workspace MakeWorkspace(const std::string& id, const std::string& owner_account,
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

inline domain::Bot MakeBot(const std::string& id, const std::string& workspace_id, bool published,
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

inline domain::Conversation MakeConversation(const std::string& id, const std::string& account,
                                             const std::string& bot,
                                             const std::string& session_name, int64_t created_at) {
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

inline domain::Message MakeMessage(const std::string& id, const std::string& conversation,
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

inline domain::Chat MakeChat(const std::string& id, const std::string& conversation) {
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

inline credentials::Token MakeToken(const std::string& id, const std::string& hash,
                                    const std::string& user_id) {
  credentials::Token t;
  t.id = id;
  t.kind = credentials::TokenKind::kPat;
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

inline std::string HashOf(int n) { return std::string(60, 'a') + std::to_string(1000 + n); }

// User 1001 with its personal account; user 1002 with none; enterprise ent_1 with default
// organization 2001; workspace 3001 owned by the personal account, 3002 by the organization.
inline void SeedTenancy(Store& store) {
  ASSERT_OK(store.CreateUser(MakeUser("1001", "alice@example.com")));
  ASSERT_OK(store.CreateUser(MakeUser("1002", "bob@example.com")));
  ASSERT_OK(store.CreateAccount(PersonalAccount("1001")));
  ASSERT_OK(store.CreateEnterprise(MakeEnterprise("ent_1", "1001", "2001")));
  domain::Account org = Organization("2001", "ent_1");
  org.is_default = true;
  ASSERT_OK(store.CreateAccount(org));
  ASSERT_OK(store.CreateWorkspace(MakeWorkspace("3001", "1001", "1001", 1'700'000'010)));
  ASSERT_OK(store.CreateWorkspace(MakeWorkspace("3002", "2001", "1001", 1'700'000'011)));
}

// A suite of `Interface` whose tests may start from SeedTenancy().
template <typename Interface>
class TenancySeededContractTest : public AggregateContractTest<Interface> {
 protected:
  void SeedTenancy() { contract::SeedTenancy(this->backend()); }
};

}  // namespace cozeauth::store::contract
