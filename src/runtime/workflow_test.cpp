#include "runtime/workflow.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <iterator>
#include <map>

namespace cozeauth::runtime {
namespace {

using Status = WorkflowOutcome::Status;

// Bots by id: "7" has the prompt "Echo:", "8" an empty prompt; any other id does not exist.
std::optional<std::string> Bots(std::string_view id) {
  static const std::map<std::string, std::string, std::less<>> bots{{"7", "Echo:"}, {"8", ""}};
  auto it = bots.find(id);
  if (it == bots.end()) return std::nullopt;
  return it->second;
}
const BotPromptLookup kBots = Bots;

WorkflowDefinition Parse(std::string_view json) {
  auto def = ParseWorkflowDefinition(json);
  EXPECT_TRUE(def.has_value()) << json << " → " << (def ? "" : def.error().message);
  if (!def) std::abort();
  return std::move(def).value();
}

// "M greet 0 Hello" / "I ask 1 Which day?": kind, node title, seq, content (node_is_finish is
// asserted to be true for every event).
std::vector<std::string> Events(const WorkflowOutcome& out) {
  std::vector<std::string> lines;
  for (const auto& e : out.events) {
    EXPECT_TRUE(e.node_is_finish);
    lines.push_back(std::string(e.kind == WorkflowEvent::Kind::kMessage ? "M " : "I ") +
                    e.node_title + " " + std::to_string(e.seq) + " " + e.content);
  }
  return lines;
}

// `s` as a JSON string.
std::string Quote(std::string_view s) { return boost::json::serialize(boost::json::string(s)); }

constexpr std::string_view kGreeting = R"({
  "inputs": [{"name": "name", "type": "string", "required": true, "description": "who"}],
  "nodes": [{"id": "greet", "type": "template", "template": "Hello, {{name}}!"}],
  "outputs": [{"name": "output", "type": "string", "value": "{{greet}}"}]})";

constexpr std::string_view kAskDay = R"({
  "inputs": [{"name": "city", "type": "string", "required": true}],
  "nodes": [{"id": "ask", "type": "question", "question": "Which day in {{city}}?"},
            {"id": "say", "type": "message", "template": "{{city}} on {{ask}}"}],
  "outputs": [{"name": "plan", "value": "{{say}}"}]})";

constexpr std::string_view kTwoQuestions = R"({
  "nodes": [{"id": "q1", "type": "question", "question": "First?"},
            {"id": "q2", "type": "question", "question": "Second after {{q1}}?"}],
  "outputs": [{"name": "both", "value": "{{q1}}+{{q2}}"}]})";

