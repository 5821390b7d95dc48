// (being written: see console/pages/pages.hpp for what this group serves)

#include "console/pages/page.hpp"
#include "console/pages/pages.hpp"

namespace cozeauth::console {

void RegisterMigrationPages(http::Router& /*router*/, api::Deps& /*deps*/) {}

}  // namespace cozeauth::console
