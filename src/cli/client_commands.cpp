// `cozeauth login | logout | whoami | chat`: client commands over the SDK (coze::sdk) only, never
// the server's internals (architecture.md §3: base, wire ← sdk ← cli). They talk HTTP to any
// Coze-compatible base URL (a cozeauth server, api.coze.cn / api.coze.com) with the credential
// of a credentials file (client_credentials.hpp; docs/cli.md, "Client commands"), or a token
// given by --token / COZE_API_TOKEN. Failures print the Coze code, msg and logid and exit 1.

#include <boost/json.hpp>
#include <coze/client.hpp>
#include <coze/oauth.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/cli.hpp"
#include "cli/client_credentials.hpp"

namespace cozeauth::cli {
namespace {
namespace json = boost::json;
namespace fs = std::filesystem;

constexpr const char* kDefaultBaseUrl = "http://127.0.0.1:8080";

// Options every client command takes.
struct ClientFlags {
  std::string base_url;     // --base-url
  std::string credentials;  // --credentials
  std::string token;        // --token (login: the PAT to store; else an override)
};

struct LoginFlags : ClientFlags {
  bool device = false;
  std::string client_id, workspace_id, config;
};

struct ChatFlags : ClientFlags {
  std::string bot, message, conversation, user_id = "cozeauth";
  bool stream = false;
  bool has_message = false;
};

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

std::string CredentialsPath(const ClientFlags& f) {
  return f.credentials.empty() ? DefaultCredentialsPath() : f.credentials;
}

std::string TrimSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// --- output

// Prints a failure on stderr — "error: 4100: msg (logid …)", or with --json one object
// {"error": msg, "code" | "error_code", "logid"?, "http_status"?} as the admin commands do —
// and makes the command exit 1.
template <typename T>
void Fail(Cli& cli, const coze::Result<T>& failed) {
  cli.exit_code = 1;
  json::object o;
  std::string text, logid;
  int http_status = 0;
  int64_t code = 0;
  if (failed.is_auth_error()) {
    const coze::AuthError& e = failed.auth_error();
    o = {{"error", e.message}, {"error_code", e.error_code}};
    text = e.error_code + (e.message.empty() ? "" : ": " + e.message);
    logid = e.logid;
    http_status = e.http_status;
  } else {
    const coze::Error& e = failed.error();
    o = {{"error", e.msg}, {"code", e.code}};
    text = e.code == coze::kClientErrorCode ? e.msg : std::to_string(e.code) + ": " + e.msg;
    logid = e.logid;
    http_status = e.http_status;
    code = e.code;
  }
  if (!logid.empty()) o["logid"] = logid;
  if (http_status != 0) o["http_status"] = http_status;
  if (cli.json) {
    std::fprintf(stderr, "%s\n", json::serialize(o).c_str());
    return;
  }
  if (!logid.empty()) text += " (logid " + logid + ")";
  std::fprintf(stderr, "error: %s\n", text.c_str());
  if (code == 4100) {
    std::fprintf(stderr,
                 "hint: the token is invalid, expired or revoked: run `cozeauth login` again\n");
  }
}

void PrintJson(const json::object& o) { std::printf("%s\n", json::serialize(o).c_str()); }

// --- sessions: a base URL and an Auth

struct Session {
  std::string base_url;
  std::shared_ptr<coze::Auth> auth;
  std::string type;    // token | device | jwt
  std::string source;  // --token, COZE_API_TOKEN or the credentials file
};

std::string ResolveBaseUrl(const std::string& flag, const std::optional<Credentials>& stored) {
  if (!flag.empty()) return TrimSlash(flag);
  if (stored && !stored->base_url.empty()) return TrimSlash(stored->base_url);
  if (std::string env = Env("COZE_API_BASE"); !env.empty()) return TrimSlash(env);
  return kDefaultBaseUrl;
}

coze::Result<Session> OpenSession(const ClientFlags& f) {
  const std::string path = CredentialsPath(f);
  auto stored = ReadCredentials(path);
  if (!stored) return stored.Forward<Session>();
  Session s;
  s.base_url = ResolveBaseUrl(f.base_url, *stored);
  const std::string env_token = Env("COZE_API_TOKEN");
  if (!f.token.empty() || !env_token.empty()) {
    s.auth = std::make_shared<coze::TokenAuth>(!f.token.empty() ? f.token : env_token);
    s.type = "token";
    s.source = !f.token.empty() ? "--token" : "COZE_API_TOKEN";
    return s;
  }
  if (!*stored) {
    return LocalError("not logged in: no " + path +
                      " (run `cozeauth login`, pass --token or set COZE_API_TOKEN)");
  }
  const Credentials& c = **stored;
  s.type = c.type;
  s.source = path;
  if (c.type == "token") {
    s.auth = std::make_shared<coze::TokenAuth>(c.access_token);
  } else if (c.type == "device") {
    s.auth = StoredDeviceAuth(path, c);
  } else {
    auto app = coze::LoadOAuthAppFromConfig(c.config_file);
    if (!app) return app.Forward<Session>();
    const auto* jwt = std::get_if<coze::JWTOAuthClient>(&*app);
    if (jwt == nullptr) return LocalError(c.config_file + " is no longer a jwt app config");
    s.auth = std::make_shared<coze::JWTAuth>(*jwt);
  }
  return s;
}

coze::ClientOptions Options(const std::string& base_url, std::shared_ptr<coze::Auth> auth) {
  coze::ClientOptions o;
  o.base_url = base_url;
  o.auth = std::move(auth);
  return o;
}

// --- login, logout, whoami

coze::Result<coze::OAuthToken> DeviceLogin(const coze::DeviceOAuthClient& device,
                                           const std::string& workspace_id) {
  auto code = device.GetDeviceCode(workspace_id);
  if (!code) return code.Forward<coze::OAuthToken>();
  std::fprintf(stderr,
               "To sign in, open %s\nuser code: %s\n"
               "Waiting for approval (the code expires in %lld s)...\n",
               code->verification_url.c_str(), code->user_code.c_str(),
               static_cast<long long>(code->expires_in));
  return device.GetAccessToken(code->device_code);  // polls: 5 s, +5 s on slow_down
}

void RunLogin(const LoginFlags& f, Cli& cli) {
  if (static_cast<int>(f.device) + !f.config.empty() + !f.token.empty() != 1) {
    return Fail(cli, coze::Status(LocalError("login takes one of --device, --config, --token")));
  }
  const std::string path = CredentialsPath(f);
  // The old file is about to be replaced: only its base_url (if readable) is of use.
  auto old = ReadCredentials(path);
  const std::optional<Credentials> previous = old ? *old : std::nullopt;
  Credentials c;
  std::shared_ptr<coze::Auth> auth;
  std::optional<coze::DeviceOAuthClient> device;
  c.base_url = ResolveBaseUrl(f.base_url, previous);
  if (!f.token.empty()) {
    c.type = "token";
    c.access_token = f.token;
    auth = std::make_shared<coze::TokenAuth>(f.token);
  } else if (f.device) {
    if (f.client_id.empty())
      return Fail(cli, coze::Status(LocalError("--device needs --client-id")));
    coze::OAuthClientOptions options;
    options.client_id = f.client_id;
    options.base_url = c.base_url;
    device.emplace(options);
  } else {
    auto app = coze::LoadOAuthAppFromConfig(f.config);
    if (!app) return Fail(cli, app);
    if (const auto* jwt = std::get_if<coze::JWTOAuthClient>(&*app)) {
      c.type = "jwt";
      c.client_id = jwt->client_id();
      c.config_file = fs::absolute(f.config).lexically_normal().string();
      if (f.base_url.empty()) c.base_url = jwt->base_url();
      auth = std::make_shared<coze::JWTAuth>(*jwt);
    } else if (const auto* d = std::get_if<coze::DeviceOAuthClient>(&*app)) {
      if (f.base_url.empty()) c.base_url = d->base_url();
      device.emplace(*d);
    } else {
      return Fail(cli, coze::Status(LocalError(
                           "login --config takes a jwt or device app config: web and pkce apps "
                           "need a browser redirect")));
    }
  }
  if (device) {
    auto token = DeviceLogin(*device, f.workspace_id);
    if (!token) return Fail(cli, token);
    c.type = "device";
    c.client_id = device->client_id();
    c.access_token = token->access_token;
    c.refresh_token = token->refresh_token;
    c.expires_in = token->expires_in;
    auth = std::make_shared<coze::TokenAuth>(token->access_token);
  }
  coze::Client client(Options(c.base_url, auth));
  auto me = client.users().Me();
  if (!me) return Fail(cli, me);
  if (auto saved = WriteCredentials(path, c); !saved) return Fail(cli, saved);
  if (cli.json) {
    return PrintJson({{"user_id", me->user_id},
                      {"user_name", me->user_name},
                      {"type", c.type},
                      {"base_url", c.base_url},
                      {"credentials", path}});
  }
  std::printf("logged in to %s as %s (%s) with a %s credential; saved in %s\n", c.base_url.c_str(),
              me->user_name.c_str(), me->user_id.c_str(), c.type.c_str(), path.c_str());
}

void RunLogout(const ClientFlags& f, Cli& cli) {
  const std::string path = CredentialsPath(f);
  std::error_code ec;
  const bool removed = fs::remove(path, ec);
  if (ec) return Fail(cli, coze::Status(LocalError("cannot remove " + path + ": " + ec.message())));
  fs::remove(path + ".lock", ec);
  if (cli.json) return PrintJson({{"removed", removed}, {"credentials", path}});
  std::printf(removed ? "removed %s\n" : "not logged in (no %s)\n", path.c_str());
}

void RunWhoami(const ClientFlags& f, Cli& cli) {
  auto session = OpenSession(f);
  if (!session) return Fail(cli, session);
  coze::Client client(Options(session->base_url, session->auth));
  auto me = client.users().Me();
  if (!me) return Fail(cli, me);
  if (cli.json) {
    return PrintJson({{"user_id", me->user_id},
                      {"user_name", me->user_name},
                      {"nick_name", me->nick_name},
                      {"base_url", session->base_url},
                      {"type", session->type},
                      {"source", session->source}});
  }
  std::printf("%s (%s) at %s with a %s credential from %s\n", me->user_name.c_str(),
              me->user_id.c_str(), session->base_url.c_str(), session->type.c_str(),
              session->source.c_str());
}

// --- chat

bool IsAnswer(const coze::Message& m) {
  return m.type == "answer" || (m.type.empty() && m.role == "assistant");
}

// The conversation of a chat session: "" until the server names one (or --conversation).
struct Conversation {
  std::string id;
  bool announced = false;
  // Prints "conversation: ID" on stderr the first time and whenever it changes.
  void Announce(const std::string& next) {
    if (next.empty() || (announced && next == id)) return;
    id = next;
    announced = true;
    std::fprintf(stderr, "conversation: %s\n", id.c_str());
  }
};

// One chat turn; prints the reply (or the failure) and returns whether it succeeded.
bool ChatTurn(coze::Client& client, const ChatFlags& f, const std::string& text,
              Conversation& conversation, Cli& cli) {
  coze::ChatRequest request;
  request.bot_id = f.bot;
  request.user_id = f.user_id;
  request.conversation_id = conversation.id;
  coze::EnterMessage message;
  message.content = text;
  request.additional_messages.push_back(std::move(message));
  std::string reply;
  coze::Result<coze::Chat> chat = LocalError("no chat");
  if (f.stream) {
    chat = client.chat().Stream(request, [&](const coze::ChatEvent& e) {
      if (e.chat) conversation.Announce(e.chat->conversation_id);
      if (e.event == coze::chat_event::kMessageDelta && e.message && IsAnswer(*e.message)) {
        reply += e.message->content;
        if (!cli.json) {
          std::fputs(e.message->content.c_str(), stdout);
          std::fflush(stdout);
        }
      }
      return true;
    });
    if (!reply.empty() && !cli.json) std::fputc('\n', stdout);
  } else {
    auto polled = client.chat().CreateAndPoll(request);
    if (polled) {
      for (const auto& m : polled->messages) {
        if (IsAnswer(m)) reply += (reply.empty() ? "" : "\n") + m.content;
      }
      chat = polled->chat;
    } else {
      chat = polled.Forward<coze::Chat>();
    }
  }
  if (!chat) {
    Fail(cli, chat);
    return false;
  }
  conversation.Announce(chat->conversation_id);
  if (chat->status == "failed") {
    const coze::ChatError err = chat->last_error.value_or(coze::ChatError{});
    Fail(cli,
         coze::Status(coze::Error{err.code, "chat " + chat->id + " failed: " + err.msg, {}, 0}));
    return false;
  }
  if (cli.json) {
    json::object o{{"conversation_id", chat->conversation_id},
                   {"chat_id", chat->id},
                   {"bot_id", chat->bot_id},
                   {"status", chat->status},
                   {"reply", reply}};
    if (chat->usage) {
      o["usage"] = {{"token_count", chat->usage->token_count},
                    {"output_count", chat->usage->output_count},
                    {"input_count", chat->usage->input_count}};
    }
    PrintJson(o);
  } else if (!f.stream) {
    std::printf("%s\n", reply.c_str());
  }
  if (chat->status != "completed") std::fprintf(stderr, "chat status: %s\n", chat->status.c_str());
  std::fflush(stdout);
  return true;
}

void RunChat(const ChatFlags& f, Cli& cli) {
  auto session = OpenSession(f);
  if (!session) return Fail(cli, session);
  coze::Client client(Options(session->base_url, session->auth));
  Conversation conversation{f.conversation};
  if (f.has_message) {
    ChatTurn(client, f, f.message, conversation, cli);
    return;
  }
  // One turn per non-empty line of stdin, all in one conversation; the first failure ends it.
  for (std::string line; std::getline(std::cin, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (!ChatTurn(client, f, line, conversation, cli)) return;
  }
}

void AddClientOptions(CLI::App& cmd, ClientFlags& f, Cli& cli) {
  cmd.add_option("--base-url", f.base_url,
                 "API base URL (default: the credentials file's, else $COZE_API_BASE, else " +
                     std::string(kDefaultBaseUrl) + ")");
  cmd.add_option("--credentials", f.credentials,
                 "Credentials file (default: $XDG_CONFIG_HOME/cozeauth/credentials.json or "
                 "~/.config/cozeauth/credentials.json)");
  cmd.add_flag("--json", cli.json, "Print JSON");
}

}  // namespace

void SetupClientCommands(CLI::App& app, Cli& cli) {
  auto login = std::make_shared<LoginFlags>();
  CLI::App* cmd = app.add_subcommand(
      "login", "Store a credential for the client commands (device flow, JWT app config or PAT)");
  AddClientOptions(*cmd, *login, cli);
  cmd->add_flag("--device", login->device, "Sign in with the device flow (needs --client-id)");
  cmd->add_option("--client-id", login->client_id, "Client id of a device OAuth app");
  cmd->add_option("--workspace-id", login->workspace_id, "Ask for a token of this workspace");
  cmd->add_option("--config", login->config, "An SDK app config (export-config): jwt or device");
  cmd->add_option("--token", login->token, "A personal or service access token to store");
  cmd->callback([login, &cli] { RunLogin(*login, cli); });

  auto logout = std::make_shared<ClientFlags>();
  cmd = app.add_subcommand("logout", "Remove the credentials file");
  AddClientOptions(*cmd, *logout, cli);
  cmd->callback([logout, &cli] { RunLogout(*logout, cli); });

  auto whoami = std::make_shared<ClientFlags>();
  cmd = app.add_subcommand("whoami", "Show the user of the current credential (users.me)");
  AddClientOptions(*cmd, *whoami, cli);
  cmd->add_option("--token", whoami->token, "Use this token (default: $COZE_API_TOKEN, the file)");
  cmd->callback([whoami, &cli] { RunWhoami(*whoami, cli); });

  auto chat = std::make_shared<ChatFlags>();
  cmd = app.add_subcommand("chat", "Chat with a bot (chat v3); a turn per --message or stdin line");
  AddClientOptions(*cmd, *chat, cli);
  cmd->add_option("--token", chat->token, "Use this token (default: $COZE_API_TOKEN, the file)");
  cmd->add_option("--bot", chat->bot, "Bot id")->required();
  CLI::Option* message = cmd->add_option("--message", chat->message, "The message (else: stdin)");
  cmd->add_flag("--stream", chat->stream, "Stream the reply as it is generated");
  cmd->add_option("--conversation", chat->conversation, "Continue this conversation");
  cmd->add_option("--user-id", chat->user_id, "End-user id sent with the chat (default: cozeauth)");
  cmd->callback([chat, message, &cli] {
    chat->has_message = message->count() > 0;
    RunChat(*chat, cli);
  });
}

}  // namespace cozeauth::cli