TEST(Workflow, RunsToTheExpectedOutputAndEvents) {
  struct {
    std::string_view definition, parameters, output;
    std::vector<std::string> events;
  } cases[] = {
      {kGreeting,
       R"({"name":"Ada"})",
       R"({"output":"Hello, Ada!"})",
       {R"(M End 0 {"output":"Hello, Ada!"})"}},
      {R"({"nodes":[{"id":"a","type":"message","template":"one"},
                    {"id":"b","type":"message","template":"{{a}} two"}],
           "outputs":[{"name":"o","value":"{{b}}"}]})",
       "",
       R"({"o":"one two"})",
       {"M a 0 one", "M b 1 one two", R"(M End 2 {"o":"one two"})"}},
      {R"({"inputs":[{"name":"q","type":"string"}],
           "nodes":[{"id":"r","type":"bot","bot_id":"7","input":"{{q}}"},
                    {"id":"s","type":"bot","bot_id":"8","input":"[{{r}}]"}],
           "outputs":[{"name":"r","value":"{{r}}"},{"name":"s","value":"{{s}}"}]})",
       R"({"q":"hi there"})",
       R"({"r":"Echo: hi there","s":"[Echo: hi there]"})",
       {R"(M End 0 {"r":"Echo: hi there","s":"[Echo: hi there]"})"}},
      // Non-string values render as JSON; an absent optional input as "".
      {R"({"inputs":[{"name":"n","type":"integer"},{"name":"x","type":"number"},
                     {"name":"b","type":"boolean"},{"name":"o","type":"object"},
                     {"name":"a","type":"array"},{"name":"m","type":"string"}],
           "outputs":[{"name":"t","value":"{{n}}|{{x}}|{{b}}|{{o}}|{{a}}|{{m}}"}]})",
       R"({"n":3.0,"x":1.5,"b":false,"o":{"k":[1]},"a":[null,"s"]})",
       R"({"t":"3|1.5|false|{\"k\":[1]}|[null,\"s\"]|"})",
       {}},
      // Typed outputs keep a single variable's JSON, or read the text as JSON.
      {R"({"inputs":[{"name":"n","type":"integer","required":true},
                     {"name":"o","type":"object"}],
           "nodes":[{"id":"t","type":"template","template":"[{{n}},{{n}}]"}],
           "outputs":[{"name":"n","type":"integer","value":"{{n}}"},
                      {"name":"a","type":"array","value":"{{t}}"},
                      {"name":"k","type":"number","value":"{{ n }}0"},
                      {"name":"o","type":"object","value":"{{o}}"}]})",
       R"({"n":-4})",
       R"({"n":-4,"a":[-4,-4],"k":-40,"o":null})",
       {}},
      {R"({})", "", "{}", {"M End 0 {}"}},
      {R"({"outputs":[{"name":"s","value":"{ {x}} }} {{ "}]})", "", "", {}},
  };
  for (const auto& c : cases) {
    auto def = ParseWorkflowDefinition(c.definition);
    if (c.output.empty()) {  // the last case: a bad template
      EXPECT_FALSE(def.has_value());
      continue;
    }
    ASSERT_TRUE(def.has_value()) << def.error().message;
    auto out = RunWorkflow(*def, c.parameters, kBots);
    ASSERT_EQ(out.status, Status::kSuccess) << out.error_message;
    EXPECT_EQ(out.output, c.output);
    EXPECT_EQ(out.error_code, Errc::kOk);
    auto events = Events(out);
    if (!c.events.empty()) {
      EXPECT_EQ(events, c.events);
    }
    EXPECT_EQ(events.back(),
              "M End " + std::to_string(events.size() - 1) + " " + std::string(c.output));
  }
}

TEST(Workflow, QuestionInterruptsAndResumeContinues) {
  auto def = Parse(kAskDay);
  EXPECT_TRUE(def.has_question());
  auto first = RunWorkflow(def, R"({"city":"Paris"})", kBots);
  ASSERT_EQ(first.status, Status::kInterrupted) << first.error_message;
  EXPECT_EQ(first.interrupt_node, "ask");
  EXPECT_EQ(Events(first), std::vector<std::string>{"I ask 0 Which day in Paris?"});
  EXPECT_TRUE(first.output.empty());
  EXPECT_EQ(first.usage.input_count, 1);
  EXPECT_EQ(first.usage.output_count, 0);

  auto second = ResumeWorkflow(def, first.state, "Monday morning", kBots);
  ASSERT_EQ(second.status, Status::kSuccess) << second.error_message;
  EXPECT_EQ(second.output, R"({"plan":"Paris on Monday morning"})");
  EXPECT_EQ(Events(second),
            (std::vector<std::string>{"M say 0 Paris on Monday morning",
                                      R"(M End 1 {"plan":"Paris on Monday morning"})"}));
  EXPECT_EQ(second.usage.input_count, 2);   // the resume data
  EXPECT_EQ(second.usage.output_count, 8);  // 4 words of "say" + 4 of the output
  EXPECT_EQ(second.usage.token_count(), 10);

  // A state can be resumed again (the caller decides whether it may): same answer, same result.
  auto again = ResumeWorkflow(def, first.state, "Monday morning", kBots);
  EXPECT_EQ(again.output, second.output);
}

TEST(Workflow, TwoQuestionsInARow) {
  auto def = Parse(kTwoQuestions);
  auto one = RunWorkflow(def, "", kBots);
  ASSERT_EQ(one.status, Status::kInterrupted);
  EXPECT_EQ(Events(one), std::vector<std::string>{"I q1 0 First?"});
  auto two = ResumeWorkflow(def, one.state, "a", kBots);
  ASSERT_EQ(two.status, Status::kInterrupted) << two.error_message;
  EXPECT_EQ(two.interrupt_node, "q2");
  EXPECT_EQ(Events(two), std::vector<std::string>{"I q2 0 Second after a?"});
  EXPECT_NE(two.state, one.state);
  auto three = ResumeWorkflow(def, two.state, "b", kBots);
  ASSERT_EQ(three.status, Status::kSuccess) << three.error_message;
  EXPECT_EQ(three.output, R"({"both":"a+b"})");
  EXPECT_EQ(Events(three), std::vector<std::string>{R"(M End 0 {"both":"a+b"})"});
}

