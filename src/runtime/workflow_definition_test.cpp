// ParseWorkflowDefinition's rejections and limits (workflow.hpp); runs are in workflow_test.cpp.
#include <gtest/gtest.h>

#include <string>

#include "runtime/workflow.hpp"

namespace cozeauth::runtime {
namespace {

TEST(Workflow, DefinitionErrorsAre4000NamingThePlace) {
  struct {
    std::string_view definition, message;
  } cases[] = {
      {"", "the definition is not valid JSON"},
      {"{", "the definition is not valid JSON"},
      {"[]", "the definition must be a JSON object"},
      {R"({"nodes":{}})", "nodes must be an array"},
      {R"({"inputs":"x"})", "inputs must be an array"},
      {R"({"node":[]})", "the definition: unknown member \"node\""},
      {R"({"inputs":[1]})", "inputs[0] must be an object"},
      {R"({"inputs":[{"type":"string"}]})", "inputs[0]: name is required"},
      {R"({"inputs":[{"name":"1x","type":"string"}]})", "inputs[0]: name must match"},
      {R"({"inputs":[{"name":"a","type":"text"}]})", "input \"a\": type must be one of"},
      {R"({"inputs":[{"name":"a"}]})", "input \"a\": type is required"},
      {R"({"inputs":[{"name":"a","type":"string","required":1}]})",
       "input \"a\": required must be a boolean"},
      {R"({"inputs":[{"name":"a","type":"string","default":1}]})",
       "inputs[0]: unknown member \"default\""},
      {R"({"inputs":[{"name":"a","type":"string"},{"name":"a","type":"string"}]})",
       "input \"a\": the name is taken"},
      {R"({"nodes":[{"type":"template","template":""}]})", "nodes[0]: id is required"},
      {R"({"nodes":[{"id":"","type":"template","template":""}]})", "nodes[0]: id must match"},
      {R"({"nodes":[{"id":"a","type":"loop"}]})", "node \"a\": unknown type \"loop\""},
      {R"({"nodes":[{"id":"a"}]})", "node \"a\": type is required"},
      {R"({"nodes":[{"id":"End","type":"template","template":""}]})",
       "node \"End\": \"End\" is reserved"},
      {R"({"nodes":[{"id":"a","type":"template","template":""},
                    {"id":"a","type":"template","template":""}]})",
       "node \"a\": the id is taken"},
      {R"({"inputs":[{"name":"a","type":"string"}],
           "nodes":[{"id":"a","type":"template","template":""}]})",
       "node \"a\": the id is taken"},
      {R"({"nodes":[{"id":"a","type":"template"}]})", "node \"a\": template is required"},
      {R"({"nodes":[{"id":"a","type":"template","template":7}]})",
       "node \"a\": template must be a string"},
      {R"({"nodes":[{"id":"a","type":"template","template":"{{a}}"}]})",
       "node \"a\": {{a}} names no input or earlier node"},
      {R"({"nodes":[{"id":"a","type":"template","template":"{{b}}"},
                    {"id":"b","type":"template","template":""}]})",
       "node \"a\": {{b}} names no input or earlier node"},
      {R"({"nodes":[{"id":"a","type":"template","template":"{{x"}]})",
       "node \"a\": \"{{\" without \"}}\""},
      {R"({"nodes":[{"id":"a","type":"message","template":"{{x y}}"}]})",
       "node \"a\": {{x y}} is not a variable name"},
      {R"({"nodes":[{"id":"a","type":"question","template":"x"}]})",
       "node \"a\": unknown member \"template\""},
      {R"({"nodes":[{"id":"a","type":"question"}]})", "node \"a\": question is required"},
      {R"({"nodes":[{"id":"a","type":"bot","input":""}]})", "node \"a\": bot_id is required"},
      {R"({"nodes":[{"id":"a","type":"bot","bot_id":"","input":""}]})",
       "node \"a\": bot_id must be 1 to 64 bytes"},
      {R"({"nodes":[{"id":"a","type":"bot","bot_id":"7"}]})", "node \"a\": input is required"},
      {R"({"outputs":[{"name":"o"}]})", "output \"o\": value is required"},
      {R"({"outputs":[{"name":"o","value":"{{nope}}"}]})", "output \"o\": {{nope}} names no"},
      {R"({"outputs":[{"name":"o","type":"date","value":""}]})", "output \"o\": type must be"},
      {R"({"outputs":[{"name":"o","value":""},{"name":"o","value":""}]})",
       "output \"o\": the name is taken"},
      {R"({"outputs":[{"value":""}]})", "outputs[0]: name is required"},
  };
  for (const auto& c : cases) {
    auto def = ParseWorkflowDefinition(c.definition);
    ASSERT_FALSE(def.has_value()) << c.definition;
    EXPECT_EQ(def.error().code, Errc::kBadRequest);
    EXPECT_EQ(def.error().field, "definition");
    EXPECT_EQ(def.error().message.rfind(c.message, 0), 0u)
        << c.definition << " → " << def.error().message;
  }
}

TEST(Workflow, DefinitionLimits) {
  auto nodes = [](int n) {
    std::string s = R"({"nodes":[)";
    for (int i = 0; i < n; ++i) {
      s += (i ? "," : "") + std::string(R"({"id":"n)") + std::to_string(i) +
           R"(","type":"template","template":""})";
    }
    return s + "]}";
  };
  EXPECT_TRUE(ParseWorkflowDefinition(nodes(64)).has_value());
  EXPECT_EQ(ParseWorkflowDefinition(nodes(65)).error().message, "nodes: at most 64 nodes");
  std::string padded = R"({"outputs":[{"name":"o","value":")";
  padded += std::string(64 * 1024 - padded.size() - 4, 'x') + R"("}]})";
  ASSERT_EQ(padded.size(), 64u * 1024);
  EXPECT_TRUE(ParseWorkflowDefinition(padded).has_value());
  EXPECT_EQ(ParseWorkflowDefinition(padded + " ").error().message, "the definition exceeds 64 KiB");
  std::string long_name(65, 'a');
  EXPECT_FALSE(
      ParseWorkflowDefinition(R"({"inputs":[{"name":")" + long_name + R"(","type":"string"}]})")
          .has_value());
  long_name.pop_back();
  EXPECT_TRUE(
      ParseWorkflowDefinition(R"({"inputs":[{"name":")" + long_name + R"(","type":"string"}]})")
          .has_value());
}

}  // namespace
}  // namespace cozeauth::runtime
