#include "linter/alembic/sa_constructs.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "linter/util/text.h"

namespace migsafe::alembic {

namespace {

bool starts_with_dialect_prefix(std::string_view name) {
  static constexpr std::array<std::string_view, 7> kPrefixes = {"postgresql_", "mysql_",  "mariadb_", "sqlite_",
                                                                "mssql_",      "oracle_", "postgres_"};
  for (std::string_view prefix : kPrefixes) {
    if (name.size() > prefix.size() && name.starts_with(prefix)) return true;
  }
  return false;
}

// The callee symbol of a type expression: `sa.String(50)` and `sa.String` both give "String".
struct TypeCall {
  std::string symbol;        // SQLAlchemy class name, or the last component of an unknown name
  std::string dialect;       // "postgresql" for postgresql.JSONB
  const Expr* call = nullptr;  // the call when instantiated
};

std::optional<TypeCall> type_call(const Expr& expr, const Values& values) {
  const Expr& value = values.follow(expr);
  const Expr* callee = &value;
  const Expr* call = nullptr;
  if (value.kind == ExprKind::Call && value.base) {
    // `sa.String().with_variant(...)`, `sa.Text().evaluates_none()`: the type is the receiver.
    if (value.base->kind == ExprKind::Attribute && value.base->base &&
        values.follow(*value.base->base).kind == ExprKind::Call) {
      std::string method = value.base->name;
      if (method == "with_variant" || method == "evaluates_none" || method == "copy") {
        return type_call(*value.base->base, values);
      }
    }
    call = &value;
    callee = value.base.get();
  }
  std::string canonical = values.canonical(*callee);
  if (canonical.empty()) return std::nullopt;
  TypeCall result;
  result.symbol = canonical.substr(canonical.rfind('.') + 1);
  result.dialect = std::string(sqlalchemy_dialect(canonical));
  result.call = call;
  return result;
}

const Expr* call_argument(const TypeCall& type, std::size_t index, std::string_view keyword, const Values& values) {
  if (!type.call) return nullptr;
  return type.call->argument(index, keyword);
}

std::optional<long> int_argument(const TypeCall& type, std::size_t index, std::string_view keyword,
                                 const Values& values) {
  const Expr* arg = call_argument(type, index, keyword, values);
  return arg ? values.integer(*arg) : std::nullopt;
}

bool timezone_flag(const TypeCall& type, const Values& values) {
  const Expr* arg = call_argument(type, 0, "timezone", values);
  return arg && values.boolean(*arg).value_or(false);
}

std::string render(const TypeRef& type) {
  std::string text = type.name;
  if (!type.modifiers.empty()) {
    text += "(";
    for (std::size_t i = 0; i < type.modifiers.size(); ++i) {
      text += (i ? "," : "") + std::to_string(type.modifiers[i]);
    }
    text += ")";
  }
  if (type.is_array) text += "[]";
  return text;
}

const Keyword* find_keyword(const Expr& call, std::string_view name) { return call.keyword(name); }

}  // namespace

std::optional<EnumTypeUse> enum_use(const Expr& expr, const Values& values) {
  auto type = type_call(expr, values);
  if (!type || (type->symbol != "Enum" && type->symbol != "ENUM") || !type->call) return std::nullopt;
  const Expr& call = *type->call;
  EnumTypeUse use;
  use.range = call.range;
  for (const ExprPtr& item : call.items) {
    if (item->kind == ExprKind::Starred) {
      for (const Expr* element : values.elements(*item->base)) {
        if (auto text = values.string(*element)) use.values.push_back(*text);
      }
    } else if (auto text = values.string(*item)) {
      use.values.push_back(*text);
    }
  }
  if (const Keyword* name = find_keyword(call, "name")) {
    if (auto text = values.string(*name->value)) use.type.name = *text;
  }
  if (const Keyword* schema = find_keyword(call, "schema")) {
    if (auto text = values.string(*schema->value)) use.type.schema = *text;
  }
  if (const Keyword* native = find_keyword(call, "native_enum")) {
    use.native = values.boolean(*native->value).value_or(true);
  }
  if (const Keyword* create = find_keyword(call, "create_type")) {
    use.create_type = values.boolean(*create->value).value_or(true);
  }
  return use;
}

TypeRef type_ref(const Expr& expr, const Values& values, Dialect dialect) {
  TypeRef type;
  auto call = type_call(expr, values);
  if (!call) return type;
  const std::string& s = call->symbol;
  bool mysql = is_mysql_family(dialect);
  auto length_modifier = [&](std::size_t index, std::string_view keyword) {
    if (auto length = int_argument(*call, index, keyword, values)) type.modifiers.push_back(*length);
  };

  if (s == "ARRAY" || s == "Array") {
    const Expr* item = call_argument(*call, 0, "item_type", values);
    if (item) type = type_ref(*item, values, dialect);
    type.is_array = true;
    type.written = render(type);
    return type;
  }
  if (s == "Integer" || s == "INTEGER" || s == "INT") {
    type.name = "int4";
  } else if (s == "BigInteger" || s == "BIGINT") {
    type.name = "int8";
  } else if (s == "SmallInteger" || s == "SMALLINT") {
    type.name = "int2";
  } else if (s == "TINYINT" || s == "MEDIUMINT" || s == "YEAR" || s == "SET" || s == "TINYTEXT" ||
             s == "MEDIUMTEXT" || s == "LONGTEXT" || s == "TINYBLOB" || s == "MEDIUMBLOB" || s == "LONGBLOB") {
    type.name = ascii_lowered(s);
    if (s == "TINYINT" || s == "MEDIUMINT") length_modifier(0, "display_width");
  } else if (s == "Boolean" || s == "BOOLEAN") {
    type.name = "bool";
  } else if (s == "String" || s == "VARCHAR" || s == "Unicode" || s == "NVARCHAR" || s == "AutoString") {
    type.name = "varchar";
    length_modifier(0, "length");
  } else if (s == "CHAR" || s == "NCHAR") {
    type.name = "bpchar";
    length_modifier(0, "length");
  } else if (s == "Text" || s == "TEXT" || s == "UnicodeText" || s == "CLOB") {
    type.name = "text";
  } else if (s == "DateTime" || s == "DATETIME" || s == "TIMESTAMP") {
    bool tz = timezone_flag(*call, values);
    if (mysql) {
      type.name = s == "TIMESTAMP" ? "timestamp" : "datetime";
      length_modifier(9, "fsp");
    } else {
      type.name = tz ? "timestamptz" : "timestamp";
      length_modifier(9, "precision");
    }
  } else if (s == "Date" || s == "DATE") {
    type.name = "date";
  } else if (s == "Time" || s == "TIME") {
    type.name = timezone_flag(*call, values) && !mysql ? "timetz" : "time";
  } else if (s == "Interval" || s == "INTERVAL") {
    type.name = "interval";
  } else if (s == "Numeric" || s == "NUMERIC" || s == "DECIMAL") {
    type.name = mysql ? "decimal" : "numeric";
    length_modifier(0, "precision");
    if (!type.modifiers.empty()) length_modifier(1, "scale");
  } else if (s == "Float" || s == "FLOAT") {
    auto precision = int_argument(*call, 0, "precision", values);
    type.name = precision && *precision <= 24 ? "float4" : "float8";
  } else if (s == "REAL") {
    type.name = "float4";
  } else if (s == "Double" || s == "DOUBLE" || s == "DOUBLE_PRECISION") {
    type.name = "float8";
  } else if (s == "LargeBinary" || s == "BYTEA" || s == "BLOB" || s == "PickleType" || s == "_Binary") {
    type.name = mysql ? "blob" : "bytea";
  } else if (s == "BINARY" || s == "VARBINARY") {
    type.name = mysql ? ascii_lowered(s) : "bytea";
    length_modifier(0, "length");
  } else if (s == "JSON") {
    type.name = "json";
  } else if (s == "JSONB") {
    type.name = "jsonb";
  } else if (s == "UUID" || s == "Uuid" || s == "UUIDType" || s == "GUID") {
    type.name = "uuid";
  } else if (s == "Enum" || s == "ENUM") {
    auto use = enum_use(expr, values);
    bool native = !use || use->native;
    if (mysql || !native) {
      type.name = native ? "enum" : "varchar";
    } else {
      type.name = use && !use->type.name.empty() ? use->type.name : "enum";
    }
    if (use) type.enum_values = use->values;
  } else {
    // Dialect types named like the database type (INET, CIDR, TSVECTOR, MONEY, HSTORE, CITEXT, BIT, ...).
    type.name = ascii_lowered(s);
  }
  type.written = render(type);
  return type;
}

Volatility sql_volatility(std::string_view sql) {
  std::string text = ascii_lowered(sql);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  std::size_t start = text.find_first_not_of(" \t\r\n(");
  if (start == std::string::npos) return Volatility::Unknown;
  text = text.substr(start);
  while (!text.empty() && text.back() == ')' &&
         std::count(text.begin(), text.end(), '(') < std::count(text.begin(), text.end(), ')')) {
    text.pop_back();
  }
  if (text == "null") return Volatility::Null;
  static constexpr std::array<std::string_view, 11> kVolatile = {
      "random(", "gen_random_uuid(", "uuid_generate_v", "clock_timestamp(", "nextval(", "timeofday(",
      "uuid(",   "newid(",           "rand(",           "sys_guid(",        "uuid_short("};
  for (std::string_view name : kVolatile) {
    if (text.find(name) != std::string::npos) return Volatility::Volatile;
  }
  static constexpr std::array<std::string_view, 10> kStable = {
      "now(",       "current_timestamp", "current_date", "current_time",  "localtimestamp",
      "localtime", "transaction_timestamp(", "statement_timestamp(", "current_user", "session_user"};
  for (std::string_view name : kStable) {
    if (text.find(name) != std::string::npos) return Volatility::Stable;
  }
  // Literals and casts of literals ('{}'::jsonb, 0, 'active', true) are constants; any other function
  // call is unknown.
  bool has_call = false;
  bool in_quote = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\'') in_quote = !in_quote;
    if (!in_quote && text[i] == '(' && i > 0 && (std::isalnum(static_cast<unsigned char>(text[i - 1])) || text[i - 1] == '_')) {
      has_call = true;
    }
  }
  return has_call ? Volatility::Unknown : Volatility::Constant;
}

