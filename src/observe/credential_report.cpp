#include "observe/credential_report.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <unordered_map>

namespace cozeauth::observe {
namespace json = boost::json;
namespace {

// What one stored token contributes to grouping.
struct TokenFacts {
  bool found = false;
  credentials::Token token;
  std::string app_name;
  std::string app_owner_user_id;
};

class TokenLookup {
 public:
  explicit TokenLookup(store::Store& store) : store_(store) {}

  const TokenFacts& Get(const std::string& token_id) {
    auto [it, fresh] = cache_.try_emplace(token_id);
    if (!fresh) return it->second;
    TokenFacts& f = it->second;
    if (auto t = store_.GetToken(token_id)) {
      f.found = true;
      f.token = std::move(t.value());
      if (!f.token.app_id.empty()) {
        if (auto app = store_.GetOAuthApp(f.token.app_id)) {
          f.app_name = app->name;
          f.app_owner_user_id = app->owner_user_id;
        }
      }
    }
    return f;
  }

 private:
  store::Store& store_;
  std::unordered_map<std::string, TokenFacts> cache_;
};

// PAT/SAT rows are the token; OAuth access tokens group by app, kind, context and OBO user.
std::string GroupKey(const store::RequestStat& s, const TokenFacts& f) {
  if (!f.found || f.token.app_id.empty()) return "t:" + s.token_id;
  const credentials::Token& t = f.token;
  std::string key = "a:" + std::string(credentials::ToString(t.kind)) + ":" + t.app_id + ":" +
                    t.context.account_id + ":" + t.context.enterprise_id;
  if (credentials::IsUserBound(t.kind)) key += ":" + t.user_id;
  return key;
}

CredentialRow NewRow(const store::RequestStat& s, const TokenFacts& f) {
  CredentialRow r;
  r.kind = s.credential_kind;
  r.credential_id = s.token_id;
  if (!f.found) return r;
  const credentials::Token& t = f.token;
  r.kind = std::string(credentials::ToString(t.kind));
  r.user_id = t.user_id;
  r.owner_user_id = t.user_id;
  r.account_id = t.context.account_id;
  r.enterprise_id = t.context.enterprise_id;
  if (t.app_id.empty()) {
    r.name = t.name;
  } else {
    r.credential_id = t.app_id;
    r.app_id = t.app_id;
    r.name = f.app_name;
    r.owner_user_id = f.app_owner_user_id;
  }
  return r;
}

// Which side of the migration a credential is on; "" = neither (not listed).
std::string SideOf(const CredentialRow& r, const domain::Migration& m) {
  if (!r.account_id.empty() && r.account_id == m.from_account_id) return "personal";
  if (!r.enterprise_id.empty() && r.enterprise_id == m.enterprise_id) return "enterprise";
  return "";
}

std::string Hint(const CredentialRow& r) {
  if (r.side == "personal") {
    if (r.after.denials() > 0) {
      return "still tried first: " + std::to_string(r.after.denials()) + " denials after migration";
    }
    if (r.after.requests == 0) return "no traffic after migration: safe to delete";
    return "serving";
  }
  if (r.after.requests == 0) return "no traffic after migration";
  if (r.after.successes == 0) {
    return "denied after migration: " + std::to_string(r.after.requests) + " requests failed";
  }
  return "serving";
}

json::object CountsJson(const OutcomeCounts& c) {
  return {{"requests", c.requests},
          {"successes", c.successes},
          {"denied_4100", c.denied_4100},
          {"denied_4101", c.denied_4101},
          {"other_errors", c.other_errors}};
}

}  // namespace

Result<int64_t> ParseDuration(std::string_view text, const char* field) {
  auto bad = [&] {
    return Error::BadRequest(
        field, std::string(field) + " must be a duration such as 45s, 30m, 2h, 1d or 1w");
  };
  if (text.empty() || text.size() > 12) return bad();
  int64_t unit = 1;
  switch (text.back()) {
    case 's':
      unit = 1;
      break;
    case 'm':
      unit = 60;
      break;
    case 'h':
      unit = 3600;
      break;
    case 'd':
      unit = 86400;
      break;
    case 'w':
      unit = 7 * 86400;
      break;
    default:
      unit = 0;
  }
  std::string_view digits = unit == 0 ? text : text.substr(0, text.size() - 1);
  if (unit == 0) unit = 1;
  int64_t n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || n <= 0 ||
      n > 3650 * 86400 / unit) {
    return bad();
  }
  return n * unit;
}

void OutcomeCounts::Add(int code, int64_t n) {
  requests += n;
  if (code == 0) {
    successes += n;
  } else if (code == static_cast<int>(Errc::kTokenInvalid)) {
    denied_4100 += n;
  } else if (code == static_cast<int>(Errc::kPermissionDenied)) {
    denied_4101 += n;
  } else {
    other_errors += n;
  }
}

