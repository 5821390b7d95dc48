#pragma once
// Small string helpers shared by every module. Pure functions.

#include <string>
#include <string_view>
#include <vector>

namespace cozeauth {

std::vector<std::string> SplitNonEmpty(std::string_view s, char sep);
std::string Join(const std::vector<std::string>& parts, std::string_view sep);
std::string_view Trim(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace cozeauth
