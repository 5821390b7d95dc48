// Randomized property test of the authorization decision (architecture.md §5). Generates
// worlds — users, personal accounts, enterprises with organizations, live roles, workspaces with
// bots, workspace migrations (cut and grant mode), account-level resources with JWT session
// names, credentials of every kind and context with random grants and cross-account grants —
// and asks Decide() about random (credential, permission point, target) triples. Each answer
// is checked two ways:
//
//   * against a reference model written here from the design (architecture.md §4–§5,
//     coze-platform.md §2, §5.5, §6.4, §7) over the world itself, not over the decision's input
//     structs and without calling any policy helper: full agreement on the code;
//   * against the tenancy invariant alone: an allow never reaches another tenant's workspace,
//     resource or enterprise, except through a grant-mode migration or a cross-account grant.
//
// Seeded: the seed is printed; COZEAUTH_PROPERTY_SEED reproduces a run and
// COZEAUTH_PROPERTY_DECISIONS changes the count (default 1,000,000).

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "policy/decision.hpp"

namespace cozeauth::policy {
namespace {

using credentials::ContextKind;
using credentials::TokenKind;
using domain::OrgRole;
using domain::WorkspaceRole;

// ---- Permission points, with their level as coze-platform.md §2.3 lists them ----------------

enum class RefLevel { kAccount, kWorkspace, kEnterprise };

struct RefPoint {
  const char* name;
  RefLevel level;
};

constexpr std::array kPoints = {
    RefPoint{"createConversation", RefLevel::kAccount},
    RefPoint{"retrieveConversation", RefLevel::kAccount},
    RefPoint{"listConversation", RefLevel::kAccount},
    RefPoint{"editConversation", RefLevel::kAccount},
    RefPoint{"createMessage", RefLevel::kAccount},
    RefPoint{"listMessage", RefLevel::kAccount},
    RefPoint{"cancelChat", RefLevel::kAccount},
    RefPoint{"getChat", RefLevel::kAccount},
    RefPoint{"uploadFile", RefLevel::kAccount},
    RefPoint{"retrieveFile", RefLevel::kAccount},
    RefPoint{"listWorkspace", RefLevel::kAccount},
    RefPoint{"createWorkspace", RefLevel::kAccount},
    RefPoint{"listVoice", RefLevel::kAccount},
    RefPoint{"Connector.botChat", RefLevel::kAccount},
    RefPoint{"chat", RefLevel::kWorkspace},
    RefPoint{"createBot", RefLevel::kWorkspace},
    RefPoint{"edit", RefLevel::kWorkspace},
    RefPoint{"publish", RefLevel::kWorkspace},
    RefPoint{"listBot", RefLevel::kWorkspace},
    RefPoint{"getMetadata", RefLevel::kWorkspace},
    RefPoint{"Workspace.update", RefLevel::kWorkspace},
    RefPoint{"readMember", RefLevel::kWorkspace},
    RefPoint{"addMember", RefLevel::kWorkspace},
    RefPoint{"run", RefLevel::kWorkspace},
    RefPoint{"getBenefit", RefLevel::kEnterprise},
    RefPoint{"Enterprise.batchAddPeople", RefLevel::kEnterprise},
    RefPoint{"Enterprise.listOrganization", RefLevel::kEnterprise},
};
// Requested points that name nothing in the catalogue: never granted.
constexpr std::array kUnknownPoints = {"noSuchPoint", "Bot.noSuchThing", "CHAT"};

const RefPoint* RefFind(std::string_view name) {
  for (const RefPoint& p : kPoints) {
    if (name == p.name) return &p;
  }
  return nullptr;
}

// ---- The world ---------------------------------------------------------------------------

constexpr int kNone = -1;

struct UserRec {
  std::string id;
  int personal_account = kNone;
  std::map<int, OrgRole> enterprise_roles;  // by enterprise index
  std::map<int, OrgRole> org_roles;         // by organization account index
};

struct AccountRec {
  std::string id;
  bool personal = true;
  int user = kNone;        // personal: its owner
  int enterprise = kNone;  // organization: its enterprise
};

struct EnterpriseRec {
  std::string id;
  std::vector<int> orgs;  // account indexes; orgs[0] is the default organization
};

struct WorkspaceRec {
  std::string id;
  int owner = kNone;                     // account index
  int legacy = kNone;                    // grant-mode migration: the personal account it came from
  std::map<int, WorkspaceRole> members;  // by user index
  std::vector<std::string> bots;
};

struct ResourceRec {  // an account-level resource (conversation, message, chat, file)
  std::string id;
  int owner = kNone;  // account index; never moves with a workspace
  std::string session;
};

struct CredentialRec {
  std::string id;
  TokenKind kind = TokenKind::kPat;
  CredentialState state = CredentialState::kActive;
  int user = kNone;  // PAT/OBO: the user; SAT/app: the creator, or none
  ContextKind context = ContextKind::kPersonal;
  int context_account = kNone;  // personal account, organization, or the default organization
  int context_enterprise = kNone;
  std::array<std::set<std::string>, 3> points;  // by RefLevel
  bool all_workspaces = false;
  std::set<int> workspaces;
  std::set<std::string> bots;
  std::string session;
  std::set<int> granted_accounts;  // personal accounts that granted it (coze-platform.md §7)
};

struct World {
  std::vector<UserRec> users;
  std::vector<AccountRec> accounts;
  std::vector<EnterpriseRec> enterprises;
  std::vector<WorkspaceRec> workspaces;
  std::vector<ResourceRec> resources;
  std::vector<CredentialRec> credentials;
};

class Gen {
 public:
  explicit Gen(uint64_t seed) : rng_(seed) {}
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  template <typename V>
  const auto& Pick(const V& v) {
    return v[static_cast<size_t>(Int(0, static_cast<int>(v.size()) - 1))];
  }
  OrgRole AnyOrgRole() {
    return Pick(
        std::array{OrgRole::kSuperAdmin, OrgRole::kAdmin, OrgRole::kMember, OrgRole::kGuest});
  }
  std::mt19937_64& rng() { return rng_; }

