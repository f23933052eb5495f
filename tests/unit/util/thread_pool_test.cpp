#include "linter/util/thread_pool.h"

#include <atomic>
#include <numeric>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

namespace migsafe {
namespace {

TEST(ThreadPool, SizeDefaultsToHardwareThreads) {
  ThreadPool pool;
  EXPECT_EQ(pool.size(), ThreadPool::default_size());
  EXPECT_GE(ThreadPool::default_size(), 1u);
  EXPECT_EQ(ThreadPool(3).size(), 3u);
}

TEST(ThreadPool, SubmitReturnsResultsAndExceptions) {
  ThreadPool pool(2);
  auto answer = pool.submit([] { return 42; });
  auto failure = pool.submit([]() -> int { throw std::runtime_error("boom"); });
  EXPECT_EQ(answer.get(), 42);
  EXPECT_THROW(failure.get(), std::runtime_error);
}

TEST(ThreadPool, ParallelForVisitsEveryIndexOnce) {
  ThreadPool pool(4);
  std::vector<std::atomic<int>> visits(1000);
  pool.parallel_for(visits.size(), [&](std::size_t i) { visits[i]++; });
  for (const auto& count : visits) EXPECT_EQ(count.load(), 1);
  pool.parallel_for(0, [](std::size_t) { FAIL(); });
}

TEST(ThreadPool, ParallelForWithOneJobRunsOnTheCaller) {
  ThreadPool pool(1);
  std::thread::id caller = std::this_thread::get_id();
  std::vector<std::thread::id> threads(50);
  pool.parallel_for(threads.size(), [&](std::size_t i) { threads[i] = std::this_thread::get_id(); });
  for (const auto& id : threads) EXPECT_EQ(id, caller);
}

TEST(ThreadPool, NestedParallelForDoesNotDeadlock) {
  // Every worker is busy in the outer loop when the inner loops start: the callers do the work.
  ThreadPool pool(2);
  std::atomic<int> total{0};
  pool.parallel_for(8, [&](std::size_t) { pool.parallel_for(100, [&](std::size_t) { total++; }); });
  EXPECT_EQ(total.load(), 800);
}

TEST(ThreadPool, ParallelForRethrowsAfterAllCallsFinished) {
  ThreadPool pool(3);
  std::atomic<int> done{0};
  EXPECT_THROW(pool.parallel_for(100,
                                 [&](std::size_t i) {
                                   done++;
                                   if (i == 7) throw std::invalid_argument("bad project");
                                 }),
               std::invalid_argument);
  EXPECT_EQ(done.load(), 100);
}

}  // namespace
}  // namespace migsafe
