#include "linter/alembic/op_translator.h"

#include <algorithm>
#include <array>

#include "linter/alembic/embedded_sql.h"

namespace migsafe::alembic {

using python::Stmt;
using python::StmtKind;

namespace {

using Params = std::vector<std::string_view>;

// Parameter order of each directive on `op` (Alembic 1.8 signatures; later versions made the tail
// keyword-only, which reads the same). Batch forms drop the table (and schema) parameters.
const std::map<std::string, Params, std::less<>>& op_params() {
  static const std::map<std::string, Params, std::less<>> params = {
      {"drop_table", {"table_name", "schema"}},
      {"rename_table", {"old_table_name", "new_table_name", "schema"}},
      {"add_column", {"table_name", "column", "schema"}},
      {"drop_column", {"table_name", "column_name", "schema"}},
      {"alter_column",
       {"table_name", "column_name", "nullable", "comment", "server_default", "new_column_name", "type_",
        "existing_type", "existing_server_default", "existing_nullable", "existing_comment", "schema"}},
      {"create_index", {"index_name", "table_name", "columns", "schema", "unique"}},
      {"drop_index", {"index_name", "table_name", "schema"}},
      {"create_foreign_key",
       {"constraint_name", "source_table", "referent_table", "local_cols", "remote_cols", "onupdate", "ondelete",
        "deferrable", "initially", "match", "source_schema", "referent_schema"}},
      {"create_unique_constraint", {"constraint_name", "table_name", "columns", "schema"}},
      {"create_check_constraint", {"constraint_name", "table_name", "condition", "schema"}},
      {"create_primary_key", {"constraint_name", "table_name", "columns", "schema"}},
      {"create_exclude_constraint", {"constraint_name", "table_name"}},
      {"drop_constraint", {"constraint_name", "table_name", "type_", "schema"}},
      {"create_table_comment", {"table_name", "comment", "existing_comment", "schema"}},
      {"drop_table_comment", {"table_name", "existing_comment", "schema"}},
      {"execute", {"sqltext", "execution_options"}},
      {"bulk_insert", {"table", "rows", "multiinsert"}},
  };
  return params;
}

Params batch_params(std::string_view directive) {
  if (directive == "create_foreign_key") {
    return {"constraint_name", "referent_table", "local_cols", "remote_cols", "referent_schema",
            "onupdate",        "ondelete",       "deferrable", "initially",   "match"};
  }
  Params params = op_params().find(directive)->second;
  std::erase_if(params, [](std::string_view p) { return p == "table_name" || p == "schema"; });
  return params;
}

// Directives that are not schema operations themselves (helpers, context access).
bool is_helper_directive(std::string_view name) {
  static constexpr std::array<std::string_view, 8> kHelpers = {
      "get_bind", "get_context", "f", "inline_literal", "implementation_for", "register_operation",
      "batch_alter_table", "invoke_for_target"};
  return std::find(kHelpers.begin(), kHelpers.end(), name) != kHelpers.end();
}

struct Arguments {
  const Expr& call;
  Params params;
  const Expr* get(std::string_view name) const {
    auto it = std::find(params.begin(), params.end(), name);
    std::size_t index = it == params.end() ? static_cast<std::size_t>(-1) : static_cast<std::size_t>(it - params.begin());
    if (index == static_cast<std::size_t>(-1)) {
      const python::Keyword* keyword = call.keyword(name);
      return keyword ? keyword->value.get() : nullptr;
    }
    return call.argument(index, name);
  }
  ByteRange range_of(std::string_view name) const {
    if (const python::Keyword* keyword = call.keyword(name)) return keyword->range;
    const Expr* value = get(name);
    return value ? value->range : call.range;
  }
};

}  // namespace

OpTranslator::OpTranslator(SourceFilePtr file, Values& values, Dialect dialect,
                           const std::map<std::string, const python::Stmt*>& functions)
    : file_(std::move(file)), values_(values), dialect_(dialect), functions_(functions) {}

std::vector<Statement> OpTranslator::translate(const Stmt& function) {
  out_.clear();
  bind_names_.clear();
  local_functions_.clear();
  call_function(function, Context{});
  return std::move(out_);
}

void OpTranslator::call_function(const Stmt& function, const Context& context) {
  if (active_functions_.count(&function) || active_functions_.size() > 16) return;
  active_functions_.insert(&function);
  values_.push_scope();
  // Parameters are unknown unless the caller bound them (see handle_call): they shadow imports.
  for (const std::string& param : function.params) values_.bind(param, nullptr);
  walk(function.body, context);
  values_.pop_scope();
  active_functions_.erase(&function);
}

void OpTranslator::walk(const std::vector<python::StmtPtr>& body, const Context& context) {
  for (const python::StmtPtr& stmt : body) walk_statement(*stmt, context);
}

void OpTranslator::walk_statement(const Stmt& stmt, const Context& context) {
  switch (stmt.kind) {
    case StmtKind::Expr:
    case StmtKind::Return:
    case StmtKind::Raise:
      if (stmt.value) visit_calls(*stmt.value, context);
      return;
    case StmtKind::Assign:
    case StmtKind::AnnAssign:
    case StmtKind::AugAssign:
      if (stmt.value) {
        visit_calls(*stmt.value, context);
        for (const ExprPtr& target : stmt.targets) {
          if (stmt.kind == StmtKind::AugAssign) {
            values_.bind_target(*target, nullptr);
            continue;
          }
          values_.bind_target(*target, stmt.value);
          if (target->kind == ExprKind::Name && is_bind(*stmt.value)) bind_names_.insert(target->name);
        }
      }
      return;
    case StmtKind::Import:
      for (const python::ImportedName& imported : stmt.imports) values_.add_import(imported);
      return;
    case StmtKind::FunctionDef:
      // A nested helper: callable by name from here on.
      values_.bind(stmt.name, nullptr);
      local_functions_[stmt.name] = &stmt;
      return;
    case StmtKind::With: {
      Context inner = context;
      for (const python::WithItem& item : stmt.with_items) {
        const Expr& manager = values_.follow(*item.context);
        std::string callee = values_.callee(manager);
        if (op_directive(callee) == "batch_alter_table") {
          inner.in_batch = true;
          Arguments args{manager, {"table_name", "schema"}};
          inner.batch_table = table_name(args.get("table_name"), args.get("schema"));
          inner.batch_alias = item.target && item.target->kind == ExprKind::Name ? item.target->name : "";
          if (item.target) values_.bind_target(*item.target, nullptr);
          continue;
        }
        if (manager.kind == ExprKind::Call && manager.base && manager.base->kind == ExprKind::Attribute &&
            manager.base->name == "autocommit_block") {
          inner.in_autocommit = true;
          continue;
        }
        visit_calls(*item.context, context);
        if (item.target) {
          values_.bind_target(*item.target, nullptr);
          // `with op.get_bind().connect() as conn:` / `with bind.begin() as conn:`
          if (item.target->kind == ExprKind::Name && is_bind(*item.context)) bind_names_.insert(item.target->name);
        }
      }
      walk(stmt.body, inner);
      return;
    }
    case StmtKind::For: {
      visit_calls(*stmt.value, context);
      const Expr& iterable = values_.follow(*stmt.value);
      bool literal = (iterable.kind == ExprKind::List || iterable.kind == ExprKind::Tuple) &&
                     !iterable.items.empty() && iterable.items.size() <= 64;
      if (literal && !stmt.targets.empty()) {
        // A loop over a literal list (table names, enum values) is unrolled: each operation is known.
        for (const ExprPtr& element : iterable.items) {
          values_.bind_target(*stmt.targets.front(), element);
          walk(stmt.body, context);
        }
      } else {
        // A loop over rows or computed values: the body runs an unknown number of times.
        Context inner = context;
        inner.in_loop = true;
        for (const ExprPtr& target : stmt.targets) values_.bind_target(*target, nullptr);
        walk(stmt.body, inner);
      }
      walk(stmt.orelse, context);
      return;
    }
    case StmtKind::If:
      // Both branches are read: which one runs is only known at run time.
      if (stmt.value) visit_calls(*stmt.value, context);
      walk(stmt.body, context);
      walk(stmt.orelse, context);
      return;
    case StmtKind::Other: {
      Context inner = context;
      if (stmt.name == "while") inner.in_loop = true;
      walk(stmt.body, inner);
      return;
    }
    case StmtKind::Pass: return;
  }
}

void OpTranslator::visit_calls(const Expr& expr, const Context& context) {
  if (expr.kind == ExprKind::Call) {
    if (handle_call(expr, context)) return;
    if (expr.base) visit_calls(*expr.base, context);
    for (const ExprPtr& item : expr.items) {
      if (item) visit_calls(*item, context);
    }
    for (const python::Keyword& keyword : expr.keywords) {
      if (keyword.value) visit_calls(*keyword.value, context);
    }
    return;
  }
  if (expr.kind == ExprKind::Other) return;  // lambdas and comprehensions: not run here
  if (expr.base) visit_calls(*expr.base, context);
  for (const ExprPtr& item : expr.items) {
    if (item) visit_calls(*item, context);
  }
}

bool OpTranslator::is_bind(const Expr& expr) const {
  const Expr& value = values_.follow(expr);
  if (value.kind == ExprKind::Name) return bind_names_.count(value.name) > 0;
  if (value.kind == ExprKind::Call) {
    std::string callee = values_.callee(value);
    if (op_directive(callee) == "get_bind") return true;
    if (sqlalchemy_symbol(callee) == "Session") return true;
    // bind.connect(), bind.begin(), bind.execution_options(...)
    if (value.base && value.base->kind == ExprKind::Attribute && value.base->base) {
      const std::string& method = value.base->name;
      if (method == "connect" || method == "begin" || method == "execution_options") return is_bind(*value.base->base);
    }
    return false;
  }
  if (value.kind == ExprKind::Attribute && value.base) {
    // op.get_context().bind / .connection
    if (value.name == "bind" || value.name == "connection") {
      const Expr& owner = values_.follow(*value.base);
      return owner.kind == ExprKind::Call && op_directive(values_.callee(owner)) == "get_context";
    }
  }
  return false;
}

bool OpTranslator::handle_call(const Expr& call, const Context& context) {
  if (!call.base) return false;
  // batch_op.<directive>(...)
  if (call.base->kind == ExprKind::Attribute && call.base->base && call.base->base->kind == ExprKind::Name &&
      context.in_batch && !context.batch_alias.empty() && call.base->base->name == context.batch_alias) {
    directive(call.base->name, call, context, true);
    return true;
  }
  std::string callee = values_.callee(call);
  if (std::string name = op_directive(callee); !name.empty()) {
    if (is_helper_directive(name)) return name == "f" || name == "inline_literal";
    directive(std::string(name), call, context, false);
    return true;
  }
  if (call.base->kind == ExprKind::Attribute && call.base->base) {
    const std::string& method = call.base->name;
    const Expr& receiver = *call.base->base;
    // conn.execute(...), op.get_bind().execute(...), conn.exec_driver_sql("...")
    if ((method == "execute" || method == "exec_driver_sql") && is_bind(receiver)) {
      execute(call, call.argument(0, "statement"), context, method == "execute" ? "bind.execute" : "exec_driver_sql");
      return true;
    }
    // my_enum.create(op.get_bind(), checkfirst=True) / my_enum.drop(op.get_bind())
    if (method == "create" || method == "drop") {
      const Expr* bind = call.argument(0, "bind");
      if (bind && is_bind(*bind)) {
        if (auto use = enum_use(receiver, values_)) {
          Statement& statement = begin_statement(call, context);
          if (dialect_ != Dialect::PostgreSQL) {
            statement.operations.push_back(Operation{OtherStatement{"enum type " + method + " (no-op outside PostgreSQL)"}, call.range});
          } else if (method == "create") {
            add(statement, CreateEnumType{use->type, use->values}, call.range);
          } else {
            add(statement, DropType{{use->type}, call.keyword("checkfirst") != nullptr, false}, call.range);
          }
          return true;
        }
      }
    }
  }
  // A helper function of this file: its operations run here.
  if (call.base->kind == ExprKind::Name) {
    const std::string& name = call.base->name;
    const Stmt* function = nullptr;
    if (auto it = local_functions_.find(name); it != local_functions_.end()) function = it->second;
    else if (auto it2 = functions_.find(name); it2 != functions_.end()) function = it2->second;
    if (function) {
      for (const ExprPtr& item : call.items) visit_calls(*item, context);
      // Bind literal arguments to the parameters so that `_add_column("users")` knows its table.
      std::vector<ExprPtr> arguments;
      for (const ExprPtr& item : call.items) {
        const Expr& value = values_.follow(*item);
        arguments.push_back(value.kind == ExprKind::Name ? nullptr : item);
      }
      if (active_functions_.count(function) || active_functions_.size() > 16) return true;
      active_functions_.insert(function);
      values_.push_scope();
      for (std::size_t i = 0; i < function->params.size(); ++i) {
        ExprPtr bound = i < arguments.size() ? arguments[i] : nullptr;
        if (const python::Keyword* keyword = call.keyword(function->params[i])) bound = keyword->value;
        values_.bind(function->params[i], bound);
      }
      walk(function->body, context);
      values_.pop_scope();
      active_functions_.erase(function);
      return true;
    }
  }
  // Multi-database templates: globals()["upgrade_%s" % engine_name]()
  if (call.base->kind == ExprKind::Subscript && call.base->base && !call.base->items.empty()) {
    const Expr& owner = *call.base->base;
    const Expr& key = *call.base->items.front();
    if (owner.kind == ExprKind::Call && owner.base && owner.base->is_name("globals")) {
      const Expr* pattern = &key;
      if (key.kind == ExprKind::Binary && (key.name == "%" || key.name == "+")) pattern = key.items.front().get();
      if (auto text = values_.string(*pattern)) {
        std::string prefix = text->substr(0, text->find('%'));
        if (!prefix.empty()) {
          std::vector<const Stmt*> targets;
          for (const auto& [name, function] : functions_) {
            if (name.starts_with(prefix) && name.size() > prefix.size()) targets.push_back(function);
          }
          std::sort(targets.begin(), targets.end(),
                    [](const Stmt* a, const Stmt* b) { return a->range.begin < b->range.begin; });
          for (const Stmt* function : targets) call_function(*function, context);
          return true;
        }
      }
    }
  }
  return false;
}

Statement& OpTranslator::begin_statement(const Expr& call, const Context& context) {
  Statement statement;
  statement.range = call.range;
  statement.in_loop = context.in_loop;
  statement.in_batch = context.in_batch;
  statement.in_autocommit_block = context.in_autocommit;
  std::vector<DialectKeyword> keywords;
  collect_dialect_keywords(call, keywords);
  for (DialectKeyword& keyword : keywords) {
    statement.dialect_options.push_back(DialectOption{std::move(keyword.name), keyword.range});
  }
  out_.push_back(std::move(statement));
  return out_.back();
}

void OpTranslator::add(Statement& statement, OperationData data, ByteRange range) {
  if (auto* change = std::get_if<DataChange>(&data)) change->per_row_loop = change->per_row_loop || statement.in_loop;
  statement.operations.push_back(Operation{std::move(data), range});
}

void OpTranslator::unchecked(const Expr& call, const Context& context, const std::string& description, bool plugin) {
  Statement& statement = begin_statement(call, context);
  add(statement, UncheckedOperation{description, plugin}, call.range);
}

QualifiedName OpTranslator::table_name(const Expr* name, const Expr* schema) const {
  QualifiedName result;
  if (name) {
    auto text = values_.string(*name);
    result.name = text ? *text : std::string(values_.source(*name));
  }
  if (schema && !values_.is_none(*schema)) {
    auto text = values_.string(*schema);
    result.schema = text ? *text : std::string(values_.source(*schema));
  }
  return result;
}

std::string OpTranslator::text_of(const Expr* expr) const {
  if (!expr) return {};
  if (auto text = values_.string(*expr)) return *text;
  const Expr& value = values_.follow(*expr);
  if (value.kind == ExprKind::Call && !value.items.empty() && sqlalchemy_symbol(values_.callee(value)) == "text") {
    if (auto text = values_.string(*value.items[0])) return *text;
  }
  return std::string(values_.source(value));
}

namespace {

std::string column_name_or_source(const Values& values, const Expr* expr) {
  if (!expr) return {};
  auto text = values.string(*expr);
  return text ? *text : std::string(values.source(*expr));
}

}  // namespace

void OpTranslator::directive(const std::string& name, const Expr& call, const Context& context, bool batch) {
  auto known = op_params().find(name);
  if (name == "create_table") {
    if (batch) return unchecked(call, context, "batch_op.create_table()", false);
    Statement& statement = begin_statement(call, context);
    Arguments args{call, {"table_name"}};
    CreateTable create;
    create.table = table_name(args.get("table_name"), call.keyword("schema") ? call.keyword("schema")->value.get() : nullptr);
    if (const python::Keyword* flag = call.keyword("if_not_exists")) create.if_not_exists = values_.boolean(*flag->value).value_or(false);
    if (const python::Keyword* prefixes = call.keyword("prefixes")) {
      for (const std::string& prefix : values_.names(*prefixes->value)) {
        if (prefix == "TEMPORARY" || prefix == "TEMP") create.temporary = true;
      }
    }
    std::vector<const Expr*> items;
    for (std::size_t i = 1; i < call.items.size(); ++i) {
      const Expr& item = *call.items[i];
      if (item.kind == ExprKind::Starred && item.base) {
        for (const Expr* element : values_.elements(*item.base)) items.push_back(element);
      } else {
        items.push_back(&item);
      }
    }
    std::vector<ColumnDefinition> columns;
    std::vector<IndexSpec> indexes;
    for (const Expr* item : items) {
      if (auto column = column_definition(*item, values_, dialect_)) {
        columns.push_back(std::move(*column));
      } else if (auto constraint = table_constraint(*item, values_)) {
        create.constraints.push_back(std::move(*constraint));
      } else if (auto index = index_item(*item, values_, create.table)) {
        indexes.push_back(std::move(*index));
      }
    }
    // sa.PrimaryKeyConstraint("id") makes its columns primary-key (and NOT NULL) columns.
    for (const ConstraintSpec& constraint : create.constraints) {
      if (constraint.kind != ConstraintKind::PrimaryKey) continue;
      for (ColumnDefinition& column : columns) {
        if (std::find(constraint.columns.begin(), constraint.columns.end(), column.spec.name) != constraint.columns.end()) {
          column.spec.primary_key = true;
          column.spec.not_null = true;
        }
      }
    }
    int primary_keys = 0;
    for (const ColumnDefinition& column : columns) primary_keys += column.spec.primary_key ? 1 : 0;
    std::set<std::string> enum_types;
    for (ColumnDefinition& column : columns) {
      if (column.spec.primary_key && primary_keys == 1) apply_implicit_autoincrement(column, dialect_);
      for (ConstraintSpec& fk : column.foreign_keys) create.constraints.push_back(std::move(fk));
      for (ConstraintSpec& check : column.checks) create.constraints.push_back(std::move(check));
      if (column.unique && !column.index) {
        ConstraintSpec unique;
        unique.kind = ConstraintKind::Unique;
        unique.columns = {column.spec.name};
        unique.range = column.spec.range;
        create.constraints.push_back(std::move(unique));
      }
      if (column.index) {
        IndexSpec index;
        index.name = "ix_" + create.table.name + "_" + column.spec.name;
        index.table = create.table;
        index.columns = {column.spec.name};
        index.unique = column.unique;
        indexes.push_back(std::move(index));
      }
      // create_table fires SQLAlchemy's before_create: CREATE TYPE for each native named enum (PostgreSQL).
      if (dialect_ == Dialect::PostgreSQL && column.enum_type && column.enum_type->native &&
          column.enum_type->create_type && !column.enum_type->type.name.empty() &&
          enum_types.insert(column.enum_type->type.display()).second) {
        add(statement, CreateEnumType{column.enum_type->type, column.enum_type->values}, column.enum_type->range);
      }
      create.columns.push_back(std::move(column.spec));
    }
    add(statement, std::move(create), call.range);
    for (IndexSpec& index : indexes) {
      ByteRange range = call.range;
      add(statement, CreateIndex{std::move(index)}, range);
    }
    return;
  }
  if (known == op_params().end()) {
    if (name == "run_async") return unchecked(call, context, "op.run_async(): code run asynchronously", false);
    return unchecked(call, context,
                     (batch ? "batch_op." : "op.") + name + "(): an operation from an Alembic extension", true);
  }
  Arguments args{call, batch ? batch_params(name) : known->second};
  auto table = [&](std::string_view table_param = "table_name", std::string_view schema_param = "schema") {
    if (batch) return context.batch_table;
    return table_name(args.get(table_param), args.get(schema_param));
  };
  auto flag = [&](std::string_view keyword) {
    const Expr* value = args.get(keyword);
    return value && values_.boolean(*value).value_or(false);
  };

  if (name == "execute") return execute(call, args.get("sqltext"), context, "op.execute");

  Statement& statement = begin_statement(call, context);
  if (name == "drop_table") {
    add(statement, DropTable{{table()}, flag("if_exists"), false}, call.range);
  } else if (name == "rename_table") {
    QualifiedName old_name = table("old_table_name");
    std::string new_name = column_name_or_source(values_, args.get("new_table_name"));
    add(statement, RenameTable{old_name, new_name}, call.range);
  } else if (name == "add_column") {
    const Expr* column_expr = args.get("column");
    auto column = column_expr ? column_definition(*column_expr, values_, dialect_) : std::nullopt;
    if (!column) {
      add(statement, UncheckedOperation{"add_column() with a column built at run time", false}, call.range);
      return;
    }
    QualifiedName target = table();
    if (column->spec.primary_key) apply_implicit_autoincrement(*column, dialect_);
    bool inline_references = flag("inline_references");
    AddColumn add_column{target, column->spec, flag("if_not_exists")};
    if (inline_references) {
      for (const ConstraintSpec& fk : column->foreign_keys) add_column.column.constraints.push_back(fk);
    }
    add(statement, std::move(add_column), call.range);
    // Alembic adds the column's constraints and indexes with separate statements (toimpl.add_column).
    if (!inline_references) {
      for (const ConstraintSpec& fk : column->foreign_keys) add(statement, AddConstraint{target, fk}, fk.range);
    }
    for (const ConstraintSpec& check : column->checks) add(statement, AddConstraint{target, check}, check.range);
    if (column->unique && !column->index) {
      ConstraintSpec unique;
      unique.kind = ConstraintKind::Unique;
      unique.columns = {column->spec.name};
      unique.range = column->spec.range;
      add(statement, AddConstraint{target, unique}, column->spec.range);
    }
    if (column->index) {
      IndexSpec index;
      index.name = "ix_" + target.name + "_" + column->spec.name;
      index.table = target;
      index.columns = {column->spec.name};
      index.unique = column->unique;
      add(statement, CreateIndex{index}, column->spec.range);
    }
  } else if (name == "drop_column") {
    add(statement, DropColumn{table(), column_name_or_source(values_, args.get("column_name")), flag("if_exists"), false},
        call.range);
  } else if (name == "alter_column") {
    QualifiedName target = table();
    std::string column = column_name_or_source(values_, args.get("column_name"));
    // Order as Alembic emits them: type (PostgreSQL: first, with USING), nullability, default, comment, name.
    if (const Expr* type = args.get("type_"); type && !values_.is_none(*type)) {
      AlterColumnType change;
      change.table = target;
      change.column = column;
      change.new_type = type_ref(*type, values_, dialect_);
      if (const Expr* existing = args.get("existing_type"); existing && !values_.is_none(*existing)) {
        change.old_type = type_ref(*existing, values_, dialect_);
      }
      if (const python::Keyword* using_clause = call.keyword("postgresql_using")) {
        change.using_expression = text_of(using_clause->value.get());
      }
      add(statement, std::move(change), args.range_of("type_"));
    }
    if (const Expr* nullable = args.get("nullable")) {
      if (auto value = values_.boolean(*nullable)) {
        if (*value) add(statement, DropNotNull{target, column}, args.range_of("nullable"));
        else add(statement, SetNotNull{target, column}, args.range_of("nullable"));
      }
    }
    if (const Expr* default_value = args.get("server_default")) {
      const Expr& value = values_.follow(*default_value);
      // False is Alembic's "not given" sentinel; None drops the default.
      if (!value.is_constant("False")) {
        add(statement, SetColumnDefault{target, column, server_default(value, values_)}, args.range_of("server_default"));
      }
    }
    if (const Expr* comment = args.get("comment"); comment && !values_.follow(*comment).is_constant("False")) {
      add(statement, OtherStatement{"comment on column " + target.display() + "." + column}, args.range_of("comment"));
    }
    if (const Expr* new_name = args.get("new_column_name"); new_name && !values_.is_none(*new_name)) {
      add(statement, RenameColumn{target, column, column_name_or_source(values_, new_name)},
          args.range_of("new_column_name"));
    }
  } else if (name == "create_index") {
    IndexSpec index;
    index.name = column_name_or_source(values_, args.get("index_name"));
    index.table = table();
    if (const Expr* columns = args.get("columns")) index.columns = values_.names(*columns);
    if (const Expr* unique = args.get("unique")) index.unique = values_.boolean(*unique).value_or(false);
    read_index_options(call, values_, index);
    add(statement, CreateIndex{std::move(index)}, call.range);
  } else if (name == "drop_index") {
    DropIndex drop;
    QualifiedName target = table();
    drop.indexes.push_back(QualifiedName{target.schema, column_name_or_source(values_, args.get("index_name"))});
    drop.table = target;
    drop.concurrently = flag("postgresql_concurrently");
    drop.if_exists = flag("if_exists");
    add(statement, std::move(drop), call.range);
  } else if (name == "create_foreign_key") {
    ConstraintSpec fk;
    fk.kind = ConstraintKind::ForeignKey;
    fk.range = call.range;
    if (const Expr* constraint = args.get("constraint_name"); constraint && !values_.is_none(*constraint)) {
      fk.name = column_name_or_source(values_, constraint);
    }
    fk.referenced_table = table_name(args.get("referent_table"), args.get("referent_schema"));
    if (const Expr* local = args.get("local_cols")) fk.columns = values_.names(*local);
    if (const Expr* remote = args.get("remote_cols")) fk.referenced_columns = values_.names(*remote);
    fk.not_valid = flag("postgresql_not_valid");
    add(statement, AddConstraint{table("source_table", "source_schema"), fk}, call.range);
  } else if (name == "create_unique_constraint" || name == "create_primary_key" || name == "create_check_constraint" ||
             name == "create_exclude_constraint") {
    ConstraintSpec spec;
    spec.range = call.range;
    if (const Expr* constraint = args.get("constraint_name"); constraint && !values_.is_none(*constraint)) {
      spec.name = column_name_or_source(values_, constraint);
    }
    if (name == "create_unique_constraint") {
      spec.kind = ConstraintKind::Unique;
      if (const Expr* columns = args.get("columns")) spec.columns = values_.names(*columns);
    } else if (name == "create_primary_key") {
      spec.kind = ConstraintKind::PrimaryKey;
      if (const Expr* columns = args.get("columns")) spec.columns = values_.names(*columns);
    } else if (name == "create_check_constraint") {
      spec.kind = ConstraintKind::Check;
      spec.expression = text_of(args.get("condition"));
      spec.not_valid = flag("postgresql_not_valid");
    } else {
      spec.kind = ConstraintKind::Exclusion;
      std::size_t first = batch ? 1 : 2;
      for (std::size_t i = first; i < call.items.size(); ++i) {
        spec.expression += (spec.expression.empty() ? "" : ", ") + std::string(values_.source(*call.items[i]));
      }
    }
    add(statement, AddConstraint{table(), spec}, call.range);
  } else if (name == "drop_constraint") {
    DropConstraint drop;
    drop.table = table();
    drop.name = column_name_or_source(values_, args.get("constraint_name"));
    if (const Expr* type = args.get("type_")) {
      if (auto text = values_.string(*type)) drop.kind = constraint_kind_from_alembic(*text);
    }
    drop.if_exists = flag("if_exists");
    add(statement, std::move(drop), call.range);
  } else if (name == "create_table_comment" || name == "drop_table_comment") {
    add(statement, OtherStatement{"comment on table " + table().display()}, call.range);
  } else if (name == "bulk_insert") {
    DataChange insert;
    insert.kind = DataChangeKind::Insert;
    insert.has_where = false;
    if (const Expr* target = args.get("table")) {
      const Expr& value = values_.follow(*target);
      if (value.kind == ExprKind::Call && !value.items.empty()) {
        std::string callee = values_.callee(value);
        std::string symbol = sqlalchemy_symbol(callee);
        if (symbol == "table" || symbol == "Table" || op_directive(callee) == "create_table") {
          const python::Keyword* schema = value.keyword("schema");
          insert.table = table_name(value.items[0].get(), schema ? schema->value.get() : nullptr);
        }
      }
      if (insert.table.name.empty()) insert.table.name = std::string(values_.source(*target));
    }
    add(statement, std::move(insert), call.range);
  }
}

void OpTranslator::execute(const Expr& call, const Expr* argument, const Context& context, const std::string& via) {
  if (!argument) return unchecked(call, context, via + "() without a statement", false);
  const Expr& value = values_.follow(*argument);
  const Expr* literal = nullptr;
  if (value.kind == ExprKind::String) {
    literal = &value;
  } else if (value.kind == ExprKind::Call && !value.items.empty()) {
    std::string symbol = sqlalchemy_symbol(values_.callee(value));
    if (symbol == "text" || symbol == "DDL") {
      const Expr& inner = values_.follow(*value.items[0]);
      if (inner.kind == ExprKind::String) literal = &inner;
    }
  }
  if (literal && literal->is_static) {
    EmbeddedSql sql = parse_embedded_sql(file_, *literal, dialect_, via != "exec_driver_sql");
    std::vector<DialectKeyword> keywords;
    collect_dialect_keywords(call, keywords);
    for (Statement& statement : sql.statements) {
      statement.in_loop = context.in_loop;
      statement.in_batch = context.in_batch;
      statement.in_autocommit_block = context.in_autocommit;
      for (Operation& op : statement.operations) {
        if (auto* change = std::get_if<DataChange>(&op.data)) change->per_row_loop = change->per_row_loop || context.in_loop;
      }
      out_.push_back(std::move(statement));
    }
    for (Suppression& suppression : sql.suppressions) sql_suppressions_.push_back(std::move(suppression));
    if (sql.statements.empty()) {
      Statement& statement = begin_statement(call, context);
      add(statement, OtherStatement{via + "() with an empty statement"}, call.range);
    }
    return;
  }
  if (literal) return unchecked(call, context, via + "() with SQL built at run time (an f-string)", false);

  // SQLAlchemy expression statements: t.update().where(...).values(...), sa.delete(t), sa.insert(t), ...
  if (value.kind == ExprKind::Call) {
    std::optional<DataChangeKind> kind;
    bool has_where = false;
    const Expr* target = nullptr;
    for (const Expr* link = &value; link && link->kind == ExprKind::Call && link->base;) {
      std::string callee = values_.callee(*link);
      std::string symbol = sqlalchemy_symbol(callee);
      std::string method = link->base->kind == ExprKind::Attribute ? link->base->name : "";
      if (method == "where" || method == "filter") has_where = true;
      auto classify = [&](std::string_view word) -> std::optional<DataChangeKind> {
        if (word == "update") return DataChangeKind::Update;
        if (word == "insert") return DataChangeKind::Insert;
        if (word == "delete") return DataChangeKind::Delete;
        return std::nullopt;
      };
      if (auto found = classify(symbol); found && !link->items.empty()) {
        kind = found;
        target = link->items[0].get();
        break;
      }
      if (symbol == "CreateSequence" || symbol == "DropSequence") {
        QualifiedName sequence;
        if (!link->items.empty()) {
          const Expr& sequence_call = values_.follow(*link->items[0]);
          if (sequence_call.kind == ExprKind::Call && !sequence_call.items.empty()) {
            const python::Keyword* schema = sequence_call.keyword("schema");
            sequence = table_name(sequence_call.items[0].get(), schema ? schema->value.get() : nullptr);
          }
        }
        Statement& statement = begin_statement(call, context);
        if (symbol == "CreateSequence") add(statement, CreateSequence{sequence, false}, call.range);
        else add(statement, DropSequence{{sequence}, false}, call.range);
        return;
      }
      if (link->base->kind != ExprKind::Attribute || !link->base->base) break;
      if (auto found = classify(method)) {
        // table.update() / table.insert() / table.delete(): the receiver is the table.
        const Expr& receiver = values_.follow(*link->base->base);
        if (receiver.kind != ExprKind::Call || values_.callee(receiver).empty() ||
            sqlalchemy_symbol(values_.callee(receiver)) == "table" || sqlalchemy_symbol(values_.callee(receiver)) == "Table") {
          kind = found;
          target = link->base->base.get();
          break;
        }
      }
      link = &values_.follow(*link->base->base);
    }
    if (kind) {
      DataChange change;
      change.kind = *kind;
      change.has_where = *kind == DataChangeKind::Insert ? false : has_where;
      if (target) {
        const Expr& table_value = values_.follow(*target);
        if (table_value.kind == ExprKind::Call && !table_value.items.empty()) {
          const python::Keyword* schema = table_value.keyword("schema");
          change.table = table_name(table_value.items[0].get(), schema ? schema->value.get() : nullptr);
        } else {
          change.table.name = std::string(values_.source(*target));
        }
      }
      Statement& statement = begin_statement(call, context);
      add(statement, std::move(change), call.range);
      return;
    }
  }
  unchecked(call, context, via + "() with a statement built at run time", false);
}

}  // namespace migsafe::alembic
