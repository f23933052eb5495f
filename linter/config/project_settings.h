// Settings per project. One run can lint several projects (`migsafe lint examples/`, a monorepo), each
// with its own migsafe.toml: every project is linted with the configuration nearest to its root, and the
// command line is applied over each of them, so `--select` or `--dialect` mean the same everywhere.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>

#include "linter/config/settings.h"

namespace migsafe {

class ProjectSettings {
 public:
  // `base`: the settings of the configuration found for the linted paths (or named with --config).
  // With `discover` false (--config given) every project uses `base`.
  ProjectSettings(EffectiveSettings base, CommandLineOverrides overrides, std::filesystem::path working_directory,
                  bool discover);

  const EffectiveSettings& base() const { return *base_; }

  // The settings of the project rooted at `root`: those of the nearest configuration file at or above
  // it, or the base settings when that is the base file or there is none. Throws ConfigError (exit 2,
  // with file and line) when that configuration is invalid. Safe to call from several threads.
  std::shared_ptr<const EffectiveSettings> for_root(const std::filesystem::path& root);

 private:
  std::shared_ptr<const EffectiveSettings> base_;
  CommandLineOverrides overrides_;
  std::filesystem::path working_directory_;
  bool discover_;
  std::mutex mutex_;
  std::map<std::filesystem::path, std::shared_ptr<const EffectiveSettings>> by_config_file_;
};

// Loads the configuration file at `found` and names it as the user would: relative to the working
// directory when it lies below it, absolute otherwise.
Config load_config_as_shown(const std::filesystem::path& found, const std::filesystem::path& working_directory);

}  // namespace migsafe
