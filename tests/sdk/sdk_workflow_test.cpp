// The SDK's workflow and app APIs against the real server (tests/support): a workflow that asks
// a question and one that does not, created and published with `cozeauth admin workflow create`,
// an app project with `admin app-project create`, and a PAT holding the workflow points. Sync and
// async runs with the run history, the SSE stream with interrupt → resume, the chat-style
// /v1/workflows/chat, lists and get; the codes of a token without `run`, an unknown workflow,
// an unknown or finished execution; and a FailoverAuth chain that learns the workflow. Every
// call goes through coze::Client over libcurl.

#include <gtest/gtest.h>

#include <chrono>
#include <coze/client.hpp>
#include <coze/failover.hpp>
#include <fstream>
#include <set>
#include <thread>

#include "support/shared_world.hpp"

namespace cozeauth::it {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;

// Books a day in a city: Interrupt (question), then the answer in the output.
constexpr const char* kBooking = R"({
  "inputs": [{"name": "city", "type": "string", "required": true}],
  "nodes": [{"id": "greet", "type": "message", "template": "Hello {{city}}"},
            {"id": "ask", "type": "question", "question": "Which day in {{city}}?"},
            {"id": "confirm", "type": "message", "template": "Booked: {{city}} on {{ask}}."}],
  "outputs": [{"name": "city", "type": "string", "value": "{{city}}"},
              {"name": "day", "type": "string", "value": "{{ask}}"}]})";
// No question: runs to its end in one call.
constexpr const char* kGreeting = R"({
  "inputs": [{"name": "name", "type": "string", "required": true}],
  "nodes": [{"id": "greet", "type": "template", "template": "Hello, {{name}}!"}],
  "outputs": [{"name": "output", "type": "string", "value": "{{greet}}"}]})";

const std::vector<std::string> kWorkflowPoints = {"run", "listRunHistory", "listWorkflow",
                                                  "getMetaData", "listApp"};

class SdkWorkflow : public SharedWorld<SdkWorkflow> {
 public:
  static void TearDownTestSuite() {
    Slot().reset();
    SharedWorld<SdkWorkflow>::TearDownTestSuite();
  }

 protected:
  struct Fixture {
    std::string app_id, booking, greeting, unpublished;
    std::string token, no_run_token;  // PATs with and without `run`
  };
  static std::unique_ptr<Fixture>& Slot() {
    static std::unique_ptr<Fixture> f;
    return f;
  }
  static std::string CreateWorkflow(const std::string& name, const char* definition, bool publish,
                                    const std::string& app = "") {
    const std::string file = (server().dir() / (name + ".json")).string();
    std::ofstream(file) << definition;
    std::vector<std::string> args = {"workflow", "create", "--workspace",  world().workspace_id,
                                     "--name",   name,     "--definition", file};
    if (publish) args.push_back("--publish");
    if (!app.empty()) args.insert(args.end(), {"--app-project", app});
    return scenario().cli().Must(args).Str({"id", "workflow_id"});
  }
  static Fixture& F() {
    auto& f = Slot();
    if (!f) {
      auto made = std::make_unique<Fixture>();
      made->app_id = scenario()
                         .cli()
                         .Must({"app-project", "create", "--workspace", world().workspace_id,
                                "--name", "Bookings"})
                         .Str({"id", "app_id"});
      made->booking = CreateWorkflow("booking", kBooking, true, made->app_id);
      made->greeting = CreateWorkflow("greeting", kGreeting, true);
      made->unpublished = CreateWorkflow("draft", kGreeting, false);
      made->token = scenario()
                        .CreatePat(world().user.id,
                                   {.name = "workflows", .workspace_permissions = kWorkflowPoints})
                        .token;
      std::vector<std::string> without_run(kWorkflowPoints.begin() + 1, kWorkflowPoints.end());
      made->no_run_token =
          scenario()
              .CreatePat(world().user.id, {.name = "no-run", .workspace_permissions = without_run})
              .token;
      f = std::move(made);
    }
    return *f;
  }
  static std::unique_ptr<coze::Client> Sdk(std::shared_ptr<coze::Auth> auth = nullptr) {
    if (!auth) auth = std::make_shared<coze::TokenAuth>(F().token);
    return std::make_unique<coze::Client>(coze::ClientOptions{
        .base_url = server().base_url(), .auth = std::move(auth), .timeout = 20s});
  }
  // Retries `f` while it fails: the CLI's writes reach the server within 200 ms. The deadline
  // only bounds a failure.
  template <typename Fn>
  static auto Eventually(Fn f) {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    for (;;) {
      auto r = f();
      if (r || std::chrono::steady_clock::now() > deadline) return r;
      std::this_thread::sleep_for(50ms);
    }
  }
  static json::object Parse(const std::string& text) { return json::parse(text).as_object(); }
};

