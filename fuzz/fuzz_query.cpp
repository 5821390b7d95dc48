// Query-string and form decoding (src/http/message.hpp): ParseQuery, PercentDecode and the
// encoder they pair with. Every request target and every urlencoded form body goes through them.
// Properties: decoding never fails or grows the input; PercentEncode → PercentDecode is the
// identity; the encoding holds only unreserved characters and %XX.
#include <cctype>

#include "fuzz_support.hpp"
#include "http/message.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cozeauth;
  const std::string_view in = fuzz::AsView(data, size);
  size_t total = 0;
  for (const auto& [k, v] : http::ParseQuery(in)) total += k.size() + v.size();
  FUZZ_CHECK(total <= in.size());
  FUZZ_CHECK(http::PercentDecode(in, true).size() <= in.size());
  FUZZ_CHECK(http::PercentDecode(in, false).size() <= in.size());
  const std::string encoded = http::PercentEncode(in);
  for (unsigned char c : encoded)
    FUZZ_CHECK(std::isalnum(c) || c == '%' || c == '-' || c == '_' || c == '.' || c == '~');
  FUZZ_CHECK(http::PercentDecode(encoded, false) == in);
  FUZZ_CHECK(http::PercentDecode(encoded, true) == in);
  return 0;
}