TEST(Workflow, ResumeRejectsAStateThatIsNotThisRunsOwn) {
  auto def = Parse(kTwoQuestions);
  auto ask = Parse(kAskDay);
  const std::string own = RunWorkflow(def, "", kBots).state;
  const std::string other = RunWorkflow(ask, R"({"city":"Rome"})", kBots).state;
  // The same definition written differently has the same canonical JSON, so its states match.
  auto respaced = Parse(std::string(kTwoQuestions) + "  \n");
  EXPECT_EQ(ResumeWorkflow(respaced, own, "x", kBots).status, Status::kInterrupted);

  std::string fp = own.substr(own.find("\"fingerprint\":\"") + 15, 64);
  auto with = [&](std::string_view node, std::string_view vars) {
    return R"({"fingerprint":")" + fp + R"(","node":)" + std::string(node) + R"(,"variables":)" +
           std::string(vars) + "}";
  };
  struct {
    std::string state;
    std::string_view message;
  } cases[] = {
      {other, "belongs to another workflow definition"},
      {"", "is malformed"},
      {"not json", "is malformed"},
      {"[]", "is malformed"},
      {R"({"fingerprint":"x","node":0,"variables":{}})", "belongs to another"},
      {with("0", R"({"q1":"a"})"), "has other variables"},
      {with("1", "{}"), "has other variables"},
      {with("1", R"({"q1":5})"), "has a bad value for node \"q1\""},
      {with("1", R"({"q2":"a"})"), "has a bad value for node \"q1\""},
      {with("2", R"({"q1":"a","q2":"b"})"), "names no question node"},
      {with("-1", "{}"), "names no question node"},
      {with("1.0", R"({"q1":"a"})"), "names no question node"},
      {with("1", R"({"q1":"a"})").replace(0, 1, R"({"extra":1,)"), "is malformed"},
  };
  for (const auto& c : cases) {
    auto out = ResumeWorkflow(def, c.state, "x", kBots);
    EXPECT_EQ(out.status, Status::kFailed) << c.state;
    EXPECT_EQ(out.error_code, Errc::kBadRequest) << c.state;
    EXPECT_NE(out.error_message.find(c.message), std::string::npos)
        << c.state << " → " << out.error_message;
    EXPECT_TRUE(out.events.empty());
  }
  // A hand-made state that is well formed resumes like a real one.
  EXPECT_EQ(ResumeWorkflow(def, with("1", R"({"q1":"a"})"), "b", kBots).output,
            R"({"both":"a+b"})");

  // Input values in a state are checked against their declared types.
  auto ask_fp = Parse(kAskDay);
  std::string forged = other;
  forged.replace(forged.find("\"Rome\""), 6, "42");
  EXPECT_EQ(ResumeWorkflow(ask_fp, forged, "x", kBots).error_message,
            "the resume state has a bad value for input \"city\"");
}

TEST(Workflow, ResumeDataIsBounded) {
  auto def = Parse(kAskDay);
  const std::string state = RunWorkflow(def, R"({"city":"Oslo"})", kBots).state;
  EXPECT_EQ(ResumeWorkflow(def, state, std::string(64 * 1024, 'a'), kBots).status,
            Status::kSuccess);
  auto big = ResumeWorkflow(def, state, std::string(64 * 1024 + 1, 'a'), kBots);
  EXPECT_EQ(big.error_code, Errc::kBadRequest);
  EXPECT_EQ(big.error_message, "resume_data exceeds 64 KiB");
  auto bad = ResumeWorkflow(def, state, "\xff\xfe", kBots);
  EXPECT_EQ(bad.error_message, "resume_data is not UTF-8");
  // Control characters and quotes survive the state and the output.
  auto ctl = ResumeWorkflow(def, state, "a\"\n\x01", kBots);
  EXPECT_EQ(ctl.output, R"({"plan":"Oslo on a\"\n\u0001"})");
}

