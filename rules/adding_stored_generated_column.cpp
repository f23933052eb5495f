// adding-stored-generated-column: ADD COLUMN ... GENERATED ALWAYS AS (...) STORED on an existing table.
#include "linter/engine/rule.h"
#include "rules/rule_support.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "adding-stored-generated-column",
    .default_severity = Severity::Error,
    .category = RuleCategory::Locks,
    .engines = kPostgres | kMySQL,
    .summary = "Adding a STORED generated column to an existing table rewrites the whole table under an exclusive lock.",
    .what_it_does =
        "Flags `ADD COLUMN ... GENERATED ALWAYS AS (...) STORED` on a table that was not created in the same "
        "migration. VIRTUAL generated columns are not flagged: they are computed on read.",
    .why =
        "The database computes and stores the value for every existing row, which is a full table rewrite. On "
        "PostgreSQL it runs under an ACCESS EXCLUSIVE lock (no reads, no writes); MySQL copies the table. On a "
        "large table that is an outage for as long as the rewrite takes.",
    .safe_alternative =
        "1. Add a plain nullable column (instant).\n"
        "2. Keep it current for new and changed rows with a BEFORE INSERT OR UPDATE trigger (or in the application).\n"
        "3. Backfill existing rows in batches.\n"
        "Alternatively compute the value at query time (a view or an expression index), or use a VIRTUAL column "
        "on MySQL.",
    .bad_example = "ALTER TABLE orders ADD COLUMN total_cents bigint GENERATED ALWAYS AS (quantity * unit_cents) STORED;",
    .good_example =
        "ALTER TABLE orders ADD COLUMN total_cents bigint;\n"
        "-- trigger keeps it current, then backfill in batches:\n"
        "UPDATE orders SET total_cents = quantity * unit_cents WHERE id BETWEEN 1 AND 10000;",
    .lock = "ACCESS EXCLUSIVE on the table for the whole rewrite (MySQL: table copy).",
    .versions = "PostgreSQL 12+ (generated columns); MySQL 5.7+.",
    .references = "engines.md 1.2 #7",
};

class AddingStoredGeneratedColumn final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override { return operation_kinds<AddColumn>(); }

  void check_operation(const OperationContext& context) const override {
    const auto* add = context.op.as<AddColumn>();
    if (!add || context.state.is_new_table(add->table)) return;
    const ColumnSpec& column = add->column;
    if (column.generated != GeneratedKind::Stored) return;
    std::string table = add->table.display();
    std::string type = rules::type_text(column.type);
    if (context.is_mysql()) {
      context.report("Adding stored generated column `" + column.name + "` to existing table `" + table +
                         "` copies the whole table to compute the value for every row, blocking writes meanwhile.",
                     "Make it a VIRTUAL generated column (`... GENERATED ALWAYS AS (...) VIRTUAL`, added instantly), "
                     "or run the change with gh-ost / pt-online-schema-change.");
      return;
    }
    if (!context.is_postgres()) return;
    context.report("Adding stored generated column `" + column.name + "` to existing table `" + table +
                       "` rewrites the whole table under an ACCESS EXCLUSIVE lock to compute the value for every "
                       "row, blocking all reads and writes of `" + table + "` until it finishes.",
                   "Add a plain column instead (`ALTER TABLE " + table + " ADD COLUMN " + column.name + " " + type +
                       ";`), keep it current with a BEFORE INSERT OR UPDATE trigger, and backfill existing rows in "
                       "batches; or compute the value at query time (a view or an expression index).");
  }
};

MIGSAFE_REGISTER_RULE(AddingStoredGeneratedColumn);

}  // namespace
}  // namespace migsafe
