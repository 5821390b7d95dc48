#include "api/respond.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <iterator>

#include "wire/openapi.hpp"

namespace cozeauth::api {
namespace json = boost::json;
namespace {

struct Row {
  Errc code;
  unsigned http_status;
  std::string_view message;
};

// Business errors go out as HTTP 200, as the cloud does (coze-protocol.md §3.2); internal
// faults as 500 and console-session failures as 401.
constexpr std::array kTable = {
    Row{Errc::kBadRequest, 200, "invalid request parameter"},
    Row{Errc::kChatNotFound, 200, "invalid chat"},
    Row{Errc::kConversationNotFound, 200, "invalid conversation"},
    Row{Errc::kMetaDataTooLarge, 200, "meta_data exceeds the limit"},
    Row{Errc::kMessageNotFound, 200, "invalid message"},
    Row{Errc::kBotNotFound, 200, "invalid bot"},
    Row{Errc::kStreamRequiresAutoSave, 200,
        "stream=false is only allowed when auto_save_history=true"},
    Row{Errc::kBotNotPublished, 200, "bot has not been published to the API channel"},
    Row{Errc::kChatRunning, 200, "a chat is already running in this conversation"},
    Row{Errc::kWorkflowNotConfigured, 200, "workflow not configured"},
    Row{Errc::kTokenInvalid, 200, "authentication is invalid"},
    Row{Errc::kPermissionDenied, 200,
        "Your token does not have permission to access resource. Please verify whether the "
        "resource ID or token is correct."},
    Row{Errc::kCancelNotAllowed, 200, "the chat cannot be cancelled"},
    Row{Errc::kNotFound, 200, "resource not found"},
    Row{Errc::kAlreadyExists, 200, "already exists"},
    Row{Errc::kFileEmpty, 200, "the uploaded file is empty"},
    Row{Errc::kFileTooMany, 200, "more than one file uploaded"},
    Row{Errc::kFileTooLarge, 200, "the uploaded file is too large"},
    Row{Errc::kFileInvalid, 200, "invalid file"},
    Row{Errc::kWorkflowExecutionNotFound, 200, "workflow execution not found"},
    Row{Errc::kWorkflowExecutionFinished, 200, "workflow execution already finished"},
    Row{Errc::kInternal, 500, "internal server error"},
    Row{Errc::kUnauthenticated, 401, "authentication failed"},
};

const Row* Find(Errc code) {
  for (const auto& r : kTable) {
    if (r.code == code) return &r;
  }
  return nullptr;
}

json::object Detail(const http::Request& req) { return {{"logid", req.logid}}; }

bool IsTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
         c == '~' || c == '+' || c == '/' || c == '=';
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Words after which the next run is a credential ("Bearer x", "password=x", "token: x").
bool IsSecretKeyword(std::string_view word) {
  // Not "token" or "session": store causes name those tables ("insert token: …"); their values
  // are caught by their shape (LooksSecret).
  static constexpr std::string_view kWords[] = {
      "bearer",        "basic",         "password",      "passwd",        "secret",
      "client_secret", "access_token",  "refresh_token", "authorization", "cookie",
      "set-cookie",    "code_verifier", "assertion",     "api_key"};
  const std::string lower = Lower(word);
  return std::find(std::begin(kWords), std::end(kWords), lower) != std::end(kWords);
}

bool LooksSecret(std::string_view run) {
  static constexpr std::string_view kPrefixes[] = {"pat_", "sat_", "czu_", "czs_", "rt_", "sk-"};
  for (auto p : kPrefixes) {
    if (run.size() > p.size() && Lower(run.substr(0, p.size())) == p) return true;
  }
  if (run.size() < 20) return false;
  const bool letters = std::any_of(
      run.begin(), run.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
  const bool digits = std::any_of(
      run.begin(), run.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  return letters && digits;
}

}  // namespace

std::string_view DefaultMessage(Errc code) {
  const Row* r = Find(code);
  return r ? r->message : "error";
}

unsigned HttpStatusFor(Errc code) {
  const Row* r = Find(code);
  return r ? r->http_status : 200;
}

http::Response Ok(const http::Request& req, json::value data) {
  return OkSerialized(req, json::serialize(data));
}

http::Response OkSerialized(const http::Request& req, std::string_view data_json) {
  // What serialize() of {code, msg, data, detail:{logid}} gives, without building that object.
  std::string body;
  body.reserve(52 + data_json.size() + req.logid.size());
  body.append(R"({"code":0,"msg":"","data":)").append(data_json);
  body.append(R"(,"detail":{"logid":)");
  wire::AppendJsonString(body, req.logid);
  body.append("}}");
  return http::Response::Json(std::move(body));
}

http::Response OkTopLevel(const http::Request& req, json::object fields) {
  json::object o;
  o["code"] = 0;
  o["msg"] = "";
  for (auto& kv : fields) o[kv.key()] = std::move(kv.value());
  o["detail"] = Detail(req);
  return http::Response::Json(json::serialize(o));
}

http::Response Fail(const http::Request& req, const Error& error) {
  if (error.code == Errc::kInternal) LogInternalError(req, error);
  std::string msg(DefaultMessage(error.code));
  // Internal faults never echo their cause to the client (it is in the server log).
  if (error.code != Errc::kInternal && !error.message.empty()) {
    msg = error.field.empty() || error.message.find(error.field) != std::string::npos
              ? error.message
              : error.field + ": " + error.message;
  }
  auto res = http::Response::Json(http::ErrorEnvelope(static_cast<int>(error.code), msg, req.logid),
                                  HttpStatusFor(error.code));
  res.log_code = static_cast<int>(error.code);
  return res;
}

std::string RedactSecrets(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool after_keyword = false;  // the previous run was a keyword, only separators since
  size_t i = 0;
  while (i < text.size()) {
    if (!IsTokenChar(text[i])) {
      // Separators between a keyword and its value: "Bearer x", "password=x", "token: 'x'".
      const char c = text[i];
      if (!(c == ' ' || c == ':' || c == '\'' || c == '"' || c == '\t')) after_keyword = false;
      out += c;
      ++i;
      continue;
    }
    size_t j = i;
    while (j < text.size() && IsTokenChar(text[j])) ++j;
    std::string_view run = text.substr(i, j - i);
    // "password=hunter2" is one run: split at the first '=' to see the keyword.
    if (const size_t eq = run.find('=');
        eq != std::string_view::npos && eq > 0 && IsSecretKeyword(run.substr(0, eq))) {
      out.append(run.substr(0, eq + 1));
      out += eq + 1 < run.size() ? "[redacted]" : "";
      after_keyword = eq + 1 == run.size();
    } else if (IsSecretKeyword(run)) {  // "Authorization: Bearer x": the value is further on
      out.append(run);
      after_keyword = true;
    } else if (after_keyword || LooksSecret(run)) {
      out += "[redacted]";
      after_keyword = false;
    } else {
      out.append(run);
      after_keyword = false;
    }
    i = j;
  }
  return out;
}

std::string InternalErrorLine(std::string_view logid, std::string_view route,
                              std::string_view cause) {
  json::object line{{"level", "error"},
                    {"logid", logid},
                    {"route", route},
                    {"code", static_cast<int>(Errc::kInternal)},
                    {"error", RedactSecrets(cause)}};
  return json::serialize(line);  // control characters in the cause are escaped: one line
}

void LogInternalError(const http::Request& req, const Error& error) {
  std::string line = InternalErrorLine(req.logid, req.route, error.message);
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stderr);  // one write: lines never interleave
  std::fflush(stderr);
}

http::Response Fail(const http::Request& req, Errc code, std::string_view message) {
  return Fail(req, Error::Make(code, std::string(message)));
}

}  // namespace cozeauth::api
