#pragma once
// Scenario: builds the tenancy a test needs through the operator CLI — users, workspaces,
// bots, PATs — against a running TestServer's store. Every method throws std::runtime_error
// with the CLI's output when a command fails, so a broken fixture fails the test loudly.
//
//   Scenario s(server);
//   World w = s.MakeWorld("Echo:");   // user, team workspace, published bot, all-points PAT
//   server.Http().Get("/v1/bots/" + w.bot_id, Bearer(w.pat.token));

#include <optional>
#include <string>
#include <vector>

#include "support/cli_runner.hpp"
#include "support/test_server.hpp"

namespace cozeauth::it {

// The OpenAPI permission points of each level (coze-protocol.md §5.2), as the catalogue levels
// them: everything a test PAT may need.
const std::vector<std::string>& AllAccountPoints();
const std::vector<std::string>& AllWorkspacePoints();
// "a,b,c".
std::string JoinPoints(const std::vector<std::string>& points);
// The list without `point`.
std::vector<std::string> Without(std::vector<std::string> points, const std::string& point);

struct UserInfo {
  std::string id;  // also the id of the user's personal account
  std::string name;
  std::string email;
  std::string password;
};

struct TokenInfo {
  std::string id;
  std::string token;  // the plaintext, shown once by the CLI
};

struct PatSpec {
  std::string account_id;  // empty: the user's personal account
  std::string name = "integration";
  int days = 7;
  std::vector<std::string> account_permissions = AllAccountPoints();
  std::vector<std::string> workspace_permissions = AllWorkspacePoints();
  std::string workspaces = "all";  // "all" or "W1,W2"
};

struct World {
  UserInfo user;
  std::string workspace_id;  // a team workspace of the user's personal account
  std::string bot_id;        // published to the API connector 1024
  std::string prompt;        // the bot's prompt
  TokenInfo pat;             // every point, all workspaces
};

struct EnterpriseInfo {
  std::string id;                      // ent_…
  std::string default_org_account_id;  // the default organization's account id
};

// An OAuth app (`admin app create`, coze-platform.md §5). Declared points default to every
// OpenAPI point; web and pkce apps without redirect_uris get "http://localhost:8080/callback".
struct AppSpec {
  std::string owner_account;            // empty: the owner's personal account
  std::string owner;                    // owner user id (required)
  std::string name;                     // empty: a unique name
  std::string client_type = "service";  // web | pkce | device | service
  std::string app_type;                 // empty: normal
  std::vector<std::string> redirect_uris;
  std::vector<std::string> account_permissions = AllAccountPoints();
  std::vector<std::string> workspace_permissions = AllWorkspacePoints();
  std::vector<std::string> enterprise_permissions;
};

struct AppInfo {
  std::string id;         // 19 digits; the JWT iss
  std::string client_id;  // "<32 digits>.app.coze", or the id for service apps
};

// Options of `admin app authorize` beyond the place; nullopt permissions = all declared points.
struct AuthorizeOptions {
  std::string workspaces = "all";  // "all" or "W1,W2"
  std::optional<std::vector<std::string>> account_permissions;
  std::optional<std::vector<std::string>> workspace_permissions;
  std::optional<std::vector<std::string>> enterprise_permissions;
};

class Scenario {
 public:
  explicit Scenario(const TestServer& server) : cli_(server.Admin()) {}

  UserInfo CreateUser(const std::string& label = "user");
  std::string CreateWorkspace(const std::string& account_id, const std::string& owner_user_id,
                              const std::string& name);
  void AddWorkspaceMember(const std::string& workspace_id, const std::string& user_id,
                          const std::string& role = "member");
  void RemoveWorkspaceMember(const std::string& workspace_id, const std::string& user_id);
  std::string CreateBot(const std::string& workspace_id, const std::string& name,
                        const std::string& prompt, bool publish);
  TokenInfo CreatePat(const std::string& user_id, const PatSpec& spec = {});
  void RevokeToken(const std::string& token_id);

  // `admin enterprise create`: the owner becomes super_admin of it and its default organization.
  EnterpriseInfo CreateEnterprise(const std::string& name, const std::string& owner_user_id,
                                  const std::string& edition = "team");

  AppInfo CreateApp(const AppSpec& spec);
  // Registers a public key PEM (through a temporary file); returns its kid (fingerprint).
  std::string AddAppKey(const std::string& app_id, const std::string& public_key_pem);
  // A new client secret of a web app; returns the plaintext.
  std::string CreateClientSecret(const std::string& app_id);
  // Authorizes (kind "app") or installs (kind "obo") the app; `place` is an account id or an
  // enterprise id ("ent_…", enterprise-wide). Empty kind: the CLI's default for the client
  // type. Returns the authorization id.
  std::string AuthorizeApp(const std::string& app_id, const std::string& by_user,
                           const std::string& place, const std::string& kind = "",
                           const AuthorizeOptions& options = {});
  void RevokeAuthorization(const std::string& authorization_id);
  void SetAppEnabled(const std::string& app_id, bool enabled);

  World MakeWorld(const std::string& prompt = "Echo:");

  const AdminCli& cli() const { return cli_; }

 private:
  AdminCli cli_;
};

// The deterministic runtime's answer (src/runtime/bot_runtime.hpp, docs/runtime.md).
std::string ExpectedReply(const std::string& prompt, const std::string& message);

}  // namespace cozeauth::it
