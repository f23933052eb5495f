// concurrent-index-in-transaction: statements PostgreSQL refuses to run inside a transaction block
// (CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, VACUUM, DETACH PARTITION CONCURRENTLY).
#include "linter/engine/rule.h"
#include "rules/rule_support.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "concurrent-index-in-transaction",
    .default_severity = Severity::Error,
    .category = RuleCategory::Locks,
    .engines = kPostgres,
    .summary = "CONCURRENTLY index operations and VACUUM fail when they run inside a transaction block.",
    .what_it_does =
        "Flags `CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `REINDEX ... CONCURRENTLY`, "
        "`DETACH PARTITION ... CONCURRENTLY` and `VACUUM` when they run inside a transaction block: after an "
        "explicit BEGIN, inside the transaction the migration runner wraps around the script (Alembic outside "
        "`autocommit_block()`, Flyway and dbmate by default), or in a file with several statements that the "
        "runner sends as one query (an implicit transaction).",
    .why =
        "PostgreSQL rejects these statements with `ERROR: ... cannot run inside a transaction block`, so the "
        "deploy fails at this statement (and rolls back everything before it in the same transaction).",
    .safe_alternative =
        "Run the statement on its own, outside any transaction: its own migration with the runner's "
        "transaction turned off (Alembic `with op.get_context().autocommit_block():`, dbmate "
        "`-- migrate:up transaction:false`, Flyway `executeInTransaction=false`), or a single-statement file "
        "for golang-migrate.",
    .bad_example = "BEGIN;\nCREATE INDEX CONCURRENTLY orders_created_at_idx ON orders (created_at);\nCOMMIT;",
    .good_example = "CREATE INDEX CONCURRENTLY orders_created_at_idx ON orders (created_at);",
    .lock = "",
    .versions = "All versions (REINDEX CONCURRENTLY: 12+, DETACH PARTITION CONCURRENTLY: 14+).",
    .references = "engines.md 1.2 #43, #45, #47, #56 and 1.4",
};

// The statement's own name for the error message, or empty when the operation is not restricted.
std::string restricted_statement(const Operation& op) {
  if (const auto* create = op.as<CreateIndex>()) return create->index.concurrently ? "CREATE INDEX CONCURRENTLY" : "";
  if (const auto* drop = op.as<DropIndex>()) return drop->concurrently ? "DROP INDEX CONCURRENTLY" : "";
  if (const auto* reindex = op.as<Reindex>()) return reindex->concurrently ? "REINDEX CONCURRENTLY" : "";
  if (const auto* detach = op.as<DetachPartition>()) {
    return detach->concurrently ? "ALTER TABLE ... DETACH CONCURRENTLY" : "";
  }
  if (op.is<Vacuum>()) return "VACUUM";
  return "";
}

class ConcurrentIndexInTransaction final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override {
    return operation_kinds<CreateIndex, DropIndex, Reindex, DetachPartition, Vacuum>();
  }

  void check_operation(const OperationContext& context) const override {
    if (!context.is_postgres() || !context.in_transaction()) return;
    std::string statement = restricted_statement(context.op);
    if (statement.empty()) return;
    TransactionSource source = context.statement.transaction;
    std::string_view advice = rules::leave_transaction_advice(source);
    if (context.migration.layout == "alembic" && source == TransactionSource::Runner) {
      advice = "Wrap it in `with op.get_context().autocommit_block():` so that it runs outside Alembic's "
               "migration transaction.";
    }
    context.report_statement(rules::concat({"`", statement, "` fails with `ERROR: ", statement,
                                            " cannot run inside a transaction block` because it runs ",
                                            rules::transaction_description(source),
                                            ", so the deploy stops at this statement."}),
                             std::string(advice));
  }
};

MIGSAFE_REGISTER_RULE(ConcurrentIndexInTransaction);

}  // namespace
}  // namespace migsafe