std::optional<Expression> server_default(const Expr& expr, const Values& values) {
  const Expr& value = values.follow(expr);
  if (value.is_constant("None") || value.is_constant("False")) return std::nullopt;
  if (value.kind == ExprKind::String) {
    if (!value.is_static) return Expression{std::string(values.source(value)), Volatility::Unknown};
    // SQLAlchemy renders a plain string as a quoted literal.
    std::string quoted = "'";
    for (char c : value.value) quoted += c == '\'' ? std::string("''") : std::string(1, c);
    return Expression{quoted + "'", Volatility::Constant};
  }
  if (value.kind == ExprKind::Number) return Expression{value.name, Volatility::Constant};
  if (value.kind == ExprKind::Call) {
    std::string callee = values.callee(value);
    std::string symbol = sqlalchemy_symbol(callee);
    if ((symbol == "text" || symbol == "literal_column" || symbol == "DefaultClause") && !value.items.empty()) {
      if (auto sql = values.string(*value.items[0])) return Expression{*sql, sql_volatility(*sql)};
      if (symbol == "DefaultClause") return server_default(*value.items[0], values);
      return Expression{std::string(values.source(value)), Volatility::Unknown};
    }
    if (symbol == "null") return Expression{"NULL", Volatility::Null};
    if (symbol == "true" || symbol == "false") return Expression{std::string(symbol), Volatility::Constant};
    // sa.func.now(), func.gen_random_uuid(): `func.<name>(...)` renders as `<name>(...)`.
    std::string_view name = callee;
    std::size_t func_at = name.find(".func.");
    if (func_at != std::string_view::npos || name.starts_with("func.")) {
      std::string function = std::string(name.substr(name.rfind('.') + 1));
      std::string sql = function + "()";
      if (ascii_lowered(function) == "current_timestamp" || ascii_lowered(function) == "current_date") sql = function;
      return Expression{sql, sql_volatility(sql)};
    }
  }
  return Expression{std::string(values.source(value)), Volatility::Unknown};
}

