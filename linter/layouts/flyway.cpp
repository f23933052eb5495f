// Flyway: versioned `V<version>__<description>.sql`, undo `U<version>__<description>.sql` and repeatable
// `R__<description>.sql` scripts anywhere below the location. Versioned scripts apply in version order
// (compared part by part as numbers; `1.1` and `1_1` are the same version), repeatables after them
// ordered by description. Flyway wraps each script in a transaction, except scripts whose statements
// all cannot run in one (CREATE INDEX CONCURRENTLY, VACUUM...), which its PostgreSQL parser detects and
// runs without, and scripts configured `executeInTransaction=false` in a `<script>.conf` file.
#include <algorithm>
#include <map>
#include <optional>

#include "linter/layouts/layout_support.h"

namespace migsafe {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kName = "flyway";

struct FlywayName {
  char prefix = 'V';        // V, U or R
  std::string version;      // as written; empty for repeatables
  std::string description;  // as written (underscores kept)
};

// `V<version>__<description>.sql`, `U<version>__<description>.sql` or `R__<description>.sql`, where a
// version is digit groups separated by `.` or `_` (`1`, `1.2`, `2_1_3`) and the description is not empty.
std::optional<FlywayName> parse_name(const std::string& file) {
  std::string_view text = file;
  if (text.size() < 2 || !ends_with(text, ".sql")) return std::nullopt;
  char prefix = text.front();
  std::string_view rest = text.substr(1, text.size() - 5);  // between the prefix and ".sql"
  std::size_t version_end = 0;
  if (prefix == 'V' || prefix == 'U') {
    version_end = leading_digits(rest);
    if (version_end == 0) return std::nullopt;
    // A separator belongs to the version only when digits follow it: `1_2__x` is version 1_2.
    while (version_end + 1 < rest.size() && (rest[version_end] == '.' || rest[version_end] == '_')) {
      std::size_t group = leading_digits(rest.substr(version_end + 1));
      if (group == 0) break;
      version_end += 1 + group;
    }
  } else if (prefix != 'R') {
    return std::nullopt;
  }
  if (rest.substr(version_end, 2) != "__" || rest.size() <= version_end + 2) return std::nullopt;
  return FlywayName{prefix, std::string(rest.substr(0, version_end)), std::string(rest.substr(version_end + 2))};
}

std::vector<std::string> version_parts(const std::string& version) {
  std::vector<std::string> parts(1);
  for (char c : version) {
    if (c == '.' || c == '_') {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  return parts;
}

// Flyway's MigrationVersion order: numeric part by part, missing parts are 0 (so 1 == 1.0).
struct VersionLess {
  bool operator()(const std::string& a, const std::string& b) const {
    std::vector<std::string> pa = version_parts(a), pb = version_parts(b);
    std::size_t n = std::max(pa.size(), pb.size());
    for (std::size_t i = 0; i < n; ++i) {
      int c = compare_decimal(i < pa.size() ? pa[i] : "0", i < pb.size() ? pb[i] : "0");
      if (c != 0) return c < 0;
    }
    return false;
  }
};

std::string human(std::string description) {
  std::replace(description.begin(), description.end(), '_', ' ');
  return description;
}

// Statements Flyway's PostgreSQL parser refuses to put in a transaction.
bool cannot_run_in_transaction(const Statement& statement) {
  for (const Operation& op : statement.operations) {
    if (const auto* create = op.as<CreateIndex>(); create && create->index.concurrently) return true;
    if (const auto* drop = op.as<DropIndex>(); drop && drop->concurrently) return true;
    if (const auto* reindex = op.as<Reindex>(); reindex && reindex->concurrently) return true;
    if (const auto* detach = op.as<DetachPartition>(); detach && detach->concurrently) return true;
    if (op.as<Vacuum>()) return true;
  }
  return false;
}

// `executeInTransaction=` from the script's `<file>.conf`, if any.
std::optional<bool> execute_in_transaction(const fs::path& script, const LayoutOptions& options, Project& project) {
  fs::path conf = script;
  conf += ".conf";
  std::error_code ec;
  if (!fs::exists(conf, ec)) return std::nullopt;
  ReadSource source = read_for_project(conf, options, project);
  if (!source.readable) return std::nullopt;
  std::optional<bool> result;
  for (const TextLine& line : split_lines(source.file->text(), 0, source.file->text().size())) {
    std::string_view content = trim(line.text);
    std::size_t equals = content.find('=');
    if (equals == std::string_view::npos || trim(content.substr(0, equals)) != "executeInTransaction") continue;
    std::string_view value = trim(content.substr(equals + 1));
    if (value == "false") result = false;
    if (value == "true") result = true;
  }
  return result;
}

class FlywayLayout final : public Layout {
 public:
  std::string_view name() const override { return kName; }
  LayoutScope scope() const override { return LayoutScope::Tree; }

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

    std::map<std::string, fs::path, VersionLess> versioned, undo;
    std::map<std::string, fs::path> repeatable;  // by description: Flyway's order for repeatables
    auto duplicate = [&](const fs::path& first, const fs::path& second, const std::string& what) {
      std::string display = display_path(second, options.display_root);
      project.problems.push_back(file_problem(
          nullptr, display, {},
          display + " has the same " + what + " as " + display_path(first, options.display_root) +
              "; Flyway refuses to migrate (\"Found more than one migration with " + what + "\").",
          "Give one of the two scripts a new version (or description, for repeatables).", "broken-revision-graph"));
    };
    for (const fs::path& path : project_files(dir, LayoutScope::Tree, options, project)) {
      auto parsed = parse_name(file_name(path));
      if (!parsed) continue;
      auto& target = parsed->prefix == 'V' ? versioned : undo;
      if (parsed->prefix == 'R') {
        auto [it, inserted] = repeatable.emplace(parsed->description, path);
        if (!inserted) duplicate(it->second, path, "description " + human(parsed->description));
        continue;
      }
      auto [it, inserted] = target.emplace(parsed->version, path);
      if (!inserted) duplicate(it->second, path, "version " + parsed->version);
    }

    RunnerTransaction runner = runner_for_layout(kName, RunnerTransaction::PerScript, options);
    bool uses_undo = !undo.empty();
    for (const auto& [version, path] : versioned) {
      auto parsed = parse_name(file_name(path));
      Migration migration = load_script(path, "V" + version, human(parsed->description), runner, options, project);
      if (uses_undo) {
        auto it = undo.find(version);
        if (it != undo.end()) {
          attach_downgrade_file(migration, it->second, script_runner(it->second, runner, options, project),
                                options, project);
          if (migration.downgrade) apply_auto_detection(*migration.downgrade, it->second, options, project);
          undo.erase(it);
        } else {
          mark_downgrade_missing(migration);
        }
      }
      project.migrations.push_back(std::move(migration));
    }
    for (const auto& [version, path] : undo) {
      std::string display = display_path(path, options.display_root);
      project.problems.push_back(file_problem(
          nullptr, display, {}, display + " undoes version " + version + ", but no V" + version + "__ script exists.",
          "Rename the undo script to the version it undoes, or delete it.", "broken-revision-graph"));
    }
    for (const auto& [description, path] : repeatable) {
      project.migrations.push_back(load_script(path, "R__" + description, human(description), runner, options, project));
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
    auto parsed = parse_name(file_name(path));
    RunnerTransaction runner = runner_for_layout(kName, RunnerTransaction::PerScript, options);
    Migration migration = migration_from_source(ReadSource{file, std::nullopt, true},
                                                parsed ? std::string(1, parsed->prefix) + parsed->version : "",
                                                human(parsed ? parsed->description : path.stem().string()), kName,
                                                runner, project);
    apply_auto_detection(migration.upgrade, path, options, project);
    project.migrations.push_back(std::move(migration));
    return project;
  }

 private:
  static RunnerTransaction script_runner(const fs::path& path, RunnerTransaction runner, const LayoutOptions& options,
                                         Project& project) {
    if (auto in_transaction = execute_in_transaction(path, options, project)) {
      return *in_transaction ? RunnerTransaction::PerScript : RunnerTransaction::None;
    }
    return runner;
  }

  // Flyway runs a script without a transaction when none of its statements can run in one. (A script
  // mixing both kinds fails unless `mixed` is set; it stays per-script here so the CONCURRENTLY statement
  // is reported.) A .conf file or a migsafe comment that decided the mode is respected.
  static void apply_auto_detection(Script& script, const fs::path& path, const LayoutOptions& options,
                                   Project& project) {
    if (script.runner != RunnerTransaction::PerScript || script.statements.empty()) return;
    if (has_transaction_comment_or_conf(script, path)) return;
    for (const Statement& statement : script.statements) {
      if (!cannot_run_in_transaction(statement)) return;
    }
    script.runner = RunnerTransaction::None;
    assign_transactions(script);
  }

  static bool has_transaction_comment_or_conf(const Script& script, const fs::path& path) {
    fs::path conf = path;
    conf += ".conf";
    std::error_code ec;
    if (fs::exists(conf, ec)) return true;
    Project scratch;  // problems were already reported when the script was built
    return transaction_comment(script.file, script.region, scratch).has_value();
  }

  Migration load_script(const fs::path& path, std::string id, std::string name, RunnerTransaction runner,
                        const LayoutOptions& options, Project& project) const {
    ReadSource source = read_for_project(path, options, project);
    Migration migration = migration_from_source(source, std::move(id), std::move(name), kName,
                                                script_runner(path, runner, options, project), project);
    apply_auto_detection(migration.upgrade, path, options, project);
    return migration;
  }
};

MIGSAFE_REGISTER_LAYOUT(FlywayLayout);

}  // namespace
}  // namespace migsafe
