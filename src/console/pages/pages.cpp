// Registration of every console page group (console/pages/pages.hpp) and the static files.

#include "console/pages/pages.hpp"

#include "console/pages/layout.hpp"
#include "console/pages/page.hpp"

namespace cozeauth::console {

void RegisterConsolePages(http::Router& router, api::Deps& deps) {
  RegisterStaticFiles(router);
  RegisterHomePages(router, deps);
  RegisterTokenPages(router, deps);
  RegisterAppPages(router, deps);
  RegisterEnterprisePages(router, deps);
  RegisterMigrationPages(router, deps);
}

}  // namespace cozeauth::console
