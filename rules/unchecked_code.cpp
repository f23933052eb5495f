// unchecked-code: a migration step migsafe recognised but cannot check statically (SQL built at run time,
// an operation from an Alembic extension). A note, so that a clean report never means "all checked"
// when it does not.
#include "linter/engine/rule.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "unchecked-code",
    .default_severity = Severity::Note,
    .category = RuleCategory::Meta,
    .engines = kAllEngines,
    .summary = "A migration step could not be checked statically (SQL built at run time, an extension operation).",
    .what_it_does =
        "Reports Alembic code that runs schema or data changes migsafe cannot see: `op.execute()` / "
        "`connection.execute()` with SQL assembled at run time (f-strings, string formatting, variables), "
        "operations registered by Alembic extensions (`op.sync_enum_values`, `op.create_entity`, ...), "
        "`op.run_async`, and SQL in MySQL/SQLite projects that the SQL parser does not accept.",
    .why =
        "Whatever this step does reaches production without any of migsafe's lock, rewrite or compatibility "
        "checks. A report without findings would otherwise suggest the migration was fully checked.",
    .safe_alternative =
        "1. Where possible, write the SQL as one literal string (`op.execute(\"ALTER TABLE ...\")`) so that it "
        "is parsed and checked.\n"
        "2. Otherwise review the step by hand, or render the real SQL with `migsafe lint --render-sql` "
        "(Alembic offline mode) and check that.\n"
        "3. Suppress the note with `# migsafe: ignore[unchecked-code]` once reviewed.",
    .bad_example = "op.execute(f\"ALTER TABLE {table} ADD COLUMN note text\")",
    .good_example = "op.execute(\"ALTER TABLE orders ADD COLUMN note text\")",
    .lock = "",
    .versions = "",
    .references = "alembic.md section 1 (third-party op.* names); offline mode (`alembic upgrade --sql`)",
};

class UncheckedCode final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override { return operation_kinds<UncheckedOperation>(); }

  void check_operation(const OperationContext& context) const override {
    const auto* unchecked = context.op.as<UncheckedOperation>();
    if (!unchecked) return;
    std::string what = unchecked->plugin ? "an operation from an Alembic extension" : "code migsafe cannot read statically";
    context.report("This step is " + what + " (" + unchecked->description +
                       "), so it runs in production without migsafe's lock, rewrite and compatibility checks.",
                   unchecked->plugin
                       ? "Review what the extension emits (`alembic upgrade --sql` or `migsafe lint --render-sql` "
                         "shows the SQL), then mark the line `# migsafe: ignore[unchecked-code]`."
                       : "Write the SQL as one literal string (`op.execute(\"...\")`) so that migsafe can check it, "
                         "or review it by hand and mark the line `# migsafe: ignore[unchecked-code]`.");
  }
};

MIGSAFE_REGISTER_RULE(UncheckedCode);

}  // namespace
}  // namespace migsafe
