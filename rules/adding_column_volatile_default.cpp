// adding-column-volatile-default: ADD COLUMN with a default that forces a table rewrite.
#include <cctype>

#include "linter/engine/rule.h"
#include "rules/rule_support.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "adding-column-volatile-default",
    .default_severity = Severity::Error,
    .category = RuleCategory::Locks,
    .engines = kPostgres | kMySQL,
    .summary = "Adding a column whose default must be computed per row rewrites the whole table under an exclusive lock.",
    .what_it_does =
        "Flags `ADD COLUMN ... DEFAULT <expr>` on an existing table when the default is volatile "
        "(gen_random_uuid(), uuid_generate_v4(), random(), clock_timestamp(), timeofday(), nextval(...)), and on "
        "PostgreSQL before 11 any non-null default. On MySQL/MariaDB it flags expression defaults "
        "(`DEFAULT (expr)`), which cannot be added in place. Constant defaults and now()/CURRENT_TIMESTAMP "
        "(evaluated once) are fine on PostgreSQL 11+.",
    .why =
        "PostgreSQL 11+ stores a constant default in the catalog and leaves existing rows alone, but a volatile "
        "default has to be evaluated for every existing row, so the table and all its indexes are rewritten "
        "while an ACCESS EXCLUSIVE lock blocks every read and write. Before PostgreSQL 11 every default rewrote "
        "the table. On a large table that is minutes of downtime.",
    .safe_alternative =
        "1. Add the column without a default (instant).\n"
        "2. `ALTER COLUMN ... SET DEFAULT <expr>`: applies to new rows only, no rewrite.\n"
        "3. Backfill existing rows in batches (`UPDATE ... WHERE id BETWEEN ...`), committing per batch.\n"
        "4. If the column must be NOT NULL: `CHECK (col IS NOT NULL) NOT VALID`, `VALIDATE CONSTRAINT`, `SET NOT NULL`.",
    .bad_example = "ALTER TABLE users ADD COLUMN api_token uuid DEFAULT gen_random_uuid();",
    .good_example =
        "ALTER TABLE users ADD COLUMN api_token uuid;\n"
        "ALTER TABLE users ALTER COLUMN api_token SET DEFAULT gen_random_uuid();\n"
        "-- then backfill in batches:\n"
        "UPDATE users SET api_token = gen_random_uuid() WHERE id BETWEEN 1 AND 10000 AND api_token IS NULL;",
    .lock = "ACCESS EXCLUSIVE on the table (and its indexes) for the whole rewrite.",
    .versions = "PostgreSQL < 11: any non-null default rewrites. PostgreSQL 11+: only volatile defaults rewrite. "
                "MySQL 8.0 / MariaDB: expression defaults rebuild the table.",
    .references = "engines.md 1.2 #2, #4, #5 and 1.3; PostgreSQL docs ALTER TABLE \"Notes\"; strong_migrations "
                  "`add_column` with a volatile default",
};

class AddingColumnVolatileDefault final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override { return operation_kinds<AddColumn>(); }

  void check_operation(const OperationContext& context) const override {
    const auto* add = context.op.as<AddColumn>();
    if (!add || context.state.is_new_table(add->table)) return;
    const ColumnSpec& column = add->column;
    if (!column.default_value) return;
    // Serial/identity and generated columns have their own rules.
    if (column.is_serial() || column.generated != GeneratedKind::None) return;
    if (context.is_postgres()) {
      check_postgres(context, *add);
    } else if (context.is_mysql()) {
      check_mysql(context, *add);
    }
  }

 private:
  static void check_postgres(const OperationContext& context, const AddColumn& add) {
    const ColumnSpec& column = add.column;
    const Expression& value = *column.default_value;
    Volatility volatility = rules::default_volatility(value);
    if (volatility == Volatility::Null) return;
    bool before_fast_defaults = context.target_version().major < 11;
    // Unknown expressions (user functions) are not flagged on 11+: the rule only claims what it knows.
    if (!before_fast_defaults && volatility != Volatility::Volatile) return;

    std::string table = add.table.display();
    std::string type = rules::type_text(column.type);
    std::string why =
        before_fast_defaults
            ? rules::concat({"on ", rules::postgres_version_text(context.target_version()),
                             " every default is written into every existing row"})
            : rules::concat({"the volatile default `", value.text, "` is evaluated separately for every existing row"});
    std::string help = rules::concat(
        {"Add the column without a default, then set the default for new rows and backfill the old ones in batches: "
         "`ALTER TABLE ", table, " ADD COLUMN ", column.name, " ", type, ";` `ALTER TABLE ", table, " ALTER COLUMN ",
         column.name, " SET DEFAULT ", value.text, ";` then `UPDATE ", table, " SET ", column.name, " = ", value.text,
         " WHERE ", column.name, " IS NULL AND <primary key range>;` per batch, each in its own transaction."});
    if (column.not_null) {
      help += rules::concat({" Enforce NOT NULL afterwards with `CHECK (", column.name,
                             " IS NOT NULL) NOT VALID`, `VALIDATE CONSTRAINT` and `SET NOT NULL`."});
    }
    context.report(rules::concat({"Adding column `", column.name, "` with default `", value.text,
                                  "` rewrites the whole table `", table, "` under an ACCESS EXCLUSIVE lock, blocking "
                                  "every read and write until all rows and indexes are rewritten, because ", why, "."}),
                   std::move(help));
  }

  static void check_mysql(const OperationContext& context, const AddColumn& add) {
    const ColumnSpec& column = add.column;
    const Expression& value = *column.default_value;
    std::string text = value.text;
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.erase(0, 1);
    // Only parenthesised expression defaults (MySQL 8.0.13+) need a rebuild; CURRENT_TIMESTAMP and literals do not.
    if (text.empty() || text.front() != '(') return;
    std::string table = add.table.display();
    context.report("Adding column `" + column.name + "` with the expression default `" + value.text +
                       "` rebuilds table `" + table + "` (no INSTANT or in-place algorithm exists for it), "
                       "which takes long on a large table and blocks writes while rows are copied.",
                   "Add the column without a default (`ALTER TABLE " + table + " ADD COLUMN " + column.name + " " +
                       rules::type_text(column.type) + ", ALGORITHM=INSTANT;`), fill it in batches and in the "
                       "application, or run the change with gh-ost / pt-online-schema-change.");
  }
};

MIGSAFE_REGISTER_RULE(AddingColumnVolatileDefault);

}  // namespace
}  // namespace migsafe
