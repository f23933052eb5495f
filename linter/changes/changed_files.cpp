#include "linter/changes/changed_files.h"

#include <sys/wait.h>

#include <system_error>

#include "harness/process.h"
#include "linter/config/config.h"
#include "linter/driver.h"

namespace migsafe {

namespace fs = std::filesystem;

namespace {

// Git commands are local and quick; the limit only guards against a wedged git (a stale lock on a
// network file system), which must not hang a CI job forever.
constexpr double kGitTimeoutSeconds = 300;

struct GitResult {
  int exit_code = 0;  // -1 when killed by a signal
  std::string out;
  std::string err;
};

std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

class Git {
 public:
  explicit Git(fs::path directory) : directory_(std::move(directory)) {
    program_ = harness::find_on_path("git");
    if (program_.empty()) {
      throw EnvironmentError("--changed-since needs git, and no `git` program was found on PATH");
    }
  }

  void set_directory(fs::path directory) { directory_ = std::move(directory); }

  GitResult run(const std::vector<std::string>& arguments) const {
    harness::SpawnOptions options;
    // --no-pager and -z everywhere: output is never paged, coloured or quoted (core.quotepath), so paths
    // with spaces, newlines or non-ASCII characters arrive byte for byte.
    options.argv = {program_.string(), "--no-pager"};
    options.argv.insert(options.argv.end(), arguments.begin(), arguments.end());
    options.cwd = directory_;
    // Read-only queries: do not take the index lock to refresh stat data (another git may be running),
    // never prompt, and answer in English so that messages we quote read the same everywhere.
    options.extra_environment = {"GIT_OPTIONAL_LOCKS=0", "GIT_TERMINAL_PROMPT=0", "LC_ALL=C"};
    harness::CapturedRun run;
    try {
      run = harness::run_captured(options, harness::Deadline::after_seconds(kGitTimeoutSeconds),
                                  "git " + arguments.front());
    } catch (const harness::EnvironmentError& error) {
      throw EnvironmentError(std::string("--changed-since: ") + error.what());
    }
    GitResult result;
    result.exit_code = WIFEXITED(run.wait_status) ? WEXITSTATUS(run.wait_status) : -1;
    result.out = std::move(run.out);
    result.err = std::move(run.err);
    return result;
  }

  // Runs a command that must succeed; anything else is an environment problem (exit 3).
  std::string must(const std::vector<std::string>& arguments) const {
    GitResult result = run(arguments);
    if (result.exit_code != 0) {
      std::string command;
      for (const std::string& argument : arguments) command += " " + argument;
      throw EnvironmentError("--changed-since: `git" + command + "` failed" +
                             (result.err.empty() ? std::string() : ": " + first_line(result.err)));
    }
    return result.out;
  }

 private:
  fs::path program_;
  fs::path directory_;
};

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

constexpr const char* kShallowHint =
    "A shallow clone lacks the history to find it: fetch the whole history (GitHub Actions: "
    "actions/checkout with `fetch-depth: 0`; GitLab CI: `GIT_DEPTH: 0`; by hand: `git fetch --unshallow`).";

}  // namespace

std::vector<std::string> split_nul_records(std::string_view text) {
  std::vector<std::string> records;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\0', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) records.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return records;
}

fs::path canonical_file_path(const std::string& display_path, const fs::path& working_directory) {
  fs::path path(display_path);
  if (path.is_relative()) path = working_directory / path;
  std::error_code error;
  fs::path canonical = fs::weakly_canonical(path, error);
  return error ? path.lexically_normal() : canonical;
}

std::set<fs::path> changed_paths(const fs::path& repository_root, std::string_view diff_z,
                                 std::string_view untracked_z) {
  std::set<fs::path> files;
  for (std::string_view list : {diff_z, untracked_z}) {
    for (const std::string& relative : split_nul_records(list)) {
      files.insert(canonical_file_path((repository_root / relative).string(), repository_root));
    }
  }
  return files;
}

bool is_changed(const ChangedFiles& changed, const std::string& display_path, const fs::path& working_directory) {
  if (display_path.empty()) return false;
  return changed.files.count(canonical_file_path(display_path, working_directory)) > 0;
}

ChangedFiles changed_since(const std::string& ref, const fs::path& directory) {
  if (ref.empty()) throw ConfigError("--changed-since: the REF is empty (name a branch, tag or commit)");
  // A REF starting with '-' would be read by git as an option.
  if (ref.front() == '-') throw ConfigError("--changed-since: '" + ref + "' is not a branch, tag or commit name");

  Git git(directory);
  GitResult top = git.run({"rev-parse", "--show-toplevel"});
  if (top.exit_code != 0 || trimmed(top.out).empty()) {
    throw ConfigError("--changed-since: " + directory.string() + " is not inside a git work tree" +
                      (top.err.empty() ? std::string() : " (git: " + first_line(top.err) + ")"));
  }
  ChangedFiles changed;
  changed.ref = ref;
  changed.repository_root = canonical_file_path(trimmed(top.out), directory);
  // From the top level, every path git prints is relative to it whatever diff.relative says.
  git.set_directory(changed.repository_root);

  if (git.run({"rev-parse", "--verify", "--quiet", "HEAD^{commit}"}).exit_code != 0) {
    throw ConfigError("--changed-since: the repository at " + changed.repository_root.string() +
                      " has no commit yet (HEAD does not name one)");
  }
  bool shallow = trimmed(git.must({"rev-parse", "--is-shallow-repository"})) == "true";
  GitResult commit = git.run({"rev-parse", "--verify", "--quiet", ref + "^{commit}"});
  if (commit.exit_code != 0) {
    std::string message = "--changed-since: '" + ref + "' is not a known branch, tag or commit in " +
                          changed.repository_root.string() + ".";
    message += shallow ? std::string(" ") + kShallowHint
                       : " In CI, fetch it first (e.g. `git fetch origin main`) and pass `origin/main`.";
    throw ConfigError(message);
  }
  std::string ref_commit = trimmed(commit.out);
  GitResult base = git.run({"merge-base", ref_commit, "HEAD"});
  if (base.exit_code == 1 || (base.exit_code == 0 && trimmed(base.out).empty())) {
    std::string message = "--changed-since: '" + ref + "' and HEAD have no common ancestor (no merge base), so "
                          "migsafe cannot tell which migrations changed.";
    message += std::string(" ") + kShallowHint;
    if (!shallow) message += " (This repository is not shallow: are REF and HEAD unrelated histories?)";
    throw ConfigError(message);
  }
  if (base.exit_code != 0) {
    throw EnvironmentError("--changed-since: `git merge-base` failed" +
                           (base.err.empty() ? std::string() : ": " + first_line(base.err)));
  }
  changed.merge_base = first_line(base.out);

  // Merge base -> working tree: committed, staged and unstaged changes in one list; renames and copies
  // under their new name. No textconv or external diff: only names are wanted.
  std::string diff = git.must({"diff", "-z", "--name-only", "--no-ext-diff", "--no-textconv", "--no-color",
                               "--find-renames", "--find-copies", "--diff-filter=ACMR", changed.merge_base, "--"});
  std::string untracked = git.must({"ls-files", "-z", "--others", "--exclude-standard", "--full-name"});
  changed.files = changed_paths(changed.repository_root, diff, untracked);
  return changed;
}

}  // namespace migsafe
