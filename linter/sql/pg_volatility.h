// How a default expression behaves when PostgreSQL evaluates it for existing rows (ADD COLUMN ...
// DEFAULT): a NULL, a constant folded once, a STABLE function evaluated once per statement (now()), or a
// VOLATILE one evaluated per row, which forces a table rewrite.
#pragma once

#include <string_view>

#include "linter/model/operation.h"
#include "linter/sql/pg_tree.h"

namespace migsafe::pg {

// `expression`: an expression node; null (no expression) is Unknown.
Volatility expression_volatility(const Node* expression);
// Volatility of a function by (lower-case, unqualified) name; unknown functions are Volatile.
Volatility function_volatility(std::string_view name);

}  // namespace migsafe::pg
