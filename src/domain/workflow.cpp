#include "domain/workflow.hpp"

#include <array>
#include <utility>

namespace cozeauth::domain {
namespace {

constexpr std::array<std::pair<ExecutionStatus, std::string_view>, 4> kStatuses{
    {{ExecutionStatus::kRunning, "Running"},
     {ExecutionStatus::kSuccess, "Success"},
     {ExecutionStatus::kFail, "Fail"},
     {ExecutionStatus::kInterrupted, "Interrupted"}}};

}  // namespace

std::string_view ToString(ExecutionStatus v) {
  for (const auto& [e, name] : kStatuses) {
    if (e == v) return name;
  }
  return "unknown";
}

std::optional<ExecutionStatus> ParseExecutionStatus(std::string_view s) {
  for (const auto& [v, name] : kStatuses) {
    if (name == s) return v;
  }
  return std::nullopt;
}

}  // namespace cozeauth::domain
