#pragma once
// Internal to src/runtime: the parsed parts of a workflow definition (nodes, outputs, `{{name}}`
// templates) and the limits, shared by the parser (workflow.cpp) and the executor
// (workflow_run.cpp). Not part of the runtime's contract (workflow.hpp is). Value types; pure
// functions.

#include <boost/json.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "runtime/workflow.hpp"

namespace cozeauth::runtime {

inline constexpr size_t kMaxDefinitionBytes = 64 * 1024;
inline constexpr size_t kMaxNodes = 64;
inline constexpr size_t kMaxInputs = 64;
inline constexpr size_t kMaxOutputs = 64;
inline constexpr size_t kMaxNameBytes = 64;
inline constexpr size_t kMaxParametersBytes = 1024 * 1024;
inline constexpr size_t kMaxResumeDataBytes = 64 * 1024;
// Every rendered string (a node's result, an output) is capped so that a small template that
// names a large variable many times cannot grow without bound.
inline constexpr size_t kMaxRenderedBytes = 1024 * 1024;
// And all of them together, so that a run (its variables, events and resume state) stays within
// a few MiB whatever the definition: 64 nodes of 1 MiB each would not.
inline constexpr size_t kMaxTotalRenderedBytes = 4 * 1024 * 1024;

// A template split into literal text and variable references, in order.
struct TemplatePiece {
  bool is_variable = false;
  std::string text;  // the literal, or the variable's name
};
using Template = std::vector<TemplatePiece>;

// `{{ name }}` (spaces inside optional) references a variable; any other "{{" is an error (a
// message without the field, the caller adds its context).
Result<Template> ParseTemplate(std::string_view text);
// [A-Za-z_][A-Za-z0-9_]*, at most kMaxNameBytes: input, node and output names.
bool IsVariableName(std::string_view name);

struct WorkflowDefinition::Node {
  enum class Type { kTemplate, kQuestion, kBot, kMessage };
  std::string id;
  Type type = Type::kTemplate;
  std::string text;  // template / question / bot input, as written
  Template parsed;   // `text` parsed
  std::string bot_id;
};

struct WorkflowDefinition::Output {
  std::string name;
  std::string type;  // one of the input types
  std::string value;
  Template parsed;
};

// `v` as a value of `type` (an input type), normalised (an integral number given for an integer
// becomes an int64), or nullopt when it is not one.
std::optional<boost::json::value> AsType(const boost::json::value& v, std::string_view type);
// "a string", "an integer", …: for messages.
std::string TypeNoun(std::string_view type);

}  // namespace cozeauth::runtime
