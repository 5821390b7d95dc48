#include "support/sse.hpp"

namespace cozeauth::it {

SseParse ParseChatSse(std::string_view body) {
  SseParse out;
  size_t pos = 0;
  // Reads one '\n'-terminated line; false at the end of the body or on an unterminated line.
  auto line = [&](std::string_view& l) {
    if (pos >= body.size()) return false;
    size_t nl = body.find('\n', pos);
    if (nl == std::string_view::npos) return false;
    l = body.substr(pos, nl - pos);
    pos = nl + 1;
    return true;
  };
  auto fail = [&](std::string why) {
    out.error = "at byte " + std::to_string(pos) + " (event #" +
                std::to_string(out.events.size() + 1) + "): " + std::move(why);
    return out;
  };
  if (body.empty()) return fail("empty body");
  while (pos < body.size()) {
    std::string_view ev, data, blank;
    if (!line(ev)) return fail("unterminated line: '" + std::string(body.substr(pos)) + "'");
    if (!ev.starts_with("event:")) return fail("expected 'event:', got '" + std::string(ev) + "'");
    if (!line(data)) return fail("missing 'data:' line after '" + std::string(ev) + "'");
    if (!data.starts_with("data:")) {
      return fail("expected 'data:' right after '" + std::string(ev) + "', got '" +
                  std::string(data) + "'");
    }
    if (!line(blank) || !blank.empty()) {
      return fail("expected a blank line after '" + std::string(data) + "', got '" +
                  std::string(blank) + "'");
    }
    if (ev.find('\r') != ev.npos || data.find('\r') != data.npos) return fail("CR in a field");
    out.events.push_back({std::string(ev.substr(6)), std::string(data.substr(5))});
  }
  return out;
}

}  // namespace cozeauth::it
