// Read helpers over libpg_query's unpacked protobuf tree (typed C structs from pg_query.pb-c.h).
#pragma once

#include <pg_query/pg_query.pb-c.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "linter/model/operation.h"

namespace migsafe::pg {

using Node = PgQuery__Node;

// The text of a String node ("" for anything else).
std::string_view string_value(const Node* node);
// String nodes of a list, in order (other nodes are skipped).
std::vector<std::string> string_values(Node* const* items, std::size_t count);
// A name list as the grammar gives it ([catalog.][schema.]name): the last two parts.
QualifiedName name_from_list(Node* const* items, std::size_t count);
QualifiedName name_from_range_var(const PgQuery__RangeVar* relation);
// A List node of String nodes, a String node, a TypeName or a RangeVar, as a qualified name.
QualifiedName name_from_node(const Node* node);
// An integer constant (A_Const ival or an Integer node).
std::optional<long> integer_value(const Node* node);
// A constant's text: string, number or boolean ("on"/"off"); nullopt for anything else.
std::optional<std::string> constant_text(const Node* node);
// Looks up `defname` in a DefElem list; the DefElem or null.
const PgQuery__DefElem* find_option(Node* const* items, std::size_t count, std::string_view defname);
// A boolean DefElem option: present without value or with a true value.
bool option_enabled(Node* const* items, std::size_t count, std::string_view defname);

}  // namespace migsafe::pg
