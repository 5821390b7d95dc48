// The JWT-bearer grant (coze-protocol.md §4.7): an RS256 JWT signed with the app's private key
// (OpenSSL EVP) buys an access token; and the JWT scope (§5.1).

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <coze/oauth.hpp>

#include "sdk/oauth_internal.hpp"

namespace coze {
namespace json = boost::json;

namespace {

constexpr const char* kGrantJwt = "urn:ietf:params:oauth:grant-type:jwt-bearer";

json::array Strings(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& s : items) out.emplace_back(s);
  return out;
}

std::string OpenSslError() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

Error ClientError(std::string msg) { return Error{kClientErrorCode, std::move(msg), {}, 0}; }

}  // namespace

// --- scope

JWTScope JWTScope::BotChat(std::vector<std::string> bot_ids, std::vector<std::string> permissions) {
  JWTScope scope;
  scope.account_permissions = std::move(permissions);
  scope.bot_ids = std::move(bot_ids);
  return scope;
}

bool JWTScope::empty() const {
  return account_permissions.empty() && workspace_ids.empty() && workspace_permissions.empty() &&
         bot_ids.empty();
}

json::object JWTScope::ToJson() const {
  json::object scope;
  if (!account_permissions.empty()) {
    scope["account_permission"] = json::object{{"permission_list", Strings(account_permissions)}};
  }
  if (!workspace_ids.empty() || !workspace_permissions.empty()) {
    json::object w;
    if (!workspace_ids.empty()) w["workspace_id_list"] = Strings(workspace_ids);
    if (!workspace_permissions.empty()) w["permission_list"] = Strings(workspace_permissions);
    scope["workspace_permission"] = std::move(w);
  }
  if (!bot_ids.empty()) {
    scope["attribute_constraint"] = json::object{
        {"connector_bot_chat_attribute", json::object{{"bot_id_list", Strings(bot_ids)}}}};
  }
  return scope;
}

// --- the key

struct JWTOAuthClient::Key {
  std::shared_ptr<EVP_PKEY> pkey;
};

Result<JWTOAuthClient> JWTOAuthClient::Create(OAuthClientOptions options) {
  if (options.client_id.empty()) return ClientError("JWT OAuth: client_id (the app id) is empty");
  if (options.public_key_id.empty()) return ClientError("JWT OAuth: public_key_id is empty");
  std::string pem = options.private_key;
  // A key pasted with literal "\n" escapes instead of line breaks.
  if (pem.find('\n') == std::string::npos) {
    for (size_t at; (at = pem.find("\\n")) != std::string::npos;) pem.replace(at, 2, "\n");
  }
  std::unique_ptr<BIO, decltype(&BIO_free)> in(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!in) return ClientError("JWT OAuth: out of memory");
  // Never prompt for a passphrase: an encrypted key is an error.
  auto no_passphrase = [](char*, int, int, void*) -> int { return 0; };
  // PEM_read_bio_PrivateKey reads PKCS#8 (BEGIN PRIVATE KEY) and PKCS#1 (BEGIN RSA PRIVATE KEY).
  EVP_PKEY* raw = PEM_read_bio_PrivateKey(in.get(), nullptr, no_passphrase, nullptr);
  if (raw == nullptr) {
    return ClientError("JWT OAuth: private_key is not an unencrypted PEM private key (" +
                       OpenSslError() + ")");
  }
  std::shared_ptr<EVP_PKEY> pkey(raw, &EVP_PKEY_free);
  if (EVP_PKEY_base_id(pkey.get()) != EVP_PKEY_RSA) {
    return ClientError("JWT OAuth: private_key is not an RSA key (RS256 needs one)");
  }
  auto key = std::make_shared<Key>();
  key->pkey = std::move(pkey);
  return JWTOAuthClient(std::move(options), std::move(key));
}

JWTOAuthClient::JWTOAuthClient(OAuthClientOptions options, std::shared_ptr<const Key> key)
    : OAuthClientBase(std::move(options)), key_(std::move(key)) {}

Result<std::string> JWTOAuthClient::MakeJwt(
    int64_t duration_seconds, const std::optional<std::string>& session_name,
    const std::optional<boost::json::object>& session_context) const {
  const json::object header{{"alg", "RS256"}, {"typ", "JWT"}, {"kid", options().public_key_id}};
  const int64_t now = options().now();
  json::object claims{{"iss", client_id()},
                      {"aud", sdk::HostOf(base_url())},
                      {"iat", now},
                      {"exp", now + duration_seconds},
                      {"jti", sdk::RandomHex(32)}};
  if (session_name) claims["session_name"] = *session_name;
  if (session_context) claims["session_context"] = *session_context;
  const std::string input =
      sdk::Base64Url(json::serialize(header)) + "." + sdk::Base64Url(json::serialize(claims));

  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  size_t size = 0;
  if (!ctx ||
      EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_->pkey.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    return ClientError("JWT OAuth: signing failed (" + OpenSslError() + ")");
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    return ClientError("JWT OAuth: signing failed (" + OpenSslError() + ")");
  }
  signature.resize(size);
  return input + "." + sdk::Base64Url(signature);
}

Result<OAuthToken> JWTOAuthClient::GetAccessToken(const JWTTokenRequest& request) const {
  std::string path = "/api/permission/oauth2/token";
  if (request.account_id && request.enterprise_id) {
    return ClientError("JWT OAuth: set account_id or enterprise_id, not both");
  }
  if (request.account_id) {
    path = "/api/permission/oauth2/account/" + sdk::PercentEncode(*request.account_id) + "/token";
  } else if (request.enterprise_id) {
    path = "/api/permission/oauth2/enterprise_id/" + sdk::PercentEncode(*request.enterprise_id) +
           "/token";
  }
  auto jwt = MakeJwt(request.duration_seconds, request.session_name, request.session_context);
  if (!jwt) return jwt.Forward<OAuthToken>();
  json::object body{{"grant_type", kGrantJwt}, {"duration_seconds", request.duration_seconds}};
  if (request.scope && !request.scope->empty()) body["scope"] = request.scope->ToJson();
  return sdk::ReadToken(sdk::PostJson(*core_, path, body, *jwt));
}

}  // namespace coze
