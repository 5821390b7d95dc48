// The OAuth clients' shared plumbing and the user grants: web (authorization code + secret),
// PKCE and device (coze-protocol.md §4.1–§4.6).

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <sys/utsname.h>

#include <cctype>
#include <coze/client.hpp>
#include <coze/oauth.hpp>
#include <fstream>
#include <thread>

#include "sdk/oauth_internal.hpp"
#include "sdk/response.hpp"
#include "wire/json_read.hpp"

namespace coze {
namespace json = boost::json;
using cozeauth::wire::IntMember;
using cozeauth::wire::StringMember;

namespace {

constexpr const char* kTokenPath = "/api/permission/oauth2/token";
constexpr const char* kGrantCode = "authorization_code";
constexpr const char* kGrantRefresh = "refresh_token";
constexpr const char* kGrantDevice = "urn:ietf:params:oauth:grant-type:device_code";

// Polling of the device grant (§4.5): every official SDK starts at 5 s and adds 5 s per
// slow_down while below 30 s.
constexpr int64_t kPollStart = 5;
constexpr int64_t kPollStep = 5;
constexpr int64_t kPollMax = 30;

std::string OsRelease() {
  utsname u{};
  if (uname(&u) != 0) return "unknown";
  return u.release;
}

std::string StripSlashes(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

std::string DeriveWww(const std::string& base) {
  // coze-py's rule (§1.3): the two official hosts have a www twin; any other base serves the
  // authorize page itself.
  if (base == "https://api.coze.cn") return "https://www.coze.cn";
  if (base == "https://api.coze.com") return "https://www.coze.com";
  return base;
}

const char* MethodName(CodeChallengeMethod method) {
  return method == CodeChallengeMethod::kS256 ? "S256" : "plain";
}

}  // namespace

int64_t SystemUnixSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t RefreshBefore(int64_t ttl_seconds) {
  if (ttl_seconds >= 600) return 30;
  if (ttl_seconds >= 60) return 10;
  if (ttl_seconds >= 30) return 5;
  return 0;
}

namespace sdk {

std::string SdkUserAgent() {
  // coze-protocol.md §2; the same strings as coze::Client (client.cpp).
  return std::string("cozecpp/") + kSdkVersion + " cpp/" + std::to_string(__cplusplus) + " linux/" +
         OsRelease();
}

std::string SdkClientUserAgent() {
  return json::serialize(json::object{{"version", kSdkVersion},
                                      {"lang", "cpp"},
                                      {"lang_version", std::to_string(__cplusplus)},
                                      {"os_name", "linux"},
                                      {"os_version", OsRelease()}});
}

std::shared_ptr<const OAuthCore> MakeOAuthCore(OAuthClientOptions options) {
  auto core = std::make_shared<OAuthCore>();
  options.base_url = StripSlashes(std::move(options.base_url));
  options.www_base_url = options.www_base_url.empty() ? DeriveWww(options.base_url)
                                                      : StripSlashes(options.www_base_url);
  if (!options.transport) options.transport = MakeCurlTransport();
  if (!options.now) options.now = SystemUnixSeconds;
  if (!options.sleep)
    options.sleep = [](std::chrono::seconds d) { std::this_thread::sleep_for(d); };
  core->options = std::move(options);
  core->user_agent = SdkUserAgent();
  core->client_user_agent = SdkClientUserAgent();
  return core;
}

std::string Base64Url(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  auto at = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(bytes[k])); };
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t n = (at(i) << 16) | (at(i + 1) << 8) | at(i + 2);
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(kAlphabet[(n >> 6) & 63]);
    out.push_back(kAlphabet[n & 63]);
  }
  if (bytes.size() - i == 1) {
    const uint32_t n = at(i) << 16;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
  } else if (bytes.size() - i == 2) {
    const uint32_t n = (at(i) << 16) | (at(i + 1) << 8);
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(kAlphabet[(n >> 6) & 63]);
  }
  return out;
}

std::string RandomHex(size_t bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
    // RAND_bytes fails only without an entropy source; fall back to the OS directly.
    std::ifstream urandom("/dev/urandom", std::ios::binary);
    urandom.read(raw.data(), static_cast<std::streamsize>(bytes));
  }
  std::string out;
  out.reserve(bytes * 2);
  for (unsigned char c : raw) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xF]);
  }
  return out;
}

std::string HostOf(std::string_view url) {
  if (auto scheme = url.find("://"); scheme != std::string_view::npos)
    url.remove_prefix(scheme + 3);
  url = url.substr(0, url.find_first_of("/?#"));
  if (auto at = url.rfind('@'); at != std::string_view::npos) url.remove_prefix(at + 1);
  return std::string(url);
}

