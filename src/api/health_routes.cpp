#include "api/routes.hpp"

namespace cozeauth::api {

void RegisterHealthRoutes(http::Router& router, Deps& deps) {
  // Liveness only: no store access, served on the I/O thread (the HTTP ceiling in bench/).
  router.Add(http::Verb::get, "/healthz", {.inline_io = true},
             [](http::Request&) { return http::Response::Json(R"({"status":"ok"})"); });
  // Readiness: the store answers (one small read on a worker). A load balancer checks this one
  // to take a node out of rotation while it cannot reach a shared PostgreSQL database
  // (docs/deploying.md); the reason stays in the server, never in the answer.
  router.Add(http::Verb::get, "/readyz", {}, [&deps](http::Request&) {
    if (!deps.store.AuthEpoch()) {
      return http::Response::Json(R"({"status":"unavailable"})", 503);
    }
    return http::Response::Json(R"({"status":"ready"})");
  });
}

}  // namespace cozeauth::api