TEST_F(SdkWorkflow, SyncRunReturnsTheOutput) {
  auto client = Sdk();
  auto run = Eventually([&] {
    return client->workflows().runs().Create(
        {.workflow_id = F().greeting, .parameters = {{"name", "Ada"}}});
  });
  ASSERT_TRUE(run) << run.Describe();
  EXPECT_EQ(Parse(run->data), (json::object{{"output", "Hello, Ada!"}}));
  EXPECT_FALSE(run->execute_id.empty());
  EXPECT_FALSE(run->interrupt);
  ASSERT_TRUE(run->usage);
}

TEST_F(SdkWorkflow, AsyncRunThenHistory) {
  auto client = Sdk();
  auto run = Eventually([&] {
    return client->workflows().runs().Create(
        {.workflow_id = F().greeting, .parameters = {{"name", "Bo"}}, .is_async = true});
  });
  ASSERT_TRUE(run) << run.Describe();
  ASSERT_FALSE(run->execute_id.empty());
  EXPECT_TRUE(run->data.empty());
  // The run finishes on the server's own time: wait for its history to leave Running.
  coze::Result<std::vector<coze::WorkflowRunHistory>> history = coze::Error{};
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  do {
    history = client->workflows().runs().History(F().greeting, run->execute_id);
    if (!history || history->empty() || history->front().execute_status != "Running") break;
    std::this_thread::sleep_for(50ms);
  } while (std::chrono::steady_clock::now() < deadline);
  ASSERT_TRUE(history) << history.Describe();
  ASSERT_EQ(history->size(), 1u);
  const auto& h = history->front();
  EXPECT_EQ(h.execute_id, run->execute_id);
  EXPECT_EQ(h.execute_status, "Success");
  EXPECT_EQ(h.run_mode, 2);
  EXPECT_EQ(Parse(h.output), (json::object{{"output", "Hello, Bo!"}}));
}

TEST_F(SdkWorkflow, StreamInterruptsAndResumeFinishes) {
  auto client = Sdk();
  auto& runs = client->workflows().runs();
  std::vector<coze::WorkflowEvent> events;
  auto collect = [&](const coze::WorkflowEvent& e) {
    events.push_back(e);
    return true;
  };
  auto end = Eventually([&] {
    events.clear();
    return runs.Stream({.workflow_id = F().booking, .parameters = {{"city", "Paris"}}}, collect);
  });
  ASSERT_TRUE(end) << end.Describe();
  ASSERT_TRUE(end->interrupt);
  EXPECT_EQ(end->interrupt->data, "Which day in Paris?");
  ASSERT_EQ(events.size(), 3u) << "Message, Interrupt, Done";
  EXPECT_EQ(events[0].id, 0);
  ASSERT_TRUE(events[0].message);
  EXPECT_EQ(events[0].message->content, "Hello Paris");
  EXPECT_EQ(events[1].id, 1);
  EXPECT_EQ(events[1].event, coze::workflow_event::kInterrupt);
  EXPECT_TRUE(events[2].IsDone());

  events.clear();
  const coze::WorkflowResumeRequest resume{.workflow_id = F().booking,
                                           .event_id = end->interrupt->event_id,
                                           .resume_data = "Friday",
                                           .interrupt_type = end->interrupt->type};
  auto done = runs.Resume(resume, collect);
  ASSERT_TRUE(done) << done.Describe();
  EXPECT_FALSE(done->interrupt);
  ASSERT_GE(events.size(), 3u);
  ASSERT_TRUE(events[0].message);
  EXPECT_EQ(events[0].message->content, "Booked: Paris on Friday.");
  ASSERT_TRUE(events[1].message);
  EXPECT_EQ(Parse(events[1].message->content),
            (json::object{{"city", "Paris"}, {"day", "Friday"}}));
  EXPECT_TRUE(events.back().IsDone());

  // The interrupt was consumed: resuming it again is refused before any stream starts.
  auto again = runs.Resume(resume, collect);
  ASSERT_FALSE(again);
  EXPECT_TRUE(again.error().code == 4314 || again.error().code == 4315) << again.Describe();
}

