// unbatched-data-change: UPDATE/DELETE of an existing table without WHERE, or per-row statements in an
// Alembic loop.
#include "linter/engine/rule.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "unbatched-data-change",
    .default_severity = Severity::Warning,
    .category = RuleCategory::Compatibility,
    .engines = kAllEngines,
    .summary = "Updating or deleting a whole table in one statement locks every row and can run for a very long time.",
    .what_it_does =
        "Flags `UPDATE` and `DELETE` without a `WHERE` clause on a table that was not created in the same "
        "migration, and data-changing statements that an Alembic migration executes once per row inside a "
        "Python loop.",
    .why =
        "A single statement over the whole table holds a row lock on every row until the migration commits: "
        "concurrent writes to any of those rows wait, and with the runner's transaction open the wait lasts "
        "until the end of the migration. It produces one huge transaction (WAL, replica lag, table bloat) and "
        "cannot be resumed if it times out. A per-row loop is the opposite failure: one round trip per row, "
        "all inside one transaction, so the locks accumulate and the deploy takes hours on a large table.",
    .safe_alternative =
        "Change the rows in batches of a few thousand, each in its own transaction, outside the schema "
        "migration (a background job or a script run after the deploy), e.g. "
        "`UPDATE t SET c = v WHERE id IN (SELECT id FROM t WHERE c IS DISTINCT FROM v LIMIT 5000);` repeated "
        "until it updates nothing. In Alembic, replace per-row `op.execute` calls with one set-based statement "
        "per batch.",
    .bad_example = "UPDATE users SET newsletter = false;",
    .good_example =
        "UPDATE users SET newsletter = false\n"
        "WHERE id IN (SELECT id FROM users WHERE newsletter IS NULL LIMIT 5000);",
    .lock = "ROW EXCLUSIVE on the table, plus a row lock on every changed row until commit.",
    .versions = "All versions.",
    .references = "strong_migrations backfilling; engines.md 7",
};

const char* verb(DataChangeKind kind) {
  switch (kind) {
    case DataChangeKind::Insert: return "INSERT";
    case DataChangeKind::Update: return "UPDATE";
    case DataChangeKind::Delete: return "DELETE";
    case DataChangeKind::Merge: return "MERGE";
    case DataChangeKind::Copy: return "COPY";
  }
  return "UPDATE";
}

class UnbatchedDataChange final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override { return operation_kinds<DataChange>(); }

  void check_operation(const OperationContext& context) const override {
    const auto* change = context.op.as<DataChange>();
    if (!change || context.state.is_new_table(change->table)) return;
    std::string table = change->table.display();
    if (change->per_row_loop || context.statement.in_loop) {
      context.report(
          std::string(verb(change->kind)) + " on `" + table +
              "` runs once per row inside a Python loop: on a large table the migration makes one round trip per "
              "row inside one transaction, holding every changed row locked until it commits.",
          "Replace the loop with one set-based statement per batch (`UPDATE " + table +
              " SET ... WHERE id IN (SELECT id FROM " + table +
              " WHERE <not yet migrated> LIMIT 5000)` repeated until nothing changes), ideally in a job run after "
              "the deploy rather than in the schema migration.");
      return;
    }
    if (change->has_where) return;
    if (change->kind != DataChangeKind::Update && change->kind != DataChangeKind::Delete) return;
    bool update = change->kind == DataChangeKind::Update;
    context.report(
        std::string(update ? "UPDATE" : "DELETE") + " without WHERE " + (update ? "rewrites" : "deletes") +
            " every row of `" + table +
            "` in one transaction: each row stays locked against concurrent writes until the migration commits, "
            "and on a large table it runs for a long time and bloats the table and the WAL.",
        std::string("Process the rows in batches, each in its own transaction, e.g. `") +
            (update ? "UPDATE " + table + " SET ... WHERE id IN (SELECT id FROM " + table +
                          " WHERE <not yet updated> LIMIT 5000);`"
                    : "DELETE FROM " + table + " WHERE id IN (SELECT id FROM " + table + " LIMIT 5000);`") +
            " repeated until it changes no row, preferably from a job run after the deploy.");
  }
};

MIGSAFE_REGISTER_RULE(UnbatchedDataChange);

}  // namespace
}  // namespace migsafe
