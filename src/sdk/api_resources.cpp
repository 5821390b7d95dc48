// users, workspaces, bots, conversations, messages, files, audio (coze-protocol.md §9.1).

#include <coze/client.hpp>
#include <fstream>
#include <sstream>

#include "sdk/api_util.hpp"
#include "wire/json_read.hpp"

namespace coze {
namespace json = boost::json;
using cozeauth::wire::BoolMember;
using cozeauth::wire::IntMember;
using cozeauth::wire::StringMember;
using sdk::Data;
using sdk::Field;

using sdk::EnterMessageJson;

json::value sdk::EnterMessageJson(const EnterMessage& m) {
  json::object o{{"role", m.role}, {"content", m.content}, {"content_type", m.content_type}};
  if (!m.type.empty()) o["type"] = m.type;
  if (!m.meta_data.empty()) o["meta_data"] = m.meta_data;
  return o;
}

namespace {

std::vector<std::pair<std::string, std::string>> Paging(const PageRequest& page) {
  return {{"page_num", std::to_string(page.page_num)},
          {"page_size", std::to_string(page.page_size)}};
}

}  // namespace

Result<User> Users::Me() { return Data<User>(client_.Call({.path = "/v1/users/me"})); }

Result<WorkspaceList> Workspaces::List(PageRequest page) {
  auto data = Data<json::object>(client_.Call({.path = "/v1/workspaces", .query = Paging(page)}));
  if (!data) return data.Forward<WorkspaceList>();
  auto items = Field<std::vector<Workspace>>(*data, "workspaces");
  if (!items) return items.Forward<WorkspaceList>();
  return WorkspaceList{std::move(*items), IntMember(*data, "total_count").value_or(0)};
}

Result<BotList> Bots::List(const std::string& workspace_id, BotListRequest request) {
  auto query = Paging(request.page);
  query.emplace_back("workspace_id", workspace_id);
  if (!request.publish_status.empty()) query.emplace_back("publish_status", request.publish_status);
  auto data = Data<json::object>(client_.Call({.path = "/v1/bots", .query = query}));
  if (!data) return data.Forward<BotList>();
  auto items = Field<std::vector<BotListItem>>(*data, "items");
  if (!items) return items.Forward<BotList>();
  return BotList{std::move(*items), IntMember(*data, "total").value_or(0)};
}

Result<BotInfo> Bots::Retrieve(const std::string& bot_id) {
  return Data<BotInfo>(client_.Call({.path = "/v1/bots/" + bot_id}));
}

Result<Conversation> Conversations::Create(const ConversationCreateRequest& request) {
  json::object body;
  if (!request.bot_id.empty()) body["bot_id"] = request.bot_id;
  if (!request.name.empty()) body["name"] = request.name;
  if (!request.meta_data.empty()) body["meta_data"] = request.meta_data;
  if (!request.messages.empty()) {
    json::array messages;
    for (const auto& m : request.messages) messages.push_back(EnterMessageJson(m));
    body["messages"] = std::move(messages);
  }
  return Data<Conversation>(
      client_.Call({.method = "POST", .path = "/v1/conversation/create", .json = body}));
}

Result<Conversation> Conversations::Retrieve(const std::string& conversation_id) {
  return Data<Conversation>(client_.Call(
      {.path = "/v1/conversation/retrieve", .query = {{"conversation_id", conversation_id}}}));
}

Result<ConversationList> Conversations::List(const std::string& bot_id,
                                             ConversationListRequest request) {
  auto query = Paging(request.page);
  query.emplace_back("bot_id", bot_id);
  if (!request.sort_order.empty()) query.emplace_back("sort_order", request.sort_order);
  auto data = Data<json::object>(client_.Call({.path = "/v1/conversations", .query = query}));
  if (!data) return data.Forward<ConversationList>();
  auto items = Field<std::vector<Conversation>>(*data, "conversations");
  if (!items) return items.Forward<ConversationList>();
  return ConversationList{std::move(*items), BoolMember(*data, "has_more")};
}

Result<Message> Messages::Create(const std::string& conversation_id, const std::string& role,
                                 const std::string& content, const std::string& content_type) {
  json::object body{{"role", role}, {"content", content}, {"content_type", content_type}};
  return Data<Message>(client_.Call({.method = "POST",
                                     .path = "/v1/conversation/message/create",
                                     .query = {{"conversation_id", conversation_id}},
                                     .json = body}));
}

Result<MessageList> Messages::List(const std::string& conversation_id,
                                   const MessageListRequest& request) {
  json::object body;
  if (!request.order.empty()) body["order"] = request.order;
  if (!request.chat_id.empty()) body["chat_id"] = request.chat_id;
  if (!request.before_id.empty()) body["before_id"] = request.before_id;
  if (!request.after_id.empty()) body["after_id"] = request.after_id;
  if (request.limit > 0) body["limit"] = request.limit;
  auto res = client_.Call({.method = "POST",
                           .path = "/v1/conversation/message/list",
                           .query = {{"conversation_id", conversation_id}},
                           .json = body});
  // coze-protocol.md §3.1: the list's cursors are top-level, beside `data`.
  auto items = Data<std::vector<Message>>(res);
  if (!items) return items.Forward<MessageList>();
  return MessageList{std::move(*items), StringMember(*res, "first_id"),
                     StringMember(*res, "last_id"), BoolMember(*res, "has_more")};
}

Result<File> Files::Upload(const std::string& bytes, const std::string& filename) {
  // A boundary that does not occur in the content (RFC 2046 §5.1.1).
  std::string boundary = "cozecpp-boundary";
  for (int i = 0; bytes.find(boundary) != std::string::npos; ++i) {
    boundary = "cozecpp-boundary-" + std::to_string(i);
  }
  std::string quoted_name;
  for (char c : filename) quoted_name += (c == '"' || c == '\r' || c == '\n') ? '_' : c;
  std::string body = "--" + boundary + "\r\n";
  body += "Content-Disposition: form-data; name=\"file\"; filename=\"" + quoted_name + "\"\r\n";
  body += "Content-Type: application/octet-stream\r\n\r\n";
  body += bytes;
  body += "\r\n--" + boundary + "--\r\n";
  return Data<File>(client_.Call({.method = "POST",
                                  .path = "/v1/files/upload",
                                  .raw_body = std::move(body),
                                  .content_type = "multipart/form-data; boundary=" + boundary}));
}

Result<File> Files::UploadPath(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{kClientErrorCode, "cannot read " + path, {}, 0};
  std::ostringstream content;
  content << in.rdbuf();
  const auto slash = path.find_last_of('/');
  return Upload(content.str(), slash == std::string::npos ? path : path.substr(slash + 1));
}

Result<File> Files::Retrieve(const std::string& file_id) {
  return Data<File>(client_.Call({.path = "/v1/files/retrieve", .query = {{"file_id", file_id}}}));
}

Result<VoiceList> Audio::Voices(const VoiceListRequest& request) {
  auto query = Paging(request.page);
  query.emplace_back("filter_system_voice", request.filter_system_voice ? "true" : "false");
  auto data = Data<json::object>(client_.Call({.path = "/v1/audio/voices", .query = query}));
  if (!data) return data.Forward<VoiceList>();
  auto items = Field<std::vector<Voice>>(*data, "voice_list");
  if (!items) return items.Forward<VoiceList>();
  return VoiceList{std::move(*items), BoolMember(*data, "has_more")};
}

}  // namespace coze
