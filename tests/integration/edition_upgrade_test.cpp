// Issue 4 item 3: upgrading an enterprise from the team edition to the enterprise edition
// (Coze: 企业标准版 → 企业旗舰版, "无需迁移工作空间 / 无需迁移资源", coze-platform.md §6.4)
// changes no authorization decision. A deterministically seeded population on one server — an
// enterprise of edition `team` with a member of every role and an outsider, workspaces in its
// default organization and in the users' personal accounts (some with members from elsewhere),
// a published bot in each, conversations in each account, PATs of every user in both contexts
// with random subsets of the points and `all` or listed workspaces, SATs of the organization,
// AppAuth (JWT) tokens of the personal account, the organization and the whole enterprise, and
// a revoked PAT — asks every credential × every bot (GET /v1/bots/{id}), × every conversation
// (GET /v1/conversation/retrieve) and the workspace listing (GET /v1/workspaces). The OpenAPI
// has no enterprise-level route (docs/api.md), so there is no enterprise call to add. Every
// outcome is recorded, the enterprise is upgraded with `cozeauth admin enterprise upgrade`, and
// the replay must match exactly; the population must exercise both allow and deny.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/openapi_expect.hpp"
#include "support/rsa_jwt.hpp"
#include "support/scenario.hpp"
#include "support/test_server.hpp"

namespace cozeauth::it {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;

constexpr uint32_t kSeed = 20'250'604;

struct Credential {
  std::string label;
  std::string token;
};

struct Probe {
  std::string label;
  std::string target;
  bool listing = false;  // GET /v1/workspaces: the listed workspaces are part of the outcome
};

struct WorkspaceInfo {
  std::string id;
  std::string account_id;
  std::string owner;
  std::set<std::string> members;  // user ids with a role, the owner included
  std::string bot;
};

using Outcomes = std::map<std::string, std::string>;  // "credential × probe" → outcome

class EditionUpgrade : public ::testing::Test {
 protected:
  EditionUpgrade() : scenario_(server_), http_(server_.Http()), rng_(kSeed) {}

  bool Coin() { return (rng_() & 1u) != 0; }
  // A random subset (each element with probability 1/2), order kept.
  std::vector<std::string> Subset(const std::vector<std::string>& all) {
    std::vector<std::string> out;
    for (const auto& p : all) {
      if (Coin()) out.push_back(p);
    }
    return out;
  }

  // A PAT of `user` in `account` with random points and, half of the time, a random list of
  // the account's workspaces the user may name (members; any workspace for an org admin).
  PatSpec RandomPat(const std::string& user, const std::string& account, bool org_admin,
                    const std::string& name) {
    PatSpec spec;
    spec.account_id = account == user ? "" : account;
    spec.name = name;
    spec.account_permissions = Subset(AllAccountPoints());
    spec.workspace_permissions = Subset(AllWorkspacePoints());
    if (spec.account_permissions.empty() && spec.workspace_permissions.empty()) {
      spec.account_permissions = {"listWorkspace"};
    }
    std::vector<std::string> nameable;
    for (const auto& w : workspaces_) {
      if (w.account_id == account && (org_admin || w.members.count(user))) nameable.push_back(w.id);
    }
    std::vector<std::string> listed = Coin() ? Subset(nameable) : std::vector<std::string>{};
    spec.workspaces = listed.empty() ? "all" : JoinPoints(listed);
    return spec;
  }

  void AddCredential(const std::string& label, const std::string& token) {
    credentials_.push_back({label, token});
  }

  std::string JwtToken(const std::string& path, const std::string& kid, const std::string& app) {
    const std::string aud = "127.0.0.1:" + std::to_string(server_.port());
    auto res = http_.PostJson(path, {{"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"}},
                              Bearer(signer_.Sign(kid, app, aud)));
    if (res.status != 200) throw std::runtime_error("JWT token at " + path + ": " + res.Describe());
    return std::string(res.Json().at("access_token").as_string());
  }

