// adding-foreign-key-constraint: a validated FOREIGN KEY added to an existing table.
#include "linter/engine/rule.h"
#include "rules/rule_support.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "adding-foreign-key-constraint",
    .default_severity = Severity::Error,
    .category = RuleCategory::Locks,
    .engines = kPostgres | kMySQL,
    .summary = "Adding a foreign key without NOT VALID blocks writes on both tables while every row is checked.",
    .what_it_does =
        "Flags `ADD [CONSTRAINT ...] FOREIGN KEY ... REFERENCES` without `NOT VALID` on a table not created in "
        "the same migration (also Alembic `op.create_foreign_key`), `ADD COLUMN ... REFERENCES` with a non-null "
        "default (every row must be checked), and `VALIDATE CONSTRAINT` in the same transaction as the "
        "`NOT VALID` add (the add's locks are still held). On MySQL/MariaDB it flags adding a foreign key "
        "unless `foreign_key_checks = 0` is in effect.",
    .why =
        "PostgreSQL takes SHARE ROW EXCLUSIVE locks on both the table and the referenced table and then checks "
        "every existing row: INSERT, UPDATE and DELETE on both tables wait for the whole check. The referenced "
        "table is usually a hot one (users, accounts). MySQL copies the table (ALGORITHM=COPY) unless "
        "foreign_key_checks is off.",
    .safe_alternative =
        "1. `ALTER TABLE child ADD CONSTRAINT fk FOREIGN KEY (parent_id) REFERENCES parent (id) NOT VALID;` "
        "(brief lock, new rows are checked from now on)\n"
        "2. In a separate transaction: `ALTER TABLE child VALIDATE CONSTRAINT fk;` (SHARE UPDATE EXCLUSIVE: "
        "reads and writes continue).",
    .bad_example = "ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id);",
    .good_example =
        "ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;\n"
        "-- separate transaction:\n"
        "ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_fkey;",
    .lock = "SHARE ROW EXCLUSIVE on the table and on the referenced table for the whole validation.",
    .versions = "All versions.",
    .references = "engines.md 1.2 #10, #32, #33, #34; section 3 (ADD FOREIGN KEY)",
};

class AddingForeignKeyConstraint final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override {
    return operation_kinds<AddColumn, AddConstraint, ValidateConstraint>();
  }

  void check_operation(const OperationContext& context) const override {
    if (const auto* add = context.op.as<AddConstraint>()) {
      if (add->constraint.kind != ConstraintKind::ForeignKey || context.state.is_new_table(add->table)) return;
      if (context.is_postgres() && !add->constraint.not_valid) report_postgres(context, add->table, add->constraint);
      if (context.is_mysql() && !context.state.foreign_key_checks_disabled) report_mysql(context, add->table, add->constraint);
    } else if (const auto* column = context.op.as<AddColumn>()) {
      if (context.state.is_new_table(column->table) || !column->column.default_value) return;
      if (rules::default_volatility(*column->column.default_value) == Volatility::Null) return;
      for (const ConstraintSpec& constraint : column->column.constraints) {
        if (constraint.kind != ConstraintKind::ForeignKey || constraint.not_valid) continue;
        if (context.is_postgres()) report_column_with_default(context, *column, constraint);
        break;
      }
    } else if (const auto* validate = context.op.as<ValidateConstraint>()) {
      if (!context.is_postgres() || context.state.is_new_table(validate->table)) return;
      auto it = context.state.not_valid_constraints_in_transaction.find(state_key(validate->table) + "." +
                                                                        ascii_lowered(validate->name));
      if (it == context.state.not_valid_constraints_in_transaction.end() || it->second != ConstraintKind::ForeignKey) {
        return;
      }
      std::string table = validate->table.display();
      context.report("Validating foreign key `" + validate->name + "` in the same transaction that added it NOT "
                         "VALID keeps the SHARE ROW EXCLUSIVE locks of the ADD on `" + table +
                         "` and the referenced table, so writes to both stay blocked for the whole validation scan.",
                     "Commit after the `NOT VALID` add and run `ALTER TABLE " + table + " VALIDATE CONSTRAINT " +
                         validate->name + ";` in a separate transaction (a separate migration if the runner wraps "
                         "each migration in one transaction).");
    }
  }

 private:
  static std::string constraint_name(const QualifiedName& table, const ConstraintSpec& constraint) {
    return constraint.name.empty() ? rules::postgres_default_name(table, constraint.columns, "fkey") : constraint.name;
  }

  static void report_postgres(const OperationContext& context, const QualifiedName& table_name,
                              const ConstraintSpec& constraint) {
    std::string table = table_name.display();
    std::string parent = constraint.referenced_table.display();
    std::string name = constraint_name(table_name, constraint);
    std::string clause = rules::add_clause_text(context);
    std::string add_sql;
    if (!clause.empty() && !constraint.name.empty()) {
      add_sql = "ALTER TABLE " + table + " " + clause + " NOT VALID;";
    } else {
      add_sql = "ALTER TABLE " + table + " ADD CONSTRAINT " + name + " FOREIGN KEY (" + rules::join(constraint.columns) +
                ") REFERENCES " + parent +
                (constraint.referenced_columns.empty() ? "" : " (" + rules::join(constraint.referenced_columns) + ")") +
                " NOT VALID;";
    }
    context.report("Adding foreign key " + (constraint.name.empty() ? std::string() : "`" + constraint.name + "` ") +
                       "on `" + table + "` without NOT VALID blocks all writes to `" + table + "` and `" + parent +
                       "` (SHARE ROW EXCLUSIVE on both) while every existing row of `" + table + "` is checked.",
                   "Add it without checking old rows, then validate without blocking: `" + add_sql +
                       "` and, in a separate transaction, `ALTER TABLE " + table + " VALIDATE CONSTRAINT " + name +
                       ";`.");
  }

  static void report_mysql(const OperationContext& context, const QualifiedName& table_name,
                           const ConstraintSpec& constraint) {
    std::string table = table_name.display();
    context.report("Adding a foreign key to `" + table + "` with foreign_key_checks on copies the whole table "
                   "(ALGORITHM=COPY), blocking writes to `" + table + "` until every row is copied and checked.",
                   "Run `SET foreign_key_checks = 0;` before the ALTER (MySQL then adds it INPLACE without checking "
                   "existing rows), verify orphans separately, and `SET foreign_key_checks = 1;` afterwards.");
  }

  static void report_column_with_default(const OperationContext& context, const AddColumn& add,
                                         const ConstraintSpec& constraint) {
    std::string table = add.table.display();
    std::string parent = constraint.referenced_table.display();
    const ColumnSpec& column = add.column;
    std::string name = constraint.name.empty() ? rules::postgres_default_name(add.table, {column.name}, "fkey")
                                               : constraint.name;
    context.report("Adding column `" + column.name + "` with default `" + column.default_value->text +
                       "` and a foreign key to `" + parent + "` checks every existing row of `" + table +
                       "` against `" + parent + "` while writes to both tables are blocked.",
                   "Add the column with its default but without REFERENCES, then `ALTER TABLE " + table +
                       " ADD CONSTRAINT " + name + " FOREIGN KEY (" + column.name + ") REFERENCES " + parent +
                       (constraint.referenced_columns.empty() ? "" : " (" + rules::join(constraint.referenced_columns) + ")") +
                       " NOT VALID;` and, in a separate transaction, `ALTER TABLE " + table +
                       " VALIDATE CONSTRAINT " + name + ";`.");
  }
};

MIGSAFE_REGISTER_RULE(AddingForeignKeyConstraint);

}  // namespace
}  // namespace migsafe
