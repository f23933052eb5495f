// ALTER TABLE: one operation per subcommand, each with the byte range of its own subcommand text.
// Lock modes for the subcommands that have no dedicated operation follow AlterTableGetLockLevel() in
// PostgreSQL 15's tablecmds.c and engines.md section 1.2.
#include "linter/sql/pg_translate.h"
#include "linter/sql/pg_types.h"
#include "linter/sql/pg_volatility.h"

namespace migsafe::pg {

namespace {

// Token spans of the comma-separated subcommands, when they can be matched one-to-one with the parse
// tree's commands; otherwise every subcommand gets the statement range.
std::vector<std::pair<std::size_t, std::size_t>> subcommand_spans(const StatementContext& context,
                                                                  const PgQuery__AlterTableStmt* stmt) {
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  if (stmt->relation == nullptr) return spans;
  std::optional<std::size_t> name = context.token_at_location(stmt->relation->location);
  if (!name) return spans;
  const std::vector<Token>& tokens = context.tokens();
  std::size_t i = context.skip_name(*name);
  while (i < tokens.size()) {
    std::size_t end = context.item_end(i);
    spans.emplace_back(i, end);
    if (end >= tokens.size() || !tokens[end].is(',')) break;
    i = end + 1;
  }
  if (spans.size() != stmt->n_cmds) spans.clear();
  return spans;
}

struct Subcommand {
  const StatementContext& context;
  QualifiedName table;
  ByteRange range;
  std::size_t first = 0;  // token span of the subcommand text (first == last when unknown)
  std::size_t last = 0;
};

void other(Operations& out, const Subcommand& sub, std::string description, LockMode lock) {
  emit(out, AlterTableOther{sub.table, std::move(description), lock}, sub.range);
}

std::string text_after_keyword(const Subcommand& sub, std::string_view keyword) {
  if (sub.first >= sub.last) return {};
  std::size_t at = sub.context.find_keyword(sub.first, sub.last, keyword);
  if (at >= sub.last) return {};
  return sub.context.span_text(at + 1, sub.last);
}

std::string name_of(const char* name) { return name != nullptr ? name : ""; }

const PgQuery__ColumnDef* column_def(const PgQuery__AlterTableCmd* cmd) {
  if (cmd->def == nullptr || cmd->def->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF) return nullptr;
  return cmd->def->column_def;
}

const PgQuery__Constraint* constraint_def(const PgQuery__AlterTableCmd* cmd) {
  if (cmd->def == nullptr || cmd->def->node_case != PG_QUERY__NODE__NODE_CONSTRAINT) return nullptr;
  return cmd->def->constraint;
}

const PgQuery__PartitionCmd* partition_def(const PgQuery__AlterTableCmd* cmd) {
  if (cmd->def == nullptr || cmd->def->node_case != PG_QUERY__NODE__NODE_PARTITION_CMD) return nullptr;
  return cmd->def->partition_cmd;
}

void translate_command(const Subcommand& sub, const PgQuery__AlterTableCmd* cmd, Operations& out) {
  const StatementContext& context = sub.context;
  std::string column = name_of(cmd->name);
  bool cascade = cmd->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
  switch (cmd->subtype) {
    case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumnRecurse:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumnToView:
      if (const PgQuery__ColumnDef* def = column_def(cmd)) {
        emit(out, AddColumn{sub.table, column_spec(context, def), static_cast<bool>(cmd->missing_ok)}, sub.range);
        return;
      }
      break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_ColumnDefault:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_CookedColumnDefault: {
      SetColumnDefault change{sub.table, column, std::nullopt};
      if (cmd->def != nullptr) {
        change.value = Expression{text_after_keyword(sub, "default"), expression_volatility(cmd->def)};
      }
      emit(out, std::move(change), sub.range);
      return;
    }
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DropNotNull:
      emit(out, DropNotNull{sub.table, column}, sub.range);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_CheckNotNull:
      emit(out, SetNotNull{sub.table, column}, sub.range);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DropExpression:
      other(out, sub, "alter column " + column + " drop expression", LockMode::AccessExclusive);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_SetStatistics:
      other(out, sub, "alter column " + column + " set statistics", LockMode::ShareUpdateExclusive);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_SetOptions:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_ResetOptions:
      other(out, sub, "alter column " + column + " set/reset attribute options", LockMode::ShareUpdateExclusive);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_SetStorage:
      other(out, sub, "alter column " + column + " set storage", LockMode::AccessExclusive);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_SetCompression:
      other(out, sub, "alter column " + column + " set compression", LockMode::AccessExclusive);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumnRecurse:
      emit(out, DropColumn{sub.table, column, static_cast<bool>(cmd->missing_ok), cascade}, sub.range);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraintRecurse:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_AddIndexConstraint:
      if (const PgQuery__Constraint* constraint = constraint_def(cmd)) {
        emit(out, AddConstraint{sub.table, constraint_spec(context, constraint, "")}, sub.range);
        return;
      }
      break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterConstraint:
      other(out, sub, "alter constraint " + column, LockMode::AccessExclusive);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraintRecurse:
      emit(out, ValidateConstraint{sub.table, column}, sub.range);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraintRecurse:
      emit(out, DropConstraint{sub.table, column, std::nullopt, static_cast<bool>(cmd->missing_ok), cascade},
           sub.range);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType:
      if (const PgQuery__ColumnDef* def = column_def(cmd)) {
        AlterColumnType change;
        change.table = sub.table;
        change.column = column;
        change.new_type = type_ref(context, def->type_name);
        if (def->raw_default != nullptr) change.using_expression = text_after_keyword(sub, "using");
        emit(out, std::move(change), sub.range);
        return;
      }
      break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_ChangeOwner:
      other(out, sub, "owner to", LockMode::AccessExclusive);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_ClusterOn:
      other(out, sub, "cluster on " + column, LockMode::ShareUpdateExclusive);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DropCluster:
      other(out, sub, "set without cluster", LockMode::ShareUpdateExclusive);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_SetLogged:
      emit(out, SetLogged{sub.table, true}, sub.range);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_SetUnLogged:
      emit(out, SetLogged{sub.table, false}, sub.range);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_SetAccessMethod:
      emit(out, RebuildTable{sub.table, "SET ACCESS METHOD rewrites the table"}, sub.range);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_SetTableSpace:
      emit(out, RebuildTable{sub.table, "SET TABLESPACE copies the table and its files"}, sub.range);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_SetRelOptions:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_ResetRelOptions:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_ReplaceRelOptions:
      // fillfactor, autovacuum_*, toast_tuple_target, parallel_workers...: SHARE UPDATE EXCLUSIVE.
      other(out, sub, "set/reset storage parameters", LockMode::ShareUpdateExclusive);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrig:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableAlwaysTrig:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableReplicaTrig:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrigAll:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrigUser:
      other(out, sub, "enable trigger " + column, LockMode::ShareRowExclusive);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrig:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrigAll:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrigUser:
      other(out, sub, "disable trigger " + column, LockMode::ShareRowExclusive);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableRule:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableAlwaysRule:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableReplicaRule:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableRule:
      other(out, sub, "enable/disable rule " + column, LockMode::AccessExclusive);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_AddInherit:
      other(out, sub, "inherit", LockMode::AccessExclusive);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DropInherit:
      other(out, sub, "no inherit", LockMode::AccessExclusive);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_AddOf:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DropOf:
      other(out, sub, "of type / not of", LockMode::AccessExclusive);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_ReplicaIdentity:
      other(out, sub, "replica identity", LockMode::AccessExclusive);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableRowSecurity:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableRowSecurity:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_ForceRowSecurity:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_NoForceRowSecurity:
      other(out, sub, "row level security", LockMode::AccessExclusive);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_GenericOptions:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnGenericOptions:
      other(out, sub, "foreign data wrapper options", LockMode::AccessExclusive);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition:
      if (const PgQuery__PartitionCmd* partition = partition_def(cmd)) {
        emit(out, AttachPartition{sub.table, name_from_range_var(partition->name)}, sub.range);
        return;
      }
      break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition:
      if (const PgQuery__PartitionCmd* partition = partition_def(cmd)) {
        emit(out, DetachPartition{sub.table, name_from_range_var(partition->name), static_cast<bool>(partition->concurrent)},
             sub.range);
        return;
      }
      break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartitionFinalize:
      if (const PgQuery__PartitionCmd* partition = partition_def(cmd)) {
        // FINALIZE completes an interrupted DETACH ... CONCURRENTLY, under SHARE UPDATE EXCLUSIVE.
        emit(out, DetachPartition{sub.table, name_from_range_var(partition->name), true}, sub.range);
        return;
      }
      break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_AddIdentity:
      // On an existing NOT NULL column: ACCESS EXCLUSIVE but no rewrite (engines.md #9).
      other(out, sub, "alter column " + column + " add generated as identity", LockMode::AccessExclusive);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_SetIdentity:
      other(out, sub, "alter column " + column + " set identity options", LockMode::AccessExclusive);
      return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DropIdentity:
      other(out, sub, "alter column " + column + " drop identity", LockMode::AccessExclusive);
      return;
    default:
      break;
  }
  other(out, sub, "alter table subcommand", LockMode::AccessExclusive);
}

bool is_table_like(PgQuery__ObjectType type) {
  return type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE || type == PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE ||
         type == PG_QUERY__OBJECT_TYPE__OBJECT_TYPE_UNDEFINED;
}

}  // namespace

void translate_alter_table(const StatementContext& context, const PgQuery__AlterTableStmt* stmt, Operations& out) {
  if (!is_table_like(stmt->objtype)) {
    // ALTER INDEX / SEQUENCE / VIEW / MATERIALIZED VIEW / TYPE ... with table-style subcommands.
    emit(out, OtherStatement{statement_keywords(context)}, context.statement());
    return;
  }
  QualifiedName table = name_from_range_var(stmt->relation);
  std::vector<std::pair<std::size_t, std::size_t>> spans = subcommand_spans(context, stmt);
  for (std::size_t i = 0; i < stmt->n_cmds; ++i) {
    const Node* node = stmt->cmds[i];
    if (node == nullptr || node->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD) continue;
    Subcommand sub{context, table, context.statement()};
    if (i < spans.size()) {
      sub.first = spans[i].first;
      sub.last = spans[i].second;
      sub.range = context.span(sub.first, sub.last);
    }
    translate_command(sub, node->alter_table_cmd, out);
  }
}

}  // namespace migsafe::pg
