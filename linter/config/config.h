// The configuration file: `migsafe.toml`, `.migsafe.toml` or `[tool.migsafe]` in `pyproject.toml`,
// the nearest one above each linted project (see ProjectSettings), or named with `--config FILE`.
// Every key is documented in docs/configuration.md. Values are validated here, with the file, line
// and the closest valid name in every error, so that a typo never silently changes what is checked.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "linter/model/dialect.h"
#include "linter/model/finding.h"
#include "linter/model/migration.h"

namespace migsafe {

// `fail-on`: the lowest severity that makes `migsafe lint` exit 1.
enum class FailOn { Note, Warning, Error, Never };
const char* to_string(FailOn fail_on);
std::optional<FailOn> parse_fail_on(std::string_view text);
// True when `severity` is at or above the threshold.
bool fails(Severity severity, FailOn fail_on);

// A configuration or usage problem (exit 2). `what()` is "FILE:LINE:COLUMN: message" when the
// problem has a position, "FILE: message" when only the file is known.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string file, int line, int column, const std::string& message);
  explicit ConfigError(const std::string& message);
  const std::string& file() const { return file_; }
  int line() const { return line_; }

 private:
  std::string file_;
  int line_ = 0;
};

// What a configuration file sets. Unset optionals and empty lists mean "not configured".
struct Config {
  std::filesystem::path file;  // where it was read from; empty when no file was found
  std::optional<Dialect> dialect;
  std::optional<Version> target_version;
  std::optional<std::string> layout;
  std::optional<std::vector<std::string>> select;
  std::vector<std::string> extend_select;
  std::vector<std::string> ignore;
  std::map<std::string, Severity> severity;
  std::vector<std::string> exclude;
  std::map<std::string, RunnerTransaction> transaction;  // layout name -> runner mode
  std::optional<bool> lock_timeout_set_by_runner;
  std::optional<FailOn> fail_on;
  std::optional<bool> require_downgrades;
  std::optional<bool> allow_labelled_heads;
  std::optional<std::string> docs_base_url;
};

// The keys a configuration table accepts, in documentation order.
const std::vector<std::string>& config_keys();

// The nearest configuration file at or above `start` (a file's directory is used for a file):
// per directory `migsafe.toml`, then `.migsafe.toml`, then `pyproject.toml` when it has a
// [tool.migsafe] table. Throws ConfigError when a pyproject.toml on the way that mentions migsafe
// cannot be parsed (one that does not is skipped like any pyproject.toml without the table).
std::optional<std::filesystem::path> find_config(const std::filesystem::path& start);

// Reads and validates a configuration file. A pyproject.toml must contain [tool.migsafe].
// Throws ConfigError for unreadable files, TOML syntax errors and invalid keys or values.
Config load_config(const std::filesystem::path& file);

// Parses configuration text; `display_name` names the file in errors. With `pyproject`, the settings
// are read from [tool.migsafe] (an error when absent).
Config parse_config(std::string_view text, const std::string& display_name, bool pyproject);

// Names accepted by select/extend-select/ignore: every rule id, every category, and "all".
std::vector<std::string> rule_selector_names();
// Every rule id (for `severity` keys and suggestions).
std::vector<std::string> rule_ids();
// Layout names accepted by --layout and the `transaction` table (excluding "auto").
std::vector<std::string> layout_names();

}  // namespace migsafe
