// CopyStore (copy_store.hpp): opens both stores as OpenStore would and hands them to the SQL
// copy (store/sql/copy.hpp) with each one's dialect and latest schema version.
#include "store/copy_store.hpp"

#include <filesystem>
#include <system_error>

#include "store/postgres/pg_schema.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/sql/copy.hpp"
#include "store/sqlite/schema.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/store.hpp"

namespace cozeauth::store {
namespace {

struct Opened {
  std::unique_ptr<sql::SqlStore> store;
  sql::Dialect dialect = sql::Dialect::kSqlite;
  int latest = 0;
};

// As OpenStore (open_store.cpp), keeping the SqlStore and its backend. `side` prefixes errors.
Result<Opened> Open(const std::string& url, const char* field) {
  const std::string named = std::string(field) + " store " + RedactedUrl(url) + ": ";
  constexpr std::string_view kSqlite = "sqlite:";
  Opened out;
  if (url.rfind(kSqlite, 0) == 0) {
    const std::string path = url.substr(kSqlite.size());
    // Opening creates a missing file: a mistyped source would copy an empty store.
    std::error_code ec;
    if (std::string_view(field) == "from" && path != ":memory:" &&
        !std::filesystem::exists(path, ec)) {
      return Error::BadRequest(field, named + "no such file");
    }
    auto s = sqlite::Open(path);
    if (!s) return Error::Make(s.error().code, named + s.error().message);
    out.store = std::move(*s);
    out.dialect = sql::Dialect::kSqlite;
    out.latest = sqlite::LatestSchemaVersion();
    return out;
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    auto s = postgres::Open(url);
    if (!s) return Error::Make(s.error().code, named + s.error().message);
    out.store = std::move(*s);
    out.dialect = sql::Dialect::kPostgres;
    out.latest = static_cast<int>(postgres::SchemaScripts().size());
    return out;
  }
  return Error::BadRequest(field,
                           std::string("--") + field +
                               ": unsupported store URL (expected sqlite:PATH or postgresql://…)");
}

}  // namespace

Result<CopyReport> CopyStore(const std::string& from_url, const std::string& to_url) {
  auto from = Open(from_url, "from");
  if (!from) return from.error();
  auto to = Open(to_url, "to");
  if (!to) return to.error();
  auto report = sql::CopySqlStore(sql::CopyEnd{*from->store, from->dialect, from->latest},
                                  sql::CopyEnd{*to->store, to->dialect, to->latest});
  if (!report) {
    Error e = report.error();
    e.message = "store copy from " + RedactedUrl(from_url) + " to " + RedactedUrl(to_url) + ": " +
                e.message;
    return e;
  }
  report->from = RedactedUrl(from_url);
  report->to = RedactedUrl(to_url);
  return report;
}

}  // namespace cozeauth::store
