#include "store/sqlite/sqlite_store.hpp"
#include "store/store.hpp"

namespace cozeauth::store {

Result<std::unique_ptr<Store>> OpenStore(const std::string& url) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (url.rfind(kSqlite, 0) == 0) {
    auto s = sqlite::SqliteStore::Open(url.substr(kSqlite.size()));
    if (!s) return s.error();
    return std::unique_ptr<Store>(std::move(s.value()));
  }
  if (url.rfind("postgres", 0) == 0) {
    return Error::BadRequest("db", "the PostgreSQL backend is not built yet; use sqlite:PATH");
  }
  return Error::BadRequest("db", "unsupported store URL '" + url + "' (expected sqlite:PATH)");
}

}  // namespace cozeauth::store
