#include "server/common/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"

namespace nms {
namespace {

// Shares `items` out through an atomic index, as callers of Run must.
void CountInParallel(ParallelRunner& runner, int copies, std::vector<int>* hits) {
  std::atomic<size_t> next{0};
  runner.Run(copies, [&] {
    for (size_t k = next++; k < hits->size(); k = next++) (*hits)[k]++;
  });
}

TEST(ThreadPool, EveryItemRunsExactlyOnce) {
  ThreadPool pool(3);
  for (int copies : {1, 2, 4, 16}) {
    std::vector<int> hits(10'000, 0);
    CountInParallel(pool, copies, &hits);
    for (int h : hits) ASSERT_EQ(h, 1) << copies << " copies";
  }
}

TEST(ThreadPool, HelpersReallyRunAtTheSameTime) {
  ThreadPool pool(1);
  // Each copy waits for the other: only two threads at once can finish.
  std::atomic<int> arrived{0};
  absl::Notification both;
  pool.Run(2, [&] {
    if (++arrived == 2) both.Notify();
    EXPECT_TRUE(both.WaitForNotificationWithTimeout(absl::Seconds(10)));
  });
  EXPECT_EQ(arrived.load(), 2);
}

TEST(ThreadPool, ABusyHelperIsNotWaitedFor) {
  ThreadPool pool(1);
  absl::Notification release, helper_taken;
  std::atomic<int> arrived{0};
  std::thread other([&] {
    // Both copies of this call block: once both have arrived, the pool's only helper is one.
    pool.Run(2, [&] {
      if (++arrived == 2) helper_taken.Notify();
      release.WaitForNotification();
    });
  });
  ASSERT_TRUE(helper_taken.WaitForNotificationWithTimeout(absl::Seconds(10)));
  // This call's own copy does all the work and returns although its helper copy never started.
  std::vector<int> hits(1000, 0);
  CountInParallel(pool, 2, &hits);
  for (int h : hits) ASSERT_EQ(h, 1);
  release.Notify();
  other.join();
}

TEST(ThreadPool, WithoutHelpersTheCallerDoesEverything) {
  std::vector<int> hits(100, 0);
  CountInParallel(RunInCaller(), 8, &hits);
  for (int h : hits) ASSERT_EQ(h, 1);
  ThreadPool none(0);
  EXPECT_EQ(none.helpers(), 0);
  CountInParallel(none, 8, &hits);
  for (int h : hits) ASSERT_EQ(h, 2);
}

TEST(PeriodicTask, RunsRepeatedlyUntilDestroyed) {
  std::atomic<int> runs{0};
  absl::Notification third;
  {
    PeriodicTask task(absl::Milliseconds(1), [&] {
      if (++runs == 3) third.Notify();
    });
    ASSERT_TRUE(third.WaitForNotificationWithTimeout(absl::Seconds(10)));
  }
  int after = runs.load();
  absl::SleepFor(absl::Milliseconds(20));
  EXPECT_EQ(runs.load(), after) << "no run after destruction";
}

}  // namespace
}  // namespace nms
