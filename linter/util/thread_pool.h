// A small fixed-size thread pool shared by the lint pipeline (projects are linted in parallel, and the
// loader parses files with the same pool). `--jobs N` sets its size.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace migsafe {

class ThreadPool {
 public:
  // `threads` = 0 means one per hardware thread. A pool of size 1 still runs tasks on its own thread.
  explicit ThreadPool(std::size_t threads = 0);
  ~ThreadPool();  // finishes queued tasks, then joins
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  std::size_t size() const { return workers_.size(); }

  // Queues `task`; the future carries its result or exception.
  template <class F>
  auto submit(F task) -> std::future<std::invoke_result_t<F>> {
    using Result = std::invoke_result_t<F>;
    auto packaged = std::make_shared<std::packaged_task<Result()>>(std::move(task));
    std::future<Result> future = packaged->get_future();
    enqueue([packaged] { (*packaged)(); });
    return future;
  }

  // Calls body(i) for every i in [0, count) and returns when all calls finished, with at most size()
  // calls at once. The calling thread takes part, so parallel_for may be nested inside a pool task
  // without deadlocking even when every worker is busy. The first exception thrown by a call is
  // rethrown here (the other calls still run).
  void parallel_for(std::size_t count, const std::function<void(std::size_t)>& body);

  // Number of threads `--jobs 0` (or no --jobs) means: hardware threads, at least 1.
  static std::size_t default_size();

 private:
  void enqueue(std::function<void()> job);
  void work();

  std::vector<std::thread> workers_;
  std::deque<std::function<void()>> queue_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace migsafe
