#pragma once
// Where the browser may be sent after signing in: the `redirect` of `GET/POST /sign` comes from
// the query or the form, so it is attacker-controlled and ends up in a `Location` header.
// SafeRedirectPath accepts it only as an origin-relative reference (RFC 3986 §4.2 relative-ref
// with an absolute path), parsed by Boost.URL, and answers "/" for anything else:
//   - no scheme, no authority ("https://x", "//x", "/%2F/x" after decoding);
//   - only printable ASCII as sent (no CR/LF/TAB/NUL/space/DEL/non-ASCII: header injection);
//   - the decoded path holds no control character, whitespace, backslash or non-ASCII byte, no
//     "//" and no "." or ".." segment (browsers turn "/\x" and "/\t/x" into "//x", another
//     origin; "/.//x" and "/a/..//x" resolve to "//x");
//   - the decoded query and fragment hold no control character (they stay encoded in the
//     header, but nothing legitimate needs one); a space there (state=a%20b) is kept;
//   - at most kMaxRedirectLength characters.
// The accepted value is returned unchanged. Pure function, thread-safe.

#include <cstddef>
#include <string>
#include <string_view>

namespace cozeauth::console {

inline constexpr size_t kMaxRedirectLength = 4096;

std::string SafeRedirectPath(std::string_view target);

}  // namespace cozeauth::console
