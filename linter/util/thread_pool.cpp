#include "linter/util/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>

namespace migsafe {

std::size_t ThreadPool::default_size() { return std::max(1u, std::thread::hardware_concurrency()); }

ThreadPool::ThreadPool(std::size_t threads) {
  if (threads == 0) threads = default_size();
  workers_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

void ThreadPool::enqueue(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void ThreadPool::work() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job();
  }
}

namespace {

// Shared between the caller and the helper jobs of one parallel_for. Helpers may start after the loop
// finished (their workers were busy); they then find no index left and only drop their reference.
struct LoopState {
  std::size_t count = 0;
  std::function<void(std::size_t)> body;
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::condition_variable all_done;
  std::size_t finished = 0;
  std::exception_ptr error;

  void run() {
    for (std::size_t i = next.fetch_add(1); i < count; i = next.fetch_add(1)) {
      std::exception_ptr failure;
      try {
        body(i);
      } catch (...) {
        failure = std::current_exception();
      }
      std::lock_guard lock(mutex);
      if (failure && !error) error = failure;
      if (++finished == count) all_done.notify_all();
    }
  }
};

}  // namespace

void ThreadPool::parallel_for(std::size_t count, const std::function<void(std::size_t)>& body) {
  if (count == 0) return;
  auto state = std::make_shared<LoopState>();
  state->count = count;
  state->body = body;
  // The caller is one of the size() threads at work, so `--jobs 1` runs everything on the caller.
  std::size_t helpers = std::min(count - 1, size() - 1);
  for (std::size_t i = 0; i < helpers; ++i) enqueue([state] { state->run(); });
  state->run();
  std::unique_lock lock(state->mutex);
  state->all_done.wait(lock, [&] { return state->finished == state->count; });
  if (state->error) std::rethrow_exception(state->error);
}

}  // namespace migsafe