Result<CredentialReport> BuildCredentialReport(store::Store& store, const Clock& clock,
                                               const ReportQuery& q) {
  if (q.since_seconds <= 0) return Error::BadRequest("since", "since must be positive");
  if (q.bucket_seconds < 0 || q.bucket_seconds % 60 != 0) {
    return Error::BadRequest("bucket", "bucket must be a whole number of minutes");
  }
  CredentialReport report;
  report.bucket = q.bucket_seconds;
  report.now = clock.NowSeconds();
  if (!q.migration_id.empty()) {
    auto m = store.GetMigration(q.migration_id);
    if (!m) return m.error();
    report.migration = std::move(m.value());
    // Statistics are per minute: the migration's minute belongs to "after".
    report.split = report.migration->created_at / 60 * 60;
    report.since = report.split - q.since_seconds;
  } else {
    report.since = report.now - q.since_seconds;
  }
  auto stats = store.ListRequestStats(report.since, 0, "");
  if (!stats) return stats.error();

  TokenLookup tokens(store);
  std::map<std::string, CredentialRow> rows;  // by group key: a stable order
  for (const store::RequestStat& s : stats.value()) {
    const TokenFacts& facts = tokens.Get(s.token_id);
    const std::string key = GroupKey(s, facts);
    auto it = rows.find(key);
    if (it == rows.end()) it = rows.emplace(key, NewRow(s, facts)).first;
    CredentialRow& row = it->second;
    if (std::find(row.token_ids.begin(), row.token_ids.end(), s.token_id) == row.token_ids.end()) {
      row.token_ids.push_back(s.token_id);
    }
    row.total.Add(s.code, s.count);
    if (report.bucket > 0) {
      // Buckets start at `since` (with a migration, its split falls on a boundary whenever the
      // bucket divides the window); the store returns no minute before `since`.
      const int64_t at = s.minute * 60;
      row.series[report.since + (at - report.since) / report.bucket * report.bucket].Add(s.code,
                                                                                         s.count);
    }
    if (report.migration) {
      (s.minute * 60 < report.split ? row.before : row.after).Add(s.code, s.count);
    }
  }

  for (auto& [key, row] : rows) {
    if (report.migration) {
      row.side = SideOf(row, *report.migration);
      if (row.side.empty()) continue;
      row.hint = Hint(row);
    }
    if (!q.credential_id.empty() && row.credential_id != q.credential_id &&
        std::find(row.token_ids.begin(), row.token_ids.end(), q.credential_id) ==
            row.token_ids.end()) {
      continue;
    }
    if (q.visible && !q.visible(row)) continue;
    std::sort(row.token_ids.begin(), row.token_ids.end());
    report.rows.push_back(std::move(row));
  }
  // Old credentials first (what the operator acts on), then the busiest.
  std::stable_sort(report.rows.begin(), report.rows.end(),
                   [](const CredentialRow& a, const CredentialRow& b) {
                     if (a.side != b.side) return a.side == "personal";
                     return a.total.requests > b.total.requests;
                   });
  return report;
}

json::object ReportJson(const CredentialReport& r) {
  json::object out{{"now", r.now}, {"since", r.since}};
  if (r.bucket > 0) out["bucket"] = r.bucket;
  if (r.migration) {
    const domain::Migration& m = *r.migration;
    out["migration"] = json::object{{"id", m.id},
                                    {"workspace_id", m.workspace_id},
                                    {"mode", domain::ToString(m.mode)},
                                    {"from_account_id", m.from_account_id},
                                    {"to_account_id", m.to_account_id},
                                    {"enterprise_id", m.enterprise_id},
                                    {"actor_user_id", m.actor_user_id},
                                    {"created_at", m.created_at}};
    out["windows"] = json::object{{"before", json::object{{"since", r.since}, {"until", r.split}}},
                                  {"after", json::object{{"since", r.split}, {"until", r.now}}}};
  }
  json::array rows;
  for (const CredentialRow& row : r.rows) {
    json::object o = CountsJson(row.total);
    o["credential_id"] = row.credential_id;
    o["kind"] = row.kind;
    o["name"] = row.name;
    o["app_id"] = row.app_id;
    o["user_id"] = row.user_id;
    o["owner_user_id"] = row.owner_user_id;
    o["account_id"] = row.account_id;
    o["enterprise_id"] = row.enterprise_id;
    json::array ids;
    for (const auto& id : row.token_ids) ids.emplace_back(id);
    o["token_ids"] = std::move(ids);
    if (r.migration) {
      o["side"] = row.side;
      o["before"] = CountsJson(row.before);
      o["after"] = CountsJson(row.after);
      o["hint"] = row.hint;
    }
    if (r.bucket > 0) {
      json::array series;
      for (const auto& [at, counts] : row.series) {
        json::object point = CountsJson(counts);
        point["at"] = at;
        series.push_back(std::move(point));
      }
      o["series"] = std::move(series);
    }
    rows.push_back(std::move(o));
  }
  out["credentials"] = std::move(rows);
  return out;
}

json::object AuditEventJson(const store::AuditEvent& e) {
  json::object o{{"id", e.id},
                 {"at", e.at},
                 {"actor", e.actor},
                 {"action", e.action},
                 {"target_kind", e.target_kind},
                 {"target_id", e.target_id}};
  boost::system::error_code ec;
  json::value detail = json::parse(e.detail_json, ec);
  if (ec || !detail.is_object()) detail = json::object{{"raw", e.detail_json}};
  o["detail"] = std::move(detail);
  return o;
}

}  // namespace cozeauth::observe
