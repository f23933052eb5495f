#include "linter/alembic/alembic_project.h"

#include <fnmatch.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "linter/alembic/alembic_config.h"
#include "linter/alembic/revision_graph.h"
#include "linter/alembic/revision_reader.h"

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

std::string display_path(const fs::path& path, const LayoutOptions& options) {
  if (!options.display_root.empty()) {
    std::error_code error;
    fs::path absolute = fs::weakly_canonical(fs::absolute(path, error), error);
    fs::path root = fs::weakly_canonical(fs::absolute(options.display_root, error), error);
    fs::path relative = absolute.lexically_relative(root);
    if (!relative.empty() && *relative.begin() != "..") return relative.generic_string();
  }
  return path.lexically_normal().generic_string();
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

void add_problem(Project& project, const SourceFilePtr& file, const std::string& path, std::string message,
                 std::string help) {
  FileProblem problem;
  problem.file = file;
  problem.path = path;
  problem.message = std::move(message);
  problem.help = std::move(help);
  project.problems.push_back(std::move(problem));
}

bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    int length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || i + length > text.size()) return false;
    for (int k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

void read_revisions(Project& project, const std::vector<fs::path>& files, const RevisionReadOptions& read_options,
                    const LayoutOptions& options) {
  for (const fs::path& path : files) {
    std::string shown = display_path(path, options);
    auto text = read_file(path);
    if (!text) {
      add_problem(project, nullptr, shown, "The revision file `" + shown + "` cannot be read, so migsafe could not check it.",
                  "Check the file's permissions.");
      continue;
    }
    if (text->find('\0') != std::string::npos || !valid_utf8(*text)) {
      auto file = std::make_shared<const SourceFile>(path.string(), shown, std::string());
      add_problem(project, file, shown,
                  "The revision file `" + shown + "` is not UTF-8 text, so Python (and Alembic) cannot import it.",
                  "Save the file as UTF-8 (Python's default source encoding) or remove it from the version location.");
      continue;
    }
    auto file = std::make_shared<const SourceFile>(path.string(), shown, std::move(*text));
    RevisionFile revision = read_revision_file(file, read_options);
    for (FileProblem& problem : revision.problems) project.problems.push_back(std::move(problem));
    for (Suppression& suppression : revision.suppressions) project.suppressions.push_back(std::move(suppression));
    project.migrations.push_back(std::move(revision.migration));
  }
}

}  // namespace

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
  Project project;
  project.layout = "alembic";
  std::error_code error;
  bool single_file = fs::is_regular_file(path, error);
  fs::path root = single_file ? path.parent_path() : path;
  if (root.empty()) root = ".";
  project.root = root.string();

  AlembicConfig config;
  fs::path script_location;
  std::vector<fs::path> version_dirs;
  if (!single_file) {
    config = read_alembic_config(root);
    for (const std::string& problem : config.problems) {
      add_problem(project, nullptr, display_path(config.config_file.empty() ? root : config.config_file, options),
                  "The Alembic configuration cannot be read (" + problem + "), so migsafe used the defaults.",
                  "Fix the configuration file; `alembic history` reads it the same way.");
    }
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

  EnvSettings env = script_location.empty() ? EnvSettings{} : read_env_py(script_location / "env.py");

  Dialect dialect = options.dialect;
  if (!options.dialect_from_user) {
    if (auto from_url = dialect_from_url(config.url)) dialect = *from_url;
  }
  project.dialect = dialect;
  project.runner_sets_lock_timeout = env.sets_lock_timeout;

  RevisionReadOptions read_options;
  read_options.dialect = dialect;
  read_options.runner = default_runner(dialect);
  if (env.transactional_ddl) {
    read_options.runner = *env.transactional_ddl ? RunnerTransaction::PerScript : RunnerTransaction::None;
  }
  if (auto it = options.transaction_overrides.find("alembic"); it != options.transaction_overrides.end()) {
    read_options.runner = it->second;
  }

  std::vector<fs::path> files;
  if (single_file) {
    files.push_back(path);
  } else {
    for (const fs::path& dir : version_dirs) {
      if (!fs::is_directory(dir, error)) {
        add_problem(project, nullptr, display_path(dir, options),
                    "The Alembic version location `" + display_path(dir, options) +
                        "` does not exist, so `alembic upgrade` fails and its revisions could not be checked.",
                    "Fix `script_location` / `version_locations` in " +
                        (config.config_file.empty() ? std::string("alembic.ini") : display_path(config.config_file, options)) +
                        ", or create the folder.");
        continue;
      }
      for (const fs::path& file : python_files(dir, config.recursive_version_locations)) {
        if (!excluded(file, root, options)) files.push_back(file);
      }
    }
    std::sort(files.begin(), files.end());
    files.erase(std::unique(files.begin(), files.end()), files.end());
  }
  read_revisions(project, files, read_options, options);
  order_revisions(project.migrations);
  return project;
}

}  // namespace migsafe::alembic
