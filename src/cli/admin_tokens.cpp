// `cozeauth admin pat create`, `admin sat create`, `admin token revoke|list` and
// `admin permissions` (the permission catalogue the grants are checked against).

#include <charconv>
#include <cstdio>
#include <memory>
#include <optional>

#include "base/strings.hpp"
#include "cli/admin_common.hpp"
#include "cli/admin_print.hpp"
#include "policy/catalogue.hpp"

namespace cozeauth::cli {
namespace {

using credentials::TokenKind;

struct TokenCreateOptions {
  std::string user;
  std::string account;
  std::string name;
  std::string days;  // PAT: required integer; SAT: integer or "permanent" (default)
  std::string account_permissions;
  std::string workspace_permissions;
  std::string enterprise_permissions;
  std::string workspaces;  // "all" or a comma list of workspace ids
};

// Only the spelling is checked here; the range (PAT 1–30, SAT 1–3650) is the operation's.
Result<std::optional<int>> ParseDays(const std::string& text, TokenKind kind) {
  if (kind == TokenKind::kSat && (text.empty() || text == "permanent")) {
    return std::optional<int>{};
  }
  int days = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), days);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) {
    return Error::BadRequest("days", kind == TokenKind::kSat
                                         ? "--days must be a number of days or 'permanent'"
                                         : "--days must be a number of days (1-30)");
  }
  return std::optional<int>{days};
}

Result<admin::TokenSpec> BuildSpec(const TokenCreateOptions& o, TokenKind kind) {
  auto days = ParseDays(o.days, kind);
  if (!days) return days.error();
  admin::TokenSpec spec;
  spec.kind = kind;
  spec.user_id = o.user;
  spec.account_id = o.account;
  spec.name = o.name;
  spec.days = days.value();
  spec.account_permissions = SplitNonEmpty(o.account_permissions, ',');
  spec.workspace_permissions = SplitNonEmpty(o.workspace_permissions, ',');
  spec.enterprise_permissions = SplitNonEmpty(o.enterprise_permissions, ',');
  if (Trim(o.workspaces) == "all") {
    spec.all_workspaces = true;
  } else {
    spec.workspace_ids = SplitNonEmpty(o.workspaces, ',');
  }
  return spec;
}

void PrintCreatedToken(Cli& cli, const admin::CreatedToken& created, int64_t now) {
  const auto& t = created.token;
  if (cli.json) {
    auto out = TokenJson(t, now);
    out["token"] = created.plaintext;
    return PrintJson(out);
  }
  std::printf("token (shown once; only its hash is stored, copy it now):\n  %s\n",
              created.plaintext.c_str());
  std::printf("id:       %s\nname:     %s\naccount:  %s\nexpires:  %s\n", t.id.c_str(),
              t.name.c_str(), t.context.account_id.c_str(), FormatTime(t.expires_at).c_str());
}

void SetupTokenCreate(CLI::App& admin, Cli& cli, TokenKind kind) {
  const bool pat = kind == TokenKind::kPat;
  auto o = std::make_shared<TokenCreateOptions>();
  CLI::App* group = AddAdminGroup(admin, pat ? "pat" : "sat",
                                  pat ? "Personal access tokens" : "Service access tokens");
  CLI::App* cmd = AddAdminLeaf(*group, "create",
                               pat ? "Create a personal access token (printed once)"
                                   : "Create a service access token (printed once)",
                               cli);
  cmd->add_option("--user", o->user,
                  pat ? "Owner user id" : "User id of the creating administrator")
      ->required();
  cmd->add_option("--account", o->account,
                  "Account the token acts in (default: the user's personal account)");
  cmd->add_option("--name", o->name, "Token name")->required();
  auto* days = cmd->add_option(
      "--days", o->days,
      pat ? "Lifetime in days (1-30)" : "Lifetime in days (1-3650) or 'permanent' (default)");
  if (pat) days->required();
  cmd->add_option("--account-permissions", o->account_permissions,
                  "Comma list of account-level points");
  cmd->add_option("--workspace-permissions", o->workspace_permissions,
                  "Comma list of workspace-level points");
  cmd->add_option("--enterprise-permissions", o->enterprise_permissions,
                  "Comma list of enterprise-level points");
  cmd->add_option("--workspaces", o->workspaces, "'all' or a comma list of workspace ids");
  cmd->callback([o, &cli, kind, cmd] {
    auto spec = BuildSpec(*o, kind);
    if (!spec) return cli.Fail(spec.error());
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      auto created = admin::CreateToken(env, *spec);
      if (!created) return cli.Fail(created.error());
      PrintCreatedToken(cli, *created, env.clock.NowSeconds());
    });
  });
}

