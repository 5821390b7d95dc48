// The OAuth app config file of coze-py's load_oauth_app_from_config and coze-go's
// LoadOAuthAppFromConfig (coze-protocol.md §4.9), as `cozeauth admin app export-config` writes it.

#include <coze/oauth.hpp>
#include <fstream>
#include <sstream>

#include "wire/json_read.hpp"

namespace coze {
namespace json = boost::json;
using cozeauth::wire::StringMember;

namespace {

Error ConfigError(std::string msg) {
  return Error{kClientErrorCode, "OAuth config: " + std::move(msg), {}, 0};
}

}  // namespace

Result<OAuthApp> ParseOAuthAppConfig(std::string_view text, OAuthClientOptions base) {
  boost::system::error_code ec;
  json::value parsed = json::parse(text, ec);
  if (ec || !parsed.is_object()) return ConfigError("not a JSON object");
  const json::object& config = parsed.as_object();
  for (const auto& [key, value] : config) {
    if (!value.is_string() && !value.is_null()) {
      return ConfigError("`" + std::string(key) + "` must be a string");
    }
  }
  const std::string client_type = StringMember(config, "client_type");
  base.client_id = StringMember(config, "client_id");
  if (base.client_id.empty()) return ConfigError("client_id is required");
  if (auto api = StringMember(config, "coze_api_base"); !api.empty()) base.base_url = api;
  if (auto www = StringMember(config, "coze_www_base"); !www.empty()) base.www_base_url = www;

  if (client_type == "jwt") {
    base.private_key = StringMember(config, "private_key");
    base.public_key_id = StringMember(config, "public_key_id");
    if (base.private_key.empty()) return ConfigError("private_key is required for client_type jwt");
    if (base.public_key_id.empty()) {
      return ConfigError("public_key_id is required for client_type jwt");
    }
    auto client = JWTOAuthClient::Create(std::move(base));
    if (!client) return client.Forward<OAuthApp>();
    return OAuthApp(std::move(*client));
  }
  if (client_type == "web") {
    base.client_secret = StringMember(config, "client_secret");
    if (base.client_secret.empty()) {
      return ConfigError("client_secret is required for client_type web");
    }
    return OAuthApp(WebOAuthClient(std::move(base)));
  }
  if (client_type == "pkce") return OAuthApp(PKCEOAuthClient(std::move(base)));
  if (client_type == "device") return OAuthApp(DeviceOAuthClient(std::move(base)));
  return ConfigError("unknown client_type '" + client_type + "' (jwt, web, pkce or device)");
}

Result<OAuthApp> LoadOAuthAppFromConfig(const std::string& path, OAuthClientOptions base) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ConfigError("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return ParseOAuthAppConfig(text.str(), std::move(base));
}

}  // namespace coze
