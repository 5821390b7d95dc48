#include "api/auth/rehearsal_counts.hpp"

#include <charconv>

namespace cozeauth::api {
namespace {

void AppendInt(std::string& out, int v) {
  char buf[16];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, ec == std::errc() ? end : buf);
}

// The row's key: its fields joined by '\x1f' (ids are digits, codes numbers).
void BuildKey(std::string& out, std::string_view rehearsal_id, std::string_view token_id,
              int real_code, int shadow_code) {
  out.clear();
  out.append(rehearsal_id).push_back('\x1f');
  out.append(token_id).push_back('\x1f');
  AppendInt(out, real_code);
  out.push_back('\x1f');
  AppendInt(out, shadow_code);
}

}  // namespace

RehearsalCounts::RehearsalCounts(store::RehearsalStore& store, FlushedFn on_flushed)
    : store_(store), on_flushed_(std::move(on_flushed)) {}

void RehearsalCounts::Record(std::string_view rehearsal_id, std::string_view token_id,
                             std::string_view credential_kind, int real_code, int shadow_code) {
  if (token_id.empty()) return;
  // Reused per thread: a key seen before costs no allocation.
  thread_local std::string key;
  BuildKey(key, rehearsal_id, token_id, real_code, shadow_code);
  std::lock_guard lock(mu_);
  auto it = counts_.find(key);
  if (it == counts_.end()) {
    it = counts_
             .emplace(key, domain::RehearsalCount{std::string(rehearsal_id), std::string(token_id),
                                                  std::string(credential_kind), real_code,
                                                  shadow_code, 0})
             .first;
  }
  ++it->second.count;
}

Status RehearsalCounts::Flush() {
  std::vector<domain::RehearsalCount> batch;
  {
    std::lock_guard lock(mu_);
    for (auto& [key, row] : counts_) {
      if (row.count == 0) continue;
      batch.push_back(row);
      row.count = 0;
    }
  }
  if (batch.empty()) return {};
  Status s = store_.AddRehearsalCounts(batch);
  if (!s) {
    // Kept for the next flush: a count is written once, or retried.
    std::lock_guard lock(mu_);
    for (const auto& row : batch) {
      std::string key;
      BuildKey(key, row.rehearsal_id, row.token_id, row.real_code, row.shadow_code);
      auto [it, inserted] = counts_.emplace(key, row);
      if (!inserted) it->second.count += row.count;
    }
    return s;
  }
  if (on_flushed_) on_flushed_(batch);
  return {};
}

}  // namespace cozeauth::api
