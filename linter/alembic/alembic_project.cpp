#include "linter/alembic/alembic_project.h"

#include <fnmatch.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "linter/alembic/alembic_config.h"
#include "linter/alembic/revision_graph.h"
#include "linter/alembic/revision_reader.h"
#include "linter/layouts/layout_support.h"
#include "linter/layouts/source_reader.h"

namespace migsafe::alembic {

namespace fs = std::filesystem;

namespace {

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) return std::nullopt;
  std::ostringstream buffer;
  buffer << stream.rdbuf();
  if (stream.bad()) return std::nullopt;
  return buffer.str();
}

bool has_pyproject_alembic(const fs::path& dir) {
  auto text = read_file(dir / "pyproject.toml");
  return text && text->find("[tool.alembic]") != std::string::npos;
}

// Alembic loads every *.py in a version location except __init__.py and editor lock files (.#name.py).
bool is_revision_candidate(const fs::path& path) {
  std::string name = path.filename().string();
  return path.extension() == ".py" && name != "__init__.py" && !name.starts_with(".#");
}

std::vector<fs::path> python_files(const fs::path& dir, bool recursive) {
  std::vector<fs::path> files;
  std::error_code error;
  if (!fs::is_directory(dir, error)) return files;
  if (recursive) {
    for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, error);
         it != fs::recursive_directory_iterator(); it.increment(error)) {
      if (error) break;
      if (it->is_directory(error) && it->path().filename() == "__pycache__") {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(error) && is_revision_candidate(it->path())) files.push_back(it->path());
    }
  } else {
    for (const fs::directory_entry& entry : fs::directory_iterator(dir, error)) {
      if (entry.is_regular_file(error) && is_revision_candidate(entry.path())) files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool folder_of_revisions(const fs::path& dir) {
  int checked = 0;
  for (const fs::path& file : python_files(dir, false)) {
    if (++checked > 50) break;
    auto text = read_file(file);
    if (text && looks_like_revision_file(*text)) return true;
  }
  return false;
}

bool excluded(const fs::path& file, const fs::path& root, const LayoutOptions& options) {
  if (options.exclude.empty()) return false;
  std::string relative = file.lexically_relative(root).generic_string();
  for (const std::string& pattern : options.exclude) {
    if (fnmatch(pattern.c_str(), relative.c_str(), 0) == 0) return true;
    // A directory pattern excludes everything under it.
    std::string prefix = pattern;
    while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
    if (!prefix.empty() && relative.starts_with(prefix + "/")) return true;
  }
  return false;
}

void read_revision(Project& project, const SourceFilePtr& file, const RevisionReadOptions& read_options) {
  RevisionFile revision = read_revision_file(file, read_options);
  for (FileProblem& problem : revision.problems) project.problems.push_back(std::move(problem));
  for (Suppression& suppression : revision.suppressions) project.suppressions.push_back(std::move(suppression));
  project.migrations.push_back(std::move(revision.migration));
}

void read_revisions(Project& project, const std::vector<fs::path>& files, const RevisionReadOptions& read_options,
                    const LayoutOptions& options) {
  for (const fs::path& path : files) {
    // Unreadable, binary or non-UTF-8 files become syntax-error problems (Python cannot import them).
    ReadSource source = read_source(path, options.display_root);
    if (source.problem) project.problems.push_back(std::move(*source.problem));
    if (!source.readable) continue;
    read_revision(project, source.file, read_options);
  }
}

std::string display(const fs::path& path, const LayoutOptions& options) {
  return display_path(path, options.display_root);
}

fs::path normal(const fs::path& path) {
  std::error_code error;
  fs::path canonical = fs::weakly_canonical(fs::absolute(path, error), error);
  return canonical.lexically_normal();
}

struct ProjectSettings {
  Dialect dialect = Dialect::PostgreSQL;
  RevisionReadOptions read_options;
  EnvSettings env;
};

ProjectSettings project_settings(const AlembicConfig& config, const fs::path& script_location,
                                 const LayoutOptions& options) {
  ProjectSettings settings;
  settings.env = script_location.empty() ? EnvSettings{} : read_env_py(script_location / "env.py");
  settings.dialect = options.dialect;
  if (!options.dialect_from_user) {
    if (auto from_url = dialect_from_url(config.url)) settings.dialect = *from_url;
  }
  settings.read_options.dialect = settings.dialect;
  RunnerTransaction runner = default_runner(settings.dialect);
  if (settings.env.transactional_ddl) {
    runner = *settings.env.transactional_ddl ? RunnerTransaction::PerScript : RunnerTransaction::None;
  }
  settings.read_options.runner = runner_for_layout("alembic", runner, options);
  return settings;
}

bool has_config(const fs::path& dir) {
  std::error_code error;
  return fs::is_regular_file(dir / "alembic.ini", error) || has_pyproject_alembic(dir);
}

// The script location and version folders a configuration (or its absence) gives for `root`.
void locations(const AlembicConfig& config, const fs::path& root, fs::path& script_location,
               std::vector<fs::path>& version_dirs) {
  std::error_code error;
  if (!config.script_location.empty()) {
    script_location = config.script_location;
  } else if (fs::is_regular_file(root / "env.py", error)) {
    script_location = root;
  }
  if (!config.version_locations.empty()) {
    version_dirs = config.version_locations;
  } else if (!script_location.empty()) {
    version_dirs.push_back(script_location / "versions");
  } else {
    version_dirs.push_back(root);  // a versions/ folder given directly
    if (fs::is_regular_file(root.parent_path() / "env.py", error)) script_location = root.parent_path();
  }
}

// A versions/ folder (or script folder) named directly: the alembic.ini a few levels up that points at
// it, so that the project's URL and env.py still decide the dialect and transactions.
std::optional<fs::path> enclosing_project(const fs::path& dir) {
  fs::path target = normal(dir);
  fs::path current = target.parent_path();
  for (int level = 0; level < 4 && !current.empty(); ++level, current = current.parent_path()) {
    if (has_config(current)) {
      AlembicConfig config = read_alembic_config(current);
      fs::path script_location;
      std::vector<fs::path> version_dirs;
      locations(config, current, script_location, version_dirs);
      if (normal(script_location) == target) return current;
      for (const fs::path& version_dir : version_dirs) {
        if (normal(version_dir) == target) return current;
      }
      return std::nullopt;
    }
    if (current == current.parent_path()) break;
  }
  return std::nullopt;
}

}  // namespace

int detect_alembic_file(std::string_view filename, std::string_view text) {
  if (!filename.ends_with(".py")) return 0;
  return looks_like_revision_file(text) ? 60 : 0;
}

int detect_alembic(const fs::path& path) {
  std::error_code error;
  if (fs::is_regular_file(path, error)) {
    if (path.extension() != ".py") return 0;
    auto text = read_file(path);
    return text && looks_like_revision_file(*text) ? 60 : 0;
  }
  if (!fs::is_directory(path, error)) return 0;
  if (fs::is_regular_file(path / "alembic.ini", error)) return 100;
  if (has_pyproject_alembic(path)) return 95;
  if (fs::is_regular_file(path / "env.py", error) && fs::is_directory(path / "versions", error)) return 90;
  if (folder_of_revisions(path)) return 70;
  return 0;
}

Project load_alembic(const fs::path& path, const LayoutOptions& options) {
  std::error_code error;
  if (fs::is_regular_file(path, error)) {
    ReadSource source = read_source(path, options.display_root);
    Project project = load_alembic_file(source.file, options);
    if (source.problem) project.problems.insert(project.problems.begin(), std::move(*source.problem));
    if (!source.readable) project.migrations.clear();
    return project;
  }
  fs::path root = path.empty() ? fs::path(".") : path;
  if (!has_config(root) && !fs::is_regular_file(root / "env.py", error)) {
    if (auto enclosing = enclosing_project(root)) root = *enclosing;
  }

  Project project;
  project.layout = "alembic";
  project.root = root.string();
  AlembicConfig config = read_alembic_config(root);
  for (const std::string& problem : config.problems) {
    project.problems.push_back(file_problem(nullptr, display(config.config_file.empty() ? root : config.config_file, options),
                                            {}, "The Alembic configuration cannot be read (" + problem +
                                                    "), so migsafe used the defaults.",
                                            "Fix the configuration file; `alembic history` reads it the same way."));
  }
  fs::path script_location;
  std::vector<fs::path> version_dirs;
  locations(config, root, script_location, version_dirs);
  ProjectSettings settings = project_settings(config, script_location, options);
  project.dialect = settings.dialect;
  project.runner_sets_lock_timeout = settings.env.sets_lock_timeout;

  std::vector<fs::path> files;
  for (const fs::path& dir : version_dirs) {
    if (!fs::is_directory(dir, error)) {
      project.problems.push_back(file_problem(
          nullptr, display(dir, options), {},
          "The Alembic version location `" + display(dir, options) +
              "` does not exist, so `alembic upgrade` fails and its revisions could not be checked.",
          "Fix `script_location` / `version_locations` in " +
              (config.config_file.empty() ? std::string("alembic.ini") : display(config.config_file, options)) +
              ", or create the folder."));
      continue;
    }
    for (const fs::path& file : python_files(dir, config.recursive_version_locations)) {
      if (!excluded(file, root, options)) files.push_back(file);
    }
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  read_revisions(project, files, settings.read_options, options);
  order_revisions(project.migrations);
  return project;
}

Project load_alembic_file(const SourceFilePtr& file, const LayoutOptions& options) {
  Project project;
  project.layout = "alembic";
  fs::path path(file->path());
  project.root = path.parent_path().string();
  // A revision file inside a project still gets the project's dialect and env.py settings.
  AlembicConfig config;
  fs::path script_location;
  std::error_code error;
  fs::path dir = path.parent_path();
  if (!dir.empty()) {
    fs::path versions_dir = normal(dir);
    if (auto enclosing = enclosing_project(versions_dir)) {
      config = read_alembic_config(*enclosing);
      std::vector<fs::path> version_dirs;
      locations(config, *enclosing, script_location, version_dirs);
    } else if (fs::is_regular_file(versions_dir.parent_path() / "env.py", error)) {
      script_location = versions_dir.parent_path();
    }
  }
  ProjectSettings settings = project_settings(config, script_location, options);
  project.dialect = settings.dialect;
  project.runner_sets_lock_timeout = settings.env.sets_lock_timeout;
  read_revision(project, file, settings.read_options);
  return project;
}

}  // namespace migsafe::alembic
