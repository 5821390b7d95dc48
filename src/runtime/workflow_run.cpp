// The workflow executor (workflow.hpp): binds the typed inputs, runs the nodes in order, stops
// at a question with a resume state, and ends with the outputs. A resume state is JSON:
//
//   {"fingerprint": SHA-256 hex of the definition's canonical JSON,
//    "node": index of the question node the run stopped at,
//    "variables": {every input and every node before it → its value}}
//
// and is checked member by member on resume, so that a state of another definition, another
// question or a hand-made one fails with 4000 instead of running on invented variables.
#include <charconv>
#include <utility>

#include "runtime/bot_runtime.hpp"
#include "runtime/workflow.hpp"
#include "runtime/workflow_node.hpp"

namespace cozeauth::runtime {

namespace json = boost::json;

namespace {

// The text a variable renders as: strings as they are, an absent optional input as "", any
// other value as its JSON.
std::string Rendered(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_null()) return {};
  if (v.is_double()) {  // shortest round-trip form ("1.5"), not the serialiser's "1.5E0"
    char buf[32];
    auto end = std::to_chars(buf, buf + sizeof buf, v.get_double()).ptr;
    return std::string(buf, end);
  }
  return json::serialize(v);
}

// Boost.JSON serialises a string's bytes as they are but parses only UTF-8: text that enters
// a state must be UTF-8, or the state could not be read back.
bool IsUtf8(std::string_view text) {
  json::error_code ec;
  (void)json::parse(json::serialize(json::string(text)), ec);
  return !ec;
}

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

}  // namespace

struct Executor {
  using Node = WorkflowDefinition::Node;

  const WorkflowDefinition& def;
  const BotPromptLookup& bots;
  WorkflowOutcome out;
  json::object vars;
  size_t rendered = 0;  // bytes of text rendered so far, restored variables included

  bool Fail(Errc code, std::string message) {
    out.status = WorkflowOutcome::Status::kFailed;
    out.error_code = code;
    out.error_message = std::move(message);
    return false;
  }

  void Emit(WorkflowEvent::Kind kind, std::string title, std::string content) {
    const int seq = static_cast<int>(out.events.size());
    if (kind == WorkflowEvent::Kind::kMessage) out.usage.output_count += CountTokens(content);
    out.events.push_back({kind, std::move(title), std::move(content), true, seq});
  }

  // Counts `bytes` more of rendered text against the run's total.
  bool Spend(size_t bytes, const std::string& where) {
    if (bytes > kMaxTotalRenderedBytes - rendered) {
      return Fail(Errc::kBadRequest, where + ": the workflow's rendered text exceeds 4 MiB in all");
    }
    rendered += bytes;
    return true;
  }

  // Renders `t` into `into`, or fails the run naming `where` when it would exceed the cap.
  bool Render(const Template& t, const std::string& where, std::string& into) {
    into.clear();
    for (const auto& piece : t) {
      std::string value = piece.is_variable ? Rendered(vars.at(piece.text)) : piece.text;
      if (value.size() > kMaxRenderedBytes - into.size()) {
        return Fail(Errc::kBadRequest, where + ": the rendered text exceeds 1 MiB");
      }
      if (!Spend(value.size(), where)) return false;
      into += value;
    }
    return true;
  }

  bool BindInputs(std::string_view parameters) {
    if (parameters.size() > kMaxParametersBytes) {
      return Fail(Errc::kBadRequest, "parameters exceed 1 MiB");
    }
    json::value root = json::object();
    if (!parameters.empty()) {
      json::error_code ec;
      root = json::parse(parameters, ec);
      if (ec) return Fail(Errc::kBadRequest, "parameters are not valid JSON: " + ec.message());
    }
    const json::object* given = root.if_object();
    if (!given) return Fail(Errc::kBadRequest, "parameters must be a JSON object");
    for (const auto& in : def.inputs_) {
      const json::value* v = given->if_contains(in.name);
      const std::string where = "input " + Quoted(in.name);
      if (!v || v->is_null()) {
        if (in.required) return Fail(Errc::kBadRequest, where + " is required");
        vars[in.name] = nullptr;
        continue;
      }
      auto typed = AsType(*v, in.type);
      if (!typed) return Fail(Errc::kBadRequest, where + " must be " + TypeNoun(in.type));
      if (typed->is_string()) out.usage.input_count += CountTokens(typed->get_string());
      vars[in.name] = std::move(*typed);
    }
    return true;
  }

  bool RunBot(const Node& node, const std::string& where, std::string& result) {
    std::optional<std::string> prompt = bots(node.bot_id);
    if (!prompt) {
      return Fail(Errc::kBotNotFound, where + ": bot " + Quoted(node.bot_id) + " not found");
    }
    if (!IsUtf8(*prompt)) return Fail(Errc::kInternal, where + ": the bot's prompt is not UTF-8");
    std::string input;
    if (!Render(node.parsed, where, input)) return false;
    if (prompt->size() + 1 > kMaxRenderedBytes - input.size()) {
      return Fail(Errc::kBadRequest, where + ": the reply exceeds 1 MiB");
    }
    if (!Spend(prompt->size() + 1, where)) return false;
    result = Reply(*prompt, input);
    return true;
  }

  void Interrupt(size_t at, std::string question) {
    const Node& node = def.nodes_[at];
    json::object state;
    state["fingerprint"] = def.fingerprint_;
    state["node"] = static_cast<int64_t>(at);
    state["variables"] = vars;
    out.status = WorkflowOutcome::Status::kInterrupted;
    out.interrupt_node = node.id;
    out.state = json::serialize(state);
    Emit(WorkflowEvent::Kind::kInterrupt, node.id, std::move(question));
  }

