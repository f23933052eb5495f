// Read helpers over libpg_query's JSON parse tree (pg_query_parse), decoded with simdjson's DOM.
//
// The JSON mirrors PostgreSQL's parse-tree structs, with the C field names as keys (`typeName`,
// `raw_expr`, `stmt_len`) and enum values as their C names ("AT_AddColumn", "OBJECT_TABLE"):
// - a field of type Node* (or a List element) is wrapped in its node type: {"ColumnDef": {...}};
//   a NULL list element is {};
// - a field of a fixed struct type (RangeVar* relation, TypeName* typeName, IntoClause* into) is the
//   bare object {...};
// - fields holding their zero value (0, false, NULL, empty list) are left out, so every accessor
//   returns the zero value for an absent field: 0 for `location` and `stmt_location`, "" for a string.
//
// A Node is a cheap handle (it points into the parser's document) and is only valid until the parser
// that produced it parses again.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "linter/model/operation.h"

namespace migsafe::pg {

class NodeList;

class Node {
 public:
  Node() = default;
  // A Node* value: {"Type": {fields}}. Anything else ({} for a NULL, JSON null) is a null Node.
  static Node wrapped(simdjson::dom::element value);
  // A fixed-type struct value: {fields}; its type() is empty.
  static Node plain(simdjson::dom::element value);

  explicit operator bool() const { return valid_; }
  // The node type ("ColumnDef", "A_Const"); empty for plain structs and null nodes.
  std::string_view type() const { return type_; }
  bool is(std::string_view type) const { return valid_ && type_ == type; }

  // A Node* field, unwrapped; a null Node when absent.
  Node node(std::string_view field) const;
  // A field of a fixed struct type (RangeVar*, TypeName*, IntoClause*, RoleSpec*); null when absent.
  Node object(std::string_view field) const;
  // A List* field; empty when absent.
  NodeList list(std::string_view field) const;
  // A char* field, or an enum field's value name; "" when absent.
  std::string_view string(std::string_view field) const;
  std::int64_t integer(std::string_view field) const;
  bool boolean(std::string_view field) const;
  bool has(std::string_view field) const;
  // The `location` field: a byte offset into the parsed text, -1 when unknown (0 is left out).
  std::int32_t location() const { return static_cast<std::int32_t>(integer("location")); }

 private:
  // The field's value, when present.
  bool lookup(std::string_view field, simdjson::dom::element& value) const;

  simdjson::dom::object fields_;
  std::string_view type_;
  bool valid_ = false;
};

// The elements of a List field, each unwrapped as a Node.
class NodeList {
 public:
  NodeList() = default;
  explicit NodeList(simdjson::dom::array items) : items_(items), valid_(true) {}

  class iterator {
   public:
    explicit iterator(simdjson::dom::array::iterator at) : at_(at) {}
    Node operator*() const { return Node::wrapped(*at_); }
    iterator& operator++() {
      ++at_;
      return *this;
    }
    bool operator!=(const iterator& other) const { return at_ != other.at_; }

   private:
    simdjson::dom::array::iterator at_;
  };
  iterator begin() const { return iterator(valid_ ? items_.begin() : simdjson::dom::array::iterator()); }
  iterator end() const { return iterator(valid_ ? items_.end() : simdjson::dom::array::iterator()); }

  std::size_t size() const { return valid_ ? items_.size() : 0; }
  bool empty() const { return size() == 0; }
  // The element at `index` (a linear walk: lists read by index are short); null when out of range.
  Node operator[](std::size_t index) const;
  std::vector<Node> nodes() const;

 private:
  simdjson::dom::array items_;
  bool valid_ = false;
};

// The text of a String node ("" for anything else).
std::string_view string_value(const Node& node);
// String nodes of a list, in order (other nodes are skipped).
std::vector<std::string> string_values(const NodeList& items);
// A name list as the grammar gives it ([catalog.][schema.]name): the last two parts.
QualifiedName name_from_list(const NodeList& items);
// A RangeVar (a plain struct) as a qualified name.
QualifiedName name_from_range_var(const Node& relation);
// A List node of String nodes, a String node, a TypeName or a RangeVar, as a qualified name.
QualifiedName name_from_node(const Node& node);
// An integer constant (A_Const ival or an Integer node).
std::optional<long> integer_value(const Node& node);
// A constant's text: string, number or boolean ("on"/"off"); nullopt for anything else.
std::optional<std::string> constant_text(const Node& node);
// Looks up `defname` in a DefElem list; the DefElem or a null Node.
Node find_option(const NodeList& items, std::string_view defname);
// A boolean DefElem option: present without value or with a true value.
bool option_enabled(const NodeList& items, std::string_view defname);

}  // namespace migsafe::pg
