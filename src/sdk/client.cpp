// Client core: request preparation (headers, URL), the error contract and SSE streaming.
// The API groups live in api_*.cpp.

#include <sys/utsname.h>

#include <cctype>
#include <coze/client.hpp>

#include "sdk/response.hpp"
#include "sdk/url.hpp"

namespace coze {
namespace json = boost::json;
namespace {

// The attempts of a provider that does not override Auth::Begin(): its Token(), renewed once
// after a 4100 (auth.hpp), and nothing reported.
class SingleCredential final : public AuthAttempts {
 public:
  explicit SingleCredential(Auth& auth) : auth_(auth) {}
  Result<std::string> Token() override { return auth_.Token(); }
  void OnSuccess() override {}
  bool OnFailure(Error*) override { return false; }
  bool Renew(const std::string& rejected) override { return auth_.Renew(rejected); }

 private:
  Auth& auth_;
};

std::string OsRelease() {
  utsname u{};
  if (uname(&u) != 0) return "unknown";
  return u.release;
}

}  // namespace

Client::Client(ClientOptions options) : options_(std::move(options)) {
  while (!options_.base_url.empty() && options_.base_url.back() == '/')
    options_.base_url.pop_back();
  if (!options_.transport) options_.transport = MakeCurlTransport();
  const std::string lang_version = std::to_string(__cplusplus);
  const std::string release = OsRelease();
  // coze-protocol.md §2: "<sdk>/<version> <lang>/<lang version> <os>/<os version>".
  user_agent_ =
      std::string("cozecpp/") + kSdkVersion + " cpp/" + lang_version + " linux/" + release;
  client_user_agent_ = json::serialize(json::object{{"version", kSdkVersion},
                                                    {"lang", "cpp"},
                                                    {"lang_version", lang_version},
                                                    {"os_name", "linux"},
                                                    {"os_version", release}});
}

Client::~Client() = default;

HttpRequest Client::Prepare(const ApiRequest& request, const std::string& token) const {
  HttpRequest out;
  out.method = request.method;
  out.url = options_.base_url + request.path;
  char sep = request.path.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [key, value] : request.query) {
    out.url += sep + sdk::PercentEncode(key) + "=" + sdk::PercentEncode(value);
    sep = '&';
  }
  out.timeout = options_.timeout;
  out.headers = {{"Authorization", "Bearer " + token},
                 {"User-Agent", user_agent_},
                 {"X-Coze-Client-User-Agent", client_user_agent_},
                 {"Accept", "application/json"}};
  if (request.json) {
    out.body = json::serialize(*request.json);
    out.headers.emplace_back("Content-Type", "application/json");
  } else if (!request.raw_body.empty() || !request.content_type.empty()) {
    out.body = request.raw_body;
    out.headers.emplace_back("Content-Type", request.content_type);
  }
  return out;
}

template <typename T, typename Attempt>
Result<T> Client::Authorized(const ApiRequest& request, const Attempt& attempt) {
  if (!options_.auth) return Error{kClientErrorCode, "ClientOptions::auth is not set", {}, 0};
  auto owned = options_.auth->Begin(request);
  SingleCredential single(*options_.auth);  // the default: no attempts object allocated
  AuthAttempts& attempts = owned ? *owned : static_cast<AuthAttempts&>(single);
  bool renewed = false;  // this credential's token was renewed after a 4100 (auth.hpp)
  for (;;) {
    auto token = attempts.Token();
    if (!token) return token.template Forward<T>();
    bool accepted = false;
    Result<T> result = attempt(Prepare(request, *token), accepted);
    if (accepted) {
      attempts.OnSuccess();
      return result;
    }
    if (result.is_auth_error()) {
      (void)attempts.OnFailure(nullptr);
      return result;
    }
    Error error = result.error();
    if (!renewed && error.code == kTokenInvalidCode && attempts.Renew(*token)) {
      renewed = true;
      continue;
    }
    renewed = false;  // the next credential, if any, may renew once too
    if (!attempts.OnFailure(&error)) return error;
  }
}

Result<json::object> Client::Call(const ApiRequest& request) {
  return Authorized<json::object>(request, [&](const HttpRequest& prepared, bool& accepted) {
    auto response = options_.transport->Send(prepared);
    if (!response) return response.Forward<json::object>();
    auto body = sdk::InterpretResponse(*response);
    accepted = body.has_value();
    return body;
  });
}

Status Client::CallStream(const ApiRequest& request,
                          const std::function<bool(const SseEvent&)>& on_event) {
  return Authorized<Ok>(request, [&](HttpRequest prepared, bool& accepted) {
    return StreamOnce(std::move(prepared), on_event, accepted);
  });
}

Status Client::StreamOnce(HttpRequest prepared,
                          const std::function<bool(const SseEvent&)>& on_event,
                          bool& started) const {
  for (auto& [name, value] : prepared.headers) {
    if (name == "Accept") value = "text/event-stream";
  }

  SseParser parser;
  bool is_stream = false, decided = false, stopped = false;
  std::string non_stream_body;  // a JSON error (or anything but SSE) is read whole
  auto on_chunk = [&](const HttpResponse& head, std::string_view chunk) {
    if (!decided) {
      decided = true;
      is_stream = head.status >= 200 && head.status < 300 &&
                  head.Header("Content-Type").find("event-stream") != std::string::npos;
      // The token was accepted once the stream starts; what follows cannot be re-sent.
      started = is_stream;
    }
    if (!is_stream) {
      non_stream_body.append(chunk);
      return true;
    }
    parser.Feed(chunk, [&](SseEvent&& event) {
      if (!stopped && !on_event(event)) stopped = true;
    });
    return !stopped;
  };
  auto head = options_.transport->Stream(prepared, on_chunk);
  if (!head) return head.Forward<Ok>();
  if (!decided) {  // an empty body: classify by the head alone
    is_stream = head->status >= 200 && head->status < 300 &&
                head->Header("Content-Type").find("event-stream") != std::string::npos;
    started = is_stream;
  }
  if (is_stream) {
    if (!stopped) {
      parser.Finish([&](SseEvent&& event) {
        if (!stopped && !on_event(event)) stopped = true;
      });
    }
    return Ok{};
  }
  // coze-protocol.md §3.4: errors before the stream starts come as a JSON body.
  HttpResponse whole = std::move(*head);
  whole.body = std::move(non_stream_body);
  auto body = sdk::InterpretResponse(whole);
  if (!body) return body.Forward<Ok>();
  return Error{kClientErrorCode, "expected an event stream, got: " + sdk::Excerpt(whole.body),
               whole.Header("X-Tt-Logid"), whole.status};
}

}  // namespace coze
