// truncating-table: TRUNCATE in a migration (an error with CASCADE, which empties other tables too).
#include "linter/engine/rule.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "truncating-table",
    .default_severity = Severity::Warning,
    .category = RuleCategory::Compatibility,
    .engines = kAllEngines,
    .summary = "TRUNCATE deletes every row of the table, on every environment, and blocks all access while it runs.",
    .what_it_does =
        "Flags `TRUNCATE` of tables not created in the same migration. The finding is an error (not a warning) "
        "with `CASCADE`, which also empties every table that references the truncated ones through foreign keys.",
    .why =
        "A migration runs on every environment, so a TRUNCATE meant to reset development data empties the "
        "production table too; the rows cannot be recovered by a downgrade. TRUNCATE takes ACCESS EXCLUSIVE on "
        "the table (and, with CASCADE, on every referencing table), blocking reads and writes. With CASCADE "
        "the data loss silently spreads to tables the statement does not even name.",
    .safe_alternative =
        "Delete the rows that must go with a targeted, batched `DELETE ... WHERE ...`, or do one-off cleanups "
        "by hand rather than in the migration history. Never use CASCADE in a migration: name every table "
        "that must be emptied.",
    .bad_example = "TRUNCATE TABLE sessions CASCADE;",
    .good_example = "DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE expires_at < now() LIMIT 10000);",
    .lock = "ACCESS EXCLUSIVE on the table (and on every referencing table with CASCADE).",
    .versions = "All versions.",
    .references = "engines.md 1.2 #51, section 7",
};

class TruncatingTable final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override { return operation_kinds<TruncateTable>(); }

  void check_operation(const OperationContext& context) const override {
    const auto* truncate = context.op.as<TruncateTable>();
    if (!truncate) return;
    std::vector<QualifiedName> existing;
    for (const QualifiedName& table : truncate->tables) {
      if (!context.state.is_new_table(table)) existing.push_back(table);
    }
    if (existing.empty()) return;
    std::string names;
    for (std::size_t i = 0; i < existing.size(); ++i) names += (i ? ", `" : "`") + existing[i].display() + "`";
    std::string first = existing.front().display();
    std::string help = "If only some rows must go, delete them in batches: `DELETE FROM " + first +
                       " WHERE <condition> AND <primary key> IN (SELECT <primary key> FROM " + first +
                       " WHERE <condition> LIMIT 10000);` repeated until no row is left; do one-off resets by hand, "
                       "not in the migration history.";
    if (truncate->cascade) {
      context.report(Severity::Error,
                     "TRUNCATE ... CASCADE deletes every row of " + names +
                         " and of every table that references them through a foreign key, on every environment "
                         "including production, with no way back.",
                     "Remove CASCADE and name every table that must really be emptied. " + help);
      return;
    }
    context.report("TRUNCATE deletes every row of " + names +
                       " on every environment including production, with no way back, and blocks all reads and writes "
                       "of the table while it runs.",
                   help);
  }
};

MIGSAFE_REGISTER_RULE(TruncatingTable);

}  // namespace
}  // namespace migsafe
