#include "runtime/bot_runtime.hpp"

namespace cozeauth::runtime {

std::string Reply(std::string_view prompt, std::string_view message) {
  if (prompt.empty()) return std::string(message);
  std::string out(prompt);
  out += ' ';
  out += message;
  return out;
}

std::vector<std::string> Deltas(std::string_view reply) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < reply.size()) {
    size_t sp = reply.find(' ', start);
    size_t end = sp == std::string_view::npos ? reply.size() : sp + 1;
    out.emplace_back(reply.substr(start, end - start));
    start = end;
  }
  return out;
}

int CountTokens(std::string_view text) {
  int n = 0;
  bool in_word = false;
  for (char c : text) {
    bool space = c == ' ' || c == '\n' || c == '\t';
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

}  // namespace cozeauth::runtime
