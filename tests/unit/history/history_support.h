// Builds multi-migration projects in memory for the history rules: scripts come from the real SQL front
// end, revision files are small Python-like texts, and findings come from the real engine.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "linter/engine/engine.h"
#include "linter/model/project.h"
#include "linter/sql/postgres_front_end.h"

namespace migsafe::testing {

inline SourceFilePtr source(const std::string& path, const std::string& text) {
  return std::make_shared<const SourceFile>(path, path, text);
}

inline Script sql_script(const std::string& path, const std::string& sql,
                         RunnerTransaction runner = RunnerTransaction::PerScript) {
  Script script;
  script.file = source(path, sql);
  script.region = ByteRange{0, sql.size()};
  script.statements = parse_postgres_script(script.file, script.region).statements;
  script.runner = runner;
  assign_transactions(script);
  return script;
}

// A golang-migrate style pair: `<id>_<name>.up.sql` and, when `down` is given, `<id>_<name>.down.sql`.
inline Migration sql_migration(const std::string& id, const std::string& up, const std::optional<std::string>& down,
                               DowngradeState state = DowngradeState::Present) {
  Migration migration;
  migration.id = id;
  migration.name = "change";
  migration.layout = "golang-migrate";
  migration.upgrade = sql_script("migrations/" + id + "_change.up.sql", up);
  if (down) {
    migration.downgrade = sql_script("migrations/" + id + "_change.down.sql", *down);
    migration.downgrade_state = state;
    migration.downgrade_anchor_file = migration.downgrade->file;
  } else {
    migration.downgrade_state = state == DowngradeState::Present ? DowngradeState::Missing : state;
    migration.downgrade_anchor_file = migration.upgrade.file;
  }
  return migration;
}

// An Alembic-like revision whose file text carries the module-level variables the graph rules point at.
inline Migration revision(const std::string& id, std::vector<std::string> parents,
                          std::vector<std::string> branch_labels = {}, std::vector<std::string> depends_on = {}) {
  auto tuple = [](const std::vector<std::string>& items) {
    if (items.empty()) return std::string("None");
    if (items.size() == 1) return "'" + items.front() + "'";
    std::string text = "(";
    for (const std::string& item : items) text += "'" + item + "', ";
    return text + ")";
  };
  std::string text = "\"\"\"change\n\nRevision ID: " + id + "\n\"\"\"\nfrom alembic import op\n\nrevision = '" + id +
                     "'\ndown_revision = " + tuple(parents) + "\nbranch_labels = " + tuple(branch_labels) +
                     "\ndepends_on = " + tuple(depends_on) + "\n\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n";
  Migration migration;
  migration.id = id;
  migration.name = "change";
  migration.layout = "alembic";
  migration.upgrade.file = source("alembic/versions/" + id + "_change.py", text);
  migration.upgrade.region = ByteRange{0, text.size()};
  migration.downgrade_state = DowngradeState::Empty;  // upgrade is empty too: nothing to undo
  migration.parents = std::move(parents);
  migration.branch_labels = std::move(branch_labels);
  migration.depends_on = std::move(depends_on);
  return migration;
}

inline Project project_of(std::vector<Migration> migrations, const std::string& layout = "golang-migrate") {
  Project project;
  project.root = ".";
  project.layout = layout;
  project.migrations = std::move(migrations);
  return project;
}

inline std::vector<Finding> lint(const Project& project, const std::string& rule,
                                 const std::optional<LintSettings>& base = std::nullopt) {
  LintSettings settings = base.value_or(LintSettings{});
  settings.select = {rule};
  std::vector<Finding> findings;
  for (Finding& finding : Engine(settings).run(project)) {
    if (finding.rule_id == rule) findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace migsafe::testing
