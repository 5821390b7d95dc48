#pragma once
// GroupCommit: commits writes that several threads submit at about the same time in one
// transaction (group commit; the writer queue of LevelDB's DBImpl::Write). Submit() queues the
// caller's item and waits. The thread whose item is at the head of the queue leads: it takes up
// to `max_batch` queued items, its own first, and runs them through `run` — one transaction —
// while later callers queue behind it; then it hands every item its outcome, wakes each of those
// callers, and wakes the new head, which leads the next batch. A lone caller leads a batch of
// one, so nothing waits for company: batches form only while a transaction is already running.
//
// `run(items, outcomes)` gets the batch and one Status per item, each preset to an internal
// error, and must leave in outcomes[i] what item i's caller is to be told (and tell every caller
// the failure when the transaction as a whole did not commit). If `run` throws, the other callers
// of the batch get the preset error and the exception continues in the leader.
//
// Thread-safe. Items are borrowed: each stays alive until its Submit() returns.

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <span>
#include <thread>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "base/thread_name.hpp"

namespace cozeauth::store::sql {

template <typename Item>
class GroupCommit {
 public:
  using RunBatch = std::function<void(std::span<const Item* const> items, std::span<Status>)>;

  explicit GroupCommit(size_t max_batch) : max_batch_(std::max<size_t>(1, max_batch)) {}
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  Status Submit(const Item& item, const RunBatch& run) {
    Waiter self(&item);
    std::unique_lock lock(mu_);
    queue_.push_back(&self);
    self.cv.wait(lock, [&] { return self.done || queue_.front() == &self; });
    if (self.done) return std::move(self.outcome);

    // This thread leads: the batch is the head of the queue, its own item first.
    const size_t n = std::min(max_batch_, queue_.size());
    std::vector<Waiter*> batch(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    lock.unlock();
    std::vector<const Item*> items;
    items.reserve(n);
    for (Waiter* w : batch) items.push_back(w->item);
    std::vector<Status> outcomes(n, Error::Make(Errc::kInternal, "group commit: batch failed"));
    // Hands the outcomes over also when `run` throws, so that no follower waits forever.
    struct Handover {
      GroupCommit& queue;
      std::vector<Waiter*>& batch;
      std::vector<Status>& outcomes;
      ~Handover() {
        std::lock_guard guard(queue.mu_);
        for (size_t i = 0; i < batch.size(); ++i) {
          queue.queue_.pop_front();
          batch[i]->outcome = std::move(outcomes[i]);
          batch[i]->done = true;
          if (i > 0) batch[i]->cv.notify_one();
        }
        if (!queue.queue_.empty()) queue.queue_.front()->cv.notify_one();
        queue.batches_ += 1;
        queue.items_ += batch.size();
      }
    };
    {
      Handover handover{*this, batch, outcomes};
      run(std::span<const Item* const>(items), std::span<Status>(outcomes));
    }
    return std::move(self.outcome);
  }

  // Batches run and items they held so far (for tests and figures: items / batches is the mean
  // batch size).
  size_t batches() const {
    std::lock_guard lock(mu_);
    return batches_;
  }
  size_t items() const {
    std::lock_guard lock(mu_);
    return items_;
  }
  // Callers queued right now, the running batch included.
  size_t queued() const {
    std::lock_guard lock(mu_);
    return queue_.size();
  }

 private:
  struct Waiter {
    explicit Waiter(const Item* i) : item(i) {}
    const Item* item;
    Status outcome;
    bool done = false;
    std::condition_variable cv;
  };

  const size_t max_batch_;
  mutable std::mutex mu_;
  std::deque<Waiter*> queue_;  // the running batch at the front, then the callers waiting
  size_t batches_ = 0;
  size_t items_ = 0;
};

// AsyncGroupCommit: the group commit for callers that do not wait (an HTTP server that must not
// park a thread per request on a commit). Submit() queues the item with its callback and returns
// at once. One thread of its own, started by the first Submit(), takes everything queued — up to
// `max_batch` items, in arrival order — runs it through `run` (one transaction, as GroupCommit's
// leader does), then calls each item's callback with its outcome, and takes the next batch. So
// the batch is whatever arrived while the previous one ran, however many threads submitted it.
//
// Every callback is called exactly once, on that thread, after its batch committed or failed; it
// must not block (hand the outcome over to another thread). Stop() (and the destructor) lets the
// thread finish every item queued before it, then joins it; a Submit() after Stop() is refused
// with an internal error through the callback, at once. If `run` throws, the batch's items get the
// preset internal error.
//
// Thread-safe.
template <typename Item>
class AsyncGroupCommit {
 public:
  using RunBatch = std::function<void(std::span<const Item* const> items, std::span<Status>)>;
  using Done = std::function<void(Status)>;

  AsyncGroupCommit(size_t max_batch, RunBatch run)
      : max_batch_(std::max<size_t>(1, max_batch)), run_(std::move(run)) {}
  AsyncGroupCommit(const AsyncGroupCommit&) = delete;
  AsyncGroupCommit& operator=(const AsyncGroupCommit&) = delete;
  ~AsyncGroupCommit() { Stop(); }

  void Submit(Item item, Done done) {
    {
      std::lock_guard lock(mu_);
      if (!stopping_) {
        queue_.push_back(Pending{std::move(item), std::move(done)});
        if (!thread_.joinable()) {
          thread_ = std::thread([this] {
            NameThisThread("cz-commit");
            Loop();
          });
        }
        cv_.notify_one();
        return;
      }
    }
    done(Error::Make(Errc::kInternal, "group commit: stopped"));
  }

  void Stop() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
      cv_.notify_one();
    }
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
  }

  // Batches run and items they held so far.
  size_t batches() const {
    std::lock_guard lock(mu_);
    return batches_;
  }
  size_t items() const {
    std::lock_guard lock(mu_);
    return items_;
  }

 private:
  struct Pending {
    Item item;
    Done done;
  };

  void Loop() {
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left
      const size_t n = std::min(max_batch_, queue_.size());
      std::vector<Pending> batch;
      batch.reserve(n);
      for (size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      lock.unlock();
      std::vector<const Item*> items;
      items.reserve(n);
      for (const Pending& p : batch) items.push_back(&p.item);
      std::vector<Status> outcomes(n, Error::Make(Errc::kInternal, "group commit: batch failed"));
      try {
        run_(std::span<const Item* const>(items), std::span<Status>(outcomes));
      } catch (...) {
        // Each caller gets the preset error; the thread goes on with the next batch.
      }
      for (size_t i = 0; i < n; ++i) batch[i].done(std::move(outcomes[i]));
      lock.lock();
      batches_ += 1;
      items_ += n;
    }
  }

  const size_t max_batch_;
  const RunBatch run_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  std::thread thread_;
  size_t batches_ = 0;
  size_t items_ = 0;
};

}  // namespace cozeauth::store::sql