TEST(Workflow, InputsAreTypeChecked) {
  struct {
    std::string_view type, value;
    bool ok;
    std::string_view rendered;  // what {{v}} renders as when ok
  } cases[] = {
      {"string", R"("x y")", true, "x y"},
      {"string", "1", false, ""},
      {"integer", "7", true, "7"},
      {"integer", "-9223372036854775808", true, "-9223372036854775808"},
      {"integer", "9223372036854775807", true, "9223372036854775807"},
      {"integer", "9223372036854775808", false, ""},
      {"integer", "18446744073709551615", false, ""},
      {"integer", "2.0", true, "2"},
      {"integer", "1e3", true, "1000"},
      {"integer", "2.5", false, ""},
      {"integer", "1e19", false, ""},
      {"integer", "-1e19", false, ""},
      {"integer", R"("7")", false, ""},
      {"integer", "true", false, ""},
      {"number", "2.5", true, "2.5"},
      {"number", "-3", true, "-3"},
      {"number", "18446744073709551615", true, "18446744073709551615"},
      {"number", R"("2.5")", false, ""},
      {"boolean", "true", true, "true"},
      {"boolean", "0", false, ""},
      {"object", R"({"a":"b"})", true, R"({"a":"b"})"},
      {"object", "[]", false, ""},
      {"array", "[1,{}]", true, "[1,{}]"},
      {"array", "{}", false, ""},
  };
  for (const auto& c : cases) {
    auto def = Parse(R"({"inputs":[{"name":"v","type":")" + std::string(c.type) +
                     R"(","required":true}],"outputs":[{"name":"o","value":"{{v}}"}]})");
    auto out = RunWorkflow(def, R"({"v":)" + std::string(c.value) + "}", kBots);
    if (c.ok) {
      ASSERT_EQ(out.status, Status::kSuccess) << c.type << " " << c.value;
      EXPECT_EQ(out.output, R"({"o":)" + Quote(c.rendered) + "}");
    } else {
      EXPECT_EQ(out.status, Status::kFailed) << c.type << " " << c.value;
      EXPECT_EQ(out.error_code, Errc::kBadRequest);
      EXPECT_EQ(out.error_message.rfind("input \"v\" must be a", 0), 0u) << out.error_message;
      EXPECT_TRUE(out.events.empty());
    }
  }
}

TEST(Workflow, ParameterErrors) {
  auto def = Parse(kGreeting);
  struct {
    std::string parameters;
    std::string_view message;
  } cases[] = {
      {"", "input \"name\" is required"},
      {"{}", "input \"name\" is required"},
      {R"({"name":null})", "input \"name\" is required"},
      {R"({"name":1})", "input \"name\" must be a string"},
      {"[]", "parameters must be a JSON object"},
      {"\"x\"", "parameters must be a JSON object"},
      {"{", "parameters are not valid JSON"},
      {R"({"name":"a"} x)", "parameters are not valid JSON"},
      {R"({"name":")" + std::string(1024 * 1024, 'a') + R"("})", "parameters exceed 1 MiB"},
  };
  for (const auto& c : cases) {
    auto out = RunWorkflow(def, c.parameters, kBots);
    EXPECT_EQ(out.status, Status::kFailed);
    EXPECT_EQ(out.error_code, Errc::kBadRequest);
    EXPECT_EQ(out.error_message.rfind(c.message, 0), 0u) << out.error_message;
    EXPECT_TRUE(out.events.empty());
    EXPECT_EQ(out.usage.token_count(), 0);
  }
  // Unknown parameters are ignored.
  EXPECT_EQ(RunWorkflow(def, R"({"name":"B","other":[1]})", kBots).output,
            R"({"output":"Hello, B!"})");
}

