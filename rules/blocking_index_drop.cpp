// blocking-index-drop: DROP INDEX without CONCURRENTLY.
#include "linter/engine/rule.h"
#include "rules/rule_support.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "blocking-index-drop",
    .default_severity = Severity::Warning,
    .category = RuleCategory::Locks,
    .engines = kPostgres,
    .summary = "Dropping an index without CONCURRENTLY locks its table against all reads and writes.",
    .what_it_does =
        "Flags `DROP INDEX` without `CONCURRENTLY` (and Alembic `op.drop_index` without "
        "`postgresql_concurrently=True`) for indexes that were not created in the same migration.",
    .why =
        "DROP INDEX takes an ACCESS EXCLUSIVE lock on the index's table. The drop itself is quick, but it first "
        "waits for every running query on the table, and while it waits every new SELECT, INSERT, UPDATE and "
        "DELETE queues behind it, so a single slow query turns into an outage.",
    .safe_alternative =
        "`DROP INDEX CONCURRENTLY IF EXISTS name;`, one index per statement, outside a transaction block "
        "(Alembic: `postgresql_concurrently=True` inside `with op.get_context().autocommit_block():`).",
    .bad_example = "DROP INDEX orders_legacy_status_idx;",
    .good_example = "DROP INDEX CONCURRENTLY IF EXISTS orders_legacy_status_idx;",
    .lock = "ACCESS EXCLUSIVE on the table and the index (CONCURRENTLY: SHARE UPDATE EXCLUSIVE).",
    .versions = "All versions.",
    .references = "engines.md 1.2 #44, #45",
};

class BlockingIndexDrop final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override { return operation_kinds<DropIndex>(); }

  void check_operation(const OperationContext& context) const override {
    const auto* drop = context.op.as<DropIndex>();
    if (!drop || drop->concurrently) return;
    std::vector<std::string> existing;
    for (const QualifiedName& index : drop->indexes) {
      if (!context.state.is_new_index(index)) existing.push_back(index.display());
    }
    if (existing.empty()) return;

    std::string table;
    if (!drop->table.name.empty()) {
      table = drop->table.display();
    } else if (const TableInfo* info = context.state.catalog.table_of_index(drop->indexes.front())) {
      table = info->name.display();
    }
    std::string on_table = table.empty() ? "its table" : "`" + table + "`";
    std::string statements;
    for (const std::string& index : existing) {
      statements += (statements.empty() ? "" : " ") + std::string("`DROP INDEX CONCURRENTLY ") +
                    (drop->if_exists ? "IF EXISTS " : "") + index + ";`";
    }
    std::string help = "Drop " + std::string(existing.size() > 1 ? "each index in its own statement" : "it") +
                       " concurrently: " + statements;
    if (context.migration.layout == "alembic") {
      help += " (Alembic: `postgresql_concurrently=True` inside `with op.get_context().autocommit_block():`).";
    } else if (context.in_transaction()) {
      help.append(" ").append(rules::leave_transaction_advice(context.statement.transaction));
    } else {
      help += ", outside a transaction block.";
    }
    std::string names = "`" + rules::join(existing, "`, `") + "`";
    context.report("Dropping index " + names + " without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on " + on_table +
                       ": while it waits for running queries, every read and write of the table queues behind it.",
                   help);
  }
};

MIGSAFE_REGISTER_RULE(BlockingIndexDrop);

}  // namespace
}  // namespace migsafe
