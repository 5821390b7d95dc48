// OboAuth (failover.hpp): an OBO token whose rejection (4100/4101/700012006, or a refresh that
// fails with invalid_grant) becomes the ReauthorizationRequired signal, and the reading of that
// signal back from an Error.

#include <algorithm>
#include <cctype>
#include <coze/failover.hpp>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

namespace coze {
namespace {

constexpr std::string_view kReauthPrefix = "reauthorization required (";
constexpr std::string_view kUrlMarker = "; authorize_url=";
constexpr std::string_view kDeviceMarker = "; start a new device flow";

Error Reauthorization(const OboOptions& options, const std::string& cause, std::string logid,
                      int http_status) {
  std::string msg = std::string(kReauthPrefix) + cause + ")";
  msg += options.authorize_url ? std::string(kUrlMarker) + options.authorize_url()
                               : std::string(kDeviceMarker);
  return Error{kReauthorizationRequiredCode, std::move(msg), std::move(logid), http_status};
}

class OboAttempts final : public AuthAttempts {
 public:
  explicit OboAttempts(const OboOptions& options) : options_(options) {}

  Result<std::string> Token() override {
    auto token = options_.token->Token();
    // A refresh token that is spent or revoked (invalid_grant) cannot be renewed without the
    // user either: the same signal as a rejected access token.
    if (!token && token.is_auth_error() && token.auth_error().error_code == "invalid_grant") {
      const AuthError& e = token.auth_error();
      return Reauthorization(options_, e.error_code + ": " + e.message, e.logid, e.http_status);
    }
    return token;
  }
  void OnSuccess() override {}
  bool OnFailure(Error* error) override {
    if (error != nullptr && std::find(options_.codes.begin(), options_.codes.end(), error->code) !=
                                options_.codes.end()) {
      *error = Reauthorization(options_, std::to_string(error->code) + ": " + error->msg,
                               error->logid, error->http_status);
    }
    return false;
  }
  // A refreshing token source (OAuthAuth) gets one refresh before the rejection is the signal.
  bool Renew(const std::string& rejected) override { return options_.token->Renew(rejected); }

 private:
  const OboOptions& options_;
};

}  // namespace

std::optional<ReauthorizationRequired> ReauthorizationRequired::From(const Error& error) {
  if (error.code != kReauthorizationRequiredCode) return std::nullopt;
  ReauthorizationRequired out;
  const std::string& msg = error.msg;
  if (msg.rfind(kReauthPrefix, 0) == 0) {
    const char* digits = msg.c_str() + kReauthPrefix.size();
    if (std::isdigit(static_cast<unsigned char>(*digits)) != 0) {
      out.rejected_code = std::strtoll(digits, nullptr, 10);
    }
  }
  if (auto at = msg.rfind(kUrlMarker); at != std::string::npos) {
    out.authorize_url = msg.substr(at + kUrlMarker.size());
  } else {
    out.start_device_flow = true;
  }
  return out;
}

OboAuth::OboAuth(OboOptions options) : options_(std::move(options)) {
  if (!options_.token) throw std::invalid_argument("OboAuth: OboOptions::token is null");
}

Result<std::string> OboAuth::Token() { return OboAttempts(options_).Token(); }

std::unique_ptr<AuthAttempts> OboAuth::Begin(const ApiRequest&) {
  return std::make_unique<OboAttempts>(options_);
}

}  // namespace coze
