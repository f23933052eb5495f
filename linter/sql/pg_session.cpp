// Session settings (SET / SET LOCAL / RESET, SELECT set_config(...)), transaction control, data changes
// and maintenance statements (VACUUM, CLUSTER).
#include <algorithm>

#include "linter/sql/pg_translate.h"
#include "linter/util/text.h"

namespace migsafe::pg {

namespace {

std::string lower(std::string_view text) { return ascii_lowered(text); }

// SET name = a, b: constants by value ('2s' -> 2s), anything else as written.
std::string setting_value(const Node& stmt) {
  std::string value;
  bool first = true;
  for (Node argument : stmt.list("args")) {
    if (!first) value += ", ";
    first = false;
    if (std::optional<std::string> text = constant_text(argument)) {
      value += *text;
    } else if (argument.is("TypeCast")) {
      // SET TIME ZONE INTERVAL '+00:00' HOUR TO MINUTE
      if (std::optional<std::string> cast = constant_text(argument.node("arg"))) value += *cast;
    }
  }
  return value;
}

void translate_set(const StatementContext& context, const Node& stmt, Operations& out) {
  SetSetting setting;
  setting.name = lower(std::string(stmt.string("name")));
  setting.local = stmt.boolean("is_local");
  std::string_view kind = stmt.string("kind");
  if (kind == "VAR_SET_VALUE") {
    setting.value = setting_value(stmt);
  } else if (kind == "VAR_SET_DEFAULT") {
    setting.value = "default";
  } else if (kind == "VAR_SET_CURRENT") {
    setting.value = "from current";
  } else if (kind == "VAR_RESET") {
    setting.reset = true;
  } else if (kind == "VAR_RESET_ALL") {
    setting.name = "all";
    setting.reset = true;
  } else {
    // SET TRANSACTION ... / SET SESSION CHARACTERISTICS: transaction modes, not run-time settings.
    emit(out, OtherStatement{statement_keywords(context)}, context.statement());
    return;
  }
  emit(out, std::move(setting), context.statement());
}

// SELECT set_config('lock_timeout', '5s', true) [, set_config(...)]: the function form of SET [LOCAL].
bool translate_set_config(const StatementContext& context, const Node& stmt, Operations& out) {
  NodeList targets = stmt.list("targetList");
  if (!stmt.list("fromClause").empty() || targets.empty() || stmt.has("intoClause")) return false;
  std::vector<std::pair<SetSetting, ByteRange>> settings;
  for (Node target : targets) {
    if (!target.is("ResTarget")) return false;
    Node call = target.node("val");
    if (!call.is("FuncCall")) return false;
    std::vector<std::string> names = string_values(call.list("funcname"));
    std::vector<Node> arguments = call.list("args").nodes();
    if (names.empty() || names.back() != "set_config" || arguments.size() != 3) return false;
    std::optional<std::string> name = constant_text(arguments[0]);
    std::optional<std::string> setting_value = constant_text(arguments[1]);
    std::optional<std::string> is_local = constant_text(arguments[2]);
    if (!name || !setting_value) return false;
    SetSetting setting;
    setting.name = lower(*name);
    setting.value = *setting_value;
    setting.local = is_local && (*is_local == "on" || *is_local == "true" || *is_local == "t");
    // Each call points at itself: `set_config(...)` in `SELECT a, b`.
    ByteRange range = context.statement();
    if (std::optional<std::size_t> first = context.token_at_location(target.location())) {
      range = context.span(*first, context.item_end(*first));
    }
    settings.emplace_back(std::move(setting), range);
  }
  for (auto& [setting, range] : settings) emit(out, std::move(setting), range);
  return true;
}

void translate_transaction(const StatementContext& context, const Node& stmt, Operations& out) {
  ByteRange range = context.statement();
  auto control = [&](TransactionControlKind kind) { emit(out, TransactionControl{kind}, range); };
  std::string_view kind = stmt.string("kind");
  bool chain = stmt.boolean("chain");
  if (kind == "TRANS_STMT_BEGIN" || kind == "TRANS_STMT_START") {
    control(TransactionControlKind::Begin);
  } else if (kind == "TRANS_STMT_COMMIT" || kind == "TRANS_STMT_PREPARE") {
    // PREPARE TRANSACTION ends the session's transaction block just like COMMIT.
    control(TransactionControlKind::Commit);
    if (chain) control(TransactionControlKind::Begin);
  } else if (kind == "TRANS_STMT_ROLLBACK") {
    control(TransactionControlKind::Rollback);
    if (chain) control(TransactionControlKind::Begin);
  } else if (kind == "TRANS_STMT_SAVEPOINT") {
    control(TransactionControlKind::Savepoint);
  } else if (kind == "TRANS_STMT_RELEASE") {
    control(TransactionControlKind::Release);
  } else if (kind == "TRANS_STMT_ROLLBACK_TO") {
    control(TransactionControlKind::RollbackToSavepoint);
  } else {
    // COMMIT PREPARED / ROLLBACK PREPARED act on another, already prepared transaction.
    emit(out, OtherStatement{statement_keywords(context)}, range);
  }
}

DataChange data_change(DataChangeKind kind, const Node& stmt, bool has_where) {
  DataChange change;
  change.kind = kind;
  change.table = name_from_range_var(stmt.object("relation"));
  change.has_where = has_where;
  return change;
}

}  // namespace

bool translate_session_or_data(const StatementContext& context, const Node& node, Operations& out) {
  ByteRange range = context.statement();
  std::string_view type = node.type();
  if (type == "VariableSetStmt") {
    translate_set(context, node, out);
    return true;
  }
  if (type == "TransactionStmt") {
    translate_transaction(context, node, out);
    return true;
  }
  if (type == "SelectStmt") {
    if (Node into = node.object("intoClause")) {
      // SELECT ... INTO new_table: creates a table like CREATE TABLE AS.
      CreateTable table;
      Node relation = into.object("rel");
      table.table = name_from_range_var(relation);
      table.as_select = true;
      table.temporary = relation.string("relpersistence") == "t";
      emit(out, std::move(table), range);
      return true;
    }
    return translate_set_config(context, node, out);
  }
  if (type == "UpdateStmt") {
    emit(out, data_change(DataChangeKind::Update, node, node.has("whereClause")), range);
    return true;
  }
  if (type == "DeleteStmt") {
    emit(out, data_change(DataChangeKind::Delete, node, node.has("whereClause")), range);
    return true;
  }
  if (type == "InsertStmt") {
    emit(out, data_change(DataChangeKind::Insert, node, true), range);
    return true;
  }
  if (type == "MergeStmt") {
    emit(out, data_change(DataChangeKind::Merge, node, true), range);
    return true;
  }
  if (type == "CopyStmt") {
    if (!node.boolean("is_from")) return false;  // COPY ... TO only reads
    emit(out, data_change(DataChangeKind::Copy, node, true), range);
    return true;
  }
  if (type == "TruncateStmt") {
    TruncateTable truncate;
    for (Node relation : node.list("relations")) truncate.tables.push_back(name_from_node(relation));
    truncate.cascade = node.string("behavior") == "DROP_CASCADE";
    emit(out, std::move(truncate), range);
    return true;
  }
  if (type == "VacuumStmt") {
    if (!node.boolean("is_vacuumcmd")) return false;  // ANALYZE
    Vacuum vacuum;
    for (Node relation : node.list("rels")) {
      if (relation.is("VacuumRelation")) vacuum.tables.push_back(name_from_range_var(relation.object("relation")));
    }
    vacuum.full = option_enabled(node.list("options"), "full");
    emit(out, std::move(vacuum), range);
    return true;
  }
  if (type == "ClusterStmt") {
    emit(out, Cluster{name_from_range_var(node.object("relation"))}, range);
    return true;
  }
  if (type == "DropdbStmt") {
    emit(out, DropDatabase{std::string(node.string("dbname"))}, range);
    return true;
  }
  return false;
}

}  // namespace migsafe::pg
