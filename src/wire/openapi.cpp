#include "wire/openapi.hpp"

#include <algorithm>

#include "wire/json_read.hpp"

namespace cozeauth::wire {
namespace json = boost::json;
namespace {

json::array Strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

}  // namespace

void tag_invoke(const json::value_from_tag&, json::value& jv, const User& v) {
  jv = {{"user_id", v.user_id},
        {"user_name", v.user_name},
        {"nick_name", v.nick_name},
        {"avatar_url", v.avatar_url}};
}

void AppendJsonString(std::string& out, std::string_view s) {
  // Most strings (ids, names) need no escape: the serializer would copy them between quotes.
  const bool plain = std::none_of(s.begin(), s.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c < 0x20 || c == '"' || c == '\\';
  });
  if (plain) {
    out.push_back('"');
    out.append(s);
    out.push_back('"');
    return;
  }
  json::serializer sr;
  sr.reset(s);
  char buf[256];
  while (!sr.done()) {
    const json::string_view part = sr.read(buf, sizeof buf);
    out.append(part.data(), part.size());
  }
}

void AppendUserJson(std::string& out, std::string_view user_id, std::string_view user_name,
                    std::string_view nick_name, std::string_view avatar_url) {
  out.append(R"({"user_id":)");
  AppendJsonString(out, user_id);
  out.append(R"(,"user_name":)");
  AppendJsonString(out, user_name);
  out.append(R"(,"nick_name":)");
  AppendJsonString(out, nick_name);
  out.append(R"(,"avatar_url":)");
  AppendJsonString(out, avatar_url);
  out.push_back('}');
}

void tag_invoke(const json::value_from_tag&, json::value& jv, const Workspace& v) {
  json::object o{{"id", v.id},
                 {"name", v.name},
                 {"icon_url", v.icon_url},
                 {"role_type", v.role_type},
                 {"workspace_type", v.workspace_type},
                 {"owner_uid", v.owner_uid},
                 {"admin_uids", Strings(v.admin_uids)},
                 {"description", v.description},
                 {"joined_status", v.joined_status},
                 {"enterprise_id", v.enterprise_id}};  // "" for personal accounts' workspaces
  jv = std::move(o);
}

void tag_invoke(const json::value_from_tag&, json::value& jv, const WorkspaceMember& v) {
  jv = {{"user_id", v.user_id},
        {"user_nickname", v.user_nickname},
        {"user_unique_name", v.user_unique_name},
        {"avatar_url", v.avatar_url},
        {"role_type", v.role_type}};
}

void tag_invoke(const json::value_from_tag&, json::value& jv, const BotListItem& v) {
  jv = {{"id", v.id},
        {"name", v.name},
        {"icon_url", v.icon_url},
        {"updated_at", v.updated_at},
        {"description", v.description},
        {"is_published", v.is_published},
        {"published_at", v.published_at},
        {"owner_user_id", v.owner_user_id}};
}

void tag_invoke(const json::value_from_tag&, json::value& jv, const BotInfo& v) {
  jv = {{"bot_id", v.bot_id},
        {"name", v.name},
        {"description", v.description},
        {"icon_url", v.icon_url},
        {"create_time", v.create_time},
        {"update_time", v.update_time},
        {"version", v.version},
        {"bot_mode", 0},
        {"owner_user_id", v.owner_user_id},
        {"space_id", v.space_id},
        {"is_published", v.is_published},
        {"prompt_info", {{"prompt", v.prompt}}},
        {"onboarding_info", {{"prologue", v.prologue}, {"suggested_questions", json::array{}}}},
        {"connector_ids", Strings(v.connector_ids)},
        {"plugin_info_list", json::array{}}};
}

void tag_invoke(const json::value_from_tag&, json::value& jv, const Conversation& v) {
  jv = {{"id", v.id},
        {"name", v.name},
        {"created_at", v.created_at},
        {"updated_at", v.updated_at},
        {"meta_data", v.meta_data},
        {"creator_id", v.creator_id},
        {"connector_id", v.connector_id},
        {"last_section_id", v.last_section_id}};
}

