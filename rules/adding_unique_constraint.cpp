// adding-unique-constraint: ADD UNIQUE (or ADD COLUMN ... UNIQUE) that builds its index under ACCESS EXCLUSIVE.
#include "linter/engine/rule.h"
#include "rules/rule_support.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "adding-unique-constraint",
    .default_severity = Severity::Error,
    .category = RuleCategory::Locks,
    .engines = kPostgres,
    .summary = "Adding a UNIQUE constraint builds its index while blocking all reads and writes of the table.",
    .what_it_does =
        "Flags `ADD [CONSTRAINT ...] UNIQUE (...)` without `USING INDEX` and `ADD COLUMN ... UNIQUE` on a table "
        "not created in the same migration, and Alembic `op.create_unique_constraint`.",
    .why =
        "The constraint's unique index is built inside the ALTER TABLE, under its ACCESS EXCLUSIVE lock: no "
        "reads and no writes for the whole index build, minutes on a large table. Duplicates fail the deploy "
        "at the end of the build.",
    .safe_alternative =
        "1. `CREATE UNIQUE INDEX CONCURRENTLY idx ON t (cols);` outside a transaction (reads and writes continue).\n"
        "2. `ALTER TABLE t ADD CONSTRAINT name UNIQUE USING INDEX idx;` (instant; the index is renamed).",
    .bad_example = "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);",
    .good_example =
        "CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);\n"
        "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;",
    .lock = "ACCESS EXCLUSIVE on the table for the whole index build.",
    .versions = "All versions.",
    .references = "engines.md 1.2 #11, #36, #37",
};

class AddingUniqueConstraint final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override { return operation_kinds<AddColumn, AddConstraint>(); }

  void check_operation(const OperationContext& context) const override {
    if (!context.is_postgres()) return;
    if (const auto* add = context.op.as<AddConstraint>()) {
      const ConstraintSpec& constraint = add->constraint;
      if (constraint.kind != ConstraintKind::Unique || !constraint.using_index.empty()) return;
      if (context.state.is_new_table(add->table)) return;
      report(context, add->table, constraint.name, constraint.columns, "Adding unique constraint");
    } else if (const auto* column = context.op.as<AddColumn>()) {
      if (context.state.is_new_table(column->table) || column->column.primary_key) return;
      bool unique = column->column.unique;
      std::string name;
      for (const ConstraintSpec& constraint : column->column.constraints) {
        if (constraint.kind != ConstraintKind::Unique) continue;
        unique = true;
        name = constraint.name;
      }
      if (!unique) return;
      report(context, column->table, name, {column->column.name},
             "Adding column `" + column->column.name + "` with UNIQUE");
    }
  }

 private:
  static void report(const OperationContext& context, const QualifiedName& table_name, const std::string& name,
                     const std::vector<std::string>& columns, const std::string& what) {
    std::string table = table_name.display();
    std::string constraint = name.empty() ? rules::postgres_default_name(table_name, columns, "key") : name;
    std::string subject = what == "Adding unique constraint" && !name.empty() ? what + " `" + name + "`" : what;
    context.report(subject + " builds a unique index on `" + table + "` (" + rules::join(columns) +
                       ") under an ACCESS EXCLUSIVE lock, blocking every read and write of `" + table +
                       "` for the whole build, and fails the deploy if duplicates exist.",
                   std::string(what.rfind("Adding column", 0) == 0 ? "Add the column without UNIQUE, then b" : "B") +
                       "uild the index without blocking and attach it: `CREATE UNIQUE INDEX CONCURRENTLY " +
                       constraint + " ON " + table + " (" + rules::join(columns) + ");` (outside a transaction "
                       "block) then `ALTER TABLE " + table + " ADD CONSTRAINT " + constraint + " UNIQUE USING INDEX " +
                       constraint + ";`.");
  }
};

MIGSAFE_REGISTER_RULE(AddingUniqueConstraint);

}  // namespace
}  // namespace migsafe
