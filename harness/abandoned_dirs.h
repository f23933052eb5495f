// Temporary directories that outlive a killed run. TempDir removes its directory on destruction and the
// CLI on Ctrl-C / SIGTERM, but a process killed outright (SIGKILL, a test binary killed by its timeout)
// runs no destructor. So each private directory carries an owner marker naming the process that made it,
// and the next run sweeps the directories whose owner is provably gone.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "harness/process.h"

namespace migsafe::harness {

inline constexpr const char* kOwnerMarkerName = "migsafe-owner";

// A process as the kernel names it: a pid alone is reused, pid plus start time (field 22 of
// /proc/<pid>/stat, in clock ticks since boot) is not. The pid namespace tells whether the pid means
// anything here (a /tmp shared between containers holds markers from other namespaces).
struct ProcessIdentity {
  pid_t pid = 0;
  std::uint64_t start_ticks = 0;
  std::string pid_namespace;  // the /proc/self/ns/pid link text, e.g. "pid:[4026531836]"
  bool operator==(const ProcessIdentity&) const = default;
};

// The identity of a running process; nullopt when there is no such process, only its zombie, or /proc
// cannot say.
std::optional<ProcessIdentity> identity_of_process(pid_t pid);
std::optional<ProcessIdentity> identity_of_this_process();

// The marker file's text, and its strict reading (nullopt for anything else: we only act on markers we wrote).
std::string format_owner_marker(const ProcessIdentity& owner);
std::optional<ProcessIdentity> parse_owner_marker(const std::string& text);

// Writes `dir`/migsafe-owner naming this process. Throws EnvironmentError (naming the path) on failure.
void write_owner_marker(const std::filesystem::path& dir);

// Receives one line per directory the sweep could not remove or chose to leave with a server in it.
using SweepWarning = std::function<void(const std::string&)>;
// Writes "migsafe: warning: <text>" to standard error.
void warn_on_stderr(const std::string& text);

// Removes the directories `parent`/<prefix>* that this run can prove were made by a process that is gone:
// a real directory (not a symlink) owned by us, holding a marker we wrote (a regular file owned by us,
// well-formed, same pid namespace) whose owner no longer runs (no such pid, or a different start time),
// and no live server named by a postmaster.pid in it. Everything else is left alone. Never throws:
// failures go to `warn` and the sweep goes on. Returns how many directories it removed.
std::size_t sweep_abandoned_dirs(const std::filesystem::path& parent, const std::string& prefix,
                                 const SweepWarning& warn = warn_on_stderr);

// The way the harness makes its private directories: sweep the abandoned ones with the same prefix,
// create a new one (mode 0700), mark it as ours. `parent` empty = default_temp_parent().
TempDir create_owned_temp_dir(const std::string& prefix, std::filesystem::path parent = {},
                              const SweepWarning& warn = warn_on_stderr);

}  // namespace migsafe::harness
