// Combines the configuration file with the command line: a flag given on the command line wins over the
// same key in the file; `--extend-select`, `--ignore` and `--exclude` add to the file's lists.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "linter/config/config.h"
#include "linter/engine/context.h"
#include "linter/model/project.h"

namespace migsafe {

// The lint options as typed on the command line, unvalidated; unset = not given.
struct CommandLineOverrides {
  std::optional<std::string> dialect;
  std::optional<std::string> target_version;
  std::optional<std::string> layout;
  std::optional<std::vector<std::string>> select;
  std::vector<std::string> extend_select;
  std::vector<std::string> ignore;
  std::vector<std::string> exclude;
  std::optional<std::string> fail_on;
};

// An exclude glob and the directory it is relative to (the config file's directory, or the working
// directory for --exclude).
struct ExcludePattern {
  std::string glob;
  std::filesystem::path base;
};

struct EffectiveSettings {
  LintSettings lint;
  // When neither config nor command line names a dialect, each project keeps the dialect its layout
  // detected, and the default target version of that dialect unless a target version was given.
  bool dialect_from_user = false;
  bool target_version_from_user = false;
  std::string layout = "auto";
  std::vector<ExcludePattern> exclude;
  std::map<std::string, RunnerTransaction> transaction;
  FailOn fail_on = FailOn::Error;
  std::string docs_base_url;
  std::filesystem::path config_file;  // empty when none was used
};

// Validates the command-line values (unknown names are ConfigErrors naming the option and the closest
// valid value) and applies them over `config`.
EffectiveSettings resolve_settings(const Config& config, const CommandLineOverrides& overrides,
                                   const std::filesystem::path& working_directory);

// The settings one project is linted with: its own dialect unless the user chose one.
LintSettings settings_for_project(const EffectiveSettings& settings, const Project& project);

// True when `path` (as read from disk) matches an exclude pattern relative to the pattern's base:
// gitignore-like fnmatch globs ("*.py", "legacy", "/top-only", "migrations/old_*").
bool is_excluded(const std::vector<ExcludePattern>& exclude, const std::filesystem::path& path);

}  // namespace migsafe
