#pragma once
// The admin operations' environment as the server builds it: the request's store, clock, random
// source and ids, the acting user for the audit log, and a metrics sink that feeds the server's
// Prometheus registry (observe::Metrics()), so a token minted through the console counts in
// cozeauth_tokens_issued_total like one issued by the OAuth token endpoint. Every route that calls
// an admin operation builds its Env here, so none can forget the sink.

#include <string>
#include <utility>

#include "admin/operations.hpp"
#include "api/deps.hpp"

namespace cozeauth::api {

// The sink over observe::Metrics(); stateless, shared by every request.
admin::MetricsSink& ServerMetricsSink();

inline admin::Env AdminEnv(const Deps& deps, std::string actor = "operator") {
  return admin::Env{deps.store, deps.clock,       deps.random,
                    deps.ids,   std::move(actor), &ServerMetricsSink()};
}

}  // namespace cozeauth::api
