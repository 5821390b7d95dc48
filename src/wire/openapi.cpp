#include "wire/openapi.hpp"

namespace cozeauth::wire {
namespace json = boost::json;
namespace {

std::string Str(const json::object& o, std::string_view key) {
  if (auto* v = o.if_contains(key); v && v->is_string()) return std::string(v->as_string());
  if (auto* v = o.if_contains(key); v && v->is_int64()) return std::to_string(v->as_int64());
  return {};
}

int64_t Int(const json::object& o, std::string_view key) {
  if (auto* v = o.if_contains(key)) {
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64()) return static_cast<int64_t>(v->as_uint64());
    if (v->is_string()) {
      try {
        return std::stoll(std::string(v->as_string()));
      } catch (...) {
        return 0;
      }
    }
  }
  return 0;
}

json::object Obj(const json::object& o, std::string_view key) {
  if (auto* v = o.if_contains(key); v && v->is_object()) return v->as_object();
  return {};
}

bool Bool(const json::object& o, std::string_view key, bool fallback) {
  if (auto* v = o.if_contains(key); v && v->is_bool()) return v->as_bool();
  return fallback;
}

std::vector<std::string> StringList(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (auto* v = o.if_contains(key); v && v->is_array()) {
    for (const auto& e : v->as_array()) {
      if (e.is_string()) out.emplace_back(e.as_string());
    }
  }
  return out;
}

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
  return User{Str(o, "user_id"), Str(o, "user_name"), Str(o, "nick_name"), Str(o, "avatar_url")};
}

Conversation tag_invoke(const json::value_to_tag<Conversation>&, const json::value& jv) {
  const auto& o = jv.as_object();
  Conversation c;
  c.id = Str(o, "id");
  c.name = Str(o, "name");
  c.creator_id = Str(o, "creator_id");
  c.connector_id = Str(o, "connector_id");
  c.last_section_id = Str(o, "last_section_id");
  c.meta_data = Obj(o, "meta_data");
  c.created_at = Int(o, "created_at");
  c.updated_at = Int(o, "updated_at");
  return c;
}

Message tag_invoke(const json::value_to_tag<Message>&, const json::value& jv) {
  const auto& o = jv.as_object();
  Message m;
  m.id = Str(o, "id");
  m.conversation_id = Str(o, "conversation_id");
  m.bot_id = Str(o, "bot_id");
  m.chat_id = Str(o, "chat_id");
  m.section_id = Str(o, "section_id");
  m.role = Str(o, "role");
  m.type = Str(o, "type");
  m.content = Str(o, "content");
  m.content_type = Str(o, "content_type");
  m.reasoning_content = Str(o, "reasoning_content");
  m.meta_data = Obj(o, "meta_data");
  m.created_at = Int(o, "created_at");
  m.updated_at = Int(o, "updated_at");
  return m;
}

Chat tag_invoke(const json::value_to_tag<Chat>&, const json::value& jv) {
  const auto& o = jv.as_object();
  Chat c;
  c.id = Str(o, "id");
  c.conversation_id = Str(o, "conversation_id");
  c.bot_id = Str(o, "bot_id");
  c.status = Str(o, "status");
  c.section_id = Str(o, "section_id");
  c.created_at = Int(o, "created_at");
  if (o.contains("completed_at")) c.completed_at = Int(o, "completed_at");
  if (o.contains("failed_at")) c.failed_at = Int(o, "failed_at");
  c.meta_data = Obj(o, "meta_data");
  if (auto e = Obj(o, "last_error"); !e.empty()) {
    c.last_error = ChatError{static_cast<int>(Int(e, "code")), Str(e, "msg")};
  }
  if (auto u = Obj(o, "usage"); !u.empty()) {
    c.usage = Usage{Int(u, "token_count"), Int(u, "output_count"), Int(u, "input_count")};
  }
  return c;
}

Workspace tag_invoke(const json::value_to_tag<Workspace>&, const json::value& jv) {
  const auto& o = jv.as_object();
  Workspace w;
  w.id = Str(o, "id");
  w.name = Str(o, "name");
  w.icon_url = Str(o, "icon_url");
  w.role_type = Str(o, "role_type");
  w.workspace_type = Str(o, "workspace_type");
  w.enterprise_id = Str(o, "enterprise_id");
  w.owner_uid = Str(o, "owner_uid");
  w.description = Str(o, "description");
  w.joined_status = Str(o, "joined_status");
  w.admin_uids = StringList(o, "admin_uids");
  return w;
}

BotListItem tag_invoke(const json::value_to_tag<BotListItem>&, const json::value& jv) {
  const auto& o = jv.as_object();
  BotListItem b;
  b.id = Str(o, "id");
  b.name = Str(o, "name");
  b.icon_url = Str(o, "icon_url");
  b.description = Str(o, "description");
  b.owner_user_id = Str(o, "owner_user_id");
  b.updated_at = Int(o, "updated_at");
  b.is_published = Bool(o, "is_published", false);
  b.published_at = Int(o, "published_at");
  return b;
}

BotInfo tag_invoke(const json::value_to_tag<BotInfo>&, const json::value& jv) {
  const auto& o = jv.as_object();
  BotInfo b;
  b.bot_id = Str(o, "bot_id");
  b.name = Str(o, "name");
  b.description = Str(o, "description");
  b.icon_url = Str(o, "icon_url");
  b.version = Str(o, "version");
  b.bot_mode = Str(o, "bot_mode");
  b.owner_user_id = Str(o, "owner_user_id");
  b.space_id = Str(o, "space_id");
  // The cloud nests these (prompt_info.prompt, onboarding_info.prologue); accept both shapes.
  b.prompt = o.contains("prompt") ? Str(o, "prompt") : Str(Obj(o, "prompt_info"), "prompt");
  b.prologue =
      o.contains("prologue") ? Str(o, "prologue") : Str(Obj(o, "onboarding_info"), "prologue");
  b.create_time = Int(o, "create_time");
  b.update_time = Int(o, "update_time");
  b.is_published = Bool(o, "is_published", false);
  b.connector_ids = StringList(o, "connector_ids");
  return b;
}

File tag_invoke(const json::value_to_tag<File>&, const json::value& jv) {
  const auto& o = jv.as_object();
  return File{Str(o, "id"), Str(o, "file_name"), Int(o, "bytes"), Int(o, "created_at")};
}

Voice tag_invoke(const json::value_to_tag<Voice>&, const json::value& jv) {
  const auto& o = jv.as_object();
  Voice v;
  v.voice_id = Str(o, "voice_id");
  v.name = Str(o, "name");
  v.language_code = Str(o, "language_code");
  v.language_name = Str(o, "language_name");
  v.preview_text = Str(o, "preview_text");
  v.preview_audio = Str(o, "preview_audio");
  v.is_system_voice = Bool(o, "is_system_voice", true);
  v.available_training_times = Int(o, "available_training_times");
  v.create_time = Int(o, "create_time");
  v.update_time = Int(o, "update_time");
  return v;
}

}  // namespace cozeauth::wire
