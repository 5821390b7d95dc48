// Workflows and apps on the OpenAPI (issue 13; docs/api.md "Workflows"), against the real
// binary: every endpoint's success shape, the workflow SSE framing byte for byte, interrupt →
// resume (exactly once, also under concurrent resumes), async run → history, the chat-style
// stream, the lists, and the codes: 4101 without `run` or outside the workspace, 4200 for an
// unknown or unpublished workflow, 4314 / 4315 for executions, 4021 without a workflow id,
// 4000 for bad input — which changes nothing in the store.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "support/openapi_expect.hpp"
#include "support/scenario.hpp"
#include "support/sqlite_file.hpp"
#include "support/sse.hpp"
#include "support/test_server.hpp"

namespace cozeauth::it {
namespace {
namespace json = boost::json;

constexpr const char* kGreeting = R"({
  "inputs": [{"name": "name", "type": "string", "required": true, "description": "who"}],
  "nodes": [{"id": "greet", "type": "template", "template": "Hello, {{name}}!"}],
  "outputs": [{"name": "output", "type": "string", "value": "{{greet}}"}]})";

constexpr const char* kAskDay = R"({
  "inputs": [{"name": "city", "type": "string", "required": true}],
  "nodes": [{"id": "ask", "type": "question", "question": "Which day in {{city}}?"},
            {"id": "say", "type": "message", "template": "{{city}} on {{ask}}"}],
  "outputs": [{"name": "plan", "value": "{{say}}"}]})";

constexpr const char* kEcho = R"({
  "inputs": [{"name": "USER_INPUT", "type": "string", "required": true}],
  "nodes": [{"id": "r", "type": "template", "template": "You said: {{USER_INPUT}}"}],
  "outputs": [{"name": "output", "value": "{{r}}"}]})";

std::vector<std::string> WorkflowPoints() {
  std::vector<std::string> p = AllWorkspacePoints();
  p.insert(p.end(), {"run", "listRunHistory", "listWorkflow", "getMetaData", "listApp"});
  return p;
}

struct WorkflowEvent {
  int id = -1;
  std::string event;
  json::value data;
};

// Strict parse of a workflow stream: `id: N\nevent: NAME\ndata: JSON\n\n` and nothing else.
std::vector<WorkflowEvent> ParseWorkflowSse(const std::string& body) {
  std::vector<WorkflowEvent> out;
  size_t at = 0;
  auto line = [&](std::string_view prefix) {
    const size_t end = body.find('\n', at);
    if (end == std::string::npos || body.compare(at, prefix.size(), prefix) != 0) {
      throw std::runtime_error("bad workflow SSE at byte " + std::to_string(at) + ": " + body);
    }
    std::string value = body.substr(at + prefix.size(), end - at - prefix.size());
    at = end + 1;
    return value;
  };
  while (at < body.size()) {
    WorkflowEvent e;
    e.id = std::stoi(line("id: "));
    e.event = line("event: ");
    e.data = json::parse(line("data: "));
    if (line("").size() != 0) throw std::runtime_error("no blank line after an event");
    out.push_back(std::move(e));
  }
  return out;
}

class Workflows : public ::testing::Test {
 protected:
  void SetUp() override {
    world_ = scenario_.MakeWorld();
    runner_ = scenario_.CreatePat(world_.user.id, {.workspace_permissions = WorkflowPoints()});
  }

  std::string Create(const std::string& name, const std::string& definition, bool publish,
                     const std::string& app = "") {
    const auto file = server_.dir() / (name + ".json");
    std::ofstream(file) << definition;
    std::vector<std::string> args{"workflow", "create", "--workspace",  world_.workspace_id,
                                  "--name",   name,     "--definition", file.string()};
    if (publish) args.push_back("--publish");
    if (!app.empty()) args.insert(args.end(), {"--app-project", app});
    return scenario_.cli().Must(args).Str("id");
  }

  HttpResponse Post(const std::string& path, const json::value& body,
                    const std::string& token = "") const {
    return server_.Http().PostJson(path, body, Bearer(token.empty() ? runner_.token : token));
  }
  HttpResponse Get(const std::string& path, const std::string& token = "") const {
    return server_.Http().Get(path, Bearer(token.empty() ? runner_.token : token));
  }
  SqliteFile::Snapshot Snap() const {
    return SqliteFile(server_.db_path()).Snap({"request_stats"}, {"last_used_at"});
  }

