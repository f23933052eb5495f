#include "linter/model/migration.h"

namespace migsafe {

namespace {

std::optional<TransactionControlKind> control_kind(const Statement& statement) {
  for (const Operation& op : statement.operations) {
    if (const auto* control = op.as<TransactionControl>()) return control->kind;
  }
  return std::nullopt;
}

std::size_t parsed_statement_count(const Script& script) {
  std::size_t count = 0;
  for (const Statement& statement : script.statements) {
    if (!statement.operations.empty() || statement.error) ++count;
  }
  return count;
}

}  // namespace

void assign_transactions(Script& script) {
  TransactionSource ambient = TransactionSource::None;
  if (script.runner == RunnerTransaction::PerScript) {
    ambient = TransactionSource::Runner;
  } else if (script.runner == RunnerTransaction::ImplicitIfMultiStatement && parsed_statement_count(script) > 1) {
    ambient = TransactionSource::ImplicitMultiStatement;
  }
  bool explicit_open = false;
  for (Statement& statement : script.statements) {
    std::optional<TransactionControlKind> control = control_kind(statement);
    if (statement.in_autocommit_block) {
      statement.transaction = explicit_open ? TransactionSource::Explicit : TransactionSource::None;
    } else {
      statement.transaction = explicit_open ? TransactionSource::Explicit : ambient;
    }
    if (!control) continue;
    // The BEGIN itself and the closing COMMIT are marked as part of the block they open or close.
    if (*control == TransactionControlKind::Begin) {
      explicit_open = true;
      statement.transaction = TransactionSource::Explicit;
    } else if (*control == TransactionControlKind::Commit || *control == TransactionControlKind::Rollback) {
      explicit_open = false;
    }
  }
}

}  // namespace migsafe
