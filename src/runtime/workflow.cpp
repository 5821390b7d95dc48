// Parsing and validating a workflow definition (workflow.hpp) into its canonical form. Every
// failure is a 4000 on the field "definition" whose message names the input, node or output.
#include "runtime/workflow.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <set>

#include "base/crypto.hpp"
#include "base/strings.hpp"
#include "runtime/workflow_node.hpp"

namespace cozeauth::runtime {

namespace json = boost::json;

namespace {

constexpr std::string_view kTypes[] = {"string", "integer", "number", "boolean", "object", "array"};

Error Bad(std::string message) { return Error::BadRequest("definition", std::move(message)); }

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// The members a definition object may have; anything else is a typo the author should hear of.
Status OnlyKeys(const json::object& o, std::initializer_list<std::string_view> allowed,
                const std::string& where) {
  for (const auto& kv : o) {
    if (std::find(allowed.begin(), allowed.end(), kv.key()) == allowed.end()) {
      std::string key(kv.key().substr(0, kMaxNameBytes));
      return Bad(where + ": unknown member " + Quoted(key));
    }
  }
  return {};
}

// A string member; "" when absent and not required.
Result<std::string> StringMember(const json::object& o, std::string_view key,
                                 const std::string& where, bool required) {
  const json::value* v = o.if_contains(key);
  if (!v) {
    if (required) return Bad(where + ": " + std::string(key) + " is required");
    return std::string();
  }
  if (!v->is_string()) return Bad(where + ": " + std::string(key) + " must be a string");
  return std::string(v->get_string());
}

Result<std::string> NameMember(const json::object& o, std::string_view key,
                               const std::string& where) {
  auto name = StringMember(o, key, where, true);
  if (!name) return name;
  if (!IsVariableName(*name)) {
    return Bad(where + ": " + std::string(key) +
               " must match [A-Za-z_][A-Za-z0-9_]* (at most 64 bytes)");
  }
  return name;
}

Result<std::string> TypeMember(const json::object& o, const std::string& where, bool required) {
  auto type = StringMember(o, "type", where, required);
  if (!type) return type;
  if (type->empty() && !required) return std::string("string");
  if (std::find(std::begin(kTypes), std::end(kTypes), *type) == std::end(kTypes)) {
    return Bad(where + ": type must be one of string, integer, number, boolean, object, array");
  }
  return type;
}

// The template at `key`, every variable of which must be in `defined`.
Result<Template> TemplateMember(const json::object& o, std::string_view key,
                                const std::string& where, const std::set<std::string>& defined,
                                std::string& text) {
  auto s = StringMember(o, key, where, true);
  if (!s) return s.error();
  text = std::move(*s);
  auto parsed = ParseTemplate(text);
  if (!parsed) return Bad(where + ": " + parsed.error().message);
  for (const auto& piece : *parsed) {
    if (piece.is_variable && !defined.count(piece.text)) {
      return Bad(where + ": {{" + piece.text + "}} names no input or earlier node");
    }
  }
  return parsed;
}

const json::array* ArrayMember(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v ? v->if_array() : nullptr;
}

Status ParseInputs(const json::array& items, std::vector<WorkflowDefinition::Input>& inputs,
                   std::set<std::string>& defined) {
  if (items.size() > kMaxInputs) return Bad("inputs: at most 64 inputs");
  for (size_t i = 0; i < items.size(); ++i) {
    std::string where = "inputs[" + std::to_string(i) + "]";
    const json::object* o = items[i].if_object();
    if (!o) return Bad(where + " must be an object");
    if (auto ok = OnlyKeys(*o, {"name", "type", "required", "description"}, where); !ok) return ok;
    auto name = NameMember(*o, "name", where);
    if (!name) return name.error();
    where = "input " + Quoted(*name);
    if (!defined.insert(*name).second) return Bad(where + ": the name is taken");
    auto type = TypeMember(*o, where, true);
    if (!type) return type.error();
    WorkflowDefinition::Input input{*name, *type, false, {}};
    if (const json::value* r = o->if_contains("required")) {
      if (!r->is_bool()) return Bad(where + ": required must be a boolean");
      input.required = r->get_bool();
    }
    auto description = StringMember(*o, "description", where, false);
    if (!description) return description.error();
    input.description = std::move(*description);
    inputs.push_back(std::move(input));
  }
  return {};
}

Result<WorkflowDefinition::Node> ParseNode(const json::value& item, size_t index,
                                           const std::set<std::string>& defined) {
  using Node = WorkflowDefinition::Node;
  std::string where = "nodes[" + std::to_string(index) + "]";
  const json::object* o = item.if_object();
  if (!o) return Bad(where + " must be an object");
  auto id = NameMember(*o, "id", where);
  if (!id) return id.error();
  where = "node " + Quoted(*id);
  if (*id == "End") return Bad(where + ": \"End\" is reserved for the final output message");
  if (defined.count(*id)) return Bad(where + ": the id is taken");
  auto type = StringMember(*o, "type", where, true);
  if (!type) return type.error();
  Node node;
  node.id = std::move(*id);
  Result<Template> parsed = Template{};
  if (*type == "template" || *type == "message") {
    node.type = *type == "template" ? Node::Type::kTemplate : Node::Type::kMessage;
    if (auto ok = OnlyKeys(*o, {"id", "type", "template"}, where); !ok) return ok.error();
    parsed = TemplateMember(*o, "template", where, defined, node.text);
  } else if (*type == "question") {
    node.type = Node::Type::kQuestion;
    if (auto ok = OnlyKeys(*o, {"id", "type", "question"}, where); !ok) return ok.error();
    parsed = TemplateMember(*o, "question", where, defined, node.text);
  } else if (*type == "bot") {
    node.type = Node::Type::kBot;
    if (auto ok = OnlyKeys(*o, {"id", "type", "bot_id", "input"}, where); !ok) return ok.error();
    auto bot_id = StringMember(*o, "bot_id", where, true);
    if (!bot_id) return bot_id.error();
    if (bot_id->empty() || bot_id->size() > kMaxNameBytes) {
      return Bad(where + ": bot_id must be 1 to 64 bytes");
    }
    node.bot_id = std::move(*bot_id);
    parsed = TemplateMember(*o, "input", where, defined, node.text);
  } else {
    std::string shown = type->substr(0, kMaxNameBytes);
    return Bad(where + ": unknown type " + Quoted(shown) + " (template, question, bot or message)");
  }
  if (!parsed) return parsed.error();
  node.parsed = std::move(*parsed);
  return node;
}

Status ParseOutputs(const json::array& items, const std::set<std::string>& defined,
                    std::vector<WorkflowDefinition::Output>& outputs) {
  if (items.size() > kMaxOutputs) return Bad("outputs: at most 64 outputs");
  std::set<std::string> names;
  for (size_t i = 0; i < items.size(); ++i) {
    std::string where = "outputs[" + std::to_string(i) + "]";
    const json::object* o = items[i].if_object();
    if (!o) return Bad(where + " must be an object");
    if (auto ok = OnlyKeys(*o, {"name", "type", "value"}, where); !ok) return ok;
    auto name = NameMember(*o, "name", where);
    if (!name) return name.error();
    where = "output " + Quoted(*name);
    if (!names.insert(*name).second) return Bad(where + ": the name is taken");
    auto type = TypeMember(*o, where, false);
    if (!type) return type.error();
    WorkflowDefinition::Output out{*name, *type, {}, {}};
    auto parsed = TemplateMember(*o, "value", where, defined, out.value);
    if (!parsed) return parsed.error();
    out.parsed = std::move(*parsed);
    outputs.push_back(std::move(out));
  }
  return {};
}

std::string_view NodeTypeName(WorkflowDefinition::Node::Type type) {
  using T = WorkflowDefinition::Node::Type;
  switch (type) {
    case T::kTemplate:
      return "template";
    case T::kQuestion:
      return "question";
    case T::kBot:
      return "bot";
    case T::kMessage:
      return "message";
  }
  return "template";
}

}  // namespace

bool IsVariableName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameBytes) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!alpha(name[0])) return false;
  return std::all_of(name.begin(), name.end(),
                     [&](char c) { return alpha(c) || (c >= '0' && c <= '9'); });
}

