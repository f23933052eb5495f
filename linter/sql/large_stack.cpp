#include "linter/sql/large_stack.h"

#include <pthread.h>

#include <exception>

namespace migsafe {

namespace {

struct Job {
  const std::function<void()>* body;
  std::exception_ptr error;
};

void* run_job(void* argument) {
  Job* job = static_cast<Job*>(argument);
  try {
    (*job->body)();
  } catch (...) {
    job->error = std::current_exception();
  }
  return nullptr;
}

}  // namespace

void run_with_large_stack(std::size_t stack_bytes, const std::function<void()>& job) {
  Job state{&job, nullptr};
  pthread_attr_t attributes;
  bool started = false;
  pthread_t thread;
  if (pthread_attr_init(&attributes) == 0) {
    if (pthread_attr_setstacksize(&attributes, stack_bytes) == 0) {
      started = pthread_create(&thread, &attributes, run_job, &state) == 0;
    }
    pthread_attr_destroy(&attributes);
  }
  if (!started) {
    job();
    return;
  }
  pthread_join(thread, nullptr);
  if (state.error) std::rethrow_exception(state.error);
}

}  // namespace migsafe