 private:
  std::mt19937_64 rng_;
};

bool IsAdminRole(OrgRole r) { return r == OrgRole::kSuperAdmin || r == OrgRole::kAdmin; }

World MakeWorld(Gen& g) {
  World w;
  int next_id = 1;
  auto id = [&](const char* prefix) { return prefix + std::to_string(next_id++); };

  const int n_users = g.Int(2, 6);
  for (int u = 0; u < n_users; ++u) {
    UserRec user;
    user.id = id("user");
    user.personal_account = static_cast<int>(w.accounts.size());
    // A personal account's id is its user's id (architecture.md §4).
    w.accounts.push_back({user.id, true, u, kNone});
    w.users.push_back(user);
  }
  const int n_enterprises = g.Int(1, 3);
  for (int e = 0; e < n_enterprises; ++e) {
    EnterpriseRec ent{id("ent_"), {}};
    const int n_orgs = g.Int(1, 3);  // the default organization and maybe more
    for (int o = 0; o < n_orgs; ++o) {
      ent.orgs.push_back(static_cast<int>(w.accounts.size()));
      w.accounts.push_back({id("org"), false, kNone, e});
    }
    w.enterprises.push_back(ent);
  }
  // Live roles: enterprise membership, and roles in some of its organizations.
  for (UserRec& u : w.users) {
    for (int e = 0; e < n_enterprises; ++e) {
      if (!g.Chance(0.6)) continue;
      u.enterprise_roles[e] = g.AnyOrgRole();
      for (int org : w.enterprises[e].orgs) {
        if (g.Chance(0.6)) u.org_roles[org] = g.AnyOrgRole();
      }
    }
  }
  // Workspaces of every account, with members and bots.
  for (int a = 0; a < static_cast<int>(w.accounts.size()); ++a) {
    const int n = g.Int(0, 3);
    for (int i = 0; i < n; ++i) {
      WorkspaceRec ws;
      ws.id = id("ws");
      ws.owner = a;
      if (w.accounts[a].personal && g.Chance(0.9))
        ws.members[w.accounts[a].user] = WorkspaceRole::kOwner;
      for (int u = 0; u < n_users; ++u) {
        if (!ws.members.contains(u) && g.Chance(0.3)) {
          ws.members[u] = g.Pick(
              std::array{WorkspaceRole::kOwner, WorkspaceRole::kAdmin, WorkspaceRole::kMember});
        }
      }
      const int bots = g.Int(0, 2);
      for (int b = 0; b < bots; ++b) ws.bots.push_back(id("bot"));
      w.workspaces.push_back(ws);
    }
  }
  // Account-level resources, some created by session-bound JWT tokens.
  for (int a = 0; a < static_cast<int>(w.accounts.size()); ++a) {
    const int n = g.Int(0, 3);
    for (int i = 0; i < n; ++i) {
      w.resources.push_back({id("res"), a, g.Pick(std::array{"", "", "s1", "s2"})});
    }
  }
  // Migrations: a personal workspace moves to an organization of an enterprise its owner
  // administers (coze-platform.md §6.4), in cut or grant mode. Its account-level resources stay.
  for (WorkspaceRec& ws : w.workspaces) {
    const AccountRec& owner = w.accounts[ws.owner];
    if (!owner.personal || !g.Chance(0.35)) continue;
    std::vector<int> targets;
    for (const auto& [e, role] : w.users[owner.user].enterprise_roles) {
      if (IsAdminRole(role))
        targets.insert(targets.end(), w.enterprises[e].orgs.begin(), w.enterprises[e].orgs.end());
    }
    if (targets.empty()) continue;
    const int from = ws.owner;
    ws.owner = g.Pick(targets);
    if (g.Chance(0.5)) ws.legacy = from;  // 一键授权: PAT and AppAuth keep reaching it
  }

  // Credentials.
  const int n_creds = g.Int(6, 16);
  for (int c = 0; c < n_creds; ++c) {
    CredentialRec cr;
    cr.id = id("tok");
    cr.kind = g.Pick(
        std::array{TokenKind::kPat, TokenKind::kSat, TokenKind::kOboAccess, TokenKind::kAppAccess});
    cr.state = g.Chance(0.9)
                   ? CredentialState::kActive
                   : g.Pick(std::array{CredentialState::kMissing, CredentialState::kUnknown,
                                       CredentialState::kExpired, CredentialState::kRevoked,
                                       CredentialState::kAppDisabled});
    const bool user_bound = cr.kind == TokenKind::kPat || cr.kind == TokenKind::kOboAccess;
    cr.user = user_bound || g.Chance(0.5) ? g.Int(0, n_users - 1) : kNone;
    switch (g.Int(0, 2)) {
      case 0:
        cr.context = ContextKind::kPersonal;
        cr.context_account = cr.user != kNone && g.Chance(0.8)
                                 ? w.users[cr.user].personal_account
                                 : w.users[g.Int(0, n_users - 1)].personal_account;
        break;
      case 1: {
        cr.context = ContextKind::kOrganization;
        cr.context_enterprise = g.Int(0, n_enterprises - 1);
        cr.context_account = g.Pick(w.enterprises[cr.context_enterprise].orgs);
        break;
      }
      default:
        cr.context = ContextKind::kEnterprise;
        cr.context_enterprise = g.Int(0, n_enterprises - 1);
        cr.context_account = w.enterprises[cr.context_enterprise].orgs[0];
        break;
    }
    for (const RefPoint& p : kPoints) {
      if (g.Chance(0.7)) cr.points[static_cast<int>(p.level)].insert(p.name);
    }
    // Sometimes a point sits in another level's list: it must not count there.
    if (g.Chance(0.2)) cr.points[g.Int(0, 2)].insert(g.Pick(kPoints).name);
    cr.all_workspaces = g.Chance(0.4);
    if (!cr.all_workspaces && !w.workspaces.empty()) {
      const int n = g.Int(0, 3);
      for (int i = 0; i < n; ++i)
        cr.workspaces.insert(g.Int(0, static_cast<int>(w.workspaces.size()) - 1));
    }
    if (g.Chance(0.2) && !w.workspaces.empty()) {
      for (int i = g.Int(1, 2); i > 0; --i) {
        const auto& ws = g.Pick(w.workspaces);
        cr.bots.insert(ws.bots.empty() ? "bot-gone" : g.Pick(ws.bots));
      }
    }
    if (cr.kind == TokenKind::kAppAccess && g.Chance(0.3)) cr.session = g.Chance(0.5) ? "s1" : "s2";
    // Cross-account grants (coze-platform.md §7): the owner of a personal account who is
    // super_admin/admin of E opens it to an E-context PAT of their own or an AppAuth app.
    if (cr.context != ContextKind::kPersonal &&
        (cr.kind == TokenKind::kPat || cr.kind == TokenKind::kAppAccess)) {
      for (int u = 0; u < n_users; ++u) {
        const auto role = w.users[u].enterprise_roles.find(cr.context_enterprise);
        if (role == w.users[u].enterprise_roles.end() || !IsAdminRole(role->second)) continue;
        if (cr.kind == TokenKind::kPat && cr.user != u) continue;
        if (g.Chance(0.5)) cr.granted_accounts.insert(w.users[u].personal_account);
      }
    }
    w.credentials.push_back(std::move(cr));
  }
  return w;
}

// ---- Queries -------------------------------------------------------------------------------

enum class TargetKind { kNone, kWorkspace, kAccount, kEnterprise };

struct Query {
  int credential = 0;
  std::string point;  // "" = no point needed
  TargetKind target = TargetKind::kNone;
  int index = kNone;  // workspace, resource or enterprise index; kNone = does not exist
  std::string bot;    // workspace targets: the bot, when the target is one
  Errc not_found = Errc::kNotFound;
};

Query MakeQuery(Gen& g, const World& w) {
  Query q;
  q.credential = g.Int(0, static_cast<int>(w.credentials.size()) - 1);
  const int p = g.Int(0, 99);
  q.point = p < 90 ? g.Pick(kPoints).name : p < 95 ? "" : g.Pick(kUnknownPoints);
  q.not_found = g.Pick(std::array{Errc::kBotNotFound, Errc::kConversationNotFound,
                                  Errc::kChatNotFound, Errc::kMessageNotFound, Errc::kNotFound});
  const int t = g.Int(0, 99);
  const bool exists = g.Chance(0.95);
  if (t < 10) {
    q.target = TargetKind::kNone;
  } else if (t < 55) {
    q.target = TargetKind::kWorkspace;
    if (exists && !w.workspaces.empty()) {
      q.index = g.Int(0, static_cast<int>(w.workspaces.size()) - 1);
      const auto& bots = w.workspaces[q.index].bots;
      if (!bots.empty() && g.Chance(0.6)) q.bot = g.Pick(bots);
    }
  } else if (t < 88) {
    q.target = TargetKind::kAccount;
    if (exists && !w.resources.empty())
      q.index = g.Int(0, static_cast<int>(w.resources.size()) - 1);
  } else {
    q.target = TargetKind::kEnterprise;
    if (exists) q.index = g.Int(0, static_cast<int>(w.enterprises.size()) - 1);
  }
  return q;
}

// ---- The reference model -------------------------------------------------------------------

bool UserBound(TokenKind k) { return k == TokenKind::kPat || k == TokenKind::kOboAccess; }

// The code architecture.md §5 prescribes, computed over the world.
Errc Expected(const World& w, const Query& q) {
  const CredentialRec& c = w.credentials[q.credential];
  // 1. Only an active credential gets further.
  if (c.state != CredentialState::kActive) return Errc::kTokenInvalid;
  // 2. The point, in the list of its own level.
  if (!q.point.empty()) {
    const RefPoint* p = RefFind(q.point);
    if (p == nullptr || !c.points[static_cast<int>(p->level)].contains(p->name)) {
      return Errc::kPermissionDenied;
    }
  }
  switch (q.target) {
    case TargetKind::kNone:
      return Errc::kOk;
    case TargetKind::kWorkspace: {
      if (q.index == kNone) return q.not_found;  // 3.
      const WorkspaceRec& ws = w.workspaces[q.index];
      const AccountRec& owner = w.accounts[ws.owner];
      // 4a. The workspace's account is the context, or inside the context's enterprise; a
      // grant-mode migration keeps the old personal account's PATs and apps (not OBO, not SAT).
      bool in_context = false;
      switch (c.context) {
        case ContextKind::kPersonal:
          in_context = ws.owner == c.context_account ||
                       (ws.legacy == c.context_account &&
                        (c.kind == TokenKind::kPat || c.kind == TokenKind::kAppAccess));
          break;
        case ContextKind::kOrganization:
          in_context = ws.owner == c.context_account;
          break;
        case ContextKind::kEnterprise:
          in_context = !owner.personal && owner.enterprise == c.context_enterprise;
          break;
      }
      if (!in_context) return Errc::kPermissionDenied;
      // 4b. The workspace scope, evaluated now; a JWT bot list narrows bots further.
      if (!c.all_workspaces && !c.workspaces.contains(q.index)) return Errc::kPermissionDenied;
      if (!q.bot.empty() && !c.bots.empty() && !c.bots.contains(q.bot)) {
        return Errc::kPermissionDenied;
      }
      // 4c. User-bound credentials follow the user's live role there (a workspace role, or
      // admin of the organization that owns it).
      if (UserBound(c.kind)) {
        const UserRec& u = w.users[c.user];
        const auto org_role = u.org_roles.find(ws.owner);
        const bool role =
            ws.members.contains(c.user) ||
            (!owner.personal && org_role != u.org_roles.end() && IsAdminRole(org_role->second));
        if (!role) return Errc::kPermissionDenied;
      }
      return Errc::kOk;
    }
    case TargetKind::kAccount: {
      if (q.index == kNone) return q.not_found;
      const ResourceRec& r = w.resources[q.index];
      const AccountRec& owner = w.accounts[r.owner];
      // 5. Owned by the context (an enterprise context owns its organizations' resources), or
      // by a personal account that granted this credential.
      const bool own = c.context == ContextKind::kEnterprise
                           ? !owner.personal && owner.enterprise == c.context_enterprise
                           : r.owner == c.context_account;
      if (!own && !c.granted_accounts.contains(r.owner)) return Errc::kPermissionDenied;
      // JWT session isolation (coze-platform.md §5.5).
      if (!c.session.empty() && r.session != c.session) return Errc::kPermissionDenied;
      return Errc::kOk;
    }
    case TargetKind::kEnterprise: {
      // 6. The context is inside the enterprise, and a user-bound credential's user
      // administers it.
      if (q.index == kNone || c.context_enterprise != q.index) return Errc::kPermissionDenied;
      if (UserBound(c.kind)) {
        const auto role = w.users[c.user].enterprise_roles.find(q.index);
        if (role == w.users[c.user].enterprise_roles.end() || !IsAdminRole(role->second)) {
          return Errc::kPermissionDenied;
        }
      }
      return Errc::kOk;
    }
  }
  return Errc::kInternal;
}

// The tenant an account belongs to: its user for a personal account, else its enterprise.
std::string TenantOfAccount(const World& w, int account) {
  const AccountRec& a = w.accounts[account];
  return a.personal ? "user:" + a.id : "enterprise:" + w.enterprises[a.enterprise].id;
}
std::string TenantOfCredential(const World& w, const CredentialRec& c) {
  return c.context == ContextKind::kPersonal
             ? "user:" + w.accounts[c.context_account].id
             : "enterprise:" + w.enterprises[c.context_enterprise].id;
}

// Whether an allow of `q` crossed tenants without a grant that permits it.
bool CrossTenantAllow(const World& w, const Query& q) {
  const CredentialRec& c = w.credentials[q.credential];
  const std::string mine = TenantOfCredential(w, c);
  switch (q.target) {
    case TargetKind::kNone:
      return false;
    case TargetKind::kWorkspace: {
      if (q.index == kNone) return true;  // allowed something that does not exist
      const WorkspaceRec& ws = w.workspaces[q.index];
      return TenantOfAccount(w, ws.owner) != mine &&
             !(ws.legacy != kNone && ws.legacy == c.context_account);
    }
    case TargetKind::kAccount: {
      if (q.index == kNone) return true;
      const ResourceRec& r = w.resources[q.index];
      return TenantOfAccount(w, r.owner) != mine && !c.granted_accounts.contains(r.owner);
    }
    case TargetKind::kEnterprise:
      return q.index == kNone || "enterprise:" + w.enterprises[q.index].id != mine;
  }
  return true;
}

// ---- The facts the server would load for Decide() ------------------------------------------

Principal PrincipalOf(const World& w, const CredentialRec& c) {
  Principal p;
  p.state = c.state;
  p.kind = c.kind;
  if (c.user != kNone) p.user_id = w.users[c.user].id;
  p.context.kind = c.context;
  p.context.account_id = w.accounts[c.context_account].id;
  if (c.context_enterprise != kNone)
    p.context.enterprise_id = w.enterprises[c.context_enterprise].id;
  p.grant.account_permissions.assign(c.points[0].begin(), c.points[0].end());
  p.grant.workspace_permissions.assign(c.points[1].begin(), c.points[1].end());
  p.grant.enterprise_permissions.assign(c.points[2].begin(), c.points[2].end());
  p.grant.all_workspaces = c.all_workspaces;
  for (int ws : c.workspaces) p.grant.workspace_ids.push_back(w.workspaces[ws].id);
  p.grant.bot_ids.assign(c.bots.begin(), c.bots.end());
  p.session_name = c.session;
  for (int a : c.granted_accounts) p.granted_accounts.push_back(w.accounts[a].id);
  return p;
}

Target TargetOf(const World& w, const Query& q) {
  const CredentialRec& c = w.credentials[q.credential];
  switch (q.target) {
    case TargetKind::kNone:
      return NoTarget{};
    case TargetKind::kWorkspace: {
      WorkspaceTarget t;
      if (q.index == kNone) {
        t.workspace_id = "ws-missing";
        return t;
      }
      const WorkspaceRec& ws = w.workspaces[q.index];
      const AccountRec& owner = w.accounts[ws.owner];
      t.exists = true;
      t.workspace_id = ws.id;
      t.owner_account_id = owner.id;
      if (!owner.personal) t.owner_enterprise_id = w.enterprises[owner.enterprise].id;
      // Roles are loaded for whichever user the credential names; the decision must ignore
      // them for kinds that are not user-bound.
      if (c.user != kNone) {
        if (auto m = ws.members.find(c.user); m != ws.members.end())
          t.user_workspace_role = m->second;
        const auto& roles = w.users[c.user].org_roles;
        if (auto r = roles.find(ws.owner); r != roles.end()) t.user_org_role = r->second;
      }
      t.bot_id = q.bot;
      if (ws.legacy != kNone) t.legacy_account_id = w.accounts[ws.legacy].id;
      return t;
    }
    case TargetKind::kAccount: {
      AccountTarget t;
      if (q.index == kNone) return t;
      const ResourceRec& r = w.resources[q.index];
      const AccountRec& owner = w.accounts[r.owner];
      t.exists = true;
      t.owner_account_id = owner.id;
      if (!owner.personal) t.owner_enterprise_id = w.enterprises[owner.enterprise].id;
      t.session_name = r.session;
      return t;
    }
    case TargetKind::kEnterprise: {
      EnterpriseTarget t;
      if (q.index == kNone) {
        t.enterprise_id = "ent_missing";
        return t;
      }
      t.enterprise_id = w.enterprises[q.index].id;
      if (c.user != kNone) {
        const auto& roles = w.users[c.user].enterprise_roles;
        if (auto r = roles.find(q.index); r != roles.end()) t.user_enterprise_role = r->second;
      }
      return t;
    }
  }
  return NoTarget{};
}

// ---- The run -------------------------------------------------------------------------------

uint64_t EnvNumber(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  return std::strtoull(v, nullptr, 10);
}

std::string Describe(const World& w, const Query& q, const Principal& p, Errc got, Errc want) {
  std::ostringstream s;
  const CredentialRec& c = w.credentials[q.credential];
  s << "credential " << c.id << " kind=" << credentials::ToString(c.kind)
    << " state=" << static_cast<int>(c.state) << " context=" << credentials::ToString(c.context)
    << " account=" << p.context.account_id << " enterprise=" << p.context.enterprise_id
    << " user=" << p.user_id << " all_ws=" << c.all_workspaces << " session=" << c.session
    << "; point '" << q.point << "'; target kind " << static_cast<int>(q.target) << " index "
    << q.index << " bot '" << q.bot << "'; got " << static_cast<int>(got) << ", want "
    << static_cast<int>(want);
  return s.str();
}

TEST(DecisionProperty, AgreesWithTheReferenceModelAndNeverCrossesTenants) {
  const uint64_t seed = EnvNumber("COZEAUTH_PROPERTY_SEED", std::random_device{}());
  const uint64_t decisions = EnvNumber("COZEAUTH_PROPERTY_DECISIONS", 1'000'000);
  constexpr uint64_t kDecisionsPerWorld = 2'000;
  std::cout << "[ property ] seed " << seed << " (COZEAUTH_PROPERTY_SEED), " << decisions
            << " decisions (COZEAUTH_PROPERTY_DECISIONS)\n";
  RecordProperty("seed", std::to_string(seed));

  Gen top(seed);
  uint64_t done = 0, mismatches = 0, cross_tenant_allows = 0, worlds = 0;
  std::map<int, uint64_t> by_code;
  uint64_t allows = 0, cross_tenant_attempts_denied = 0, via_migration = 0, via_grant = 0;
  const auto start = std::chrono::steady_clock::now();
  while (done < decisions) {
    Gen g(top.rng()());
    const World w = MakeWorld(g);
    ++worlds;
    std::vector<Principal> principals;
    principals.reserve(w.credentials.size());
    for (const CredentialRec& c : w.credentials) principals.push_back(PrincipalOf(w, c));
    for (uint64_t i = 0; i < kDecisionsPerWorld && done < decisions; ++i, ++done) {
      const Query q = MakeQuery(g, w);
      const Principal& p = principals[q.credential];
      const Decision d = Decide(p, q.point, TargetOf(w, q), q.not_found);
      const Errc want = Expected(w, q);
      ++by_code[static_cast<int>(d.code)];
      if (d.code != want) {
        if (++mismatches <= 10) {
          ADD_FAILURE() << "decision " << done << " of seed " << seed << ": "
                        << Describe(w, q, p, d.code, want) << " (reason: " << d.reason << ")";
        }
      }
      const bool crosses = CrossTenantAllow(w, q);
      if (d.allowed()) {
        ++allows;
        if (crosses && ++cross_tenant_allows <= 10) {
          ADD_FAILURE() << "cross-tenant allow, decision " << done << " of seed " << seed << ": "
                        << Describe(w, q, p, d.code, want);
        }
        const CredentialRec& c = w.credentials[q.credential];
        if (q.target == TargetKind::kWorkspace && q.index != kNone &&
            w.workspaces[q.index].legacy == c.context_account &&
            w.workspaces[q.index].owner != c.context_account) {
          ++via_migration;
        }
        if (q.target == TargetKind::kAccount && q.index != kNone &&
            c.granted_accounts.contains(w.resources[q.index].owner)) {
          ++via_grant;
        }
      } else if (crosses && q.target != TargetKind::kNone && q.index != kNone &&
                 d.code == Errc::kPermissionDenied) {
        ++cross_tenant_attempts_denied;
      }
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "[ property ] " << done << " decisions over " << worlds << " worlds in " << seconds
            << " s: " << allows << " allowed (" << via_migration
            << " through a grant-mode migration, " << via_grant
            << " through a cross-account grant), " << cross_tenant_attempts_denied
            << " cross-tenant attempts denied; " << cross_tenant_allows << " cross-tenant allows, "
            << mismatches << " disagreements\n[ property ] codes:";
  for (const auto& [code, n] : by_code) std::cout << " " << code << "=" << n;
  std::cout << "\n";

  EXPECT_EQ(cross_tenant_allows, 0u) << "seed " << seed;
  EXPECT_EQ(mismatches, 0u) << "seed " << seed;
  // The generator must exercise every outcome, or agreement proves little.
  if (decisions >= 100'000) {
    EXPECT_GT(allows, decisions / 50);
    EXPECT_GT(via_migration, 0u);
    EXPECT_GT(via_grant, 0u);
    EXPECT_GT(cross_tenant_attempts_denied, decisions / 50);
    for (Errc e : {Errc::kTokenInvalid, Errc::kPermissionDenied, Errc::kBotNotFound,
                   Errc::kConversationNotFound, Errc::kChatNotFound, Errc::kMessageNotFound,
                   Errc::kNotFound}) {
      EXPECT_GT(by_code[static_cast<int>(e)], 0u) << "no decision answered " << static_cast<int>(e);
    }
  }
}

}  // namespace
}  // namespace cozeauth::policy
