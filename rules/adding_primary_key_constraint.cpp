// adding-primary-key-constraint: ADD PRIMARY KEY that builds an index (or scans for NULLs) under
// ACCESS EXCLUSIVE; MySQL primary key changes that rebuild the table.
#include "linter/engine/rule.h"
#include "rules/rule_support.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "adding-primary-key-constraint",
    .default_severity = Severity::Error,
    .category = RuleCategory::Locks,
    .engines = kPostgres | kMySQL,
    .summary = "Adding a primary key builds an index and checks for NULLs while blocking all reads and writes.",
    .what_it_does =
        "Flags `ADD PRIMARY KEY (...)` without `USING INDEX` and `ADD COLUMN ... PRIMARY KEY` on a table not "
        "created in the same migration, and `ADD PRIMARY KEY USING INDEX` when a column of that index is "
        "known to be nullable (the implicit SET NOT NULL scans the table). Not flagged: `USING INDEX` over "
        "columns that are NOT NULL (or proven by a validated CHECK on PostgreSQL 12+), or whose index is "
        "unknown. On MySQL/MariaDB: adding or dropping a primary key of an existing table.",
    .why =
        "PostgreSQL builds the unique index inside the ALTER TABLE and verifies that no key column is NULL, "
        "all under an ACCESS EXCLUSIVE lock: no reads, no writes for the whole build and scan. MySQL rebuilds "
        "the table around the new clustered index (and copies it when dropping one).",
    .safe_alternative =
        "1. Make the key columns NOT NULL without a scan (PostgreSQL 12+: `CHECK (col IS NOT NULL) NOT VALID`, "
        "`VALIDATE CONSTRAINT`, `SET NOT NULL`).\n"
        "2. `CREATE UNIQUE INDEX CONCURRENTLY t_pkey_idx ON t (cols);` outside a transaction.\n"
        "3. `ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_pkey_idx;` (instant).",
    .bad_example = "ALTER TABLE audit_log ADD PRIMARY KEY (id);",
    .good_example =
        "CREATE UNIQUE INDEX CONCURRENTLY audit_log_pkey_idx ON audit_log (id);\n"
        "ALTER TABLE audit_log ADD CONSTRAINT audit_log_pkey PRIMARY KEY USING INDEX audit_log_pkey_idx;",
    .lock = "ACCESS EXCLUSIVE on the table for the index build and the NOT NULL scan.",
    .versions = "All versions; the CHECK-based NOT NULL proof needs PostgreSQL 12+.",
    .references = "engines.md 1.2 #38, #39, #40; section 3 (ADD/DROP PRIMARY KEY)",
};

