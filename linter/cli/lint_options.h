// The options `lint` and `check` share (reports, fail-on, configuration, dialect, layout, rule
// selection, --changed-since, --baseline), registered in one place so both commands parse and document
// them the same way. `baseline` shares the analysis options (not the report ones).
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "linter/driver.h"

namespace migsafe::cli {

struct SharedLintArguments {
  std::vector<std::string> formats;
  std::string config_file;
  bool quiet = false;
  // Values that, when given, override the configuration file.
  std::string fail_on, dialect, target_version, layout;
  std::vector<std::string> select, extend_select, ignore;
  std::string changed_since;  // --changed-since REF (empty = every file)
  std::string baseline_file;  // --baseline FILE (empty = none)
  CLI::Option* fail_on_option = nullptr;
  CLI::Option* dialect_option = nullptr;
  CLI::Option* target_version_option = nullptr;
  CLI::Option* layout_option = nullptr;
  CLI::Option* select_option = nullptr;
  CLI::Option* changed_since_option = nullptr;
  CLI::Option* baseline_option = nullptr;
};

// --format, --fail-on, then add_analysis_options, then --baseline.
void add_shared_lint_options(CLI::App* app, SharedLintArguments& args);
// --config, --dialect, --target-version, --layout, --select, --extend-select, --ignore, --changed-since.
void add_analysis_options(CLI::App* app, SharedLintArguments& args);

// --changed-since and --baseline into the request: asks git, reads the baseline. Throws ConfigError
// (exit 2) and EnvironmentError (exit 3) as changed_since() and load_baseline() do.
void apply_scope_options(const SharedLintArguments& args, LintRequest& request);
// --quiet (registered last, after each command's own options).
void add_quiet_option(CLI::App* app, SharedLintArguments& args);

}  // namespace migsafe::cli