  TestServer server_;
  Scenario scenario_{server_};
  World world_;
  TokenInfo runner_;
};

TEST_F(Workflows, SyncRunAnswersTheOutputAsTopLevelData) {
  const std::string wf = Create("greet", kGreeting, true);
  for (const json::value& params :
       {json::value(json::object{{"name", "Ada"}}), json::value(R"({"name":"Ada"})")}) {
    const auto res = Post("/v1/workflow/run", {{"workflow_id", wf}, {"parameters", params}});
    ASSERT_TRUE(IsOk(res)) << res.Describe();
    const json::value body = res.Json();
    EXPECT_EQ(Str(body, "data"), R"({"output":"Hello, Ada!"})");
    EXPECT_TRUE(IsId(Path(body, "execute_id")));
    EXPECT_NE(Str(body, "debug_url").find(Str(body, "execute_id")), std::string::npos);
    EXPECT_EQ(Int(body, "usage.input_count"), 1);
    EXPECT_EQ(Int(body, "usage.output_count"), 2);
    EXPECT_EQ(Int(body, "usage.token_count"), 3);
  }
}

TEST_F(Workflows, StreamRunIsFramedByteForByte) {
  const std::string wf = Create("greet", kGreeting, true);
  const auto res =
      Post("/v1/workflow/stream_run", {{"workflow_id", wf}, {"parameters", {{"name", "Ada"}}}});
  ASSERT_EQ(res.status, 200u) << res.Describe();
  EXPECT_NE(res.Header("Content-Type").find("text/event-stream"), std::string::npos);
  const auto events = ParseWorkflowSse(res.body);
  ASSERT_EQ(events.size(), 2u) << res.body;
  const std::string debug_url = Str(events[1].data, "debug_url");
  const std::string expected =
      "id: 0\nevent: Message\ndata: "
      R"({"content":"{\"output\":\"Hello, Ada!\"}","node_title":"End","node_seq_id":"0",)"
      R"("node_is_finish":true,"usage":{"token_count":3,"output_count":2,"input_count":1}})"
      "\n\nid: 1\nevent: Done\ndata: {\"debug_url\":\"" +
      debug_url + "\"}\n\n";
  EXPECT_EQ(res.body, expected);
  EXPECT_NE(debug_url.find("workflow_id=" + wf), std::string::npos);
}

TEST_F(Workflows, InterruptResumesExactlyOnceAndLandsInHistory) {
  const std::string wf = Create("ask", kAskDay, true);
  const auto first =
      Post("/v1/workflow/stream_run", {{"workflow_id", wf}, {"parameters", {{"city", "Paris"}}}});
  ASSERT_EQ(first.status, 200u) << first.Describe();
  const auto events = ParseWorkflowSse(first.body);
  ASSERT_EQ(events.size(), 2u) << first.body;
  EXPECT_EQ(events[0].event, "Interrupt");
  EXPECT_EQ(Str(events[0].data, "node_title"), "ask");
  EXPECT_EQ(Int(events[0].data, "interrupt_data.type"), 2);
  EXPECT_EQ(Str(events[0].data, "interrupt_data.data"), "Which day in Paris?");
  EXPECT_EQ(events[1].event, "Done");
  const std::string event_id = Str(events[0].data, "interrupt_data.event_id");
  const std::string execute_id = event_id.substr(0, event_id.find('/'));
  ASSERT_TRUE(IsId(json::value(execute_id))) << event_id;

  // While it waits, the history says Running.
  const std::string history = "/v1/workflows/" + wf + "/run_histories/" + execute_id;
  EXPECT_EQ(Str(OkBody(Get(history)), "data.0.execute_status"), "Running");

  const json::object resume{{"workflow_id", wf},
                            {"event_id", event_id},
                            {"resume_data", "Monday morning"},
                            {"interrupt_type", 2}};
  const auto second = Post("/v1/workflow/stream_resume", resume);
  ASSERT_EQ(second.status, 200u) << second.Describe();
  const auto resumed = ParseWorkflowSse(second.body);
  ASSERT_EQ(resumed.size(), 3u) << second.body;
  EXPECT_EQ(resumed[0].id, 0);
  EXPECT_EQ(resumed[0].event, "Message");
  EXPECT_EQ(Str(resumed[0].data, "node_title"), "say");
  EXPECT_EQ(Str(resumed[0].data, "content"), "Paris on Monday morning");
  EXPECT_EQ(Str(resumed[1].data, "content"), R"({"plan":"Paris on Monday morning"})");
  EXPECT_EQ(resumed[2].event, "Done");

  // The event is consumed: a second resume is refused as a JSON body, and nothing changes.
  const auto before = Snap();
  EXPECT_TRUE(IsCozeError(Post("/v1/workflow/stream_resume", resume), 4315));
  EXPECT_EQ(DiffSnapshots(before, Snap()), "");

  const json::value h = OkBody(Get(history));
  EXPECT_EQ(Str(h, "data.0.execute_id"), execute_id);
  EXPECT_EQ(Str(h, "data.0.execute_status"), "Success");
  EXPECT_EQ(Str(h, "data.0.output"), R"({"plan":"Paris on Monday morning"})");
  EXPECT_EQ(Str(h, "data.0.error_code"), "0");
  EXPECT_TRUE(IsTimestamp(Path(h, "data.0.create_time")));
}

