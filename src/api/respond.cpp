#include "api/respond.hpp"

#include <array>

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
  json::object o;
  o["code"] = 0;
  o["msg"] = "";
  o["data"] = std::move(data);
  o["detail"] = Detail(req);
  return http::Response::Json(json::serialize(o));
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
  std::string msg(DefaultMessage(error.code));
  // Internal faults never echo their cause to the client (it is in the server log).
  if (error.code != Errc::kInternal && !error.message.empty()) {
    msg = error.field.empty() || error.message.find(error.field) != std::string::npos
              ? error.message
              : error.field + ": " + error.message;
  }
  auto res = http::Response::Json(
      http::ErrorEnvelope(static_cast<int>(error.code), msg, req.logid), HttpStatusFor(error.code));
  res.log_code = static_cast<int>(error.code);
  return res;
}

http::Response Fail(const http::Request& req, Errc code, std::string_view message) {
  return Fail(req, Error::Make(code, std::string(message)));
}

}  // namespace cozeauth::api
