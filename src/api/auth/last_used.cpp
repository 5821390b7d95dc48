#include "api/auth/last_used.hpp"

#include <utility>
#include <vector>

namespace cozeauth::api {

void LastUsedRecorder::Record(const std::string& token_id, int64_t at_seconds) {
  std::lock_guard lock(mu_);
  pending_[token_id] = at_seconds;
}

void LastUsedRecorder::Flush() {
  std::unordered_map<std::string, int64_t> batch;
  {
    std::lock_guard lock(mu_);
    batch.swap(pending_);
  }
  if (batch.empty()) return;
  std::vector<std::pair<std::string, int64_t>> rows(batch.begin(), batch.end());
  (void)tokens_.TouchTokens(rows);  // best effort: last_used_at is advisory
}

}  // namespace cozeauth::api
