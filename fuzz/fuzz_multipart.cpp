// multipart/form-data (src/api/multipart.hpp), as POST /v1/files/upload reads it. The input's
// first line is the Content-Type header value, the rest the body.
// Properties: a parse either fails or yields parts whose bytes all come from the body.
#include "api/multipart.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cozeauth;
  const std::string_view in = fuzz::AsView(data, size);
  const size_t nl = in.find('\n');
  const std::string_view content_type = in.substr(0, nl);
  const std::string_view body =
      nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  auto boundary = api::MultipartBoundary(content_type);
  if (!boundary) return 0;
  FUZZ_CHECK(!boundary->empty() && boundary->size() <= 70);
  auto parts = api::ParseMultipart(body, *boundary);
  if (!parts) return 0;
  size_t total = 0;
  for (const auto& p : *parts) {
    FUZZ_CHECK(!p.name.empty());
    FUZZ_CHECK(p.filename.find('/') == std::string::npos);
    total += p.data.size();
  }
  FUZZ_CHECK(total <= body.size());
  return 0;
}
