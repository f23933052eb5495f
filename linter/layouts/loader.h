// Turns the command line's paths (files, directories, globs, "-" for stdin) into projects: finds the
// migration projects under each directory, detects (or is told) their layout and loads them.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "linter/layouts/layout.h"

namespace migsafe {

class ThreadPool;

struct ProjectLoadSettings {
  LayoutOptions options;
  std::string layout = "auto";
};

struct LoadRequest {
  std::vector<std::string> paths;       // files, directories, globs; "-" = standard input
  std::string stdin_filename;           // name shown for standard input (--stdin-filename)
  std::string layout = "auto";          // --layout: "auto" or a layout name
  LayoutOptions options;
  // When set, each project's .sql files are parsed in parallel on this pool (--jobs).
  ThreadPool* pool = nullptr;
  // When set, the layout options and layout name ("auto" = as detected) of the project rooted at a
  // directory: its own configuration file's (see ProjectSettings). `display_root` is always `options`'.
  std::function<ProjectLoadSettings(const std::filesystem::path& root)> settings_for_root;
};

struct LoadResult {
  std::vector<Project> projects;        // one per detected project (single files form their own)
  // Paths named on the command line that do not exist or match nothing: usage errors (exit 2).
  std::vector<std::string> usage_errors;
};

LoadResult load_projects(const LoadRequest& request);

}  // namespace migsafe
