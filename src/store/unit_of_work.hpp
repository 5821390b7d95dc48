#pragma once
// UnitOfWork: the transaction and the auth epoch of one store backend (architecture.md §3, §8).
// Every aggregate interface (tenancy_store.hpp, content_store.hpp, credential_store.hpp,
// oauth_store.hpp, migration_store.hpp, observation_store.hpp, session_store.hpp) is a view of
// one backend object; store::Store (store.hpp) is that object, composed of all of them.
//
// Transaction(fn) runs `fn` with exclusive write access. Every call that `fn` makes on the same
// thread, to any aggregate interface of the same backend object, joins that transaction (reads
// included: they see its uncommitted writes); each such write stays atomic on its own. If `fn`
// returns an error, or throws (the exception then continues to the caller), everything it wrote
// is rolled back and nothing of it becomes visible; otherwise it all commits at once.
//
// Auth epoch: a counter that every write able to change an authorization decision increments, in
// the same transaction as the write (so a rolled-back write bumps nothing). Each aggregate
// interface lists its bumping writes in a "Bumps the auth epoch:" paragraph; a write not listed
// there must not bump. Servers poll AuthEpoch() (cheaply) to invalidate caches when another
// process wrote; the listener set with OnAuthEpochBump() covers this object's own writes.
//
// Thread safety: safe for concurrent use from many threads. Methods are synchronous and may
// block on I/O: call them from the worker pool, never from an I/O thread.
//
// Errors: lookups of a missing row return kNotFound (with a message naming what); unique
// constraint violations return kAlreadyExists; backend faults return kInternal. Ids are assigned
// by the caller (IdGenerator), never by the backend. These hold for every aggregate interface.

#include <cstdint>
#include <functional>
#include <mutex>
#include <utility>

#include "base/result.hpp"

namespace cozeauth::store {

class UnitOfWork {
 public:
  virtual ~UnitOfWork() = default;

  // Runs fn inside one write transaction (see the header comment).
  virtual Status Transaction(const std::function<Status()>& fn) = 0;
  // Cheap check for writes by any connection/process; returns the current auth epoch.
  virtual Result<int64_t> AuthEpoch() = 0;

  // `fn` runs after every commit of this object's own writes that bumped the auth epoch, on the
  // writing thread (for a Transaction(): once, after it commits), so that an in-process cache
  // drops stale decisions before the write's caller even answers (writes by other processes are
  // seen by polling AuthEpoch(); a backend that hears of them sooner may also call `fn`, from a
  // thread of its own). One listener; calls never overlap, and once OnAuthEpochBump(nullptr)
  // returns none is running, so clearing it is how the listener leaves before it goes away.
  void OnAuthEpochBump(std::function<void()> fn) {
    std::lock_guard lock(bump_mu_);
    on_bump_ = std::move(fn);
  }

 protected:
  // For backends: call after committing a write that bumped the epoch.
  void NotifyAuthEpochBump() const {
    std::lock_guard lock(bump_mu_);
    if (on_bump_) on_bump_();
  }

 private:
  mutable std::mutex bump_mu_;  // guards on_bump_ and serializes its calls
  std::function<void()> on_bump_;
};

}  // namespace cozeauth::store
