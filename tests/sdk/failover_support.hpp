#pragma once
// The migration scenario shared by the FailoverAuth integration test and bench/failover_bench:
// a real `cozeauth serve`, a user whose team workspace W (with a published bot) lives in the
// personal account, an enterprise the user owns, a personal PAT and an enterprise PAT (all
// workspaces); Migrate() moves W into the enterprise's default organization with
// `cozeauth migrate run --mode cut`, after which only the enterprise PAT reaches W's bot.
// CountingTransport counts the HTTP requests an application sends; PlainRetryChat is the guide's
// unconditional retry (personal, then enterprise on 4100/4101/not-found), for comparison.
// Not thread-safe, except CountingTransport.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <coze/client.hpp>
#include <coze/failover.hpp>
#include <memory>
#include <string>

#include "support/scenario.hpp"
#include "support/subprocess.hpp"
#include "support/test_server.hpp"

namespace cozeauth::it {

class CountingTransport : public coze::HttpTransport {
 public:
  explicit CountingTransport(std::shared_ptr<coze::HttpTransport> inner)
      : inner_(std::move(inner)) {}
  coze::Result<coze::HttpResponse> Send(const coze::HttpRequest& request) override {
    requests.fetch_add(1, std::memory_order_relaxed);
    return inner_->Send(request);
  }
  coze::Result<coze::HttpResponse> Stream(const coze::HttpRequest& request,
                                          const coze::ChunkCallback& on_chunk) override {
    requests.fetch_add(1, std::memory_order_relaxed);
    return inner_->Stream(request, on_chunk);
  }
  std::atomic<uint64_t> requests{0};

 private:
  std::shared_ptr<coze::HttpTransport> inner_;
};

class MigrationWorld {
 public:
  MigrationWorld() : scenario_(server_), world_(scenario_.MakeWorld("Echo:")) {
    enterprise_ = scenario_.CreateEnterprise("Acme " + world_.user.name, world_.user.id, "team");
    enterprise_pat_ = scenario_.CreatePat(
        world_.user.id, {.account_id = enterprise_.default_org_account_id, .name = "enterprise"});
  }

  TestServer& server() { return server_; }
  Scenario& scenario() { return scenario_; }
  const World& world() const { return world_; }
  const EnterpriseInfo& enterprise() const { return enterprise_; }
  const TokenInfo& personal_pat() const { return world_.pat; }
  const TokenInfo& enterprise_pat() const { return enterprise_pat_; }

  // `cozeauth migrate run --workspace W --to-org <default org> --mode cut --db … --json`.
  ProcessResult Migrate() const {
    return RunProcess(
        {CozeauthBinary(), "migrate", "run", "--workspace", world_.workspace_id, "--to-org",
         enterprise_.default_org_account_id, "--mode", "cut", "--db", server_.db_url(), "--json"},
        {}, std::chrono::seconds(60));
  }

  std::unique_ptr<coze::Client> MakeClient(std::shared_ptr<coze::Auth> auth,
                                           std::shared_ptr<coze::HttpTransport> transport) const {
    return std::make_unique<coze::Client>(coze::ClientOptions{.base_url = server_.base_url(),
                                                              .auth = std::move(auth),
                                                              .transport = std::move(transport),
                                                              .timeout = std::chrono::seconds(20)});
  }

  // The personal-then-enterprise chain.
  std::shared_ptr<coze::FailoverAuth> MakeChain(coze::FailoverOptions options = {}) const {
    return std::make_shared<coze::FailoverAuth>(
        std::vector<coze::FailoverCredential>{
            {"personal", std::make_shared<coze::TokenAuth>(world_.pat.token)},
            {"enterprise", std::make_shared<coze::TokenAuth>(enterprise_pat_.token)}},
        std::move(options));
  }

  coze::ChatRequest Ask(const std::string& text) const {
    return {.bot_id = world_.bot_id,
            .user_id = "failover",
            .additional_messages = {{.role = "user", .content = text}}};
  }

 private:
  TestServer server_;
  Scenario scenario_;
  World world_;
  EnterpriseInfo enterprise_;
  TokenInfo enterprise_pat_;
};

// The guide's plain retry: every call tries the personal client, and on a rejection the
// enterprise one — no memory, so after a migration every call costs two requests.
inline coze::Result<coze::Chat> PlainRetryChat(coze::Client& personal, coze::Client& enterprise,
                                               const coze::ChatRequest& request) {
  auto chat = personal.chat().Create(request);
  if (chat || chat.is_auth_error()) return chat;
  const auto& codes = coze::DefaultFailoverCodes();
  if (std::find(codes.begin(), codes.end(), chat.error().code) == codes.end()) return chat;
  return enterprise.chat().Create(request);
}

}  // namespace cozeauth::it
