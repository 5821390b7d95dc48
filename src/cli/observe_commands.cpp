// `cozeauth observe` (per-credential success rates, optionally around a migration) and
// `cozeauth audit` (the security event log). Both read the store only: run them against the
// server's --db while it serves. The server writes request counts in batches every second
// (observe/request_stats.hpp), so a request shows here about a second after it was answered.

#include <cstdio>
#include <memory>
#include <string>

#include "api/rehearsal_json.hpp"
#include "base/clock.hpp"
#include "cli/admin_print.hpp"
#include "cli/cli.hpp"
#include "observe/credential_report.hpp"

namespace cozeauth::cli {
namespace {

struct ObserveOptions {
  std::string migration;
  std::string since = "1d";
  std::string token;
};

struct AuditOptions {
  std::string action;
  std::string actor;
  std::string target;
  std::string since;  // empty: all time
  int limit = 100;
};

// "requests/ok/4100/4101/other".
std::string Counts(const observe::OutcomeCounts& c) {
  return std::to_string(c.requests) + "/" + std::to_string(c.successes) + "/" +
         std::to_string(c.denied_4100) + "/" + std::to_string(c.denied_4101) + "/" +
         std::to_string(c.other_errors);
}

void PrintReport(const observe::CredentialReport& r) {
  std::vector<std::vector<std::string>> rows;
  if (!r.migration) {
    std::printf("requests since %s (stored per minute, about 1 s behind the server)\n",
                FormatTime(r.since).c_str());
    for (const auto& row : r.rows) {
      const auto& c = row.total;
      rows.push_back({row.credential_id, row.kind, row.name, std::to_string(c.requests),
                      std::to_string(c.successes), std::to_string(c.denied_4100),
                      std::to_string(c.denied_4101), std::to_string(c.other_errors)});
    }
    PrintTable({"CREDENTIAL", "KIND", "NAME", "REQUESTS", "OK", "4100", "4101", "OTHER"}, rows);
    return;
  }
  const domain::Migration& m = *r.migration;
  std::printf("migration %s (%s): workspace %s from account %s to organization %s (%s) at %s\n",
              m.id.c_str(), std::string(domain::ToString(m.mode)).c_str(), m.workspace_id.c_str(),
              m.from_account_id.c_str(), m.to_account_id.c_str(), m.enterprise_id.c_str(),
              FormatTime(m.created_at).c_str());
  std::printf("before: %s .. %s   after: %s .. now   (requests/ok/4100/4101/other)\n",
              FormatTime(r.since).c_str(), FormatTime(r.split).c_str(),
              FormatTime(r.split).c_str());
  for (const auto& row : r.rows) {
    rows.push_back({row.side, row.credential_id, row.kind, row.name, Counts(row.before),
                    Counts(row.after), row.hint});
  }
  PrintTable({"SIDE", "CREDENTIAL", "KIND", "NAME", "BEFORE", "AFTER", "HINT"}, rows);
}

// The migration rehearsals running now, with what they counted so far (flushed counts).
boost::json::array LiveRehearsals(store::Store& store, int64_t now) {
  boost::json::array out;
  auto live = store.ListLiveRehearsals(now);
  if (!live) return out;
  for (const auto& r : live.value()) {
    int64_t requests = 0, would_fail = 0;
    if (auto counts = store.ListRehearsalCounts(r.id)) {
      for (const auto& n : counts.value()) {
        requests += n.count;
        if (n.shadow_code != 0) would_fail += n.count;
      }
    }
    boost::json::object o = api::RehearsalJson(r);
    o["requests"] = requests;
    o["would_fail"] = would_fail;
    out.push_back(std::move(o));
  }
  return out;
}

void PrintRehearsals(const boost::json::array& live) {
  for (const auto& v : live) {
    const auto& r = v.as_object();
    std::printf(
        "rehearsal %s running: workspace %s -> organization %s (%s mode) until %lld; %lld "
        "request(s), %lld would fail (cozeauth migrate rehearsal report %s)\n",
        r.at("id").as_string().c_str(), r.at("workspace_id").as_string().c_str(),
        r.at("to_account_id").as_string().c_str(), r.at("mode").as_string().c_str(),
        static_cast<long long>(r.at("ends_at").as_int64()),
        static_cast<long long>(r.at("requests").as_int64()),
        static_cast<long long>(r.at("would_fail").as_int64()), r.at("id").as_string().c_str());
  }
}

void RunObserve(const ObserveOptions& o, Cli& cli) {
  auto since = observe::ParseDuration(o.since, "since");
  if (!since) return cli.Fail(since.error());
  std::unique_ptr<store::Store> store = cli.OpenStore();
  if (!store) return;
  observe::ReportQuery q;
  q.since_seconds = since.value();
  q.migration_id = o.migration;
  q.credential_id = o.token;
  auto report = observe::BuildCredentialReport(*store, SystemClock::Instance(), q);
  if (!report) return cli.Fail(report.error());
  const boost::json::array live = LiveRehearsals(*store, SystemClock::Instance().NowSeconds());
  if (cli.json) {
    boost::json::object out = observe::ReportJson(report.value());
    out["rehearsals"] = live;
    PrintJson(out);
  } else {
    PrintReport(report.value());
    PrintRehearsals(live);
  }
}

void RunAudit(const AuditOptions& o, Cli& cli) {
  store::AuditQuery q;
  q.action_prefix = o.action;
  q.actor = o.actor;
  q.target_id = o.target;
  if (o.limit < 1 || o.limit > 10'000) {
    return cli.Fail(Error::BadRequest("limit", "--limit must be 1 to 10000"));
  }
  q.limit = o.limit;
  if (!o.since.empty()) {
    auto since = observe::ParseDuration(o.since, "since");
    if (!since) return cli.Fail(since.error());
    q.since = SystemClock::Instance().NowSeconds() - since.value();
  }
  std::unique_ptr<store::Store> store = cli.OpenStore();
  if (!store) return;
  auto events = store->ListAudit(q);
  if (!events) return cli.Fail(events.error());
  if (cli.json) {
    boost::json::array out;
    for (const auto& e : events.value()) out.push_back(observe::AuditEventJson(e));
    PrintJson(out);
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : events.value()) {
    rows.push_back(
        {FormatTime(e.at), e.actor, e.action, e.target_kind + " " + e.target_id, e.detail_json});
  }
  PrintTable({"TIME", "ACTOR", "ACTION", "TARGET", "DETAIL"}, rows);
}

}  // namespace

void SetupObserveCommands(CLI::App& app, Cli& cli) {
  auto observe = std::make_shared<ObserveOptions>();
  CLI::App* cmd = app.add_subcommand(
      "observe",
      "Per-credential requests, successes and 4100/4101 denials (before and after a "
      "migration with --migration)");
  cmd->add_option("--migration", observe->migration,
                  "Migration id: compare the window before it with the time since");
  cmd->add_option("--since", observe->since,
                  "Window length, e.g. 30m, 2h, 1d (with --migration: before it); default 1d");
  cmd->add_option("--token", observe->token, "Only this credential (a token id or an app id)");
  AddStoreOptions(*cmd, cli);
  cmd->callback([observe, &cli] { RunObserve(*observe, cli); });

  auto audit = std::make_shared<AuditOptions>();
  CLI::App* log = app.add_subcommand("audit", "The audit log of security events, newest first");
  log->add_option("--action", audit->action, "Action prefix, e.g. token. or app.installed");
  log->add_option("--actor", audit->actor, "Actor: a user id, or operator");
  log->add_option("--target", audit->target, "Target id (token, app, authorization, …)");
  log->add_option("--since", audit->since, "Only events this recent, e.g. 30m, 2h, 7d");
  log->add_option("--limit", audit->limit, "At most this many events (default 100)");
  AddStoreOptions(*log, cli);
  log->callback([audit, &cli] { RunAudit(*audit, cli); });
}

}  // namespace cozeauth::cli
