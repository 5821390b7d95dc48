#pragma once
// Scenario: builds the tenancy a test needs through the operator CLI — users, workspaces,
// bots, PATs — against a running TestServer's store. Every method throws std::runtime_error
// with the CLI's output when a command fails, so a broken fixture fails the test loudly.
//
//   Scenario s(server);
//   World w = s.MakeWorld("Echo:");   // user, team workspace, published bot, all-points PAT
//   server.Http().Get("/v1/bots/" + w.bot_id, Bearer(w.pat.token));

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

  World MakeWorld(const std::string& prompt = "Echo:");

  const AdminCli& cli() const { return cli_; }

 private:
  AdminCli cli_;
};

// The deterministic runtime's answer (src/runtime/bot_runtime.hpp, docs/runtime.md).
std::string ExpectedReply(const std::string& prompt, const std::string& message);

}  // namespace cozeauth::it
