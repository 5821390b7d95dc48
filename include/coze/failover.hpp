#pragma once
// FailoverAuth: an ordered chain of credentials, the SDK half of the Coze guide "update API
// authorization after upgrading to the Enterprise/Team edition" (coze-platform.md §6.5). Put
// the old credential first and the new one after it — personal PAT, then an enterprise PAT for
// all workspaces; JWT for the creator's account_id, then JWT for the enterprise_id:
//
//   auto auth = std::make_shared<coze::FailoverAuth>(std::vector<coze::FailoverCredential>{
//       {"personal", std::make_shared<coze::TokenAuth>(personal_pat)},
//       {"enterprise", std::make_shared<coze::TokenAuth>(enterprise_pat)}});
//   coze::Client client({.auth = auth});
//
// Contract, per call made through a Client:
//   * The call's resource key is derived from the request (FailoverResourceKey): its workflow,
//     else its bot, else its conversation, else its workspace, else "*". The credential learned
//     for that key is tried first (the first credential when none is learned), then the others
//     in chain order.
//   * A 4100 first renews the credential's token when its Auth can (JWTAuth, OAuthAuth:
//     auth.hpp) and sends the request once more with it; only a renewed token refused again (or
//     a credential that cannot renew, such as a TokenAuth) goes on as below. A call that meets
//     no 4100 sends one request per credential tried; one that does, at most two.
//   * A rejection whose code is in FailoverOptions::switch_codes (by default 4100, 4101,
//     700012006 and the not-found codes 4200, 4001, 4002, 4005, 4006: coze-platform.md §1.4) is
//     retried with the next credential. It is safe: a server rejects these before executing
//     anything. A stream is retried only when the rejection came before its first event (it
//     always does: the error is the whole body). Any other failure — another code, an HTTP or
//     transport error, a failing Token() — ends the call with it, untouched.
//   * A success records which credential serves the key, so the next call for that resource
//     sends one request. The memory holds only keys served by a credential other than the first
//     (the default), at most max_resources of them, evicting the least recently used.
//   * When every credential is rejected, the call returns the last rejection.
//   * recheck_after > 0: once that long after a key was learned (or last re-checked), one call
//     for it starts again from the first credential, so that a preferred credential that works
//     again (a reverted migration, a restored grant) is used again.
//   * Save() / Restore() carry the memory across restarts as JSON, keyed by credential name.
// Stats() holds per-credential counters; on_attempt (if set) is called after every attempt, on
// the calling thread, with no lock held.
//
// Thread-safe: one FailoverAuth may serve any number of Clients and threads; the memory and
// counters are shared. The chain's Auths must be thread-safe (auth.hpp). A FailoverAuth used
// outside a Client (Token()) is its first credential.
//
// OboAuth: an OBO (user-authorized, `czu_…`) credential that turns 4100/4101 into a
// ReauthorizationRequired error carrying where to send the user — the guide's OBO step: after
// a migration the user (or the enterprise admin) must authorize the app again.

#include <chrono>
#include <coze/auth.hpp>
#include <coze/error.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coze {

// 4100, 4101, 700012006, 4200, 4001, 4002, 4005, 4006.
const std::vector<int64_t>& DefaultFailoverCodes();

// "workflow:<id>" when the request names a workflow (path /workflows/<id>, query or top-level
// JSON `workflow_id`: run, stream, resume, history, chat, get), else "bot:<id>" when it names a
// bot (path /bots/<id>, `bot_id`), else "conversation:<id>" (path /conversations/<id>,
// `conversation_id`), else "workspace:<id>" (path /workspaces/<id>, `workspace_id`, `space_id`:
// bot, workflow and app lists), else "*".
std::string FailoverResourceKey(const ApiRequest& request);

struct FailoverCredential {
  std::string name;            // unique in the chain; used in counters, events and Save()
  std::shared_ptr<Auth> auth;  // its Token() is used (not its Begin())
};

// How one attempt went.
enum class AttemptOutcome {
  kSuccess,   // the server accepted the token
  kFallback,  // rejected with a switching code; the next credential is tried
  kFailure,   // any other end: another error, a token failure, or the last credential rejected
  kRenewed,   // refused with 4100; the credential renewed its token and is tried once more
};

