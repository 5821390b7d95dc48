// GroupCommit (group_commit.hpp): a lone caller runs alone; callers that arrive while a batch
// runs are taken together by the next leader, in arrival order; each gets its own outcome; a
// throwing batch fails its followers instead of leaving them waiting.

#include "store/sql/group_commit.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

namespace cozeauth::store::sql {
namespace {

using Batches = std::vector<std::vector<int>>;

// Odd items fail with kAlreadyExists, even ones succeed; every batch is recorded.
GroupCommit<int>::RunBatch Recording(Batches& batches, std::mutex& mu) {
  return [&](std::span<const int* const> items, std::span<Status> outcomes) {
    std::vector<int> seen;
    for (size_t i = 0; i < items.size(); ++i) {
      seen.push_back(*items[i]);
      outcomes[i] = *items[i] % 2 == 0 ? Status{} : Error::Make(Errc::kAlreadyExists, "odd");
    }
    std::lock_guard lock(mu);
    batches.push_back(std::move(seen));
  };
}

// Waits (yielding) until `queue` holds `n` callers: the followers have queued.
void AwaitQueued(const GroupCommit<int>& queue, size_t n) {
  while (queue.queued() < n) std::this_thread::yield();
}

TEST(GroupCommit, ALoneCallerRunsABatchOfOne) {
  GroupCommit<int> queue(8);
  Batches batches;
  std::mutex mu;
  const int two = 2, three = 3;
  EXPECT_TRUE(queue.Submit(two, Recording(batches, mu)).has_value());
  EXPECT_EQ(queue.Submit(three, Recording(batches, mu)).error().code, Errc::kAlreadyExists);
  EXPECT_EQ(batches, (Batches{{2}, {3}}));
  EXPECT_EQ(queue.batches(), 2u);
  EXPECT_EQ(queue.items(), 2u);
}

TEST(GroupCommit, CallersArrivingDuringABatchShareTheNextOne) {
  GroupCommit<int> queue(3);
  Batches batches;
  std::mutex mu;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  // The first batch holds until every other caller has queued behind it.
  const auto first_run = [&](std::span<const int* const> items, std::span<Status> outcomes) {
    released.wait();
    Recording(batches, mu)(items, outcomes);
  };
  const int zero = 0;
  auto leader = std::async(std::launch::async, [&] { return queue.Submit(zero, first_run); });
  AwaitQueued(queue, 1);
  std::vector<int> values = {1, 2, 3, 4};
  std::vector<std::future<Status>> followers;
  for (size_t i = 0; i < values.size(); ++i) {
    followers.push_back(std::async(
        std::launch::async, [&, i] { return queue.Submit(values[i], Recording(batches, mu)); }));
    AwaitQueued(queue, i + 2);  // one at a time, so the arrival order is known
  }
  release.set_value();
  EXPECT_TRUE(leader.get().has_value());
  for (size_t i = 0; i < values.size(); ++i) {
    const Status s = followers[i].get();
    EXPECT_EQ(s.has_value(), values[i] % 2 == 0) << values[i];
  }
  // At most three per batch (max_batch), in arrival order.
  EXPECT_EQ(batches, (Batches{{0}, {1, 2, 3}, {4}}));
  EXPECT_EQ(queue.batches(), 3u);
  EXPECT_EQ(queue.items(), 5u);
  EXPECT_EQ(queue.queued(), 0u);
}

TEST(GroupCommit, AThrowingBatchFailsItsFollowersAndTheQueueGoesOn) {
  GroupCommit<int> queue(8);
  Batches batches;
  std::mutex mu;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  const auto holding = [&](std::span<const int* const> items, std::span<Status> outcomes) {
    released.wait();
    Recording(batches, mu)(items, outcomes);
  };
  const auto throwing = [](std::span<const int* const>, std::span<Status>) {
    throw std::runtime_error("bug");
  };
  const int zero = 0, one = 1, two = 2, four = 4;
  auto first = std::async(std::launch::async, [&] { return queue.Submit(zero, holding); });
  AwaitQueued(queue, 1);
  // Both queue behind the first batch; `one` leads the next batch, which holds `two` too.
  auto thrower = std::async(std::launch::async, [&] { return queue.Submit(one, throwing); });
  AwaitQueued(queue, 2);
  auto follower = std::async(std::launch::async, [&] { return queue.Submit(two, holding); });
  AwaitQueued(queue, 3);
  release.set_value();
  EXPECT_TRUE(first.get().has_value());
  EXPECT_THROW(thrower.get(), std::runtime_error);
  // The follower gets the preset internal error instead of waiting forever.
  const Status s = follower.get();
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code, Errc::kInternal);
  EXPECT_TRUE(queue.Submit(four, Recording(batches, mu)).has_value());
  EXPECT_EQ(batches, (Batches{{0}, {4}}));
  EXPECT_EQ(queue.queued(), 0u);
}

// ---- AsyncGroupCommit: the same batching for callers that do not wait.

// Outcomes as the callbacks report them, and a wait for the n-th.
class Outcomes {
 public:
  AsyncGroupCommit<int>::Done For(int item) {
    return [this, item](Status s) {
      std::lock_guard lock(mu_);
      got_.emplace_back(item, s ? Errc::kOk : s.error().code);
      cv_.notify_all();
    };
  }
  std::vector<std::pair<int, Errc>> Await(size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return got_.size() >= n; });
    return got_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::pair<int, Errc>> got_;
};

