// Error types of the round-trip harness and the deadline/interrupt plumbing every blocking wait uses.
#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>

namespace migsafe::harness {

// The environment cannot provide what the run needs (no server binaries, no python with alembic, the
// server does not start, a temp directory cannot be created): exit code 3.
struct EnvironmentError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Bad command-line input (unknown engine, malformed URL): exit code 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// SIGINT/SIGTERM/SIGHUP arrived: unwind (RAII cleans up) and exit with 128 + signal.
struct Interrupted : std::runtime_error {
  explicit Interrupted(int signal_number);
  int signal_number;
};

// Installs handlers that only record SIGINT, SIGTERM and SIGHUP (no SA_RESTART, so blocking calls return
// EINTR) and ignores SIGPIPE (a dead Python driver must not kill us before cleanup). Restores the
// previous dispositions on destruction. One guard per run.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
};

// The signal recorded since the guard was installed (0 = none).
int pending_signal();
// Throws Interrupted when a signal was recorded. Call it at every wait and between steps.
void throw_if_interrupted();
// Re-raises the recorded signal with its default disposition (after cleanup), so the shell sees the
// usual "killed by signal" status. Returns only when the signal is ignored/blocked.
void reraise(int signal_number);

// A point in time after which a step is abandoned; empty = no limit.
class Deadline {
 public:
  Deadline() = default;
  static Deadline after(std::chrono::milliseconds duration);
  static Deadline after_seconds(double seconds);
  bool expired() const;
  bool limited() const { return at_.has_value(); }
  // Milliseconds to wait at most: min(cap, remaining), never negative.
  int wait_ms(int cap) const;

 private:
  std::optional<std::chrono::steady_clock::time_point> at_;
};

}  // namespace migsafe::harness
