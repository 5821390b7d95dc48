// SqlStore: workflows, app projects and workflow executions (store/workflow_store.hpp).
#include "store/sql/codec.hpp"
#include "store/sql/sql_store.hpp"

namespace cozeauth::store::sql {
namespace {

using domain::ExecutionStatus;

constexpr char kInsertApp[] =
    "INSERT INTO app_projects (id, workspace_id, name, description, creator_user_id, "
    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr char kSelectApp[] =
    "SELECT a.id, a.workspace_id, a.name, a.description, a.creator_user_id, a.created_at, "
    "a.updated_at, EXISTS (SELECT 1 FROM workflows w WHERE w.app_id = a.id AND "
    "w.is_published = 1) FROM app_projects a WHERE a.id = ?";
constexpr char kCountApps[] = "SELECT COUNT(*) FROM app_projects WHERE workspace_id = ?";
constexpr char kListApps[] =
    "SELECT a.id, a.workspace_id, a.name, a.description, a.creator_user_id, a.created_at, "
    "a.updated_at, EXISTS (SELECT 1 FROM workflows w WHERE w.app_id = a.id AND "
    "w.is_published = 1) FROM app_projects a WHERE a.workspace_id = ? "
    "ORDER BY a.created_at, a.id LIMIT ? OFFSET ?";

constexpr char kInsertWorkflow[] =
    "INSERT INTO workflows (id, workspace_id, app_id, name, description, definition_json, "
    "is_published, published_at, creator_user_id, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kSelectWorkflow[] =
    "SELECT id, workspace_id, app_id, name, description, definition_json, is_published, "
    "published_at, creator_user_id, created_at, updated_at FROM workflows WHERE id = ?";
constexpr char kUpdateWorkflow[] =
    "UPDATE workflows SET app_id = ?, name = ?, description = ?, definition_json = ?, "
    "is_published = ?, published_at = ?, updated_at = ? WHERE id = ?";
// ?2: the published filter (-1 all, else 0/1); ?3: the app filter ('' = any).
constexpr char kCountWorkflows[] =
    "SELECT COUNT(*) FROM workflows WHERE workspace_id = ?1 AND (?2 < 0 OR is_published = ?2) "
    "AND (?3 = '' OR app_id = ?3)";
constexpr char kListWorkflows[] =
    "SELECT id, workspace_id, app_id, name, description, definition_json, is_published, "
    "published_at, creator_user_id, created_at, updated_at FROM workflows "
    "WHERE workspace_id = ?1 AND (?2 < 0 OR is_published = ?2) AND (?3 = '' OR app_id = ?3) "
    "ORDER BY created_at, id LIMIT ?4 OFFSET ?5";
constexpr char kCountAllWorkflows[] = "SELECT COUNT(*) FROM workflows WHERE workspace_id = ?";

constexpr char kInsertExecution[] =
    "INSERT INTO workflow_executions (id, workflow_id, workspace_id, token_id, credential_kind, "
    "account_id, status, is_async, output, interrupt_event_id, interrupt_node, interrupt_state, "
    "error_code, error_message, input_count, output_count, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kSelectExecution[] =
    "SELECT id, workflow_id, workspace_id, token_id, credential_kind, account_id, status, "
    "is_async, output, interrupt_event_id, interrupt_node, interrupt_state, error_code, "
    "error_message, input_count, output_count, created_at, updated_at "
    "FROM workflow_executions WHERE id = ?";
constexpr char kFinishExecution[] =
    "UPDATE workflow_executions SET status = ?, output = ?, interrupt_event_id = ?, "
    "interrupt_node = ?, interrupt_state = ?, error_code = ?, error_message = ?, "
    "input_count = ?, output_count = ?, updated_at = ? WHERE id = ? AND status = 'Running'";
constexpr char kConsumeInterrupt[] =
    "UPDATE workflow_executions SET status = 'Running', updated_at = ? "
    "WHERE id = ? AND status = 'Interrupted' AND interrupt_event_id = ?";
constexpr char kCountExecution[] = "SELECT COUNT(*) FROM workflow_executions WHERE id = ?";

Result<domain::AppProject> AppFromRow(Statement& r) {
  domain::AppProject a;
  a.id = r.Text(0);
  a.workspace_id = r.Text(1);
  a.name = r.Text(2);
  a.description = r.Text(3);
  a.creator_user_id = r.Text(4);
  a.created_at = r.Int(5);
  a.updated_at = r.Int(6);
  a.has_published_workflow = r.Bool(7);
  return a;
}

Result<domain::Workflow> WorkflowFromRow(Statement& r) {
  domain::Workflow w;
  w.id = r.Text(0);
  w.workspace_id = r.Text(1);
  w.app_id = r.Text(2);
  w.name = r.Text(3);
  w.description = r.Text(4);
  w.definition_json = r.Text(5);
  w.is_published = r.Bool(6);
  w.published_at = r.Int(7);
  w.creator_user_id = r.Text(8);
  w.created_at = r.Int(9);
  w.updated_at = r.Int(10);
  return w;
}

Result<domain::WorkflowExecution> ExecutionFromRow(Statement& r) {
  domain::WorkflowExecution e;
  e.id = r.Text(0);
  e.workflow_id = r.Text(1);
  e.workspace_id = r.Text(2);
  e.token_id = r.Text(3);
  e.credential_kind = r.Text(4);
  e.account_id = r.Text(5);
  auto status = ParseColumn(domain::ParseExecutionStatus(r.TextView(6)), "status");
  if (!status) return status.error();
  e.status = *status;
  e.is_async = r.Bool(7);
  e.output = r.Text(8);
  e.interrupt_event_id = r.Text(9);
  e.interrupt_node = r.Text(10);
  e.interrupt_state = r.Text(11);
  e.error_code = static_cast<int>(r.Int(12));
  e.error_message = r.Text(13);
  e.input_count = r.Int(14);
  e.output_count = r.Int(15);
  e.created_at = r.Int(16);
  e.updated_at = r.Int(17);
  return e;
}

Error Finished(const std::string& id) {
  return Error::Make(Errc::kWorkflowExecutionFinished,
                     "workflow execution " + id + " is not waiting for this resume");
}

// After a conditional update changed nothing: kNotFound if the execution is missing, else
// kWorkflowExecutionFinished.
Status MissingOrFinished(Connection& c, const std::string& id, const char* what) {
  auto st = c.Prepare(kCountExecution, what);
  if (!st) return st.error();
  auto count = FetchInt(st->Bind(id));
  if (!count) return count.error();
  if (*count == 0) return NotFound("workflow execution", id);
  return Finished(id);
}

}  // namespace

// --- app projects

Status SqlStore::CreateAppProject(const domain::AppProject& app) {
  return Write(Epoch::kKeep, [&](Connection& c) -> Status {
    auto st = c.Prepare(kInsertApp, "create app project");
    if (!st) return st.error();
    return st->Bind(app.id)
        .Bind(app.workspace_id)
        .Bind(app.name)
        .Bind(app.description)
        .Bind(app.creator_user_id)
        .Bind(app.created_at)
        .Bind(app.updated_at)
        .Run();
  });
}

Result<domain::AppProject> SqlStore::GetAppProject(const std::string& id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectApp, "get app project");
  if (!st) return st.error();
  return FetchOne<domain::AppProject>(st->Bind(id), AppFromRow,
                                      [&] { return NotFound("app project", id); });
}

