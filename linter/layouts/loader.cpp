// From command-line paths to projects. Directories are searched for migration projects: a directory a
// layout claims is a project root; a Tree layout (sqitch, Flyway) owns its subtree except directories
// another layout claims; loose .sql files elsewhere form one plain project per directory. A file named on
// the command line belongs to the project that owns it (loaded whole for context, reported for the
// named files only); a file no project owns is linted on its own.
#include "linter/layouts/loader.h"
#include "linter/layouts/parse_prefetch.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <iostream>
#include <iterator>
#include <map>
#include <set>
#include <system_error>

#include <glob.h>

#include "linter/layouts/layout_support.h"

namespace migsafe {

namespace fs = std::filesystem;

namespace {

bool has_glob_characters(const std::string& text) { return text.find_first_of("*?[") != std::string::npos; }

fs::path absolute_normal(const fs::path& path) {
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec);
  return (ec ? path : absolute).lexically_normal();
}

// The best layout for `dir` other than the plain fallback.
const Layout* structured_claim(const fs::path& dir) {
  const Layout* best = nullptr;
  int best_score = 0;
  for (const auto& layout : LayoutRegistry::instance().layouts()) {
    if (layout->name() == "plain") continue;
    int score = layout->detect(dir);
    if (score > best_score) {
      best = layout.get();
      best_score = score;
    }
  }
  return best;
}

bool is_under(const fs::path& path, const fs::path& dir) {
  fs::path relative = path.lexically_relative(dir);
  return !relative.empty() && *relative.begin() != "..";
}

struct ProjectRequest {
  fs::path root;  // absolute, normalised
  const Layout* layout = nullptr;
  bool whole = false;                   // a directory argument covers every file
  std::set<std::string> named_files;    // display paths of file arguments
  std::vector<fs::path> sub_roots;      // other projects inside a Tree root, left to them
  std::vector<fs::path> plain_files;    // for plain requests made of explicit files only
};

class Loader {
 public:
  explicit Loader(const LoadRequest& request) : request_(request), options_(request.options) {
    if (options_.display_root.empty()) {
      std::error_code ec;
      options_.display_root = fs::current_path(ec);
    }
    options_.display_root = absolute_normal(options_.display_root);
  }

  LoadResult run() {
    if (request_.layout != "auto" && !request_.layout.empty()) {
      forced_ = LayoutRegistry::instance().find(request_.layout);
      if (!forced_) {
        std::string known;
        for (const auto& layout : LayoutRegistry::instance().layouts()) {
          known += (known.empty() ? "" : ", ") + std::string(layout->name());
        }
        result_.usage_errors.push_back("unknown layout '" + request_.layout + "' (known: auto, " + known + ")");
        return std::move(result_);
      }
    }
    for (const std::string& argument : request_.paths) add_argument(argument);
    resolve_loose_files();
    for (ProjectRequest& project_request : requests_) load(project_request);
    attach_walk_problems();
    for (Project& project : result_.projects) deduplicate_problems(project);
    return std::move(result_);
  }

 private:
  void add_argument(const std::string& argument) {
    if (argument == "-") {
      if (stdin_read_) {
        result_.usage_errors.push_back("standard input ('-') can be given only once");
        return;
      }
      stdin_read_ = true;
      load_stdin();
      return;
    }
    std::error_code ec;
    if (fs::exists(fs::symlink_status(argument, ec))) {
      add_path(argument);
      return;
    }
    if (!has_glob_characters(argument)) {
      result_.usage_errors.push_back(argument + ": no such file or directory");
      return;
    }
    glob_t matches{};
    int status = ::glob(argument.c_str(), 0, nullptr, &matches);
    if (status != 0 || matches.gl_pathc == 0) {
      result_.usage_errors.push_back(argument + ": the pattern matches no file or directory");
    } else {
      for (std::size_t i = 0; i < matches.gl_pathc; ++i) add_path(matches.gl_pathv[i]);
    }
    ::globfree(&matches);
  }

  void add_path(const fs::path& argument) {
    fs::path path = absolute_normal(argument);
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      add_directory(path);
    } else {
      add_file(path);
    }
  }

  // ---- directories ----------------------------------------------------------------------------------

  void add_directory(const fs::path& dir) {
    if (forced_) {
      request_for(dir, forced_).whole = true;
      return;
    }
    std::error_code ec;
    std::vector<fs::path> ancestors{fs::canonical(dir, ec)};
    walk(dir, dir, ancestors, nullptr);
  }

