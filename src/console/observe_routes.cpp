// Observation routes: `GET /metrics` (Prometheus text, observe/metrics.hpp; served on the I/O
// thread, unauthenticated like every Prometheus target — expose it only where scrapers reach),
// and the console's JSON views of the per-credential statistics and the audit log:
//
//   GET /api/permission_api/observe/credentials?since=1d&migration_id=&credential_id=&bucket=
//       data = observe::ReportJson: the signed-in user's credentials (PATs/SATs they created,
//       OBO tokens of theirs, apps they own) and, for enterprise super_admins and admins, every
//       credential acting in their enterprises. With migration_id, only for the migration's
//       actor, the owner of the account it left, or an admin of the enterprise it joined.
//       With bucket (a duration of whole minutes, at most kMaxBuckets buckets from `since` to
//       now), each credential also has its `series` of counts per bucket (the console's chart).
//   GET /api/permission_api/observe/audit?action=token.&target_id=&since=7d&from=&to=&limit=50
//       data = {events: [...], truncated}: newest first. Without enterprise_id, the signed-in
//       user's own events. With enterprise_id=E, the events that touch E
//       (observe/audit_scope.hpp), whoever acted, optionally of one `actor` — only for a
//       super_admin or admin of E; anyone else, and an unknown E, gets the same 4101.
//       `from`/`to` (Unix seconds, `to` exclusive) bound the time instead of `since`.

#include <boost/json.hpp>
#include <charconv>
#include <optional>
#include <set>
#include <string>

#include "console/routes.hpp"
#include "console/session.hpp"
#include "observe/audit_scope.hpp"
#include "observe/credential_report.hpp"
#include "observe/metrics.hpp"
#include "observe/process_stats.hpp"

namespace cozeauth::api {
namespace json = boost::json;
namespace {

constexpr int kDefaultAuditLimit = 50;
constexpr int kMaxAuditLimit = 200;
// An enterprise's events are found among the newest events matching the other filters; at most
// this many are read per request (the answer says `truncated` when the scan stopped there).
constexpr int kAuditScan = 5000;
constexpr int64_t kMaxBuckets = 1000;

// A Unix-seconds query parameter; nullopt when absent.
Result<std::optional<int64_t>> SecondsParam(const http::Request& req, const char* key) {
  auto v = req.Query(key);
  if (!v || v->empty()) return std::optional<int64_t>();
  int64_t n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || end != v->data() + v->size() || n < 0) {
    return Error::BadRequest(key, std::string(key) + " must be Unix seconds");
  }
  return std::optional<int64_t>(n);
}

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
  if (auto bucket = c.req.Query("bucket"); bucket && !bucket->empty()) {
    auto seconds = observe::ParseDuration(*bucket, "bucket");
    if (!seconds) return c.Fail(seconds.error());
    // The series spans `since` before the migration (or now) up to now.
    if (*seconds % 60 != 0 || (q.since_seconds / *seconds) > kMaxBuckets) {
      return c.Fail(Error::BadRequest("bucket", "bucket must be whole minutes, at most " +
                                                    std::to_string(kMaxBuckets) +
                                                    " of them in the window"));
    }
    q.bucket_seconds = *seconds;
  }
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
  auto from = SecondsParam(c.req, "from");
  if (!from) return c.Fail(from.error());
  auto to = SecondsParam(c.req, "to");
  if (!to) return c.Fail(to.error());
  const std::string enterprise_id = c.req.Query("enterprise_id").value_or("");
  const std::string actor = c.req.Query("actor").value_or("");
  store::AuditQuery q;
  q.action_prefix = c.req.Query("action").value_or("");
  q.target_id = c.req.Query("target_id").value_or("");
  q.since = from.value() ? *from.value() : c.deps.clock.NowSeconds() - since.value();
  q.until = to.value().value_or(0);
  int limit = kDefaultAuditLimit;
  if (auto text = c.req.Query("limit")) {
    try {
      limit = std::stoi(*text);
    } catch (const std::exception&) {
      limit = 0;
    }
    if (limit < 1 || limit > kMaxAuditLimit) {
      return c.Fail(Error::BadRequest("limit", "limit must be 1 to 200"));
    }
  }
  if (enterprise_id.empty()) {
    if (!actor.empty() && actor != c.user.id) {
      return c.Fail(Error::Make(Errc::kPermissionDenied,
                                "without enterprise_id you read only your own events"));
    }
    q.actor = c.user.id;  // the user's own events only
    q.limit = limit;
  } else {
    // The same answer for an unknown enterprise and one the user does not administer.
    if (AdminEnterprises(c).count(enterprise_id) == 0) {
      return c.Fail(Error::Make(
          Errc::kPermissionDenied,
          "only a super_admin or admin of enterprise " + enterprise_id + " reads its audit log"));
    }
    q.actor = actor;
    q.limit = kAuditScan;
  }
  auto events = c.deps.store.ListAudit(q);
  if (!events) return c.Fail(events.error());
  json::array out;
  observe::AuditScope scope(c.deps.store);
  for (const auto& e : events.value()) {
    if (static_cast<int>(out.size()) == limit) break;
    if (!enterprise_id.empty() && !scope.Touches(e, enterprise_id)) continue;
    out.push_back(observe::AuditEventJson(e));
  }
  const bool truncated = !enterprise_id.empty() && static_cast<int>(out.size()) < limit &&
                         static_cast<int>(events->size()) == kAuditScan;
  return c.Ok(json::object{{"events", std::move(out)}, {"truncated", truncated}});
}

}  // namespace

void RegisterObserveRoutes(http::Router& router, Deps& deps) {
  router.Add(http::Verb::get, "/metrics", {.inline_io = true}, [&deps](http::Request&) {
    const AuthStats cache = deps.auth.Stats();
    const TokenCacheStats& t = cache.tokens;
    http::Response res;
    res.content_type = "text/plain; version=0.0.4; charset=utf-8";
    // Nothing here reads the store or waits (this runs on an I/O thread): the rehearsals as
    // last loaded, the store's memory from its library, the process's figures from procfs.
    res.body = observe::Metrics().Exposition({
        .cache = observe::Registry::CacheStats{cache.hits, cache.misses},
        .tokens = observe::Registry::TokenCacheStats{.known = t.known,
                                                     .unknown = t.unknown,
                                                     .known_capacity = t.known_capacity,
                                                     .unknown_capacity = t.unknown_capacity,
                                                     .known_evictions = t.known_evictions,
                                                     .unknown_evictions = t.unknown_evictions},
        .live = deps.auth.Rehearsals().Live(),
        .process = observe::ReadProcessStats(),
        .store_memory_bytes = deps.store.MemoryInUse(),
    });
    return res;
  });
  AddConsoleRoute(router, deps, http::Verb::get, "/api/permission_api/observe/credentials",
                  Credentials);
  AddConsoleRoute(router, deps, http::Verb::get, "/api/permission_api/observe/audit", Audit);
}

}  // namespace cozeauth::api