struct FailoverEvent {
  size_t credential = 0;      // index in the chain
  std::string_view name;      // its name
  std::string_view resource;  // the call's resource key
  AttemptOutcome outcome = AttemptOutcome::kSuccess;
  int64_t code = 0;  // the Error's code for kFallback / kFailure; 0 otherwise
};

struct FailoverStats {
  std::string name;
  uint64_t attempts = 0;  // = successes + fallbacks + failures + renewals
  uint64_t successes = 0;
  uint64_t fallbacks = 0;  // rejected, and the next credential was tried
  uint64_t failures = 0;
  uint64_t renewals = 0;  // refused with 4100, and the same credential was tried with a new token
};

struct FailoverOptions {
  std::vector<int64_t> switch_codes = DefaultFailoverCodes();
  size_t max_resources = 10000;                // learned keys kept (LRU); 0 learns nothing
  std::chrono::milliseconds recheck_after{0};  // 0: never re-try earlier credentials
  // The time source of recheck_after; null: std::chrono::steady_clock::now.
  std::function<std::chrono::steady_clock::time_point()> now;
  std::function<void(const FailoverEvent&)> on_attempt;  // for the application's metrics
};

class FailoverAuth final : public Auth {
 public:
  // Precondition (else std::invalid_argument: a programming error): a non-empty chain of
  // non-null Auths with distinct names.
  explicit FailoverAuth(std::vector<FailoverCredential> chain, FailoverOptions options = {});
  ~FailoverAuth() override;
  FailoverAuth(const FailoverAuth&) = delete;
  FailoverAuth& operator=(const FailoverAuth&) = delete;

  // The first credential's token.
  Result<std::string> Token() override;
  std::unique_ptr<AuthAttempts> Begin(const ApiRequest& request) override;

  // The index of the credential learned for `resource`; nullopt: none learned (the first).
  std::optional<size_t> Learned(std::string_view resource) const;
  size_t learned_count() const;
  void Forget();  // drops the whole memory (not the counters)

  std::vector<FailoverStats> Stats() const;

  // The memory as JSON: {"version":1,"resources":[{"key":…,"credential":<name>},…]}, least
  // recently used first.
  std::string Save() const;
  // Adds a Save()d memory to this one (entries for names not in the chain are skipped); the
  // re-check clock of restored keys starts now. An Error when `saved` is not such JSON.
  Status Restore(std::string_view saved);

  const std::vector<FailoverCredential>& chain() const;

 private:
  struct State;
  class Attempts;
  std::unique_ptr<State> state_;
};

// --- OBO ---

// Code of the Error that OboAuth returns instead of a 4100/4101 (a client-side code).
inline constexpr int64_t kReauthorizationRequiredCode = -4100;

// What the application must do when an OBO credential is rejected. Carried in an Error with
// code kReauthorizationRequiredCode, whose msg reads
//   "reauthorization required (<code>: <msg>); authorize_url=<url>"   (web / PKCE)
//   "reauthorization required (<code>: <msg>); start a new device flow"
// and whose logid and http_status are the rejection's.
struct ReauthorizationRequired {
  int64_t rejected_code = 0;  // 4100, 4101, …
  std::string authorize_url;  // web / PKCE: send the user here; empty for the device flow
  bool start_device_flow = false;
  // The signal `error` carries; nullopt when it is another error.
  static std::optional<ReauthorizationRequired> From(const Error& error);
};

struct OboOptions {
  std::shared_ptr<Auth> token;  // the OBO token source: a TokenAuth(czu_…) or a refreshing one
  // Web / PKCE: the authorize URL to send the user to, built at each rejection so that the app
  // can mint a fresh state (and PKCE verifier) there — e.g. WebOAuthClient::GetAuthorizationUrl
  // or PKCEOAuthClient::GetAuthorizationUrl (oauth.hpp). Unset: the device flow.
  std::function<std::string()> authorize_url;
  std::vector<int64_t> codes = {4100, 4101, 700012006};
};

// Sends `token`; a rejection with one of `codes` becomes ReauthorizationRequired. One attempt
// per call — two after a 4100 when the token source can renew (an OAuthAuth refreshes once;
// auth.hpp), and the renewed token's rejection is the signal. Thread-safe if its token source is.
class OboAuth final : public Auth {
 public:
  explicit OboAuth(OboOptions options);
  Result<std::string> Token() override;
  std::unique_ptr<AuthAttempts> Begin(const ApiRequest& request) override;

 private:
  OboOptions options_;
};

}  // namespace coze