  // `tree` is the Tree project request whose subtree `dir` lies in, if any.
  void walk(const fs::path& dir, const fs::path& argument, std::vector<fs::path>& ancestors, ProjectRequest* tree) {
    const Layout* claim = structured_claim(dir);
    ProjectRequest* tree_here = tree;
    // Below an Alembic tree, .sql files are nobody's migrations: they stay loose (plain projects).
    bool owned_by_tree = tree != nullptr && tree->layout->reads_sql_files();
    if (claim && !(tree && tree->layout == claim)) {
      // A directory another layout claims leaves the enclosing tree and becomes a project of its own.
      if (tree) tree->sub_roots.push_back(dir);
      ProjectRequest& project = request_for(dir, claim);
      project.whole = true;
      owned_by_tree = true;
      tree_here = claim->scope() == LayoutScope::Tree ? &project : nullptr;
    }
    std::vector<DirEntry> entries = list_directory(dir, ancestors, options_.display_root, walk_problems_);
    std::vector<fs::path> loose;
    for (const DirEntry& entry : entries) {
      if (path_excluded(entry.path, argument, options_.exclude) ||
          path_excluded(entry.path, options_.display_root, options_.exclude)) {
        continue;
      }
      bool named_like_script = has_sql_name(entry.path);
      if (entry.is_directory && !named_like_script) {
        std::error_code ec;
        ancestors.push_back(fs::canonical(entry.path, ec));
        walk(absolute_normal(entry.path), argument, ancestors, tree_here);
        ancestors.pop_back();
      } else if (!owned_by_tree && has_sql_name(entry.path)) {
        loose.push_back(entry.path);
      }
    }
    if (!loose.empty()) request_for(dir, LayoutRegistry::instance().find("plain")).whole = true;
  }

  ProjectRequest& request_for(const fs::path& root, const Layout* layout) {
    for (ProjectRequest& existing : requests_) {
      if (existing.root == root && existing.layout == layout) return existing;
    }
    requests_.push_back(ProjectRequest{root, layout, false, {}, {}, {}});
    return requests_.back();
  }

  // ---- files ----------------------------------------------------------------------------------------

  void add_file(const fs::path& path) {
    // Named files are filtered by the excludes too: pre-commit passes every changed file.
    if (path_excluded(path, options_.display_root, options_.exclude)) return;
    fs::path dir = path.parent_path();
    // The nearest directory that owns the file: its own directory, or an ancestor a Tree layout claims
    // (sqitch's deploy/ lies below the plan). Not above the display root when the file is under it.
    bool bounded = is_under(path, options_.display_root);
    for (fs::path current = dir;; current = current.parent_path()) {
      const Layout* claim = forced_ ? (forced_->detect(current) > 0 ? forced_ : nullptr) : structured_claim(current);
      bool owns = claim && (current == dir || claim->scope() == LayoutScope::Tree);
      // An ancestor Alembic tree does not own a .sql file below it (see Layout::reads_sql_files).
      if (owns && current != dir && !claim->reads_sql_files() && has_sql_name(path)) owns = false;
      if (owns) {
        request_for(current, claim).named_files.insert(display_path(path, options_.display_root));
        return;
      }
      if (current == current.parent_path() || (bounded && current == options_.display_root)) break;
    }
    loose_files_[dir].push_back(path);
  }

  // Files outside every project: several from one directory form that directory's plain project (only
  // they are reported); a lone file is linted as a one-file project of the layout its name suggests.
  void resolve_loose_files() {
    for (auto& [dir, files] : loose_files_) {
      if (files.size() > 1 && !forced_) {
        ProjectRequest& project = request_for(dir, LayoutRegistry::instance().find("plain"));
        for (const fs::path& file : files) {
          project.named_files.insert(display_path(file, options_.display_root));
          project.plain_files.push_back(file);
        }
        continue;
      }
      for (const fs::path& file : files) {
        ReadSource source = read_source(file, options_.display_root);
        add_single_file(source);
      }
    }
  }

