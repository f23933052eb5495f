#include "harness/process.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness/abandoned_dirs.h"

extern char** environ;

namespace migsafe::harness {
std::string errno_text(int error) { return std::strerror(error); }

namespace {

// In the forked child only async-signal-safe calls are allowed: report failures through the pipe.
[[noreturn]] void child_fail(int report_fd, int error) {
  (void)!write(report_fd, &error, sizeof error);
  _exit(127);
}

}  // namespace

std::optional<RunAs> unprivileged_account_for_server() {
  if (geteuid() != 0) return std::nullopt;
  struct passwd* entry = getpwnam("postgres");
  if (entry == nullptr) {
    throw EnvironmentError(
        "PostgreSQL refuses to run as root and there is no 'postgres' system user to run the throw-away "
        "server as; run migsafe as an unprivileged user, or create the user (e.g. install the postgresql "
        "package), or use --database-url");
  }
  return RunAs{entry->pw_name, entry->pw_uid, entry->pw_gid};
}

ChildProcess ChildProcess::spawn(const SpawnOptions& options) {
  if (options.argv.empty()) throw EnvironmentError("internal error: empty command line");
  std::vector<std::string> environment_storage;
  for (char** entry = environ; *entry != nullptr; ++entry) environment_storage.emplace_back(*entry);
  for (const auto& extra : options.extra_environment) environment_storage.push_back(extra);
  std::vector<char*> envp;
  for (auto& entry : environment_storage) envp.push_back(entry.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_storage = options.argv;
  std::vector<char*> argv;
  for (auto& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::string output = options.output_file.empty() ? std::string("/dev/null") : options.output_file.string();
  std::string cwd = options.cwd.string();
  std::vector<gid_t> no_groups;

  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) throw EnvironmentError("pipe: " + errno_text(errno));
  int in_pipe[2] = {-1, -1};
  int out_pipe[2] = {-1, -1};
  int err_pipe[2] = {-1, -1};
  if (options.pipe_stdin && pipe2(in_pipe, O_CLOEXEC) != 0) throw EnvironmentError("pipe: " + errno_text(errno));
  if (options.pipe_stdout && pipe2(out_pipe, O_CLOEXEC) != 0) throw EnvironmentError("pipe: " + errno_text(errno));
  if (options.pipe_stderr && pipe2(err_pipe, O_CLOEXEC) != 0) throw EnvironmentError("pipe: " + errno_text(errno));
  pid_t parent = getpid();

  pid_t pid = fork();
  if (pid < 0) throw EnvironmentError("fork: " + errno_text(errno));
  if (pid == 0) {
    // Own process group: a terminal Ctrl-C reaches only us, and we decide how the child stops.
    setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT}) ::signal(s, SIG_DFL);
    int out_fd = open(output.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (out_fd < 0) child_fail(report[1], errno);
    int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_fd < 0) child_fail(report[1], errno);
    if (dup2(options.pipe_stdin ? in_pipe[0] : null_fd, 0) < 0) child_fail(report[1], errno);
    if (dup2(options.pipe_stdout ? out_pipe[1] : out_fd, 1) < 0) child_fail(report[1], errno);
    if (dup2(options.pipe_stderr ? err_pipe[1] : out_fd, 2) < 0) child_fail(report[1], errno);
    if (options.run_as) {
      if (setgroups(0, no_groups.data()) != 0 || setgid(options.run_as->gid) != 0 ||
          setuid(options.run_as->uid) != 0) {
        child_fail(report[1], errno);
      }
    }
    // After setuid: changing credentials clears the parent-death signal.
    if (prctl(PR_SET_PDEATHSIG, options.death_signal) != 0) child_fail(report[1], errno);
    if (getppid() != parent) _exit(1);  // we died between fork and prctl
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) child_fail(report[1], errno);
    execve(argv[0], argv.data(), envp.data());
    child_fail(report[1], errno);
  }
  setpgid(pid, pid);  // also from the parent, so the group exists before we might signal it
  close(report[1]);
  if (options.pipe_stdin) close(in_pipe[0]);
  if (options.pipe_stdout) close(out_pipe[1]);
  if (options.pipe_stderr) close(err_pipe[1]);
  ChildProcess child;
  child.pid_ = pid;
  child.stdin_fd_ = options.pipe_stdin ? in_pipe[1] : -1;
  child.stdout_fd_ = options.pipe_stdout ? out_pipe[0] : -1;
  child.stderr_fd_ = options.pipe_stderr ? err_pipe[0] : -1;
  int error = 0;
  ssize_t got;
  do {
    got = read(report[0], &error, sizeof error);
  } while (got < 0 && errno == EINTR);
  close(report[0]);
  if (got == static_cast<ssize_t>(sizeof error)) {
    child.kill_and_reap();
    throw EnvironmentError("cannot start " + options.argv[0] + ": " + errno_text(error));
  }
  return child;
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept { *this = std::move(other); }

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    release();
    pid_ = other.pid_;
    status_ = other.status_;
    stdin_fd_ = other.stdin_fd_;
    stdout_fd_ = other.stdout_fd_;
    stderr_fd_ = other.stderr_fd_;
    other.pid_ = -1;
    other.stdin_fd_ = other.stdout_fd_ = other.stderr_fd_ = -1;
  }
  return *this;
}

ChildProcess::~ChildProcess() { release(); }

