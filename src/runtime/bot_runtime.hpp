#pragma once
// The built-in deterministic bot runtime behind /v3/chat (docs/runtime.md). A reply is a pure
// function of the bot's prompt and the user's message, so tests can assert it:
//
//   Reply(prompt, message) = message                    when prompt is empty
//                          = prompt + " " + message     otherwise
//
// The streamed deltas are the reply split after each space (each delta keeps its trailing
// space), so concatenating the deltas gives the reply. Token counts are word counts.

#include <string>
#include <string_view>
#include <vector>

namespace cozeauth::runtime {

std::string Reply(std::string_view prompt, std::string_view message);
std::vector<std::string> Deltas(std::string_view reply);
int CountTokens(std::string_view text);

}  // namespace cozeauth::runtime
