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

std::optional<ConstraintTokens> constraint_tokens(const StatementContext& context, const Constraint& constraint,
                                                  bool in_column) {
  std::optional<std::size_t> first = context.token_at_location(constraint.location);
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

ConstraintKind constraint_kind(ConstrType type) {
  switch (type) {
    case CONSTR_FOREIGN:
      return ConstraintKind::ForeignKey;
    case CONSTR_UNIQUE:
      return ConstraintKind::Unique;
    case CONSTR_PRIMARY:
      return ConstraintKind::PrimaryKey;
    case CONSTR_EXCLUSION:
      return ConstraintKind::Exclusion;
    case CONSTR_NOTNULL:
      return ConstraintKind::NotNull;
    default:
      return ConstraintKind::Check;
  }
}

bool is_table_level_kind(ConstrType type) {
  return type == CONSTR_CHECK || type == CONSTR_FOREIGN || type == CONSTR_UNIQUE || type == CONSTR_PRIMARY ||
         type == CONSTR_EXCLUSION;
}

}  // namespace

ConstraintSpec constraint_spec(const StatementContext& context, const Constraint& constraint, const std::string& column) {
  ConstrType type = constraint.contype;
  ConstraintSpec spec;
  spec.kind = constraint_kind(type);
  spec.name = text(constraint.conname);
  spec.not_valid = constraint.skip_validation;
  spec.using_index = text(constraint.indexname);
  spec.range = context.statement();
  std::optional<ConstraintTokens> tokens = constraint_tokens(context, constraint, !column.empty());
  if (tokens) spec.range = context.span(tokens->first, tokens->end);

  if (type == CONSTR_FOREIGN) {
    spec.columns = column.empty() ? string_values(constraint.fk_attrs) : std::vector<std::string>{column};
    spec.referenced_table = name_from_range_var(constraint.pktable);
    spec.referenced_columns = string_values(constraint.pk_attrs);
  } else if (type == CONSTR_UNIQUE || type == CONSTR_PRIMARY) {
    spec.columns = column.empty() ? string_values(constraint.keys) : std::vector<std::string>{column};
  } else if (type == CONSTR_CHECK || type == CONSTR_EXCLUSION) {
    if (tokens) spec.expression = parenthesised_text(context, *tokens);
  } else if (type == CONSTR_NOTNULL) {
    if (!column.empty()) spec.columns = {column};
  }
  return spec;
}

ColumnSpec column_spec(const StatementContext& context, const ColumnDef& column) {
  ColumnSpec spec;
  spec.name = text(column.colname);
  spec.type = type_ref(context, column.typeName);
  spec.not_null = column.is_not_null;
  spec.range = context.statement();
  if (std::optional<std::size_t> first = context.token_at_location(column.location)) {
    spec.range = context.span(*first, context.item_end(*first));
  }
  // identity and generated are catalog codes (catalog/pg_attribute.h): '\0' for none, 's' for STORED.
  if (column.identity != '\0') spec.identity = true;
  if (column.generated == 's') spec.generated = GeneratedKind::Stored;

  for (const Node* item : nodes(column.constraints)) {
    const Constraint* constraint = as<Constraint>(item);
    if (constraint == nullptr) continue;
    switch (constraint->contype) {
      case CONSTR_NOTNULL:
        spec.not_null = true;
        break;
      case CONSTR_NULL:
        spec.not_null = false;
        break;
      case CONSTR_DEFAULT: {
        Expression value;
        value.volatility = expression_volatility(constraint->raw_expr);
        if (std::optional<ConstraintTokens> tokens = constraint_tokens(context, *constraint, true)) {
          value.text = context.span_text(tokens->kind + 1, tokens->end);
        }
        spec.default_value = std::move(value);
        break;
      }
      case CONSTR_IDENTITY:
        // Identity columns are implicitly NOT NULL.
        spec.identity = true;
        spec.not_null = true;
        break;
      case CONSTR_GENERATED:
        spec.generated = GeneratedKind::Stored;
        break;
      case CONSTR_PRIMARY:
        spec.primary_key = true;
        spec.not_null = true;
        spec.constraints.push_back(constraint_spec(context, *constraint, spec.name));
        break;
      case CONSTR_UNIQUE:
        spec.unique = true;
        spec.constraints.push_back(constraint_spec(context, *constraint, spec.name));
        break;
      case CONSTR_CHECK:
      case CONSTR_FOREIGN:
      case CONSTR_EXCLUSION:
        spec.constraints.push_back(constraint_spec(context, *constraint, spec.name));
        break;
      default:
        // DEFERRABLE / INITIALLY ... attributes modify the previous constraint; nothing to record.
        break;
    }
  }
  return spec;
}

void translate_create_table(const StatementContext& context, const CreateStmt& stmt, Operations& out) {
  CreateTable table;
  table.table = name_from_range_var(stmt.relation);
  table.if_not_exists = stmt.if_not_exists;
  table.temporary = is_temporary(stmt.relation);
  table.partition_of = stmt.partbound != nullptr;
  auto add_element = [&](const Node* element) {
    if (const ColumnDef* column = as<ColumnDef>(element)) {
      table.columns.push_back(column_spec(context, *column));
    } else if (const Constraint* constraint = as<Constraint>(element);
               constraint != nullptr && is_table_level_kind(constraint->contype)) {
      table.constraints.push_back(constraint_spec(context, *constraint, ""));
    }
  };
  for (const Node* element : nodes(stmt.tableElts)) add_element(element);
  for (const Node* element : nodes(stmt.constraints)) add_element(element);
  emit(out, std::move(table), context.statement());
}

void translate_create_table_as(const StatementContext& context, const CreateTableAsStmt& stmt, Operations& out) {
  const RangeVar* relation = stmt.into != nullptr ? stmt.into->rel : nullptr;
  QualifiedName name = name_from_range_var(relation);
  if (stmt.objtype == OBJECT_MATVIEW) {
    CreateObject view;
    view.kind = ObjectKind::MaterializedView;
    view.name = name;
    emit(out, std::move(view), context.statement());
    return;
  }
  CreateTable table;
  table.table = name;
  table.as_select = true;
  table.if_not_exists = stmt.if_not_exists;
  table.temporary = is_temporary(relation);
  emit(out, std::move(table), context.statement());
}

}  // namespace migsafe::pg