Result<Template> ParseTemplate(std::string_view text) {
  Template out;
  std::string literal;
  size_t at = 0;
  while (at < text.size()) {
    const size_t open = text.find("{{", at);
    if (open == std::string_view::npos) {
      literal.append(text.substr(at));
      break;
    }
    literal.append(text.substr(at, open - at));
    const size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) return Bad("\"{{\" without \"}}\"");
    std::string_view name = Trim(text.substr(open + 2, close - open - 2));
    if (!IsVariableName(name)) {
      return Bad("{{" + std::string(name.substr(0, kMaxNameBytes)) + "}} is not a variable name");
    }
    if (!literal.empty()) out.push_back({false, std::exchange(literal, {})});
    out.push_back({true, std::string(name)});
    at = close + 2;
  }
  if (!literal.empty()) out.push_back({false, std::move(literal)});
  return out;
}

std::optional<json::value> AsType(const json::value& v, std::string_view type) {
  if (type == "string") return v.is_string() ? std::optional(v) : std::nullopt;
  if (type == "boolean") return v.is_bool() ? std::optional(v) : std::nullopt;
  if (type == "object") return v.is_object() ? std::optional(v) : std::nullopt;
  if (type == "array") return v.is_array() ? std::optional(v) : std::nullopt;
  if (type == "number") return v.is_number() ? std::optional(v) : std::nullopt;
  if (type != "integer") return std::nullopt;
  if (v.is_int64()) return v;  // a uint64 is always above INT64_MAX (the parser's choice)
  if (!v.is_double()) return std::nullopt;
  // 2^63 is exactly representable; [-2^63, 2^63) is int64's range.
  const double d = v.get_double();
  if (!std::isfinite(d) || std::trunc(d) != d || d < -9223372036854775808.0 ||
      d >= 9223372036854775808.0) {
    return std::nullopt;
  }
  return json::value(static_cast<int64_t>(d));
}