TEST(Workflow, RuntimeFailures) {
  // A bot that does not exist fails the run with 4006 after the events before it.
  auto def = Parse(R"({"nodes":[{"id":"hi","type":"message","template":"hi"},
                                {"id":"b","type":"bot","bot_id":"99","input":"x"}]})");
  auto out = RunWorkflow(def, "", kBots);
  EXPECT_EQ(out.status, Status::kFailed);
  EXPECT_EQ(out.error_code, Errc::kBotNotFound);
  EXPECT_EQ(out.error_message, "node \"b\": bot \"99\" not found");
  EXPECT_EQ(Events(out), std::vector<std::string>{"M hi 0 hi"});
  EXPECT_TRUE(out.output.empty());

  // A template that doubles a variable 17 times would be 128 KiB × 2^17: stopped at 1 MiB.
  std::string doubling = R"({"inputs":[{"name":"v0","type":"string"}],"nodes":[)";
  for (int i = 1; i <= 17; ++i) {
    doubling += (i > 1 ? "," : "") + std::string(R"({"id":"v)") + std::to_string(i) +
                R"(","type":"template","template":"{{v)" + std::to_string(i - 1) + "}}{{v" +
                std::to_string(i - 1) + R"(}}"})";
  }
  auto explode = RunWorkflow(Parse(doubling + "]}"),
                             R"({"v0":")" + std::string(128 * 1024, 'a') + R"("})", kBots);
  EXPECT_EQ(explode.error_code, Errc::kBadRequest);
  EXPECT_EQ(explode.error_message, "node \"v4\": the rendered text exceeds 1 MiB");
  // Exactly 1 MiB is allowed.
  auto fits = RunWorkflow(Parse(doubling + "]}"),
                          R"({"v0":")" + std::string(64 * 1024, 'a') + R"("})", kBots);
  EXPECT_EQ(fits.error_message, "node \"v5\": the rendered text exceeds 1 MiB");

  // All rendered text of a run together is capped at 4 MiB, restored variables included.
  auto doubles = [](int n, bool question) {
    std::string s = R"({"inputs":[{"name":"v0","type":"string"}],"nodes":[)";
    for (int i = 1; i <= n; ++i) {
      s += (i > 1 ? "," : "") + std::string(R"({"id":"n)") + std::to_string(i) +
           R"(","type":"template","template":"{{v0}}{{v0}}"})";
    }
    return s + (question ? R"(,{"id":"q","type":"question","question":"?"})" : "") + "]}";
  };
  const std::string half = R"({"v0":")" + std::string(512 * 1024, 'a') + R"("})";
  EXPECT_EQ(RunWorkflow(Parse(doubles(4, false)), half, kBots).output, "{}");
  EXPECT_EQ(RunWorkflow(Parse(doubles(5, false)), half, kBots).error_message,
            "node \"n5\": the workflow's rendered text exceeds 4 MiB in all");
  auto near = Parse(doubles(4, true));
  auto stop = RunWorkflow(near, R"({"v0":")" + std::string(512 * 1024 - 1, 'a') + R"("})", kBots);
  ASSERT_EQ(stop.status, Status::kInterrupted);
  // The resume starts from the 4 × (1 MiB - 2) bytes of the restored variables.
  EXPECT_EQ(ResumeWorkflow(near, stop.state, "12345678", kBots).status, Status::kSuccess);
  EXPECT_EQ(ResumeWorkflow(near, stop.state, "123456789", kBots).error_message,
            "node \"q\": the workflow's rendered text exceeds 4 MiB in all");

  // A typed output whose text is not of its type.
  auto typed = RunWorkflow(Parse(R"({"inputs":[{"name":"s","type":"string"}],
      "outputs":[{"name":"n","type":"integer","value":"{{s}}"}]})"),
                           R"({"s":"4.5"})", kBots);
  EXPECT_EQ(typed.error_message, "output \"n\" is not an integer");
  auto unparsable = RunWorkflow(Parse(R"({"inputs":[{"name":"s","type":"string"}],
      "outputs":[{"name":"n","type":"array","value":"[{{s}}"}]})"),
                                R"({"s":"1"})", kBots);
  EXPECT_EQ(unparsable.error_message, "output \"n\" is not an array");
}

TEST(Workflow, UsageCountsWords) {
  auto def = Parse(R"({"inputs":[{"name":"a","type":"string"},{"name":"n","type":"integer"}],
      "nodes":[{"id":"m","type":"message","template":"one two {{a}}"},
               {"id":"r","type":"bot","bot_id":"7","input":"{{a}}"}],
      "outputs":[{"name":"o","value":"{{r}}"}]})");
  auto out = RunWorkflow(def, R"({"a":"x  y\tz","n":12345})", kBots);
  ASSERT_EQ(out.status, Status::kSuccess);
  EXPECT_EQ(out.usage.input_count, 3);  // x, y, z (the integer has no words)
  // "one two x  y\tz" (5) + the output {"o":"Echo: x  y\tz"} (3: the tab is escaped in JSON)
  EXPECT_EQ(out.usage.output_count, 5 + 3);
  EXPECT_EQ(out.usage.token_count(), 11);
}

