#pragma once
// Internal: what the OAuth clients share — their options with defaults filled in, the POST to a
// token or device endpoint, the reading of a token answer, and small encoders. Not installed.

#include <boost/json.hpp>
#include <coze/oauth.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "sdk/url.hpp"  // PercentEncode, for the authorize URLs

namespace coze::sdk {

struct OAuthCore {
  OAuthClientOptions options;  // base_url without trailing '/', www_base_url derived,
                               // transport, now and sleep set
  std::string user_agent, client_user_agent;
};

std::shared_ptr<const OAuthCore> MakeOAuthCore(OAuthClientOptions options);

// POST {base_url}{path} with a JSON body. `bearer`: nullopt sends no Authorization header,
// otherwise `Authorization: Bearer <*bearer>`. The answer is read as every OpenAPI answer
// (response.hpp); an OAuth error without a logid takes the body's top-level `logid`.
Result<boost::json::object> PostJson(const OAuthCore& core, const std::string& path,
                                     const boost::json::object& body,
                                     const std::optional<std::string>& bearer);

// A token answer (§4.3): access_token is required, expires_in an absolute Unix time.
Result<OAuthToken> ReadToken(const Result<boost::json::object>& body);

// {www}/api/permission/oauth2[/workspace_id/{id}]/authorize?response_type=code&client_id=…
// &redirect_uri=…&state=…[&code_challenge=…&code_challenge_method=…]
std::string AuthorizeUrl(const OAuthCore& core, const std::string& redirect_uri,
                         const std::string& state, const std::string& workspace_id,
                         const std::string& code_challenge, const std::string& challenge_method);

// refresh_token grant; `secret` as for PostJson's bearer.
Result<OAuthToken> Refresh(const OAuthCore& core, const std::string& refresh_token,
                           const std::optional<std::string>& secret);

// RFC 4648 §5 without padding.
std::string Base64Url(std::string_view bytes);
// `bytes` random bytes (OpenSSL RAND_bytes) as lower-case hex.
std::string RandomHex(size_t bytes);
// host[:port] of a URL ("https://api.coze.cn/x" → "api.coze.cn"), as coze-py/coze-go take `aud`.
std::string HostOf(std::string_view url);

// The SDK's User-Agent and X-Coze-Client-User-Agent, as coze::Client sends them.
std::string SdkUserAgent();
std::string SdkClientUserAgent();

}  // namespace coze::sdk
