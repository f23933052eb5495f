// sqitch: `sqitch.plan` lists the changes in deploy order (`name [deps] timestamp planner <email> # note`,
// `@tag` lines, `%pragma` lines); each change has deploy/NAME.sql (the upgrade), revert/NAME.sql (the
// downgrade) and verify/NAME.sql (not linted: it only reads). A change reworked after a tag keeps its old
// scripts as NAME@TAG.sql. sqitch runs each script as psql does: no transaction of its own, so the
// scripts' explicit BEGIN/COMMIT decide.
#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "linter/layouts/layout_support.h"

namespace migsafe {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kName = "sqitch";

struct SqitchConfig {
  fs::path plan_file, deploy_dir, revert_dir;
};

// The [core] settings of sqitch.conf that move the plan and script directories.
SqitchConfig read_config(const fs::path& dir, const LayoutOptions& options, Project& project) {
  SqitchConfig config;
  fs::path top = dir;
  std::map<std::string, std::string> core;
  std::error_code ec;
  if (fs::exists(dir / "sqitch.conf", ec)) {
    ReadSource source = read_for_project(dir / "sqitch.conf", options, project);
    std::string section;
    for (const TextLine& line : split_lines(source.file->text(), 0, source.file->text().size())) {
      std::string_view content = trim(line.text);
      if (content.empty() || content.front() == '#' || content.front() == ';') continue;
      if (content.front() == '[') {
        section = std::string(trim(content.substr(1, content.find(']') - 1)));
        continue;
      }
      std::size_t equals = content.find('=');
      if (section != "core" || equals == std::string_view::npos) continue;
      std::string value(trim(content.substr(equals + 1)));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      core[std::string(trim(content.substr(0, equals)))] = value;
    }
  }
  if (core.count("top_dir")) top = dir / core["top_dir"];
  config.plan_file = core.count("plan_file") ? dir / core["plan_file"] : top / "sqitch.plan";
  config.deploy_dir = core.count("deploy_dir") ? dir / core["deploy_dir"] : top / "deploy";
  config.revert_dir = core.count("revert_dir") ? dir / core["revert_dir"] : top / "revert";
  return config;
}

struct PlannedChange {
  std::string name;
  std::vector<std::string> requires_;
  TextLine line;
  std::string tag_after;  // the first tag after this change ("" when none)
};

// Whether `text` holds a timestamp in sqitch's planning form, YYYY-MM-DDTHH:MM:SSZ.
bool has_planning_timestamp(std::string_view text) {
  constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:ddZ";
  for (std::size_t start = 0; start + kShape.size() <= text.size(); ++start) {
    bool matches = true;
    for (std::size_t i = 0; i < kShape.size() && matches; ++i) {
      char c = text[start + i];
      matches = kShape[i] == 'd' ? (c >= '0' && c <= '9') : c == kShape[i];
    }
    if (matches) return true;
  }
  return false;
}

std::vector<PlannedChange> parse_plan(const SourceFilePtr& plan, Project& project) {
  std::vector<PlannedChange> changes;
  const std::string& text = plan->text();
  for (const TextLine& line : split_lines(text, 0, text.size())) {
    std::string_view content = trim(line.text);
    if (content.empty() || content.front() == '#' || content.front() == '%') continue;
    if (content.front() == '@') {
      std::string tag(content.substr(1, content.find_first_of(" \t") - 1));
      for (auto it = changes.rbegin(); it != changes.rend() && it->tag_after.empty(); ++it) it->tag_after = tag;
      continue;
    }
    if (content.front() == '+' || content.front() == '-') content.remove_prefix(1);
    std::size_t name_end = content.find_first_of(" \t");
    PlannedChange change;
    change.name = std::string(content.substr(0, name_end));
    change.line = line;
    std::string_view rest = name_end == std::string_view::npos ? std::string_view() : trim(content.substr(name_end));
    if (!rest.empty() && rest.front() == '[') {
      std::size_t close = rest.find(']');
      std::string_view deps = rest.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1);
      std::size_t start = 0;
      while (start < deps.size()) {
        std::size_t stop = deps.find_first_of(" \t", start);
        if (stop == std::string_view::npos) stop = deps.size();
        std::string dep(deps.substr(start, stop - start));
        // Conflicts (!name) and other projects' changes (project:name) are not part of this history.
        if (!dep.empty() && dep.front() != '!' && dep.find(':') == std::string::npos) change.requires_.push_back(dep);
        start = stop + 1;
      }
      rest = close == std::string_view::npos ? std::string_view() : trim(rest.substr(close + 1));
    }
    if (!has_planning_timestamp(rest)) {
      project.problems.push_back(file_problem(
          plan, plan->display_path(), ByteRange{line.begin, line.end},
          "Line of " + plan->display_path() + " for change '" + change.name +
              "' has no planning timestamp (YYYY-MM-DDTHH:MM:SSZ); sqitch refuses to read the plan.",
          "Add changes with `sqitch add`, or write `name [deps] 2024-01-01T00:00:00Z Planner <email> # note`."));
    }
    changes.push_back(std::move(change));
  }
  return changes;
}

