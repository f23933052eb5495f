// CREATE TABLE (columns, column and table constraints), CREATE TABLE AS / SELECT INTO, and the column and
// constraint specs that ALTER TABLE reuses.
#include <array>

#include "linter/sql/pg_translate.h"
#include "linter/sql/pg_types.h"
#include "linter/sql/pg_volatility.h"

namespace migsafe::pg {

namespace {

// Where one column constraint ends inside a column definition: at the next constraint keyword. The
// exceptions are the places where those words belong to the current constraint (`NOT NULL`, `IS NOT`,
// `ON DELETE SET NULL`, `SET DEFAULT`, `BY DEFAULT`, `NULLS NOT DISTINCT`, `NOT DEFERRABLE`).
bool starts_column_constraint(const StatementContext& context, std::size_t index) {
  std::span<const Token> tokens = context.tokens();
  const Token& token = tokens[index];
  auto previous_is = [&](std::string_view keyword) { return index > 0 && tokens[index - 1].is_keyword(keyword); };
  static constexpr std::array<std::string_view, 7> kAlways{"constraint", "primary", "unique", "references",
                                                          "check",      "collate", "generated"};
  for (std::string_view keyword : kAlways) {
    if (token.is_keyword(keyword)) return true;
  }
  if (token.is_keyword("not")) {
    bool deferrable = index + 1 < tokens.size() && tokens[index + 1].is_keyword("deferrable");
    return !previous_is("is") && !previous_is("nulls") && !deferrable;
  }
  if (token.is_keyword("null")) {
    return !previous_is("not") && !previous_is("is") && !previous_is("set") && !previous_is("default");
  }
  if (token.is_keyword("default")) return !previous_is("set") && !previous_is("by");
  return false;
}

struct ConstraintTokens {
  std::size_t first = 0;  // CONSTRAINT keyword or the kind keyword
  std::size_t kind = 0;   // CHECK / DEFAULT / REFERENCES / PRIMARY / ...
  std::size_t end = 0;    // one past the last token
};

std::optional<ConstraintTokens> constraint_tokens(const StatementContext& context,
                                                  const Node& constraint, bool in_column) {
  std::optional<std::size_t> first = context.token_at_location(constraint.location());
  if (!first) return std::nullopt;
  ConstraintTokens result;
  result.first = *first;
  result.kind = *first;
  std::span<const Token> tokens = context.tokens();
  if (tokens[*first].is_keyword("constraint")) result.kind = std::min(*first + 2, tokens.size());
  if (in_column) {
    result.end = context.item_end(result.kind, [&](std::size_t i) { return starts_column_constraint(context, i); });
  } else {
    result.end = context.item_end(result.kind);
  }
  return result;
}

// The text between the first `(` of a constraint and its matching `)`: CHECK (...), EXCLUDE (...).
std::string parenthesised_text(const StatementContext& context, const ConstraintTokens& tokens) {
  std::size_t open = context.find_open_paren(tokens.kind, tokens.end);
  if (open >= tokens.end) return {};
  std::size_t after = context.after_matching(open);
  return context.span_text(open + 1, after - 1);
}

ConstraintKind constraint_kind(std::string_view type) {
  if (type == "CONSTR_FOREIGN") return ConstraintKind::ForeignKey;
  if (type == "CONSTR_UNIQUE") return ConstraintKind::Unique;
  if (type == "CONSTR_PRIMARY") return ConstraintKind::PrimaryKey;
  if (type == "CONSTR_EXCLUSION") return ConstraintKind::Exclusion;
  if (type == "CONSTR_NOTNULL") return ConstraintKind::NotNull;
  return ConstraintKind::Check;
}

bool is_table_level_kind(std::string_view type) {
  return one_of(type, {"CONSTR_CHECK", "CONSTR_FOREIGN", "CONSTR_UNIQUE", "CONSTR_PRIMARY", "CONSTR_EXCLUSION"});
}

}  // namespace

ConstraintSpec constraint_spec(const StatementContext& context, const Node& constraint, const std::string& column) {
  std::string_view type = constraint.string("contype");
  ConstraintSpec spec;
  spec.kind = constraint_kind(type);
  spec.name = constraint.string("conname");
  spec.not_valid = constraint.boolean("skip_validation");
  spec.using_index = constraint.string("indexname");
  spec.range = context.statement();
  std::optional<ConstraintTokens> tokens = constraint_tokens(context, constraint, !column.empty());
  if (tokens) spec.range = context.span(tokens->first, tokens->end);

  if (type == "CONSTR_FOREIGN") {
    spec.columns = column.empty() ? string_values(constraint.list("fk_attrs")) : std::vector<std::string>{column};
    spec.referenced_table = name_from_range_var(constraint.object("pktable"));
    spec.referenced_columns = string_values(constraint.list("pk_attrs"));
  } else if (type == "CONSTR_UNIQUE" || type == "CONSTR_PRIMARY") {
    spec.columns = column.empty() ? string_values(constraint.list("keys")) : std::vector<std::string>{column};
  } else if (type == "CONSTR_CHECK" || type == "CONSTR_EXCLUSION") {
    if (tokens) spec.expression = parenthesised_text(context, *tokens);
  } else if (type == "CONSTR_NOTNULL") {
    if (!column.empty()) spec.columns = {column};
  }
  return spec;
}

ColumnSpec column_spec(const StatementContext& context, const Node& column) {
  ColumnSpec spec;
  spec.name = column.string("colname");
  spec.type = type_ref(context, column.object("typeName"));
  spec.not_null = column.boolean("is_not_null");
  spec.range = context.statement();
  if (std::optional<std::size_t> first = context.token_at_location(column.location())) {
    spec.range = context.span(*first, context.item_end(*first));
  }
  if (!column.string("identity").empty()) spec.identity = true;
  if (column.string("generated").starts_with('s')) spec.generated = GeneratedKind::Stored;

  for (Node constraint : column.list("constraints")) {
    if (!constraint.is("Constraint")) continue;
    std::string_view type = constraint.string("contype");
    if (type == "CONSTR_NOTNULL") {
      spec.not_null = true;
    } else if (type == "CONSTR_NULL") {
      spec.not_null = false;
    } else if (type == "CONSTR_DEFAULT") {
      Expression value;
      value.volatility = expression_volatility(constraint.node("raw_expr"));
      if (std::optional<ConstraintTokens> tokens = constraint_tokens(context, constraint, true)) {
        value.text = context.span_text(tokens->kind + 1, tokens->end);
      }
      spec.default_value = std::move(value);
    } else if (type == "CONSTR_IDENTITY") {
      // Identity columns are implicitly NOT NULL.
      spec.identity = true;
      spec.not_null = true;
    } else if (type == "CONSTR_GENERATED") {
      spec.generated = GeneratedKind::Stored;
    } else if (type == "CONSTR_PRIMARY") {
      spec.primary_key = true;
      spec.not_null = true;
      spec.constraints.push_back(constraint_spec(context, constraint, spec.name));
    } else if (type == "CONSTR_UNIQUE") {
      spec.unique = true;
      spec.constraints.push_back(constraint_spec(context, constraint, spec.name));
    } else if (one_of(type, {"CONSTR_CHECK", "CONSTR_FOREIGN", "CONSTR_EXCLUSION"})) {
      spec.constraints.push_back(constraint_spec(context, constraint, spec.name));
    }
    // DEFERRABLE / INITIALLY ... attributes modify the previous constraint; nothing to record.
  }
  return spec;
}

// The relation's persistence: "p" permanent, "u" unlogged, "t" temporary.
bool is_temporary(const Node& relation) { return relation.string("relpersistence") == "t"; }

void translate_create_table(const StatementContext& context, const Node& stmt, Operations& out) {
  CreateTable table;
  Node relation = stmt.object("relation");
  table.table = name_from_range_var(relation);
  table.if_not_exists = stmt.boolean("if_not_exists");
  table.temporary = is_temporary(relation);
  table.partition_of = stmt.has("partbound");
  auto add_element = [&](const Node& element) {
    if (element.is("ColumnDef")) {
      table.columns.push_back(column_spec(context, element));
    } else if (element.is("Constraint") && is_table_level_kind(element.string("contype"))) {
      table.constraints.push_back(constraint_spec(context, element, ""));
    }
  };
  for (Node element : stmt.list("tableElts")) add_element(element);
  for (Node element : stmt.list("constraints")) add_element(element);
  emit(out, std::move(table), context.statement());
}

void translate_create_table_as(const StatementContext& context, const Node& stmt, Operations& out) {
  Node relation = stmt.object("into").object("rel");
  QualifiedName name = name_from_range_var(relation);
  if (stmt.string("objtype") == "OBJECT_MATVIEW") {
    CreateObject view;
    view.kind = ObjectKind::MaterializedView;
    view.name = name;
    emit(out, std::move(view), context.statement());
    return;
  }
  CreateTable table;
  table.table = name;
  table.as_select = true;
  table.if_not_exists = stmt.boolean("if_not_exists");
  table.temporary = is_temporary(relation);
  emit(out, std::move(table), context.statement());
}

}  // namespace migsafe::pg
