// renaming-table: ALTER TABLE ... RENAME TO / RENAME TABLE / Alembic rename_table on an existing table.
#include "linter/engine/rule.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "renaming-table",
    .default_severity = Severity::Warning,
    .category = RuleCategory::Compatibility,
    .engines = kAllEngines,
    .summary = "Renaming a table breaks every running application instance that still uses the old name.",
    .what_it_does =
        "Flags `ALTER TABLE ... RENAME TO`, MySQL `RENAME TABLE` and Alembic `op.rename_table` of a table that "
        "was not created in the same migration.",
    .why =
        "The old version of the application keeps running while the migration is applied and until every "
        "instance is replaced. Once the rename commits, all of its queries on the table fail with "
        "`relation ... does not exist` (MySQL: `Table ... doesn't exist`), and rolling the code back does "
        "not bring the old name back.",
    .safe_alternative =
        "1. Rename the table and create a view with the old name in the same transaction "
        "(`CREATE VIEW old AS SELECT * FROM new;` is updatable for simple tables on PostgreSQL), or copy the "
        "data to a new table that the application writes to in parallel.\n"
        "2. Move the code to the new name and deploy.\n"
        "3. Drop the compatibility view in a later migration.",
    .bad_example = "ALTER TABLE customers RENAME TO clients;",
    .good_example =
        "BEGIN;\nALTER TABLE customers RENAME TO clients;\nCREATE VIEW customers AS SELECT * FROM clients;\nCOMMIT;",
    .lock = "ACCESS EXCLUSIVE on the table (brief: catalog-only change).",
    .versions = "All versions.",
    .references = "strong_migrations `rename_table`; squawk renaming-table",
};

class RenamingTable final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override { return operation_kinds<RenameTable>(); }

  void check_operation(const OperationContext& context) const override {
    const auto* rename = context.op.as<RenameTable>();
    if (!rename || context.state.is_new_table(rename->table)) return;
    std::string table = rename->table.display();
    std::string new_table = QualifiedName{rename->table.schema, rename->new_name}.display();
    std::string help =
        context.is_postgres()
            ? "Keep the old name working while code moves over: in one transaction `ALTER TABLE " + table +
                  " RENAME TO " + rename->new_name + "; CREATE VIEW " + table + " AS SELECT * FROM " + new_table +
                  ";`, deploy code that uses `" + new_table + "`, then `DROP VIEW " + table +
                  ";` in a later migration."
            : "Copy the data to `" + new_table + "` and have the application write to both tables (or use a view "
                  "named `" + table + "` over `" + new_table + "`), move the code to `" + new_table +
                  "`, and drop `" + table + "` in a later migration.";
    context.report("Renaming table `" + table + "` to `" + rename->new_name +
                       "` breaks the application instances still running during the deploy: their queries on `" +
                       table + "` fail with `relation does not exist` as soon as the rename commits.",
                   help);
  }
};

MIGSAFE_REGISTER_RULE(RenamingTable);

}  // namespace
}  // namespace migsafe
