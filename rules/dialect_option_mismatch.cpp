// dialect-option-mismatch: an Alembic/SQLAlchemy keyword for another engine than the project's
// (`postgresql_where=` in a MySQL project): SQLAlchemy silently ignores it, so the DDL differs from what
// the author wrote.
#include <string_view>

#include "linter/engine/rule.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "dialect-option-mismatch",
    .default_severity = Severity::Warning,
    .category = RuleCategory::Compatibility,
    .engines = kAllEngines,
    .summary = "A dialect-specific Alembic/SQLAlchemy option targets another engine than the project's, so it is "
               "silently ignored.",
    .what_it_does =
        "Flags keyword arguments with a dialect prefix (`postgresql_`, `mysql_`, `mariadb_`, `sqlite_`, `mssql_`, "
        "`oracle_`) in Alembic directives and in the `sa.Column` / `sa.Index` / constraint items inside them, "
        "when the prefix names another engine than the project's (dialect from `sqlalchemy.url`, the "
        "configuration or `--dialect`).",
    .why =
        "SQLAlchemy only reads the options of the dialect it compiles for and drops the others without a "
        "warning. `postgresql_where=` in a MySQL project builds a full instead of a partial index (a unique "
        "partial index becomes a unique index over every row, and the migration fails on duplicates); "
        "`postgresql_concurrently=True` does not make a MySQL index build online; `mysql_length=` does not "
        "shorten a PostgreSQL index key. The migration does something else than its text says.",
    .safe_alternative =
        "1. Use the option of the project's engine (MySQL: `mysql_length`, `mysql_prefix`, `mysql_using`; "
        "PostgreSQL: `postgresql_where`, `postgresql_concurrently`, `postgresql_using`).\n"
        "2. If the project deliberately runs on several engines, keep both options and mark the line "
        "`# migsafe: ignore[dialect-option-mismatch]`, or set the project's dialect in migsafe.toml.",
    .bad_example = "# MySQL project\nop.create_index('ix_orders_open', 'orders', ['customer_id'], unique=True,\n"
                   "                postgresql_where=sa.text('closed_at IS NULL'))",
    .good_example = "# MySQL project: no partial indexes; enforce the rule in the application or with a\n"
                    "# generated column\nop.create_index('ix_orders_customer', 'orders', ['customer_id'])",
    .lock = "",
    .versions = "",
    .references = "SQLAlchemy dialect-specific keyword arguments (DialectKWArgs); alembic.md section 1",
};

struct OptionEngine {
  std::string_view prefix;
  std::string_view engine;  // display name
};

constexpr OptionEngine kPrefixes[] = {
    {"postgresql_", "PostgreSQL"}, {"postgres_", "PostgreSQL"}, {"mysql_", "MySQL"}, {"mariadb_", "MariaDB"},
    {"sqlite_", "SQLite"},         {"mssql_", "SQL Server"},    {"oracle_", "Oracle"},
};

// Whether an option prefix is read when compiling for `dialect` (the MariaDB dialect also reads mysql_).
bool honoured(std::string_view prefix, Dialect dialect) {
  switch (dialect) {
    case Dialect::PostgreSQL: return prefix == "postgresql_" || prefix == "postgres_";
    case Dialect::MySQL: return prefix == "mysql_";
    case Dialect::MariaDB: return prefix == "mysql_" || prefix == "mariadb_";
    case Dialect::SQLite: return prefix == "sqlite_";
  }
  return false;
}

std::string_view engine_name(Dialect dialect) {
  switch (dialect) {
    case Dialect::PostgreSQL: return "PostgreSQL";
    case Dialect::MySQL: return "MySQL";
    case Dialect::MariaDB: return "MariaDB";
    case Dialect::SQLite: return "SQLite";
  }
  return "this engine";
}

// What ignoring the option means in production, for the options where it matters most.
std::string consequence(std::string_view option) {
  if (option == "postgresql_where" || option == "sqlite_where") {
    return "the index is built over every row instead of partially (a unique partial index becomes a unique "
           "index on the whole table and fails on duplicates outside the predicate)";
  }
  if (option == "postgresql_concurrently") {
    return "the index is built the engine's default way, not concurrently (check the lock it takes)";
  }
  if (option == "postgresql_using" || option == "mysql_using") return "the index uses the default method instead";
  if (option == "postgresql_ops") return "the index is built without these operator classes";
  if (option == "mysql_length" || option == "mariadb_length") return "the index key is not shortened";
  if (option == "postgresql_not_valid") return "the constraint is validated against every existing row";
  if (option == "postgresql_include") return "the index does not cover the extra columns";
  return "the statement runs without it";
}

class DialectOptionMismatch final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void check_operation(const OperationContext& context) const override {
    // Options belong to the statement (the directive call): report them once, at its first operation.
    if (context.statement.operations.empty() || &context.op != &context.statement.operations.front()) return;
    for (const DialectOption& option : context.statement.dialect_options) {
      for (const OptionEngine& entry : kPrefixes) {
        if (!option.name.starts_with(entry.prefix)) continue;
        if (honoured(entry.prefix, context.dialect())) break;
        std::string project_engine(engine_name(context.dialect()));
        context.report_at(
            context.script.file, option.range,
            "`" + option.name + "` is an option for " + std::string(entry.engine) + ", so SQLAlchemy silently ignores it on " +
                project_engine + ": " + consequence(option.name) + ".",
            "Use the " + project_engine + " equivalent of `" + option.name +
                "` (or drop it); if this project deliberately supports several engines, mark the line "
                "`# migsafe: ignore[dialect-option-mismatch]` or set the dialect in migsafe.toml.",
            context.migration.id, std::string(context.script.file->slice(option.range)));
        break;
      }
    }
  }
};

MIGSAFE_REGISTER_RULE(DialectOptionMismatch);

}  // namespace
}  // namespace migsafe
