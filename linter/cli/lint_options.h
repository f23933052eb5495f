// The options `lint` and `check` share (reports, fail-on, configuration, dialect, layout, rule
// selection), registered in one place so both commands parse and document them the same way.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace migsafe::cli {

struct SharedLintArguments {
  std::vector<std::string> formats;
  std::string config_file;
  bool quiet = false;
  // Values that, when given, override the configuration file.
  std::string fail_on, dialect, target_version, layout;
  std::vector<std::string> select, extend_select, ignore;
  CLI::Option* fail_on_option = nullptr;
  CLI::Option* dialect_option = nullptr;
  CLI::Option* target_version_option = nullptr;
  CLI::Option* layout_option = nullptr;
  CLI::Option* select_option = nullptr;
};

// --format, --fail-on, --config, --dialect, --target-version, --layout, --select, --extend-select, --ignore.
void add_shared_lint_options(CLI::App* app, SharedLintArguments& args);
// --quiet (registered last, after each command's own options).
void add_quiet_option(CLI::App* app, SharedLintArguments& args);

}  // namespace migsafe::cli
