#pragma once
// RehearsalCounts: the shadow-decision counts of migration rehearsals (docs/migration.md
// "Rehearse first"), kept in memory per (rehearsal, credential, real code, shadow code) and
// written to the store in batches (store::RehearsalStore::AddRehearsalCounts: one transaction
// per batch, added to the stored counts) — never a store write on the request path. The
// Authenticator flushes them with the last-used times: at each epoch poll (every 200 ms), at
// SyncNow() and at Stop(), so a graceful shutdown stores every counted request.
//
// Record() runs only for requests a live rehearsal shadows: one short lock and a hash lookup
// with a reused key buffer; it allocates only the first time a key is seen. A batch the store
// refuses is merged back and retried at the next flush.
//
// Thread safety: Record() and Flush() from any thread.

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/result.hpp"
#include "domain/rehearsal.hpp"
#include "store/rehearsal_store.hpp"

namespace cozeauth::api {

class RehearsalCounts {
 public:
  // Called with each batch the store accepted (e.g. the metrics registry's counters).
  using FlushedFn = std::function<void(const std::vector<domain::RehearsalCount>&)>;

  explicit RehearsalCounts(store::RehearsalStore& store, FlushedFn on_flushed = nullptr);

  void Record(std::string_view rehearsal_id, std::string_view token_id,
              std::string_view credential_kind, int real_code, int shadow_code);
  // Writes everything recorded so far as one batch now; on a store error the batch is kept.
  Status Flush();

 private:
  store::RehearsalStore& store_;
  FlushedFn on_flushed_;
  std::mutex mu_;
  // By the row's key (rehearsal, token, real code, shadow code); zeroed, never erased, by Flush.
  std::unordered_map<std::string, domain::RehearsalCount> counts_;
};

}  // namespace cozeauth::api