class SqitchLayout final : public Layout {
 public:
  std::string_view name() const override { return kName; }
  LayoutScope scope() const override { return LayoutScope::Tree; }

  int detect(const fs::path& dir) const override {
    std::error_code ec;
    if (fs::exists(dir / "sqitch.plan", ec)) return 100;
    if (fs::exists(dir / "sqitch.conf", ec)) return 90;
    return 0;
  }

  Project load(const fs::path& dir, const LayoutOptions& options) const override {
    Project project;
    project.root = dir.string();
    project.layout = std::string(kName);
    project.dialect = options.dialect;
    SqitchConfig config = read_config(dir, options, project);
    ReadSource plan = read_for_project(config.plan_file, options, project);
    if (!plan.readable) return project;
    std::vector<PlannedChange> changes = parse_plan(plan.file, project);

    // The last occurrence of a name owns NAME.sql; earlier (reworked) ones own NAME@TAG.sql.
    std::map<std::string, std::size_t> last_occurrence;
    for (std::size_t i = 0; i < changes.size(); ++i) last_occurrence[changes[i].name] = i;
    std::set<std::string> ids;
    RunnerTransaction runner = runner_for_layout(kName, RunnerTransaction::None, options);
    std::map<std::string, std::size_t> previous_occurrence;
    for (std::size_t i = 0; i < changes.size(); ++i) {
      const PlannedChange& change = changes[i];
      bool reworked = last_occurrence[change.name] != i;
      if (auto previous = previous_occurrence.find(change.name); previous != previous_occurrence.end() &&
                                                                   changes[previous->second].tag_after.empty()) {
        project.problems.push_back(file_problem(
            plan.file, plan.file->display_path(), ByteRange{change.line.begin, change.line.end},
            "Change '" + change.name + "' appears twice in " + plan.file->display_path() +
                " without a tag in between; sqitch can only rework a change after a tag.",
            "Tag the plan (`sqitch tag`) before reworking the change, or rename the second change.",
            "broken-revision-graph"));
      }
      previous_occurrence[change.name] = i;
      std::string script = reworked && !change.tag_after.empty() ? change.name + "@" + change.tag_after : change.name;
      Migration migration;
      migration.id = script;
      migration.name = change.name;
      migration.layout = std::string(kName);
      ids.insert(migration.id);

      fs::path deploy = config.deploy_dir / (script + ".sql");
      std::error_code ec;
      if (!fs::exists(fs::symlink_status(deploy, ec)) || ec) {
        project.problems.push_back(file_problem(
            plan.file, plan.file->display_path(), ByteRange{change.line.begin, change.line.end},
            "Change '" + change.name + "' in " + plan.file->display_path() + " has no deploy script " +
                display_path(deploy, options.display_root) + "; sqitch deploy will fail here.",
            "Add the deploy script (`sqitch add` creates deploy, revert and verify scripts), or remove the change "
            "from the plan."));
        migration.upgrade.file = plan.file;
        migration.upgrade.region = ByteRange{change.line.begin, change.line.begin};
        migration.upgrade.runner = runner;
        migration.downgrade_anchor_file = plan.file;
        migration.downgrade_anchor = ByteRange{change.line.begin, change.line.end};
      } else {
        ReadSource source = read_for_project(deploy, options, project);
        migration = migration_from_source(source, migration.id, migration.name, kName, runner, project);
        fs::path revert = config.revert_dir / (script + ".sql");
        if (fs::exists(fs::symlink_status(revert, ec))) {
          attach_downgrade_file(migration, revert, runner, options, project);
        } else {
          mark_downgrade_missing(migration);
        }
      }
      for (const std::string& dependency : change.requires_) {
        // `name@tag` names a reworked change's earlier version when that is one of ours; otherwise the
        // change itself is meant.
        migration.depends_on.push_back(ids.count(dependency) ? dependency : dependency.substr(0, dependency.find('@')));
      }
      project.migrations.push_back(std::move(migration));
    }
    chain_parents(project.migrations);
    return project;
  }
};

MIGSAFE_REGISTER_LAYOUT(SqitchLayout);

}  // namespace
}  // namespace migsafe
