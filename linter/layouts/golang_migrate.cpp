// golang-migrate: `<version>_<name>.up.sql` and `<version>_<name>.down.sql` side by side in one
// directory, applied in numeric version order. On PostgreSQL the driver sends a file as one query
// string, so a file with several statements runs as one implicit transaction and a single statement
// runs on its own; MySQL autocommits each statement; the SQLite driver wraps every file in a transaction.
#include <map>
#include <optional>

#include "linter/layouts/layout_support.h"

namespace migsafe {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kName = "golang-migrate";

struct MigrationFileName {
  std::string version;
  std::string name;
  bool up = true;
};

// `<digits>_<name>.up.sql` or `<digits>_<name>.down.sql` (the name may be empty).
std::optional<MigrationFileName> parse_name(const std::string& file) {
  std::string_view text = file;
  std::size_t digits = leading_digits(text);
  if (digits == 0 || digits >= text.size() || text[digits] != '_') return std::nullopt;
  std::string_view rest = text.substr(digits + 1);
  for (auto [suffix, up] : {std::pair{std::string_view(".up.sql"), true}, std::pair{std::string_view(".down.sql"), false}}) {
    if (ends_with(rest, suffix)) {
      return MigrationFileName{std::string(text.substr(0, digits)),
                               std::string(rest.substr(0, rest.size() - suffix.size())), up};
    }
  }
  return std::nullopt;
}

struct DecimalLess {
  bool operator()(const std::string& a, const std::string& b) const { return compare_decimal(a, b) < 0; }
};

RunnerTransaction default_runner(const LayoutOptions& options) {
  switch (options.dialect) {
    case Dialect::PostgreSQL: return RunnerTransaction::ImplicitIfMultiStatement;
    case Dialect::SQLite: return RunnerTransaction::PerScript;
    case Dialect::MySQL:
    case Dialect::MariaDB: return RunnerTransaction::None;
  }
  return RunnerTransaction::None;
}

class GolangMigrateLayout final : public Layout {
 public:
  std::string_view name() const override { return kName; }

  int detect(const fs::path& dir) const override {
    return score_sql_files(dir, 20, [](const std::string& file) { return parse_name(file).has_value(); });
  }

  int detect_file(std::string_view filename, std::string_view) const override {
    return parse_name(fs::path(filename).filename().string()) ? 60 : 0;
  }

  Project load(const fs::path& dir, const LayoutOptions& options) const override {
    Project project;
    project.root = dir.string();
    project.layout = std::string(kName);
    project.dialect = options.dialect;
    RunnerTransaction runner = runner_for_layout(kName, default_runner(options), options);

    struct Pair {
      std::optional<fs::path> up, down;
      std::string name;
      std::string version;  // as spelled in the file name
    };
    // Keyed by numeric version: "0001" and "1" are the same version, as golang-migrate parses them.
    std::map<std::string, Pair, DecimalLess> versions;
    for (const fs::path& path : project_files(dir, LayoutScope::Directory, options, project)) {
      auto parsed = parse_name(file_name(path));
      if (!parsed) continue;
      Pair& pair = versions[parsed->version];
      std::optional<fs::path>& slot = parsed->up ? pair.up : pair.down;
      if (slot) {
        std::string display = display_path(path, options.display_root);
        project.problems.push_back(file_problem(
            nullptr, display, {},
            "Version " + parsed->version + " is used by both " + display_path(*slot, options.display_root) +
                " and " + display + "; golang-migrate refuses to run a history with duplicate versions.",
            "Give one of the migrations a new, higher version number.", "broken-revision-graph"));
        continue;
      }
      slot = path;
      if (parsed->up || pair.name.empty()) {
        pair.name = parsed->name;
        pair.version = parsed->version;
      }
    }

    for (auto& [key, pair] : versions) {
      const std::string& version = pair.version;
      if (!pair.up) {
        std::string display = display_path(*pair.down, options.display_root);
        project.problems.push_back(file_problem(
            nullptr, display, {},
            display + " has no matching " + version + "_" + pair.name +
                ".up.sql, so version " + version + " does nothing when migrating up.",
            "Add the up migration, or delete the stray down migration.", "broken-revision-graph"));
        continue;
      }
      ReadSource up = read_for_project(*pair.up, options, project);
      Migration migration = migration_from_source(up, version, pair.name, kName, runner, project);
      if (pair.down) {
        attach_downgrade_file(migration, *pair.down, runner, options, project);
      } else {
        mark_downgrade_missing(migration);
      }
      project.migrations.push_back(std::move(migration));
    }
    chain_parents(project.migrations);
    return project;
  }

  Project load_file(const SourceFilePtr& file, const LayoutOptions& options) const override {
    Project project;
    fs::path path(file->path());
    project.root = path.parent_path().string();
    project.layout = std::string(kName);
    project.dialect = options.dialect;
    RunnerTransaction runner = runner_for_layout(kName, default_runner(options), options);
    auto parsed = parse_name(file_name(path));
    std::string version = parsed ? parsed->version : std::string();
    std::string name = parsed ? parsed->name : path.stem().string();
    Migration migration;
    if (!parsed || parsed->up) {
      migration = migration_from_source(ReadSource{file, std::nullopt, true}, version, name, kName, runner, project);
      // The down file is looked for next to the up file; without a directory to look in, no judgement.
      std::error_code ec;
      fs::path down = path.parent_path() / (version + "_" + name + ".down.sql");
      if (parsed && fs::exists(down, ec)) {
        attach_downgrade_file(migration, down, runner, options, project);
      } else if (parsed && !path.parent_path().empty() && fs::is_directory(path.parent_path(), ec)) {
        mark_downgrade_missing(migration);
      }
    } else {
      // A down file linted on its own: its statements are the downgrade of an upgrade not shown here.
      migration.id = version;
      migration.name = name;
      migration.layout = std::string(kName);
      migration.upgrade.file = file;
      migration.upgrade.region = ByteRange{0, 0};
      migration.downgrade = build_script(file, whole(file), runner, project);
      migration.downgrade_state = script_is_empty(*migration.downgrade) ? DowngradeState::Empty : DowngradeState::Present;
      migration.downgrade_anchor_file = file;
      migration.downgrade_anchor = first_line(file);
    }
    project.migrations.push_back(std::move(migration));
    return project;
  }
};

MIGSAFE_REGISTER_LAYOUT(GolangMigrateLayout);

}  // namespace
}  // namespace migsafe
