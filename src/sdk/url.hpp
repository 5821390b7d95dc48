#pragma once
// URL pieces shared by the SDK's request building and its OAuth authorize URLs. Pure functions.

#include <string>
#include <string_view>

namespace coze::sdk {

// Percent-encodes all but RFC 3986 unreserved characters (query values, path segments).
std::string PercentEncode(std::string_view s);

}  // namespace coze::sdk
