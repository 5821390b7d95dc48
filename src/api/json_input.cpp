#include "api/json_input.hpp"

#include <algorithm>

#include "base/ids.hpp"

namespace cozeauth::api {
namespace json = boost::json;
namespace {

Error WrongType(std::string_view key, std::string_view want) {
  return Error::BadRequest(std::string(key), std::string(key) + " must be " + std::string(want));
}

}  // namespace

Result<json::object> JsonBody(const http::Request& req, bool allow_empty) {
  if (req.body.empty()) {
    if (allow_empty) return json::object{};
    return Error::BadRequest("body", "request body is required (JSON object)");
  }
  json::error_code ec;
  json::value v = json::parse(req.body, ec);
  if (ec) return Error::BadRequest("body", "malformed JSON body: " + ec.message());
  if (!v.is_object()) return Error::BadRequest("body", "request body must be a JSON object");
  return std::move(v.as_object());
}

Result<std::optional<std::string>> OptString(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<std::string>{};
  if (!v->is_string()) return WrongType(key, "a string");
  return std::optional<std::string>(std::string(v->as_string()));
}

Result<std::string> ReqString(const json::object& o, std::string_view key) {
  auto v = OptString(o, key);
  if (!v) return v.error();
  if (!v.value() || v.value()->empty()) {
    return Error::BadRequest(std::string(key), std::string(key) + " is required");
  }
  return std::move(*v.value());
}

Result<std::optional<std::string>> OptId(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<std::string>{};
  std::string s;
  if (v->is_string()) {
    s = std::string(v->as_string());
  } else if (v->is_int64() && v->as_int64() > 0) {
    s = std::to_string(v->as_int64());
  } else if (v->is_uint64()) {
    s = std::to_string(v->as_uint64());
  } else {
    return WrongType(key, "an id string");
  }
  if (s.empty()) return std::optional<std::string>{};
  if (!IsNumericId(s)) return WrongType(key, "a numeric id string");
  return std::optional<std::string>(std::move(s));
}

Result<std::string> RequiredId(const json::object& o, std::string_view key) {
  auto id = OptId(o, key);
  if (!id) return id.error();
  if (!id.value()) return Error::BadRequest(std::string(key), std::string(key) + " is required");
  return std::move(*id.value());
}

Result<std::optional<std::string>> EnterpriseIdValue(std::optional<std::string> v) {
  if (!v || v->empty()) return std::optional<std::string>{};
  const bool ok =
      v->size() > 4 && v->size() <= 40 && v->rfind("ent_", 0) == 0 &&
      std::all_of(v->begin() + 4, v->end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!ok) return Error::BadRequest("enterprise_id", "enterprise_id must look like ent_<digits>");
  return v;
}

Result<std::optional<std::string>> OptEnterpriseId(const json::object& o) {
  auto v = OptString(o, "enterprise_id");
  if (!v) return v.error();
  return EnterpriseIdValue(std::move(v.value()));
}

Result<std::string> RequiredEnterpriseId(const json::object& o) {
  auto v = OptEnterpriseId(o);
  if (!v) return v.error();
  if (!v.value()) return Error::BadRequest("enterprise_id", "enterprise_id is required");
  return std::move(*v.value());
}

Result<std::optional<int64_t>> OptInt(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<int64_t>{};
  if (v->is_int64()) return std::optional<int64_t>(v->as_int64());
  if (v->is_uint64() && v->as_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    return std::optional<int64_t>(static_cast<int64_t>(v->as_uint64()));
  }
  return WrongType(key, "an integer");
}

Result<int64_t> IntInRange(const json::object& o, std::string_view key, int64_t def, int64_t min,
                           int64_t max) {
  auto v = OptInt(o, key);
  if (!v) return v.error();
  if (!v.value()) return def;
  if (*v.value() < min || *v.value() > max) {
    return Error::BadRequest(std::string(key), std::string(key) + " must be between " +
                                                   std::to_string(min) + " and " +
                                                   std::to_string(max));
  }
  return *v.value();
}

Result<std::optional<bool>> OptBool(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<bool>{};
  if (!v->is_bool()) return WrongType(key, "a boolean");
  return std::optional<bool>(v->as_bool());
}

Result<std::optional<json::object>> OptObject(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<json::object>{};
  if (!v->is_object()) return WrongType(key, "an object");
  return std::optional<json::object>(v->as_object());
}

Result<std::optional<std::vector<std::string>>> OptStringList(const json::object& o,
                                                              std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<std::vector<std::string>>{};
  if (!v->is_array()) return WrongType(key, "an array of strings");
  std::vector<std::string> out;
  for (const auto& item : v->as_array()) {
    if (!item.is_string()) return WrongType(key, "an array of strings");
    out.emplace_back(item.as_string());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

Result<std::optional<std::string>> QueryId(const http::Request& req, std::string_view key) {
  auto v = req.Query(key);
  if (!v || v->empty()) return std::optional<std::string>{};
  if (!IsNumericId(*v)) {
    return Error::BadRequest(std::string(key), std::string(key) + " must be a numeric id");
  }
  return v;
}

Result<std::string> RequiredQueryId(const http::Request& req, std::string_view key) {
  auto v = QueryId(req, key);
  if (!v) return v.error();
  if (!v.value()) {
    return Error::BadRequest(std::string(key), std::string(key) + " is required");
  }
  return std::move(*v.value());
}

Result<int> QueryInt(const http::Request& req, std::string_view key, int def, int min, int max) {
  auto v = req.Query(key);
  if (!v || v->empty()) return def;
  int n = 0;
  if (v->size() > 9) {
    return Error::BadRequest(std::string(key), std::string(key) + " is out of range");
  }
  for (char c : *v) {
    if (c < '0' || c > '9') {
      return Error::BadRequest(std::string(key), std::string(key) + " must be an integer");
    }
    n = n * 10 + (c - '0');
  }
  if (n < min || n > max) {
    return Error::BadRequest(std::string(key), std::string(key) + " must be between " +
                                                   std::to_string(min) + " and " +
                                                   std::to_string(max));
  }
  return n;
}

Status ValidateMetaData(const json::object& meta, std::string_view field) {
  if (meta.size() > 16) {
    return Error::Make(Errc::kMetaDataTooLarge, std::string(field) + " has more than 16 pairs");
  }
  for (const auto& kv : meta) {
    if (kv.key().empty() || kv.key().size() > 64) {
      return Error::Make(Errc::kMetaDataTooLarge,
                         std::string(field) + " keys must be 1-64 characters");
    }
    if (!kv.value().is_string()) return WrongType(field, "an object of string values");
    if (kv.value().as_string().size() > 512) {
      return Error::Make(Errc::kMetaDataTooLarge,
                         std::string(field) + " values must be at most 512 characters");
    }
  }
  return {};
}

}  // namespace cozeauth::api
