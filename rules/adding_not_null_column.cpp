// adding-not-null-column: ADD COLUMN ... NOT NULL without a default on an existing table.
#include "linter/engine/rule.h"
#include "rules/rule_support.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "adding-not-null-column",
    .default_severity = Severity::Error,
    .category = RuleCategory::Locks,
    .engines = kAllEngines,
    .summary = "Adding a NOT NULL column without a default fails on any table that already has rows.",
    .what_it_does =
        "Flags `ADD COLUMN ... NOT NULL` with no non-null `DEFAULT` on a table that was not created in the "
        "same migration, and Alembic `add_column(sa.Column(..., nullable=False))` without `server_default` "
        "(a Python-side `default=` has no DDL effect; `primary_key=True` implies NOT NULL).",
    .why =
        "Existing rows have no value for the new column. PostgreSQL and SQLite reject the statement with "
        "`column ... contains null values` as soon as the table has a row, so the deploy fails in production "
        "although it passed on an empty development database. MySQL in non-strict mode silently fills an "
        "implicit value (0, '') instead, which corrupts data quietly.",
    .safe_alternative =
        "1. Add the column with a constant server default (`ADD COLUMN c type NOT NULL DEFAULT value`; on "
        "PostgreSQL 11+ this is instant), or add it nullable.\n"
        "2. Backfill existing rows in batches.\n"
        "3. If it was added nullable: add `CHECK (c IS NOT NULL) NOT VALID`, `VALIDATE CONSTRAINT`, then "
        "`SET NOT NULL` (PostgreSQL 12+ skips the scan), and drop the check.",
    .bad_example = "ALTER TABLE users ADD COLUMN email text NOT NULL;",
    .good_example = "ALTER TABLE users ADD COLUMN email text NOT NULL DEFAULT '';",
    .lock = "ACCESS EXCLUSIVE on the table, plus a full scan to verify the constraint.",
    .versions = "All versions.",
    .references = "engines.md 1.2 #6; strong_migrations `add_column` with `null: false`; squawk adding-required-field",
};

class AddingNotNullColumn final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override { return operation_kinds<AddColumn>(); }

  void check_operation(const OperationContext& context) const override {
    const auto* add = context.op.as<AddColumn>();
    if (!add || context.state.is_new_table(add->table)) return;
    const ColumnSpec& column = add->column;
    if (!column.not_null) return;
    bool has_non_null_default =
        column.default_value && column.default_value->volatility != Volatility::Null;
    // Serial/identity/generated columns get values from the database; other rules judge them.
    if (has_non_null_default || column.is_serial() || column.generated != GeneratedKind::None) return;

    std::string table = add->table.display();
    std::string_view type = column.type.written.empty() ? column.type.name : column.type.written;
    context.report(
        rules::concat({"Adding NOT NULL column `", column.name, "` to existing table `", table,
                       "` without a default fails as soon as the table has rows (existing rows have no value for it)."}),
        rules::concat({"Give the column a constant default: `ALTER TABLE ", table, " ADD COLUMN ", column.name, " ",
                       type, " NOT NULL DEFAULT <value>;`, or add it nullable, backfill in batches, then enforce NOT "
                       "NULL with `CHECK (", column.name, " IS NOT NULL) NOT VALID` + `VALIDATE CONSTRAINT` + `SET NOT "
                       "NULL`."}));
  }
};

MIGSAFE_REGISTER_RULE(AddingNotNullColumn);

}  // namespace
}  // namespace migsafe