TEST_F(Workflows, ConcurrentResumesOfOneEventSucceedOnce) {
  const std::string wf = Create("ask", kAskDay, true);
  const auto first =
      OkBody(Post("/v1/workflow/run", {{"workflow_id", wf}, {"parameters", {{"city", "Oslo"}}}}));
  const std::string event_id = Str(first, "interrupt_data.event_id");
  const json::object resume{{"workflow_id", wf}, {"event_id", event_id}, {"resume_data", "today"}};
  constexpr int kClients = 4;
  std::vector<HttpResponse> answers(kClients);
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] { answers[i] = Post("/v1/workflow/stream_resume", resume); });
  }
  for (auto& t : threads) t.join();
  int streamed = 0, finished = 0;
  for (const auto& a : answers) {
    if (a.Header("Content-Type").find("text/event-stream") != std::string::npos) ++streamed;
    if (CodeOf(a) == 4315) ++finished;
  }
  EXPECT_EQ(streamed, 1);
  EXPECT_EQ(finished, kClients - 1);
}

TEST_F(Workflows, AsyncRunAnswersItsExecuteIdAndTheResultIsInHistory) {
  const std::string wf = Create("greet", kGreeting, true);
  const auto res =
      Post("/v1/workflow/run",
           {{"workflow_id", wf}, {"parameters", {{"name", "Bo"}}}, {"is_async", true}});
  ASSERT_TRUE(IsOk(res)) << res.Describe();
  const json::value body = res.Json();
  EXPECT_FALSE(Has(body, "data"));
  const std::string execute_id = Str(body, "execute_id");
  const json::value h = OkBody(Get("/v1/workflows/" + wf + "/run_histories/" + execute_id));
  EXPECT_EQ(Str(h, "data.0.execute_status"), "Success");
  EXPECT_EQ(Str(h, "data.0.output"), R"({"output":"Hello, Bo!"})");
  EXPECT_EQ(Int(h, "data.0.run_mode"), 2);
  EXPECT_EQ(Int(h, "data.0.usage.token_count"), 3);
}

TEST_F(Workflows, ExecutionCodes) {
  const std::string wf = Create("ask", kAskDay, true);
  const std::string other = Create("greet", kGreeting, true);
  EXPECT_TRUE(IsCozeError(Get("/v1/workflows/" + wf + "/run_histories/" + RandomId()), 4314));
  const auto run =
      OkBody(Post("/v1/workflow/run", {{"workflow_id", wf}, {"parameters", {{"city", "Rome"}}}}));
  const std::string event_id = Str(run, "interrupt_data.event_id");
  const std::string execute_id = Str(run, "execute_id");
  // An execution is found only under its own workflow.
  EXPECT_TRUE(IsCozeError(Get("/v1/workflows/" + other + "/run_histories/" + execute_id), 4314));
  EXPECT_TRUE(
      IsCozeError(Post("/v1/workflow/stream_resume",
                       {{"workflow_id", other}, {"event_id", event_id}, {"resume_data", "x"}}),
                  4314));
  EXPECT_TRUE(IsCozeError(
      Post("/v1/workflow/stream_resume",
           {{"workflow_id", wf}, {"event_id", RandomId() + "/1"}, {"resume_data", "x"}}),
      4314));
  // The right execution, another event: not waiting for it.
  EXPECT_TRUE(IsCozeError(
      Post("/v1/workflow/stream_resume",
           {{"workflow_id", wf}, {"event_id", execute_id + "/1"}, {"resume_data", "x"}}),
      4315));
  // A finished run cannot be resumed.
  const auto done =
      OkBody(Post("/v1/workflow/run", {{"workflow_id", other}, {"parameters", {{"name", "A"}}}}));
  EXPECT_TRUE(
      IsCozeError(Post("/v1/workflow/stream_resume", {{"workflow_id", other},
                                                      {"event_id", Str(done, "execute_id") + "/1"},
                                                      {"resume_data", "x"}}),
                  4315));
}

