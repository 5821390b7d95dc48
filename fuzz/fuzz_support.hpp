#pragma once
// Small helpers shared by the libFuzzer harnesses in fuzz/ (docs/security.md). Header-only.
//
// FUZZ_CHECK states a property the harness asserts about the code under test; when it fails the
// harness aborts, which libFuzzer reports as a crash and saves the input (crash-<sha1>).

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#define FUZZ_CHECK(cond)                                                                 \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "%s:%d: property violated: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (false)

namespace cozeauth::fuzz {

inline std::string_view AsView(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Replaces every `{{NAME}}` placeholder: seeds name run-time values (generated ids and secrets)
// that no file can hold, and the fuzzer keeps them while it mutates everything around them.
inline std::string Substitute(std::string text, std::string_view name, std::string_view value) {
  const std::string key = "{{" + std::string(name) + "}}";
  for (size_t at = text.find(key); at != std::string::npos;
       at = text.find(key, at + value.size())) {
    text.replace(at, key.size(), value);
  }
  return text;
}

}  // namespace cozeauth::fuzz
