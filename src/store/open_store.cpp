#include <algorithm>

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

std::string RedactedUrl(std::string_view url) {
  std::string out(url);
  const size_t scheme = out.find("://");
  if (scheme == std::string::npos) return out;
  const size_t authority = scheme + 3;
  const size_t end = std::min(out.find_first_of("/?", authority), out.size());
  const size_t at = out.rfind('@', end);
  if (at != std::string::npos && at >= authority) {
    const size_t colon = out.find(':', authority);
    if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
  }
  // libpq also takes the password as a query parameter.
  for (size_t p = out.find("password=", authority); p != std::string::npos;
       p = out.find("password=", p + 1)) {
    const size_t value = p + 9;
    const size_t value_end = std::min(out.find('&', value), out.size());
    out.replace(value, value_end - value, "***");
  }
  return out;
}

}  // namespace cozeauth::store
