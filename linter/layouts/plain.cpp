// A plain folder of `.sql` files applied in name order with natural number ordering (2_x before
// 10_x), each run as psql -f runs it: every statement on its own unless the file says BEGIN. There is
// no downgrade side. This is also the fallback for loose .sql files that no other layout claims.
#include <algorithm>

#include "linter/layouts/layout_support.h"

namespace migsafe {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kName = "plain";

// The length of path::stem() of a path whose filename() is `filename`: up to its last dot, except that
// "..", and names whose only dot comes first (".", ".env"), are whole stems (std::filesystem's rule).
std::size_t stem_length(std::string_view filename) {
  if (filename == "..") return filename.size();
  std::size_t dot = filename.rfind('.');
  return dot == 0 || dot == std::string_view::npos ? filename.size() : dot;
}

class PlainLayout final : public Layout {
 public:
  std::string_view name() const override { return kName; }

  int detect(const fs::path& dir) const override {
    for (const std::string& file : file_names_in(dir)) {
      if (ends_with(file, ".sql")) return 1;
    }
    return 0;
  }

  int detect_file(std::string_view filename, std::string_view) const override { return 1; }

  Project load(const fs::path& dir, const LayoutOptions& options) const override {
    Project listing;
    std::vector<fs::path> files;
    for (fs::path& path : project_files(dir, LayoutScope::Directory, options, listing)) {
      if (has_sql_name(path)) files.push_back(std::move(path));
    }
    Project project = load_plain_files(dir, std::move(files), options);
    project.problems.insert(project.problems.begin(), listing.problems.begin(), listing.problems.end());
    return project;
  }

  Project load_file(const SourceFilePtr& file, const LayoutOptions& options) const override {
    Project project;
    fs::path path(file->path());
    project.root = path.parent_path().string();
    project.layout = std::string(kName);
    project.dialect = options.dialect;
    RunnerTransaction runner = runner_for_layout(kName, RunnerTransaction::None, options);
    std::string stem = path.stem().string();
    project.migrations.push_back(
        migration_from_source(ReadSource{file, std::nullopt, true}, stem, stem, kName, runner, project));
    return project;
  }
};

MIGSAFE_REGISTER_LAYOUT(PlainLayout);

}  // namespace

Project load_plain_files(const fs::path& root, std::vector<fs::path> files, const LayoutOptions& options) {
  Project project;
  project.root = root.string();
  project.layout = std::string(kName);
  project.dialect = options.dialect;
  // Names are taken once, not in every comparison: a history has thousands of files.
  std::vector<std::pair<std::string, fs::path>> named;
  named.reserve(files.size());
  for (fs::path& path : files) named.emplace_back(file_name(path), std::move(path));
  auto by_name = [](const auto& a, const auto& b) { return natural_less(a.first, b.first); };
  // The listing comes sorted by byte order, which for zero-padded version numbers (the usual naming)
  // already is the natural order: checked in one pass, which costs a tenth of sorting. natural_less is
  // a strict total order, so the order is the same either way.
  if (!std::is_sorted(named.begin(), named.end(), by_name)) std::sort(named.begin(), named.end(), by_name);
  RunnerTransaction runner = runner_for_layout(kName, RunnerTransaction::None, options);
  project.migrations.reserve(named.size());
  for (auto& [name, path] : named) {
    ReadSource source = read_for_project(path, options, project);
    // The file name, already taken above, cut to its stem in place: path::stem() would build another
    // path and string per file. The migration's id and name are both the stem.
    name.resize(stem_length(name));
    std::string id = name;
    project.migrations.push_back(migration_from_source(source, std::move(id), std::move(name), kName, runner, project));
  }
  return project;
}
}  // namespace migsafe
