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
                                                                  const Node& stmt, std::size_t command_count) {
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  Node relation = stmt.object("relation");
  if (!relation) return spans;
  std::optional<std::size_t> name = context.token_at_location(relation.location());
  if (!name) return spans;
  std::span<const Token> tokens = context.tokens();
  std::size_t i = context.skip_name(*name);
  while (i < tokens.size()) {
    std::size_t end = context.item_end(i);
    spans.emplace_back(i, end);
    if (end >= tokens.size() || !tokens[end].is(',')) break;
    i = end + 1;
  }
  if (spans.size() != command_count) spans.clear();
  return spans;
}

struct Subcommand {
  const StatementContext& context;
  const QualifiedName& table;
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

// The command's definition when it is a node of `type` ("ColumnDef", "Constraint", "PartitionCmd").
Node definition(const Node& cmd, std::string_view type) {
  Node def = cmd.node("def");
  return def.is(type) ? def : Node{};
}

void translate_command(const Subcommand& sub, const Node& cmd, Operations& out) {
  const StatementContext& context = sub.context;
  std::string column(cmd.string("name"));
  bool cascade = cmd.string("behavior") == "DROP_CASCADE";
  bool missing_ok = cmd.boolean("missing_ok");
  std::string_view type = cmd.string("subtype");
  if (one_of(type, {"AT_AddColumn", "AT_AddColumnRecurse", "AT_AddColumnToView"})) {
    if (Node def = definition(cmd, "ColumnDef")) {
      emit(out, AddColumn{sub.table, column_spec(context, def), missing_ok}, sub.range);
      return;
    }
  } else if (one_of(type, {"AT_ColumnDefault", "AT_CookedColumnDefault"})) {
    SetColumnDefault change{sub.table, column, std::nullopt};
    if (Node def = cmd.node("def")) {
      change.value = Expression{text_after_keyword(sub, "default"), expression_volatility(def)};
    }
    emit(out, std::move(change), sub.range);
    return;
  } else if (type == "AT_DropNotNull") {
    emit(out, DropNotNull{sub.table, column}, sub.range);
    return;
  } else if (one_of(type, {"AT_SetNotNull", "AT_CheckNotNull"})) {
    emit(out, SetNotNull{sub.table, column}, sub.range);
    return;
  } else if (type == "AT_DropExpression") {
    other(out, sub, "alter column " + column + " drop expression", LockMode::AccessExclusive);
    return;
  } else if (type == "AT_SetStatistics") {
    other(out, sub, "alter column " + column + " set statistics", LockMode::ShareUpdateExclusive);
    return;
  } else if (one_of(type, {"AT_SetOptions", "AT_ResetOptions"})) {
    other(out, sub, "alter column " + column + " set/reset attribute options", LockMode::ShareUpdateExclusive);
    return;
  } else if (type == "AT_SetStorage") {
    other(out, sub, "alter column " + column + " set storage", LockMode::AccessExclusive);
    return;
  } else if (type == "AT_SetCompression") {
    other(out, sub, "alter column " + column + " set compression", LockMode::AccessExclusive);
    return;
  } else if (one_of(type, {"AT_DropColumn", "AT_DropColumnRecurse"})) {
    emit(out, DropColumn{sub.table, column, missing_ok, cascade}, sub.range);
    return;
  } else if (one_of(type, {"AT_AddConstraint", "AT_AddConstraintRecurse", "AT_AddIndexConstraint"})) {
    if (Node constraint = definition(cmd, "Constraint")) {
      emit(out, AddConstraint{sub.table, constraint_spec(context, constraint, "")}, sub.range);
      return;
    }
  } else if (type == "AT_AlterConstraint") {
    other(out, sub, "alter constraint " + column, LockMode::AccessExclusive);
    return;
  } else if (one_of(type, {"AT_ValidateConstraint", "AT_ValidateConstraintRecurse"})) {
    emit(out, ValidateConstraint{sub.table, column}, sub.range);
    return;
  } else if (one_of(type, {"AT_DropConstraint", "AT_DropConstraintRecurse"})) {
    emit(out, DropConstraint{sub.table, column, std::nullopt, missing_ok, cascade}, sub.range);
    return;
  } else if (type == "AT_AlterColumnType") {
    if (Node def = definition(cmd, "ColumnDef")) {
      AlterColumnType change;
      change.table = sub.table;
      change.column = column;
      change.new_type = type_ref(context, def.object("typeName"));
      if (def.has("raw_default")) change.using_expression = text_after_keyword(sub, "using");
      emit(out, std::move(change), sub.range);
      return;
    }
  } else if (type == "AT_ChangeOwner") {
    other(out, sub, "owner to", LockMode::AccessExclusive);
    return;
  } else if (type == "AT_ClusterOn") {
    other(out, sub, "cluster on " + column, LockMode::ShareUpdateExclusive);
    return;
  } else if (type == "AT_DropCluster") {
    other(out, sub, "set without cluster", LockMode::ShareUpdateExclusive);
    return;
  } else if (type == "AT_SetLogged") {
    emit(out, SetLogged{sub.table, true}, sub.range);
    return;
  } else if (type == "AT_SetUnLogged") {
    emit(out, SetLogged{sub.table, false}, sub.range);
    return;
  } else if (type == "AT_SetAccessMethod") {
    emit(out, RebuildTable{sub.table, "SET ACCESS METHOD rewrites the table"}, sub.range);
    return;
  } else if (type == "AT_SetTableSpace") {
    emit(out, RebuildTable{sub.table, "SET TABLESPACE copies the table and its files"}, sub.range);
    return;
  } else if (one_of(type, {"AT_SetRelOptions", "AT_ResetRelOptions", "AT_ReplaceRelOptions"})) {
    // fillfactor, autovacuum_*, toast_tuple_target, parallel_workers...: SHARE UPDATE EXCLUSIVE.
    other(out, sub, "set/reset storage parameters", LockMode::ShareUpdateExclusive);
    return;
  } else if (one_of(type, {"AT_EnableTrig", "AT_EnableAlwaysTrig", "AT_EnableReplicaTrig", "AT_EnableTrigAll",
                           "AT_EnableTrigUser"})) {
    other(out, sub, "enable trigger " + column, LockMode::ShareRowExclusive);
    return;
  } else if (one_of(type, {"AT_DisableTrig", "AT_DisableTrigAll", "AT_DisableTrigUser"})) {
    other(out, sub, "disable trigger " + column, LockMode::ShareRowExclusive);
    return;
  } else if (one_of(type, {"AT_EnableRule", "AT_EnableAlwaysRule", "AT_EnableReplicaRule", "AT_DisableRule"})) {
    other(out, sub, "enable/disable rule " + column, LockMode::AccessExclusive);
    return;
  } else if (type == "AT_AddInherit") {
    other(out, sub, "inherit", LockMode::AccessExclusive);
    return;
  } else if (type == "AT_DropInherit") {
    other(out, sub, "no inherit", LockMode::AccessExclusive);
    return;
  } else if (one_of(type, {"AT_AddOf", "AT_DropOf"})) {
    other(out, sub, "of type / not of", LockMode::AccessExclusive);
    return;
  } else if (type == "AT_ReplicaIdentity") {
    other(out, sub, "replica identity", LockMode::AccessExclusive);
    return;
  } else if (one_of(type, {"AT_EnableRowSecurity", "AT_DisableRowSecurity", "AT_ForceRowSecurity",
                           "AT_NoForceRowSecurity"})) {
    other(out, sub, "row level security", LockMode::AccessExclusive);
    return;
  } else if (one_of(type, {"AT_GenericOptions", "AT_AlterColumnGenericOptions"})) {
    other(out, sub, "foreign data wrapper options", LockMode::AccessExclusive);
    return;
  } else if (type == "AT_AttachPartition") {
    if (Node partition = definition(cmd, "PartitionCmd")) {
      emit(out, AttachPartition{sub.table, name_from_range_var(partition.object("name"))}, sub.range);
      return;
    }
  } else if (type == "AT_DetachPartition") {
    if (Node partition = definition(cmd, "PartitionCmd")) {
      emit(out, DetachPartition{sub.table, name_from_range_var(partition.object("name")), partition.boolean("concurrent")},
           sub.range);
      return;
    }
  } else if (type == "AT_DetachPartitionFinalize") {
    if (Node partition = definition(cmd, "PartitionCmd")) {
      // FINALIZE completes an interrupted DETACH ... CONCURRENTLY, under SHARE UPDATE EXCLUSIVE.
      emit(out, DetachPartition{sub.table, name_from_range_var(partition.object("name")), true}, sub.range);
      return;
    }
  } else if (type == "AT_AddIdentity") {
    // On an existing NOT NULL column: ACCESS EXCLUSIVE but no rewrite (engines.md #9).
    other(out, sub, "alter column " + column + " add generated as identity", LockMode::AccessExclusive);
    return;
  } else if (type == "AT_SetIdentity") {
    other(out, sub, "alter column " + column + " set identity options", LockMode::AccessExclusive);
    return;
  } else if (type == "AT_DropIdentity") {
    other(out, sub, "alter column " + column + " drop identity", LockMode::AccessExclusive);
    return;
  }
  other(out, sub, "alter table subcommand", LockMode::AccessExclusive);
}

// ALTER TABLE and ALTER FOREIGN TABLE (an absent object type is a table too).
bool is_table_like(std::string_view type) { return one_of(type, {"OBJECT_TABLE", "OBJECT_FOREIGN_TABLE", ""}); }

}  // namespace

void translate_alter_table(const StatementContext& context, const Node& stmt, Operations& out) {
  if (!is_table_like(stmt.string("objtype"))) {
    // ALTER INDEX / SEQUENCE / VIEW / MATERIALIZED VIEW / TYPE ... with table-style subcommands.
    emit(out, OtherStatement{statement_keywords(context)}, context.statement());
    return;
  }
  QualifiedName table = name_from_range_var(stmt.object("relation"));
  NodeList commands = stmt.list("cmds");
  std::vector<std::pair<std::size_t, std::size_t>> spans = subcommand_spans(context, stmt, commands.size());
  std::size_t i = 0;
  for (Node command : commands) {
    std::size_t index = i++;
    if (!command.is("AlterTableCmd")) continue;
    Subcommand sub{context, table, context.statement()};
    if (index < spans.size()) {
      sub.first = spans[index].first;
      sub.last = spans[index].second;
      sub.range = context.span(sub.first, sub.last);
    }
    translate_command(sub, command, out);
  }
}

}  // namespace migsafe::pg
