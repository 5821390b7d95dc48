#pragma once
// coze::Client: the Coze OpenAPI over an HttpTransport, authenticated by an Auth provider.
//
//   coze::Client client({.auth = std::make_shared<coze::TokenAuth>(pat)});
//   if (auto me = client.users().Me()) std::cout << me->user_name;
//   else std::cerr << me.Describe();
//
// Every request carries `Authorization: Bearer <token>`, `User-Agent: cozecpp/<v> cpp/<__cplusplus>
// linux/<release>` and `X-Coze-Client-User-Agent` (JSON), coze-protocol.md §2. A response is a
// success iff its body is JSON with `code` 0 or absent and no OAuth error fields, at a 2xx
// status; otherwise the call returns an Error (code from the body, else the HTTP status; logid
// from detail.logid, else X-Tt-Logid) or an AuthError (§3.3). The client is thread-safe if its
// Auth and transport are (the provided ones are); the API groups are views into it and live as
// long as it does. Not copyable or movable (the groups point back at it).

#include <boost/json.hpp>
#include <chrono>
#include <coze/api.hpp>
#include <coze/auth.hpp>
#include <coze/error.hpp>
#include <coze/sse.hpp>
#include <coze/transport.hpp>
#include <coze/types.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace coze {

inline constexpr const char* kSdkVersion = "0.1.0";
inline constexpr const char* kComBaseUrl = "https://api.coze.com";
inline constexpr const char* kCnBaseUrl = "https://api.coze.cn";

struct ClientOptions {
  std::string base_url = kComBaseUrl;
  std::shared_ptr<Auth> auth;                // required
  std::shared_ptr<HttpTransport> transport;  // null: MakeCurlTransport()
  std::chrono::milliseconds timeout{60000};  // per request; for streams, per idle gap
};

// A request in Coze terms, for the API groups and for endpoints the SDK does not wrap yet.
struct ApiRequest {
  std::string method = "GET";
  std::string path;                                        // "/v1/users/me"
  std::vector<std::pair<std::string, std::string>> query;  // values are URL-encoded
  std::optional<boost::json::value> json;                  // sent as application/json
  std::string raw_body;                                    // used when json is empty
  std::string content_type;                                // for raw_body
};

class Client {
 public:
  explicit Client(ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  Users& users() { return users_; }
  Workspaces& workspaces() { return workspaces_; }
  Bots& bots() { return bots_; }
  Conversations& conversations() { return conversations_; }
  Messages& messages() { return messages_; }
  Chats& chat() { return chat_; }
  Files& files() { return files_; }
  Audio& audio() { return audio_; }
  Workflows& workflows() { return workflows_; }
  Apps& apps() { return apps_; }

  // The whole response body (an object) of a successful call. After a 4100 the request is sent
  // once more with a renewed token when the Auth can renew it (JWTAuth, OAuthAuth: auth.hpp);
  // with an Auth that makes several attempts per call (FailoverAuth, OboAuth), it may be sent
  // again with another token after a rejection. The result is the last attempt's.
  Result<boost::json::object> Call(const ApiRequest& request);
  // A streaming call: each SSE event goes to `on_event` (return false to stop). Before the
  // stream starts, an error body is mapped as for Call (and may be retried as for Call: no
  // event has reached `on_event` then). A transport failure mid-stream is an Error with code
  // kClientErrorCode.
  Status CallStream(const ApiRequest& request,
                    const std::function<bool(const SseEvent&)>& on_event);

  const ClientOptions& options() const { return options_; }
  // The header values this client sends (for logs and tests).
  const std::string& user_agent() const { return user_agent_; }
  const std::string& client_user_agent() const { return client_user_agent_; }

 private:
  HttpRequest Prepare(const ApiRequest& request, const std::string& token) const;
  // Runs `attempt(prepared request, accepted&)` once per token the Auth hands out (once, unless
  // a 4100 renews the token or the Auth overrides Begin()); `accepted` tells it the server took
  // the token (auth.hpp). The one place where a refused token is renewed and re-sent.
  template <typename T, typename Attempt>
  Result<T> Authorized(const ApiRequest& request, const Attempt& attempt);
  Status StreamOnce(HttpRequest prepared, const std::function<bool(const SseEvent&)>& on_event,
                    bool& started) const;

  ClientOptions options_;
  std::string user_agent_, client_user_agent_;
  Users users_{*this};
  Workspaces workspaces_{*this};
  Bots bots_{*this};
  Conversations conversations_{*this};
  Messages messages_{*this};
  Chats chat_{*this};
  Files files_{*this};
  Audio audio_{*this};
  Workflows workflows_{*this};
  Apps apps_{*this};
};

}  // namespace coze
