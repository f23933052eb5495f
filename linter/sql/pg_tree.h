// Read helpers over PostgreSQL's raw parse tree (pg_nodes.h), as libpg_query's parser returns it.
//
// The tree is PostgreSQL's own: statement structs (AlterTableStmt, IndexStmt, ...) whose Node* and
// List* fields hold further nodes; C strings are null when absent, enums are C enums. Pointers into it
// are valid until the parser's memory context is released (postgres_front_end.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "linter/model/operation.h"
#include "linter/sql/pg_nodes.h"

namespace migsafe::pg {

// The node tag of each node struct the translators read, for as<T>() and is<T>().
template <class T>
struct NodeTagOf;
#define MIGSAFE_NODE_TAG(type) \
  template <>                  \
  struct NodeTagOf<::type> {   \
    static constexpr NodeTag value = T_##type; \
  };
MIGSAFE_NODE_TAG(A_ArrayExpr)
MIGSAFE_NODE_TAG(A_Const)
MIGSAFE_NODE_TAG(A_Expr)
MIGSAFE_NODE_TAG(AlterEnumStmt)
MIGSAFE_NODE_TAG(AlterObjectSchemaStmt)
MIGSAFE_NODE_TAG(AlterTableCmd)
MIGSAFE_NODE_TAG(AlterTableStmt)
MIGSAFE_NODE_TAG(BoolExpr)
MIGSAFE_NODE_TAG(BooleanTest)
MIGSAFE_NODE_TAG(CaseExpr)
MIGSAFE_NODE_TAG(CaseWhen)
MIGSAFE_NODE_TAG(ClusterStmt)
MIGSAFE_NODE_TAG(CoalesceExpr)
MIGSAFE_NODE_TAG(CollateClause)
MIGSAFE_NODE_TAG(ColumnDef)
MIGSAFE_NODE_TAG(CompositeTypeStmt)
MIGSAFE_NODE_TAG(Constraint)
MIGSAFE_NODE_TAG(CopyStmt)
MIGSAFE_NODE_TAG(CreateDomainStmt)
MIGSAFE_NODE_TAG(CreateEnumStmt)
MIGSAFE_NODE_TAG(CreateExtensionStmt)
MIGSAFE_NODE_TAG(CreateFunctionStmt)
MIGSAFE_NODE_TAG(CreateRangeStmt)
MIGSAFE_NODE_TAG(CreateSchemaStmt)
MIGSAFE_NODE_TAG(CreateSeqStmt)
MIGSAFE_NODE_TAG(CreateStmt)
MIGSAFE_NODE_TAG(CreateTableAsStmt)
MIGSAFE_NODE_TAG(CreateTrigStmt)
MIGSAFE_NODE_TAG(DefElem)
MIGSAFE_NODE_TAG(DefineStmt)
MIGSAFE_NODE_TAG(DeleteStmt)
MIGSAFE_NODE_TAG(DropStmt)
MIGSAFE_NODE_TAG(DropdbStmt)
MIGSAFE_NODE_TAG(FuncCall)
MIGSAFE_NODE_TAG(IndexElem)
MIGSAFE_NODE_TAG(IndexStmt)
MIGSAFE_NODE_TAG(InsertStmt)
MIGSAFE_NODE_TAG(Integer)
MIGSAFE_NODE_TAG(List)
MIGSAFE_NODE_TAG(MergeStmt)
MIGSAFE_NODE_TAG(MinMaxExpr)
MIGSAFE_NODE_TAG(NullTest)
MIGSAFE_NODE_TAG(ObjectWithArgs)
MIGSAFE_NODE_TAG(PartitionCmd)
MIGSAFE_NODE_TAG(RangeVar)
MIGSAFE_NODE_TAG(RawStmt)
MIGSAFE_NODE_TAG(ReindexStmt)
MIGSAFE_NODE_TAG(RenameStmt)
MIGSAFE_NODE_TAG(ResTarget)
MIGSAFE_NODE_TAG(RowExpr)
MIGSAFE_NODE_TAG(SelectStmt)
MIGSAFE_NODE_TAG(String)
MIGSAFE_NODE_TAG(TransactionStmt)
MIGSAFE_NODE_TAG(TruncateStmt)
MIGSAFE_NODE_TAG(TypeCast)
MIGSAFE_NODE_TAG(TypeName)
MIGSAFE_NODE_TAG(UpdateStmt)
MIGSAFE_NODE_TAG(VacuumRelation)
MIGSAFE_NODE_TAG(VacuumStmt)
MIGSAFE_NODE_TAG(VariableSetStmt)
MIGSAFE_NODE_TAG(ViewStmt)
#undef MIGSAFE_NODE_TAG

// True when `node` is a non-null node of struct type T.
template <class T>
bool is(const void* node) {
  return node != nullptr && nodeTag(node) == NodeTagOf<T>::value;
}

// `node` as a T, or null when it is null or of another type.
template <class T>
const T* as(const void* node) {
  return is<T>(node) ? static_cast<const T*>(node) : nullptr;
}

// The elements of a List (null is the empty list), for range-for: `for (const Node* item : nodes(list))`.
// An element may be null.
class NodeRange {
 public:
  explicit NodeRange(const List* list) : list_(list) {}
  class iterator {
   public:
    explicit iterator(const ListCell* at) : at_(at) {}
    const Node* operator*() const { return static_cast<const Node*>(at_->ptr_value); }
    iterator& operator++() {
      ++at_;
      return *this;
    }
    bool operator!=(const iterator& other) const { return at_ != other.at_; }

   private:
    const ListCell* at_;
  };
  iterator begin() const { return iterator(list_ != nullptr ? list_->elements : nullptr); }
  iterator end() const { return iterator(list_ != nullptr ? list_->elements + list_->length : nullptr); }
  std::size_t size() const { return list_ != nullptr ? static_cast<std::size_t>(list_->length) : 0; }
  bool empty() const { return size() == 0; }
  // The element at `index`; null when out of range.
  const Node* operator[](std::size_t index) const {
    return index < size() ? static_cast<const Node*>(list_->elements[index].ptr_value) : nullptr;
  }

 private:
  const List* list_;
};
inline NodeRange nodes(const List* list) { return NodeRange(list); }

// A C string field: "" when null.
inline std::string_view text(const char* value) { return value != nullptr ? std::string_view(value) : std::string_view(); }

// The text of a String node ("" for anything else).
std::string_view string_value(const Node* node);
// String nodes of a list, in order (other nodes are skipped).
std::vector<std::string> string_values(const List* items);
// The last two String nodes of a name list and how many String nodes it has, without copying: type
// and function names are read this way for every column and call.
struct NameParts {
  std::string_view last;
  std::string_view before_last;  // empty when count < 2
  std::size_t count = 0;
};
NameParts name_parts(const List* items);
// A name list as the grammar gives it ([catalog.][schema.]name): the last two parts.
QualifiedName name_from_list(const List* items);
QualifiedName name_from_range_var(const RangeVar* relation);
// A List node of String nodes, a String node, a TypeName, a RangeVar or an ObjectWithArgs, as a
// qualified name.
QualifiedName name_from_node(const Node* node);
// An integer constant (A_Const holding an integer, or an Integer node).
std::optional<long> integer_value(const Node* node);
// A constant's text: string, number or boolean ("on"/"off"); nullopt for anything else.
std::optional<std::string> constant_text(const Node* node);
// Looks up `defname` in a DefElem list; null when absent.
const DefElem* find_option(const List* items, std::string_view defname);
// A boolean DefElem option: present without value or with a true value.
bool option_enabled(const List* items, std::string_view defname);

}  // namespace migsafe::pg
