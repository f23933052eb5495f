#include "harness/abandoned_dirs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>
#include <sstream>
#include <string_view>
#include <vector>

namespace migsafe::harness {
namespace {

namespace fs = std::filesystem;

constexpr const char* kMarkerHeading = "migsafe temporary directory owner";
// A marker is four short lines; anything longer is not one of ours.
constexpr std::size_t kMarkerMaxBytes = 512;

std::optional<std::string> read_small_file(const fs::path& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string text(max_bytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

std::optional<std::string> this_pid_namespace() {
  char buffer[128];
  ssize_t length = readlink("/proc/self/ns/pid", buffer, sizeof buffer);
  if (length <= 0 || static_cast<std::size_t>(length) >= sizeof buffer) return std::nullopt;
  return std::string(buffer, static_cast<std::size_t>(length));
}

// Field 22 of /proc/<pid>/stat, for a process that still runs. A zombie (state Z or X, field 3) has
// finished: where nobody reaps it (an init that does not wait) it would otherwise pass for alive forever.
// The command name (field 2) is in parentheses and may contain spaces and parentheses itself, so fields
// are counted from the last ')'.
std::optional<std::uint64_t> start_ticks_of_running(pid_t pid) {
  auto text = read_small_file("/proc/" + std::to_string(pid) + "/stat", 4096);
  if (!text) return std::nullopt;
  auto close = text->rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(text->substr(close + 1));
  std::string field;
  for (int number = 3; number <= 22; ++number) {
    if (!(fields >> field)) return std::nullopt;
    if (number == 3 && (field == "Z" || field == "X")) return std::nullopt;
  }
  std::uint64_t ticks = 0;
  auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), ticks);
  if (error != std::errc{} || end != field.data() + field.size()) return std::nullopt;
  return ticks;
}

// Digits only (no sign, no spaces), as we write them.
template <typename Number>
std::optional<Number> parse_decimal(std::string_view text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  Number value{};
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// "key value" with exactly that key; the value is returned.
std::optional<std::string_view> value_after(std::string_view line, std::string_view key) {
  if (line.size() <= key.size() + 1 || line.substr(0, key.size()) != key || line[key.size()] != ' ') {
    return std::nullopt;
  }
  return line.substr(key.size() + 1);
}

bool owner_is_gone(const ProcessIdentity& owner) {
  auto now = identity_of_process(owner.pid);
  return !now || now->start_ticks != owner.start_ticks;
}

// The marker in `dir` when it is one we wrote: a regular file (not a symlink, no other links to it)
// owned by us, well-formed, from our pid namespace. Opened without following symlinks and checked on the
// open descriptor, so that what is checked is what is read.
std::optional<ProcessIdentity> our_marker_in(const fs::path& dir) {
  auto path = dir / kOwnerMarkerName;
  int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return std::nullopt;
  struct stat info {};
  std::string text;
  if (fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_uid == geteuid() && info.st_nlink == 1) {
    char buffer[kMarkerMaxBytes + 1];
    ssize_t length = read(fd, buffer, sizeof buffer);
    if (length > 0) text.assign(buffer, static_cast<std::size_t>(length));
  }
  close(fd);
  auto owner = parse_owner_marker(text);
  auto here = this_pid_namespace();
  if (!owner || !here || owner->pid_namespace != *here) return std::nullopt;
  return owner;
}

// When we run as root the directory has been handed to the server account, so only its marker can show
// that it is ours (only root can have written a root-owned file).
bool directory_is_ours(const struct stat& info) {
  return S_ISDIR(info.st_mode) && (info.st_uid == geteuid() || geteuid() == 0);
}

// The pid in a PostgreSQL postmaster.pid (first line) when that process still runs.
std::optional<pid_t> live_server_in(const fs::path& dir) {
  for (const auto& pidfile : {dir / "data" / "postmaster.pid", dir / "postmaster.pid"}) {
    auto text = read_small_file(pidfile, 64);
    if (!text) continue;
    auto first_line = std::string_view(*text).substr(0, text->find('\n'));
    auto pid = parse_decimal<pid_t>(first_line);
    if (pid && *pid > 0 && identity_of_process(*pid)) return pid;
  }
  return std::nullopt;
}

// Each directory with a live server in it is mentioned once per run, not at every sweep.
bool first_mention(const fs::path& dir) {
  static std::mutex mutex;
  static std::set<fs::path> mentioned;
  std::lock_guard lock(mutex);
  return mentioned.insert(dir).second;
}

bool is_gone(const std::error_code& error) { return error == std::errc::no_such_file_or_directory; }

// Everything but the marker first, then the marker, then the directory: a removal that stops half-way
// leaves the marker in place, so the next run can still prove the rest is ours and finish the job.
// remove_all removes symbolic links, never what they point to.
std::error_code remove_marked_dir(const fs::path& dir) {
  std::error_code error;
  std::vector<fs::path> entries;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    if (it->path().filename() != kOwnerMarkerName) entries.push_back(it->path());
  }
  if (error) return is_gone(error) ? std::error_code{} : error;
  for (const auto& entry : entries) {
    fs::remove_all(entry, error);
    if (error && !is_gone(error)) return error;
  }
  fs::remove(dir / kOwnerMarkerName, error);
  if (error && !is_gone(error)) return error;
  fs::remove(dir, error);
  if (error && !is_gone(error)) return error;
  return {};
}

}  // namespace

std::optional<ProcessIdentity> identity_of_process(pid_t pid) {
  if (pid <= 0) return std::nullopt;
  auto ticks = start_ticks_of_running(pid);
  auto pid_namespace = this_pid_namespace();
  if (!ticks || !pid_namespace) return std::nullopt;
  return ProcessIdentity{pid, *ticks, *pid_namespace};
}

std::optional<ProcessIdentity> identity_of_this_process() { return identity_of_process(getpid()); }

std::string format_owner_marker(const ProcessIdentity& owner) {
  return std::string(kMarkerHeading) + "\npid " + std::to_string(owner.pid) + "\nstart " +
         std::to_string(owner.start_ticks) + "\npid-namespace " + owner.pid_namespace + "\n";
}

std::optional<ProcessIdentity> parse_owner_marker(const std::string& text) {
  if (text.size() > kMarkerMaxBytes || text.empty() || text.back() != '\n') return std::nullopt;
  std::vector<std::string_view> lines;
  std::string_view rest(text);
  while (!rest.empty()) {
    auto newline = rest.find('\n');
    lines.push_back(rest.substr(0, newline));
    rest.remove_prefix(newline + 1);
  }
  if (lines.size() != 4 || lines[0] != kMarkerHeading) return std::nullopt;
  auto pid_text = value_after(lines[1], "pid");
  auto start_text = value_after(lines[2], "start");
  auto pid_namespace = value_after(lines[3], "pid-namespace");
  if (!pid_text || !start_text || !pid_namespace) return std::nullopt;
  auto pid = parse_decimal<pid_t>(*pid_text);
  auto start = parse_decimal<std::uint64_t>(*start_text);
  if (!pid || *pid <= 0 || !start || pid_namespace->find(' ') != std::string_view::npos) return std::nullopt;
  return ProcessIdentity{*pid, *start, std::string(*pid_namespace)};
}

void write_owner_marker(const fs::path& dir) {
  auto path = dir / kOwnerMarkerName;
  auto owner = identity_of_this_process();
  if (!owner) {
    throw EnvironmentError("cannot write " + path.string() + ": /proc does not describe this process");
  }
  std::string text = format_owner_marker(*owner);
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) throw EnvironmentError("cannot write " + path.string() + ": " + errno_text(errno));
  ssize_t written = write(fd, text.data(), text.size());
  int write_error = errno;
  close(fd);
  if (written != static_cast<ssize_t>(text.size())) {
    throw EnvironmentError("cannot write " + path.string() + ": " +
                           (written < 0 ? errno_text(write_error) : std::string("short write")));
  }
}

