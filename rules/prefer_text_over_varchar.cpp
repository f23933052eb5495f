// prefer-text-over-varchar: varchar(n) adds nothing over text on PostgreSQL and makes the limit expensive to change; use text (with a CHECK if needed).
#include "linter/engine/rule.h"
#include "rules/style_columns.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "prefer-text-over-varchar",
    .default_severity = Severity::Warning,
    .category = RuleCategory::Style,
    .engines = kPostgres,
    .enabled_by_default = false,
    .summary = "varchar(n) adds nothing over text on PostgreSQL and makes the limit expensive to change; use text (with a CHECK if needed).",
    .what_it_does =
        "Flags columns declared `varchar(n)` / `character varying(n)` (CREATE TABLE, ADD COLUMN, ALTER COLUMN TYPE). Unbounded `varchar` is the same as text and is not flagged.",
    .why =
        "On PostgreSQL `varchar(n)` is stored exactly like `text`; the length limit only adds failures (`value too long for type character varying(n)`) when real data grows past a guess made years ago, and shrinking the limit later rewrites the table under an ACCESS EXCLUSIVE lock. A CHECK constraint expresses the same limit and can be changed with NOT VALID + VALIDATE without blocking.",
    .safe_alternative =
        "Declare the column `text`; if a limit is a real business rule, add `CHECK (char_length(col) <= n)`.",
    .bad_example = "CREATE TABLE users (id bigint PRIMARY KEY, email varchar(255) NOT NULL);",
    .good_example = "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL CHECK (char_length(email) <= 320));",
    .lock = "",
    .versions = "All versions.",
    .references = "squawk prefer-text-field; PostgreSQL wiki Don't Do This: varchar(n) by default",
};

class PreferTextOverVarchar final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override {
    return operation_kinds<CreateTable, AddColumn, AlterColumnType>();
  }

  void check_operation(const OperationContext& context) const override {
    for (const style::DeclaredColumn& column : style::declared_columns(context.op)) {
      if (column.type->name != "varchar" || column.type->modifiers.empty()) continue;
      std::string limit = std::to_string(column.type->modifiers.front());
      style::report_column(
          context, column,
          "Column `" + column.table + "." + column.column + "` is declared `" + column.written_type() +
              "`: inserts of longer values fail in production, and changing the limit later can rewrite the table "
              "under an exclusive lock, while PostgreSQL stores it exactly like text.",
          "Declare it " + column.with_type("text") + ", and if the limit is a real rule add `CHECK (char_length(" +
              column.column + ") <= " + limit + ")`, which can be changed later without blocking.");
    }
  }
};

MIGSAFE_REGISTER_RULE(PreferTextOverVarchar);

}  // namespace
}  // namespace migsafe