TEST_F(SdkWorkflow, WorkflowChatStreamsAChat) {
  auto client = Sdk();
  std::string text;
  auto chat = Eventually([&] {
    text.clear();
    return client->workflows().chat().Stream(
        {.workflow_id = F().greeting,
         .additional_messages = {{.content = "hi"}},
         .parameters = {{"name", "Cy"}}},
        [&](const coze::ChatEvent& e) {
          if (e.event == coze::chat_event::kMessageDelta && e.message) text += e.message->content;
          return true;
        });
  });
  ASSERT_TRUE(chat) << chat.Describe();
  EXPECT_EQ(chat->status, "completed");
  EXPECT_NE(text.find("Hello, Cy!"), std::string::npos) << text;
}

TEST_F(SdkWorkflow, ListsGetAndApps) {
  auto client = Sdk();
  auto list = Eventually([&] {
    return client->workflows().List({.workspace_id = world().workspace_id, .page = {1, 50}});
  });
  ASSERT_TRUE(list) << list.Describe();
  std::set<std::string> ids;
  for (const auto& w : list->items) ids.insert(w.workflow_id);
  EXPECT_TRUE(ids.contains(F().booking) && ids.contains(F().greeting));
  auto got = client->workflows().Get(F().booking);
  ASSERT_TRUE(got) << got.Describe();
  EXPECT_EQ(got->workflow_name, "booking");
  EXPECT_EQ(got->app_id, F().app_id);
  auto apps = client->apps().List({.workspace_id = world().workspace_id});
  ASSERT_TRUE(apps) << apps.Describe();
  ASSERT_EQ(apps->items.size(), 1u);
  EXPECT_EQ(apps->items[0].id, F().app_id);
  EXPECT_EQ(apps->items[0].name, "Bookings");
  EXPECT_TRUE(apps->items[0].is_published);
}

TEST_F(SdkWorkflow, NotFoundStateAndPermissionCodes) {
  auto client = Sdk();
  ASSERT_TRUE(Eventually([&] { return client->workflows().Get(F().greeting); }));
  auto unknown = client->workflows().runs().Create({.workflow_id = "1234567890123"});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, 4200) << unknown.Describe();
  auto no_execution = client->workflows().runs().History(F().greeting, "1234567890123");
  ASSERT_FALSE(no_execution);
  EXPECT_EQ(no_execution.error().code, 4314) << no_execution.Describe();
  auto draft = client->workflows().runs().Create(
      {.workflow_id = F().unpublished, .parameters = {{"name", "x"}}});
  ASSERT_FALSE(draft);
  EXPECT_NE(draft.error().code, 0);

  auto denied =
      Sdk(std::make_shared<coze::TokenAuth>(F().no_run_token))
          ->workflows()
          .runs()
          .Stream({.workflow_id = F().booking, .parameters = {{"city", "Oslo"}}}, nullptr);
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, 4101) << denied.Describe();
}

TEST_F(SdkWorkflow, FailoverFallsBackToTheCredentialThatMayRunAndLearnsTheWorkflow) {
  ASSERT_TRUE(Eventually([&] { return Sdk()->workflows().Get(F().greeting); }));
  auto chain = std::make_shared<coze::FailoverAuth>(std::vector<coze::FailoverCredential>{
      {"no-run", std::make_shared<coze::TokenAuth>(F().no_run_token)},
      {"run", std::make_shared<coze::TokenAuth>(F().token)}});
  auto client = Sdk(chain);
  auto run = client->workflows().runs().Create(
      {.workflow_id = F().greeting, .parameters = {{"name", "Di"}}});
  ASSERT_TRUE(run) << run.Describe();
  EXPECT_EQ(chain->Learned("workflow:" + F().greeting), 1u);
  auto end = client->workflows().runs().Stream(
      {.workflow_id = F().greeting, .parameters = {{"name", "Ed"}}}, nullptr);
  ASSERT_TRUE(end) << end.Describe();
  const auto stats = chain->Stats();
  EXPECT_EQ(stats[0].fallbacks, 1u) << "the second call went straight to the learned credential";
  EXPECT_EQ(stats[1].successes, 2u);
}

}  // namespace
}  // namespace cozeauth::it