TEST_F(Workflows, PermissionsAndReach) {
  const std::string wf = Create("greet", kGreeting, true);
  const json::object run{{"workflow_id", wf}, {"parameters", {{"name", "A"}}}};
  const TokenInfo no_run = scenario_.CreatePat(
      world_.user.id,
      {.name = "no-run", .workspace_permissions = Without(WorkflowPoints(), "run")});
  EXPECT_TRUE(IsCozeError(Post("/v1/workflow/run", run, no_run.token), 4101));
  EXPECT_TRUE(IsCozeError(Post("/v1/workflow/stream_run", run, no_run.token), 4101));
  EXPECT_TRUE(
      IsCozeError(Post("/v1/workflows/chat",
                       {{"workflow_id", wf},
                        {"additional_messages", json::array{{{"role", "user"}, {"content", "x"}}}}},
                       no_run.token),
                  4101));
  const TokenInfo no_history = scenario_.CreatePat(
      world_.user.id,
      {.name = "no-history", .workspace_permissions = Without(WorkflowPoints(), "listRunHistory")});
  const std::string execute_id = Str(OkBody(Post("/v1/workflow/run", run)), "execute_id");
  EXPECT_TRUE(IsCozeError(
      Get("/v1/workflows/" + wf + "/run_histories/" + execute_id, no_history.token), 4101));

  // A token bound to another workspace does not reach this one's workflows.
  const std::string elsewhere =
      scenario_.CreateWorkspace(world_.user.id, world_.user.id, "Elsewhere");
  const TokenInfo outside = scenario_.CreatePat(
      world_.user.id,
      {.name = "outside", .workspace_permissions = WorkflowPoints(), .workspaces = elsewhere});
  EXPECT_TRUE(IsCozeError(Post("/v1/workflow/run", run, outside.token), 4101));
  EXPECT_TRUE(IsCozeError(Get("/v1/workflows/" + wf, outside.token), 4101));
  EXPECT_TRUE(
      IsCozeError(Get("/v1/workflows?workspace_id=" + world_.workspace_id, outside.token), 4101));
  EXPECT_TRUE(
      IsCozeError(Get("/v1/apps?workspace_id=" + world_.workspace_id, outside.token), 4101));
  // Another user's token: not a member of the workspace.
  const UserInfo stranger = scenario_.CreateUser("stranger");
  const TokenInfo theirs =
      scenario_.CreatePat(stranger.id, {.workspace_permissions = WorkflowPoints()});
  EXPECT_TRUE(IsCozeError(Post("/v1/workflow/run", run, theirs.token), 4101));
}

TEST_F(Workflows, UnknownAndUnpublishedWorkflowsAreNotFound) {
  EXPECT_TRUE(IsCozeError(
      Post("/v1/workflow/run", {{"workflow_id", RandomId()}, {"parameters", json::object{}}}),
      4200));
  EXPECT_TRUE(IsCozeError(Get("/v1/workflows/" + RandomId()), 4200));
  const std::string draft = Create("draft", kGreeting, false);
  const json::object run{{"workflow_id", draft}, {"parameters", {{"name", "A"}}}};
  EXPECT_TRUE(IsCozeError(Post("/v1/workflow/run", run), 4200));
  EXPECT_TRUE(IsCozeError(Post("/v1/workflow/stream_run", run), 4200));
  scenario_.cli().Must({"workflow", "publish", "--workflow", draft});
  EXPECT_TRUE(IsOk(Post("/v1/workflow/run", run)));
  scenario_.cli().Must({"workflow", "unpublish", "--workflow", draft});
  EXPECT_TRUE(IsCozeError(Post("/v1/workflow/run", run), 4200));
}