namespace {

ConstraintSpec foreign_key_item(const Expr& call, const Values& values, const std::string& column) {
  // sa.ForeignKey("schema.table.column", ondelete=...)
  ConstraintSpec fk;
  fk.kind = ConstraintKind::ForeignKey;
  fk.range = call.range;
  if (!column.empty()) fk.columns.push_back(column);
  if (const Expr* target = call.argument(0, "column")) {
    if (auto text = values.string(*target)) {
      std::string reference = *text;
      std::size_t dot = reference.rfind('.');
      if (dot != std::string::npos) {
        std::string table = reference.substr(0, dot);
        fk.referenced_columns.push_back(reference.substr(dot + 1));
        std::size_t schema_dot = table.rfind('.');
        if (schema_dot != std::string::npos) {
          fk.referenced_table = QualifiedName{table.substr(0, schema_dot), table.substr(schema_dot + 1)};
        } else {
          fk.referenced_table.name = table;
        }
      }
    } else {
      // sa.ForeignKey(other_table.c.id)
      const Expr& target_value = values.follow(*target);
      if (target_value.kind == ExprKind::Attribute) {
        fk.referenced_columns.push_back(target_value.name);
      }
    }
  }
  if (const Keyword* name = call.keyword("name")) {
    if (auto text = values.string(*name->value)) fk.name = *text;
  }
  return fk;
}

}  // namespace

