// prefer-jsonb: json keeps raw text and cannot be indexed or compared; use jsonb.
#include "linter/engine/rule.h"
#include "rules/style_columns.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "prefer-jsonb",
    .default_severity = Severity::Warning,
    .category = RuleCategory::Style,
    .engines = kPostgres,
    .enabled_by_default = false,
    .summary = "json keeps raw text and cannot be indexed or compared; use jsonb.",
    .what_it_does =
        "Flags columns declared `json` (CREATE TABLE, ADD COLUMN, ALTER COLUMN TYPE).",
    .why =
        "`json` stores the input text verbatim and re-parses it on every access: it has no equality operator (so `SELECT DISTINCT`, `GROUP BY` and UNIQUE fail on it), no GIN indexing and no containment operators. `jsonb` stores parsed binary JSON, supports indexing and `@>`, and is what nearly every application wants. Converting later rewrites the table.",
    .safe_alternative =
        "Declare the column `jsonb`; in SQLAlchemy use `sqlalchemy.dialects.postgresql.JSONB`.",
    .bad_example = "ALTER TABLE orders ADD COLUMN metadata json;",
    .good_example = "ALTER TABLE orders ADD COLUMN metadata jsonb;",
    .lock = "",
    .versions = "All versions (jsonb since 9.4).",
    .references = "PostgreSQL docs 8.14 JSON Types",
};

class PreferJsonb final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override {
    return operation_kinds<CreateTable, AddColumn, AlterColumnType>();
  }

  void check_operation(const OperationContext& context) const override {
    for (const style::DeclaredColumn& column : style::declared_columns(context.op)) {
      if (column.type->name != "json") continue;
      style::report_column(
          context, column,
          "Column `" + column.table + "." + column.column + "` is declared `" + column.written_type() +
              "`, which is re-parsed on every access and cannot be indexed with GIN, compared, grouped or made "
              "unique; converting it to jsonb later rewrites the table.",
          "Declare it " + column.with_type("jsonb") + " (SQLAlchemy: `postgresql.JSONB`).");
    }
  }
};

MIGSAFE_REGISTER_RULE(PreferJsonb);

}  // namespace
}  // namespace migsafe
