// ALTER TABLE: one operation per subcommand, each with the byte range of its own subcommand text.
// Lock modes for the subcommands that have no dedicated operation follow AlterTableGetLockLevel() in
// PostgreSQL 15's tablecmds.c and engines.md section 1.2.
#include <array>

#include "linter/sql/pg_translate.h"
#include "linter/sql/pg_types.h"
#include "linter/sql/pg_volatility.h"

namespace migsafe::pg {

namespace {

using TokenSpan = std::pair<std::size_t, std::size_t>;

// The token spans of an ALTER TABLE's subcommands. Nearly every statement has a few, which are kept in
// the object itself: no heap allocation per statement.
class SubcommandSpans {
 public:
  void add(TokenSpan span) {
    if (count_ < kInline) {
      inline_[count_] = span;
    } else {
      more_.push_back(span);
    }
    ++count_;
  }
  std::size_t size() const { return count_; }
  TokenSpan operator[](std::size_t index) const { return index < kInline ? inline_[index] : more_[index - kInline]; }
  void clear() {
    count_ = 0;
    more_.clear();
  }

 private:
  static constexpr std::size_t kInline = 8;
  std::array<TokenSpan, kInline> inline_{};
  std::vector<TokenSpan> more_;
  std::size_t count_ = 0;
};

// Token spans of the comma-separated subcommands, when they can be matched one-to-one with the parse
// tree's commands; otherwise (empty) every subcommand gets the statement range.
void find_subcommand_spans(const StatementContext& context, const AlterTableStmt& stmt, std::size_t command_count,
                           SubcommandSpans& spans) {
  if (stmt.relation == nullptr) return;
  std::optional<std::size_t> name = context.token_at_location(stmt.relation->location);
  if (!name) return;
  std::span<const Token> tokens = context.tokens();
  std::size_t i = context.skip_name(*name);
  while (i < tokens.size()) {
    std::size_t end = context.item_end(i);
    spans.add(TokenSpan{i, end});
    if (end >= tokens.size() || !tokens[end].is(',')) break;
    i = end + 1;
  }
  if (spans.size() != command_count) spans.clear();
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

// "alter column <name> <action>", built in one allocation (operator+ chains allocate twice).
std::string column_action(std::string_view column, std::string_view action) {
  constexpr std::string_view kPrefix = "alter column ";
  std::string description;
  description.reserve(kPrefix.size() + column.size() + 1 + action.size());
  description.append(kPrefix).append(column).append(" ").append(action);
  return description;
}

std::string text_after_keyword(const Subcommand& sub, std::string_view keyword) {
  if (sub.first >= sub.last) return {};
  std::size_t at = sub.context.find_keyword(sub.first, sub.last, keyword);
  if (at >= sub.last) return {};
  return sub.context.span_text(at + 1, sub.last);
}

void translate_command(const Subcommand& sub, const AlterTableCmd& cmd, Operations& out) {
  const StatementContext& context = sub.context;
  std::string column(text(cmd.name));
  bool cascade = cmd.behavior == DROP_CASCADE;
  bool missing_ok = cmd.missing_ok;
  switch (cmd.subtype) {
    // Subtypes that only tablecmds.c creates (AT_AddColumnRecurse, AT_CheckNotNull, AT_CookedColumnDefault,
    // ...) never appear in a raw parse tree, and some exist only in some PostgreSQL versions: not listed.
    case AT_AddColumn:
      if (const ColumnDef* def = as<ColumnDef>(cmd.def)) {
        emit(out, AddColumn{sub.table, column_spec(context, *def), missing_ok}, sub.range);
        return;
      }
      break;
    case AT_ColumnDefault: {
      SetColumnDefault change{sub.table, std::move(column), std::nullopt};
      if (cmd.def != nullptr) {
        change.value = Expression{text_after_keyword(sub, "default"), expression_volatility(cmd.def)};
      }
      emit(out, std::move(change), sub.range);
      return;
    }
    case AT_DropNotNull:
      emit(out, DropNotNull{sub.table, std::move(column)}, sub.range);
      return;
    case AT_SetNotNull:
      emit(out, SetNotNull{sub.table, std::move(column)}, sub.range);
      return;
    case AT_DropExpression:
      other(out, sub, column_action(column, "drop expression"), LockMode::AccessExclusive);
      return;
    case AT_SetStatistics:
      other(out, sub, column_action(column, "set statistics"), LockMode::ShareUpdateExclusive);
      return;
    case AT_SetOptions:
    case AT_ResetOptions:
      other(out, sub, column_action(column, "set/reset attribute options"), LockMode::ShareUpdateExclusive);
      return;
    case AT_SetStorage:
      other(out, sub, column_action(column, "set storage"), LockMode::AccessExclusive);
      return;
    case AT_SetCompression:
      other(out, sub, column_action(column, "set compression"), LockMode::AccessExclusive);
      return;
    case AT_DropColumn:
      emit(out, DropColumn{sub.table, std::move(column), missing_ok, cascade}, sub.range);
      return;
    case AT_AddConstraint:
    case AT_AddIndexConstraint:
      if (const Constraint* constraint = as<Constraint>(cmd.def)) {
        emit(out, AddConstraint{sub.table, constraint_spec(context, *constraint, "")}, sub.range);
        return;
      }
      break;
    case AT_AlterConstraint:
      other(out, sub, "alter constraint " + column, LockMode::AccessExclusive);
      return;
    case AT_ValidateConstraint:
      emit(out, ValidateConstraint{sub.table, std::move(column)}, sub.range);
      return;
    case AT_DropConstraint:
      emit(out, DropConstraint{sub.table, std::move(column), std::nullopt, missing_ok, cascade}, sub.range);
      return;
    case AT_AlterColumnType:
      if (const ColumnDef* def = as<ColumnDef>(cmd.def)) {
        AlterColumnType change;
        change.table = sub.table;
        change.column = std::move(column);
        change.new_type = type_ref(context, def->typeName);
        if (def->raw_default != nullptr) change.using_expression = text_after_keyword(sub, "using");
        emit(out, std::move(change), sub.range);
        return;
      }
      break;
    case AT_ChangeOwner:
      other(out, sub, "owner to", LockMode::AccessExclusive);
      return;
    case AT_ClusterOn:
      other(out, sub, "cluster on " + column, LockMode::ShareUpdateExclusive);
      return;
    case AT_DropCluster:
      other(out, sub, "set without cluster", LockMode::ShareUpdateExclusive);
      return;
    case AT_SetLogged:
      emit(out, SetLogged{sub.table, true}, sub.range);
      return;
    case AT_SetUnLogged:
      emit(out, SetLogged{sub.table, false}, sub.range);
      return;
    case AT_SetAccessMethod:
      emit(out, RebuildTable{sub.table, "SET ACCESS METHOD rewrites the table"}, sub.range);
      return;
    case AT_SetTableSpace:
      emit(out, RebuildTable{sub.table, "SET TABLESPACE copies the table and its files"}, sub.range);
      return;
    case AT_SetRelOptions:
    case AT_ResetRelOptions:
    case AT_ReplaceRelOptions:
      // fillfactor, autovacuum_*, toast_tuple_target, parallel_workers...: SHARE UPDATE EXCLUSIVE.
      other(out, sub, "set/reset storage parameters", LockMode::ShareUpdateExclusive);
      return;
    case AT_EnableTrig:
    case AT_EnableAlwaysTrig:
    case AT_EnableReplicaTrig:
    case AT_EnableTrigAll:
    case AT_EnableTrigUser:
      other(out, sub, "enable trigger " + column, LockMode::ShareRowExclusive);
      return;
    case AT_DisableTrig:
    case AT_DisableTrigAll:
    case AT_DisableTrigUser:
      other(out, sub, "disable trigger " + column, LockMode::ShareRowExclusive);
      return;
    case AT_EnableRule:
    case AT_EnableAlwaysRule:
    case AT_EnableReplicaRule:
    case AT_DisableRule:
      other(out, sub, "enable/disable rule " + column, LockMode::AccessExclusive);
      return;
    case AT_AddInherit:
      other(out, sub, "inherit", LockMode::AccessExclusive);
      return;
    case AT_DropInherit:
      other(out, sub, "no inherit", LockMode::AccessExclusive);
      return;
    case AT_AddOf:
    case AT_DropOf:
      other(out, sub, "of type / not of", LockMode::AccessExclusive);
      return;
    case AT_ReplicaIdentity:
      other(out, sub, "replica identity", LockMode::AccessExclusive);
      return;
    case AT_EnableRowSecurity:
    case AT_DisableRowSecurity:
    case AT_ForceRowSecurity:
    case AT_NoForceRowSecurity:
      other(out, sub, "row level security", LockMode::AccessExclusive);
      return;
    case AT_GenericOptions:
    case AT_AlterColumnGenericOptions:
      other(out, sub, "foreign data wrapper options", LockMode::AccessExclusive);
      return;
    case AT_AttachPartition:
      if (const PartitionCmd* partition = as<PartitionCmd>(cmd.def)) {
        emit(out, AttachPartition{sub.table, name_from_range_var(partition->name)}, sub.range);
        return;
      }
      break;
    case AT_DetachPartition:
      if (const PartitionCmd* partition = as<PartitionCmd>(cmd.def)) {
        emit(out, DetachPartition{sub.table, name_from_range_var(partition->name), partition->concurrent}, sub.range);
        return;
      }
      break;
    case AT_DetachPartitionFinalize:
      if (const PartitionCmd* partition = as<PartitionCmd>(cmd.def)) {
        // FINALIZE completes an interrupted DETACH ... CONCURRENTLY, under SHARE UPDATE EXCLUSIVE.
        emit(out, DetachPartition{sub.table, name_from_range_var(partition->name), true}, sub.range);
        return;
      }
      break;
    case AT_AddIdentity:
      // On an existing NOT NULL column: ACCESS EXCLUSIVE but no rewrite (engines.md #9).
      other(out, sub, column_action(column, "add generated as identity"), LockMode::AccessExclusive);
      return;
    case AT_SetIdentity:
      other(out, sub, column_action(column, "set identity options"), LockMode::AccessExclusive);
      return;
    case AT_DropIdentity:
      other(out, sub, column_action(column, "drop identity"), LockMode::AccessExclusive);
      return;
    default:
      break;
  }
  other(out, sub, "alter table subcommand", LockMode::AccessExclusive);
}

// ALTER TABLE and ALTER FOREIGN TABLE (an absent object type, OBJECT_ACCESS_METHOD = 0, is a table too).
bool is_table_like(ObjectType type) {
  return type == OBJECT_TABLE || type == OBJECT_FOREIGN_TABLE || type == static_cast<ObjectType>(0);
}

}  // namespace

void translate_alter_table(const StatementContext& context, const AlterTableStmt& stmt, Operations& out) {
  if (!is_table_like(stmt.objtype)) {
    // ALTER INDEX / SEQUENCE / VIEW / MATERIALIZED VIEW / TYPE ... with table-style subcommands.
    emit(out, OtherStatement{statement_keywords(context)}, context.statement());
    return;
  }
  QualifiedName table = name_from_range_var(stmt.relation);
  NodeRange commands = nodes(stmt.cmds);
  // One operation per subcommand: room for all of them at once instead of regrowing (and moving the
  // 400-byte operations) at the second and fourth.
  out.reserve(out.size() + commands.size());
  SubcommandSpans spans;
  find_subcommand_spans(context, stmt, commands.size(), spans);
  std::size_t i = 0;
  for (const Node* command : commands) {
    std::size_t index = i++;
    const AlterTableCmd* cmd = as<AlterTableCmd>(command);
    if (cmd == nullptr) continue;
    Subcommand sub{context, table, context.statement()};
    if (index < spans.size()) {
      sub.first = spans[index].first;
      sub.last = spans[index].second;
      sub.range = context.span(sub.first, sub.last);
    }
    translate_command(sub, *cmd, out);
  }
}

}  // namespace migsafe::pg
