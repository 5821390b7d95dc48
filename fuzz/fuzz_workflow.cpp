// The workflow runtime (src/runtime/workflow.hpp) on fuzzed definitions, parameters, resume data
// and states. The input is up to four parts separated by NUL bytes: definition, parameters,
// resume data, and a state to resume from as if a caller had stored it. Properties: the
// canonical JSON parses back to itself; a run is deterministic and its outcome consistent
// (success ends with the "End" event carrying the output, an interrupt carries a state, a
// failure a code, seq counts from 0); every interrupt resumes without a crash until the run ends.
#include <array>
#include <optional>

#include "fuzz_support.hpp"
#include "runtime/workflow.hpp"

namespace {

using namespace cozeauth;
using namespace cozeauth::runtime;

// A bot id "missing" does not exist; any other bot's prompt is its id.
std::optional<std::string> Prompt(std::string_view id) {
  if (id == "missing") return std::nullopt;
  return std::string(id);
}

void CheckOutcome(const WorkflowOutcome& out) {
  for (size_t i = 0; i < out.events.size(); ++i) {
    FUZZ_CHECK(out.events[i].seq == static_cast<int>(i));
    FUZZ_CHECK(out.events[i].node_is_finish);
  }
  FUZZ_CHECK(out.usage.input_count >= 0 && out.usage.output_count >= 0);
  switch (out.status) {
    case WorkflowOutcome::Status::kSuccess:
      FUZZ_CHECK(!out.events.empty() && out.events.back().node_title == "End");
      FUZZ_CHECK(out.events.back().content == out.output);
      FUZZ_CHECK(out.error_code == Errc::kOk && out.state.empty());
      break;
    case WorkflowOutcome::Status::kInterrupted:
      FUZZ_CHECK(!out.events.empty());
      FUZZ_CHECK(out.events.back().kind == WorkflowEvent::Kind::kInterrupt);
      FUZZ_CHECK(out.events.back().node_title == out.interrupt_node);
      FUZZ_CHECK(!out.state.empty() && out.output.empty());
      break;
    case WorkflowOutcome::Status::kFailed:
      FUZZ_CHECK(out.error_code != Errc::kOk && !out.error_message.empty());
      FUZZ_CHECK(out.output.empty() && out.state.empty());
      break;
  }
}

bool SameOutcome(const WorkflowOutcome& a, const WorkflowOutcome& b) {
  if (a.status != b.status || a.output != b.output || a.state != b.state ||
      a.error_code != b.error_code || a.error_message != b.error_message ||
      a.events.size() != b.events.size() || a.usage.token_count() != b.usage.token_count()) {
    return false;
  }
  for (size_t i = 0; i < a.events.size(); ++i) {
    if (a.events[i].content != b.events[i].content) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in = fuzz::AsView(data, size);
  std::array<std::string_view, 4> parts{};
  for (size_t i = 0; i < parts.size(); ++i) {
    const size_t nul = i + 1 < parts.size() ? in.find('\0') : std::string_view::npos;
    parts[i] = in.substr(0, nul);
    if (nul == std::string_view::npos) break;
    in.remove_prefix(nul + 1);
  }
  auto def = ParseWorkflowDefinition(parts[0]);
  if (!def) {
    FUZZ_CHECK(def.error().code == Errc::kBadRequest && def.error().field == "definition");
    return 0;
  }
  auto again = ParseWorkflowDefinition(def->json());
  FUZZ_CHECK(again.has_value() && again->json() == def->json());

  const BotPromptLookup bots = Prompt;
  WorkflowOutcome out = RunWorkflow(*def, parts[1], bots);
  CheckOutcome(out);
  FUZZ_CHECK(SameOutcome(out, RunWorkflow(*again, parts[1], bots)));
  // Each resume runs at least one node further, so at most one per node.
  for (int steps = 0; out.status == WorkflowOutcome::Status::kInterrupted; ++steps) {
    FUZZ_CHECK(steps < 64);
    out = ResumeWorkflow(*def, out.state, parts[2], bots);
    CheckOutcome(out);
  }
  if (!parts[3].empty()) CheckOutcome(ResumeWorkflow(*def, parts[3], parts[2], bots));
  return 0;
}