std::optional<ColumnDefinition> column_definition(const Expr& expr, const Values& values, Dialect dialect) {
  const Expr& call = values.follow(expr);
  if (call.kind != ExprKind::Call) return std::nullopt;
  std::string symbol = sqlalchemy_symbol(values.callee(call));
  if (symbol != "Column" && symbol != "mapped_column") return std::nullopt;

  ColumnDefinition column;
  column.spec.range = call.range;
  // Column(name, type, *items) where name and type are both optional positionally.
  std::size_t position = 0;
  if (position < call.items.size()) {
    if (auto name = values.string(*call.items[position])) {
      column.spec.name = *name;
      ++position;
    }
  }
  if (const Keyword* name = call.keyword("name")) {
    if (auto text = values.string(*name->value)) column.spec.name = *text;
  }
  bool nullable_given = false;
  bool nullable = true;
  for (; position < call.items.size(); ++position) {
    const Expr& item = values.follow(*call.items[position]);
    std::string callee = item.kind == ExprKind::Call ? values.callee(item) : values.canonical(item);
    std::string item_symbol = sqlalchemy_symbol(callee);
    if (item_symbol == "ForeignKey") {
      column.foreign_keys.push_back(foreign_key_item(item, values, column.spec.name));
    } else if (item_symbol == "CheckConstraint") {
      ConstraintSpec check;
      check.kind = ConstraintKind::Check;
      check.range = item.range;
      if (const Expr* sql = item.argument(0, "sqltext")) {
        auto text = values.string(*sql);
        check.expression = text ? *text : std::string(values.source(*sql));
      }
      column.checks.push_back(check);
    } else if (item_symbol == "Identity") {
      column.spec.identity = true;
    } else if (item_symbol == "Computed") {
      bool persisted = false;
      if (const Expr* flag = item.argument(1, "persisted")) persisted = values.boolean(*flag).value_or(false);
      // PostgreSQL only has STORED generated columns; SQLAlchemy renders STORED there.
      column.spec.generated =
          (persisted || dialect == Dialect::PostgreSQL) ? GeneratedKind::Stored : GeneratedKind::Virtual;
    } else if (item_symbol == "Sequence") {
      column.spec.auto_increment = dialect != Dialect::PostgreSQL;
      column.spec.default_value = Expression{"nextval(...)", Volatility::Volatile};
    } else if (item_symbol == "DefaultClause" || item_symbol == "FetchedValue") {
      if (!item.items.empty()) column.spec.default_value = server_default(*item.items[0], values);
    } else if (!column.spec.type.known()) {
      TypeRef type = type_ref(item, values, dialect);
      if (type.known()) {
        column.spec.type = type;
        column.enum_type = enum_use(item, values);
      }
    }
  }
  if (const Keyword* type = call.keyword("type_")) {
    column.spec.type = type_ref(*type->value, values, dialect);
    column.enum_type = enum_use(*type->value, values);
  }
  for (const Keyword& keyword : call.keywords) {
    const Expr& value = *keyword.value;
    if (keyword.name == "nullable") {
      if (auto flag = values.boolean(value)) {
        nullable_given = true;
        nullable = *flag;
      }
    } else if (keyword.name == "primary_key") {
      column.spec.primary_key = values.boolean(value).value_or(false);
    } else if (keyword.name == "unique") {
      column.unique = values.boolean(value).value_or(false);
    } else if (keyword.name == "index") {
      column.index = values.boolean(value).value_or(false);
    } else if (keyword.name == "autoincrement") {
      if (auto flag = values.boolean(value)) column.autoincrement = *flag;
    } else if (keyword.name == "server_default") {
      const Expr& default_value = values.follow(value);
      std::string default_symbol =
          default_value.kind == ExprKind::Call ? sqlalchemy_symbol(values.callee(default_value)) : "";
      if (default_symbol == "Identity") {
        column.spec.identity = true;
      } else if (default_symbol == "Computed") {
        column.spec.generated = GeneratedKind::Stored;
      } else {
        column.spec.default_value = server_default(value, values);
      }
    }
  }
  // A primary key is NOT NULL whatever `nullable` says; otherwise nullable defaults to True.
  column.spec.not_null = column.spec.primary_key || (nullable_given && !nullable);
  if (column.spec.identity) column.spec.not_null = true;
  return column;
}

