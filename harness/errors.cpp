#include "harness/errors.h"

#include <csignal>
#include <cstring>

namespace migsafe::harness {
namespace {

volatile std::sig_atomic_t recorded_signal = 0;

void record_signal(int signal_number) {
  if (recorded_signal == 0) recorded_signal = signal_number;
}

constexpr int kHandledSignals[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction previous_actions[3];
struct sigaction previous_pipe_action;

}  // namespace

Interrupted::Interrupted(int signal_number)
    : std::runtime_error(std::string("interrupted by ") + (signal_number == SIGINT    ? "SIGINT"
                                                           : signal_number == SIGTERM ? "SIGTERM"
                                                           : signal_number == SIGHUP  ? "SIGHUP"
                                                                                      : "a signal")),
      signal_number(signal_number) {}

InterruptGuard::InterruptGuard() {
  recorded_signal = 0;
  struct sigaction action {};
  action.sa_handler = record_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: waits must wake up and look at the flag
  for (std::size_t i = 0; i < std::size(kHandledSignals); ++i) {
    sigaction(kHandledSignals[i], &action, &previous_actions[i]);
  }
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  sigaction(SIGPIPE, &ignore, &previous_pipe_action);
}

InterruptGuard::~InterruptGuard() {
  for (std::size_t i = 0; i < std::size(kHandledSignals); ++i) {
    sigaction(kHandledSignals[i], &previous_actions[i], nullptr);
  }
  sigaction(SIGPIPE, &previous_pipe_action, nullptr);
}

int pending_signal() { return recorded_signal; }

void throw_if_interrupted() {
  if (int signal_number = recorded_signal; signal_number != 0) throw Interrupted(signal_number);
}

void reraise(int signal_number) {
  std::signal(signal_number, SIG_DFL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, signal_number);
  sigprocmask(SIG_UNBLOCK, &set, nullptr);
  std::raise(signal_number);
}

Deadline Deadline::after(std::chrono::milliseconds duration) {
  Deadline deadline;
  deadline.at_ = std::chrono::steady_clock::now() + duration;
  return deadline;
}

Deadline Deadline::after_seconds(double seconds) {
  return after(std::chrono::milliseconds(static_cast<long long>(seconds * 1000.0)));
}

bool Deadline::expired() const { return at_ && std::chrono::steady_clock::now() >= *at_; }

int Deadline::wait_ms(int cap) const {
  if (!at_) return cap;
  auto remaining =
      std::chrono::duration_cast<std::chrono::milliseconds>(*at_ - std::chrono::steady_clock::now()).count();
  if (remaining < 0) return 0;
  return remaining < cap ? static_cast<int>(remaining) : cap;
}

}  // namespace migsafe::harness
