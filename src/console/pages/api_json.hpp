#pragma once
// Reading the console API's answers on a page (PageCall::Api returns them as JSON): a missing or
// mistyped field reads as empty, 0, false or an empty array, since a page shows what the API
// gave and the API is the one that validates. Pure functions.

#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace cozeauth::console {

// A string field; an integer field as its decimal digits (ids are sent either way).
std::string JsonStr(const boost::json::value& v, std::string_view key);
int64_t JsonInt(const boost::json::value& v, std::string_view key);
bool JsonBool(const boost::json::value& v, std::string_view key);
const boost::json::array& JsonArray(const boost::json::value& v, std::string_view key);
// The field itself; a null value when absent.
const boost::json::value& JsonMember(const boost::json::value& v, std::string_view key);

}  // namespace cozeauth::console
