// Child processes and temporary directories that never outlive the run: children get their own process
// group and a parent-death signal, temporary directories are removed by their destructor.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "harness/errors.h"

namespace migsafe::harness {

// An unprivileged account to run a child as (PostgreSQL refuses to run as root).
struct RunAs {
  std::string user;
  uid_t uid = 0;
  gid_t gid = 0;
};
// The account to run PostgreSQL server binaries as: nullopt when we are not root; the `postgres` system
// user when we are root; throws EnvironmentError when we are root and no such user exists.
std::optional<RunAs> unprivileged_account_for_server();

struct SpawnOptions {
  std::vector<std::string> argv;             // argv[0] is the program path
  std::filesystem::path cwd;                 // empty = inherit
  std::filesystem::path output_file;         // stdout and stderr appended here; empty = /dev/null
  bool pipe_stdin = false;                   // give us a pipe to the child's stdin
  bool pipe_stdout = false;                  // give us a pipe from the child's stdout (stderr still to output_file)
  bool pipe_stderr = false;                  // give us a pipe from the child's stderr
  std::optional<RunAs> run_as;
  int death_signal = SIGKILL;                // sent to the child when we die (PR_SET_PDEATHSIG)
  std::vector<std::string> extra_environment;  // "NAME=value" added to ours
};

class ChildProcess {
 public:
  // Forks and execs; throws EnvironmentError (with errno text) when the program cannot be started.
  static ChildProcess spawn(const SpawnOptions& options);
  ChildProcess() = default;
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  // A child still running is killed (its whole process group) and reaped.
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  bool running();
  // Raw wait status once the child has exited (after running() returned false or wait*() succeeded).
  std::optional<int> status() const { return status_; }
  // Waits until exit or the deadline; returns false on timeout. Throws Interrupted (after killing the
  // child) when a signal arrives and `interruptible` is set.
  bool wait_until(const Deadline& deadline, bool interruptible);
  void signal(int signal_number);        // the child only
  void signal_group(int signal_number);  // the child's process group
  // SIGKILL to the group and reap.
  void kill_and_reap();

  int stdin_fd() const { return stdin_fd_; }
  int stdout_fd() const { return stdout_fd_; }
  int stderr_fd() const { return stderr_fd_; }
  void close_stdin();

 private:
  void release();
  pid_t pid_ = -1;
  std::optional<int> status_;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
};

// strerror(error), for messages that name what failed.
std::string errno_text(int error);
// Describes a wait status: "exited with code 1", "killed by signal 9".
std::string describe_exit(int wait_status);
bool exited_successfully(int wait_status);

// Runs a program to completion; returns its wait status. Throws EnvironmentError on timeout.
int run_to_completion(const SpawnOptions& options, const Deadline& deadline, const std::string& what);

// What a short-lived command printed, and how it ended.
struct CapturedRun {
  int wait_status = 0;
  std::string out;
  std::string err;
};
// Runs a program to completion with stdin from /dev/null, collecting its standard output and error
// separately (read concurrently, so neither pipe can fill up and block the child). No shell is involved.
// Throws EnvironmentError when it cannot be started or does not finish before the deadline.
CapturedRun run_captured(SpawnOptions options, const Deadline& deadline, const std::string& what);

// A private directory (mode 0700) created under `parent` (default: $TMPDIR or /tmp) and removed with
// everything in it on destruction. The harness makes its directories with create_owned_temp_dir
// (harness/abandoned_dirs.h), which also marks them so that a later run can remove them when this
// process is killed before its destructors run.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix, std::filesystem::path parent = {});
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&&) = delete;
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  // Hands the directory (recursively) to another account, all but its owner marker.
  void chown_to(const RunAs& account) const;

 private:
  std::filesystem::path path_;
};

std::filesystem::path default_temp_parent();

// The last `max_bytes` of a file (for error messages that quote a server log).
std::string tail_of_file(const std::filesystem::path& path, std::size_t max_bytes = 2000);

// Looks a program up on PATH; empty when absent.
std::filesystem::path find_on_path(const std::string& program);

}  // namespace migsafe::harness
