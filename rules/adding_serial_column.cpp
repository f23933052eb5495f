// adding-serial-column: ADD COLUMN serial / identity / AUTO_INCREMENT on an existing table.
#include "linter/engine/rule.h"
#include "rules/rule_support.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "adding-serial-column",
    .default_severity = Severity::Error,
    .category = RuleCategory::Locks,
    .engines = kPostgres | kMySQL,
    .summary = "Adding a serial, identity or AUTO_INCREMENT column to an existing table rewrites the whole table.",
    .what_it_does =
        "Flags `ADD COLUMN` of a `serial`/`bigserial`/`smallserial` column, a `GENERATED ... AS IDENTITY` "
        "column, or a MySQL `AUTO_INCREMENT` column on a table that was not created in the same migration.",
    .why =
        "Every existing row needs its own value from the sequence, so PostgreSQL rewrites the table and all of "
        "its indexes while holding an ACCESS EXCLUSIVE lock: no reads, no writes until it is done. MySQL rebuilds "
        "the table and allows no concurrent writes for an AUTO_INCREMENT column.",
    .safe_alternative =
        "1. Add a plain nullable integer column (instant).\n"
        "2. Create a sequence owned by the column and set it as the column default (new rows only).\n"
        "3. Backfill existing rows from the sequence in batches.\n"
        "4. Enforce NOT NULL with `CHECK (col IS NOT NULL) NOT VALID` + `VALIDATE CONSTRAINT` + `SET NOT NULL`; "
        "a unique index with `CREATE UNIQUE INDEX CONCURRENTLY` if needed.",
    .bad_example = "ALTER TABLE events ADD COLUMN seq bigserial;",
    .good_example =
        "ALTER TABLE events ADD COLUMN seq bigint;\n"
        "CREATE SEQUENCE events_seq_seq OWNED BY events.seq;\n"
        "ALTER TABLE events ALTER COLUMN seq SET DEFAULT nextval('events_seq_seq');\n"
        "-- backfill in batches:\n"
        "UPDATE events SET seq = nextval('events_seq_seq') WHERE seq IS NULL AND id BETWEEN 1 AND 10000;",
    .lock = "ACCESS EXCLUSIVE on the table for the whole rewrite (MySQL: table rebuild without concurrent DML).",
    .versions = "All versions.",
    .references = "engines.md 1.2 #8, #9 and section 3 (ADD AUTO_INCREMENT column)",
};

class AddingSerialColumn final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override { return operation_kinds<AddColumn>(); }

  void check_operation(const OperationContext& context) const override {
    const auto* add = context.op.as<AddColumn>();
    if (!add || context.state.is_new_table(add->table)) return;
    const ColumnSpec& column = add->column;
    if (!column.is_serial()) return;
    std::string table = add->table.display();
    std::string kind = column.identity         ? "identity column"
                       : column.auto_increment ? "AUTO_INCREMENT column"
                                               : rules::type_text(column.type) + " column";
    if (context.is_mysql()) {
      context.report("Adding " + kind + " `" + column.name + "` to existing table `" + table +
                         "` rebuilds the whole table and blocks writes until every row is numbered.",
                     "Add the column as a plain nullable integer, fill it in batches, then make it AUTO_INCREMENT "
                     "in a maintenance window, or run the change with gh-ost / pt-online-schema-change.");
      return;
    }
    if (!context.is_postgres()) return;
    std::string plain = column.identity ? rules::type_text(column.type) : rules::plain_type_for_serial(column.type);
    std::string sequence = add->table.name + "_" + column.name + "_seq";
    if (!add->table.schema.empty()) sequence = add->table.schema + "." + sequence;
    context.report(
        "Adding " + kind + " `" + column.name + "` to existing table `" + table +
            "` rewrites the whole table under an ACCESS EXCLUSIVE lock (every existing row gets its own sequence "
            "value), blocking all reads and writes of `" + table + "` until the rewrite finishes.",
        "Add a plain column and fill it in batches: `ALTER TABLE " + table + " ADD COLUMN " + column.name + " " +
            plain + ";` `CREATE SEQUENCE " + sequence + " OWNED BY " + table + "." + column.name + ";` `ALTER TABLE " +
            table + " ALTER COLUMN " + column.name + " SET DEFAULT nextval('" + sequence + "');` then `UPDATE " +
            table + " SET " + column.name + " = nextval('" + sequence + "') WHERE " + column.name +
            " IS NULL AND <primary key range>;` per batch, and enforce NOT NULL with `CHECK (" + column.name +
            " IS NOT NULL) NOT VALID` + `VALIDATE CONSTRAINT` + `SET NOT NULL`.");
  }
};

MIGSAFE_REGISTER_RULE(AddingSerialColumn);

}  // namespace
}  // namespace migsafe
