#pragma once
// Non-blocking scopes: how a request is served on the thread that owns its connection when
// everything it needs is in memory, and handed to the worker pool when it is not
// (architecture.md §8, "Cache hits on the I/O thread").
//
// The HTTP server runs a route marked `try_inline` on its I/O thread inside a NonBlockingScope.
// Every layer that would block — a store read, write or transaction (store/sql/…) — calls
// MayBlockOrThrow() first; inside the scope it throws WouldBlock before anything was done, and
// the server runs the request again from the start on a worker, where blocking is allowed. So a
// cache hit costs no thread hop, a miss costs one exception, and no store I/O can ever run on an
// I/O thread, whatever a handler calls.
//
// WouldBlock is the one exception that is not a bug (style.md, "Errors"): it does not derive
// from std::exception, so the per-request guard's catch of std::exception lets it through to
// the server's inline attempt, the only place that catches it. A handler run inline must
// therefore do nothing before its first store call that it could not do twice: read caches,
// build a response; never write.
//
// Thread-local: a scope marks only the thread that opened it. Scopes nest.

namespace cozeauth {

// Thrown by MayBlockOrThrow() inside a NonBlockingScope.
struct WouldBlock {};

class NonBlockingScope {
 public:
  NonBlockingScope() : outer_(active_) { active_ = true; }
  ~NonBlockingScope() { active_ = outer_; }
  NonBlockingScope(const NonBlockingScope&) = delete;
  NonBlockingScope& operator=(const NonBlockingScope&) = delete;

  // Whether this thread is inside a scope.
  static bool Active() { return active_; }

 private:
  static inline thread_local bool active_ = false;
  bool outer_;
};

// Called by every blocking layer before it blocks: throws WouldBlock inside a NonBlockingScope.
inline void MayBlockOrThrow() {
  if (NonBlockingScope::Active()) throw WouldBlock{};
}

}  // namespace cozeauth
