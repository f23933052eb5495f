#include "linter/sql/pg_tree.h"

namespace migsafe::pg {

Node Node::wrapped(simdjson::dom::element value) {
  simdjson::dom::object wrapper;
  if (value.get(wrapper) != simdjson::SUCCESS) return {};
  auto first = wrapper.begin();
  if (!(first != wrapper.end())) return {};  // {}: a NULL list element
  Node node;
  if (first.value().get(node.fields_) != simdjson::SUCCESS) return {};
  node.type_ = first.key();
  node.valid_ = true;
  return node;
}

Node Node::plain(simdjson::dom::element value) {
  Node node;
  if (value.get(node.fields_) != simdjson::SUCCESS) return {};
  node.valid_ = true;
  return node;
}

bool Node::lookup(std::string_view field, simdjson::dom::element& value) const {
  return valid_ && fields_.at_key(field).get(value) == simdjson::SUCCESS;
}

bool Node::has(std::string_view field) const {
  simdjson::dom::element value;
  return lookup(field, value) && !value.is_null();
}

Node Node::node(std::string_view field) const {
  simdjson::dom::element value;
  return lookup(field, value) ? wrapped(value) : Node{};
}

Node Node::object(std::string_view field) const {
  simdjson::dom::element value;
  return lookup(field, value) ? plain(value) : Node{};
}

NodeList Node::list(std::string_view field) const {
  simdjson::dom::element value;
  simdjson::dom::array items;
  if (!lookup(field, value) || value.get(items) != simdjson::SUCCESS) return {};
  return NodeList(items);
}

std::string_view Node::string(std::string_view field) const {
  simdjson::dom::element value;
  std::string_view text;
  if (!lookup(field, value) || value.get(text) != simdjson::SUCCESS) return {};
  return text;
}

std::int64_t Node::integer(std::string_view field) const {
  simdjson::dom::element value;
  std::int64_t number = 0;
  if (!lookup(field, value) || value.get(number) != simdjson::SUCCESS) return 0;
  return number;
}

bool Node::boolean(std::string_view field) const {
  simdjson::dom::element value;
  bool flag = false;
  if (!lookup(field, value) || value.get(flag) != simdjson::SUCCESS) return false;
  return flag;
}

Node NodeList::operator[](std::size_t index) const {
  std::size_t i = 0;
  for (Node node : *this) {
    if (i++ == index) return node;
  }
  return {};
}

std::vector<Node> NodeList::nodes() const {
  std::vector<Node> all;
  all.reserve(size());
  for (Node node : *this) all.push_back(node);
  return all;
}

std::string_view string_value(const Node& node) { return node.is("String") ? node.string("sval") : std::string_view(); }

std::vector<std::string> string_values(const NodeList& items) {
  std::vector<std::string> values;
  for (Node item : items) {
    if (item.is("String")) values.emplace_back(string_value(item));
  }
  return values;
}

QualifiedName name_from_list(const NodeList& items) {
  // The last two String nodes, without collecting the whole list.
  std::string_view last, before_last;
  bool any = false;
  for (Node item : items) {
    if (!item.is("String")) continue;
    before_last = last;
    last = string_value(item);
    any = true;
  }
  QualifiedName name;
  if (!any) return name;
  name.name = last;
  name.schema = before_last;
  return name;
}

QualifiedName name_from_range_var(const Node& relation) {
  QualifiedName name;
  if (!relation) return name;
  name.schema = relation.string("schemaname");
  name.name = relation.string("relname");
  return name;
}

QualifiedName name_from_node(const Node& node) {
  std::string_view type = node.type();
  if (type == "List") return name_from_list(node.list("items"));
  if (type == "String") return QualifiedName{"", std::string(string_value(node))};
  if (type == "TypeName") return name_from_list(node.list("names"));
  if (type == "RangeVar") return name_from_range_var(node);
  if (type == "ObjectWithArgs") return name_from_list(node.list("objname"));
  return {};
}

std::optional<long> integer_value(const Node& node) {
  if (node.is("Integer")) return node.integer("ival");
  if (node.is("A_Const") && node.has("ival")) return node.object("ival").integer("ival");
  return std::nullopt;
}

std::optional<std::string> constant_text(const Node& node) {
  if (node.is("String")) return std::string(string_value(node));
  if (node.is("Integer")) return std::to_string(node.integer("ival"));
  if (!node.is("A_Const") || node.boolean("isnull")) return std::nullopt;
  // A_Const holds one of ival / fval / sval / boolval / bsval, each an object that leaves out a zero value.
  if (node.has("ival")) return std::to_string(node.object("ival").integer("ival"));
  if (node.has("fval")) return std::string(node.object("fval").string("fval"));
  if (node.has("sval")) return std::string(node.object("sval").string("sval"));
  if (node.has("boolval")) return node.object("boolval").boolean("boolval") ? "on" : "off";
  if (node.has("bsval")) return std::string(node.object("bsval").string("bsval"));
  return std::nullopt;
}

Node find_option(const NodeList& items, std::string_view defname) {
  for (Node item : items) {
    if (item.is("DefElem") && item.string("defname") == defname) return item;
  }
  return {};
}

bool option_enabled(const NodeList& items, std::string_view defname) {
  Node option = find_option(items, defname);
  if (!option) return false;
  Node argument = option.node("arg");
  if (!argument) return true;
  std::optional<std::string> text = constant_text(argument);
  if (!text) return true;
  return *text != "off" && *text != "false" && *text != "0";
}

}  // namespace migsafe::pg
