// --changed-since REF: which files changed since the merge base of REF and HEAD, asked of git.
// "Changed" is what a reviewer would see in the pull request plus what is not committed yet: files added,
// modified, renamed or copied between `git merge-base REF HEAD` and the working tree (committed, staged
// and unstaged changes), and untracked files that are not ignored. Deleted files are not "changed": there
// is nothing left to lint in them.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe {

struct ChangedFiles {
  std::string ref;                            // as given on the command line
  std::string merge_base;                     // commit id
  std::filesystem::path repository_root;      // canonical path of the work tree's top level
  std::set<std::filesystem::path> files;      // canonical absolute paths
};

// Asks the git found on PATH (no shell, no pager) from `directory`. Throws ConfigError (exit 2) when
// `directory` is not inside a git work tree, REF is unknown, or REF and HEAD have no merge base (with the
// CI hint for shallow clones); EnvironmentError (exit 3) when git is missing or fails otherwise.
ChangedFiles changed_since(const std::string& ref, const std::filesystem::path& directory);

// The same from already collected git output, for tests and for changed_since: `diff_z` is
// `git diff -z --name-only` and `untracked_z` is `git ls-files -z --others`, both relative to the root.
std::set<std::filesystem::path> changed_paths(const std::filesystem::path& repository_root, std::string_view diff_z,
                                              std::string_view untracked_z);

// Splits NUL-terminated records (git -z output); a missing final NUL is tolerated.
std::vector<std::string> split_nul_records(std::string_view text);

// The canonical absolute form of a display path (relative to `working_directory`, or absolute), as
// ChangedFiles::files holds them: symlinked directories resolved, "." and ".." removed.
std::filesystem::path canonical_file_path(const std::string& display_path,
                                          const std::filesystem::path& working_directory);

// Whether the file shown as `display_path` is among the changed files.
bool is_changed(const ChangedFiles& changed, const std::string& display_path,
                const std::filesystem::path& working_directory);

}  // namespace migsafe