void tag_invoke(const json::value_from_tag&, json::value& jv, const Message& v) {
  jv = {{"id", v.id},
        {"conversation_id", v.conversation_id},
        {"bot_id", v.bot_id},
        {"chat_id", v.chat_id},
        {"section_id", v.section_id},
        {"role", v.role},
        {"type", v.type},
        {"content", v.content},
        {"content_type", v.content_type},
        {"meta_data", v.meta_data},
        {"created_at", v.created_at},
        {"updated_at", v.updated_at},
        {"reasoning_content", v.reasoning_content}};
}

void tag_invoke(const json::value_from_tag&, json::value& jv, const Usage& v) {
  jv = {{"token_count", v.token_count},
        {"output_count", v.output_count},
        {"input_count", v.input_count}};
}

void tag_invoke(const json::value_from_tag&, json::value& jv, const Chat& v) {
  json::object o{{"id", v.id},
                 {"conversation_id", v.conversation_id},
                 {"bot_id", v.bot_id},
                 {"created_at", v.created_at},
                 {"status", v.status},
                 {"meta_data", v.meta_data},
                 {"section_id", v.section_id}};
  if (v.completed_at) o["completed_at"] = *v.completed_at;
  if (v.failed_at) o["failed_at"] = *v.failed_at;
  if (v.last_error) o["last_error"] = {{"code", v.last_error->code}, {"msg", v.last_error->msg}};
  if (v.usage) o["usage"] = json::value_from(*v.usage);
  jv = std::move(o);
}

void tag_invoke(const json::value_from_tag&, json::value& jv, const File& v) {
  jv = {{"id", v.id}, {"bytes", v.bytes}, {"created_at", v.created_at}, {"file_name", v.file_name}};
}

void tag_invoke(const json::value_from_tag&, json::value& jv, const Voice& v) {
  jv = {{"voice_id", v.voice_id},
        {"name", v.name},
        {"is_system_voice", v.is_system_voice},
        {"language_code", v.language_code},
        {"language_name", v.language_name},
        {"preview_text", v.preview_text},
        {"preview_audio", v.preview_audio},
        {"available_training_times", v.available_training_times},
        {"create_time", v.create_time},
        {"update_time", v.update_time}};
}

User tag_invoke(const json::value_to_tag<User>&, const json::value& jv) {
  const auto& o = jv.as_object();
  return User{IdMember(o, "user_id"), IdMember(o, "user_name"), IdMember(o, "nick_name"),
              IdMember(o, "avatar_url")};
}

Conversation tag_invoke(const json::value_to_tag<Conversation>&, const json::value& jv) {
  const auto& o = jv.as_object();
  Conversation c;
  c.id = IdMember(o, "id");
  c.name = IdMember(o, "name");
  c.creator_id = IdMember(o, "creator_id");
  c.connector_id = IdMember(o, "connector_id");
  c.last_section_id = IdMember(o, "last_section_id");
  c.meta_data = ObjectMember(o, "meta_data");
  c.created_at = IntMember(o, "created_at").value_or(0);
  c.updated_at = IntMember(o, "updated_at").value_or(0);
  return c;
}

Message tag_invoke(const json::value_to_tag<Message>&, const json::value& jv) {
  const auto& o = jv.as_object();
  Message m;
  m.id = IdMember(o, "id");
  m.conversation_id = IdMember(o, "conversation_id");
  m.bot_id = IdMember(o, "bot_id");
  m.chat_id = IdMember(o, "chat_id");
  m.section_id = IdMember(o, "section_id");
  m.role = IdMember(o, "role");
  m.type = IdMember(o, "type");
  m.content = IdMember(o, "content");
  m.content_type = IdMember(o, "content_type");
  m.reasoning_content = IdMember(o, "reasoning_content");
  m.meta_data = ObjectMember(o, "meta_data");
  m.created_at = IntMember(o, "created_at").value_or(0);
  m.updated_at = IntMember(o, "updated_at").value_or(0);
  return m;
}

