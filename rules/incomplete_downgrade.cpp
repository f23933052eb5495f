// incomplete-downgrade: the downgrade exists but does not undo every upgrade operation.
#include "linter/engine/reversal.h"
#include "linter/engine/rule.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "incomplete-downgrade",
    .default_severity = Severity::Error,
    .category = RuleCategory::History,
    .engines = kAllEngines,
    .summary = "The downgrade does not undo everything the upgrade did, so a rollback leaves the schema half-reverted.",
    .what_it_does =
        "Compares the upgrade's operations with the downgrade's and flags every upgrade operation the downgrade "
        "does not undo: a table, column, index, constraint, enum type, sequence, view, function, trigger or "
        "extension created but not dropped (directly, with its table, or with its column); a table, column, "
        "index, constraint, type or other object dropped but not recreated; a rename not renamed back; a column "
        "type, NOT NULL or default change not changed back. Names match case-insensitively, unqualified names "
        "match any schema, and unnamed indexes and constraints match a drop on the same table whose name is the "
        "generated one or mentions their columns. The finding points at the upgrade operation. It stays quiet "
        "when the downgrade contains statements migsafe cannot read (syntax errors, SQL built at run time), and "
        "when the downgrade is missing altogether (missing-downgrade reports that).",
    .why =
        "A rollback runs the downgrade and then the previous release of the application. Whatever the downgrade "
        "leaves behind breaks one of the two: an index or table left in place makes the next upgrade fail with "
        "`already exists` (the classic downgrade -> upgrade failure, e.g. an enum type that `drop_table` does not "
        "drop), and a column or table not restored makes the previous release fail with `does not exist`.",
    .safe_alternative =
        "Add the missing reverse operation to the downgrade, in reverse order of the upgrade: drop what the upgrade "
        "created, recreate what it dropped, rename back what it renamed, alter back what it altered. The help of "
        "each finding gives the statement for it.",
    .bad_example =
        "-- migrate:up\nCREATE TYPE order_status AS ENUM ('new', 'paid');\n"
        "ALTER TABLE orders ADD COLUMN status order_status;\n-- migrate:down\nALTER TABLE orders DROP COLUMN status;",
    .good_example =
        "-- migrate:up\nCREATE TYPE order_status AS ENUM ('new', 'paid');\n"
        "ALTER TABLE orders ADD COLUMN status order_status;\n-- migrate:down\nALTER TABLE orders DROP COLUMN status;\n"
        "DROP TYPE order_status;",
    .lock = "",
    .versions = "",
    .references = "pytest-alembic test_downgrade_leaves_no_trace; alembic.md section 2",
};

class IncompleteDowngrade final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void check_migration(const MigrationContext& context) const override {
    const Migration& migration = context.migration;
    if (migration.downgrade_state != DowngradeState::Present || !migration.downgrade) return;
    if (has_opaque_statements(*migration.downgrade)) return;
    const Script& upgrade = migration.upgrade;
    if (!upgrade.file) return;
    bool alembic = migration.layout == "alembic";
    std::string where = alembic ? "`downgrade()`"
                                : (migration.downgrade->file && migration.downgrade->file != upgrade.file
                                       ? "the downgrade (" + migration.downgrade->file->display_path() + ")"
                                       : "the downgrade");
    for (const ReversalGap& gap : find_reversal_gaps(upgrade, *migration.downgrade)) {
      ByteRange range = gap.operation->range.empty() ? gap.statement->range : gap.operation->range;
      context.report_at(upgrade.file, range, gap.consequence + ": " + gap.missing + ".",
                        "Add `" + (alembic ? gap.undo_alembic : gap.undo_sql) + "` to " + where +
                            ", in reverse order of the upgrade (undo later operations first).",
                        migration.id, std::string(upgrade.file->slice(gap.statement->range)));
    }
  }
};

MIGSAFE_REGISTER_RULE(IncompleteDowngrade);

}  // namespace
}  // namespace migsafe