  bool Finish() {
    json::object result;
    for (const auto& o : def.outputs_) {
      const std::string where = "output " + Quoted(o.name);
      std::string text;
      if (!Render(o.parsed, where, text)) return false;
      if (o.type == "string") {
        result[o.name] = text;
        continue;
      }
      // A value that is exactly one non-string variable keeps that variable's JSON; otherwise
      // the text (a node's result, say) is read as JSON.
      json::value v;
      if (o.parsed.size() == 1 && o.parsed[0].is_variable &&
          !vars.at(o.parsed[0].text).is_string()) {
        v = vars.at(o.parsed[0].text);
      } else {
        json::error_code ec;
        v = json::parse(text, ec);
        if (ec) return Fail(Errc::kBadRequest, where + " is not " + TypeNoun(o.type));
      }
      if (v.is_null()) {
        result[o.name] = nullptr;
        continue;
      }
      auto typed = AsType(v, o.type);
      if (!typed) return Fail(Errc::kBadRequest, where + " is not " + TypeNoun(o.type));
      result[o.name] = std::move(*typed);
    }
    out.status = WorkflowOutcome::Status::kSuccess;
    out.output = json::serialize(result);
    Emit(WorkflowEvent::Kind::kMessage, "End", out.output);
    return true;
  }

  // Runs nodes[from…] and the end, or stops at the first question or failure.
  void Run(size_t from) {
    for (size_t i = from; i < def.nodes_.size(); ++i) {
      const Node& node = def.nodes_[i];
      const std::string where = "node " + Quoted(node.id);
      std::string result;
      if (node.type == Node::Type::kBot) {
        if (!RunBot(node, where, result)) return;
      } else if (!Render(node.parsed, where, result)) {
        return;
      }
      if (node.type == Node::Type::kQuestion) return Interrupt(i, std::move(result));
      if (node.type == Node::Type::kMessage) Emit(WorkflowEvent::Kind::kMessage, node.id, result);
      vars[node.id] = std::move(result);
    }
    Finish();
  }

  // The question index `state` stopped at, with `vars` restored; or a failed outcome.
  std::optional<size_t> LoadState(std::string_view state) {
    const auto bad = [&](std::string why) {
      Fail(Errc::kBadRequest, "the resume state " + why);
      return std::nullopt;
    };
    json::error_code ec;
    json::value root = json::parse(state, ec);
    const json::object* o = ec ? nullptr : root.if_object();
    if (!o || o->size() != 3) return bad("is malformed");
    const json::value* fingerprint = o->if_contains("fingerprint");
    const json::value* node = o->if_contains("node");
    const json::value* variables = o->if_contains("variables");
    if (!fingerprint || !node || !variables) return bad("is malformed");
    if (!fingerprint->is_string() || fingerprint->get_string() != def.fingerprint_) {
      return bad("belongs to another workflow definition");
    }
    if (!node->is_int64() || node->get_int64() < 0 ||
        static_cast<uint64_t>(node->get_int64()) >= def.nodes_.size() ||
        def.nodes_[node->get_int64()].type != Node::Type::kQuestion) {
      return bad("names no question node");
    }
    const size_t at = static_cast<size_t>(node->get_int64());
    const json::object* given = variables->if_object();
    if (!given || given->size() != def.inputs_.size() + at) return bad("has other variables");
    for (const auto& in : def.inputs_) {
      const json::value* v = given->if_contains(in.name);
      if (!v) return bad("has other variables");
      const bool ok = v->is_null() ? !in.required : AsType(*v, in.type) == *v;
      if (!ok) return bad("has a bad value for input " + Quoted(in.name));
      vars[in.name] = *v;
    }
    for (size_t i = 0; i < at; ++i) {
      const json::value* v = given->if_contains(def.nodes_[i].id);
      if (!v || !v->is_string() || v->get_string().size() > kMaxRenderedBytes) {
        return bad("has a bad value for node " + Quoted(def.nodes_[i].id));
      }
      vars[def.nodes_[i].id] = *v;
      rendered += v->get_string().size();
    }
    if (rendered > kMaxTotalRenderedBytes) return bad("is too large");
    return at;
  }

  void Resume(std::string_view state, std::string_view resume_data) {
    if (resume_data.size() > kMaxResumeDataBytes) {
      Fail(Errc::kBadRequest, "resume_data exceeds 64 KiB");
      return;
    }
    if (!IsUtf8(resume_data)) {
      Fail(Errc::kBadRequest, "resume_data is not UTF-8");
      return;
    }
    const std::optional<size_t> at = LoadState(state);
    if (!at) return;
    const std::string where = "node " + Quoted(def.nodes_[*at].id);
    if (!Spend(resume_data.size(), where)) return;
    out.usage.input_count += CountTokens(resume_data);
    vars[def.nodes_[*at].id] = resume_data;
    Run(*at + 1);
  }
};

WorkflowOutcome RunWorkflow(const WorkflowDefinition& definition, std::string_view parameters,
                            const BotPromptLookup& bots) {
  Executor run{definition, bots, {}, {}};
  if (run.BindInputs(parameters)) run.Run(0);
  return std::move(run.out);
}

WorkflowOutcome ResumeWorkflow(const WorkflowDefinition& definition, std::string_view state,
                               std::string_view resume_data, const BotPromptLookup& bots) {
  Executor run{definition, bots, {}, {}};
  run.Resume(state, resume_data);
  return std::move(run.out);
}

}  // namespace cozeauth::runtime
