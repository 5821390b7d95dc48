#include "api/resource_wire.hpp"

namespace cozeauth::api {
namespace json = boost::json;

json::object MetaDataObject(const std::string& stored) {
  json::error_code ec;
  json::value v = json::parse(stored, ec);
  if (ec || !v.is_object()) return {};
  return std::move(v.as_object());
}

std::string MetaDataJson(const json::object& meta) { return json::serialize(meta); }

wire::Conversation ToWire(const domain::Conversation& c) {
  wire::Conversation w;
  w.id = c.id;
  w.name = c.name;
  w.creator_id = c.creator_id;
  w.connector_id = c.connector_id;
  w.last_section_id = c.last_section_id;
  w.meta_data = MetaDataObject(c.meta_data_json);
  w.created_at = c.created_at;
  w.updated_at = c.updated_at;
  return w;
}

wire::Message ToWire(const domain::Message& m) {
  wire::Message w;
  w.id = m.id;
  w.conversation_id = m.conversation_id;
  w.bot_id = m.bot_id;
  w.chat_id = m.chat_id;
  w.section_id = m.section_id;
  w.role = m.role;
  w.type = m.type;
  w.content = m.content;
  w.content_type = m.content_type;
  w.meta_data = MetaDataObject(m.meta_data_json);
  w.created_at = m.created_at;
  w.updated_at = m.updated_at;
  return w;
}

wire::Chat ToWire(const domain::Chat& c) {
  wire::Chat w;
  w.id = c.id;
  w.conversation_id = c.conversation_id;
  w.bot_id = c.bot_id;
  w.status = c.status;
  w.section_id = c.section_id;
  w.created_at = c.created_at;
  w.meta_data = MetaDataObject(c.meta_data_json);
  if (c.status == "completed" && c.completed_at > 0) w.completed_at = c.completed_at;
  if (c.status == "completed" || c.input_count > 0 || c.output_count > 0) {
    w.usage = wire::Usage{c.input_count + c.output_count, c.output_count, c.input_count};
  }
  return w;
}

wire::File ToWire(const domain::File& f) {
  return wire::File{f.id, f.file_name, f.bytes, f.created_at};
}

json::array MessagesJson(const std::vector<domain::Message>& messages) {
  json::array out;
  out.reserve(messages.size());
  for (const auto& m : messages) out.push_back(json::value_from(ToWire(m)));
  return out;
}

}  // namespace cozeauth::api
