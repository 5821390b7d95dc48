#include "store/postgres/pg_store.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/store.hpp"

namespace cozeauth::store {

Result<std::unique_ptr<Store>> OpenStore(const std::string& url) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (url.rfind(kSqlite, 0) == 0) {
    auto s = sqlite::Open(url.substr(kSqlite.size()));
    if (!s) return s.error();
    return std::unique_ptr<Store>(std::move(s.value()));
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    auto s = postgres::Open(url);
    if (!s) return s.error();
    return std::unique_ptr<Store>(std::move(s.value()));
  }
  // Never echo the URL: a mistyped PostgreSQL URL may still hold a password.
  return Error::BadRequest("db", "unsupported store URL (expected sqlite:PATH or postgresql://…)");
}

}  // namespace cozeauth::store
