#pragma once
// How `cozeauth admin …` prints what it created or listed: JSON objects for --json (one object,
// or one array for lists, on stdout) and aligned text tables otherwise. Secrets never leave
// through here: users are printed without password_hash and tokens without token_hash; a
// token's plaintext is added by its create command alone. Pure functions plus stdout writes.

#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "credentials/oauth_app.hpp"
#include "credentials/oauth_grant.hpp"
#include "credentials/token.hpp"
#include "domain/model.hpp"

namespace cozeauth::cli {

boost::json::object UserJson(const domain::User& user);
boost::json::object EnterpriseJson(const domain::Enterprise& enterprise);
boost::json::object AccountJson(const domain::Account& account);
boost::json::object WorkspaceJson(const domain::Workspace& workspace);
boost::json::object BotJson(const domain::Bot& bot);
// `now` decides the "status" field: active, expired or revoked.
boost::json::object TokenJson(const credentials::Token& token, int64_t now);
std::string TokenStatus(const credentials::Token& token, int64_t now);
// OAuth apps (coze-platform.md §5). Client secrets print their id and mask only (never the
// digest); a new secret's plaintext is added by `admin app secret create` alone.
boost::json::object AppJson(const credentials::OAuthApp& app);
boost::json::object AppPublicKeyJson(const credentials::AppPublicKey& key);
boost::json::object ClientSecretJson(const credentials::ClientSecret& secret);
boost::json::object GrantJson(const credentials::Grant& grant);
boost::json::object AuthorizationJson(const credentials::AppAuthorization& authorization);
// "enterprise ent_…" for an enterprise-wide authorization, else "account <id>".
std::string AuthorizationPlace(const credentials::AppAuthorization& authorization);
// revoked | disabled | active
std::string_view AuthorizationStatus(const credentials::AppAuthorization& authorization);
// The items joined with ",", or "-" when there are none.
std::string JoinOrDash(const std::vector<std::string>& items);
// "account: a,b; workspace: c (all workspaces); enterprise: -" for the text output.
std::string DescribeGrant(const credentials::Grant& grant);

// "2025-06-15 12:00:00 UTC"; a negative time prints as "never", 0 as "-".
std::string FormatTime(int64_t unix_seconds);

// One line of compact JSON on stdout.
void PrintJson(const boost::json::value& value);
// Columns padded to their widest cell, two spaces apart; header first.
void PrintTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows);

}  // namespace cozeauth::cli
