#include "linter/config/project_settings.h"

#include <system_error>
#include <utility>

namespace migsafe {

namespace fs = std::filesystem;

namespace {

fs::path absolute_normal(const fs::path& path, const fs::path& working_directory) {
  return (path.is_absolute() ? path : working_directory / path).lexically_normal();
}

}  // namespace

Config load_config_as_shown(const fs::path& found, const fs::path& working_directory) {
  fs::path shown = found.lexically_relative(working_directory);
  if (shown.empty() || *shown.begin() == "..") shown = found;
  return load_config(shown);
}

ProjectSettings::ProjectSettings(EffectiveSettings base, CommandLineOverrides overrides, fs::path working_directory,
                                 bool discover)
    : base_(std::make_shared<const EffectiveSettings>(std::move(base))),
      overrides_(std::move(overrides)),
      working_directory_(std::move(working_directory)),
      discover_(discover) {}

std::shared_ptr<const EffectiveSettings> ProjectSettings::for_root(const fs::path& root) {
  if (!discover_) return base_;
  std::optional<fs::path> found = find_config(absolute_normal(root, working_directory_));
  if (!found) return base_;
  fs::path file = absolute_normal(*found, working_directory_);
  if (!base_->config_file.empty() && absolute_normal(base_->config_file, working_directory_) == file) return base_;

  std::lock_guard<std::mutex> lock(mutex_);
  auto cached = by_config_file_.find(file);
  if (cached != by_config_file_.end()) return cached->second;
  Config config = load_config_as_shown(file, working_directory_);
  auto settings = std::make_shared<const EffectiveSettings>(resolve_settings(config, overrides_, working_directory_));
  by_config_file_.emplace(file, settings);
  return settings;
}

}  // namespace migsafe