void SetupTokenRevoke(CLI::App& group, Cli& cli) {
  auto id = std::make_shared<std::string>();
  CLI::App* cmd = AddAdminLeaf(group, "revoke", "Revoke a token at once", cli);
  cmd->add_option("--id", *id, "Token id")->required();
  cmd->callback([id, &cli, cmd] {
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      if (auto s = admin::RevokeToken(env, *id); !s) return cli.Fail(s.error());
      if (cli.json) return PrintJson(boost::json::object{{"id", *id}, {"revoked", true}});
      std::printf("revoked token %s\n", id->c_str());
    });
  });
}

struct TokenListOptions {
  std::string user;
  std::string kind;
};

void SetupTokenList(CLI::App& group, Cli& cli) {
  auto o = std::make_shared<TokenListOptions>();
  CLI::App* cmd = AddAdminLeaf(group, "list", "List a user's tokens (never their secrets)", cli);
  cmd->add_option("--user", o->user, "User id")->required();
  cmd->add_option("--kind", o->kind, "pat|sat (default: all)");
  cmd->callback([o, &cli, cmd] {
    std::optional<TokenKind> kind;
    if (!o->kind.empty()) {
      kind = credentials::ParseTokenKind(o->kind);
      if (!kind) {
        return cli.Fail(
            Error::BadRequest("kind", "--kind must be pat or sat, not '" + o->kind + "'"));
      }
    }
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      if (auto u = env.store.GetUser(o->user); !u) {
        return cli.Fail(Error::Make(u.error().code, "user " + o->user + " not found"));
      }
      auto tokens = env.store.ListTokensOfUser(o->user, kind);
      if (!tokens) return cli.Fail(tokens.error());
      const int64_t now = env.clock.NowSeconds();
      if (cli.json) {
        boost::json::array out;
        for (const auto& t : tokens.value()) out.emplace_back(TokenJson(t, now));
        return PrintJson(out);
      }
      std::vector<std::vector<std::string>> rows;
      for (const auto& t : tokens.value()) {
        rows.push_back({t.id, std::string(credentials::ToString(t.kind)), t.name,
                        t.context.account_id, FormatTime(t.expires_at), TokenStatus(t, now),
                        FormatTime(t.last_used_at)});
      }
      PrintTable({"ID", "KIND", "NAME", "ACCOUNT", "EXPIRES", "STATUS", "LAST USED"}, rows);
    });
  });
}

void SetupPermissions(CLI::App& admin, Cli& cli) {
  CLI::App* cmd = AddAdminLeaf(admin, "permissions", "List the permission catalogue", cli);
  cmd->callback([&cli] {
    if (cli.json) {
      boost::json::array out;
      for (const auto& p : policy::Catalogue()) {
        out.emplace_back(boost::json::object{{"name", p.name},
                                             {"level", policy::ToString(p.level)},
                                             {"group", p.group},
                                             {"description", p.description}});
      }
      return PrintJson(out);
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : policy::Catalogue()) {
      rows.push_back({std::string(p.name), std::string(policy::ToString(p.level)),
                      std::string(p.group), std::string(p.description)});
    }
    PrintTable({"NAME", "LEVEL", "GROUP", "DESCRIPTION"}, rows);
  });
}

}  // namespace

void SetupAdminTokenCommands(CLI::App& admin, Cli& cli) {
  SetupTokenCreate(admin, cli, TokenKind::kPat);
  SetupTokenCreate(admin, cli, TokenKind::kSat);
  CLI::App* token = AddAdminGroup(admin, "token", "Tokens of every kind");
  SetupTokenRevoke(*token, cli);
  SetupTokenList(*token, cli);
  SetupPermissions(admin, cli);
}

}  // namespace cozeauth::cli
