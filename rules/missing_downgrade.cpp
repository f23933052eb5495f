// missing-downgrade: a migration of a layout with downgrades whose downgrade is absent or empty (error), or
// explicitly irreversible (note, error with `require-downgrades`).
#include <string>

#include "linter/engine/reversal.h"
#include "linter/engine/rule.h"
#include "linter/util/text.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "missing-downgrade",
    .default_severity = Severity::Error,
    .category = RuleCategory::History,
    .engines = kAllEngines,
    .summary = "A migration without a working downgrade cannot be rolled back when the deploy goes wrong.",
    .what_it_does =
        "In layouts that have downgrades (Alembic, golang-migrate, dbmate, sqitch, Flyway projects that use undo "
        "files) flags a migration whose downgrade is missing (no `downgrade()`, no `.down.sql`, no revert "
        "script) or empty (`pass`, a docstring or comments only, an empty `-- migrate:down` section). An explicit "
        "irreversible marker (`raise NotImplementedError`) is reported as a note, or as an error when the "
        "configuration sets `require-downgrades = true`. Migrations whose upgrade does nothing (Alembic merge "
        "revisions) need no downgrade.",
    .why =
        "When a release has to be rolled back, the downgrade is what puts the schema back so that the previous "
        "application version works again. A missing downgrade makes the rollback tool fail (golang-migrate, "
        "sqitch) or, worse, an empty one 'succeeds' while changing nothing, and the version table then claims the "
        "migration is reverted: the next upgrade fails on objects that already exist. The repair then happens "
        "by hand, in production, under pressure.",
    .safe_alternative =
        "Write the downgrade as the exact reverse of the upgrade, in reverse order: drop what it created, restore "
        "what it dropped or renamed, alter back what it altered. If the migration truly cannot be undone (data "
        "deleted), say so explicitly with `raise NotImplementedError(\"...\")` so that tools stop there.",
    .bad_example = "-- migrate:up\nCREATE INDEX ix_orders_created_at ON orders (created_at);\n-- migrate:down\n",
    .good_example =
        "-- migrate:up\nCREATE INDEX ix_orders_created_at ON orders (created_at);\n-- migrate:down\n"
        "DROP INDEX ix_orders_created_at;",
    .lock = "",
    .versions = "",
    .references = "pytest-alembic test_up_down_consistency; engines.md 7",
};

bool upgrade_does_something(const Script& upgrade) {
  for (const Statement& statement : upgrade.statements) {
    if (statement.error) return true;
    for (const Operation& op : statement.operations) {
      if (!op.is<SetSetting>() && !op.is<TransactionControl>()) return true;
    }
  }
  return false;
}

// Where the downgrade belongs in this layout.
std::string downgrade_place(const Migration& migration) {
  const std::string& layout = migration.layout;
  if (layout == "alembic") return "`def downgrade() -> None:`";
  if (layout == "golang-migrate") return "the `" + migration.id + "_" + migration.name + ".down.sql` file";
  if (layout == "dbmate") return "the `-- migrate:down` section";
  if (layout == "sqitch") return "the sqitch `revert/" + migration.name + ".sql` script";
  if (layout == "flyway") return "the undo file `U" + migration.id + "__" + migration.name + ".sql`";
  return "the downgrade";
}

// The statements that would undo the upgrade, in reverse order: the recipe for this very migration.
std::string undo_recipe(const Migration& migration) {
  Script nothing;
  std::vector<ReversalGap> gaps = find_reversal_gaps(migration.upgrade, nothing);
  if (gaps.empty()) return {};
  bool alembic = migration.layout == "alembic";
  constexpr std::size_t kShown = 8;
  std::string recipe;
  std::size_t shown = 0;
  for (auto it = gaps.rbegin(); it != gaps.rend() && shown < kShown; ++it, ++shown) {
    recipe += "\n    " + (alembic ? it->undo_alembic : it->undo_sql);
  }
  if (gaps.size() > kShown) recipe += "\n    ... (" + std::to_string(gaps.size() - kShown) + " more)";
  return recipe;
}

class MissingDowngrade final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void check_migration(const MigrationContext& context) const override {
    const Migration& migration = context.migration;
    DowngradeState state = migration.downgrade_state;
    if (state == DowngradeState::NotApplicable || state == DowngradeState::Present) return;
    if (!upgrade_does_something(migration.upgrade)) return;

    SourceFilePtr file = migration.downgrade_anchor_file ? migration.downgrade_anchor_file : migration.upgrade.file;
    ByteRange range = migration.downgrade_anchor;
    if (file && range.empty() && !migration.downgrade_anchor_file) {
      range = ByteRange{0, file->line_text(1).size()};  // the upgrade file's first line
    }
    std::string place = downgrade_place(migration);
    std::string recipe = undo_recipe(migration);
    std::string write = recipe.empty() ? "Write " + place + " so that it reverses the upgrade"
                                       : "Write " + place + " reversing the upgrade, e.g.:" + recipe;

    if (state == DowngradeState::Irreversible) {
      Severity severity = context.settings().require_downgrades ? Severity::Error : Severity::Note;
      context.report_at(severity, file, range,
                        "This migration is marked irreversible (`raise NotImplementedError`), so a rollback past it "
                        "is impossible and a failed release has to be repaired by hand in production.",
                        "If the upgrade can be undone after all, " + lower_first(write) +
                            ". Otherwise keep the marker with a message saying why, and plan the rollback by hand"
                            " (backup, runbook).",
                        migration.id);
      return;
    }
    std::string message =
        state == DowngradeState::Missing
            ? "This migration has no downgrade, so it cannot be rolled back: the rollback of a failed release stops "
              "here and the schema has to be repaired by hand in production."
            : "The downgrade of this migration is empty, so a rollback 'succeeds' without undoing anything and the "
              "version table then claims the migration is reverted: the next upgrade fails on objects that already "
              "exist.";
    context.report_at(file, range, message,
                      write + (migration.layout == "alembic"
                                   ? ". If it truly cannot be undone, say so with `raise NotImplementedError(\"why\")`."
                                   : "."),
                      migration.id);
  }

 private:
  static std::string lower_first(std::string text) {
    if (!text.empty()) text[0] = ascii_lower(text[0]);
    return text;
  }
};

MIGSAFE_REGISTER_RULE(MissingDowngrade);

}  // namespace
}  // namespace migsafe
