#include "console/safe_redirect.hpp"

#include <algorithm>
#include <boost/url/parse.hpp>

namespace cozeauth::console {
namespace {

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7F; }

// Whitespace includes the Unicode spaces a browser strips or folds; as bytes, any non-ASCII
// byte is refused in the path (a legitimate console path is ASCII).
bool UnsafeInPath(unsigned char c) { return IsControl(c) || c == ' ' || c == '\\' || c >= 0x80; }

bool AnyOf(std::string_view s, bool (*bad)(unsigned char)) {
  return std::any_of(s.begin(), s.end(),
                     [bad](char c) { return bad(static_cast<unsigned char>(c)); });
}

bool Safe(std::string_view target) {
  if (target.empty() || target.size() > kMaxRedirectLength || target.front() != '/') return false;
  // As sent: visible ASCII only. Boost.URL would refuse most of these too; checking first makes
  // the header-injection rule independent of the parser's leniency.
  if (std::any_of(target.begin(), target.end(), [](char c) { return c <= 0x20 || c >= 0x7F; })) {
    return false;
  }
  auto ref = boost::urls::parse_relative_ref(target);
  if (!ref) return false;  // e.g. a raw backslash is not a URI character
  if (ref->has_scheme() || ref->has_authority() || !ref->is_path_absolute()) return false;

  // Decoded, split on every '/' (an encoded %2F included): no empty segment (no "//"
  // anywhere), no "." or ".." (Boost.URL's segments() hides a leading "/." it treats as a
  // prefix, so the split is done here on the decoded text).
  const std::string path = ref->path();
  if (path.empty() || path.front() != '/' || AnyOf(path, UnsafeInPath)) return false;
  if (path.find("//") != std::string::npos) return false;
  for (size_t at = 1; at <= path.size();) {
    size_t end = path.find('/', at);
    if (end == std::string::npos) end = path.size();
    const std::string_view segment = std::string_view(path).substr(at, end - at);
    if (segment == "." || segment == "..") return false;
    at = end + 1;
  }
  if (ref->has_query() && AnyOf(ref->query(), IsControl)) return false;
  if (ref->has_fragment() && AnyOf(ref->fragment(), IsControl)) return false;
  return true;
}

}  // namespace

std::string SafeRedirectPath(std::string_view target) {
  return Safe(target) ? std::string(target) : std::string("/");
}

}  // namespace cozeauth::console