Chat tag_invoke(const json::value_to_tag<Chat>&, const json::value& jv) {
  const auto& o = jv.as_object();
  Chat c;
  c.id = IdMember(o, "id");
  c.conversation_id = IdMember(o, "conversation_id");
  c.bot_id = IdMember(o, "bot_id");
  c.status = IdMember(o, "status");
  c.section_id = IdMember(o, "section_id");
  c.created_at = IntMember(o, "created_at").value_or(0);
  if (o.contains("completed_at")) c.completed_at = IntMember(o, "completed_at").value_or(0);
  if (o.contains("failed_at")) c.failed_at = IntMember(o, "failed_at").value_or(0);
  c.meta_data = ObjectMember(o, "meta_data");
  if (auto e = ObjectMember(o, "last_error"); !e.empty()) {
    c.last_error =
        ChatError{static_cast<int>(IntMember(e, "code").value_or(0)), IdMember(e, "msg")};
  }
  if (auto u = ObjectMember(o, "usage"); !u.empty()) {
    c.usage =
        Usage{IntMember(u, "token_count").value_or(0), IntMember(u, "output_count").value_or(0),
              IntMember(u, "input_count").value_or(0)};
  }
  return c;
}

Workspace tag_invoke(const json::value_to_tag<Workspace>&, const json::value& jv) {
  const auto& o = jv.as_object();
  Workspace w;
  w.id = IdMember(o, "id");
  w.name = IdMember(o, "name");
  w.icon_url = IdMember(o, "icon_url");
  w.role_type = IdMember(o, "role_type");
  w.workspace_type = IdMember(o, "workspace_type");
  w.enterprise_id = IdMember(o, "enterprise_id");
  w.owner_uid = IdMember(o, "owner_uid");
  w.description = IdMember(o, "description");
  w.joined_status = IdMember(o, "joined_status");
  w.admin_uids = StringListMember(o, "admin_uids");
  return w;
}

BotListItem tag_invoke(const json::value_to_tag<BotListItem>&, const json::value& jv) {
  const auto& o = jv.as_object();
  BotListItem b;
  b.id = IdMember(o, "id");
  b.name = IdMember(o, "name");
  b.icon_url = IdMember(o, "icon_url");
  b.description = IdMember(o, "description");
  b.owner_user_id = IdMember(o, "owner_user_id");
  b.updated_at = IntMember(o, "updated_at").value_or(0);
  b.is_published = BoolMember(o, "is_published", false);
  b.published_at = IntMember(o, "published_at").value_or(0);
  return b;
}

BotInfo tag_invoke(const json::value_to_tag<BotInfo>&, const json::value& jv) {
  const auto& o = jv.as_object();
  BotInfo b;
  b.bot_id = IdMember(o, "bot_id");
  b.name = IdMember(o, "name");
  b.description = IdMember(o, "description");
  b.icon_url = IdMember(o, "icon_url");
  b.version = IdMember(o, "version");
  b.bot_mode = IdMember(o, "bot_mode");
  b.owner_user_id = IdMember(o, "owner_user_id");
  b.space_id = IdMember(o, "space_id");
  // The cloud nests these (prompt_info.prompt, onboarding_info.prologue); accept both shapes.
  b.prompt = o.contains("prompt") ? IdMember(o, "prompt")
                                  : IdMember(ObjectMember(o, "prompt_info"), "prompt");
  b.prologue = o.contains("prologue") ? IdMember(o, "prologue")
                                      : IdMember(ObjectMember(o, "onboarding_info"), "prologue");
  b.create_time = IntMember(o, "create_time").value_or(0);
  b.update_time = IntMember(o, "update_time").value_or(0);
  b.is_published = BoolMember(o, "is_published", false);
  b.connector_ids = StringListMember(o, "connector_ids");
  return b;
}

File tag_invoke(const json::value_to_tag<File>&, const json::value& jv) {
  const auto& o = jv.as_object();
  return File{IdMember(o, "id"), IdMember(o, "file_name"), IntMember(o, "bytes").value_or(0),
              IntMember(o, "created_at").value_or(0)};
}

Voice tag_invoke(const json::value_to_tag<Voice>&, const json::value& jv) {
  const auto& o = jv.as_object();
  Voice v;
  v.voice_id = IdMember(o, "voice_id");
  v.name = IdMember(o, "name");
  v.language_code = IdMember(o, "language_code");
  v.language_name = IdMember(o, "language_name");
  v.preview_text = IdMember(o, "preview_text");
  v.preview_audio = IdMember(o, "preview_audio");
  v.is_system_voice = BoolMember(o, "is_system_voice", true);
  v.available_training_times = IntMember(o, "available_training_times").value_or(0);
  v.create_time = IntMember(o, "create_time").value_or(0);
  v.update_time = IntMember(o, "update_time").value_or(0);
  return v;
}

}  // namespace cozeauth::wire
