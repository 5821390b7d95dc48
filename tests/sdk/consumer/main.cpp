// Uses the installed SDK: a Client over a TokenAuth, an OAuth client, and the JSON config loader.
// Nothing here talks to a network.
#include <coze/client.hpp>
#include <coze/oauth.hpp>
#include <iostream>
#include <memory>

int main() {
  coze::Client client({.base_url = "http://127.0.0.1:1",
                       .auth = std::make_shared<coze::TokenAuth>("pat_consumer")});
  std::cout << "user-agent: " << client.user_agent() << "\n";

  coze::PKCEOAuthClient pkce({.client_id = "consumer.app.coze", .base_url = "https://api.coze.cn"});
  auto authorization = pkce.GetAuthorizationUrl("http://127.0.0.1:53682/cb", "state");
  std::cout << "authorize: " << authorization.url << "\n";

  auto app = coze::ParseOAuthAppConfig(R"({"client_type":"device","client_id":"d.app.coze"})");
  if (!app || !std::holds_alternative<coze::DeviceOAuthClient>(*app)) {
    std::cerr << "config: " << app.Describe() << "\n";
    return 1;
  }
  auto jwt = coze::JWTOAuthClient::Create(
      {.client_id = "1", .private_key = "not a key", .public_key_id = "k"});
  if (jwt) return 1;  // the key is invalid: Create must fail, without throwing
  std::cout << "jwt: " << jwt.Describe() << "\n";
  return 0;
}