Result<Paged<domain::AppProject>> SqlStore::ListAppProjects(const std::string& workspace_id,
                                                            Page page) {
  const Window window = ToWindow(page);
  ReadLease lease(*this);
  if (Status st = lease.Snapshot(); !st) return st.error();
  Paged<domain::AppProject> out;
  {
    auto st = lease.Prepare(kCountApps, "count app projects");
    if (!st) return st.error();
    auto total = FetchInt(st->Bind(workspace_id));
    if (!total) return total.error();
    out.total = *total;
  }
  auto st = lease.Prepare(kListApps, "list app projects");
  if (!st) return st.error();
  st->Bind(workspace_id).Bind(window.limit).Bind(window.offset);
  auto items = FetchAll<domain::AppProject>(*st, AppFromRow);
  if (!items) return items.error();
  out.items = std::move(items).value();
  out.has_more = HasMore(page, out.total);
  return out;
}

Result<int64_t> SqlStore::CountAppProjects(const std::string& workspace_id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kCountApps, "count app projects");
  if (!st) return st.error();
  return FetchInt(st->Bind(workspace_id));
}

// --- workflows

Status SqlStore::CreateWorkflow(const domain::Workflow& w) {
  return Write(Epoch::kKeep, [&](Connection& c) -> Status {
    auto st = c.Prepare(kInsertWorkflow, "create workflow");
    if (!st) return st.error();
    return st->Bind(w.id)
        .Bind(w.workspace_id)
        .Bind(w.app_id)
        .Bind(w.name)
        .Bind(w.description)
        .Bind(w.definition_json)
        .Bind(w.is_published)
        .Bind(w.published_at)
        .Bind(w.creator_user_id)
        .Bind(w.created_at)
        .Bind(w.updated_at)
        .Run();
  });
}

Result<domain::Workflow> SqlStore::GetWorkflow(const std::string& id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectWorkflow, "get workflow");
  if (!st) return st.error();
  return FetchOne<domain::Workflow>(st->Bind(id), WorkflowFromRow,
                                    [&] { return NotFound("workflow", id); });
}

Status SqlStore::UpdateWorkflow(const domain::Workflow& w) {
  return Write(Epoch::kKeep, [&](Connection& c) -> Status {
    auto st = c.Prepare(kUpdateWorkflow, "update workflow");
    if (!st) return st.error();
    st->Bind(w.app_id)
        .Bind(w.name)
        .Bind(w.description)
        .Bind(w.definition_json)
        .Bind(w.is_published)
        .Bind(w.published_at)
        .Bind(w.updated_at)
        .Bind(w.id);
    return RunOnExisting(*st, [&] { return NotFound("workflow", w.id); });
  });
}

