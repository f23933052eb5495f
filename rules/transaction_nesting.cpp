// transaction-nesting: explicit BEGIN/COMMIT/ROLLBACK that fight the runner's transaction, nest, close
// nothing, or are never closed. Checked per script (upgrade and downgrade).
#include <optional>
#include <string>

#include "linter/engine/rule.h"
#include "rules/rule_support.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "transaction-nesting",
    .default_severity = Severity::Error,
    .category = RuleCategory::Compatibility,
    .engines = kAllEngines,
    .summary = "Explicit transaction statements that nest, close nothing, are never closed, or end the runner's own transaction.",
    .what_it_does =
        "Walks each migration script (upgrade and downgrade) with the runner's transaction mode and flags: "
        "`BEGIN` inside a script the runner already wraps in a transaction (Flyway, dbmate, Alembic on "
        "PostgreSQL) outside an Alembic `autocommit_block()`; a `BEGIN` while another explicit one is open; "
        "`COMMIT`/`ROLLBACK` (or `SAVEPOINT`) with no transaction of the script open, including one that would "
        "end the runner's transaction; and a `BEGIN` that is never committed.",
    .why =
        "PostgreSQL ignores a nested BEGIN with only a warning, so the first COMMIT ends the outer transaction: "
        "statements after it run without one, and a failure leaves the migration half-applied while the runner "
        "believes it was atomic. A COMMIT inside the runner's transaction makes the earlier statements permanent "
        "before the runner records the version; a ROLLBACK there silently undoes them while the migration is "
        "recorded as applied. A BEGIN never committed is rolled back when the session ends, so the migration "
        "silently does nothing. MySQL commits the open transaction implicitly at every BEGIN; SQLite rejects a "
        "nested BEGIN outright.",
    .safe_alternative =
        "Let the runner own the transaction: remove BEGIN/COMMIT from scripts it wraps. When a statement must run "
        "outside a transaction (CREATE INDEX CONCURRENTLY, ALTER TYPE ... ADD VALUE on old versions) use the "
        "runner's switch: Alembic `with op.get_context().autocommit_block():`, Flyway `executeInTransaction=false`, "
        "dbmate `-- migrate:up transaction:false`, golang-migrate a separate single-statement file. In scripts "
        "the runner does not wrap, pair every BEGIN with exactly one COMMIT.",
    .bad_example = "-- dbmate wraps this section in a transaction already\nBEGIN;\nALTER TABLE users ADD COLUMN bio text;\nCOMMIT;",
    .good_example = "ALTER TABLE users ADD COLUMN bio text;",
    .lock = "",
    .versions = "All versions.",
    .references = "PostgreSQL docs: BEGIN, COMMIT (`there is already a transaction in progress`); MySQL docs 13.3.3 "
                  "(statements that cause an implicit commit)",
};

std::optional<TransactionControlKind> control_of(const Statement& statement) {
  for (const Operation& op : statement.operations) {
    if (const auto* control = op.as<TransactionControl>()) return control->kind;
  }
  return std::nullopt;
}

const char* keyword(TransactionControlKind kind) {
  switch (kind) {
    case TransactionControlKind::Begin: return "BEGIN";
    case TransactionControlKind::Commit: return "COMMIT";
    case TransactionControlKind::Rollback: return "ROLLBACK";
    case TransactionControlKind::Savepoint: return "SAVEPOINT";
    case TransactionControlKind::Release: return "RELEASE SAVEPOINT";
    case TransactionControlKind::RollbackToSavepoint: return "ROLLBACK TO SAVEPOINT";
  }
  return "BEGIN";
}

std::string runner_name(const Migration& migration) {
  if (migration.layout.empty() || migration.layout == "file" || migration.layout == "plain") return "the migration runner";
  if (migration.layout == "alembic") return "Alembic";
  return migration.layout;
}

// The runner's switch for a statement that must not run in its transaction.
std::string no_transaction_switch(const Migration& migration) {
  if (migration.layout == "alembic") return "`with op.get_context().autocommit_block():`";
  if (migration.layout == "flyway") return "Flyway's `executeInTransaction=false` (script configuration file)";
  if (migration.layout == "dbmate") return "dbmate's `-- migrate:up transaction:false`";
  if (migration.layout == "golang-migrate") return "a separate single-statement migration file";
  return "the runner's no-transaction option";
}

