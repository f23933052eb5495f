// broken-revision-graph: parents or dependencies naming unknown revisions, duplicate revision ids or
// version numbers, cycles, and revision files whose id cannot be read.
#include <string>

#include "linter/engine/revision_graph.h"
#include "linter/engine/rule.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "broken-revision-graph",
    .default_severity = Severity::Error,
    .category = RuleCategory::History,
    .engines = kAllEngines,
    .summary = "The migration history cannot be ordered: unknown parents, duplicate ids, cycles or unreadable revisions.",
    .what_it_does =
        "Checks the migration history as a graph: a `down_revision` or `depends_on` naming a revision that does "
        "not exist (depends_on may also name a branch label, `label@head` or a unique id prefix), two migrations "
        "with the same revision id or version number (Alembic, Flyway, golang-migrate, dbmate), a cycle of "
        "parent links, and an Alembic file whose `revision` cannot be read.",
    .why =
        "The runner orders migrations by this graph before applying any of them. Alembic refuses to load a "
        "history with an unknown `down_revision` (`Revision ... referenced from ... is not present`), a cycle or "
        "a duplicate id, so every command fails, including the deploy and the rollback. Flyway refuses duplicate "
        "versions (`Found more than one migration with version`) and golang-migrate refuses duplicate "
        "versions too; runners that key migrations by version apply only one of the two files.",
    .safe_alternative =
        "Point `down_revision` at an existing revision (usually the current head: `alembic heads`), give each "
        "migration a unique id or version (regenerate the file or rename it with a new timestamp), break cycles "
        "by restoring the original parent, and declare `revision = '<id>'` as a plain string at module level.",
    .bad_example = "revision = 'b2'\ndown_revision = 'a0'  # a0 was squashed away",
    .good_example = "revision = 'b2'\ndown_revision = 'a1'",
    .lock = "",
    .versions = "",
    .references = "alembic.md section 2; Flyway validate",
};

std::string path_of(const Migration& migration) {
  return migration.upgrade.file ? migration.upgrade.file->display_path() : std::string("?");
}

// Display paths of the revision files of `indexes` in `migrations`.
std::vector<std::string> files_of(const std::vector<Migration>& migrations, const std::vector<std::size_t>& indexes) {
  std::vector<std::string> files;
  for (std::size_t index : indexes) {
    if (migrations[index].upgrade.file) files.push_back(migrations[index].upgrade.file->display_path());
  }
  return files;
}

class BrokenRevisionGraph final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void check_project(const ProjectContext& context) const override {
    const std::vector<Migration>& migrations = context.project().migrations;
    RevisionGraph graph(migrations);
    for (std::size_t i = 0; i < migrations.size(); ++i) {
      const Migration& migration = migrations[i];
      bool alembic = migration.layout == "alembic";
      if (!migration.revision_readable) {
        report(context, migration, "revision", {},
               "migsafe cannot read the `revision` of this file (it is missing or not a plain string)" +
                   std::string(alembic ? ", and if Alembic cannot either it fails to load the whole history "
                                         "(`Could not determine revision id`), so no migration can run."
                                       : ", so its place in the history is unknown and the runner may skip or misorder it."),
               "Declare the id as a plain string literal at module level: `revision = '<id>'`.");
        continue;
      }
      if (migration.id.empty()) continue;
      std::size_t first = graph.find(migration.id);
      if (first != i) {
        report(context, migration, "revision", migration.id,
               (alembic ? "Revision id `" : "Version `") + migration.id + "` is also used by " +
                   path_of(migrations[first]) +
                   (alembic ? ", so Alembic refuses to load the history and every command, including the deploy, fails."
                            : ", so the runner refuses to run the history or applies only one of the two files and "
                              "silently skips the other."),
               alembic ? "Give this revision a new unique id (`revision = '<new id>'`, e.g. from `alembic revision`) "
                         "and point revisions that meant it at the new id."
                       : "Renumber this migration with a new, unique version (a fresh timestamp) that sorts after "
                         "the migrations already deployed.",
               files_of(migrations, {first}));
      }
      for (const std::string& parent : migration.parents) {
        if (graph.find(parent) != RevisionGraph::npos) continue;
        report(context, migration, "down_revision", parent,
               "This revision's parent `" + parent + "` does not exist in the history, so " +
                   (alembic ? "Alembic refuses to load it (`Revision " + parent +
                                  " referenced from ... is not present`) and every command, including the deploy, fails."
                            : "the runner cannot place it and the deploy fails."),
               "Point `down_revision` at an existing revision, usually the current head (`alembic heads`); if `" +
                   parent + "` was removed or squashed, use the revision that replaced it.");
      }
      for (const std::string& dependency : migration.depends_on) {
        if (graph.resolves(dependency)) continue;
        report(context, migration, "depends_on", dependency,
               "This revision depends on `" + dependency +
                   "`, which is neither a revision id nor a branch label in the history, so Alembic fails to "
                   "resolve it and every command, including the deploy, fails.",
               "Fix `depends_on` to name an existing revision id or branch label (`alembic heads`, `alembic branches`), "
               "or remove the dependency.");
      }
    }
    for (const std::vector<std::size_t>& cycle : graph.cycles()) {
      std::string chain;
      for (std::size_t index : cycle) chain += "`" + migrations[index].id + "` -> ";
      chain += "`" + migrations[cycle.front()].id + "`";
      const Migration& anchor = migrations[cycle.front()];
      report(context, anchor, "down_revision", {},
             "The parent links form a cycle (" + chain +
                 "), so the history has no order: Alembic refuses to load it and every command, including the "
                 "deploy, fails.",
             "Restore the original `down_revision` of the revision that was re-pointed so that the links lead back "
             "to the base revision again.",
             files_of(migrations, cycle));
    }
  }

 private:
  // `related`: other files the problem involves (the first user of a duplicate id, the revisions of a
  // cycle), so that --changed-since reports it when any of them changed.
  static void report(const ProjectContext& context, const Migration& migration, std::string_view key,
                     std::string_view value, std::string message, std::string help,
                     std::vector<std::string> related = {}) {
    const SourceFilePtr& file = migration.upgrade.file;
    ByteRange range = file ? locate_assignment(*file, key, value) : ByteRange{};
    std::string fingerprint = std::string(key) + " " + migration.id + " " + std::string(value);
    context.report_at(file, range, std::move(message), std::move(help), migration.id, fingerprint, std::move(related));
  }
};

MIGSAFE_REGISTER_RULE(BrokenRevisionGraph);

}  // namespace
}  // namespace migsafe
