#pragma once
// JSON data types of the Coze OpenAPI (coze-protocol.md §9), shared by the server's handlers
// and the SDK so the two cannot drift. Serialisation via Boost.JSON tag_invoke (value_from);
// parsing (value_to) tolerates unknown fields, as a client must. Ids are strings; timestamps
// Unix seconds. Value types; not synchronized.

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cozeauth::wire {

struct User {
  std::string user_id, user_name, nick_name, avatar_url;
};

struct Workspace {
  std::string id, name, icon_url, role_type, workspace_type, enterprise_id, owner_uid, description,
      joined_status = "joined";
  std::vector<std::string> admin_uids;
};

struct WorkspaceMember {
  std::string user_id, user_nickname, user_unique_name, avatar_url, role_type;
};

// Bot list item of GET /v1/bots.
struct BotListItem {
  std::string id, name, icon_url, description, owner_user_id;
  int64_t updated_at = 0;
  bool is_published = false;
  int64_t published_at = 0;
};

// BotInfo of GET /v1/bots/{id} and /v1/bot/get_online_info.
struct BotInfo {
  std::string bot_id, name, description, icon_url, version, bot_mode = "0", owner_user_id, space_id,
                                                            prompt, prologue;
  int64_t create_time = 0, update_time = 0;
  bool is_published = false;
  std::vector<std::string> connector_ids;
};

struct Conversation {
  std::string id, name, creator_id, connector_id, last_section_id;
  boost::json::object meta_data;
  int64_t created_at = 0, updated_at = 0;
};

struct Message {
  std::string id, conversation_id, bot_id, chat_id, section_id, role, type, content, content_type,
      reasoning_content;
  boost::json::object meta_data;
  int64_t created_at = 0, updated_at = 0;
};

struct Usage {
  int64_t token_count = 0, output_count = 0, input_count = 0;
};

struct ChatError {
  int code = 0;
  std::string msg;
};

struct Chat {
  std::string id, conversation_id, bot_id, status, section_id;
  int64_t created_at = 0;
  std::optional<int64_t> completed_at, failed_at;
  boost::json::object meta_data;
  std::optional<ChatError> last_error;
  std::optional<Usage> usage;
};

struct File {
  std::string id, file_name;
  int64_t bytes = 0, created_at = 0;
};

struct Voice {
  std::string voice_id, name, language_code, language_name, preview_text, preview_audio;
  bool is_system_voice = true;
  int64_t available_training_times = 0, create_time = 0, update_time = 0;
};

void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv, const User& v);
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv, const Workspace& v);
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv,
                const WorkspaceMember& v);
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv, const BotListItem& v);
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv, const BotInfo& v);
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv, const Conversation& v);
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv, const Message& v);
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv, const Usage& v);
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv, const Chat& v);
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv, const File& v);
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv, const Voice& v);

// `s` as a JSON string literal, appended to `out`: what json::serialize(json::string_view(s))
// gives, without its own string.
void AppendJsonString(std::string& out, std::string_view s);
// The JSON of User{user_id, user_name, nick_name, avatar_url}, appended to `out`: what
// json::serialize(json::value_from(user)) gives, without copying the strings into a User or
// building the value (the hot read of GET /v1/users/me; docs/performance.md).
void AppendUserJson(std::string& out, std::string_view user_id, std::string_view user_name,
                    std::string_view nick_name, std::string_view avatar_url);

// Tolerant parsing (unknown keys ignored, missing keys defaulted) for the SDK side.
User tag_invoke(const boost::json::value_to_tag<User>&, const boost::json::value& jv);
Conversation tag_invoke(const boost::json::value_to_tag<Conversation>&,
                        const boost::json::value& jv);
Message tag_invoke(const boost::json::value_to_tag<Message>&, const boost::json::value& jv);
Chat tag_invoke(const boost::json::value_to_tag<Chat>&, const boost::json::value& jv);
Workspace tag_invoke(const boost::json::value_to_tag<Workspace>&, const boost::json::value& jv);
BotListItem tag_invoke(const boost::json::value_to_tag<BotListItem>&, const boost::json::value& jv);
BotInfo tag_invoke(const boost::json::value_to_tag<BotInfo>&, const boost::json::value& jv);
File tag_invoke(const boost::json::value_to_tag<File>&, const boost::json::value& jv);
Voice tag_invoke(const boost::json::value_to_tag<Voice>&, const boost::json::value& jv);

}  // namespace cozeauth::wire
