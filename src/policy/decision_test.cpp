// Table-driven tests of the authorization decision (architecture.md §5): token state ×
// permission × resource level × ownership × role, each row asserting the exact Coze code.

#include "policy/decision.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "policy/catalogue.hpp"

namespace cozeauth::policy {
namespace {

using credentials::Context;
using credentials::ContextKind;
using credentials::Grant;
using credentials::TokenKind;
using domain::OrgRole;
using domain::WorkspaceRole;

// The tenancy every row reasons over. A personal account's id is its user's id.
constexpr char kUser[] = "7000000000000000001";       // the principal's user / personal account
constexpr char kOtherUser[] = "7000000000000000002";  // someone else's personal account
constexpr char kEnt[] = "ent_1000";
constexpr char kOrgA[] = "7100000000000000001";  // default organization of kEnt
constexpr char kOrgB[] = "7100000000000000002";  // second organization of kEnt
constexpr char kOtherEnt[] = "ent_2000";
constexpr char kOrgX[] = "7200000000000000001";  // default organization of kOtherEnt

constexpr char kWsPersonal[] = "7300000000000000001";  // owned by kUser
constexpr char kWsOther[] = "7300000000000000002";     // owned by kOtherUser
constexpr char kWsA1[] = "7300000000000000011";        // owned by kOrgA
constexpr char kWsA2[] = "7300000000000000012";        // owned by kOrgA
constexpr char kWsB[] = "7300000000000000021";         // owned by kOrgB
constexpr char kWsX[] = "7300000000000000031";         // owned by kOrgX
constexpr char kWsFuture[] = "7300000000000000099";    // created after the grant

constexpr std::array kAllKinds = {TokenKind::kPat, TokenKind::kSat, TokenKind::kOboAccess,
                                  TokenKind::kAppAccess};
constexpr std::array kInactiveStates = {CredentialState::kMissing, CredentialState::kUnknown,
                                        CredentialState::kExpired, CredentialState::kRevoked,
                                        CredentialState::kAppDisabled};

int Code(Errc e) { return static_cast<int>(e); }

Context Personal(std::string account = kUser) {
  return {ContextKind::kPersonal, std::move(account), ""};
}
Context Org(std::string org = kOrgA, std::string ent = kEnt) {
  return {ContextKind::kOrganization, std::move(org), std::move(ent)};
}
Context Ent(std::string ent = kEnt, std::string default_org = kOrgA) {
  return {ContextKind::kEnterprise, std::move(default_org), std::move(ent)};
}

std::vector<std::string>& PointsOf(Grant& g, Level level) {
  switch (level) {
    case Level::kAccount:
      return g.account_permissions;
    case Level::kWorkspace:
      return g.workspace_permissions;
    case Level::kEnterprise:
      return g.enterprise_permissions;
  }
  return g.account_permissions;
}

// Every catalogue point at its own level, all workspaces.
Grant FullGrant() {
  Grant g;
  for (const auto& p : Catalogue()) PointsOf(g, p.level).emplace_back(p.name);
  g.all_workspaces = true;
  return g;
}

// An active credential of `kind` acting in `ctx`, holding every point for all workspaces.
Principal Token(TokenKind kind, Context ctx) {
  Principal p;
  p.state = CredentialState::kActive;
  p.kind = kind;
  p.user_id = kUser;
  p.context = std::move(ctx);
  p.grant = FullGrant();
  return p;
}
Principal Pat(Context ctx = Personal()) { return Token(TokenKind::kPat, std::move(ctx)); }
Principal Sat(Context ctx = Personal()) { return Token(TokenKind::kSat, std::move(ctx)); }
Principal Obo(Context ctx = Personal()) { return Token(TokenKind::kOboAccess, std::move(ctx)); }
Principal App(Context ctx = Personal()) { return Token(TokenKind::kAppAccess, std::move(ctx)); }

Principal InState(Principal p, CredentialState s) {
  p.state = s;
  return p;
}
Principal NoPoints(Principal p) {
  p.grant.account_permissions.clear();
  p.grant.workspace_permissions.clear();
  p.grant.enterprise_permissions.clear();
  return p;
}
// Holds exactly `point`, filed under `level` (which may be the wrong one).
Principal Only(Principal p, std::string point, Level level) {
  p = NoPoints(std::move(p));
  PointsOf(p.grant, level).push_back(std::move(point));
  return p;
}
Principal Without(Principal p, std::string_view point) {
  for (auto* list : {&p.grant.account_permissions, &p.grant.workspace_permissions,
                     &p.grant.enterprise_permissions}) {
    std::erase(*list, std::string(point));
  }
  return p;
}
Principal ScopedTo(Principal p, std::vector<std::string> workspace_ids) {
  p.grant.all_workspaces = false;
  p.grant.workspace_ids = std::move(workspace_ids);
  return p;
}
Principal InSession(Principal p, std::string session_name) {
  p.session_name = std::move(session_name);
  return p;
}
Principal GrantedBy(Principal p, std::vector<std::string> accounts) {
  p.granted_accounts = std::move(accounts);
  return p;
}

// An existing workspace; by default the principal's user is a plain workspace member there.
WorkspaceTarget Ws(std::string id, std::string owner, std::string owner_ent = "",
                   std::optional<WorkspaceRole> ws_role = WorkspaceRole::kMember,
                   std::optional<OrgRole> org_role = std::nullopt) {
  return {true, std::move(id), std::move(owner), std::move(owner_ent), ws_role, org_role, {}, {}};
}
WorkspaceTarget Roles(WorkspaceTarget t, std::optional<WorkspaceRole> ws_role,
                      std::optional<OrgRole> org_role) {
  t.user_workspace_role = ws_role;
  t.user_org_role = org_role;
  return t;
}
AccountTarget Res(std::string owner, std::string owner_ent = "", std::string session = "") {
  return {true, std::move(owner), std::move(owner_ent), std::move(session)};
}
template <typename T>
T Gone(T t) {
  t.exists = false;
  return t;
}
EnterpriseTarget EntT(std::string ent, std::optional<OrgRole> role) {
  return {std::move(ent), role};
}

struct Row {
  std::string name;
  Principal principal;
  std::string point;
  Target target;
  Errc want;
  Errc not_found = Errc::kNotFound;
};

void ExpectRows(const std::vector<Row>& rows) {
  for (const auto& r : rows) {
    const Decision d = Decide(r.principal, r.point, r.target, r.not_found);
    EXPECT_EQ(Code(d.code), Code(r.want)) << r.name << " (reason: " << d.reason << ")";
    EXPECT_EQ(d.allowed(), r.want == Errc::kOk) << r.name;
    if (!d.allowed()) {
      EXPECT_FALSE(d.reason.empty()) << r.name;
    }
  }
}

// ---- Step 1: credential state -------------------------------------------------------------

TEST(DecisionTokenState, InactiveIs4100WhateverThePointAndTarget) {
  const std::vector<std::string> points = {"", "chat", "getChat", "getBenefit", "noSuchPoint"};
  const std::vector<Target> targets = {
      NoTarget{},
      Ws(kWsPersonal, kUser),
      Gone(Ws(kWsPersonal, kUser)),
      Ws(kWsX, kOrgX, kOtherEnt, std::nullopt),  // unreachable
      Res(kUser),
      Gone(Res(kUser)),
      Res(kOtherUser),
      EntT(kEnt, OrgRole::kSuperAdmin),
      EntT(kOtherEnt, std::nullopt),
  };
  const std::vector<Errc> not_founds = {Errc::kNotFound, Errc::kBotNotFound,
                                        Errc::kConversationNotFound};
  for (TokenKind kind : kAllKinds) {
    for (CredentialState state : kInactiveStates) {
      for (bool has_points : {true, false}) {
        Principal p = InState(Token(kind, Ent()), state);
        if (!has_points) p = NoPoints(std::move(p));
        for (const auto& point : points) {
          EXPECT_EQ(Code(CheckCredential(p, point).code), Code(Errc::kTokenInvalid));
          for (size_t i = 0; i < targets.size(); ++i) {
            for (Errc nf : not_founds) {
              EXPECT_EQ(Code(Decide(p, point, targets[i], nf).code), Code(Errc::kTokenInvalid))
                  << "kind=" << credentials::ToString(kind) << " state=" << static_cast<int>(state)
                  << " point=" << point << " target#" << i;
            }
          }
        }
      }
    }
  }
}

TEST(DecisionTokenState, EachStateRow) {
  ExpectRows({
      {"active", Pat(), "getChat", Res(kUser), Errc::kOk},
      {"missing", InState(Pat(), CredentialState::kMissing), "getChat", Res(kUser),
       Errc::kTokenInvalid},
      {"unknown", InState(Pat(), CredentialState::kUnknown), "getChat", Res(kUser),
       Errc::kTokenInvalid},
      {"expired", InState(Pat(), CredentialState::kExpired), "getChat", Res(kUser),
       Errc::kTokenInvalid},
      {"revoked", InState(Pat(), CredentialState::kRevoked), "getChat", Res(kUser),
       Errc::kTokenInvalid},
      {"app disabled", InState(App(), CredentialState::kAppDisabled), "getChat", Res(kUser),
       Errc::kTokenInvalid},
      {"default-constructed principal is missing", Principal{}, "", NoTarget{},
       Errc::kTokenInvalid},
      // Step 1 before step 2 and step 3.
      {"expired without the point", NoPoints(InState(Pat(), CredentialState::kExpired)), "chat",
       Ws(kWsPersonal, kUser), Errc::kTokenInvalid},
      {"revoked and target missing", InState(Pat(), CredentialState::kRevoked), "chat",
       Gone(Ws(kWsPersonal, kUser)), Errc::kTokenInvalid, Errc::kBotNotFound},
      {"unknown, no point, conversation missing",
       NoPoints(InState(Pat(), CredentialState::kUnknown)), "retrieveConversation",
       Gone(Res(kUser)), Errc::kTokenInvalid, Errc::kConversationNotFound},
  });
}

// ---- Step 2: permission point -------------------------------------------------------------

TEST(DecisionPermission, Rows) {
  ExpectRows({
      {"workspace point granted", Pat(), "chat", Ws(kWsPersonal, kUser), Errc::kOk},
      {"account point granted", Pat(), "getChat", Res(kUser), Errc::kOk},
      {"enterprise point granted", Pat(Org()), "getBenefit", EntT(kEnt, OrgRole::kAdmin),
       Errc::kOk},
      {"only this point, right level", Only(Pat(), "chat", Level::kWorkspace), "chat",
       Ws(kWsPersonal, kUser), Errc::kOk},
      {"workspace point missing", Without(Pat(), "chat"), "chat", Ws(kWsPersonal, kUser),
       Errc::kPermissionDenied},
      {"account point missing", Without(Pat(), "getChat"), "getChat", Res(kUser),
       Errc::kPermissionDenied},
      {"enterprise point missing", Without(Pat(Org()), "getBenefit"), "getBenefit",
       EntT(kEnt, OrgRole::kAdmin), Errc::kPermissionDenied},
      {"no points at all", NoPoints(Pat()), "listConversation", NoTarget{},
       Errc::kPermissionDenied},
      // Levels are not interchangeable.
      {"workspace point filed as account", Only(Pat(), "chat", Level::kAccount), "chat",
       Ws(kWsPersonal, kUser), Errc::kPermissionDenied},
      {"workspace point filed as enterprise", Only(Pat(), "chat", Level::kEnterprise), "chat",
       Ws(kWsPersonal, kUser), Errc::kPermissionDenied},
      {"account point filed as workspace", Only(Pat(), "getChat", Level::kWorkspace), "getChat",
       Res(kUser), Errc::kPermissionDenied},
      {"enterprise point filed as account", Only(Pat(Org()), "getBenefit", Level::kAccount),
       "getBenefit", EntT(kEnt, OrgRole::kAdmin), Errc::kPermissionDenied},
      // Unknown points are denied even when the grant (wrongly) lists them.
      {"unknown point", Pat(), "noSuchPoint", NoTarget{}, Errc::kPermissionDenied},
      {"unknown point listed in grant", Only(Pat(), "noSuchPoint", Level::kAccount), "noSuchPoint",
       NoTarget{}, Errc::kPermissionDenied},
      {"unknown prefixed point", Pat(), "Bot.noSuchPoint", NoTarget{}, Errc::kPermissionDenied},
      // Empty point: only the credential state (and the target's reach) matters.
      {"empty point, no grant, no target", NoPoints(Pat()), "", NoTarget{}, Errc::kOk},
      {"empty point, no grant, own resource", NoPoints(Pat()), "", Res(kUser), Errc::kOk},
      {"empty point, no grant, other's resource", NoPoints(Pat()), "", Res(kOtherUser),
       Errc::kPermissionDenied},
      {"empty point, expired", NoPoints(InState(Pat(), CredentialState::kExpired)), "", NoTarget{},
       Errc::kTokenInvalid},
      // Prefixed form declared by a route resolves to the canonical point.
      {"Bot.getMetadata granted as getMetadata", Only(Pat(), "getMetadata", Level::kWorkspace),
       "Bot.getMetadata", Ws(kWsPersonal, kUser), Errc::kOk},
      {"Bot.getMetadata without getMetadata", Without(Pat(), "getMetadata"), "Bot.getMetadata",
       Ws(kWsPersonal, kUser), Errc::kPermissionDenied},
      {"Workspace.update is itself canonical", Only(Pat(), "Workspace.update", Level::kWorkspace),
       "Workspace.update", Ws(kWsPersonal, kUser), Errc::kOk},
      {"Connector.botChat is account-level", Only(App(), "Connector.botChat", Level::kAccount),
       "Connector.botChat", NoTarget{}, Errc::kOk},
  });
}

// ---- Step ordering: 2 before 3 before 4/5 -----------------------------------------------

TEST(DecisionStepOrder, Rows) {
  ExpectRows({
      {"no point and bot missing", Without(Pat(), "getMetadata"), "getMetadata",
       Gone(Ws(kWsPersonal, kUser)), Errc::kPermissionDenied, Errc::kBotNotFound},
      {"no point and conversation missing", Without(Pat(), "retrieveConversation"),
       "retrieveConversation", Gone(Res(kUser)), Errc::kPermissionDenied,
       Errc::kConversationNotFound},
      {"bot missing", Pat(), "getMetadata", Gone(Ws(kWsPersonal, kUser)), Errc::kBotNotFound,
       Errc::kBotNotFound},
      {"conversation missing", Pat(), "retrieveConversation", Gone(Res(kUser)),
       Errc::kConversationNotFound, Errc::kConversationNotFound},
      {"chat missing", Pat(), "getChat", Gone(Res(kUser)), Errc::kChatNotFound,
       Errc::kChatNotFound},
      {"message missing", Pat(), "retrieveMessage", Gone(Res(kUser)), Errc::kMessageNotFound,
       Errc::kMessageNotFound},
      {"default not-found code", Pat(), "retrieveFile", Gone(Res(kUser)), Errc::kNotFound},
      // Step 3 before 4/5: a missing target is not-found even if its facts would be out of reach.
      {"missing workspace of another enterprise", Pat(), "getMetadata",
       Gone(Ws(kWsX, kOrgX, kOtherEnt, std::nullopt)), Errc::kBotNotFound, Errc::kBotNotFound},
      {"missing conversation of another account", Pat(), "retrieveConversation",
       Gone(Res(kOtherUser)), Errc::kConversationNotFound, Errc::kConversationNotFound},
      {"existing but out of reach", Pat(), "getMetadata", Ws(kWsX, kOrgX, kOtherEnt, std::nullopt),
       Errc::kPermissionDenied, Errc::kBotNotFound},
  });
}

// ---- Step 4: workspace level --------------------------------------------------------------

TEST(DecisionWorkspace, ContextMustOwnTheWorkspace) {
  const auto admin_everywhere = [](WorkspaceTarget t) {
    return Roles(std::move(t), WorkspaceRole::kOwner, OrgRole::kSuperAdmin);
  };
  ExpectRows({
      {"personal: own workspace", Pat(), "chat", Ws(kWsPersonal, kUser), Errc::kOk},
      {"personal: another user's workspace", Pat(), "chat",
       admin_everywhere(Ws(kWsOther, kOtherUser)), Errc::kPermissionDenied},
      {"personal: an org workspace where the user is owner", Pat(), "chat",
       admin_everywhere(Ws(kWsA1, kOrgA, kEnt)), Errc::kPermissionDenied},
      {"org: own org's workspace", Pat(Org()), "chat", Ws(kWsA1, kOrgA, kEnt), Errc::kOk},
      {"org: sibling org of the same enterprise", Pat(Org()), "chat",
       admin_everywhere(Ws(kWsB, kOrgB, kEnt)), Errc::kPermissionDenied},
      {"org: the user's personal workspace", Pat(Org()), "chat",
       admin_everywhere(Ws(kWsPersonal, kUser)), Errc::kPermissionDenied},
      {"enterprise: default org", Pat(Ent()), "chat", Ws(kWsA1, kOrgA, kEnt), Errc::kOk},
      {"enterprise: any org of the enterprise", Pat(Ent()), "chat", Ws(kWsB, kOrgB, kEnt),
       Errc::kOk},
      {"enterprise: org of another enterprise", Pat(Ent()), "chat",
       admin_everywhere(Ws(kWsX, kOrgX, kOtherEnt)), Errc::kPermissionDenied},
      {"enterprise: a personal workspace", Pat(Ent()), "chat",
       admin_everywhere(Ws(kWsPersonal, kUser)), Errc::kPermissionDenied},
      // A cross-account grant opens account-level resources only, never workspaces.
      {"enterprise + granted personal account: its workspace", GrantedBy(Pat(Ent()), {kUser}),
       "chat", admin_everywhere(Ws(kWsPersonal, kUser)), Errc::kPermissionDenied},
      {"SAT org: sibling org", Sat(Org()), "chat", Ws(kWsB, kOrgB, kEnt, std::nullopt),
       Errc::kPermissionDenied},
      // Defensive: an enterprise context without an id must not match ownerless facts.
      {"enterprise without id: a personal workspace", Sat(Ent("", "")), "chat",
       Ws(kWsPersonal, kUser, "", std::nullopt), Errc::kPermissionDenied},
      {"app enterprise: other enterprise", App(Ent()), "chat",
       Ws(kWsX, kOrgX, kOtherEnt, std::nullopt), Errc::kPermissionDenied},
  });
}

TEST(DecisionWorkspace, ScopeAllIsPresentAndFutureListIsExact) {
  ExpectRows({
      {"all: a workspace created after the grant", Pat(Org()), "chat", Ws(kWsFuture, kOrgA, kEnt),
       Errc::kOk},
      {"all (enterprise): future workspace of a sibling org", Sat(Ent()), "chat",
       Ws(kWsFuture, kOrgB, kEnt, std::nullopt), Errc::kOk},
      {"all does not widen the context", Pat(Org()), "chat", Ws(kWsFuture, kOrgB, kEnt),
       Errc::kPermissionDenied},
      {"list: listed workspace", ScopedTo(Pat(Org()), {kWsA1}), "chat", Ws(kWsA1, kOrgA, kEnt),
       Errc::kOk},
      {"list: unlisted workspace of the same org", ScopedTo(Pat(Org()), {kWsA1}), "chat",
       Ws(kWsA2, kOrgA, kEnt), Errc::kPermissionDenied},
      {"list: future workspace", ScopedTo(Pat(Org()), {kWsA1, kWsA2}), "chat",
       Ws(kWsFuture, kOrgA, kEnt), Errc::kPermissionDenied},
      {"list: empty", ScopedTo(Pat(Org()), {}), "chat", Ws(kWsA1, kOrgA, kEnt),
       Errc::kPermissionDenied},
      {"list: listed id but outside the context", ScopedTo(Pat(Org()), {kWsB}), "chat",
       Ws(kWsB, kOrgB, kEnt), Errc::kPermissionDenied},
      {"list (SAT): unlisted", ScopedTo(Sat(Org()), {kWsA1}), "chat",
       Ws(kWsA2, kOrgA, kEnt, std::nullopt), Errc::kPermissionDenied},
  });
}

TEST(DecisionWorkspace, UserBoundKindsFollowLiveRoles) {
  std::vector<Row> rows;
  for (TokenKind kind : {TokenKind::kPat, TokenKind::kOboAccess}) {
    const std::string k(credentials::ToString(kind));
    const auto ws = Ws(kWsA1, kOrgA, kEnt);
    const Principal org = Token(kind, Org());
    const Principal ent = Token(kind, Ent());
    rows.insert(
        rows.end(),
        {
            {k + ": workspace owner", org, "chat", Roles(ws, WorkspaceRole::kOwner, std::nullopt),
             Errc::kOk},
            {k + ": workspace admin", org, "chat", Roles(ws, WorkspaceRole::kAdmin, std::nullopt),
             Errc::kOk},
            {k + ": workspace member", org, "chat", Roles(ws, WorkspaceRole::kMember, std::nullopt),
             Errc::kOk},
            {k + ": workspace member, org guest", org, "chat",
             Roles(ws, WorkspaceRole::kMember, OrgRole::kGuest), Errc::kOk},
            {k + ": org super_admin only", org, "chat",
             Roles(ws, std::nullopt, OrgRole::kSuperAdmin), Errc::kOk},
            {k + ": org admin only", org, "chat", Roles(ws, std::nullopt, OrgRole::kAdmin),
             Errc::kOk},
            {k + ": org member only", org, "chat", Roles(ws, std::nullopt, OrgRole::kMember),
             Errc::kPermissionDenied},
            {k + ": org guest only", org, "chat", Roles(ws, std::nullopt, OrgRole::kGuest),
             Errc::kPermissionDenied},
            {k + ": removed member (no roles)", org, "chat", Roles(ws, std::nullopt, std::nullopt),
             Errc::kPermissionDenied},
            {k + ": enterprise ctx, removed member", ent, "chat",
             Roles(Ws(kWsB, kOrgB, kEnt), std::nullopt, std::nullopt), Errc::kPermissionDenied},
            {k + ": enterprise ctx, admin of the owning org", ent, "chat",
             Roles(Ws(kWsB, kOrgB, kEnt), std::nullopt, OrgRole::kAdmin), Errc::kOk},
            {k + ": personal ctx, no role in own workspace", Token(kind, Personal()), "chat",
             Roles(Ws(kWsPersonal, kUser), std::nullopt, std::nullopt), Errc::kPermissionDenied},
        });
  }
  ExpectRows(rows);
}

TEST(DecisionWorkspace, NonUserBoundKindsNeedNoRoles) {
  std::vector<Row> rows;
  for (TokenKind kind : {TokenKind::kSat, TokenKind::kAppAccess}) {
    const std::string k(credentials::ToString(kind));
    rows.insert(rows.end(),
                {
                    {k + ": personal, no roles", Token(kind, Personal()), "chat",
                     Ws(kWsPersonal, kUser, "", std::nullopt), Errc::kOk},
                    {k + ": org, no roles", Token(kind, Org()), "chat",
                     Ws(kWsA1, kOrgA, kEnt, std::nullopt, std::nullopt), Errc::kOk},
                    {k + ": org, org member only", Token(kind, Org()), "chat",
                     Ws(kWsA1, kOrgA, kEnt, std::nullopt, OrgRole::kMember), Errc::kOk},
                    {k + ": enterprise, sibling org, no roles", Token(kind, Ent()), "chat",
                     Ws(kWsB, kOrgB, kEnt, std::nullopt), Errc::kOk},
                    {k + ": still bound by the scope", ScopedTo(Token(kind, Org()), {kWsA1}),
                     "chat", Ws(kWsA2, kOrgA, kEnt, std::nullopt), Errc::kPermissionDenied},
                });
  }
  ExpectRows(rows);
}

TEST(DecisionWorkspace, ConnectorBotScopeReachesOnlyTheListedBots) {
  Principal scoped = App(Org());
  scoped.grant.bot_ids = {"7500000000000000001"};
  WorkspaceTarget listed = Ws(kWsA1, kOrgA, kEnt, std::nullopt);
  listed.bot_id = "7500000000000000001";
  WorkspaceTarget other = listed;
  other.bot_id = "7500000000000000002";
  ExpectRows({
      {"listed bot", scoped, "chat", listed, Errc::kOk},
      {"another bot of the same workspace", scoped, "chat", other, Errc::kPermissionDenied},
      {"workspace itself (not a bot)", scoped, "listBot", Ws(kWsA1, kOrgA, kEnt, std::nullopt),
       Errc::kOk},
      {"no bot list: every bot", App(Org()), "chat", other, Errc::kOk},
  });
}

TEST(DecisionWorkspace, GrantMigrationKeepsPersonalPatAndAppAuthOnly) {
  // W moved from the personal account kUser into organization kOrgA in grant mode.
  WorkspaceTarget moved = Ws(kWsA1, kOrgA, kEnt);
  moved.legacy_account_id = kUser;
  WorkspaceTarget cut = Ws(kWsA1, kOrgA, kEnt);
  ExpectRows({
      {"personal PAT keeps W", Pat(), "chat", moved, Errc::kOk},
      {"personal AppAuth keeps W", App(), "chat", moved, Errc::kOk},
      {"personal OBO is cut", Obo(), "chat", moved, Errc::kPermissionDenied},
      {"personal SAT is cut", Sat(), "chat", moved, Errc::kPermissionDenied},
      {"cut mode: personal PAT loses W", Pat(), "chat", cut, Errc::kPermissionDenied},
      {"kept PAT still needs its scope", ScopedTo(Pat(), {kWsPersonal}), "chat", moved,
       Errc::kPermissionDenied},
      {"kept PAT still needs its user's role", Pat(), "chat",
       Roles(moved, std::nullopt, std::nullopt), Errc::kPermissionDenied},
      {"another personal account gains nothing", Pat(Context{ContextKind::kPersonal, "9999", ""}),
       "chat", moved, Errc::kPermissionDenied},
  });
}

// ---- Step 5: account level ----------------------------------------------------------------

TEST(DecisionAccount, OwnershipByContext) {
  ExpectRows({
      {"personal: own", Pat(), "retrieveConversation", Res(kUser), Errc::kOk},
      {"personal: another user's", Pat(), "retrieveConversation", Res(kOtherUser),
       Errc::kPermissionDenied},
      {"personal: an org's", Pat(), "retrieveConversation", Res(kOrgA, kEnt),
       Errc::kPermissionDenied},
      {"org: own", Pat(Org()), "retrieveConversation", Res(kOrgA, kEnt), Errc::kOk},
      {"org: sibling org", Pat(Org()), "retrieveConversation", Res(kOrgB, kEnt),
       Errc::kPermissionDenied},
      {"org: the user's personal account", Pat(Org()), "retrieveConversation", Res(kUser),
       Errc::kPermissionDenied},
      {"enterprise: default org", Pat(Ent()), "retrieveConversation", Res(kOrgA, kEnt), Errc::kOk},
      {"enterprise: another org of the enterprise", App(Ent()), "retrieveConversation",
       Res(kOrgB, kEnt), Errc::kOk},
      {"enterprise: org of another enterprise", Pat(Ent()), "retrieveConversation",
       Res(kOrgX, kOtherEnt), Errc::kPermissionDenied},
      {"enterprise: a personal account", Pat(Ent()), "retrieveConversation", Res(kUser),
       Errc::kPermissionDenied},
      {"enterprise without id: a personal account", Sat(Ent("", "")), "retrieveConversation",
       Res(kUser), Errc::kPermissionDenied},
      {"SAT personal: own", Sat(), "uploadFile", Res(kUser), Errc::kOk},
      {"OBO personal: another user's", Obo(), "retrieveFile", Res(kOtherUser),
       Errc::kPermissionDenied},
  });
}

TEST(DecisionAccount, CrossAccountGrantReachesThatPersonalAccountOnly) {
  ExpectRows({
      {"granted account", GrantedBy(Pat(Ent()), {kUser}), "retrieveConversation", Res(kUser),
       Errc::kOk},
      {"granted account (app)", GrantedBy(App(Ent()), {kUser}), "listMessage", Res(kUser),
       Errc::kOk},
      {"granted account (org context)", GrantedBy(Pat(Org()), {kUser}), "retrieveConversation",
       Res(kUser), Errc::kOk},
      {"ungranted personal account", GrantedBy(Pat(Ent()), {kUser}), "retrieveConversation",
       Res(kOtherUser), Errc::kPermissionDenied},
      {"own context still reached", GrantedBy(Pat(Ent()), {kUser}), "retrieveConversation",
       Res(kOrgB, kEnt), Errc::kOk},
      {"grant does not open another enterprise", GrantedBy(Pat(Ent()), {kUser}),
       "retrieveConversation", Res(kOrgX, kOtherEnt), Errc::kPermissionDenied},
      {"grant still needs the point", Without(GrantedBy(Pat(Ent()), {kUser}), "getChat"), "getChat",
       Res(kUser), Errc::kPermissionDenied},
  });
}

TEST(DecisionAccount, SessionNameIsolation) {
  ExpectRows({
      {"session: same session", InSession(App(), "s1"), "retrieveConversation",
       Res(kUser, "", "s1"), Errc::kOk},
      {"session: other session", InSession(App(), "s1"), "retrieveConversation",
       Res(kUser, "", "s2"), Errc::kPermissionDenied},
      {"session: resource without session", InSession(App(), "s1"), "retrieveConversation",
       Res(kUser), Errc::kPermissionDenied},
      {"session: same session, other account", InSession(App(), "s1"), "retrieveConversation",
       Res(kOtherUser, "", "s1"), Errc::kPermissionDenied},
      {"session: granted account, same session", InSession(GrantedBy(App(Ent()), {kUser}), "s1"),
       "retrieveConversation", Res(kUser, "", "s1"), Errc::kOk},
      {"session: granted account, other session", InSession(GrantedBy(App(Ent()), {kUser}), "s1"),
       "retrieveConversation", Res(kUser, "", "s2"), Errc::kPermissionDenied},
      {"no session: resource with session", App(), "retrieveConversation", Res(kUser, "", "s1"),
       Errc::kOk},
      {"no session: resource without session", App(), "retrieveConversation", Res(kUser),
       Errc::kOk},
      {"no session (enterprise): any session of the enterprise", App(Ent()), "retrieveConversation",
       Res(kOrgB, kEnt, "s9"), Errc::kOk},
  });
}

// ---- Step 6: enterprise level -------------------------------------------------------------

TEST(DecisionEnterprise, Rows) {
  std::vector<Row> rows;
  for (TokenKind kind : {TokenKind::kPat, TokenKind::kOboAccess}) {
    const std::string k(credentials::ToString(kind));
    for (const Context& ctx : {Org(), Org(kOrgB), Ent()}) {
      const std::string c = k + "/" + std::string(credentials::ToString(ctx.kind)) + ": ";
      const Principal p = Token(kind, ctx);
      rows.insert(
          rows.end(),
          {
              {c + "super_admin", p, "getBenefit", EntT(kEnt, OrgRole::kSuperAdmin), Errc::kOk},
              {c + "admin", p, "Enterprise.listOrganization", EntT(kEnt, OrgRole::kAdmin),
               Errc::kOk},
              {c + "member", p, "getBenefit", EntT(kEnt, OrgRole::kMember),
               Errc::kPermissionDenied},
              {c + "guest", p, "getBenefit", EntT(kEnt, OrgRole::kGuest), Errc::kPermissionDenied},
              {c + "no role", p, "getBenefit", EntT(kEnt, std::nullopt), Errc::kPermissionDenied},
              {c + "admin of another enterprise", p, "getBenefit",
               EntT(kOtherEnt, OrgRole::kSuperAdmin), Errc::kPermissionDenied},
          });
    }
    rows.push_back({k + "/personal: super_admin", Token(kind, Personal()), "getBenefit",
                    EntT(kEnt, OrgRole::kSuperAdmin), Errc::kPermissionDenied});
  }
  for (TokenKind kind : {TokenKind::kSat, TokenKind::kAppAccess}) {
    const std::string k(credentials::ToString(kind));
    rows.insert(rows.end(),
                {
                    {k + ": enterprise ctx, no role", Token(kind, Ent()), "getBenefit",
                     EntT(kEnt, std::nullopt), Errc::kOk},
                    {k + ": org ctx, no role", Token(kind, Org()), "Enterprise.createOrganization",
                     EntT(kEnt, std::nullopt), Errc::kOk},
                    {k + ": other enterprise", Token(kind, Ent()), "getBenefit",
                     EntT(kOtherEnt, std::nullopt), Errc::kPermissionDenied},
                    {k + ": personal ctx", Token(kind, Personal()), "getBenefit",
                     EntT(kEnt, std::nullopt), Errc::kPermissionDenied},
                    {k + ": empty enterprise id never matches", Token(kind, Personal()),
                     "getBenefit", EntT("", std::nullopt), Errc::kPermissionDenied},
                });
  }
  ExpectRows(rows);
}

// ---- Steps 4/5 alone agree with Decide ----------------------------------------------------

std::vector<Context> AllContexts() {
  return {Personal(), Org(), Org(kOrgB), Ent(), Ent(kOtherEnt, kOrgX)};
}

TEST(DecisionReach, ReachesWorkspaceAgreesWithDecide) {
  struct Owner {
    const char* account;
    const char* enterprise;
  };
  const Owner owners[] = {
      {kUser, ""}, {kOtherUser, ""}, {kOrgA, kEnt}, {kOrgB, kEnt}, {kOrgX, kOtherEnt}};
  const std::optional<WorkspaceRole> ws_roles[] = {std::nullopt, WorkspaceRole::kOwner,
                                                   WorkspaceRole::kMember};
  const std::optional<OrgRole> org_roles[] = {std::nullopt, OrgRole::kSuperAdmin, OrgRole::kAdmin,
                                              OrgRole::kMember, OrgRole::kGuest};
  int allowed = 0, denied = 0;
  for (TokenKind kind : kAllKinds) {
    for (const Context& ctx : AllContexts()) {
      for (int scope = 0; scope < 3; ++scope) {
        Principal p = Token(kind, ctx);
        if (scope == 1) p = ScopedTo(std::move(p), {kWsA1, kWsX});
        if (scope == 2) p = ScopedTo(std::move(p), {});
        for (const Owner& o : owners) {
          for (const char* id : {kWsA1, kWsX, kWsFuture}) {
            for (const auto& wr : ws_roles) {
              for (const auto& orr : org_roles) {
                const WorkspaceTarget t = Ws(id, o.account, o.enterprise, wr, orr);
                const bool reach = ReachesWorkspace(p, t);
                reach ? ++allowed : ++denied;
                const std::string trace = std::string(credentials::ToString(kind)) +
                                          " ctx=" + ctx.account_id + "/" + ctx.enterprise_id +
                                          " scope=" + std::to_string(scope) + " ws=" + id +
                                          " owner=" + o.account;
                EXPECT_EQ(Code(Decide(p, "chat", t).code),
                          Code(reach ? Errc::kOk : Errc::kPermissionDenied))
                    << trace;
                EXPECT_EQ(Code(Decide(p, "", t).code),
                          Code(reach ? Errc::kOk : Errc::kPermissionDenied))
                    << trace;
                EXPECT_EQ(Code(Decide(Without(p, "chat"), "chat", t).code),
                          Code(Errc::kPermissionDenied))
                    << trace;
                EXPECT_EQ(Code(Decide(p, "chat", Gone(t), Errc::kBotNotFound).code),
                          Code(Errc::kBotNotFound))
                    << trace;
                EXPECT_EQ(Code(Decide(InState(p, CredentialState::kRevoked), "chat", t).code),
                          Code(Errc::kTokenInvalid))
                    << trace;
                // A workspace outside the context is never reached, whatever the roles.
                const bool in_context = ctx.kind == ContextKind::kEnterprise
                                            ? std::string(o.enterprise) == ctx.enterprise_id
                                            : std::string(o.account) == ctx.account_id;
                if (!in_context) {
                  EXPECT_FALSE(reach) << trace;
                }
              }
            }
          }
        }
      }
    }
  }
  EXPECT_GT(allowed, 0);
  EXPECT_GT(denied, 0);
}

TEST(DecisionReach, ReachesAccountResourceAgreesWithDecide) {
  struct Owner {
    const char* account;
    const char* enterprise;
  };
  const Owner owners[] = {
      {kUser, ""}, {kOtherUser, ""}, {kOrgA, kEnt}, {kOrgB, kEnt}, {kOrgX, kOtherEnt}};
  const std::vector<std::vector<std::string>> grants = {
      {}, {kUser}, {kOtherUser}, {kUser, kOtherUser}};
  int allowed = 0, denied = 0;
  for (TokenKind kind : kAllKinds) {
    for (const Context& ctx : AllContexts()) {
      for (const auto& granted : grants) {
        for (const char* session : {"", "s1"}) {
          const Principal p = InSession(GrantedBy(Token(kind, ctx), granted), session);
          for (const Owner& o : owners) {
            for (const char* res_session : {"", "s1", "s2"}) {
              const AccountTarget t = Res(o.account, o.enterprise, res_session);
              const bool reach = ReachesAccountResource(p, t);
              reach ? ++allowed : ++denied;
              const std::string trace =
                  std::string(credentials::ToString(kind)) + " ctx=" + ctx.account_id + "/" +
                  ctx.enterprise_id + " granted=" + std::to_string(granted.size()) +
                  " session=" + session + " owner=" + o.account + " res_session=" + res_session;
              EXPECT_EQ(Code(Decide(p, "retrieveConversation", t).code),
                        Code(reach ? Errc::kOk : Errc::kPermissionDenied))
                  << trace;
              EXPECT_EQ(
                  Code(
                      Decide(p, "retrieveConversation", Gone(t), Errc::kConversationNotFound).code),
                  Code(Errc::kConversationNotFound))
                  << trace;
              // Session isolation is never widened by ownership or grants.
              if (*session != '\0' && std::string(session) != res_session) {
                EXPECT_FALSE(reach) << trace;
              }
              // An unrelated personal account is reachable only through its own grant.
              if (std::string(o.account) == kOtherUser) {
                EXPECT_EQ(reach, std::ranges::count(granted, std::string(kOtherUser)) > 0 &&
                                     (*session == '\0' || std::string(session) == res_session))
                    << trace;
              }
            }
          }
        }
      }
    }
  }
  EXPECT_GT(allowed, 0);
  EXPECT_GT(denied, 0);
}

TEST(DecisionReach, CheckCredentialIsDecideWithoutTarget) {
  for (TokenKind kind : kAllKinds) {
    for (const Principal& p : {Token(kind, Personal()), NoPoints(Token(kind, Org())),
                               Only(Token(kind, Ent()), "chat", Level::kAccount),
                               InState(Token(kind, Ent()), CredentialState::kExpired)}) {
      for (const auto& point : {"", "chat", "getChat", "getBenefit", "Bot.chat", "noSuchPoint"}) {
        EXPECT_EQ(Code(CheckCredential(p, point).code), Code(Decide(p, point, NoTarget{}).code))
            << credentials::ToString(kind) << " " << point;
      }
    }
  }
}

}  // namespace
}  // namespace cozeauth::policy