TEST(AsyncGroupCommit, ItemsQueuedDuringABatchShareTheNextOneAndEachHearsOnce) {
  Batches batches;
  std::mutex mu;
  std::promise<void> started, release;
  std::shared_future<void> released = release.get_future().share();
  bool first = true;
  AsyncGroupCommit<int> queue(3, [&](std::span<const int* const> items, std::span<Status> out) {
    if (first) {
      first = false;
      started.set_value();
      released.wait();  // the rest queue meanwhile
    }
    Recording(batches, mu)(items, out);
  });
  Outcomes outcomes;
  queue.Submit(0, outcomes.For(0));
  started.get_future().wait();
  for (int i = 1; i <= 5; ++i) queue.Submit(i, outcomes.For(i));
  release.set_value();
  const auto got = outcomes.Await(6);
  EXPECT_EQ(batches, (Batches{{0}, {1, 2, 3}, {4, 5}}));
  const std::vector<std::pair<int, Errc>> expected{{0, Errc::kOk}, {1, Errc::kAlreadyExists},
                                                   {2, Errc::kOk}, {3, Errc::kAlreadyExists},
                                                   {4, Errc::kOk}, {5, Errc::kAlreadyExists}};
  EXPECT_EQ(got, expected);
  queue.Stop();
  EXPECT_EQ(outcomes.Await(6).size(), 6u);  // nobody heard twice
  EXPECT_EQ(queue.batches(), 3u);
  EXPECT_EQ(queue.items(), 6u);
}

TEST(AsyncGroupCommit, AThrowingBatchFailsItsItemsAndTheThreadGoesOn) {
  bool thrown = false;
  AsyncGroupCommit<int> queue(8, [&](std::span<const int* const>, std::span<Status> out) {
    if (!thrown) {
      thrown = true;
      throw std::runtime_error("disk on fire");
    }
    for (Status& s : out) s = Status{};
  });
  Outcomes outcomes;
  queue.Submit(1, outcomes.For(1));
  EXPECT_EQ(outcomes.Await(1)[0].second, Errc::kInternal);
  queue.Submit(2, outcomes.For(2));
  EXPECT_EQ(outcomes.Await(2)[1], std::make_pair(2, Errc::kOk));
}

TEST(AsyncGroupCommit, StopRunsWhatIsQueuedAndRefusesWhatComesAfter) {
  std::promise<void> started, release;
  std::shared_future<void> released = release.get_future().share();
  bool first = true;
  AsyncGroupCommit<int> queue(8, [&](std::span<const int* const>, std::span<Status> out) {
    if (first) {
      first = false;
      started.set_value();
      released.wait();
    }
    for (Status& s : out) s = Status{};
  });
  Outcomes outcomes;
  queue.Submit(1, outcomes.For(1));
  started.get_future().wait();
  queue.Submit(2, outcomes.For(2));  // queued behind the running batch
  std::thread stopper([&] { queue.Stop(); });
  release.set_value();
  stopper.join();
  const auto got = outcomes.Await(2);
  EXPECT_EQ(got, (std::vector<std::pair<int, Errc>>{{1, Errc::kOk}, {2, Errc::kOk}}));
  queue.Submit(3, outcomes.For(3));  // after Stop: refused at once, on this thread
  EXPECT_EQ(outcomes.Await(3)[2], std::make_pair(3, Errc::kInternal));
}

}  // namespace
}  // namespace cozeauth::store::sql
