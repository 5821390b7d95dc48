#pragma once
// The permission points' descriptions in the console's languages. The catalogue
// (policy/catalogue.hpp) and the API describe points in English; the pages show the Chinese
// description on a zh-CN page. Pure function.

#include <string_view>

#include "console/pages/i18n.hpp"

namespace cozeauth::console {

// The description of `point` in `lang`: the zh-CN one when there is one, else `english` (the
// catalogue's).
std::string_view PointDescription(Lang lang, std::string_view point, std::string_view english);

}  // namespace cozeauth::console
