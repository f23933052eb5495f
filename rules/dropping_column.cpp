// dropping-column: DROP COLUMN / Alembic drop_column in an upgrade, on a table that already existed.
#include "linter/engine/rule.h"
#include "rules/rule_support.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "dropping-column",
    .default_severity = Severity::Warning,
    .category = RuleCategory::Compatibility,
    .engines = kAllEngines,
    .summary = "Dropping a column loses its data for good and breaks running code that still reads or writes it.",
    .what_it_does =
        "Flags `ALTER TABLE ... DROP COLUMN` and Alembic `op.drop_column` in an upgrade when the table was not "
        "created in the same migration.",
    .why =
        "The data in the column is gone once the statement commits; a downgrade can re-add the column but "
        "not its values. While the deploy is in progress the previous application version is still running: "
        "its queries that name the column fail with `column ... does not exist`, and ORMs that insert or "
        "select every mapped column (SQLAlchemy, ActiveRecord, Django) fail on every access to the table.",
    .safe_alternative =
        "1. Stop using the column in the code and tell the ORM to ignore it (SQLAlchemy: remove it from the "
        "model; Rails: `ignored_columns`; Django: `SeparateDatabaseAndState`), and deploy.\n"
        "2. Back the data up if it may be needed (`CREATE TABLE ... AS SELECT id, column FROM ...`).\n"
        "3. Drop the column in a later migration, once no deployed code references it.",
    .bad_example = "ALTER TABLE users DROP COLUMN legacy_token;",
    .good_example =
        "-- after a deploy in which no code reads or writes users.legacy_token:\n"
        "ALTER TABLE users DROP COLUMN legacy_token;  -- migsafe:ignore dropping-column -- unused since v42",
    .lock = "ACCESS EXCLUSIVE on the table (brief: PostgreSQL only marks the column dropped).",
    .versions = "All versions. MySQL 5.7 rebuilds the table; 8.0.29+ drops instantly.",
    .references = "strong_migrations `remove_column`; squawk ban-drop-column; engines.md 7",
};

class DroppingColumn final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override { return operation_kinds<DropColumn>(); }

  void check_operation(const OperationContext& context) const override {
    const auto* drop = context.op.as<DropColumn>();
    if (!drop || context.state.is_new_table(drop->table)) return;
    std::string table = drop->table.display();
    context.report(
        rules::concat({"Dropping column `", table, ".", drop->column,
                       "` deletes its data permanently and breaks application instances still running during the "
                       "deploy that read or write it (`column does not exist`)."}),
        rules::concat({"First remove every use of `", drop->column, "` from the code and make the ORM ignore it, "
                       "deploy, back up the values if they may be needed (`CREATE TABLE ", drop->table.name, "_",
                       drop->column, "_backup AS SELECT <primary key>, ", drop->column, " FROM ", table,
                       ";`), and only then run `ALTER TABLE ", table, " DROP COLUMN ", drop->column,
                       ";` in a later migration."}));
  }
};

MIGSAFE_REGISTER_RULE(DroppingColumn);

}  // namespace
}  // namespace migsafe