void ChildProcess::release() {
  if (pid_ > 0 && !status_) kill_and_reap();
  close_stdin();
  if (stdout_fd_ >= 0) close(stdout_fd_);
  if (stderr_fd_ >= 0) close(stderr_fd_);
  stdout_fd_ = stderr_fd_ = -1;
  pid_ = -1;
}

void ChildProcess::close_stdin() {
  if (stdin_fd_ >= 0) close(stdin_fd_);
  stdin_fd_ = -1;
}

bool ChildProcess::running() {
  if (pid_ <= 0 || status_) return false;
  int wait_status = 0;
  pid_t result = waitpid(pid_, &wait_status, WNOHANG);
  if (result == pid_) {
    status_ = wait_status;
    return false;
  }
  return true;
}

bool ChildProcess::wait_until(const Deadline& deadline, bool interruptible) {
  while (running()) {
    if (interruptible && pending_signal() != 0) {
      kill_and_reap();
      throw_if_interrupted();
    }
    if (deadline.expired()) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(deadline.wait_ms(5)));
  }
  return true;
}

void ChildProcess::signal(int signal_number) {
  if (pid_ > 0 && !status_) ::kill(pid_, signal_number);
}

void ChildProcess::signal_group(int signal_number) {
  if (pid_ > 0 && !status_) ::kill(-pid_, signal_number);
}

void ChildProcess::kill_and_reap() {
  if (pid_ <= 0 || status_) return;
  ::kill(-pid_, SIGKILL);
  ::kill(pid_, SIGKILL);
  int wait_status = 0;
  while (waitpid(pid_, &wait_status, 0) < 0 && errno == EINTR) {
  }
  status_ = wait_status;
}

std::string describe_exit(int wait_status) {
  if (WIFEXITED(wait_status)) return "exited with code " + std::to_string(WEXITSTATUS(wait_status));
  if (WIFSIGNALED(wait_status)) return "was killed by signal " + std::to_string(WTERMSIG(wait_status));
  return "stopped";
}

bool exited_successfully(int wait_status) { return WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0; }

int run_to_completion(const SpawnOptions& options, const Deadline& deadline, const std::string& what) {
  ChildProcess child = ChildProcess::spawn(options);
  if (!child.wait_until(deadline, true)) {
    child.kill_and_reap();
    throw EnvironmentError(what + " did not finish in time");
  }
  return *child.status();
}

CapturedRun run_captured(SpawnOptions options, const Deadline& deadline, const std::string& what) {
  options.pipe_stdin = false;
  options.pipe_stdout = true;
  options.pipe_stderr = true;
  ChildProcess child = ChildProcess::spawn(options);
  CapturedRun run;
  struct Stream {
    int fd;
    std::string* text;
  };
  std::vector<Stream> open_streams{{child.stdout_fd(), &run.out}, {child.stderr_fd(), &run.err}};
  char buffer[65536];
  while (!open_streams.empty()) {
    if (deadline.expired()) {
      child.kill_and_reap();
      throw EnvironmentError(what + " did not finish in time");
    }
    std::vector<pollfd> polled;
    for (const Stream& stream : open_streams) polled.push_back({stream.fd, POLLIN, 0});
    int ready = poll(polled.data(), polled.size(), deadline.limited() ? deadline.wait_ms(1000) : 1000);
    if (ready < 0) {
      if (errno == EINTR) continue;
      throw EnvironmentError("poll: " + errno_text(errno));
    }
    for (std::size_t i = polled.size(); i-- > 0;) {
      if (polled[i].revents == 0) continue;
      ssize_t got = read(open_streams[i].fd, buffer, sizeof buffer);
      if (got > 0) {
        open_streams[i].text->append(buffer, static_cast<std::size_t>(got));
      } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
        open_streams.erase(open_streams.begin() + static_cast<std::ptrdiff_t>(i));  // EOF (fd closed with the child)
      }
    }
  }
  if (!child.wait_until(deadline, false)) {
    child.kill_and_reap();
    throw EnvironmentError(what + " did not finish in time");
  }
  run.wait_status = *child.status();
  return run;
}

std::filesystem::path default_temp_parent() {
  const char* tmpdir = std::getenv("TMPDIR");
  if (tmpdir != nullptr && *tmpdir != '\0') return tmpdir;
  return "/tmp";
}

TempDir::TempDir(const std::string& prefix, std::filesystem::path parent) {
  if (parent.empty()) parent = default_temp_parent();
  std::string pattern = (parent / (prefix + "XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw EnvironmentError("cannot create a temporary directory in " + parent.string() + ": " + errno_text(errno));
  }
  path_ = pattern;
}

TempDir::TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }

TempDir::~TempDir() {
  if (path_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void TempDir::chown_to(const RunAs& account) const {
  auto change = [&](const std::filesystem::path& p) {
    if (lchown(p.c_str(), account.uid, account.gid) != 0) {
      throw EnvironmentError("cannot hand " + p.string() + " to user " + account.user + ": " + errno_text(errno));
    }
  };
  change(path_);
  // The owner marker stays ours: when we run as root it is the only proof, for a later sweep, that the
  // (now someone else's) directory was made by migsafe.
  auto marker = path_ / kOwnerMarkerName;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(path_)) {
    if (entry.path() != marker) change(entry.path());
  }
}

std::string tail_of_file(const std::filesystem::path& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  if (text.size() > max_bytes) text = "..." + text.substr(text.size() - max_bytes);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

std::filesystem::path find_on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return {};
  std::stringstream dirs(path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    std::filesystem::path candidate = std::filesystem::path(dir) / program;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

}  // namespace migsafe::harness