class TransactionNesting final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void check_migration(const MigrationContext& context) const override {
    check_script(context, context.migration.upgrade);
    if (context.migration.downgrade) check_script(context, *context.migration.downgrade);
  }

 private:
  void check_script(const MigrationContext& context, const Script& script) const {
    const Migration& migration = context.migration;
    auto report = [&](const Statement& statement, std::string message, std::string help) {
      context.report_at(script.file, statement.range, std::move(message), std::move(help), migration.id);
    };
    // Built at the first transaction statement: most scripts have none, and these are heap strings.
    std::string runner;
    std::string escape;
    const Statement* open_begin = nullptr;  // the explicit BEGIN whose block is open
    bool begin_reported = false;            // that BEGIN already has a finding (inside the runner, nested)
    for (const Statement& statement : script.statements) {
      std::optional<TransactionControlKind> kind = control_of(statement);
      if (!kind) continue;
      if (runner.empty()) {
        runner = runner_name(migration);
        escape = no_transaction_switch(migration);
      }
      bool runner_open = script.runner == RunnerTransaction::PerScript && !statement.in_autocommit_block;
      bool implicit_open = script.runner == RunnerTransaction::ImplicitIfMultiStatement &&
                           statement.transaction == TransactionSource::ImplicitMultiStatement;
      std::string word = keyword(*kind);
      switch (*kind) {
        case TransactionControlKind::Begin:
          if (open_begin) {
            report(statement, nested_begin_message(context.dialect()),
                   rules::concat({"Remove this BEGIN: the transaction opened by the BEGIN on line ",
                                  std::to_string(script.file->position_of(open_begin->range.begin).line),
                                  " is still open. Use `SAVEPOINT name` for a nested unit of work."}));
            begin_reported = true;
          } else if (runner_open) {
            report(statement, begin_in_runner_message(context.dialect(), runner),
                   rules::concat({"Remove BEGIN and its COMMIT: ", runner,
                                  " already runs this script in one transaction. If a statement must run outside a "
                                  "transaction, use ", escape, " for it."}));
            open_begin = &statement;
            begin_reported = true;
          } else {
            open_begin = &statement;
            begin_reported = false;
          }
          break;
        case TransactionControlKind::Commit:
        case TransactionControlKind::Rollback:
          if (open_begin) {
            open_begin = nullptr;
          } else if (runner_open) {
            bool rollback = *kind == TransactionControlKind::Rollback;
            report(statement,
                   rollback ? rules::concat({"This ROLLBACK undoes the transaction ", runner,
                                             " opened around the migration: every change before it is silently "
                                             "discarded, yet the migration is recorded as applied."})
                            : rules::concat({"This COMMIT ends the transaction ", runner,
                                             " opened around the migration: the statements before it become "
                                             "permanent even if a later one fails, and the rest of the migration "
                                             "runs without a transaction."}),
                   rules::concat({"Remove the ", word, "; ", runner,
                                  " commits the migration itself. If statements must run outside the transaction, "
                                  "put them in ", escape, "."}));
          } else {
            report(statement,
                   rules::concat({"This ", word,
                                  " runs with no transaction open, so the statements before it were already "
                                  "committed one by one",
                                  implicit_open ? " (or as one implicit transaction)" : "",
                                  " and whatever it was meant to make atomic was not."}),
                   rules::concat({"Add `BEGIN;` where the transaction is meant to start, or remove the ", word, "."}));
          }
          break;
        case TransactionControlKind::Savepoint:
        case TransactionControlKind::Release:
        case TransactionControlKind::RollbackToSavepoint:
          if (!open_begin && !runner_open && !implicit_open) {
            report(statement,
                   "This " + word + " fails (`" + word +
                       " can only be used in transaction blocks`) because no transaction is open here, so the "
                       "deploy stops at this statement.",
                   "Open a transaction with `BEGIN;` before the SAVEPOINT and `COMMIT;` after the work it protects, "
                   "or remove the savepoint statements.");
          }
          break;
      }
    }
    if (open_begin && !begin_reported) {
      report(*open_begin,
             "This BEGIN is never committed: when the script ends the connection closes and the database rolls "
             "back every statement after it, so the migration silently does nothing (or is recorded as applied "
             "without its changes).",
             "Add `COMMIT;` at the end of the work this BEGIN opens, or remove the BEGIN.");
    }
  }

  static std::string nested_begin_message(Dialect dialect) {
    if (dialect == Dialect::SQLite) {
      return "SQLite rejects this BEGIN (`cannot start a transaction within a transaction`) because an explicit "
             "transaction is already open, so the deploy fails here.";
    }
    if (is_mysql_family(dialect)) {
      return "This BEGIN silently commits the transaction that is already open (MySQL commits implicitly at "
             "BEGIN), so the statements before it are no longer atomic with those after it.";
    }
    return "This BEGIN is ignored (`there is already a transaction in progress`) because an explicit transaction "
           "is already open, so the first COMMIT ends both and the statements after it run without a transaction.";
  }

  static std::string begin_in_runner_message(Dialect dialect, const std::string& runner) {
    if (dialect == Dialect::SQLite) {
      return "SQLite rejects this BEGIN (`cannot start a transaction within a transaction`) because " + runner +
             " already runs the script in a transaction, so the deploy fails here.";
    }
    if (is_mysql_family(dialect)) {
      return "This BEGIN silently commits the transaction " + runner +
             " opened around the migration (MySQL commits implicitly at BEGIN), so a later failure leaves the "
             "migration half-applied.";
    }
    return "This BEGIN runs inside the transaction " + runner +
           " already opened around the migration and is ignored, so the COMMIT that follows ends the runner's "
           "transaction early: a later failure leaves the migration half-applied and unrecorded.";
  }
};

MIGSAFE_REGISTER_RULE(TransactionNesting);

}  // namespace
}  // namespace migsafe
