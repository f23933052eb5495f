#include "linter/sql/pg_tree.h"

namespace migsafe::pg {

std::string_view string_value(const Node* node) {
  const String* value = as<String>(node);
  return value != nullptr ? text(value->sval) : std::string_view();
}

std::vector<std::string> string_values(const List* items) {
  std::vector<std::string> values;
  values.reserve(nodes(items).size());
  for (const Node* item : nodes(items)) {
    if (is<String>(item)) values.emplace_back(string_value(item));
  }
  return values;
}

NameParts name_parts(const List* items) {
  NameParts parts;
  for (const Node* item : nodes(items)) {
    if (!is<String>(item)) continue;
    parts.before_last = parts.last;
    parts.last = string_value(item);
    ++parts.count;
  }
  return parts;
}

QualifiedName name_from_list(const List* items) {
  NameParts parts = name_parts(items);
  QualifiedName name;
  if (parts.count == 0) return name;
  name.name = parts.last;
  name.schema = parts.before_last;
  return name;
}

QualifiedName name_from_range_var(const RangeVar* relation) {
  QualifiedName name;
  if (relation == nullptr) return name;
  name.schema = text(relation->schemaname);
  name.name = text(relation->relname);
  return name;
}

QualifiedName name_from_node(const Node* node) {
  if (const List* list = as<List>(node)) return name_from_list(list);
  if (is<String>(node)) return QualifiedName{"", std::string(string_value(node))};
  if (const TypeName* type = as<TypeName>(node)) return name_from_list(type->names);
  if (const RangeVar* relation = as<RangeVar>(node)) return name_from_range_var(relation);
  if (const ObjectWithArgs* object = as<ObjectWithArgs>(node)) return name_from_list(object->objname);
  return {};
}

std::optional<long> integer_value(const Node* node) {
  if (const Integer* value = as<Integer>(node)) return value->ival;
  const A_Const* constant = as<A_Const>(node);
  if (constant != nullptr && !constant->isnull && is<Integer>(&constant->val)) return constant->val.ival.ival;
  return std::nullopt;
}

std::optional<std::string> constant_text(const Node* node) {
  if (is<String>(node)) return std::string(string_value(node));
  if (const Integer* value = as<Integer>(node)) return std::to_string(value->ival);
  const A_Const* constant = as<A_Const>(node);
  if (constant == nullptr || constant->isnull) return std::nullopt;
  // A_Const holds one value node: an Integer, Float, String, Boolean or BitString.
  switch (nodeTag(&constant->val)) {
    case T_Integer:
      return std::to_string(constant->val.ival.ival);
    case T_Float:
      return std::string(text(constant->val.fval.fval));
    case T_String:
      return std::string(text(constant->val.sval.sval));
    case T_Boolean:
      return constant->val.boolval.boolval ? "on" : "off";
    case T_BitString:
      return std::string(text(constant->val.bsval.bsval));
    default:
      return std::nullopt;
  }
}

const DefElem* find_option(const List* items, std::string_view defname) {
  for (const Node* item : nodes(items)) {
    const DefElem* option = as<DefElem>(item);
    if (option != nullptr && text(option->defname) == defname) return option;
  }
  return nullptr;
}

bool option_enabled(const List* items, std::string_view defname) {
  const DefElem* option = find_option(items, defname);
  if (option == nullptr) return false;
  if (option->arg == nullptr) return true;
  std::optional<std::string> value = constant_text(option->arg);
  if (!value) return true;
  return *value != "off" && *value != "false" && *value != "0";
}

}  // namespace migsafe::pg
