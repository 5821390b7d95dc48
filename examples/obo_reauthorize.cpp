// The guide's OBO scenario (coze-platform.md §6.5 step 4): an app acting on behalf of a user
// with an OAuth (czu_…) token. After a migration the token is rejected with 4100/4101; the app
// must send the user through authorization again. coze::OboAuth turns that rejection into a
// coze::ReauthorizationRequired error carrying what to do:
//
//   web (authorization code):  the authorize URL to redirect the user to; run again with the
//                              `code` the redirect brought back (and the client secret)
//   --device (device flow):    start a new device flow: this program shows the user code,
//                              waits for the approval and repeats the call
//
//   COZE_API_BASE=http://127.0.0.1:8080 COZE_CLIENT_ID=… COZE_BOT_ID=… COZE_OBO_TOKEN=czu_…
//     COZE_REDIRECT_URI=http://localhost:8080/callback [COZE_CLIENT_SECRET=… COZE_AUTH_CODE=…]
//     ./obo_reauthorize "hello"
//   … ./obo_reauthorize --device "hello"
//
// Exit status: 0 answered; 3 the user must authorize (web: the URL is printed); 1 other error.

#include <coze/client.hpp>
#include <coze/failover.hpp>
#include <coze/oauth.hpp>
#include <cstdlib>
#include <iostream>
#include <random>

namespace {

std::string Env(const char* name, const char* fallback = nullptr) {
  if (const char* v = std::getenv(name); v != nullptr && *v != '\0') return v;
  if (fallback != nullptr) return fallback;
  std::cerr << "obo_reauthorize: set " << name << "\n";
  std::exit(2);
}

std::string RandomState() {
  std::random_device rd;
  return std::to_string(rd()) + std::to_string(rd());
}

}  // namespace

int main(int argc, char** argv) {
  const bool device = argc > 1 && std::string(argv[1]) == "--device";
  const std::string question = argc > (device ? 2 : 1) ? argv[device ? 2 : 1] : "hello";
  coze::OAuthClientOptions oauth;
  oauth.base_url = Env("COZE_API_BASE", coze::kCnBaseUrl);
  oauth.client_id = Env("COZE_CLIENT_ID");
  oauth.client_secret = Env("COZE_CLIENT_SECRET", "");
  const std::string redirect_uri = device ? "" : Env("COZE_REDIRECT_URI");
  const coze::WebOAuthClient web(oauth);
  std::string token = Env("COZE_OBO_TOKEN", "");

  // web: the user came back from the authorize page with a code.
  if (const std::string code = Env("COZE_AUTH_CODE", ""); !device && !code.empty()) {
    auto fresh = web.GetAccessToken(code, redirect_uri);
    if (!fresh) {
      std::cerr << "obo_reauthorize: code exchange failed: " << fresh.Describe() << "\n";
      return 1;
    }
    token = fresh->access_token;
    std::cerr << "obo_reauthorize: the code bought a new token (an app stores it with its "
                 "refresh token, e.g. in an OAuthAuth)\n";
  }

  coze::ChatRequest request{.bot_id = Env("COZE_BOT_ID"),
                            .user_id = "obo-reauthorize",
                            .additional_messages = {{.role = "user", .content = question}}};
  for (int round = 0; round < 2; ++round) {
    coze::OboOptions options{.token = std::make_shared<coze::TokenAuth>(token)};
    if (!device) {
      options.authorize_url = [&] { return web.GetAuthorizationUrl(redirect_uri, RandomState()); };
    }
    coze::Client client(
        {.base_url = oauth.base_url, .auth = std::make_shared<coze::OboAuth>(options)});
    auto chat = client.chat().CreateAndPoll(request);
    if (chat) {
      for (const auto& m : chat->messages) {
        if (m.role == "assistant" && m.type == "answer") std::cout << m.content << "\n";
      }
      return 0;
    }
    auto reauth =
        chat.is_auth_error() ? std::nullopt : coze::ReauthorizationRequired::From(chat.error());
    if (!reauth) {
      std::cerr << "obo_reauthorize: chat failed: " << chat.Describe() << "\n";
      return 1;
    }
    if (!reauth->start_device_flow) {
      std::cout << "Authorization required (" << reauth->rejected_code << "). Send the user to:\n"
                << reauth->authorize_url << "\n";
      return 3;
    }
    // The device flow: a new user code, approved on another device; then the call again.
    const coze::DeviceOAuthClient flow(oauth);
    auto code = flow.GetDeviceCode();
    if (!code) {
      std::cerr << "obo_reauthorize: device code failed: " << code.Describe() << "\n";
      return 1;
    }
    std::cout << "Authorization required (" << reauth->rejected_code << "). Open "
              << code->verification_uri << " and enter " << code->user_code << std::endl;
    auto fresh = flow.GetAccessToken(code->device_code);
    if (!fresh) {
      std::cerr << "obo_reauthorize: device authorization failed: " << fresh.Describe() << "\n";
      return 3;
    }
    token = fresh->access_token;
  }
  return 1;
}
