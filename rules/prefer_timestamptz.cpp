// prefer-timestamptz: timestamp without time zone loses the instant a value stands for; use timestamptz.
#include "linter/engine/rule.h"
#include "rules/style_columns.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "prefer-timestamptz",
    .default_severity = Severity::Warning,
    .category = RuleCategory::Style,
    .engines = kPostgres,
    .enabled_by_default = false,
    .summary = "timestamp without time zone loses the instant a value stands for; use timestamptz.",
    .what_it_does =
        "Flags columns declared `timestamp` / `timestamp without time zone` (CREATE TABLE, ADD COLUMN, ALTER COLUMN TYPE).",
    .why =
        "A `timestamp` stores a wall-clock reading with no zone: values written by servers or sessions with different TimeZone settings mix silently, comparisons with now() shift by the UTC offset, and daylight-saving changes produce duplicated or missing hours. `timestamptz` stores the instant (in UTC) and converts on output, at the same 8 bytes. Converting later rewrites the table (unless TimeZone is UTC on PostgreSQL 12+).",
    .safe_alternative =
        "Declare the column `timestamptz` (`timestamp with time zone`); in SQLAlchemy `sa.DateTime(timezone=True)`.",
    .bad_example = "ALTER TABLE events ADD COLUMN occurred_at timestamp NOT NULL DEFAULT now();",
    .good_example = "ALTER TABLE events ADD COLUMN occurred_at timestamptz NOT NULL DEFAULT now();",
    .lock = "",
    .versions = "All versions.",
    .references = "squawk prefer-timestamptz; PostgreSQL wiki Don't Do This: timestamp (without time zone)",
};

class PreferTimestamptz final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override {
    return operation_kinds<CreateTable, AddColumn, AlterColumnType>();
  }

  void check_operation(const OperationContext& context) const override {
    for (const style::DeclaredColumn& column : style::declared_columns(context.op)) {
      if (column.type->name != "timestamp") continue;
      std::string better = "timestamptz";
      if (!column.type->modifiers.empty()) better += "(" + std::to_string(column.type->modifiers.front()) + ")";
      style::report_column(
          context, column,
          "Column `" + column.table + "." + column.column + "` is declared `" + column.written_type() +
              "`, which stores a wall-clock reading without a time zone: values from sessions with different "
              "TimeZone settings mix silently and shift around daylight-saving changes.",
          "Declare it " + column.with_type(better) + " (SQLAlchemy: `sa.DateTime(timezone=True)`).");
    }
  }
};

MIGSAFE_REGISTER_RULE(PreferTimestamptz);

}  // namespace
}  // namespace migsafe