Result<json::object> PostJson(const OAuthCore& core, const std::string& path,
                              const json::object& body, const std::optional<std::string>& bearer) {
  HttpRequest request;
  request.method = "POST";
  request.url = core.options.base_url + path;
  request.timeout = core.options.timeout;
  request.body = json::serialize(body);
  if (bearer) request.headers.emplace_back("Authorization", "Bearer " + *bearer);
  request.headers.emplace_back("Content-Type", "application/json");
  request.headers.emplace_back("Accept", "application/json");
  request.headers.emplace_back("User-Agent", core.user_agent);
  request.headers.emplace_back("X-Coze-Client-User-Agent", core.client_user_agent);
  auto response = core.options.transport->Send(request);
  if (!response) return response.Forward<json::object>();
  auto result = InterpretResponse(*response);
  if (result.is_auth_error() && result.auth_error().logid.empty()) {
    // cozeauth (and Coze's OAuth errors) may carry the logid in the body itself.
    boost::system::error_code ec;
    json::value parsed = json::parse(response->body, ec);
    if (!ec && parsed.is_object()) {
      AuthError error = result.auth_error();
      error.logid = StringMember(parsed.as_object(), "logid");
      return error;
    }
  }
  return result;
}

Result<OAuthToken> ReadToken(const Result<json::object>& body) {
  if (!body) return body.Forward<OAuthToken>();
  OAuthToken token;
  token.access_token = StringMember(*body, "access_token");
  if (token.access_token.empty()) {
    return Error{kClientErrorCode, "unexpected token response: no access_token", {}, 0};
  }
  token.expires_in = IntMember(*body, "expires_in").value_or(0);
  token.refresh_token = StringMember(*body, "refresh_token");
  token.token_type = StringMember(*body, "token_type");
  return token;
}

std::string AuthorizeUrl(const OAuthCore& core, const std::string& redirect_uri,
                         const std::string& state, const std::string& workspace_id,
                         const std::string& code_challenge, const std::string& challenge_method) {
  std::string url = core.options.www_base_url + "/api/permission/oauth2";
  if (!workspace_id.empty()) url += "/workspace_id/" + PercentEncode(workspace_id);
  url += "/authorize?response_type=code&client_id=" + PercentEncode(core.options.client_id) +
         "&redirect_uri=" + PercentEncode(redirect_uri) + "&state=" + PercentEncode(state);
  if (!code_challenge.empty()) {
    url += "&code_challenge=" + PercentEncode(code_challenge) +
           "&code_challenge_method=" + PercentEncode(challenge_method);
  }
  return url;
}

Result<OAuthToken> Refresh(const OAuthCore& core, const std::string& refresh_token,
                           const std::optional<std::string>& secret) {
  json::object body{{"grant_type", kGrantRefresh},
                    {"client_id", core.options.client_id},
                    {"refresh_token", refresh_token}};
  return ReadToken(PostJson(core, kTokenPath, body, secret));
}

}  // namespace sdk

// --- OAuthClientBase

OAuthClientBase::OAuthClientBase(OAuthClientOptions options)
    : core_(sdk::MakeOAuthCore(std::move(options))) {}

const OAuthClientOptions& OAuthClientBase::options() const { return core_->options; }
const std::string& OAuthClientBase::base_url() const { return core_->options.base_url; }
const std::string& OAuthClientBase::www_base_url() const { return core_->options.www_base_url; }

// --- web

WebOAuthClient::WebOAuthClient(OAuthClientOptions options) : OAuthClientBase(std::move(options)) {}

std::string WebOAuthClient::GetAuthorizationUrl(const std::string& redirect_uri,
                                                const std::string& state,
                                                const std::string& workspace_id) const {
  return sdk::AuthorizeUrl(*core_, redirect_uri, state, workspace_id, "", "");
}

Result<OAuthToken> WebOAuthClient::GetAccessToken(const std::string& code,
                                                  const std::string& redirect_uri) const {
  json::object body{{"grant_type", kGrantCode},
                    {"client_id", client_id()},
                    {"redirect_uri", redirect_uri},
                    {"code", code}};
  return sdk::ReadToken(sdk::PostJson(*core_, kTokenPath, body, options().client_secret));
}

Result<OAuthToken> WebOAuthClient::RefreshToken(const std::string& refresh_token) const {
  return sdk::Refresh(*core_, refresh_token, options().client_secret);
}

// --- PKCE

PKCEOAuthClient::PKCEOAuthClient(OAuthClientOptions options)
    : OAuthClientBase(std::move(options)) {}

