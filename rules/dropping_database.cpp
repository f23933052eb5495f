// dropping-database: DROP DATABASE and DROP SCHEMA in a migration.
#include "linter/engine/rule.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "dropping-database",
    .default_severity = Severity::Error,
    .category = RuleCategory::Compatibility,
    .engines = kAllEngines,
    .summary = "Dropping a database or schema destroys every object and row in it, with no way back.",
    .what_it_does =
        "Flags `DROP DATABASE` and `DROP SCHEMA` (MySQL's `DROP SCHEMA` is `DROP DATABASE`) anywhere in an "
        "upgrade.",
    .why =
        "Every table, view, function and row in the database or schema is deleted when the statement commits; "
        "`DROP SCHEMA ... CASCADE` does it without even listing what goes. A migration is replayed on every "
        "environment, so a statement meant for a scratch database also runs against production. No downgrade "
        "can recover the data.",
    .safe_alternative =
        "Do not drop databases or schemas in migrations. Drop the individual objects deliberately (each one "
        "reviewed), or remove an obsolete schema by hand after taking a backup. On PostgreSQL, "
        "`DROP SCHEMA name` without CASCADE at least refuses to drop a schema that still contains objects.",
    .bad_example = "DROP SCHEMA reporting CASCADE;",
    .good_example = "DROP VIEW reporting.monthly_revenue;\nDROP TABLE reporting.revenue_snapshots;",
    .lock = "ACCESS EXCLUSIVE on every object dropped.",
    .versions = "All versions.",
    .references = "engines.md 7",
};

class DroppingDatabase final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override { return operation_kinds<DropDatabase, DropSchema>(); }

  void check_operation(const OperationContext& context) const override {
    if (const auto* database = context.op.as<DropDatabase>()) {
      context.report("Dropping database `" + database->name +
                         "` deletes every table and row in it permanently, on every environment this migration "
                         "runs on, including production.",
                     "Remove `DROP DATABASE " + database->name +
                         "` from the migration; drop obsolete databases by hand after a backup, outside the "
                         "migration history.");
      return;
    }
    const auto* schema = context.op.as<DropSchema>();
    if (!schema || schema->names.empty()) return;
    std::string names;
    for (std::size_t i = 0; i < schema->names.size(); ++i) names += (i ? ", `" : "`") + schema->names[i] + "`";
    std::string objects = context.is_mysql() ? "every table and row in it" : "every object and row in it";
    context.report("Dropping schema " + names + " deletes " + objects + " permanently" +
                       (schema->cascade ? ", and CASCADE does so without listing what goes" : "") +
                       ", on every environment this migration runs on, including production.",
                   "Drop the objects in " + names +
                       " one by one (`DROP TABLE`, `DROP VIEW`, ...) so that each is reviewed, then `DROP SCHEMA " +
                       schema->names.front() + ";` without CASCADE, which refuses to drop a schema that is not "
                       "empty; or remove the schema by hand after a backup.");
  }
};

MIGSAFE_REGISTER_RULE(DroppingDatabase);

}  // namespace
}  // namespace migsafe
