// Observation routes: `GET /metrics` (Prometheus text, observe/metrics.hpp; served on the I/O
// thread, unauthenticated like every Prometheus target — expose it only where scrapers reach),
// and the console's JSON views of the per-credential statistics and the audit log:
//
//   GET /api/permission_api/observe/credentials?since=1d&migration_id=&credential_id=
//       data = observe::ReportJson: the signed-in user's credentials (PATs/SATs they created,
//       OBO tokens of theirs, apps they own) and, for enterprise super_admins and admins, every
//       credential acting in their enterprises. With migration_id, only for the migration's
//       actor, the owner of the account it left, or an admin of the enterprise it joined.
//   GET /api/permission_api/observe/audit?action=token.&target_id=&since=7d&limit=50
//       data = {events: [...]}: the signed-in user's own events, newest first.

#include <boost/json.hpp>
#include <set>
#include <string>

#include "console/routes.hpp"
#include "console/session.hpp"
#include "observe/credential_report.hpp"
#include "observe/metrics.hpp"

namespace cozeauth::api {
namespace json = boost::json;
namespace {

constexpr int kDefaultAuditLimit = 50;
constexpr int kMaxAuditLimit = 200;

Result<int64_t> SinceParam(const http::Request& req, const char* fallback) {
  return observe::ParseDuration(req.Query("since").value_or(fallback), "since");
}

// Enterprises in which the user is super_admin or admin.
std::set<std::string> AdminEnterprises(ConsoleCall& c) {
  std::set<std::string> out;
  auto enterprises = c.deps.store.ListEnterprisesOfUser(c.user.id);
  if (!enterprises) return out;
  for (const auto& e : enterprises.value()) {
    auto role = c.deps.store.GetEnterpriseRole(e.id, c.user.id);
    if (role && role.value() && domain::IsAdmin(*role.value())) out.insert(e.id);
  }
  return out;
}

http::Response Credentials(ConsoleCall& c) {
  auto since = SinceParam(c.req, "1d");
  if (!since) return c.Fail(since.error());
  const std::set<std::string> admin_of = AdminEnterprises(c);
  const std::string& me = c.user.id;
  observe::ReportQuery q;
  q.since_seconds = since.value();
  q.migration_id = c.req.Query("migration_id").value_or("");
  q.credential_id = c.req.Query("credential_id").value_or("");
  q.visible = [&](const observe::CredentialRow& row) {
    return row.user_id == me || row.owner_user_id == me ||
           (!row.enterprise_id.empty() && admin_of.count(row.enterprise_id) != 0);
  };
  auto report = observe::BuildCredentialReport(c.deps.store, c.deps.clock, q);
  if (!report) return c.Fail(report.error());
  if (const auto& m = report->migration; m && m->actor_user_id != me && m->from_account_id != me &&
                                         admin_of.count(m->enterprise_id) == 0) {
    return c.Fail(Error::Make(Errc::kPermissionDenied,
                              "only the migration's actor, the owner of the account it left or "
                              "an enterprise admin observes migration " +
                                  m->id));
  }
  return c.Ok(observe::ReportJson(report.value()));
}

http::Response Audit(ConsoleCall& c) {
  auto since = SinceParam(c.req, "30d");
  if (!since) return c.Fail(since.error());
  store::AuditQuery q;
  q.actor = c.user.id;  // the user's own events only
  q.action_prefix = c.req.Query("action").value_or("");
  q.target_id = c.req.Query("target_id").value_or("");
  q.since = c.deps.clock.NowSeconds() - since.value();
  q.limit = kDefaultAuditLimit;
  if (auto limit = c.req.Query("limit")) {
    try {
      q.limit = std::stoi(*limit);
    } catch (const std::exception&) {
      q.limit = 0;
    }
    if (q.limit < 1 || q.limit > kMaxAuditLimit) {
      return c.Fail(Error::BadRequest("limit", "limit must be 1 to 200"));
    }
  }
  auto events = c.deps.store.ListAudit(q);
  if (!events) return c.Fail(events.error());
  json::array out;
  for (const auto& e : events.value()) out.push_back(observe::AuditEventJson(e));
  return c.Ok(json::object{{"events", std::move(out)}});
}

}  // namespace

void RegisterObserveRoutes(http::Router& router, Deps& deps) {
  router.Add(http::Verb::get, "/metrics", {.inline_io = true}, [&deps](http::Request&) {
    const AuthStats cache = deps.auth.Stats();
    http::Response res;
    res.content_type = "text/plain; version=0.0.4; charset=utf-8";
    // The rehearsals as last loaded (no store read here: this runs on an I/O thread).
    res.body = observe::Metrics().Exposition(
        observe::Registry::CacheStats{cache.hits, cache.misses}, deps.auth.Rehearsals().Live());
    return res;
  });
  AddConsoleRoute(router, deps, http::Verb::get, "/api/permission_api/observe/credentials",
                  Credentials);
  AddConsoleRoute(router, deps, http::Verb::get, "/api/permission_api/observe/audit", Audit);
}

}  // namespace cozeauth::api