std::string TypeNoun(std::string_view type) {
  return (type == "integer" || type == "object" || type == "array" ? "an " : "a ") +
         std::string(type);
}

WorkflowDefinition::WorkflowDefinition() = default;
WorkflowDefinition::~WorkflowDefinition() = default;
WorkflowDefinition::WorkflowDefinition(WorkflowDefinition&&) noexcept = default;
WorkflowDefinition& WorkflowDefinition::operator=(WorkflowDefinition&&) noexcept = default;
WorkflowDefinition::WorkflowDefinition(const WorkflowDefinition&) = default;
WorkflowDefinition& WorkflowDefinition::operator=(const WorkflowDefinition&) = default;

bool WorkflowDefinition::has_question() const {
  return std::any_of(nodes_.begin(), nodes_.end(),
                     [](const Node& n) { return n.type == Node::Type::kQuestion; });
}

namespace {

// The canonical JSON: members in a fixed order, defaults written out, nothing else.
std::string CanonicalJson(const WorkflowDefinition& def,
                          const std::vector<WorkflowDefinition::Node>& nodes,
                          const std::vector<WorkflowDefinition::Output>& outputs) {
  json::array inputs;
  for (const auto& in : def.inputs()) {
    json::object o{{"name", in.name}, {"type", in.type}, {"required", in.required}};
    if (!in.description.empty()) o["description"] = in.description;
    inputs.push_back(std::move(o));
  }
  json::array node_list;
  using T = WorkflowDefinition::Node::Type;
  for (const auto& n : nodes) {
    json::object o{{"id", n.id}, {"type", NodeTypeName(n.type)}};
    if (n.type == T::kBot) o["bot_id"] = n.bot_id;
    o[n.type == T::kQuestion ? "question" : n.type == T::kBot ? "input" : "template"] = n.text;
    node_list.push_back(std::move(o));
  }
  json::array output_list;
  for (const auto& out : outputs) {
    output_list.push_back(
        json::object{{"name", out.name}, {"type", out.type}, {"value", out.value}});
  }
  json::object root;
  root["inputs"] = std::move(inputs);
  root["nodes"] = std::move(node_list);
  root["outputs"] = std::move(output_list);
  return json::serialize(root);
}

}  // namespace

Result<WorkflowDefinition> ParseWorkflowDefinition(std::string_view text) {
  if (text.size() > kMaxDefinitionBytes) return Bad("the definition exceeds 64 KiB");
  json::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec) return Bad("the definition is not valid JSON: " + ec.message());
  const json::object* o = root.if_object();
  if (!o) return Bad("the definition must be a JSON object");
  if (auto ok = OnlyKeys(*o, {"inputs", "nodes", "outputs"}, "the definition"); !ok) {
    return ok.error();
  }
  for (std::string_view key : {"inputs", "nodes", "outputs"}) {
    if (o->contains(key) && !ArrayMember(*o, key))
      return Bad(std::string(key) + " must be an array");
  }
  WorkflowDefinition def;
  std::set<std::string> defined;
  if (const json::array* inputs = ArrayMember(*o, "inputs")) {
    if (auto ok = ParseInputs(*inputs, def.inputs_, defined); !ok) return ok.error();
  }
  if (const json::array* nodes = ArrayMember(*o, "nodes")) {
    if (nodes->size() > kMaxNodes) return Bad("nodes: at most 64 nodes");
    for (size_t i = 0; i < nodes->size(); ++i) {
      auto node = ParseNode((*nodes)[i], i, defined);
      if (!node) return node.error();
      defined.insert(node->id);
      def.nodes_.push_back(std::move(*node));
    }
  }
  if (const json::array* outputs = ArrayMember(*o, "outputs")) {
    if (auto ok = ParseOutputs(*outputs, defined, def.outputs_); !ok) return ok.error();
  }
  def.json_ = CanonicalJson(def, def.nodes_, def.outputs_);
  def.fingerprint_ = Sha256Hex(def.json_);
  return def;
}

}  // namespace cozeauth::runtime
