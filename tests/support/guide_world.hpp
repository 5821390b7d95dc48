#pragma once
// GuideWorld: the setup of the Coze guide "update API authorization after upgrading to the
// Enterprise/Team edition" (coze-platform.md §6.5, issue 4) as a gtest fixture over the real
// binary, shared by the migration suites (CLI and console). SetUp builds:
//
//   user_            a personal user, who is also super_admin of ent_ ("Acme", team edition)
//   ws_, bot_        workspace W in the user's personal account and its published bot
//   personal_pat_    a PAT of the personal account (every point, all workspaces)
//   jwt_app_, kid_   a service (JWT) app of the user, authorized (AppAuth) in the personal account
//                    and enterprise-wide in ent_; personal_jwt_ / enterprise_jwt_ are its tokens
//                    from /account/{user}/token and /enterprise_id/{ent}/token
//   web_app_         a web app; obo_token_ is the user's OBO token from a personal consent
//   conversation_    a conversation with W's bot, created with the personal PAT
//   ent_pat_         the user's PAT "prod" in the enterprise's default organization, all
//                    workspaces
//
// and asserts the starting point: the personal credentials reach W's bot, the enterprise ones
// get 4101. Each test gets its own server (the world is rebuilt per test).

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>

#include "support/http_client.hpp"
#include "support/rsa_jwt.hpp"
#include "support/scenario.hpp"
#include "support/test_server.hpp"

namespace cozeauth::it {

class GuideWorld : public ::testing::Test {
 protected:
  // A write by another process (the CLI) reaches the server within its auth-epoch poll (200 ms).
  // Becomes() waits for that event; this deadline only bounds a failure, generously, so that a
  // loaded machine (scripts/stress-tests) cannot turn a slow poll into a failure.
  static constexpr std::chrono::milliseconds kPropagation{30'000};
  static constexpr const char* kRedirect = "http://localhost:8080/callback";

  GuideWorld();
  void SetUp() override;

  // A JWT-bearer access token of jwt_app_ from the token endpoint at `path`.
  std::string JwtToken(const std::string& path);
  HttpResponse BotAs(const std::string& token);           // GET /v1/bots/{bot_}
  HttpResponse ConversationAs(const std::string& token);  // GET /v1/conversation/retrieve
  // Repeats `request` until its code is `code` (kPropagation at most).
  ::testing::AssertionResult Becomes(const std::function<HttpResponse()>& request, int code);
  // Restarts the server gracefully, which writes its buffered request counts and last-used
  // times to the store (TestServer::Restart); http_ follows the new port. In-memory state
  // (/metrics, caches) starts afresh.
  void FlushServer();

  TestServer server_;
  Scenario scenario_;
  HttpClient http_;
  RsaJwtSigner signer_;
  UserInfo user_;
  std::string ws_, bot_, conversation_, kid_;
  TokenInfo personal_pat_, ent_pat_;
  AppInfo jwt_app_, web_app_;
  EnterpriseInfo ent_;
  std::string obo_token_, personal_jwt_, enterprise_jwt_;
};

}  // namespace cozeauth::it
