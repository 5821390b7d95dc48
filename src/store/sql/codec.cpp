#include "store/sql/codec.hpp"

#include <algorithm>

#include "base/strings.hpp"

namespace cozeauth::store::sql {

std::string EncodeList(const std::vector<std::string>& items) { return Join(items, ","); }

std::vector<std::string> DecodeList(std::string_view column) { return SplitNonEmpty(column, ','); }

Error NotFound(std::string_view what, std::string_view id) {
  std::string message(what);
  message += ' ';
  message += id;
  message += " not found";
  return Error::Make(Errc::kNotFound, std::move(message));
}

Result<int64_t> FetchInt(Statement& st) {
  return FetchOne<int64_t>(
      st, [](Statement& row) -> Result<int64_t> { return row.Int(0); },
      [] { return Error::Make(Errc::kInternal, "expected one row, got none"); });
}

Window ToWindow(const Page& page) {
  Window w;
  w.limit = std::max(page.page_size, 1);
  w.offset = (static_cast<int64_t>(std::max(page.page_num, 1)) - 1) * w.limit;
  return w;
}

bool HasMore(const Page& page, int64_t total) {
  Window w = ToWindow(page);
  return w.offset + w.limit < total;
}

}  // namespace cozeauth::store::sql
