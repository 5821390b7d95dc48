#pragma once
// Strict reading of request input (server side): a malformed body or a field of the wrong type
// is a kBadRequest naming the field; unknown fields are ignored (SDKs send extras). Pure.

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "http/message.hpp"

namespace cozeauth::api {

// The body as a JSON object; an empty body is an empty object when `allow_empty`.
Result<boost::json::object> JsonBody(const http::Request& req, bool allow_empty = false);

// Typed getters: nullopt when absent or null; kBadRequest when present with another type.
Result<std::optional<std::string>> OptString(const boost::json::object& o, std::string_view key);
Result<std::string> ReqString(const boost::json::object& o, std::string_view key);
// Accepts a JSON string of digits or a JSON integer (ids are strings, some SDKs send numbers).
Result<std::optional<std::string>> OptId(const boost::json::object& o, std::string_view key);
// OptId, required: kBadRequest "<key> is required" when absent, null or empty.
Result<std::string> RequiredId(const boost::json::object& o, std::string_view key);
// An enterprise id ("ent_<digits>", domain::Enterprise), when present and not empty; the field
// is "enterprise_id". The first takes a query or body value, the second the body member.
Result<std::optional<std::string>> EnterpriseIdValue(std::optional<std::string> value);
Result<std::optional<std::string>> OptEnterpriseId(const boost::json::object& o);
Result<std::string> RequiredEnterpriseId(const boost::json::object& o);
Result<std::optional<int64_t>> OptInt(const boost::json::object& o, std::string_view key);
// OptInt within [min, max], `def` when absent or null.
Result<int64_t> IntInRange(const boost::json::object& o, std::string_view key, int64_t def,
                           int64_t min, int64_t max);
Result<std::optional<bool>> OptBool(const boost::json::object& o, std::string_view key);
Result<std::optional<boost::json::object>> OptObject(const boost::json::object& o,
                                                     std::string_view key);
Result<std::optional<std::vector<std::string>>> OptStringList(const boost::json::object& o,
                                                              std::string_view key);

// A query parameter that must be a numeric id, when present.
Result<std::optional<std::string>> QueryId(const http::Request& req, std::string_view key);
Result<std::string> RequiredQueryId(const http::Request& req, std::string_view key);
// A positive integer query parameter within [min, max], defaulting to `def` when absent.
Result<int> QueryInt(const http::Request& req, std::string_view key, int def, int min, int max);

// meta_data limits (coze-protocol.md §9.3): ≤16 pairs, key 1–64 chars, string value ≤512 chars.
Status ValidateMetaData(const boost::json::object& meta, std::string_view field);

}  // namespace cozeauth::api