class AddingPrimaryKeyConstraint final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override {
    return operation_kinds<AddColumn, AddConstraint, DropConstraint>();
  }

  void check_operation(const OperationContext& context) const override {
    if (context.is_postgres()) {
      check_postgres(context);
    } else if (context.is_mysql()) {
      check_mysql(context);
    }
  }

 private:
  static void check_postgres(const OperationContext& context) {
    if (const auto* add = context.op.as<AddConstraint>()) {
      const ConstraintSpec& constraint = add->constraint;
      if (constraint.kind != ConstraintKind::PrimaryKey || context.state.is_new_table(add->table)) return;
      if (constraint.using_index.empty()) {
        report_index_build(context, add->table, constraint.columns, constraint.name);
      } else {
        check_using_index(context, add->table, constraint);
      }
    } else if (const auto* column = context.op.as<AddColumn>()) {
      if (!column->column.primary_key || context.state.is_new_table(column->table)) return;
      report_index_build(context, column->table, {column->column.name}, "");
    }
  }

  static void report_index_build(const OperationContext& context, const QualifiedName& table_name,
                                 const std::vector<std::string>& columns, const std::string& name) {
    std::string table = table_name.display();
    std::string constraint = name.empty() ? table_name.name + "_pkey" : name;
    std::string index = constraint + "_idx";
    context.report("Adding primary key (" + rules::join(columns) + ") to `" + table +
                       "` builds a unique index and checks the key columns for NULLs under an ACCESS EXCLUSIVE lock, "
                       "blocking every read and write of `" + table + "` for the whole build.",
                   "Make sure the key columns are NOT NULL first (CHECK ... NOT VALID, VALIDATE, SET NOT NULL), then "
                   "`CREATE UNIQUE INDEX CONCURRENTLY " + index + " ON " + table + " (" + rules::join(columns) +
                       ");` outside a transaction block and `ALTER TABLE " + table + " ADD CONSTRAINT " + constraint +
                       " PRIMARY KEY USING INDEX " + index + ";`.");
  }

  static void check_using_index(const OperationContext& context, const QualifiedName& table_name,
                                const ConstraintSpec& constraint) {
    const std::vector<std::string>* columns = context.state.catalog.index_columns(table_name, constraint.using_index);
    if (!columns) return;  // the index is not known: nothing to say about its columns
    std::vector<std::string> nullable;
    bool proof_supported = context.target_version().major >= 12;
    for (const std::string& column : *columns) {
      const ColumnInfo* info = context.state.catalog.column(table_name, column);
      if (!info || info->not_null) continue;
      bool proven = proof_supported &&
                    context.state.not_null_checks.count(state_key(table_name) + "." + ascii_lowered(column)) > 0;
      if (!proven) nullable.push_back(column);
    }
    if (nullable.empty()) return;
    std::string table = table_name.display();
    std::string first = nullable.front();
    std::string check = rules::postgres_default_name(table_name, {first}, "not_null");
    context.report("Adding the primary key using index `" + constraint.using_index + "` makes nullable column" +
                       (nullable.size() > 1 ? "s `" : " `") + rules::join(nullable, "`, `") + "` of `" + table +
                       "` NOT NULL, which scans the whole table under an ACCESS EXCLUSIVE lock and blocks every "
                       "read and write until the scan ends.",
                   "Make the column" + std::string(nullable.size() > 1 ? "s" : "") +
                       " NOT NULL first without a blocking scan, e.g. `ALTER TABLE " + table + " ADD CONSTRAINT " +
                       check + " CHECK (" + first + " IS NOT NULL) NOT VALID;`, `ALTER TABLE " + table +
                       " VALIDATE CONSTRAINT " + check + ";` in a separate transaction, then `ALTER TABLE " + table +
                       " ALTER COLUMN " + first + " SET NOT NULL;`" +
                       (proof_supported ? "" : " (the scan is only skipped on PostgreSQL 12+)") +
                       ", and only then add the primary key using the index.");
  }

  static void check_mysql(const OperationContext& context) {
    if (const auto* add = context.op.as<AddConstraint>()) {
      if (add->constraint.kind != ConstraintKind::PrimaryKey || context.state.is_new_table(add->table)) return;
      std::string table = add->table.display();
      context.report("Adding a primary key to `" + table + "` rebuilds the whole table around the new clustered "
                     "index: heavy I/O and replica lag, and a copy that blocks writes if a column must be converted "
                     "to NOT NULL.",
                     "Run it with gh-ost / pt-online-schema-change on a large table, or write `, ALGORITHM=INPLACE, "
                     "LOCK=NONE` so that MySQL refuses instead of copying.");
    } else if (const auto* drop = context.op.as<DropConstraint>()) {
      if (drop->kind != ConstraintKind::PrimaryKey || context.state.is_new_table(drop->table)) return;
      std::string table = drop->table.display();
      context.report("Dropping the primary key of `" + table + "` copies the whole table (ALGORITHM=COPY), "
                     "blocking writes until every row is copied.",
                     "Drop and add the primary key in the same ALTER TABLE (an in-place rebuild), or run the change "
                     "with gh-ost / pt-online-schema-change.");
    }
  }
};

MIGSAFE_REGISTER_RULE(AddingPrimaryKeyConstraint);

}  // namespace
}  // namespace migsafe