TEST(Workflow, CanonicalJsonAndDeterminism) {
  auto def = Parse(R"( { "outputs" : [ {"value":"{{g}}", "name":"o"} ],
      "nodes":[{"template":"Hi {{ who }}","type":"template","id":"g"},
               {"input":"{{g}}","bot_id":"7","type":"bot","id":"b"},
               {"question":"?","type":"question","id":"q"}],
      "inputs":[{"type":"string","name":"who"}] } )");
  const std::string canonical =
      R"({"inputs":[{"name":"who","type":"string","required":false}],)"
      R"("nodes":[{"id":"g","type":"template","template":"Hi {{ who }}"},)"
      R"({"id":"b","type":"bot","bot_id":"7","input":"{{g}}"},)"
      R"({"id":"q","type":"question","question":"?"}],)"
      R"("outputs":[{"name":"o","type":"string","value":"{{g}}"}]})";
  EXPECT_EQ(def.json(), canonical);
  EXPECT_EQ(Parse(def.json()).json(), canonical);
  ASSERT_EQ(def.inputs().size(), 1u);
  EXPECT_EQ(def.inputs()[0].name, "who");
  EXPECT_FALSE(def.inputs()[0].required);
  EXPECT_FALSE(Parse(kGreeting).has_question());

  // Copies and moves run the same; every run of the same inputs is the same outcome.
  WorkflowDefinition copy = def;
  WorkflowDefinition moved = std::move(copy);
  auto a = RunWorkflow(def, R"({"who":"Bo"})", kBots);
  auto b = RunWorkflow(moved, R"({"who":"Bo"})", kBots);
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(Events(a), Events(b));
  auto ra = ResumeWorkflow(def, a.state, "ok", kBots);
  auto rb = ResumeWorkflow(moved, b.state, "ok", kBots);
  EXPECT_EQ(ra.output, R"({"o":"Hi Bo"})");
  EXPECT_EQ(ra.output, rb.output);
  EXPECT_EQ(Events(ra), Events(rb));
}

std::string ReadExample(std::string_view name) {
  std::ifstream in(std::string(COZEAUTH_EXAMPLES_DIR) + "/" + std::string(name));
  EXPECT_TRUE(in.good()) << name;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The worked examples of docs/runtime.md, with the outputs the docs show.
TEST(Workflow, DocumentedExamples) {
  auto greeting = Parse(ReadExample("greeting.json"));
  auto out = RunWorkflow(greeting, R"({"name":"Ada","count":3})", kBots);
  EXPECT_EQ(out.output, R"({"output":"Hello, Ada! You have 3 new messages.","count":3})");
  EXPECT_EQ(out.usage.input_count, 1);
  EXPECT_EQ(out.usage.output_count, 7);
  EXPECT_EQ(RunWorkflow(greeting, R"({"name":"Ada"})", kBots).output,
            R"({"output":"Hello, Ada! You have  new messages.","count":null})");
  EXPECT_EQ(RunWorkflow(greeting, R"({"name":"Ada","count":"3"})", kBots).error_message,
            "input \"count\" must be an integer");

  auto ask = Parse(ReadExample("ask_day.json"));
  auto first = RunWorkflow(ask, R"({"city":"Paris"})", kBots);
  EXPECT_EQ(first.status, Status::kInterrupted);
  EXPECT_EQ(Events(first),
            std::vector<std::string>{"I ask 0 Which day do you want to visit Paris?"});
  EXPECT_EQ(first.state.substr(0, 16), R"({"fingerprint":")");
  auto second = ResumeWorkflow(ask, first.state, "Friday", kBots);
  EXPECT_EQ(Events(second),
            (std::vector<std::string>{"M confirm 0 Booked: Paris on Friday.",
                                      R"(M End 1 {"city":"Paris","day":"Friday"})"}));
  EXPECT_EQ(second.usage.input_count, 1);
  EXPECT_EQ(second.usage.output_count, 5);

  std::string bot_json = ReadExample("bot_reply.json");
  auto bot = Parse(bot_json);
  auto prompts = [](std::string_view id) -> std::optional<std::string> {
    if (id == "BOT_ID") return std::string("You are a helpful bot.");
    return std::nullopt;
  };
  auto reply = RunWorkflow(bot, R"({"question":"What is 2+2?"})", prompts);
  EXPECT_EQ(Events(reply), (std::vector<std::string>{
                               "M show 0 You are a helpful bot. Q: What is 2+2?",
                               R"(M End 1 {"output":"You are a helpful bot. Q: What is 2+2?"})"}));
  EXPECT_EQ(RunWorkflow(bot, R"({"question":"x"})", kBots).error_code, Errc::kBotNotFound);
}

}  // namespace
}  // namespace cozeauth::runtime
