#include "console/pages/api_json.hpp"

namespace cozeauth::console {
namespace json = boost::json;

const json::value& JsonMember(const json::value& v, std::string_view key) {
  static const json::value kNull;
  if (!v.is_object()) return kNull;
  const json::value* f = v.get_object().if_contains(key);
  return f ? *f : kNull;
}

std::string JsonStr(const json::value& v, std::string_view key) {
  const json::value& f = JsonMember(v, key);
  if (f.is_string()) return std::string(f.get_string());
  if (f.is_int64()) return std::to_string(f.get_int64());
  return {};
}

int64_t JsonInt(const json::value& v, std::string_view key) {
  const json::value& f = JsonMember(v, key);
  return f.is_int64() ? f.get_int64() : 0;
}

bool JsonBool(const json::value& v, std::string_view key) {
  const json::value& f = JsonMember(v, key);
  return f.is_bool() && f.get_bool();
}

const json::array& JsonArray(const json::value& v, std::string_view key) {
  static const json::array kEmpty;
  const json::value& f = JsonMember(v, key);
  return f.is_array() ? f.get_array() : kEmpty;
}

}  // namespace cozeauth::console
