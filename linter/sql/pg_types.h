// PostgreSQL type names -> canonical TypeRef (operation.h): aliases folded the way the server folds them
// (integer -> int4, character varying -> varchar, timestamp with time zone -> timestamptz), serial
// pseudo-types kept as serial2/serial4/serial8 because rules care that they imply a sequence.
#pragma once

#include <string>
#include <string_view>

#include "linter/model/operation.h"
#include "linter/sql/pg_tree.h"
#include "linter/sql/statement_context.h"

namespace migsafe::pg {

// The canonical name for a type name as written or as the grammar produced it ("integer" -> "int4").
std::string canonical_type_name(std::string_view name);
// `type`: a TypeName, or null. `context` supplies the source text for TypeRef::written; modifiers of interval (field masks) are dropped.
TypeRef type_ref(const StatementContext& context, const TypeName* type);

}  // namespace migsafe::pg
