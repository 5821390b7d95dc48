#pragma once
// Auth: where the bearer token of a request comes from. The client asks for a token before every
// request; a provider may cache and refresh (JWT, OAuth) and may fail with an Error or AuthError,
// which the call then returns without sending anything. Implementations must be thread-safe:
// one Client (and so one Auth) may serve many threads.
//
// TokenAuth is a fixed PAT (`pat_…`) or SAT (`sat_…`); it never fails and never refreshes.
//
// Renewal after a 4100 (kTokenInvalidCode). When the server refuses a token as invalid — revoked,
// or forgotten by a server that lost its token state — before its expiry, the Client asks the
// provider that issued it to Renew() it: a caching provider (JWTAuth, OAuthAuth: oauth.hpp) drops
// it, and the request is sent once more with the next Token(), which mints (JWT) or refreshes
// (OAuth) a new one. Only then, if that token is refused too, does the call fail (or, in a
// FailoverAuth chain, move on to the next credential). So a call that meets a 4100 sends at most
// two requests per credential (plus the token purchase); every other call sends one. The retry
// lives in the Client alone (client.cpp), for every provider and every call, streams included.
//
// Per-call attempts (optional). A provider that chooses among several credentials per call
// (FailoverAuth, failover.hpp) or that turns a rejection into another error (OboAuth) overrides
// Begin(). For each call the Client then asks the returned AuthAttempts for the token of each
// attempt, reports how the attempt went, and sends the same request again while the attempts
// object says so. The default Begin() returns null: one attempt with Token() (renewed once after
// a 4100, as above) and nothing reported, so single-credential providers need no attempts object
// and the call allocates none.

#include <coze/error.hpp>
#include <memory>
#include <string>
#include <utility>

namespace coze {

struct ApiRequest;  // client.hpp

// The business code of a refused token (coze-protocol.md §7): the code that triggers Renew().
inline constexpr int64_t kTokenInvalidCode = 4100;

// The attempts of one call (from Auth::Begin). Used by the one thread making that call, in the
// order Token() → (OnSuccess() | OnFailure()) → [Token() → …].
class AuthAttempts {
 public:
  virtual ~AuthAttempts() = default;
  // The token of the next attempt. A failure ends the call with it (nothing else is reported).
  virtual Result<std::string> Token() = 0;
  // The server accepted the attempt's token: a successful response, or a stream that started
  // (whatever happens to the stream later).
  virtual void OnSuccess() = 0;
  // The attempt failed before any data reached the caller. `error` is the Error the call would
  // return (a business code, an HTTP status, a transport failure), or null when the failure is
  // not an Error (an OAuth-shaped AuthError body). Returns true to send the request again with
  // the next Token(); false to end the call with `*error`, which the provider may have replaced.
  virtual bool OnFailure(Error* error) = 0;
  // The attempt's token `rejected` was refused with kTokenInvalidCode. True: the request is sent
  // once more with the next Token() (the same credential, renewed) before anything is reported;
  // false (the default): the failure goes to OnFailure. Asked at most once per credential and
  // call: a renewed token that is refused again goes to OnFailure.
  virtual bool Renew(const std::string& rejected) { return false; }
};

class Auth {
 public:
  virtual ~Auth() = default;
  // The token to send as `Authorization: Bearer <token>`.
  virtual Result<std::string> Token() = 0;
  // The server refused `rejected` (a token this provider handed out) with kTokenInvalidCode.
  // Returns true when the next Token() will give another token (the provider dropped the refused
  // one and will mint or refresh, or another caller already did); false (the default: a fixed
  // token) when there is nothing else to offer. Must be thread-safe, like Token().
  virtual bool Renew(const std::string& rejected) { return false; }
  // The attempts of a call of `request`; null (the default): one attempt with Token().
  virtual std::unique_ptr<AuthAttempts> Begin(const ApiRequest& request) { return nullptr; }
};

class TokenAuth final : public Auth {
 public:
  explicit TokenAuth(std::string token) : token_(std::move(token)) {}
  Result<std::string> Token() override { return token_; }

 private:
  const std::string token_;
};

}  // namespace coze