  void load_stdin() {
    std::string bytes((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    std::string name = request_.stdin_filename.empty() ? std::string("<stdin>") : request_.stdin_filename;
    // A relative --stdin-filename is shown as given (editors pass the repository-relative name).
    std::string display = request_.stdin_filename.empty() || !fs::path(name).is_absolute()
                              ? fs::path(name).lexically_normal().generic_string()
                              : display_path(name, options_.display_root);
    add_single_file(make_source(name, display, std::move(bytes)));
  }

  void add_single_file(const ReadSource& source) {
    ProjectLoadSettings settings = settings_for(fs::path(source.file->path()).parent_path());
    const Layout* layout = forced_ ? forced_ : configured_layout(settings);
    if (!layout) layout = LayoutRegistry::instance().detect_file(source.file->path(), source.file->text());
    if (!layout) layout = LayoutRegistry::instance().find("plain");
    Project project = layout->load_file(source.file, settings.options);
    if (source.problem) project.problems.insert(project.problems.begin(), *source.problem);
    if (!source.readable) {
      // Nothing to lint: keep the problem, not an empty migration that history rules would judge.
      project.migrations.clear();
    }
    result_.projects.push_back(std::move(project));
  }

  // ---- loading --------------------------------------------------------------------------------------

  // The options of the project rooted at `root`: its own configuration's when it has one.
  ProjectLoadSettings settings_for(const fs::path& root) const {
    if (!request_.settings_for_root || root.empty()) return {options_, "auto"};
    ProjectLoadSettings settings = request_.settings_for_root(root);
    settings.options.display_root = options_.display_root;
    return settings;
  }

  // A layout the project's own configuration names (`layout = "flyway"`); null for "auto".
  static const Layout* configured_layout(const ProjectLoadSettings& settings) {
    if (settings.layout == "auto" || settings.layout.empty()) return nullptr;
    return LayoutRegistry::instance().find(settings.layout);
  }

  void load(ProjectRequest& request) {
    ProjectLoadSettings settings = settings_for(request.root);
    if (const Layout* configured = configured_layout(settings); configured && !forced_) request.layout = configured;
    LayoutOptions options = settings.options;
    for (const fs::path& sub_root : request.sub_roots) {
      options.exclude.push_back("/" + glob_escape(sub_root.lexically_relative(request.root).generic_string()));
    }
    Project project;
    if (!request.plain_files.empty() && !request.whole) {
      project = load_plain_files(request.root, request.plain_files, options);
    } else {
      std::optional<ParsePrefetch> prefetch;
      if (request_.pool) {
        Project scratch;  // listing problems are reported by the layout itself
        std::vector<fs::path> sql_files;
        for (fs::path& path : project_files(request.root, request.layout->scope(), options, scratch)) {
          if (has_sql_name(path)) sql_files.push_back(std::move(path));
        }
        prefetch.emplace(sql_files, options.display_root, *request_.pool);
      }
      project = request.layout->load(request.root, options);
    }
    if (project.root.empty()) project.root = request.root.string();
    if (!request.whole) project.only_files.assign(request.named_files.begin(), request.named_files.end());
    std::vector<fs::path> leftovers = unused_sql_files(request, project, options);
    result_.projects.push_back(std::move(project));
    if (!leftovers.empty()) {
      Project loose = load_plain_files(request.root, leftovers, options);
      if (!request.whole) loose.only_files.assign(request.named_files.begin(), request.named_files.end());
      result_.projects.push_back(std::move(loose));
    }
  }

  // .sql files directly in the root that the layout did not read (a seed.sql beside golang-migrate
  // files): still SQL the user asked to check, so they are linted as plain files rather than skipped.
  std::vector<fs::path> unused_sql_files(const ProjectRequest& request, const Project& project,
                                         const LayoutOptions& options) {
    std::vector<fs::path> leftovers;
    if (request.layout->name() == "plain") return leftovers;
    std::set<std::string> used;
    for (const Migration& migration : project.migrations) {
      if (migration.upgrade.file) used.insert(migration.upgrade.file->path());
      if (migration.downgrade && migration.downgrade->file) used.insert(migration.downgrade->file->path());
    }
    std::set<std::string> reported;
    for (const FileProblem& problem : project.problems) reported.insert(problem.path);
    Project scratch;  // listing problems were reported by the layout
    for (const fs::path& path : project_files(request.root, LayoutScope::Directory, options, scratch)) {
      if (!has_sql_name(path) || used.count(path.string()) ||
          reported.count(display_path(path, options.display_root))) {
        continue;
      }
      if (!request.whole && !request.named_files.count(display_path(path, options.display_root))) continue;
      leftovers.push_back(path);
    }
    return leftovers;
  }

  // Problems met while searching directories go to the project whose root is nearest above them.
  void attach_walk_problems() {
    for (FileProblem& problem : walk_problems_) {
      fs::path path = absolute_normal(options_.display_root / problem.path);
      Project* owner = nullptr;
      std::size_t best = 0;
      for (Project& project : result_.projects) {
        fs::path root = absolute_normal(project.root);
        std::size_t depth = static_cast<std::size_t>(std::distance(root.begin(), root.end()));
        if ((is_under(path, root) || path == root) && (!owner || depth > best)) {
          owner = &project;
          best = depth;
        }
      }
      if (!owner) {
        Project project;
        project.root = path.parent_path().string();
        project.layout = "plain";
        project.dialect = options_.dialect;
        result_.projects.push_back(std::move(project));
        owner = &result_.projects.back();
      }
      owner->problems.push_back(std::move(problem));
    }
  }

  static void deduplicate_problems(Project& project) {
    std::set<std::tuple<std::string, std::string, std::size_t>> seen;
    std::vector<FileProblem> unique;
    for (FileProblem& problem : project.problems) {
      if (seen.insert({problem.path, problem.message, problem.range.begin}).second) unique.push_back(std::move(problem));
    }
    project.problems = std::move(unique);
  }

  const LoadRequest& request_;
  LayoutOptions options_;
  const Layout* forced_ = nullptr;
  bool stdin_read_ = false;
  std::deque<ProjectRequest> requests_;  // a deque: walk() keeps pointers to Tree requests
  std::map<fs::path, std::vector<fs::path>> loose_files_;
  std::vector<FileProblem> walk_problems_;
  LoadResult result_;
};

}  // namespace

LoadResult load_projects(const LoadRequest& request) { return Loader(request).run(); }

}  // namespace migsafe
