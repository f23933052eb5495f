// renaming-enum-value: ALTER TYPE ... RENAME VALUE breaks application code that still uses the old label.
#include "linter/engine/rule.h"
#include "rules/rule_support.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "renaming-enum-value",
    .default_severity = Severity::Warning,
    .category = RuleCategory::Locks,
    .engines = kPostgres,
    .summary = "Renaming an enum value breaks running application code that still reads or writes the old label.",
    .what_it_does =
        "Flags `ALTER TYPE ... RENAME VALUE 'old' TO 'new'` on an enum type that was not created in the same "
        "migration.",
    .why =
        "The rename is instant and takes no table lock, but during a rolling deploy the application instances "
        "still running the old code insert and compare the old label: their writes fail with `invalid input "
        "value for enum` and their queries silently stop matching rows.",
    .safe_alternative =
        "1. `ALTER TYPE t ADD VALUE 'new';` (own migration, outside a transaction before PostgreSQL 12).\n"
        "2. Deploy code that accepts both labels and writes the new one.\n"
        "3. Backfill `UPDATE ... SET col = 'new' WHERE col = 'old'` in batches.\n"
        "4. Stop using the old label (enum values cannot be dropped; a lookup table with a foreign key is "
        "easier to evolve).",
    .bad_example = "ALTER TYPE subscription_plan RENAME VALUE 'pro' TO 'professional';",
    .good_example = "ALTER TYPE subscription_plan ADD VALUE 'professional';",
    .lock = "No table lock.",
    .versions = "PostgreSQL 10+ (RENAME VALUE does not exist before 10).",
    .references = "engines.md 1.2 #55 and section 5 #2, #5",
};

class RenamingEnumValue final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override { return operation_kinds<RenameEnumValue>(); }

  void check_operation(const OperationContext& context) const override {
    const auto* rename = context.op.as<RenameEnumValue>();
    if (!rename || context.state.is_new_type(rename->type)) return;
    std::string type = rename->type.display();
    context.report("Renaming value '" + rename->old_value + "' of enum `" + type + "` to '" + rename->new_value +
                       "' takes effect at once, so application instances still running old code fail to write '" +
                       rename->old_value + "' (`invalid input value for enum " + rename->type.name +
                       "`) and their queries stop matching rows.",
                   "Add the new label instead (`ALTER TYPE " + type + " ADD VALUE '" + rename->new_value +
                       "';`), deploy code that accepts both, backfill `UPDATE <table> SET <column> = '" +
                       rename->new_value + "' WHERE <column> = '" + rename->old_value +
                       "'` in batches, and only then stop using '" + rename->old_value + "'.");
  }
};

MIGSAFE_REGISTER_RULE(RenamingEnumValue);

}  // namespace
}  // namespace migsafe
