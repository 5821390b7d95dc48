#pragma once
// The built-in deterministic workflow runtime behind /v1/workflow/* and /v1/workflows/chat
// (docs/runtime.md, "Workflows"). A workflow definition is a small JSON document:
//
//   {"inputs":  [{"name": "city", "type": "string", "required": true}, …],
//    "nodes":   [{"id": "greet", "type": "template", "template": "Hello {{city}}"},
//                {"id": "ask",   "type": "question", "question": "Which day?"},
//                {"id": "reply", "type": "bot", "bot_id": "…", "input": "{{greet}} {{ask}}"},
//                {"id": "say",   "type": "message", "template": "{{reply}}"}],
//    "outputs": [{"name": "output", "type": "string", "value": "{{reply}}"}]}
//
// The start node is the `inputs` list (types: string, integer, number, boolean, object, array;
// a missing required input or a value of the wrong type fails the run with 4000), the nodes run
// in order, and the end node is `outputs`. Each node's result is a variable named by its id;
// `{{name}}` in a template is replaced by an input or an earlier node's result (strings as is,
// other JSON values serialised). A `question` node interrupts the run; the resume data becomes
// its result. A `bot` node answers with `runtime::Reply(prompt, input)` of the named bot; a
// `message` node emits its text as a stream Message. Everything is a pure function of the
// definition, the parameters, the resume data and the bots' prompts, so tests can assert every
// output. Value types; not synchronized; no I/O (bots are looked up through a callback).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace cozeauth::runtime {

// A parsed, validated definition. Opaque apart from what the API lists about a workflow.
class WorkflowDefinition {
 public:
  struct Input {
    std::string name;
    std::string type;  // string | integer | number | boolean | object | array
    bool required = false;
    std::string description;
  };
  struct Node;    // defined in workflow_node.hpp
  struct Output;  // likewise

  const std::vector<Input>& inputs() const { return inputs_; }
  bool has_question() const;  // true if a run can interrupt
  // The definition as canonical JSON (what the store keeps and `admin workflow show` prints).
  const std::string& json() const { return json_; }

  ~WorkflowDefinition();
  WorkflowDefinition(WorkflowDefinition&&) noexcept;
  WorkflowDefinition& operator=(WorkflowDefinition&&) noexcept;
  WorkflowDefinition(const WorkflowDefinition&);
  WorkflowDefinition& operator=(const WorkflowDefinition&);

 private:
  friend Result<WorkflowDefinition> ParseWorkflowDefinition(std::string_view json);
  friend struct Executor;
  WorkflowDefinition();
  std::vector<Input> inputs_;
  std::vector<Node> nodes_;
  std::vector<Output> outputs_;
  std::string json_;
  std::string fingerprint_;  // SHA-256 hex of json_: what a resume state is bound to
};

// 4000 (field "definition", a message naming the input, node or output) for malformed JSON, an
// unknown member or node type, a duplicate, empty or reserved ("End") name, a template naming a
// variable not defined before it, or a definition over 64 KiB / 64 nodes / 64 inputs / 64 outputs.
Result<WorkflowDefinition> ParseWorkflowDefinition(std::string_view json);

// One stream event, in order; `seq` counts from 0 within one run or resume.
struct WorkflowEvent {
  enum class Kind { kMessage, kInterrupt };
  Kind kind = Kind::kMessage;
  std::string node_title;  // the node's id ("End" for the final output message)
  std::string content;     // Message: the text; Interrupt: the question
  bool node_is_finish = true;
  int seq = 0;
};

struct WorkflowUsage {
  int64_t input_count = 0;   // words of the string inputs (a resume: of the resume data)
  int64_t output_count = 0;  // words of every emitted message and the output
  int64_t token_count() const { return input_count + output_count; }
};

struct WorkflowOutcome {
  enum class Status { kSuccess, kInterrupted, kFailed };
  Status status = Status::kFailed;
  // kSuccess: the outputs as a JSON object string (Coze's `data` of /v1/workflow/run), also
  // emitted as the last Message event (node_title "End").
  std::string output;
  std::vector<WorkflowEvent> events;
  // kInterrupted: the question node's id and the opaque state Resume continues from (JSON; the
  // caller stores it with the execution).
  std::string interrupt_node;
  std::string state;
  // kFailed: a Coze code (4000 for bad parameters or resume data) and a message.
  Errc error_code = Errc::kOk;
  std::string error_message;
  WorkflowUsage usage;
};

// The bot a `bot` node names: its prompt, or nullopt if it does not exist (the run fails with
// 4006 kBotNotFound). Called on the caller's thread.
using BotPromptLookup = std::function<std::optional<std::string>(std::string_view bot_id)>;

// Runs from the start with the request's `parameters` (a JSON object string of at most 1 MiB;
// empty = {}). Fails with 4000 for bad parameters and when a rendered text passes 1 MiB (or all
// of them 4 MiB); events emitted before a failure are kept.
WorkflowOutcome RunWorkflow(const WorkflowDefinition& definition, std::string_view parameters,
                            const BotPromptLookup& bots);

// Continues an interrupted run from `state` with the user's answer; may interrupt again.
// A state that does not belong to this definition (or is not one RunWorkflow/ResumeWorkflow
// wrote), resume data over 64 KiB or not UTF-8 fail with 4000.
WorkflowOutcome ResumeWorkflow(const WorkflowDefinition& definition, std::string_view state,
                               std::string_view resume_data, const BotPromptLookup& bots);

}  // namespace cozeauth::runtime