void apply_implicit_autoincrement(ColumnDefinition& column, Dialect dialect) {
  const std::string& name = column.spec.type.name;
  bool integer = name == "int4" || name == "int8" || name == "int2";
  if (!integer || column.spec.identity || column.spec.default_value || column.autoincrement == false) return;
  if (dialect == Dialect::PostgreSQL) {
    column.spec.type.name = name == "int8" ? "serial8" : name == "int2" ? "serial2" : "serial4";
    column.spec.type.written = name == "int8" ? "bigserial" : name == "int2" ? "smallserial" : "serial";
  } else if (is_mysql_family(dialect)) {
    column.spec.auto_increment = true;
  }
}

std::optional<ConstraintSpec> table_constraint(const Expr& expr, const Values& values) {
  const Expr& call = values.follow(expr);
  if (call.kind != ExprKind::Call) return std::nullopt;
  std::string symbol = sqlalchemy_symbol(values.callee(call));
  ConstraintSpec spec;
  spec.range = call.range;
  auto string_items = [&](std::size_t from) {
    std::vector<std::string> names;
    for (std::size_t i = from; i < call.items.size(); ++i) {
      const Expr& item = *call.items[i];
      if (item.kind == ExprKind::Starred && item.base) {
        for (const std::string& name : values.names(*item.base)) names.push_back(name);
      } else if (auto text = values.string(item)) {
        names.push_back(*text);
      } else {
        names.push_back(std::string(values.source(item)));
      }
    }
    return names;
  };
  if (symbol == "PrimaryKeyConstraint") {
    spec.kind = ConstraintKind::PrimaryKey;
    spec.columns = string_items(0);
  } else if (symbol == "UniqueConstraint") {
    spec.kind = ConstraintKind::Unique;
    spec.columns = string_items(0);
  } else if (symbol == "CheckConstraint") {
    spec.kind = ConstraintKind::Check;
    if (const Expr* sql = call.argument(0, "sqltext")) {
      auto text = values.string(*sql);
      spec.expression = text ? *text : std::string(values.source(*sql));
    }
  } else if (symbol == "ForeignKeyConstraint") {
    spec.kind = ConstraintKind::ForeignKey;
    if (const Expr* columns = call.argument(0, "columns")) spec.columns = values.names(*columns);
    if (const Expr* targets = call.argument(1, "refcolumns")) {
      for (const std::string& target : values.names(*targets)) {
        std::size_t dot = target.rfind('.');
        if (dot == std::string::npos) {
          spec.referenced_columns.push_back(target);
          continue;
        }
        spec.referenced_columns.push_back(target.substr(dot + 1));
        std::string table = target.substr(0, dot);
        std::size_t schema_dot = table.rfind('.');
        spec.referenced_table = schema_dot == std::string::npos
                                    ? QualifiedName{"", table}
                                    : QualifiedName{table.substr(0, schema_dot), table.substr(schema_dot + 1)};
      }
    }
  } else {
    return std::nullopt;
  }
  if (const Keyword* name = call.keyword("name")) {
    if (auto text = values.string(*name->value)) spec.name = *text;
  }
  return spec;
}

