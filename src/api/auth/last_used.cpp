#include "api/auth/last_used.hpp"

#include <utility>
#include <vector>

namespace cozeauth::api {

void LastUsedRecorder::Record(std::string_view token_id, int64_t at_seconds) {
  std::lock_guard lock(mu_);
  if (auto it = pending_.find(token_id); it != pending_.end()) {
    it->second = at_seconds;
  } else {
    pending_.emplace(std::string(token_id), at_seconds);
  }
}

void LastUsedRecorder::Flush() {
  decltype(pending_) batch;
  {
    std::lock_guard lock(mu_);
    batch.swap(pending_);
  }
  if (batch.empty()) return;
  std::vector<std::pair<std::string, int64_t>> rows(batch.begin(), batch.end());
  (void)tokens_.TouchTokens(rows);  // best effort: last_used_at is advisory
}

}  // namespace cozeauth::api
