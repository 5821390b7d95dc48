#pragma once
// LastUsedRecorder: tokens' last_used_at, recorded in memory on a token's first use in each
// kLastUsedIntervalSeconds (the token cache notes which use that is: CachedToken::NoteUse) and
// written to the credential store in batches by Flush() (the Authenticator's background thread,
// and its shutdown), never per request. Within a batch only the latest time of each token is
// kept. Writing is best effort: last_used_at is advisory, so a failed batch is dropped, not
// retried. Record() holds one short lock and allocates only for a token not recorded since the
// last flush.
//
// Thread-safe. The store must outlive the recorder.

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/credential_store.hpp"

namespace cozeauth::api {

class LastUsedRecorder {
 public:
  // Writes with TouchTokens. The store must outlive the recorder.
  explicit LastUsedRecorder(store::CredentialStore& tokens) : tokens_(tokens) {}

  void Record(std::string_view token_id, int64_t at_seconds);
  // Writes what was recorded since the last flush (nothing when nothing was).
  void Flush();

 private:
  store::CredentialStore& tokens_;
  std::mutex mu_;
  // Looked up by string_view (a transparent hash): a token already pending allocates nothing.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  std::unordered_map<std::string, int64_t, Hash, std::equal_to<>> pending_;
};

}  // namespace cozeauth::api
