// ban-char-type: char(n) pads values with spaces and is never faster than text; use text or varchar.
#include "linter/engine/rule.h"
#include "rules/style_columns.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "ban-char-type",
    .default_severity = Severity::Warning,
    .category = RuleCategory::Style,
    .engines = kPostgres,
    .enabled_by_default = false,
    .summary = "char(n) pads values with spaces and is never faster than text; use text or varchar.",
    .what_it_does =
        "Flags columns declared `char(n)` / `character(n)` (`bpchar`) in CREATE TABLE, ADD COLUMN and ALTER COLUMN TYPE.",
    .why =
        "`char(n)` pads every value with spaces up to n and strips them again in comparisons, so values round-trip differently through the application (`'ab'` comes back as `'ab   '`), LIKE and concatenation behave surprisingly, and values longer than n fail. It is stored like text and is not faster. Fixed-length codes are better expressed as text with a CHECK.",
    .safe_alternative =
        "Declare the column `text` (with `CHECK (char_length(col) = n)` for fixed-length codes).",
    .bad_example = "CREATE TABLE countries (code char(2) PRIMARY KEY, name text NOT NULL);",
    .good_example = "CREATE TABLE countries (code text PRIMARY KEY CHECK (char_length(code) = 2), name text NOT NULL);",
    .lock = "",
    .versions = "All versions.",
    .references = "squawk ban-char-field; PostgreSQL wiki Don't Do This: char(n)",
};

class BanCharType final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override {
    return operation_kinds<CreateTable, AddColumn, AlterColumnType>();
  }

  void check_operation(const OperationContext& context) const override {
    for (const style::DeclaredColumn& column : style::declared_columns(context.op)) {
      if (column.type->name != "bpchar") continue;
      std::string check = column.type->modifiers.empty()
                              ? std::string()
                              : ", with `CHECK (char_length(" + column.column +
                                    ") = " + std::to_string(column.type->modifiers.front()) + ")` for a fixed-length code";
      style::report_column(
          context, column,
          "Column `" + column.table + "." + column.column + "` is declared `" + column.written_type() +
              "`, which pads values with spaces: the application reads back values different from those it wrote, "
              "and longer values are rejected.",
          "Declare it " + column.with_type("text") + check + ".");
    }
  }
};

MIGSAFE_REGISTER_RULE(BanCharType);

}  // namespace
}  // namespace migsafe
