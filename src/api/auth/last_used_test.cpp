// LastUsedRecorder on a fake credential store: nothing is written per request, a flush writes
// each token once with its last recorded time, and a failed batch is dropped, not retried.
#include "api/auth/last_used.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "api/auth/fake_stores.hpp"

namespace cozeauth::api {
namespace {

using Rows = std::vector<std::pair<std::string, int64_t>>;

Rows Sorted(Rows rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

TEST(LastUsedRecorder, FlushWritesEachTokenOnceWithItsLastTime) {
  fakes::FakeCredentialStore store;
  LastUsedRecorder recorder(store);
  recorder.Record("4001", 100);
  recorder.Record("4002", 101);
  recorder.Record("4001", 102);
  EXPECT_TRUE(store.touched.empty());  // nothing written per request
  recorder.Flush();
  ASSERT_EQ(store.touched.size(), 1u);
  EXPECT_EQ(Sorted(store.touched[0]), (Rows{{"4001", 102}, {"4002", 101}}));
  recorder.Flush();  // nothing recorded since: no write
  EXPECT_EQ(store.touched.size(), 1u);
}

TEST(LastUsedRecorder, AFailedBatchIsDropped) {
  fakes::FakeCredentialStore store;
  LastUsedRecorder recorder(store);
  store.fault = true;
  recorder.Record("4001", 100);
  recorder.Flush();
  store.fault = false;
  recorder.Flush();
  EXPECT_EQ(store.touched.size(), 1u);  // the failed one; last_used_at is advisory
}

}  // namespace
}  // namespace cozeauth::api
