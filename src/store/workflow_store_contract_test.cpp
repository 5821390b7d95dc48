// The storage contract of WorkflowStore (workflow_store.hpp): app projects, workflows, their
// lists and counts, and workflow executions with the exactly-once resume. Written against the
// interface so that every backend runs it; each TEST_P runs on an in-memory database and on a
// file (WAL, reader pool).

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "store/contract_test_rows.hpp"
#include "store/contract_test_support.hpp"
#include "store/store.hpp"

namespace cozeauth {
namespace store {
namespace {

using namespace contract;  // NOLINT(google-build-using-namespace): the suite's vocabulary
using domain::ExecutionStatus;

auto WorkflowFields(const domain::Workflow& w) {
  return std::tie(w.id, w.workspace_id, w.app_id, w.name, w.description, w.definition_json,
                  w.is_published, w.published_at, w.creator_user_id, w.created_at, w.updated_at);
}
auto AppFields(const domain::AppProject& a) {
  return std::tie(a.id, a.workspace_id, a.name, a.description, a.creator_user_id, a.created_at,
                  a.updated_at, a.has_published_workflow);
}
auto ExecutionFields(const domain::WorkflowExecution& e) {
  return std::tie(e.id, e.workflow_id, e.workspace_id, e.token_id, e.credential_kind, e.account_id,
                  e.status, e.is_async, e.output, e.interrupt_event_id, e.interrupt_node,
                  e.interrupt_state, e.error_code, e.error_message, e.input_count, e.output_count,
                  e.created_at, e.updated_at);
}

domain::AppProject MakeApp(const std::string& id, const std::string& workspace, int64_t at) {
  return {id, workspace, "app " + id, "an app", "1001", at, at, false};
}

domain::Workflow MakeWorkflow(const std::string& id, const std::string& workspace,
                              const std::string& app, bool published, int64_t at) {
  domain::Workflow w;
  w.id = id;
  w.workspace_id = workspace;
  w.app_id = app;
  w.name = "wf " + id;
  w.description = "d";
  w.definition_json = R"({"inputs":[],"nodes":[],"outputs":[]})";
  w.is_published = published;
  w.published_at = published ? at : 0;
  w.creator_user_id = "1001";
  w.created_at = at;
  w.updated_at = at;
  return w;
}

domain::WorkflowExecution MakeExecution(const std::string& id, const std::string& workflow,
                                        ExecutionStatus status) {
  domain::WorkflowExecution e;
  e.id = id;
  e.workflow_id = workflow;
  e.workspace_id = "3001";
  e.token_id = "4001";
  e.credential_kind = "pat";
  e.account_id = "1001";
  e.status = status;
  e.created_at = 1'700'000'100;
  e.updated_at = 1'700'000'100;
  return e;
}

// An execution waiting at event `event` with runtime state `state`.
domain::WorkflowExecution Interrupted(const std::string& id, const std::string& event) {
  domain::WorkflowExecution e = MakeExecution(id, "7001", ExecutionStatus::kInterrupted);
  e.interrupt_event_id = event;
  e.interrupt_node = "ask";
  e.interrupt_state = R"({"at":1})";
  return e;
}

class WorkflowContract : public TenancySeededContractTest<WorkflowStore> {
 protected:
  void Seed() override {
    SeedTenancy();
    ASSERT_OK(store().CreateWorkflow(MakeWorkflow("7001", "3001", "", true, 1'700'000'050)));
  }
};

COZEAUTH_STORE_CONTRACT(WorkflowContract);

TEST_P(WorkflowContract, CreatesAndGetsEachEntity) {
  const domain::AppProject app = MakeApp("6001", "3001", 1'700'000'060);
  ASSERT_OK(store().CreateAppProject(app));
  EXPECT_EQ(AppFields(VALUE(store().GetAppProject("6001"))), AppFields(app));

  const domain::Workflow wf = MakeWorkflow("7002", "3001", "6001", false, 1'700'000'070);
  ASSERT_OK(store().CreateWorkflow(wf));
  EXPECT_EQ(WorkflowFields(VALUE(store().GetWorkflow("7002"))), WorkflowFields(wf));

  domain::WorkflowExecution e = Interrupted("8001", "8001/1");
  e.is_async = true;
  e.output = "{}";
  e.error_code = 4000;
  e.error_message = "m";
  e.input_count = 3;
  e.output_count = 4;
  ASSERT_OK(store().CreateExecution(e));
  EXPECT_EQ(ExecutionFields(VALUE(store().GetExecution("8001"))), ExecutionFields(e));
}

TEST_P(WorkflowContract, MissingRowsAreNotFound) {
  ExpectNotFound({
      {"GetAppProject", [&] { return CodeOf(store().GetAppProject("6999")); }},
      {"GetWorkflow", [&] { return CodeOf(store().GetWorkflow("7999")); }},
      {"UpdateWorkflow",
       [&] { return CodeOf(store().UpdateWorkflow(MakeWorkflow("7999", "3001", "", true, 1))); }},
      {"GetExecution", [&] { return CodeOf(store().GetExecution("8999")); }},
      {"FinishExecution",
       [&] {
         return CodeOf(
             store().FinishExecution(MakeExecution("8999", "7001", ExecutionStatus::kSuccess)));
       }},
      {"ConsumeInterrupt", [&] { return CodeOf(store().ConsumeInterrupt("8999", "e", 1)); }},
      // Foreign keys: a workflow and an app need their workspace, an execution its workflow.
      {"CreateWorkflowUnknownWorkspace",
       [&] { return CodeOf(store().CreateWorkflow(MakeWorkflow("7998", "3999", "", true, 1))); }},
      {"CreateAppUnknownWorkspace",
       [&] { return CodeOf(store().CreateAppProject(MakeApp("6998", "3999", 1))); }},
      {"CreateExecutionUnknownWorkflow",
       [&] {
         return CodeOf(
             store().CreateExecution(MakeExecution("8998", "7999", ExecutionStatus::kRunning)));
       }},
  });
}

TEST_P(WorkflowContract, DuplicateIdsAreRejected) {
  ASSERT_OK(store().CreateAppProject(MakeApp("6001", "3001", 1)));
  ASSERT_OK(store().CreateExecution(MakeExecution("8001", "7001", ExecutionStatus::kRunning)));
  ExpectAlreadyExists(
      {{"workflow", store().CreateWorkflow(MakeWorkflow("7001", "3001", "", false, 2))},
       {"app", store().CreateAppProject(MakeApp("6001", "3001", 2))},
       {"execution",
        store().CreateExecution(MakeExecution("8001", "7001", ExecutionStatus::kRunning))}},
      "no-secret");
}

TEST_P(WorkflowContract, UpdateReplacesMutableFieldsOnly) {
  domain::Workflow changed = MakeWorkflow("7001", "3002", "6001", false, 1'700'000'999);
  changed.name = "renamed";
  changed.definition_json = R"({"inputs":[],"nodes":[],"outputs":[{"name":"x","value":"1"}]})";
  changed.creator_user_id = "1002";
  ASSERT_OK(store().UpdateWorkflow(changed));
  const domain::Workflow got = VALUE(store().GetWorkflow("7001"));
  EXPECT_EQ(got.name, "renamed");
  EXPECT_EQ(got.definition_json, changed.definition_json);
  EXPECT_EQ(got.app_id, "6001");
  EXPECT_FALSE(got.is_published);
  EXPECT_EQ(got.updated_at, 1'700'000'999);
  // Identity, ownership and creation stay.
  EXPECT_EQ(got.workspace_id, "3001");
  EXPECT_EQ(got.creator_user_id, "1001");
  EXPECT_EQ(got.created_at, 1'700'000'050);
}

TEST_P(WorkflowContract, ListsFilterPageAndCount) {
  ASSERT_OK(store().CreateAppProject(MakeApp("6001", "3001", 10)));
  ASSERT_OK(store().CreateAppProject(MakeApp("6002", "3001", 11)));
  ASSERT_OK(store().CreateAppProject(MakeApp("6003", "3002", 12)));
  ASSERT_OK(store().CreateWorkflow(MakeWorkflow("7002", "3001", "6001", false, 1'700'000'060)));
  ASSERT_OK(store().CreateWorkflow(MakeWorkflow("7003", "3001", "6001", true, 1'700'000'070)));
  ASSERT_OK(store().CreateWorkflow(MakeWorkflow("7004", "3002", "", true, 1'700'000'080)));

  auto ids = [](const auto& paged) {
    std::vector<std::string> out;
    for (const auto& item : paged.items) out.push_back(item.id);
    return out;
  };
  const auto all = VALUE(store().ListWorkflows({"3001", std::nullopt, ""}, {1, 20}));
  EXPECT_EQ(ids(all), (std::vector<std::string>{"7001", "7002", "7003"}));
  EXPECT_EQ(all.total, 3);
  EXPECT_FALSE(all.has_more);
  EXPECT_EQ(ids(VALUE(store().ListWorkflows({"3001", true, ""}, {1, 20}))),
            (std::vector<std::string>{"7001", "7003"}));
  EXPECT_EQ(ids(VALUE(store().ListWorkflows({"3001", false, ""}, {1, 20}))),
            (std::vector<std::string>{"7002"}));
  EXPECT_EQ(ids(VALUE(store().ListWorkflows({"3001", std::nullopt, "6001"}, {1, 20}))),
            (std::vector<std::string>{"7002", "7003"}));
  const auto page2 = VALUE(store().ListWorkflows({"3001", std::nullopt, ""}, {2, 2}));
  EXPECT_EQ(ids(page2), (std::vector<std::string>{"7003"}));
  EXPECT_EQ(page2.total, 3);
  const auto page1 = VALUE(store().ListWorkflows({"3001", std::nullopt, ""}, {1, 2}));
  EXPECT_TRUE(page1.has_more);

  const auto apps = VALUE(store().ListAppProjects("3001", {1, 20}));
  EXPECT_EQ(ids(apps), (std::vector<std::string>{"6001", "6002"}));
  EXPECT_EQ(apps.total, 2);
  // An app counts as published while it holds a published workflow.
  EXPECT_TRUE(apps.items[0].has_published_workflow);
  EXPECT_FALSE(apps.items[1].has_published_workflow);

  EXPECT_EQ(VALUE(store().CountWorkflows("3001")), 3);
  EXPECT_EQ(VALUE(store().CountWorkflows("3002")), 1);
  EXPECT_EQ(VALUE(store().CountAppProjects("3001")), 2);
  EXPECT_EQ(VALUE(store().CountAppProjects("3999")), 0);
}

TEST_P(WorkflowContract, FinishWritesOnlyARunningExecution) {
  ASSERT_OK(store().CreateExecution(MakeExecution("8001", "7001", ExecutionStatus::kRunning)));
  domain::WorkflowExecution done = MakeExecution("8001", "7001", ExecutionStatus::kSuccess);
  done.output = R"({"output":"hi"})";
  done.input_count = 2;
  done.output_count = 1;
  done.updated_at = 1'700'000'200;
  ASSERT_OK(store().FinishExecution(done));
  EXPECT_EQ(ExecutionFields(VALUE(store().GetExecution("8001"))), ExecutionFields(done));

  // A second outcome for a finished run is refused and changes nothing.
  domain::WorkflowExecution again = done;
  again.status = ExecutionStatus::kFail;
  EXPECT_EQ(CodeOf(store().FinishExecution(again)), Errc::kWorkflowExecutionFinished);
  EXPECT_EQ(VALUE(store().GetExecution("8001")).status, ExecutionStatus::kSuccess);
}

TEST_P(WorkflowContract, ConsumeInterruptResumesOnce) {
  ASSERT_OK(store().CreateExecution(Interrupted("8001", "8001/1")));
  // The wrong event does not resume and leaves the execution waiting.
  EXPECT_EQ(CodeOf(store().ConsumeInterrupt("8001", "8001/2", 5)),
            Errc::kWorkflowExecutionFinished);
  EXPECT_EQ(VALUE(store().GetExecution("8001")).status, ExecutionStatus::kInterrupted);

  const domain::WorkflowExecution resumed =
      VALUE(store().ConsumeInterrupt("8001", "8001/1", 1'700'000'300));
  EXPECT_EQ(resumed.status, ExecutionStatus::kRunning);
  EXPECT_EQ(resumed.interrupt_state, R"({"at":1})");
  EXPECT_EQ(resumed.interrupt_node, "ask");
  EXPECT_EQ(resumed.updated_at, 1'700'000'300);
  // The same event again: already consumed.
  EXPECT_EQ(CodeOf(store().ConsumeInterrupt("8001", "8001/1", 6)),
            Errc::kWorkflowExecutionFinished);

  // Interrupted again at a new event: that one resumes, the old one still does not.
  domain::WorkflowExecution again = Interrupted("8001", "8001/2");
  ASSERT_OK(store().FinishExecution(again));
  EXPECT_EQ(CodeOf(store().ConsumeInterrupt("8001", "8001/1", 7)),
            Errc::kWorkflowExecutionFinished);
  EXPECT_OK(store().ConsumeInterrupt("8001", "8001/2", 8));
}

TEST_P(WorkflowContract, ConcurrentResumesOfOneEventSucceedOnce) {
  constexpr int kRounds = 10;
  constexpr int kThreads = 4;
  for (int round = 0; round < kRounds; ++round) {
    const std::string id = "81" + std::to_string(round);
    ASSERT_OK(store().CreateExecution(Interrupted(id, id + "/1")));
    std::atomic<int> won{0};
    std::atomic<int> finished{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&] {
        auto r = store().ConsumeInterrupt(id, id + "/1", 9);
        if (r.has_value()) {
          won.fetch_add(1);
        } else if (r.error().code == Errc::kWorkflowExecutionFinished) {
          finished.fetch_add(1);
        }
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(won.load(), 1) << "round " << round;
    EXPECT_EQ(finished.load(), kThreads - 1) << "round " << round;
  }
}

TEST_P(WorkflowContract, WritesDoNotBumpTheAuthEpoch) {
  ExpectEpochMoves(
      backend(),
      {{"CreateAppProject", [&] { return store().CreateAppProject(MakeApp("6001", "3001", 1)); },
        false},
       {"CreateWorkflow",
        [&] { return store().CreateWorkflow(MakeWorkflow("7002", "3001", "", false, 1)); }, false},
       {"UpdateWorkflow",
        [&] { return store().UpdateWorkflow(MakeWorkflow("7002", "3001", "", true, 2)); }, false},
       {"CreateExecution", [&] { return store().CreateExecution(Interrupted("8001", "e1")); },
        false},
       {"ConsumeInterrupt",
        [&]() -> Status {
          auto r = store().ConsumeInterrupt("8001", "e1", 3);
          if (!r) return r.error();
          return {};
        },
        false},
       {"FinishExecution",
        [&] {
          return store().FinishExecution(MakeExecution("8001", "7001", ExecutionStatus::kSuccess));
        },
        false}});
}

}  // namespace
}  // namespace store
}  // namespace cozeauth
