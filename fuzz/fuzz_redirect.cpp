// Where the browser goes after signing in (src/console/safe_redirect.hpp): the `redirect` of
// GET/POST /sign, attacker-controlled and written into a Location header.
// Properties: the answer is the input unchanged or "/"; an accepted value is an origin-relative
// path — starts with one "/", no "//" or "/\" prefix, no byte a header or a browser would read
// as another origin (control characters, space, backslash, non-ASCII), bounded length.
#include "console/safe_redirect.hpp"
#include "fuzz_support.hpp"
#include "http/message.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cozeauth;
  const std::string_view in = fuzz::AsView(data, size);
  const std::string out = console::SafeRedirectPath(in);
  FUZZ_CHECK(out == "/" || out == in);
  FUZZ_CHECK(!out.empty() && out[0] == '/');
  FUZZ_CHECK(out.size() <= console::kMaxRedirectLength);
  if (out.size() > 1) FUZZ_CHECK(out[1] != '/' && out[1] != '\\');
  for (unsigned char c : out) FUZZ_CHECK(c > 0x20 && c < 0x7F && c != '\\');
  // Decoded, the path must not turn into another origin either ("/%2F/evil", "/%5Cevil").
  const std::string path = http::PercentDecode(out.substr(0, out.find_first_of("?#")), false);
  if (path.size() > 1) FUZZ_CHECK(path[1] != '/' && path[1] != '\\');
  return 0;
}
