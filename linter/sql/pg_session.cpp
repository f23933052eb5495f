// Session settings (SET / SET LOCAL / RESET, SELECT set_config(...)), transaction control, data changes
// and maintenance statements (VACUUM, CLUSTER).
#include <algorithm>

#include "linter/sql/pg_translate.h"
#include "linter/util/text.h"

namespace migsafe::pg {

namespace {

// SET name = a, b: constants by value ('2s' -> 2s), anything else as written.
std::string setting_value(const VariableSetStmt& stmt) {
  std::string value;
  bool first = true;
  for (const Node* argument : nodes(stmt.args)) {
    if (!first) value += ", ";
    first = false;
    if (std::optional<std::string> text = constant_text(argument)) {
      value += *text;
    } else if (const TypeCast* cast = as<TypeCast>(argument)) {
      // SET TIME ZONE INTERVAL '+00:00' HOUR TO MINUTE
      if (std::optional<std::string> cast_text = constant_text(cast->arg)) value += *cast_text;
    }
  }
  return value;
}

void translate_set(const StatementContext& context, const VariableSetStmt& stmt, Operations& out) {
  SetSetting setting;
  setting.name = ascii_lowered(text(stmt.name));
  setting.local = stmt.is_local;
  switch (stmt.kind) {
    case VAR_SET_VALUE:
      setting.value = setting_value(stmt);
      break;
    case VAR_SET_DEFAULT:
      setting.value = "default";
      break;
    case VAR_SET_CURRENT:
      setting.value = "from current";
      break;
    case VAR_RESET:
      setting.reset = true;
      break;
    case VAR_RESET_ALL:
      setting.name = "all";
      setting.reset = true;
      break;
    default:
      // SET TRANSACTION ... / SET SESSION CHARACTERISTICS: transaction modes, not run-time settings.
      emit(out, OtherStatement{statement_keywords(context)}, context.statement());
      return;
  }
  emit(out, std::move(setting), context.statement());
}

// SELECT set_config('lock_timeout', '5s', true) [, set_config(...)]: the function form of SET [LOCAL].
bool translate_set_config(const StatementContext& context, const SelectStmt& stmt, Operations& out) {
  NodeRange targets = nodes(stmt.targetList);
  if (stmt.fromClause != nullptr || targets.empty() || stmt.intoClause != nullptr) return false;
  std::vector<std::pair<SetSetting, ByteRange>> settings;
  for (const Node* item : targets) {
    const ResTarget* target = as<ResTarget>(item);
    if (target == nullptr) return false;
    const FuncCall* call = as<FuncCall>(target->val);
    if (call == nullptr) return false;
    NodeRange arguments = nodes(call->args);
    if (name_parts(call->funcname).last != "set_config" || arguments.size() != 3) return false;
    std::optional<std::string> name = constant_text(arguments[0]);
    std::optional<std::string> setting_value = constant_text(arguments[1]);
    std::optional<std::string> is_local = constant_text(arguments[2]);
    if (!name || !setting_value) return false;
    SetSetting setting;
    setting.name = ascii_lowered(*name);
    setting.value = *setting_value;
    setting.local = is_local && (*is_local == "on" || *is_local == "true" || *is_local == "t");
    // Each call points at itself: `set_config(...)` in `SELECT a, b`.
    ByteRange range = context.statement();
    if (std::optional<std::size_t> first = context.token_at_location(target->location)) {
      range = context.span(*first, context.item_end(*first));
    }
    settings.emplace_back(std::move(setting), range);
  }
  for (auto& [setting, range] : settings) emit(out, std::move(setting), range);
  return true;
}

void translate_transaction(const StatementContext& context, const TransactionStmt& stmt, Operations& out) {
  ByteRange range = context.statement();
  auto control = [&](TransactionControlKind kind) { emit(out, TransactionControl{kind}, range); };
  switch (stmt.kind) {
    case TRANS_STMT_BEGIN:
    case TRANS_STMT_START:
      control(TransactionControlKind::Begin);
      break;
    case TRANS_STMT_COMMIT:
    case TRANS_STMT_PREPARE:
      // PREPARE TRANSACTION ends the session's transaction block just like COMMIT.
      control(TransactionControlKind::Commit);
      if (stmt.chain) control(TransactionControlKind::Begin);
      break;
    case TRANS_STMT_ROLLBACK:
      control(TransactionControlKind::Rollback);
      if (stmt.chain) control(TransactionControlKind::Begin);
      break;
    case TRANS_STMT_SAVEPOINT:
      control(TransactionControlKind::Savepoint);
      break;
    case TRANS_STMT_RELEASE:
      control(TransactionControlKind::Release);
      break;
    case TRANS_STMT_ROLLBACK_TO:
      control(TransactionControlKind::RollbackToSavepoint);
      break;
    default:
      // COMMIT PREPARED / ROLLBACK PREPARED act on another, already prepared transaction.
      emit(out, OtherStatement{statement_keywords(context)}, range);
  }
}

DataChange data_change(DataChangeKind kind, const RangeVar* relation, bool has_where) {
  DataChange change;
  change.kind = kind;
  change.table = name_from_range_var(relation);
  change.has_where = has_where;
  return change;
}

}  // namespace

bool translate_session_or_data(const StatementContext& context, const Node* node, Operations& out) {
  ByteRange range = context.statement();
  switch (nodeTag(node)) {
    case T_VariableSetStmt:
      translate_set(context, *as<VariableSetStmt>(node), out);
      return true;
    case T_TransactionStmt:
      translate_transaction(context, *as<TransactionStmt>(node), out);
      return true;
    case T_SelectStmt: {
      const SelectStmt& stmt = *as<SelectStmt>(node);
      if (stmt.intoClause != nullptr) {
        // SELECT ... INTO new_table: creates a table like CREATE TABLE AS.
        CreateTable table;
        table.table = name_from_range_var(stmt.intoClause->rel);
        table.as_select = true;
        table.temporary = is_temporary(stmt.intoClause->rel);
        emit(out, std::move(table), range);
        return true;
      }
      return translate_set_config(context, stmt, out);
    }
    case T_UpdateStmt: {
      const UpdateStmt& stmt = *as<UpdateStmt>(node);
      emit(out, data_change(DataChangeKind::Update, stmt.relation, stmt.whereClause != nullptr), range);
      return true;
    }
    case T_DeleteStmt: {
      const DeleteStmt& stmt = *as<DeleteStmt>(node);
      emit(out, data_change(DataChangeKind::Delete, stmt.relation, stmt.whereClause != nullptr), range);
      return true;
    }
    case T_InsertStmt:
      emit(out, data_change(DataChangeKind::Insert, as<InsertStmt>(node)->relation, true), range);
      return true;
    case T_MergeStmt:
      emit(out, data_change(DataChangeKind::Merge, as<MergeStmt>(node)->relation, true), range);
      return true;
    case T_CopyStmt: {
      const CopyStmt& stmt = *as<CopyStmt>(node);
      if (!stmt.is_from) return false;  // COPY ... TO only reads
      emit(out, data_change(DataChangeKind::Copy, stmt.relation, true), range);
      return true;
    }
    case T_TruncateStmt: {
      const TruncateStmt& stmt = *as<TruncateStmt>(node);
      TruncateTable truncate;
      for (const Node* relation : nodes(stmt.relations)) truncate.tables.push_back(name_from_node(relation));
      truncate.cascade = stmt.behavior == DROP_CASCADE;
      emit(out, std::move(truncate), range);
      return true;
    }
    case T_VacuumStmt: {
      const VacuumStmt& stmt = *as<VacuumStmt>(node);
      if (!stmt.is_vacuumcmd) return false;  // ANALYZE
      Vacuum vacuum;
      for (const Node* item : nodes(stmt.rels)) {
        if (const VacuumRelation* relation = as<VacuumRelation>(item)) {
          vacuum.tables.push_back(name_from_range_var(relation->relation));
        }
      }
      vacuum.full = option_enabled(stmt.options, "full");
      emit(out, std::move(vacuum), range);
      return true;
    }
    case T_ClusterStmt:
      emit(out, Cluster{name_from_range_var(as<ClusterStmt>(node)->relation)}, range);
      return true;
    case T_DropdbStmt:
      emit(out, DropDatabase{std::string(text(as<DropdbStmt>(node)->dbname))}, range);
      return true;
    default:
      return false;
  }
}

}  // namespace migsafe::pg
