#include "linter/config/settings.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <system_error>

#include "linter/layouts/layout_support.h"
#include "linter/util/string_distance.h"
#include "linter/util/text.h"

namespace migsafe {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void usage_error(const std::string& option, const std::string& message) {
  throw ConfigError(option + ": " + message);
}

// Command-line lists arrive split at commas; "a, b" leaves spaces and "a,,b" empty items behind.
std::vector<std::string> checked_selectors(const std::string& option, const std::vector<std::string>& values) {
  static const std::vector<std::string> names = rule_selector_names();
  std::vector<std::string> result;
  for (const std::string& raw : values) {
    std::string value = trimmed(raw);
    if (value.empty()) continue;
    if (std::find(names.begin(), names.end(), value) == names.end()) {
      usage_error(option, "unknown rule or category '" + value + "'" + did_you_mean(value, names) +
                              " (`migsafe rules` lists them)");
    }
    result.push_back(value);
  }
  return result;
}

}  // namespace

EffectiveSettings resolve_settings(const Config& config, const CommandLineOverrides& overrides,
                                   const fs::path& working_directory) {
  EffectiveSettings settings;
  settings.config_file = config.file;
  LintSettings& lint = settings.lint;

  std::optional<Dialect> dialect = config.dialect;
  if (overrides.dialect) {
    dialect = parse_dialect(*overrides.dialect);
    if (!dialect) {
      usage_error("--dialect", "unknown dialect '" + *overrides.dialect + "'" +
                                   did_you_mean(*overrides.dialect, {"postgresql", "mysql", "mariadb", "sqlite"}) +
                                   " (expected postgresql, mysql, mariadb or sqlite)");
    }
  }
  if (dialect) {
    lint.dialect = *dialect;
    settings.dialect_from_user = true;
  }

  std::optional<Version> version = config.target_version;
  if (overrides.target_version) {
    version = Version::parse(*overrides.target_version);
    if (!version) {
      usage_error("--target-version",
                  "invalid version '" + *overrides.target_version + "' (expected a version such as 14 or 8.0.29)");
    }
  }
  lint.target_version = version ? *version : default_version(lint.dialect);
  settings.target_version_from_user = version.has_value();

  settings.layout = config.layout.value_or("auto");
  if (overrides.layout) {
    std::vector<std::string> names = layout_names();
    names.insert(names.begin(), "auto");
    if (std::find(names.begin(), names.end(), *overrides.layout) == names.end()) {
      usage_error("--layout", "unknown layout '" + *overrides.layout + "'" + did_you_mean(*overrides.layout, names));
    }
    settings.layout = *overrides.layout;
  }

  if (config.select) lint.select = *config.select;
  if (overrides.select) lint.select = checked_selectors("--select", *overrides.select);
  lint.extend_select = config.extend_select;
  for (const std::string& value : checked_selectors("--extend-select", overrides.extend_select)) {
    lint.extend_select.push_back(value);
  }
  lint.ignore = config.ignore;
  for (const std::string& value : checked_selectors("--ignore", overrides.ignore)) lint.ignore.push_back(value);
  lint.severity_overrides = config.severity;
  lint.lock_timeout_set_by_runner = config.lock_timeout_set_by_runner.value_or(false);
  lint.require_downgrades = config.require_downgrades.value_or(false);
  lint.allow_labelled_heads = config.allow_labelled_heads.value_or(false);

  fs::path config_directory = config.file.empty() ? working_directory : config.file.parent_path();
  if (config_directory.empty()) config_directory = working_directory;
  for (const std::string& glob : config.exclude) settings.exclude.push_back({glob, config_directory});
  for (const std::string& glob : overrides.exclude) {
    if (trim(glob).empty()) usage_error("--exclude", "the pattern must not be empty");
    settings.exclude.push_back({trimmed(glob), working_directory});
  }

  settings.transaction = config.transaction;
  settings.fail_on = config.fail_on.value_or(FailOn::Error);
  if (overrides.fail_on) {
    auto fail_on = parse_fail_on(*overrides.fail_on);
    if (!fail_on) {
      usage_error("--fail-on", "invalid value '" + *overrides.fail_on + "' (expected error, warning, note or never)" +
                                   did_you_mean(*overrides.fail_on, {"error", "warning", "note", "never"}));
    }
    settings.fail_on = *fail_on;
  }
  // $MIGSAFE_DOCS_BASE_URL is the default when the configuration names none: the GitHub Action sets it to
  // the docs/rules/ folder of the action's own repository and ref, so that reports link to rule pages
  // without overriding a project's own docs-base-url.
  const char* docs_from_environment = std::getenv("MIGSAFE_DOCS_BASE_URL");
  settings.docs_base_url = config.docs_base_url.value_or(docs_from_environment ? docs_from_environment : "");
  return settings;
}

LintSettings settings_for_project(const EffectiveSettings& settings, const Project& project) {
  LintSettings lint = settings.lint;
  if (!settings.dialect_from_user) {
    lint.dialect = project.dialect;
    if (!settings.target_version_from_user) lint.target_version = default_version(project.dialect);
  }
  return lint;
}

bool is_excluded(const std::vector<ExcludePattern>& exclude, const fs::path& path) {
  if (exclude.empty()) return false;
  std::error_code error;
  fs::path absolute = fs::absolute(path, error).lexically_normal();
  for (const ExcludePattern& pattern : exclude) {
    // The loader's matcher, so that a pattern means the same whether it stops a file from being read
    // or drops a finding.
    if (path_excluded(absolute, fs::absolute(pattern.base, error), {pattern.glob})) return true;
  }
  return false;
}

}  // namespace migsafe