  // Waits until the server has applied every write the CLI made so far. The authenticator
  // drops its whole cache when its poll (every 200 ms) sees the store's auth epoch move, and the
  // epoch only grows; so once the revocation of a sentinel PAT that the server had cached shows
  // (4100), every earlier write shows too. (A fixed sleep of a few poll intervals would do on an
  // idle machine; the sentinel also holds on a loaded one, and takes ~200 ms.)
  void Settle(const std::string& user) {
    TokenInfo sentinel = scenario_.CreatePat(user, {.name = "sentinel"});
    auto me = [&] { return http_.Get("/v1/users/me", Bearer(sentinel.token)); };
    ASSERT_TRUE(IsOk(me()));  // now cached
    scenario_.RevokeToken(sentinel.id);
    auto polled = PollForCode(me, 4100, 30'000ms);  // the event; the deadline bounds a failure
    ASSERT_TRUE(polled.reached) << "the server never saw the CLI's writes: "
                                << polled.last.Describe();
  }

  // Every credential × every probe → "code" (plus the listed workspaces for the listing).
  Outcomes Run() {
    Outcomes out;
    for (const auto& c : credentials_) {
      for (const auto& p : probes_) {
        auto res = http_.Get(p.target, Bearer(c.token));
        std::string outcome =
            "HTTP " + std::to_string(res.status) + " code " + std::to_string(CodeOf(res));
        if (p.listing && CodeOf(res) == 0) {
          outcome += " " + json::serialize(Path(res.Json(), "data"));
        }
        out[c.label + " × " + p.label] = outcome;
      }
    }
    return out;
  }

  TestServer server_;
  Scenario scenario_;
  HttpClient http_;
  RsaJwtSigner signer_;
  std::mt19937 rng_;
  std::vector<WorkspaceInfo> workspaces_;
  std::vector<Credential> credentials_;
  std::vector<Probe> probes_;
};

TEST_F(EditionUpgrade, TeamToEnterpriseChangesNoDecision) {
  const auto started = std::chrono::steady_clock::now();

  // --- people: an enterprise of the team edition with every role, and an outsider
  UserInfo super_admin = scenario_.CreateUser("super");
  UserInfo admin = scenario_.CreateUser("admin");
  UserInfo member = scenario_.CreateUser("member");
  UserInfo guest = scenario_.CreateUser("guest");
  UserInfo outsider = scenario_.CreateUser("outsider");
  EnterpriseInfo ent = scenario_.CreateEnterprise("Upgrade Co", super_admin.id, "team");
  const std::string org = ent.default_org_account_id;
  for (const auto& [u, role] : std::vector<std::pair<UserInfo, std::string>>{
           {admin, "admin"}, {member, "member"}, {guest, "guest"}}) {
    scenario_.cli().Must(
        {"enterprise", "add-member", "--enterprise", ent.id, "--user", u.id, "--role", role});
  }
  struct Person {
    UserInfo user;
    bool in_enterprise;
    bool org_admin;
  };
  const std::vector<Person> people = {{super_admin, true, true},
                                      {admin, true, true},
                                      {member, true, false},
                                      {guest, true, false},
                                      {outsider, false, false}};

  // --- workspaces, members and a published bot in each
  auto workspace = [&](const std::string& account, const UserInfo& owner,
                       const std::vector<UserInfo>& members) {
    WorkspaceInfo w;
    w.account_id = account;
    w.owner = owner.id;
    w.id = scenario_.CreateWorkspace(account, owner.id, "ws-" + std::to_string(workspaces_.size()));
    w.members.insert(owner.id);
    for (const auto& m : members) {
      scenario_.AddWorkspaceMember(w.id, m.id, Coin() ? "admin" : "member");
      w.members.insert(m.id);
    }
    w.bot = scenario_.CreateBot(w.id, "bot of " + w.id, "Hi:", /*publish=*/true);
    workspaces_.push_back(w);
  };
  workspace(org, super_admin, {admin, member});
  workspace(org, admin, {guest});
  workspace(org, member, {});
  for (const auto& p : people) {
    std::vector<UserInfo> guests;
    if (p.user.id == super_admin.id) guests = {member};
    if (p.user.id == outsider.id) guests = {guest};
    workspace(p.user.id, p.user, guests);
  }

  // --- tokens: per user a full and a random PAT in each context they can act in
  std::map<std::string, TokenInfo> full;  // "user@account" → every point, all workspaces
  int n = 0;
  for (const auto& p : people) {
    std::vector<std::string> accounts{p.user.id};
    if (p.in_enterprise) accounts.push_back(org);
    for (const auto& account : accounts) {
      const std::string where = account == org ? "org" : "personal";
      const std::string label = p.user.name.substr(0, p.user.name.find('-')) + "/" + where;
      PatSpec all;
      all.account_id = account == p.user.id ? "" : account;
      all.name = "full";
      TokenInfo t = scenario_.CreatePat(p.user.id, all);
      full[p.user.id + "@" + account] = t;
      AddCredential("pat " + label + " full", t.token);
      for (int k = 0; k < 2; ++k) {
        PatSpec spec = RandomPat(p.user.id, account, p.org_admin && account == org,
                                 "random-" + std::to_string(++n));
        AddCredential("pat " + label + " random " + std::to_string(k) + " [" +
                          JoinPoints(spec.account_permissions) + " | " +
                          JoinPoints(spec.workspace_permissions) + " @ " + spec.workspaces + "]",
                      scenario_.CreatePat(p.user.id, spec).token);
      }
    }
  }
  // Service tokens of the organization, made by its administrators.
  for (const auto& p : people) {
    if (!p.org_admin) continue;
    for (int k = 0; k < 2; ++k) {
      PatSpec spec = RandomPat(p.user.id, org, /*org_admin=*/true, "sat");
      if (k == 0) {
        spec.account_permissions = AllAccountPoints();
        spec.workspace_permissions = AllWorkspacePoints();
        spec.workspaces = "all";
      }
      std::vector<std::string> args{"sat",          "create",
                                    "--user",       p.user.id,
                                    "--account",    org,
                                    "--name",       "sat-" + std::to_string(k),
                                    "--workspaces", spec.workspaces};
      if (!spec.account_permissions.empty()) {
        args.insert(args.end(), {"--account-permissions", JoinPoints(spec.account_permissions)});
      }
      if (!spec.workspace_permissions.empty()) {
        args.insert(args.end(),
                    {"--workspace-permissions", JoinPoints(spec.workspace_permissions)});
      }
      auto sat = scenario_.cli().Must(args);
      AddCredential("sat of " + p.user.name.substr(0, p.user.name.find('-')) + " #" +
                        std::to_string(k) + " [" + spec.workspaces + "]",
                    sat.Str("token"));
    }
  }
  // A revoked PAT (4100 before and after).
  TokenInfo revoked = scenario_.CreatePat(member.id, {.name = "revoked"});
  scenario_.RevokeToken(revoked.id);
  AddCredential("pat member/personal revoked", revoked.token);

  // AppAuth (JWT) of one service app: in the super_admin's personal account, in the
  // organization, and enterprise-wide.
  AppInfo app = scenario_.CreateApp({.owner = super_admin.id, .client_type = "service"});
  const std::string kid = scenario_.AddAppKey(app.id, signer_.public_pem());
  scenario_.AuthorizeApp(app.id, super_admin.id, super_admin.id, "app");
  scenario_.AuthorizeApp(app.id, super_admin.id, org, "app",
                         {.workspaces = workspaces_[0].id + "," + workspaces_[1].id});
  scenario_.AuthorizeApp(app.id, super_admin.id, ent.id, "app",
                         {.workspace_permissions = std::vector<std::string>{"getMetadata"}});
  const std::string base = "/api/permission/oauth2/";
  AddCredential("jwt personal",
                JwtToken(base + "account/" + super_admin.id + "/token", kid, app.id));
  AddCredential("jwt org (2 workspaces)",
                JwtToken(base + "account/" + org + "/token", kid, app.id));
  AddCredential("jwt enterprise (getMetadata)",
                JwtToken(base + "enterprise_id/" + ent.id + "/token", kid, app.id));

  // --- conversations: each workspace's owner talks to its bot from the workspace's account
  Settle(super_admin.id);
  if (HasFatalFailure()) return;
  std::vector<std::string> conversations;
  for (const auto& w : workspaces_) {
    const TokenInfo& t = full.at(w.owner + "@" + w.account_id);
    conversations.push_back(
        Str(OkBody(http_.PostJson("/v1/conversation/create", json::object{{"bot_id", w.bot}},
                                  Bearer(t.token))),
            "data.id"));
  }

  // --- probes
  for (size_t i = 0; i < workspaces_.size(); ++i) {
    probes_.push_back({"bot " + std::to_string(i), "/v1/bots/" + workspaces_[i].bot});
  }
  for (size_t i = 0; i < conversations.size(); ++i) {
    probes_.push_back({"conversation " + std::to_string(i),
                       "/v1/conversation/retrieve?conversation_id=" + conversations[i]});
  }
  probes_.push_back({"workspaces", "/v1/workspaces?page_num=1&page_size=50", true});

  // --- before
  const Outcomes before = Run();
  std::map<std::string, int> allowed, denied;  // by probe kind
  for (const auto& [key, outcome] : before) {
    const std::string kind =
        key.substr(key.find(" × ") + 4, key.find(' ', key.find(" × ") + 4) - key.find(" × ") - 4);
    (outcome.find(" code 0") != std::string::npos ? allowed : denied)[kind]++;
  }
  int allow_total = 0, deny_total = 0;
  for (const auto& [k, v] : allowed) allow_total += v;
  for (const auto& [k, v] : denied) deny_total += v;
  std::ostringstream census;
  for (const auto& [k, v] : allowed)
    census << k << ": " << v << " allowed, " << denied[k] << " denied; ";
  // Not vacuous: both answers, for each kind of request.
  EXPECT_GE(allow_total, 60) << census.str();
  EXPECT_GE(deny_total, 100) << census.str();
  for (const std::string kind : {"bot", "conversation", "workspaces"}) {
    EXPECT_GE(allowed[kind], 5) << kind << ": " << census.str();
    EXPECT_GE(denied[kind], 3) << kind << ": " << census.str();
  }
  int code_4101 = 0, code_4100 = 0;
  for (const auto& [key, outcome] : before) {
    code_4101 += outcome.find(" code 4101") != std::string::npos;
    code_4100 += outcome.find(" code 4100") != std::string::npos;
  }
  EXPECT_GE(code_4101, 50) << census.str();
  EXPECT_GE(code_4100, static_cast<int>(probes_.size())) << "the revoked PAT";

  // --- the upgrade, seen by the server
  auto upgraded = scenario_.cli().Must({"enterprise", "upgrade", "--enterprise", ent.id});
  ASSERT_EQ(upgraded.json.at("edition").as_string(), "enterprise") << upgraded.Describe();
  Settle(super_admin.id);
  if (HasFatalFailure()) return;

  // --- after: identical
  const Outcomes after = Run();
  ASSERT_EQ(after.size(), before.size());
  std::ostringstream diff;
  int mismatches = 0;
  for (const auto& [key, outcome] : before) {
    const std::string& now = after.at(key);
    if (now != outcome) {
      ++mismatches;
      diff << "  " << key << "\n    before: " << outcome << "\n    after:  " << now << "\n";
    }
  }
  EXPECT_EQ(mismatches, 0) << mismatches << " of " << before.size()
                           << " outcomes changed with the upgrade:\n"
                           << diff.str();

  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  RecordProperty("outcomes", static_cast<int>(before.size()));
  RecordProperty("elapsed_ms", static_cast<int>(elapsed.count()));
  std::printf("%zu credentials × %zu requests = %zu outcomes (%s) in %lld ms\n",
              credentials_.size(), probes_.size(), before.size(), census.str().c_str(),
              static_cast<long long>(elapsed.count()));
}

}  // namespace
}  // namespace cozeauth::it
