// Migrations as the front ends hand them to the engine: an ordered list of migrations, each with an
// upgrade script and (where the layout has one) a downgrade script, each a list of statements that
// carry their typed operations and the transaction they run in.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "linter/model/dialect.h"
#include "linter/model/operation.h"
#include "linter/model/source.h"

namespace migsafe {

// Why a statement runs inside a transaction block.
enum class TransactionSource {
  None,                    // autocommit: outside any transaction
  Explicit,                // after an explicit BEGIN in the script
  Runner,                  // the migration tool wraps the script (Flyway, dbmate, Alembic on PostgreSQL)
  ImplicitMultiStatement,  // several statements sent as one query string (golang-migrate on PostgreSQL)
};
const char* to_string(TransactionSource source);

struct SyntaxError {
  std::string message;
  ByteRange range;  // where the parser stopped (or the whole statement)
};

// A dialect-specific keyword argument of an Alembic directive (`postgresql_where=...`, `mysql_engine=...`),
// anywhere in the call (also inside sa.Column / sa.Index items).
struct DialectOption {
  std::string name;  // the keyword as written
  ByteRange range;   // `name=value`
};

struct Statement {
  ByteRange range;                    // the statement text, without leading comments/whitespace
  std::vector<Operation> operations;  // empty for a statement that failed to parse
  std::optional<SyntaxError> error;
  TransactionSource transaction = TransactionSource::None;
  // Alembic: the statement is inside a Python `for` loop (per-row data migrations).
  bool in_loop = false;
  // Alembic: inside `with op.batch_alter_table(...)` (SQLite move-and-copy rebuild).
  bool in_batch = false;
  // Alembic: inside `with op.get_context().autocommit_block():` (the runner's transaction is ended).
  bool in_autocommit_block = false;
  // Alembic: dialect-prefixed keyword arguments of the directive (dialect-option-mismatch).
  std::vector<DialectOption> dialect_options;
};

// How the migration runner wraps a script, before explicit BEGIN/COMMIT are taken into account.
enum class RunnerTransaction {
  None,                      // each statement autocommits (plain psql -f, golang-migrate single statement)
  PerScript,                 // one transaction around the whole script (Flyway, dbmate, Alembic/PG)
  ImplicitIfMultiStatement,  // the script is sent as one multi-statement query (golang-migrate on PG)
};
const char* to_string(RunnerTransaction mode);

struct Script {
  SourceFilePtr file;
  ByteRange region;  // the part of the file this script covers (a dbmate section, an Alembic function)
  std::vector<Statement> statements;
  RunnerTransaction runner = RunnerTransaction::None;
};

// Sets Statement::transaction for every statement from the runner mode, explicit BEGIN/COMMIT/ROLLBACK
// and Alembic autocommit blocks. Front ends call it once a script's statements are known.
void assign_transactions(Script& script);

// State of a migration's downgrade side.
enum class DowngradeState {
  NotApplicable,  // the layout has no downgrades (plain folder, Flyway without undo files)
  Present,
  Missing,        // no down file / no downgrade() / no revert script
  Empty,          // present but does nothing (`pass`, empty section, comments only)
  Irreversible,   // explicit marker: `raise NotImplementedError`
};
const char* to_string(DowngradeState state);

struct Migration {
  std::string id;      // version or revision id ("20240101120000", "V3", "ae1027a6acf")
  std::string name;    // human name ("add_email_to_users")
  std::string layout;  // "golang-migrate", "flyway", "dbmate", "sqitch", "plain", "alembic", "file"
  Script upgrade;
  std::optional<Script> downgrade;
  DowngradeState downgrade_state = DowngradeState::NotApplicable;
  // Where a missing/empty downgrade is reported: the `def downgrade` line, or the upgrade file's start.
  SourceFilePtr downgrade_anchor_file;
  ByteRange downgrade_anchor;
  // Alembic revision graph (empty for SQL layouts).
  std::vector<std::string> parents;
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;
  bool revision_readable = true;
};

}  // namespace migsafe
