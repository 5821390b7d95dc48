#pragma once
// Lenient reading of JSON object members, for the client side (the SDK reading responses, the
// wire DTOs, the CLI's saved credentials): a member that is missing, null or of another type
// reads as absent — empty, zero, nullopt — and nothing throws. Servers differ in small ways
// (ids as numbers, counts as strings); a client tolerates them (style.md habit 6). The server
// side reads strictly instead (api/json_input.hpp: a wrong type is a 4000 naming the field).
// Pure functions; thread-safe.

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cozeauth::wire {

// A string member; "" otherwise.
std::string StringMember(const boost::json::object& o, std::string_view key);
// A string member, or an integer member written in decimal (ids some servers send as numbers);
// "" otherwise.
std::string IdMember(const boost::json::object& o, std::string_view key);
// An integer member: a JSON integer within int64, a number within int64 (truncated), or a
// string of decimal digits with an optional sign; nullopt otherwise.
std::optional<int64_t> IntMember(const boost::json::object& o, std::string_view key);
// A boolean member; `fallback` otherwise.
bool BoolMember(const boost::json::object& o, std::string_view key, bool fallback = false);
// An object member; {} otherwise.
boost::json::object ObjectMember(const boost::json::object& o, std::string_view key);
// The string items of an array member (other items skipped); {} otherwise.
std::vector<std::string> StringListMember(const boost::json::object& o, std::string_view key);

}  // namespace cozeauth::wire
