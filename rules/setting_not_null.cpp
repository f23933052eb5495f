// setting-not-null: SET NOT NULL on an existing column (full scan under ACCESS EXCLUSIVE).
#include "linter/engine/rule.h"
#include "rules/rule_support.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "setting-not-null",
    .default_severity = Severity::Error,
    .category = RuleCategory::Locks,
    .engines = kPostgres | kMySQL,
    .summary = "SET NOT NULL scans the whole table under an exclusive lock and fails if any row is NULL.",
    .what_it_does =
        "Flags `ALTER COLUMN ... SET NOT NULL`, Alembic `alter_column(..., nullable=False)` and MySQL "
        "`MODIFY ... NOT NULL` on a table not created in the same migration. On PostgreSQL 12+ it does not fire "
        "when a validated `CHECK (col IS NOT NULL)` on that column was added earlier in the migration (PostgreSQL "
        "then skips the scan), nor when the column is already known to be NOT NULL.",
    .why =
        "PostgreSQL verifies that no row is NULL by reading the whole table while it holds an ACCESS EXCLUSIVE "
        "lock, so every read and write waits for the scan; if a NULL is found the statement fails and the deploy "
        "with it. MySQL rebuilds the table.",
    .safe_alternative =
        "PostgreSQL 12+:\n"
        "1. `ALTER TABLE t ADD CONSTRAINT t_col_not_null CHECK (col IS NOT NULL) NOT VALID;` (instant)\n"
        "2. `ALTER TABLE t VALIDATE CONSTRAINT t_col_not_null;` in a separate transaction (scans without "
        "blocking reads or writes)\n"
        "3. `ALTER TABLE t ALTER COLUMN col SET NOT NULL;` (no scan: the check proves it)\n"
        "4. `ALTER TABLE t DROP CONSTRAINT t_col_not_null;`\n"
        "Before 12, keep the validated CHECK constraint as the enforcement.",
    .bad_example = "ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
    .good_example =
        "ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;\n"
        "-- next migration / transaction:\n"
        "ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;\n"
        "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n"
        "ALTER TABLE users DROP CONSTRAINT users_email_not_null;",
    .lock = "ACCESS EXCLUSIVE on the table for the whole scan.",
    .versions = "PostgreSQL 12+ can skip the scan when a validated CHECK (col IS NOT NULL) exists; PostgreSQL <= 11 "
                "always scans.",
    .references = "engines.md 1.2 #24, #25, #26; section 3 (NULL -> NOT NULL)",
};

class SettingNotNull final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override { return operation_kinds<SetNotNull>(); }

  void check_operation(const OperationContext& context) const override {
    const auto* set = context.op.as<SetNotNull>();
    if (!set || context.state.is_new_table(set->table)) return;
    std::string table = set->table.display();
    const std::string& column = set->column;
    // Already NOT NULL: PostgreSQL does nothing.
    if (const ColumnInfo* info = context.state.catalog.column(set->table, column); info && info->not_null) return;

    if (context.is_mysql()) {
      context.report("Making column `" + column + "` of `" + table +
                         "` NOT NULL rebuilds the table, and fails halfway if any row still holds NULL.",
                     "Backfill the NULLs in batches first; on a large table run the change with gh-ost / "
                     "pt-online-schema-change.");
      return;
    }
    if (!context.is_postgres()) return;
    bool proven = context.state.not_null_checks.count(state_key(set->table) + "." + ascii_lowered(column)) > 0;
    bool scan_skipping_supported = context.target_version().major >= 12;
    if (proven && scan_skipping_supported) return;

    std::string check = rules::postgres_default_name(set->table, {column}, "not_null");
    std::string message = rules::concat({"Setting NOT NULL on `", table, ".", column,
                                         "` scans the whole table under an ACCESS EXCLUSIVE lock, blocking every "
                                         "read and write of `", table,
                                         "` until the scan ends, and fails the deploy if any row is NULL."});
    std::string help;
    if (scan_skipping_supported) {
      help = rules::concat({"Prove it with a validated check first: `ALTER TABLE ", table, " ADD CONSTRAINT ", check,
                            " CHECK (", column, " IS NOT NULL) NOT VALID;` then, in a separate transaction, "
                            "`ALTER TABLE ", table, " VALIDATE CONSTRAINT ", check,
                            ";` (no blocking), then `ALTER TABLE ", table, " ALTER COLUMN ", column,
                            " SET NOT NULL;` (no scan) and `ALTER TABLE ", table, " DROP CONSTRAINT ", check, ";`."});
    } else {
      message = "On " + rules::postgres_version_text(context.target_version()) + " s" + message.substr(1);
      help = rules::postgres_version_text(context.target_version()) +
             " always scans for SET NOT NULL: enforce it with `ALTER TABLE " + table + " ADD CONSTRAINT " + check +
             " CHECK (" + column + " IS NOT NULL) NOT VALID;` and, in a separate transaction, `ALTER TABLE " + table +
             " VALIDATE CONSTRAINT " + check + ";`, and switch to SET NOT NULL after upgrading to PostgreSQL 12+.";
    }
    context.report(std::move(message), std::move(help));
  }
};

MIGSAFE_REGISTER_RULE(SettingNotNull);

}  // namespace
}  // namespace migsafe