TEST_F(Workflows, BadInputIsRefusedAndChangesNothing) {
  const std::string wf = Create("greet", kGreeting, true);
  const auto before = Snap();
  struct Case {
    const char* name;
    std::string path;
    json::value body;
    int code;
  } cases[] = {
      {"parameters array",
       "/v1/workflow/run",
       {{"workflow_id", wf}, {"parameters", json::array{1}}},
       4000},
      {"parameters string not an object",
       "/v1/workflow/run",
       {{"workflow_id", wf}, {"parameters", "[1]"}},
       4000},
      {"parameters string not JSON",
       "/v1/workflow/stream_run",
       {{"workflow_id", wf}, {"parameters", "{"}},
       4000},
      {"missing required input",
       "/v1/workflow/run",
       {{"workflow_id", wf}, {"parameters", json::object{}}},
       4000},
      {"input of the wrong type",
       "/v1/workflow/stream_run",
       {{"workflow_id", wf}, {"parameters", {{"name", 5}}}},
       4000},
      {"workflow_id not numeric", "/v1/workflow/run", {{"workflow_id", "abc"}}, 4000},
      {"workflow_id of the wrong type", "/v1/workflow/run", {{"workflow_id", true}}, 4000},
      {"no workflow_id", "/v1/workflow/run", json::object{}, 4021},
      {"is_async not a bool",
       "/v1/workflow/run",
       {{"workflow_id", wf}, {"parameters", {{"name", "A"}}}, {"is_async", "yes"}},
       4000},
      {"ext not an object",
       "/v1/workflow/run",
       {{"workflow_id", wf}, {"parameters", {{"name", "A"}}}, {"ext", 1}},
       4000},
      {"event_id malformed",
       "/v1/workflow/stream_resume",
       {{"workflow_id", wf}, {"event_id", "x"}, {"resume_data", "a"}},
       4000},
      {"resume_data not a string",
       "/v1/workflow/stream_resume",
       {{"workflow_id", wf}, {"event_id", "1/1"}, {"resume_data", 1}},
       4000},
      {"interrupt_type not an integer",
       "/v1/workflow/stream_resume",
       {{"workflow_id", wf}, {"event_id", "1/1"}, {"resume_data", "a"}, {"interrupt_type", "2"}},
       4000},
      {"chat without a user message",
       "/v1/workflows/chat",
       {{"workflow_id", wf},
        {"additional_messages", json::array{{{"role", "assistant"}, {"content", "x"}}}}},
       4000},
      {"chat messages not an array",
       "/v1/workflows/chat",
       {{"workflow_id", wf}, {"additional_messages", "hi"}},
       4000},
  };
  for (const auto& c : cases) {
    EXPECT_TRUE(IsCozeError(Post(c.path, c.body), c.code)) << c.name;
  }
  EXPECT_TRUE(IsCozeError(
      server_.Http().Post("/v1/workflow/run", "{not json", Bearer(runner_.token)), 4000));
  EXPECT_TRUE(IsCozeError(Get("/v1/workflows?workspace_id=abc"), 4000));
  EXPECT_TRUE(IsCozeError(Get("/v1/workflows/" + wf + "/run_histories/abc"), 4000));
  EXPECT_EQ(DiffSnapshots(before, Snap()), "");
}

TEST_F(Workflows, ChatStreamsTheOutputAsAnAnswer) {
  const std::string wf = Create("echo", kEcho, true);
  const auto res =
      Post("/v1/workflows/chat",
           {{"workflow_id", wf},
            {"additional_messages", json::array{{{"role", "user"}, {"content", "first"}},
                                                {{"role", "assistant"}, {"content", "ok"}},
                                                {{"role", "user"}, {"content", "hello there"}}}}});
  ASSERT_EQ(res.status, 200u) << res.Describe();
  const SseParse sse = ParseChatSse(res.body);
  ASSERT_TRUE(sse.ok()) << sse.error;
  ASSERT_GE(sse.events.size(), 5u);
  EXPECT_EQ(sse.events.front().event, "conversation.chat.created");
  EXPECT_EQ(sse.events.back().event, "done");
  std::string deltas, completed;
  for (const auto& e : sse.events) {
    if (e.event == "conversation.message.delta") deltas += Str(json::parse(e.data), "content");
    if (e.event == "conversation.message.completed")
      completed = Str(json::parse(e.data), "content");
  }
  EXPECT_EQ(deltas, "You said: hello there");
  EXPECT_EQ(completed, "You said: hello there");
}

