#include "api/resource_input.hpp"

#include <array>

#include "api/json_input.hpp"

namespace cozeauth::api {
namespace json = boost::json;
namespace {

// Message types a caller may set (coze-protocol.md §9.2).
constexpr std::array<std::string_view, 7> kTypes = {
    "question", "answer", "function_call", "tool_output", "tool_response", "follow_up", "verbose"};
constexpr std::array<std::string_view, 4> kObjectTypes = {"text", "image", "file", "audio"};

template <size_t N>
bool OneOf(const std::array<std::string_view, N>& set, std::string_view v) {
  for (auto s : set) {
    if (s == v) return true;
  }
  return false;
}

Error Bad(std::string_view field, std::string message) {
  return Error::BadRequest(std::string(field), std::string(field) + " " + message);
}

// The name of member `key` of the object named `field` ("" = the body itself).
std::string Sub(const std::string& field, std::string_view key) {
  return field.empty() ? std::string(key) : field + "." + std::string(key);
}

// A string member of an EnterMessage: absent/null → nullopt; another type → 4000.
Result<std::optional<std::string>> Member(const json::object& o, std::string_view key,
                                          const std::string& field) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<std::string>{};
  if (!v->is_string()) return Bad(Sub(field, key), "must be a string");
  return std::optional<std::string>(std::string(v->as_string()));
}

}  // namespace

Status ValidateRole(std::string_view role, std::string_view field) {
  if (role == "user" || role == "assistant") return {};
  return Bad(field, "must be user or assistant");
}

Status ValidateContentType(std::string_view content_type, std::string_view field) {
  if (content_type == "text" || content_type == "object_string" || content_type == "card") {
    return {};
  }
  return Bad(field, "must be text, object_string or card");
}

Status ValidateContent(std::string_view content_type, std::string_view content,
                       std::string_view field) {
  if (content_type != "object_string") return {};
  json::error_code ec;
  json::value v = json::parse(content, ec);
  if (ec || !v.is_array() || v.as_array().empty()) {
    return Bad(field, "must be a non-empty JSON array when content_type is object_string");
  }
  for (const auto& item : v.as_array()) {
    const json::value* type = item.is_object() ? item.as_object().if_contains("type") : nullptr;
    if (type == nullptr || !type->is_string() || !OneOf(kObjectTypes, type->as_string())) {
      return Bad(field, "items must be objects with type text, image, file or audio");
    }
  }
  return {};
}

std::string DefaultType(std::string_view role) { return role == "user" ? "question" : "answer"; }

Result<json::object> ParseMetaData(const json::object& body, std::string_view key,
                                   std::string_view field) {
  const json::value* v = body.if_contains(key);
  if (v == nullptr || v->is_null()) return json::object{};
  if (!v->is_object()) return Bad(field, "must be an object");
  if (auto s = ValidateMetaData(v->as_object(), field); !s) return s.error();
  return v->as_object();
}

Result<EnterMessage> ParseEnterMessage(const json::value& v, const std::string& field) {
  if (!v.is_object()) return Bad(field.empty() ? "body" : field, "must be an object");
  const json::object& o = v.as_object();
  EnterMessage m;
  auto role = Member(o, "role", field);
  if (!role) return role.error();
  if (!role.value()) return Bad(Sub(field, "role"), "is required");
  if (auto s = ValidateRole(*role.value(), Sub(field, "role")); !s) return s.error();
  m.role = *role.value();
  auto content = Member(o, "content", field);
  if (!content) return content.error();
  if (!content.value()) return Bad(Sub(field, "content"), "is required");
  m.content = *content.value();
  auto content_type = Member(o, "content_type", field);
  if (!content_type) return content_type.error();
  if (content_type.value() && !content_type.value()->empty())
    m.content_type = *content_type.value();
  if (auto s = ValidateContentType(m.content_type, Sub(field, "content_type")); !s)
    return s.error();
  if (auto s = ValidateContent(m.content_type, m.content, Sub(field, "content")); !s)
    return s.error();
  auto type = Member(o, "type", field);
  if (!type) return type.error();
  // The Python SDK sends type "" (MessageType.UNKNOWN) when unset: treat it as absent.
  m.type = type.value().value_or("");
  if (m.type.empty()) m.type = DefaultType(m.role);
  if (!OneOf(kTypes, m.type)) return Bad(Sub(field, "type"), "is not a known message type");
  auto meta = ParseMetaData(o, "meta_data", Sub(field, "meta_data"));
  if (!meta) return meta.error();
  m.meta_data = std::move(meta.value());
  return m;
}

Result<std::vector<EnterMessage>> ParseEnterMessages(const json::object& body,
                                                     std::string_view key) {
  const json::value* v = body.if_contains(key);
  std::vector<EnterMessage> out;
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_array()) return Bad(key, "must be an array of messages");
  for (size_t i = 0; i < v->as_array().size(); ++i) {
    auto m = ParseEnterMessage(v->as_array()[i], std::string(key) + "[" + std::to_string(i) + "]");
    if (!m) return m.error();
    out.push_back(std::move(m.value()));
  }
  return out;
}

domain::Message NewMessage(const EnterMessage& in, const domain::Conversation& conv,
                           std::string_view bot_id, std::string_view chat_id, std::string id,
                           int64_t now) {
  domain::Message m;
  m.id = std::move(id);
  m.conversation_id = conv.id;
  m.bot_id = std::string(bot_id);
  m.chat_id = std::string(chat_id);
  m.section_id = conv.last_section_id;
  m.role = in.role;
  m.type = in.type;
  m.content = in.content;
  m.content_type = in.content_type;
  m.meta_data_json = json::serialize(in.meta_data);
  m.created_at = m.updated_at = now;
  return m;
}

std::string InputText(std::string_view content_type, std::string_view content) {
  if (content_type != "object_string") return std::string(content);
  json::error_code ec;
  json::value v = json::parse(content, ec);
  if (ec || !v.is_array()) return std::string(content);
  std::string out;
  for (const auto& item : v.as_array()) {
    const json::object* o = item.if_object();
    if (o == nullptr) continue;
    const json::value* type = o->if_contains("type");
    const json::value* text = o->if_contains("text");
    if (type && type->is_string() && type->as_string() == "text" && text && text->is_string()) {
      if (!out.empty()) out += ' ';
      out += text->as_string();
    }
  }
  return out;
}

}  // namespace cozeauth::api