void warn_on_stderr(const std::string& text) { std::cerr << "migsafe: warning: " << text << std::endl; }

std::size_t sweep_abandoned_dirs(const fs::path& parent, const std::string& prefix, const SweepWarning& warn) {
  std::size_t removed = 0;
  std::error_code error;
  std::vector<fs::path> candidates;
  for (fs::directory_iterator it(parent, error), end; !error && it != end; it.increment(error)) {
    auto name = it->path().filename().string();
    if (name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0) {
      candidates.push_back(it->path());
    }
  }
  if (error && !is_gone(error)) {
    warn("cannot look for abandoned temporary directories in " + parent.string() + ": " + error.message());
  }
  for (const auto& dir : candidates) {
    struct stat info {};
    if (lstat(dir.c_str(), &info) != 0 || !directory_is_ours(info)) continue;
    auto owner = our_marker_in(dir);
    if (!owner || !owner_is_gone(*owner)) continue;
    if (auto server = live_server_in(dir)) {
      if (first_mention(dir)) {
        warn("left " + dir.string() + " in place: its owner is gone but a server (pid " + std::to_string(*server) +
             ") still runs from it");
      }
      continue;
    }
    if (auto failure = remove_marked_dir(dir)) {
      warn("cannot remove abandoned temporary directory " + dir.string() + ": " + failure.message());
      continue;
    }
    ++removed;
  }
  return removed;
}

TempDir create_owned_temp_dir(const std::string& prefix, fs::path parent, const SweepWarning& warn) {
  if (parent.empty()) parent = default_temp_parent();
  sweep_abandoned_dirs(parent, prefix, warn);
  TempDir dir(prefix, parent);
  // Without a marker the directory is still removed by this run; only a later sweep could not claim it.
  try {
    write_owner_marker(dir.path());
  } catch (const EnvironmentError& failure) {
    warn(failure.what());
  }
  return dir;
}

}  // namespace migsafe::harness
