#pragma once
// Server-rendered HTML for the console pages (login, consent, device verification): escaping
// and one page frame. Pure functions; thread-safe.

#include <string>
#include <string_view>

namespace cozeauth::console {

// Escapes & < > " ' for use in element text and double-quoted attribute values.
std::string Escape(std::string_view text);

// A complete page: <title>, a small inline style sheet, and `body_html` (already escaped).
std::string Page(std::string_view title, std::string_view body_html);

// A page that shows an error and offers no way forward (unknown client, bad redirect URI, …).
std::string ErrorPage(std::string_view title, std::string_view message);

}  // namespace cozeauth::console