TEST_F(Workflows, ListsAndMetadata) {
  const std::string app = scenario_.cli()
                              .Must({"app-project", "create", "--workspace", world_.workspace_id,
                                     "--name", "Trip planner", "--description", "plans"})
                              .Str("id");
  const std::string in_app = Create("ask", kAskDay, true, app);
  const std::string draft = Create("draft", kGreeting, false);

  const json::value list = OkBody(Get("/v1/workflows?workspace_id=" + world_.workspace_id));
  ASSERT_EQ(Path(list, "data.items").as_array().size(), 1u);  // published only, by default
  EXPECT_EQ(Str(list, "data.items.0.workflow_id"), in_app);
  EXPECT_EQ(Str(list, "data.items.0.workflow_name"), "ask");
  EXPECT_EQ(Str(list, "data.items.0.app_id"), app);
  EXPECT_FALSE(Path(list, "data.has_more").as_bool());
  const json::value all = OkBody(
      Get("/v1/workflows?publish_status=all&page_size=1&workspace_id=" + world_.workspace_id));
  EXPECT_EQ(Path(all, "data.items").as_array().size(), 1u);
  EXPECT_TRUE(Path(all, "data.has_more").as_bool());

  const json::value meta = OkBody(Get("/v1/workflows/" + draft + "?include_input_output=true"));
  EXPECT_EQ(Str(meta, "data.workflow_detail.workflow_id"), draft);
  EXPECT_EQ(Str(meta, "data.workflow_detail.description"), "");
  EXPECT_TRUE(IsTimestamp(Path(meta, "data.workflow_detail.created_at")));
  EXPECT_EQ(Str(meta, "data.input.parameters.name.type"), "string");
  EXPECT_TRUE(Path(meta, "data.input.parameters.name.required").as_bool());

  const json::value apps = OkBody(Get("/v1/apps?workspace_id=" + world_.workspace_id));
  EXPECT_EQ(Int(apps, "data.total"), 1);
  EXPECT_EQ(Str(apps, "data.items.0.id"), app);
  EXPECT_EQ(Str(apps, "data.items.0.name"), "Trip planner");
  EXPECT_TRUE(Path(apps, "data.items.0.is_published").as_bool());
}

TEST_F(Workflows, CliCreatesListsShowsAndRefusesBadDefinitions) {
  const std::string wf = Create("greet", kGreeting, false);
  const CliResult shown = scenario_.cli().Must({"workflow", "show", "--workflow", wf});
  EXPECT_EQ(Str(shown.json, "definition.nodes.0.id"), "greet");
  EXPECT_FALSE(Path(shown.json, "is_published").as_bool());
  const CliResult listed =
      scenario_.cli().Must({"workflow", "list", "--workspace", world_.workspace_id});
  ASSERT_EQ(listed.json.as_array().size(), 1u);

  const auto bad = server_.dir() / "bad.json";
  std::ofstream(bad) << R"({"nodes":[{"id":"x","type":"nope"}]})";
  const auto before = Snap();
  const CliResult refused =
      scenario_.cli().Run({"workflow", "create", "--workspace", world_.workspace_id, "--name",
                           "bad", "--definition", bad.string()});
  EXPECT_FALSE(refused.ok()) << refused.Describe();
  const CliResult no_app = scenario_.cli().Run(
      {"workflow", "create", "--workspace", world_.workspace_id, "--name", "x", "--definition",
       (server_.dir() / "greet.json").string(), "--app-project", RandomId()});
  EXPECT_FALSE(no_app.ok()) << no_app.Describe();
  EXPECT_EQ(DiffSnapshots(before, Snap()), "");
}

}  // namespace
}  // namespace cozeauth::it
