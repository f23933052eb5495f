// renaming-column: RENAME COLUMN (and Alembic alter_column(new_column_name=...), MySQL CHANGE) on an
// existing table breaks the application code that is still running during and after the deploy.
#include "linter/engine/rule.h"
#include "rules/rule_support.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "renaming-column",
    .default_severity = Severity::Warning,
    .category = RuleCategory::Compatibility,
    .engines = kAllEngines,
    .summary = "Renaming a column breaks every running application instance that still uses the old name.",
    .what_it_does =
        "Flags `ALTER TABLE ... RENAME COLUMN`, MySQL `CHANGE old new ...` with a new name and Alembic "
        "`alter_column(..., new_column_name=...)` on a table that was not created in the same migration.",
    .why =
        "Deploys are not atomic: the old version of the application keeps serving requests while the "
        "migration runs and until every instance is replaced. From the moment the rename commits, every "
        "query of the old code that names the column fails with `column ... does not exist`, and ORMs that "
        "select all mapped columns fail on every read of the table. Rolling the code back does not help, "
        "because the database no longer has the old name.",
    .safe_alternative =
        "Expand and contract over several deploys:\n"
        "1. Add the new column (nullable) and write to both columns from the application (or a trigger).\n"
        "2. Backfill the new column in batches.\n"
        "3. Switch reads to the new column and deploy.\n"
        "4. Stop writing the old column, deploy, then drop it in a later migration.\n"
        "For a pure rename with no code using the column yet, suppress the finding with a reason.",
    .bad_example = "ALTER TABLE users RENAME COLUMN email TO email_address;",
    .good_example =
        "ALTER TABLE users ADD COLUMN email_address text;\n"
        "-- backfill in batches, move the code over, then in a later migration:\n"
        "ALTER TABLE users DROP COLUMN email;",
    .lock = "ACCESS EXCLUSIVE on the table (brief: catalog-only change).",
    .versions = "All versions.",
    .references = "strong_migrations `rename_column`; squawk renaming-column; engines.md 1.2",
};

class RenamingColumn final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override { return operation_kinds<RenameColumn>(); }

  void check_operation(const OperationContext& context) const override {
    const auto* rename = context.op.as<RenameColumn>();
    if (!rename || context.state.is_new_table(rename->table)) return;
    std::string table = rename->table.display();
    context.report(
        rules::concat({"Renaming column `", table, ".", rename->column, "` to `", rename->new_name,
                       "` breaks the application instances still running during the deploy: their queries naming `",
                       rename->column, "` fail with `column does not exist` as soon as the rename commits."}),
        rules::concat({"Expand and contract instead: `ALTER TABLE ", table, " ADD COLUMN ", rename->new_name,
                       " <type>;`, write to both columns, backfill `", rename->new_name, "` in batches, switch reads, "
                       "and drop `", rename->column, "` in a later migration once no deployed code uses it."}));
  }
};

MIGSAFE_REGISTER_RULE(RenamingColumn);

}  // namespace
}  // namespace migsafe
