// The guide's PAT scenario ("update API authorization after upgrading to the Enterprise/Team
// edition", coze-platform.md §6.5 step 3) with coze::FailoverAuth: chat with a bot through the
// personal PAT first and the enterprise PAT (all workspaces) when the personal one is rejected
// (4100/4101/not found) — after the bot's workspace moved into the enterprise. The chain
// remembers which PAT serves the bot, in a file between runs, so that after the first fallback
// every call costs one request.
//
//   COZE_API_BASE=http://127.0.0.1:8080 COZE_PERSONAL_PAT=pat_… COZE_ENTERPRISE_PAT=pat_…
//     COZE_BOT_ID=… [COZE_FAILOVER_STATE=failover.json] ./pat_fallback "hello"

#include <coze/client.hpp>
#include <coze/failover.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

namespace {

std::string Env(const char* name, const char* fallback = nullptr) {
  if (const char* v = std::getenv(name); v != nullptr && *v != '\0') return v;
  if (fallback != nullptr) return fallback;
  std::cerr << "pat_fallback: set " << name << "\n";
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string base = Env("COZE_API_BASE", coze::kCnBaseUrl);
  const std::string bot_id = Env("COZE_BOT_ID");
  const std::string state_file = Env("COZE_FAILOVER_STATE", "");
  const std::string question = argc > 1 ? argv[1] : "hello";

  auto auth = std::make_shared<coze::FailoverAuth>(
      std::vector<coze::FailoverCredential>{
          {"personal", std::make_shared<coze::TokenAuth>(Env("COZE_PERSONAL_PAT"))},
          {"enterprise", std::make_shared<coze::TokenAuth>(Env("COZE_ENTERPRISE_PAT"))}},
      coze::FailoverOptions{.on_attempt = [](const coze::FailoverEvent& e) {
        if (e.outcome == coze::AttemptOutcome::kFallback) {
          std::cerr << "[failover] " << e.name << " rejected (" << e.code << ") for " << e.resource
                    << "; trying the next credential\n";
        }
      }});
  if (!state_file.empty()) {  // what an earlier run learned: no fallback to pay again
    std::ifstream in(state_file);
    std::stringstream saved;
    saved << in.rdbuf();
    if (in && !saved.str().empty()) {
      if (auto restored = auth->Restore(saved.str()); !restored) {
        std::cerr << "pat_fallback: ignoring " << state_file << ": " << restored.Describe() << "\n";
      }
    }
  }

  coze::Client client({.base_url = base, .auth = auth});
  coze::ChatRequest request{.bot_id = bot_id,
                            .user_id = "pat-fallback",
                            .additional_messages = {{.role = "user", .content = question}}};
  std::string answer;
  auto chat = client.chat().Stream(request, [&](const coze::ChatEvent& e) {
    if (e.event == coze::chat_event::kMessageDelta && e.message) answer += e.message->content;
    return true;
  });
  if (!chat) {
    std::cerr << "pat_fallback: chat failed: " << chat.Describe() << "\n";
    return 1;
  }
  std::cout << answer << "\n";

  for (const auto& s : auth->Stats()) {
    std::cerr << "[failover] " << s.name << ": attempts=" << s.attempts
              << " successes=" << s.successes << " fallbacks=" << s.fallbacks << "\n";
  }
  if (!state_file.empty()) std::ofstream(state_file, std::ios::trunc) << auth->Save();
  return 0;
}
