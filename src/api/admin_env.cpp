#include "api/admin_env.hpp"

#include "observe/metrics.hpp"

namespace cozeauth::api {

namespace {

class RegistrySink final : public admin::MetricsSink {
 public:
  void TokenIssued(std::string_view grant_type) override {
    observe::Metrics().TokenIssued(grant_type);
  }
};

}  // namespace

admin::MetricsSink& ServerMetricsSink() {
  static RegistrySink sink;
  return sink;
}

}  // namespace cozeauth::api
