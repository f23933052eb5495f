// Session settings (SET / SET LOCAL / RESET, SELECT set_config(...)), transaction control, data changes
// and maintenance statements (VACUUM, CLUSTER).
#include <algorithm>

#include "linter/sql/pg_translate.h"

namespace migsafe::pg {

namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); });
  return text;
}

// SET name = a, b: constants by value ('2s' -> 2s), anything else as written.
std::string setting_value(const StatementContext& context, const PgQuery__VariableSetStmt* stmt) {
  std::string value;
  for (std::size_t i = 0; i < stmt->n_args; ++i) {
    if (i > 0) value += ", ";
    const Node* arg = stmt->args[i];
    if (std::optional<std::string> text = constant_text(arg)) {
      value += *text;
    } else if (arg != nullptr && arg->node_case == PG_QUERY__NODE__NODE_TYPE_CAST &&
               constant_text(arg->type_cast->arg)) {
      value += *constant_text(arg->type_cast->arg);  // SET TIME ZONE INTERVAL '+00:00' HOUR TO MINUTE
    }
  }
  return value;
}

void translate_set(const StatementContext& context, const PgQuery__VariableSetStmt* stmt, Operations& out) {
  SetSetting setting;
  setting.name = lower(stmt->name != nullptr ? stmt->name : "");
  setting.local = stmt->is_local;
  switch (stmt->kind) {
    case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE:
      setting.value = setting_value(context, stmt);
      break;
    case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_DEFAULT:
      setting.value = "default";
      break;
    case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_CURRENT:
      setting.value = "from current";
      break;
    case PG_QUERY__VARIABLE_SET_KIND__VAR_RESET:
      setting.reset = true;
      break;
    case PG_QUERY__VARIABLE_SET_KIND__VAR_RESET_ALL:
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
bool translate_set_config(const StatementContext& context, const PgQuery__SelectStmt* stmt, Operations& out) {
  if (stmt->n_from_clause > 0 || stmt->n_target_list == 0 || stmt->into_clause != nullptr) return false;
  std::vector<SetSetting> settings;
  for (std::size_t i = 0; i < stmt->n_target_list; ++i) {
    const Node* target = stmt->target_list[i];
    if (target == nullptr || target->node_case != PG_QUERY__NODE__NODE_RES_TARGET) return false;
    const Node* value = target->res_target->val;
    if (value == nullptr || value->node_case != PG_QUERY__NODE__NODE_FUNC_CALL) return false;
    const PgQuery__FuncCall* call = value->func_call;
    std::vector<std::string> names = string_values(call->funcname, call->n_funcname);
    if (names.empty() || names.back() != "set_config" || call->n_args != 3) return false;
    std::optional<std::string> name = constant_text(call->args[0]);
    std::optional<std::string> setting_value = constant_text(call->args[1]);
    std::optional<std::string> is_local = constant_text(call->args[2]);
    if (!name || !setting_value) return false;
    SetSetting setting;
    setting.name = lower(*name);
    setting.value = *setting_value;
    setting.local = is_local && (*is_local == "on" || *is_local == "true" || *is_local == "t");
    settings.push_back(std::move(setting));
  }
  for (SetSetting& setting : settings) emit(out, std::move(setting), context.statement());
  return true;
}

void translate_transaction(const StatementContext& context, const PgQuery__TransactionStmt* stmt, Operations& out) {
  ByteRange range = context.statement();
  auto control = [&](TransactionControlKind kind) { emit(out, TransactionControl{kind}, range); };
  switch (stmt->kind) {
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN:
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START:
      control(TransactionControlKind::Begin);
      return;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT:
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_PREPARE:
      // PREPARE TRANSACTION ends the session's transaction block just like COMMIT.
      control(TransactionControlKind::Commit);
      if (stmt->chain) control(TransactionControlKind::Begin);
      return;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK:
      control(TransactionControlKind::Rollback);
      if (stmt->chain) control(TransactionControlKind::Begin);
      return;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_SAVEPOINT:
      control(TransactionControlKind::Savepoint);
      return;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_RELEASE:
      control(TransactionControlKind::Release);
      return;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK_TO:
      control(TransactionControlKind::RollbackToSavepoint);
      return;
    default:
      // COMMIT PREPARED / ROLLBACK PREPARED act on another, already prepared transaction.
      emit(out, OtherStatement{statement_keywords(context)}, range);
      return;
  }
}

DataChange data_change(DataChangeKind kind, const PgQuery__RangeVar* relation, bool has_where) {
  DataChange change;
  change.kind = kind;
  change.table = name_from_range_var(relation);
  change.has_where = has_where;
  return change;
}

}  // namespace

bool translate_session_or_data(const StatementContext& context, const Node* node, Operations& out) {
  ByteRange range = context.statement();
  switch (node->node_case) {
    case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT:
      translate_set(context, node->variable_set_stmt, out);
      return true;
    case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
      translate_transaction(context, node->transaction_stmt, out);
      return true;
    case PG_QUERY__NODE__NODE_SELECT_STMT:
      if (node->select_stmt->into_clause != nullptr) {
        // SELECT ... INTO new_table: creates a table like CREATE TABLE AS.
        CreateTable table;
        table.table = name_from_range_var(node->select_stmt->into_clause->rel);
        table.as_select = true;
        const PgQuery__RangeVar* rel = node->select_stmt->into_clause->rel;
        table.temporary = rel != nullptr && rel->relpersistence != nullptr && std::string_view(rel->relpersistence) == "t";
        emit(out, std::move(table), range);
        return true;
      }
      return translate_set_config(context, node->select_stmt, out);
    case PG_QUERY__NODE__NODE_UPDATE_STMT:
      emit(out, data_change(DataChangeKind::Update, node->update_stmt->relation, node->update_stmt->where_clause != nullptr),
           range);
      return true;
    case PG_QUERY__NODE__NODE_DELETE_STMT:
      emit(out, data_change(DataChangeKind::Delete, node->delete_stmt->relation, node->delete_stmt->where_clause != nullptr),
           range);
      return true;
    case PG_QUERY__NODE__NODE_INSERT_STMT:
      emit(out, data_change(DataChangeKind::Insert, node->insert_stmt->relation, true), range);
      return true;
    case PG_QUERY__NODE__NODE_MERGE_STMT:
      emit(out, data_change(DataChangeKind::Merge, node->merge_stmt->relation, true), range);
      return true;
    case PG_QUERY__NODE__NODE_COPY_STMT:
      if (!node->copy_stmt->is_from) return false;  // COPY ... TO only reads
      emit(out, data_change(DataChangeKind::Copy, node->copy_stmt->relation, true), range);
      return true;
    case PG_QUERY__NODE__NODE_TRUNCATE_STMT: {
      const PgQuery__TruncateStmt* stmt = node->truncate_stmt;
      TruncateTable truncate;
      for (std::size_t i = 0; i < stmt->n_relations; ++i) truncate.tables.push_back(name_from_node(stmt->relations[i]));
      truncate.cascade = stmt->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
      emit(out, std::move(truncate), range);
      return true;
    }
    case PG_QUERY__NODE__NODE_VACUUM_STMT: {
      const PgQuery__VacuumStmt* stmt = node->vacuum_stmt;
      if (!stmt->is_vacuumcmd) return false;  // ANALYZE
      Vacuum vacuum;
      for (std::size_t i = 0; i < stmt->n_rels; ++i) {
        const Node* relation = stmt->rels[i];
        if (relation != nullptr && relation->node_case == PG_QUERY__NODE__NODE_VACUUM_RELATION) {
          vacuum.tables.push_back(name_from_range_var(relation->vacuum_relation->relation));
        }
      }
      vacuum.full = option_enabled(stmt->options, stmt->n_options, "full");
      emit(out, std::move(vacuum), range);
      return true;
    }
    case PG_QUERY__NODE__NODE_CLUSTER_STMT:
      emit(out, Cluster{name_from_range_var(node->cluster_stmt->relation)}, range);
      return true;
    case PG_QUERY__NODE__NODE_DROPDB_STMT:
      emit(out, DropDatabase{node->dropdb_stmt->dbname != nullptr ? node->dropdb_stmt->dbname : ""}, range);
      return true;
    default:
      return false;
  }
}

}  // namespace migsafe::pg
