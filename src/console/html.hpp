#pragma once
// HTML escaping for every console page (their frame is console/pages/layout.hpp). Pure
// function; thread-safe.

#include <string>
#include <string_view>

namespace cozeauth::console {

// Escapes & < > " ' for use in element text and double-quoted attribute values.
std::string Escape(std::string_view text);

}  // namespace cozeauth::console
