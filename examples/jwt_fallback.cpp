// The guide's AppAuth (JWT) scenario (coze-platform.md §6.5 step 2) with coze::FailoverAuth: one
// service app, two JWT token sources — for the app creator's personal account (account_id) and
// for the enterprise the app was authorized in (enterprise_id) — tried in that order; the
// enterprise token is used when the personal one is rejected (4100/4101/not found) after the
// bot's workspace moved into the enterprise, and remembered for the bot. Unlike the guide's Go
// sample (docs/migration.md, "Pitfalls in the guide's sample code"), the enterprise id is a
// string ("ent_…") and the enterprise token really comes from
// /api/permission/oauth2/enterprise_id/{id}/token: JWTAuth keeps enterprise_id, where coze-go's
// NewJWTAuth drops it. A JWT token the server refuses with 4100 (revoked) is re-minted once
// before the chain moves on.
//
//   COZE_JWT_CONFIG=app.json   (cozeauth admin app export-config …, or the Coze console's)
//   COZE_ACCOUNT_ID=<the creator's user id> COZE_ENTERPRISE_ID=ent_… COZE_BOT_ID=…
//     ./jwt_fallback "hello"

#include <coze/client.hpp>
#include <coze/failover.hpp>
#include <coze/oauth.hpp>
#include <cstdlib>
#include <iostream>

namespace {

std::string Env(const char* name) {
  if (const char* v = std::getenv(name); v != nullptr && *v != '\0') return v;
  std::cerr << "jwt_fallback: set " << name << "\n";
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  auto app = coze::LoadOAuthAppFromConfig(Env("COZE_JWT_CONFIG"));
  if (!app) {
    std::cerr << "jwt_fallback: " << app.Describe() << "\n";
    return 2;
  }
  const auto* jwt = std::get_if<coze::JWTOAuthClient>(&*app);
  if (jwt == nullptr) {
    std::cerr << "jwt_fallback: COZE_JWT_CONFIG is not a JWT (service) app\n";
    return 2;
  }

  auto personal = std::make_shared<coze::JWTAuth>(
      *jwt, coze::JWTTokenRequest{.account_id = Env("COZE_ACCOUNT_ID")});
  auto enterprise = std::make_shared<coze::JWTAuth>(
      *jwt, coze::JWTTokenRequest{.enterprise_id = Env("COZE_ENTERPRISE_ID")});
  auto auth = std::make_shared<coze::FailoverAuth>(
      std::vector<coze::FailoverCredential>{{"jwt-account", personal},
                                            {"jwt-enterprise", enterprise}},
      coze::FailoverOptions{.on_attempt = [](const coze::FailoverEvent& e) {
        if (e.outcome == coze::AttemptOutcome::kFallback) {
          std::cerr << "[failover] " << e.name << " rejected (" << e.code << ") for " << e.resource
                    << "; trying the next credential\n";
        } else if (e.outcome == coze::AttemptOutcome::kRenewed) {
          std::cerr << "[failover] " << e.name << " token refused (4100); minted a new one\n";
        }
      }});

  coze::Client client({.base_url = jwt->base_url(), .auth = auth});
  coze::ChatRequest request{
      .bot_id = Env("COZE_BOT_ID"),
      .user_id = "jwt-fallback",
      .additional_messages = {{.role = "user", .content = argc > 1 ? argv[1] : "hello"}}};
  // Two calls: the first may fall back, the second goes straight to the learned credential.
  for (int i = 0; i < 2; ++i) {
    std::string answer;
    auto chat = client.chat().Stream(request, [&](const coze::ChatEvent& e) {
      if (e.event == coze::chat_event::kMessageDelta && e.message) answer += e.message->content;
      return true;
    });
    if (!chat) {
      std::cerr << "jwt_fallback: chat failed: " << chat.Describe() << "\n";
      return 1;
    }
    std::cout << answer << "\n";
  }
  for (const auto& s : auth->Stats()) {
    std::cerr << "[failover] " << s.name << ": attempts=" << s.attempts
              << " successes=" << s.successes << " fallbacks=" << s.fallbacks
              << " renewals=" << s.renewals << "\n";
  }
  return 0;
}
