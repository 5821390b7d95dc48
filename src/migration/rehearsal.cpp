#include "migration/rehearsal.hpp"

#include <algorithm>
#include <sstream>

#include "admin/audit.hpp"
#include "base/checked.hpp"
#include "credentials/token.hpp"

namespace cozeauth::migration {
namespace {

using credentials::TokenKind;

// The plan's identity of the credential that holds `token_id`: PATs and SATs are themselves,
// OAuth access tokens belong to the authorization (AppAuth) or consent (OBO) that issued them.
struct Identity {
  std::string kind;
  std::string id;
  std::string name;
  std::string app_id;
};

Identity IdentityOf(Env& env, const domain::RehearsalCount& n) {
  auto t = env.store.GetToken(n.token_id);
  if (!t) return {n.credential_kind, n.token_id, "", ""};
  switch (t->kind) {
    case TokenKind::kPat:
      return {"pat", t->id, t->name, ""};
    case TokenKind::kSat:
      return {"sat", t->id, t->name, ""};
    case TokenKind::kAppAccess:
      return {"app_auth", t->authorization_id, "", t->app_id};
    case TokenKind::kOboAccess:
      return {"obo", t->authorization_id, "", t->app_id};
  }
  return {n.credential_kind, n.token_id, "", ""};
}

Result<size_t> LiveOf(Env& env, const RehearseRequest& req) {
  auto live = env.store.ListLiveRehearsals(env.clock.NowSeconds());
  if (!live) return live.error();
  for (const auto& r : live.value()) {
    if (r.workspace_id == req.migration.workspace_id && r.mode == req.migration.mode) {
      return Error::BadRequest(
          "workspace", "rehearsal " + r.id + " of workspace " + r.workspace_id + " in " +
                           std::string(domain::ToString(r.mode)) + " mode is already running");
    }
  }
  return live->size();
}

}  // namespace

Result<domain::Rehearsal> StartRehearsal(Env& env, const RehearseRequest& req) {
  if (req.duration_seconds < 1 || req.duration_seconds > kMaxRehearsalSeconds) {
    return Error::BadRequest("for", "a rehearsal lasts from 1 second to 7 days");
  }
  // The one authorization check of the plan and the migration, and the same preconditions.
  auto plan = CheckMigrate(env, req.migration);
  if (!plan) return plan.error();
  auto live = LiveOf(env, req);
  if (!live) return live.error();
  if (live.value() >= kMaxLiveRehearsals) {
    return Error::BadRequest("for", "at most " + std::to_string(kMaxLiveRehearsals) +
                                        " rehearsals run at once; stop one first");
  }
  domain::Rehearsal r;
  r.id = env.ids.Next();
  r.workspace_id = plan->workspace_id;
  r.to_account_id = plan->to_account_id;
  r.enterprise_id = plan->enterprise_id;
  r.mode = req.migration.mode;
  r.actor_user_id = req.migration.actor_user_id;
  r.started_at = env.clock.NowSeconds();
  auto ends = CheckedAdd(r.started_at, req.duration_seconds);
  if (!ends) return Error::BadRequest("for", "the rehearsal would end after the end of time");
  r.ends_at = *ends;
  Status s = admin::Audited(
      env, [&] { return env.store.CreateRehearsal(r); }, "migration.rehearsal_started", "workspace",
      r.workspace_id,
      admin::AuditDetail()
          .Add("rehearsal_id", r.id)
          .Add("mode", domain::ToString(r.mode))
          .Add("to_account_id", r.to_account_id)
          .Add("ends_at", r.ends_at)
          .Json());
  if (!s) return s.error();
  return r;
}

Result<domain::Rehearsal> StopRehearsal(Env& env, const std::string& id) {
  const int64_t now = env.clock.NowSeconds();
  Status s = admin::Audited(
      env, [&] { return env.store.StopRehearsal(id, now); }, "migration.rehearsal_stopped",
      "rehearsal", id);
  if (!s) return s.error();
  return env.store.GetRehearsal(id);
}

Status MayManageRehearsal(const domain::Rehearsal& r, const std::string& user_id) {
  if (!user_id.empty() && r.actor_user_id == user_id) return {};
  return Error::Make(Errc::kPermissionDenied,
                     "only the user who started rehearsal " + r.id + " reads or stops it");
}

Result<RehearsalReport> MakeRehearsalReport(Env& env, const std::string& id) {
  auto r = env.store.GetRehearsal(id);
  if (!r) return r.error();
  auto counts = env.store.ListRehearsalCounts(id);
  if (!counts) return counts.error();
  RehearsalReport report;
  report.rehearsal = std::move(r).value();
  report.active = report.rehearsal.ActiveAt(env.clock.NowSeconds());

  // The plan's rows name the credentials that reach the workspace today and their coverage; a
  // workspace already migrated has no plan left (its rows keep their counts).
  std::map<std::pair<std::string, std::string>, RehearsalRow> rows;
  auto plan = MakePlan(env, report.rehearsal.workspace_id, report.rehearsal.to_account_id);
  if (plan) {
    for (const auto& p : plan->credentials) {
      RehearsalRow& row = rows[{p.kind, p.id}];
      row.kind = p.kind;
      row.id = p.id;
      row.name = p.name;
      row.in_plan = true;
      row.covered = p.covered;
      row.coverage = p.coverage;
    }
  } else {
    report.plan_error = plan.error().message;
  }
  std::map<std::string, Identity> identities;  // by token id
  for (const auto& n : counts.value()) {
    auto it = identities.find(n.token_id);
    if (it == identities.end()) it = identities.emplace(n.token_id, IdentityOf(env, n)).first;
    const Identity& who = it->second;
    RehearsalRow& row = rows[{who.kind, who.id}];
    if (row.id.empty()) {
      row.kind = who.kind;
      row.id = who.id;
      row.name = who.name;
      if (row.name.empty() && !who.app_id.empty()) {
        if (auto app = env.store.GetOAuthApp(who.app_id)) row.name = app->name;
      }
    }
    row.requests += n.count;
    if (n.real_code != 0) row.real_denied += n.count;
    if (n.shadow_code != 0) {
      row.would_fail += n.count;
      row.would_fail_by_code[n.shadow_code] += n.count;
    }
    report.requests += n.count;
    if (n.shadow_code != 0) report.would_fail += n.count;
  }
  for (auto& [key, row] : rows) report.credentials.push_back(std::move(row));
  std::stable_sort(report.credentials.begin(), report.credentials.end(),
                   [](const RehearsalRow& a, const RehearsalRow& b) {
                     if (a.would_fail != b.would_fail) return a.would_fail > b.would_fail;
                     return a.requests > b.requests;
                   });
  return report;
}

std::string RehearsalReportTable(const RehearsalReport& report) {
  const domain::Rehearsal& r = report.rehearsal;
  std::ostringstream out;
  out << "Rehearsal " << r.id << ": workspace " << r.workspace_id << " into organization "
      << r.to_account_id << " (" << r.enterprise_id << "), " << domain::ToString(r.mode)
      << " mode, " << (report.active ? "running" : (r.stopped_at ? "stopped" : "ended"))
      << " (started " << r.started_at << ", ends " << r.ends_at;
  if (r.stopped_at) out << ", stopped " << r.stopped_at;
  out << ")\nRequests seen: " << report.requests
      << "; would fail after the migration: " << report.would_fail << "\n";
  if (!report.plan_error.empty()) out << "Coverage unavailable: " << report.plan_error << "\n";
  out << "\n";
  if (report.credentials.empty()) out << "No credential reaches the workspace.\n";
  for (const auto& row : report.credentials) {
    out << "- " << row.kind << " " << row.id << " '" << row.name << "': " << row.requests
        << " request(s), " << row.would_fail << " would fail";
    if (!row.would_fail_by_code.empty()) {
      out << " (";
      bool first = true;
      for (const auto& [code, n] : row.would_fail_by_code) {
        out << (first ? "" : ", ") << code << ": " << n;
        first = false;
      }
      out << ")";
    }
    out << "; denied today: " << row.real_denied << "\n";
    if (!row.coverage.empty()) out << "    " << row.coverage << "\n";
  }
  return out.str();
}

}  // namespace cozeauth::migration
