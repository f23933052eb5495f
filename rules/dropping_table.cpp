// dropping-table: DROP TABLE / Alembic drop_table in an upgrade of a table not created in the same migration.
#include "linter/engine/rule.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "dropping-table",
    .default_severity = Severity::Warning,
    .category = RuleCategory::Compatibility,
    .engines = kAllEngines,
    .summary = "Dropping a table loses all of its rows for good and breaks running code that still uses it.",
    .what_it_does =
        "Flags `DROP TABLE` and Alembic `op.drop_table` in an upgrade for every table that was not created "
        "earlier in the same migration (temporary work tables created and dropped in one migration are fine).",
    .why =
        "Every row is gone once the statement commits; no downgrade can bring the data back. The previous "
        "application version, still running during the deploy, fails on every query of the table with "
        "`relation ... does not exist`. With CASCADE, PostgreSQL also silently drops the views and foreign "
        "keys that depend on the table.",
    .safe_alternative =
        "1. Remove every use of the table from the code and deploy.\n"
        "2. Keep a copy if the data may be needed (`ALTER TABLE t RENAME TO t_deprecated`, or a dump).\n"
        "3. Drop the table in a later migration, once no deployed code references it.",
    .bad_example = "DROP TABLE audit_events;",
    .good_example =
        "-- after a deploy in which no code uses audit_events, and with a dump kept:\n"
        "DROP TABLE audit_events;  -- migsafe:ignore dropping-table -- archived to S3 in OPS-1234",
    .lock = "ACCESS EXCLUSIVE on the table (and on referencing tables for their foreign keys).",
    .versions = "All versions.",
    .references = "strong_migrations `drop_table`; squawk ban-drop-table; engines.md 7",
};

class DroppingTable final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override { return operation_kinds<DropTable>(); }

  void check_operation(const OperationContext& context) const override {
    const auto* drop = context.op.as<DropTable>();
    if (!drop) return;
    std::vector<QualifiedName> existing;
    for (const QualifiedName& table : drop->tables) {
      if (!context.state.is_new_table(table)) existing.push_back(table);
    }
    if (existing.empty()) return;
    std::string names;
    for (std::size_t i = 0; i < existing.size(); ++i) {
      names += (i == 0 ? "" : (i + 1 == existing.size() ? " and " : ", ")) + ("`" + existing[i].display() + "`");
    }
    bool several = existing.size() > 1;
    std::string message = "Dropping table" + std::string(several ? "s " : " ") + names + " deletes all " +
                          (several ? "their" : "its") +
                          " rows permanently and breaks application instances still running during the deploy "
                          "(`relation does not exist`)";
    message += drop->cascade ? "; CASCADE also drops every view and foreign key that depends on it." : ".";
    context.report(message,
                   "First remove every use of " + names + " from the code and deploy; keep the data (`ALTER TABLE " +
                       existing.front().display() + " RENAME TO " + existing.front().name +
                       "_deprecated;` or a dump), and drop it in a later migration once nothing references it" +
                       (drop->cascade ? ", without CASCADE so that dependent objects are dropped deliberately." : "."));
  }
};

MIGSAFE_REGISTER_RULE(DroppingTable);

}  // namespace
}  // namespace migsafe