Result<Paged<domain::Workflow>> SqlStore::ListWorkflows(const WorkflowQuery& q, Page page) {
  const int64_t published = q.published ? (*q.published ? 1 : 0) : -1;
  const Window window = ToWindow(page);
  ReadLease lease(*this);
  if (Status st = lease.Snapshot(); !st) return st.error();
  Paged<domain::Workflow> out;
  {
    auto st = lease.Prepare(kCountWorkflows, "count workflows");
    if (!st) return st.error();
    auto total = FetchInt(st->Bind(q.workspace_id).Bind(published).Bind(q.app_id));
    if (!total) return total.error();
    out.total = *total;
  }
  auto st = lease.Prepare(kListWorkflows, "list workflows");
  if (!st) return st.error();
  st->Bind(q.workspace_id).Bind(published).Bind(q.app_id).Bind(window.limit).Bind(window.offset);
  auto items = FetchAll<domain::Workflow>(*st, WorkflowFromRow);
  if (!items) return items.error();
  out.items = std::move(items).value();
  out.has_more = HasMore(page, out.total);
  return out;
}

Result<int64_t> SqlStore::CountWorkflows(const std::string& workspace_id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kCountAllWorkflows, "count workflows");
  if (!st) return st.error();
  return FetchInt(st->Bind(workspace_id));
}

// --- executions

Status SqlStore::CreateExecution(const domain::WorkflowExecution& e) {
  const std::string_view status = domain::ToString(e.status);
  return Write(Epoch::kKeep, [&](Connection& c) -> Status {
    auto st = c.Prepare(kInsertExecution, "create workflow execution");
    if (!st) return st.error();
    return st->Bind(e.id)
        .Bind(e.workflow_id)
        .Bind(e.workspace_id)
        .Bind(e.token_id)
        .Bind(e.credential_kind)
        .Bind(e.account_id)
        .Bind(status)
        .Bind(e.is_async)
        .Bind(e.output)
        .Bind(e.interrupt_event_id)
        .Bind(e.interrupt_node)
        .Bind(e.interrupt_state)
        .Bind(e.error_code)
        .Bind(e.error_message)
        .Bind(e.input_count)
        .Bind(e.output_count)
        .Bind(e.created_at)
        .Bind(e.updated_at)
        .Run();
  });
}

Result<domain::WorkflowExecution> SqlStore::GetExecution(const std::string& id) {
  ReadLease lease(*this);
  auto st = lease.Prepare(kSelectExecution, "get workflow execution");
  if (!st) return st.error();
  return FetchOne<domain::WorkflowExecution>(st->Bind(id), ExecutionFromRow,
                                             [&] { return NotFound("workflow execution", id); });
}

Status SqlStore::FinishExecution(const domain::WorkflowExecution& e) {
  const std::string_view status = domain::ToString(e.status);
  return Write(Epoch::kKeep, [&](Connection& c) -> Status {
    {
      auto st = c.Prepare(kFinishExecution, "finish workflow execution");
      if (!st) return st.error();
      st->Bind(status)
          .Bind(e.output)
          .Bind(e.interrupt_event_id)
          .Bind(e.interrupt_node)
          .Bind(e.interrupt_state)
          .Bind(e.error_code)
          .Bind(e.error_message)
          .Bind(e.input_count)
          .Bind(e.output_count)
          .Bind(e.updated_at)
          .Bind(e.id);
      if (Status run = st->Run(); !run) return run;
      if (st->Changes() > 0) return {};
    }
    return MissingOrFinished(c, e.id, "finish workflow execution");
  });
}

Result<domain::WorkflowExecution> SqlStore::ConsumeInterrupt(const std::string& id,
                                                             const std::string& event_id,
                                                             int64_t now) {
  std::optional<domain::WorkflowExecution> out;
  Status written = Write(Epoch::kKeep, [&](Connection& c) -> Status {
    {
      auto st = c.Prepare(kConsumeInterrupt, "resume workflow execution");
      if (!st) return st.error();
      st->Bind(now).Bind(id).Bind(event_id);
      if (Status run = st->Run(); !run) return run;
      if (st->Changes() == 0) return MissingOrFinished(c, id, "resume workflow execution");
    }
    auto st = c.Prepare(kSelectExecution, "resume workflow execution");
    if (!st) return st.error();
    auto row = FetchOne<domain::WorkflowExecution>(
        st->Bind(id), ExecutionFromRow, [&] { return NotFound("workflow execution", id); });
    if (!row) return row.error();
    out = std::move(row).value();
    return {};
  });
  if (!written) return written.error();
  return std::move(*out);
}

}  // namespace cozeauth::store::sql
