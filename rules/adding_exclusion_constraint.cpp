// adding-exclusion-constraint: ADD ... EXCLUDE on an existing table (no non-blocking form exists).
#include "linter/engine/rule.h"
#include "rules/rule_support.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "adding-exclusion-constraint",
    .default_severity = Severity::Warning,
    .category = RuleCategory::Locks,
    .engines = kPostgres,
    .summary = "Adding an exclusion constraint builds its index while blocking all reads and writes, and has no online form.",
    .what_it_does = "Flags `ADD [CONSTRAINT ...] EXCLUDE USING ...` on a table not created in the same migration.",
    .why =
        "The constraint's index is built inside the ALTER TABLE under an ACCESS EXCLUSIVE lock, so the table "
        "cannot be read or written for the whole build. Unlike UNIQUE or CHECK there is no NOT VALID or "
        "USING INDEX form, so no fully non-blocking path exists.",
    .safe_alternative =
        "Schedule it for a low-traffic window with a `lock_timeout`, and check for conflicting rows first so "
        "that it does not fail at the end. For large tables, consider building a new table with the constraint, "
        "copying data in batches and swapping, or enforcing the rule in the application.",
    .bad_example =
        "ALTER TABLE room_bookings ADD CONSTRAINT room_bookings_no_overlap\n"
        "  EXCLUDE USING gist (room_id WITH =, during WITH &&);",
    .good_example =
        "CREATE TABLE room_bookings (\n"
        "  room_id bigint NOT NULL,\n"
        "  during tstzrange NOT NULL,\n"
        "  EXCLUDE USING gist (room_id WITH =, during WITH &&)\n"
        ");",
    .lock = "ACCESS EXCLUSIVE on the table for the whole index build.",
    .versions = "All versions.",
    .references = "engines.md 1.2 #41",
};

class AddingExclusionConstraint final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override { return operation_kinds<AddConstraint>(); }

  void check_operation(const OperationContext& context) const override {
    const auto* add = context.op.as<AddConstraint>();
    if (!add || add->constraint.kind != ConstraintKind::Exclusion || context.state.is_new_table(add->table)) return;
    std::string table = add->table.display();
    std::string name = add->constraint.name.empty() ? std::string() : "`" + add->constraint.name + "` ";
    context.report("Adding exclusion constraint " + name + "to `" + table + "` builds its index under an ACCESS "
                       "EXCLUSIVE lock, blocking every read and write of `" + table + "` for the whole build, and "
                       "PostgreSQL offers no NOT VALID or CONCURRENTLY form for it.",
                   "Run it in a low-traffic window after `SET lock_timeout = '5s';`, after checking that no existing "
                   "rows conflict; for a large `" + table + "` build a new table with the constraint, copy rows in "
                   "batches and swap, or enforce the rule in the application.");
  }
};

MIGSAFE_REGISTER_RULE(AddingExclusionConstraint);

}  // namespace
}  // namespace migsafe
