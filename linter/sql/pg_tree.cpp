#include "linter/sql/pg_tree.h"

namespace migsafe::pg {

std::string_view string_value(const Node* node) {
  if (node == nullptr || node->node_case != PG_QUERY__NODE__NODE_STRING || node->string == nullptr ||
      node->string->sval == nullptr) {
    return {};
  }
  return node->string->sval;
}

std::vector<std::string> string_values(Node* const* items, std::size_t count) {
  std::vector<std::string> values;
  for (std::size_t i = 0; i < count; ++i) {
    if (items[i] != nullptr && items[i]->node_case == PG_QUERY__NODE__NODE_STRING) {
      values.emplace_back(string_value(items[i]));
    }
  }
  return values;
}

QualifiedName name_from_list(Node* const* items, std::size_t count) {
  std::vector<std::string> parts = string_values(items, count);
  QualifiedName name;
  if (parts.empty()) return name;
  name.name = parts.back();
  if (parts.size() >= 2) name.schema = parts[parts.size() - 2];
  return name;
}

QualifiedName name_from_range_var(const PgQuery__RangeVar* relation) {
  QualifiedName name;
  if (relation == nullptr) return name;
  if (relation->schemaname != nullptr) name.schema = relation->schemaname;
  if (relation->relname != nullptr) name.name = relation->relname;
  return name;
}

QualifiedName name_from_node(const Node* node) {
  if (node == nullptr) return {};
  switch (node->node_case) {
    case PG_QUERY__NODE__NODE_LIST:
      return name_from_list(node->list->items, node->list->n_items);
    case PG_QUERY__NODE__NODE_STRING:
      return QualifiedName{"", std::string(string_value(node))};
    case PG_QUERY__NODE__NODE_TYPE_NAME:
      return name_from_list(node->type_name->names, node->type_name->n_names);
    case PG_QUERY__NODE__NODE_RANGE_VAR:
      return name_from_range_var(node->range_var);
    case PG_QUERY__NODE__NODE_OBJECT_WITH_ARGS:
      return name_from_list(node->object_with_args->objname, node->object_with_args->n_objname);
    default:
      return {};
  }
}

std::optional<long> integer_value(const Node* node) {
  if (node == nullptr) return std::nullopt;
  if (node->node_case == PG_QUERY__NODE__NODE_INTEGER && node->integer != nullptr) return node->integer->ival;
  if (node->node_case == PG_QUERY__NODE__NODE_A_CONST && node->a_const != nullptr &&
      node->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL && node->a_const->ival != nullptr) {
    return node->a_const->ival->ival;
  }
  return std::nullopt;
}

std::optional<std::string> constant_text(const Node* node) {
  if (node == nullptr) return std::nullopt;
  const PgQuery__AConst* constant = nullptr;
  if (node->node_case == PG_QUERY__NODE__NODE_A_CONST) constant = node->a_const;
  if (node->node_case == PG_QUERY__NODE__NODE_STRING) return std::string(string_value(node));
  if (node->node_case == PG_QUERY__NODE__NODE_INTEGER && node->integer != nullptr) {
    return std::to_string(node->integer->ival);
  }
  if (constant == nullptr || constant->isnull) return std::nullopt;
  switch (constant->val_case) {
    case PG_QUERY__A__CONST__VAL_IVAL:
      return constant->ival != nullptr ? std::to_string(constant->ival->ival) : std::string("0");
    case PG_QUERY__A__CONST__VAL_FVAL:
      return constant->fval != nullptr && constant->fval->fval != nullptr ? constant->fval->fval : "";
    case PG_QUERY__A__CONST__VAL_SVAL:
      return constant->sval != nullptr && constant->sval->sval != nullptr ? constant->sval->sval : "";
    case PG_QUERY__A__CONST__VAL_BOOLVAL:
      return constant->boolval != nullptr && constant->boolval->boolval ? "on" : "off";
    case PG_QUERY__A__CONST__VAL_BSVAL:
      return constant->bsval != nullptr && constant->bsval->bsval != nullptr ? constant->bsval->bsval : "";
    default:
      return std::nullopt;
  }
}

const PgQuery__DefElem* find_option(Node* const* items, std::size_t count, std::string_view defname) {
  for (std::size_t i = 0; i < count; ++i) {
    if (items[i] == nullptr || items[i]->node_case != PG_QUERY__NODE__NODE_DEF_ELEM) continue;
    const PgQuery__DefElem* option = items[i]->def_elem;
    if (option != nullptr && option->defname != nullptr && defname == option->defname) return option;
  }
  return nullptr;
}

bool option_enabled(Node* const* items, std::size_t count, std::string_view defname) {
  const PgQuery__DefElem* option = find_option(items, count, defname);
  if (option == nullptr) return false;
  if (option->arg == nullptr) return true;
  std::optional<std::string> text = constant_text(option->arg);
  if (!text) return true;
  return *text != "off" && *text != "false" && *text != "0";
}

}  // namespace migsafe::pg
