#include "api/auth/bearer.hpp"

#include "base/strings.hpp"

namespace cozeauth::api {

std::string_view BearerToken(std::string_view header) {
  constexpr std::string_view kScheme = "bearer";
  header = Trim(header);
  if (header.size() < kScheme.size() ||
      !EqualsIgnoreCase(header.substr(0, kScheme.size()), kScheme)) {
    return {};
  }
  std::string_view rest = header.substr(kScheme.size());
  if (!rest.empty() && rest.front() != ' ') return {};
  return Trim(rest);
}

}  // namespace cozeauth::api