void read_index_options(const Expr& call, const Values& values, IndexSpec& index) {
  for (const Keyword& keyword : call.keywords) {
    const Expr& value = *keyword.value;
    if (keyword.name == "unique") {
      index.unique = values.boolean(value).value_or(false);
    } else if (keyword.name == "postgresql_concurrently") {
      index.concurrently = values.boolean(value).value_or(false);
    } else if (keyword.name == "if_not_exists") {
      index.if_not_exists = values.boolean(value).value_or(false);
    } else if (keyword.name == "postgresql_using") {
      if (auto text = values.string(value)) index.method = ascii_lowered(*text);
    } else if (keyword.name == "postgresql_where" || keyword.name == "sqlite_where") {
      const Expr& where = values.follow(value);
      std::optional<std::string> text = values.string(where);
      if (!text && where.kind == ExprKind::Call && !where.items.empty() &&
          sqlalchemy_symbol(values.callee(where)) == "text") {
        text = values.string(*where.items[0]);
      }
      index.where = text ? *text : std::string(values.source(where));
    } else if (keyword.name == "mysql_prefix" || keyword.name == "mariadb_prefix") {
      if (auto text = values.string(value)) {
        std::string kind = *text;
        for (char& c : kind) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        index.mysql_kind = kind;
      }
    }
  }
}

std::optional<IndexSpec> index_item(const Expr& expr, const Values& values, const QualifiedName& table) {
  const Expr& call = values.follow(expr);
  if (call.kind != ExprKind::Call || sqlalchemy_symbol(values.callee(call)) != "Index") return std::nullopt;
  IndexSpec index;
  index.table = table;
  if (const Expr* name = call.argument(0, "name")) {
    if (auto text = values.string(*name)) index.name = *text;
  }
  for (std::size_t i = 1; i < call.items.size(); ++i) {
    const Expr& item = *call.items[i];
    if (item.kind == ExprKind::Starred && item.base) {
      for (const std::string& name : values.names(*item.base)) index.columns.push_back(name);
    } else {
      for (const std::string& name : values.names(item)) index.columns.push_back(name);
    }
  }
  read_index_options(call, values, index);
  return index;
}

void collect_dialect_keywords(const Expr& expr, std::vector<DialectKeyword>& out) {
  for (const Keyword& keyword : expr.keywords) {
    if (starts_with_dialect_prefix(keyword.name)) out.push_back(DialectKeyword{keyword.name, keyword.range});
    if (keyword.value) collect_dialect_keywords(*keyword.value, out);
  }
  if (expr.base) collect_dialect_keywords(*expr.base, out);
  for (const ExprPtr& item : expr.items) {
    if (item) collect_dialect_keywords(*item, out);
  }
}

std::optional<ConstraintKind> constraint_kind_from_alembic(std::string_view type) {
  if (type == "foreignkey") return ConstraintKind::ForeignKey;
  if (type == "unique") return ConstraintKind::Unique;
  if (type == "check") return ConstraintKind::Check;
  if (type == "primary") return ConstraintKind::PrimaryKey;
  return std::nullopt;
}

}  // namespace migsafe::alembic
