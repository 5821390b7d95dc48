#include "api/routes.hpp"

namespace cozeauth::api {

// TODO(helper): routes not written yet.
void RegisterMessageRoutes(http::Router&, Deps&) {}

}  // namespace cozeauth::api
