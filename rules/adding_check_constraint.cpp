// adding-check-constraint: a validated CHECK constraint added to an existing table.
#include "linter/engine/rule.h"
#include "rules/rule_support.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "adding-check-constraint",
    .default_severity = Severity::Error,
    .category = RuleCategory::Locks,
    .engines = kPostgres | kMySQL,
    .summary = "Adding a CHECK constraint without NOT VALID scans the whole table under an exclusive lock.",
    .what_it_does =
        "Flags `ADD [CONSTRAINT ...] CHECK (...)` without `NOT VALID` on a table not created in the same "
        "migration (also Alembic `op.create_check_constraint`), `ADD COLUMN ... CHECK (...)` on an existing "
        "table, and `VALIDATE CONSTRAINT` of a CHECK added `NOT VALID` earlier in the same transaction. On "
        "MySQL/MariaDB it flags adding an enforced CHECK constraint to an existing table.",
    .why =
        "PostgreSQL verifies the condition on every existing row while holding the ACCESS EXCLUSIVE lock of "
        "the ALTER TABLE, so reads and writes wait for the whole scan, and a single violating row fails the "
        "deploy. Validating in the same transaction as the NOT VALID add does not help: the add's ACCESS "
        "EXCLUSIVE lock is held until COMMIT. MySQL copies the table to check the rows.",
    .safe_alternative =
        "1. `ALTER TABLE t ADD CONSTRAINT c CHECK (...) NOT VALID;` (instant; new rows are checked)\n"
        "2. Commit, then `ALTER TABLE t VALIDATE CONSTRAINT c;` (SHARE UPDATE EXCLUSIVE: reads and writes "
        "continue during the scan).",
    .bad_example = "ALTER TABLE products ADD CONSTRAINT products_price_positive CHECK (price_cents > 0);",
    .good_example =
        "ALTER TABLE products ADD CONSTRAINT products_price_positive CHECK (price_cents > 0) NOT VALID;\n"
        "-- separate transaction:\n"
        "ALTER TABLE products VALIDATE CONSTRAINT products_price_positive;",
    .lock = "ACCESS EXCLUSIVE on the table for the whole scan.",
    .versions = "All versions.",
    .references = "engines.md 1.2 #29, #30, #31",
};

class AddingCheckConstraint final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override {
    return operation_kinds<AddColumn, AddConstraint, ValidateConstraint>();
  }

  void check_operation(const OperationContext& context) const override {
    if (const auto* add = context.op.as<AddConstraint>()) {
      const ConstraintSpec& constraint = add->constraint;
      if (constraint.kind != ConstraintKind::Check || constraint.not_valid) return;
      if (context.state.is_new_table(add->table)) return;
      if (context.is_postgres()) report_postgres(context, add->table, constraint);
      if (context.is_mysql()) report_mysql(context, add->table, constraint);
    } else if (const auto* column = context.op.as<AddColumn>()) {
      if (!context.is_postgres() || context.state.is_new_table(column->table)) return;
      for (const ConstraintSpec& constraint : column->column.constraints) {
        if (constraint.kind != ConstraintKind::Check || constraint.not_valid) continue;
        report_column_check(context, *column, constraint);
        break;
      }
    } else if (const auto* validate = context.op.as<ValidateConstraint>()) {
      if (!context.is_postgres() || context.state.is_new_table(validate->table)) return;
      auto it = context.state.not_valid_constraints_in_transaction.find(state_key(validate->table) + "." +
                                                                        ascii_lowered(validate->name));
      if (it == context.state.not_valid_constraints_in_transaction.end() || it->second != ConstraintKind::Check) return;
      std::string table = validate->table.display();
      context.report("Validating check constraint `" + validate->name + "` in the same transaction that added it "
                         "NOT VALID scans `" + table + "` while the ADD's ACCESS EXCLUSIVE lock is still held, so "
                         "every read and write of `" + table + "` waits for the whole scan.",
                     "Commit after the `NOT VALID` add and run `ALTER TABLE " + table + " VALIDATE CONSTRAINT " +
                         validate->name + ";` in a separate transaction (a separate migration if the runner wraps "
                         "each migration in one transaction).");
    }
  }

 private:
  static std::string constraint_name(const QualifiedName& table, const ConstraintSpec& constraint) {
    if (!constraint.name.empty()) return constraint.name;
    return rules::postgres_default_name(table, constraint.columns, "check");
  }

  static void report_postgres(const OperationContext& context, const QualifiedName& table_name,
                              const ConstraintSpec& constraint) {
    std::string table = table_name.display();
    std::string name = constraint_name(table_name, constraint);
    std::string clause = rules::add_clause_text(context);
    std::string add_sql =
        !clause.empty() && !constraint.name.empty()
            ? rules::concat({"ALTER TABLE ", table, " ", clause, " NOT VALID;"})
            : rules::concat({"ALTER TABLE ", table, " ADD CONSTRAINT ", name, " CHECK (", constraint.expression,
                             ") NOT VALID;"});
    context.report(rules::concat({"Adding check constraint ",
                                  constraint.name.empty() ? "" : rules::concat({"`", constraint.name, "` "}), "on `",
                                  table, "` without NOT VALID scans every row under an ACCESS EXCLUSIVE lock, "
                                  "blocking all reads and writes of `", table, "` until the scan ends, and fails the "
                                  "deploy if any row violates it."}),
                   rules::concat({"Add it unvalidated, then validate without blocking: `", add_sql,
                                  "` and, in a separate transaction, `ALTER TABLE ", table, " VALIDATE CONSTRAINT ",
                                  name, ";`."}));
  }

  static void report_mysql(const OperationContext& context, const QualifiedName& table_name,
                           const ConstraintSpec& constraint) {
    std::string table = table_name.display();
    context.report("Adding check constraint " + (constraint.name.empty() ? std::string() : "`" + constraint.name + "` ") +
                       "to `" + table + "` copies the whole table to check every row, blocking writes meanwhile, "
                       "and fails if any row violates it.",
                   "Clean up violating rows first and run the change with gh-ost / pt-online-schema-change on a "
                   "large table, or enforce the rule in the application.");
  }

  static void report_column_check(const OperationContext& context, const AddColumn& add,
                                  const ConstraintSpec& constraint) {
    std::string table = add.table.display();
    const ColumnSpec& column = add.column;
    std::string name = constraint.name.empty() ? rules::postgres_default_name(add.table, {column.name}, "check")
                                               : constraint.name;
    context.report("Adding column `" + column.name + "` with a CHECK constraint verifies every existing row of `" +
                       table + "` under the ACCESS EXCLUSIVE lock of the ALTER TABLE, blocking all reads and writes "
                       "until the scan ends.",
                   "Add the column without the check, then `ALTER TABLE " + table + " ADD CONSTRAINT " + name +
                       " CHECK (" + constraint.expression + ") NOT VALID;` and, in a separate transaction, "
                       "`ALTER TABLE " + table + " VALIDATE CONSTRAINT " + name + ";`.");
  }
};

MIGSAFE_REGISTER_RULE(AddingCheckConstraint);

}  // namespace
}  // namespace migsafe
