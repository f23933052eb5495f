#include "linter/sql/large_stack.h"

#include <pthread.h>
#include <unistd.h>

#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>

namespace migsafe {

namespace {

thread_local bool on_large_stack = false;

// A thread with a large stack that runs one job at a time for the thread that owns it.
class LargeStackThread {
 public:
  static std::unique_ptr<LargeStackThread> start(std::size_t stack_bytes) {
    std::unique_ptr<LargeStackThread> worker(new LargeStackThread(stack_bytes));
    pthread_attr_t attributes;
    if (pthread_attr_init(&attributes) != 0) return nullptr;
    worker->started_ = pthread_attr_setstacksize(&attributes, stack_bytes) == 0 &&
                       pthread_create(&worker->thread_, &attributes, &LargeStackThread::main, worker.get()) == 0;
    pthread_attr_destroy(&attributes);
    return worker->started_ ? std::move(worker) : nullptr;
  }

  ~LargeStackThread() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    // After fork() the thread only exists in the parent; the child must not wait for it.
    if (started_ && owner_ == getpid()) pthread_join(thread_, nullptr);
  }

  std::size_t stack_bytes() const { return stack_bytes_; }
  bool usable() const { return owner_ == getpid(); }

  void run(const std::function<void()>& job) {
    std::exception_ptr error;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      job_ = &job;
      error_ = nullptr;
      wake_.notify_all();
      done_.wait(lock, [&] { return job_ == nullptr; });
      error = error_;
    }
    if (error) std::rethrow_exception(error);
  }

 private:
  explicit LargeStackThread(std::size_t stack_bytes) : stack_bytes_(stack_bytes), owner_(getpid()) {}

  static void* main(void* argument) {
    on_large_stack = true;
    static_cast<LargeStackThread*>(argument)->serve();
    return nullptr;
  }

  void serve() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      wake_.wait(lock, [&] { return job_ != nullptr || stopping_; });
      if (job_ == nullptr) return;  // stopping with no job left
      const std::function<void()>* job = job_;
      lock.unlock();
      std::exception_ptr error;
      try {
        (*job)();
      } catch (...) {
        error = std::current_exception();
      }
      lock.lock();
      error_ = error;
      job_ = nullptr;
      done_.notify_all();
    }
  }

  std::size_t stack_bytes_;
  pid_t owner_;
  pthread_t thread_{};
  bool started_ = false;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  const std::function<void()>* job_ = nullptr;
  std::exception_ptr error_;
  bool stopping_ = false;
};

// Destroyed when the owning thread exits, which stops and joins its large-stack thread.
thread_local std::unique_ptr<LargeStackThread> large_stack_thread;

}  // namespace

void run_with_large_stack(std::size_t stack_bytes, const std::function<void()>& job) {
  if (on_large_stack) {
    job();
    return;
  }
  if (large_stack_thread && (!large_stack_thread->usable() || large_stack_thread->stack_bytes() < stack_bytes)) {
    if (!large_stack_thread->usable()) {
      (void)large_stack_thread.release();  // a fork's copy of the parent's thread: nothing to join
    } else {
      large_stack_thread.reset();
    }
  }
  if (!large_stack_thread) large_stack_thread = LargeStackThread::start(stack_bytes);
  if (!large_stack_thread) {
    job();
    return;
  }
  large_stack_thread->run(job);
}

}  // namespace migsafe
