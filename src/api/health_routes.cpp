#include "api/routes.hpp"

namespace cozeauth::api {

void RegisterHealthRoutes(http::Router& router, Deps&) {
  // Liveness only: no store access, served on the I/O thread (the HTTP ceiling in bench/).
  router.Add(http::Verb::get, "/healthz", {.inline_io = true},
             [](http::Request&) { return http::Response::Json(R"({"status":"ok"})"); });
}

}  // namespace cozeauth::api
