#pragma once
// Conversions shared by SqlStore's source files: list columns, enum columns, single integers,
// page windows and the errors for missing or corrupt rows. Stateless.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "store/sql/connection.hpp"
#include "store/store.hpp"

namespace cozeauth::store::sql {

// Lists are stored comma-separated ("a,b"); none of the listed values (permission points, ids)
// can contain a comma. The empty list is "".
std::string EncodeList(const std::vector<std::string>& items);
std::vector<std::string> DecodeList(std::string_view column);

// kNotFound "<what> <id> not found". Never pass a secret (a token or session hash) as id.
Error NotFound(std::string_view what, std::string_view id);

// An enum column holding a value this binary cannot parse: the database is corrupt or newer.
template <typename E>
Result<E> ParseColumn(std::optional<E> parsed, std::string_view column) {
  if (parsed) return *parsed;
  return Error::Make(Errc::kInternal, "unreadable value in column " + std::string(column));
}

// Runs `st` and returns the first column of its single row (a COUNT, a pragma, a counter);
// kInternal if it yields no row.
Result<int64_t> FetchInt(Statement& st);

// LIMIT/OFFSET for a 1-based page; page_num and page_size below 1 count as 1.
struct Window {
  int64_t limit = 1;
  int64_t offset = 0;
};
Window ToWindow(const Page& page);
// Whether rows remain after `page` when `total` rows match.
bool HasMore(const Page& page, int64_t total);

}  // namespace cozeauth::store::sql