std::string PKCEOAuthClient::CodeChallenge(const std::string& code_verifier,
                                           CodeChallengeMethod method) {
  if (method == CodeChallengeMethod::kPlain) return code_verifier;
  unsigned char digest[SHA256_DIGEST_LENGTH];
  unsigned int size = 0;
  EVP_Digest(code_verifier.data(), code_verifier.size(), digest, &size, EVP_sha256(), nullptr);
  return sdk::Base64Url(std::string_view(reinterpret_cast<const char*>(digest), size));
}

PKCEAuthorization PKCEOAuthClient::GetAuthorizationUrl(const std::string& redirect_uri,
                                                       const std::string& state,
                                                       CodeChallengeMethod method,
                                                       const std::string& workspace_id) const {
  PKCEAuthorization out;
  out.code_verifier = sdk::RandomHex(32);
  out.url = GetAuthorizationUrl(redirect_uri, state, out.code_verifier, method, workspace_id);
  return out;
}

std::string PKCEOAuthClient::GetAuthorizationUrl(const std::string& redirect_uri,
                                                 const std::string& state,
                                                 const std::string& code_verifier,
                                                 CodeChallengeMethod method,
                                                 const std::string& workspace_id) const {
  return sdk::AuthorizeUrl(*core_, redirect_uri, state, workspace_id,
                           CodeChallenge(code_verifier, method), MethodName(method));
}

Result<OAuthToken> PKCEOAuthClient::GetAccessToken(const std::string& code,
                                                   const std::string& redirect_uri,
                                                   const std::string& code_verifier) const {
  json::object body{{"grant_type", kGrantCode},
                    {"client_id", client_id()},
                    {"redirect_uri", redirect_uri},
                    {"code", code},
                    {"code_verifier", code_verifier}};
  return sdk::ReadToken(sdk::PostJson(*core_, kTokenPath, body, std::nullopt));
}

Result<OAuthToken> PKCEOAuthClient::RefreshToken(const std::string& refresh_token) const {
  return sdk::Refresh(*core_, refresh_token, std::nullopt);
}

// --- device

DeviceOAuthClient::DeviceOAuthClient(OAuthClientOptions options)
    : OAuthClientBase(std::move(options)) {}

Result<DeviceCode> DeviceOAuthClient::GetDeviceCode(const std::string& workspace_id) const {
  std::string path = "/api/permission/oauth2";
  if (!workspace_id.empty()) path += "/workspace_id/" + sdk::PercentEncode(workspace_id);
  path += "/device/code";
  auto body = sdk::PostJson(*core_, path, json::object{{"client_id", client_id()}}, std::nullopt);
  if (!body) return body.Forward<DeviceCode>();
  DeviceCode code;
  code.device_code = StringMember(*body, "device_code");
  code.user_code = StringMember(*body, "user_code");
  if (code.user_code.empty()) {  // the doc's table calls it an Integer (§4.5)
    if (auto n = IntMember(*body, "user_code")) code.user_code = std::to_string(*n);
  }
  code.verification_uri = StringMember(*body, "verification_uri");
  code.verification_url = StringMember(*body, "verification_url");
  if (code.verification_url.empty() && !code.verification_uri.empty()) {
    code.verification_url = code.verification_uri + "?user_code=" + code.user_code;
  }
  code.expires_in = IntMember(*body, "expires_in").value_or(0);
  code.interval = IntMember(*body, "interval").value_or(kPollStart);
  if (code.device_code.empty()) {
    return Error{kClientErrorCode, "unexpected device code response: no device_code", {}, 0};
  }
  return code;
}

Result<OAuthToken> DeviceOAuthClient::GetAccessToken(const std::string& device_code,
                                                     bool poll) const {
  const json::object body{
      {"grant_type", kGrantDevice}, {"client_id", client_id()}, {"device_code", device_code}};
  int64_t interval = kPollStart;
  for (;;) {
    auto token = sdk::ReadToken(sdk::PostJson(*core_, kTokenPath, body, std::nullopt));
    if (token || !poll || !token.is_auth_error()) return token;
    const std::string& code = token.auth_error().error_code;
    if (code == oauth_error::kSlowDown) {
      if (interval < kPollMax) interval += kPollStep;
    } else if (code != oauth_error::kAuthorizationPending) {
      return token;  // access_denied, expired_token, invalid_grant, …
    }
    options().sleep(std::chrono::seconds(interval));
  }
}

Result<OAuthToken> DeviceOAuthClient::RefreshToken(const std::string& refresh_token) const {
  return sdk::Refresh(*core_, refresh_token, std::nullopt);
}

}  // namespace coze
