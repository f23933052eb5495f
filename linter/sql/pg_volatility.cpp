#include "linter/sql/pg_volatility.h"

#include <algorithm>
#include <array>

namespace migsafe::pg {

namespace {

// From pg_proc.provolatile (PostgreSQL 15). Only functions people put in column defaults and simple
// expressions are listed; everything else is treated as volatile (see function_volatility).
constexpr std::array<std::string_view, 21> kStableFunctions{
    "now", "transaction_timestamp", "statement_timestamp", "current_setting", "current_database",
    "current_schema", "current_schemas", "current_user", "session_user", "current_role", "localtime",
    "localtimestamp", "current_date", "current_time", "current_timestamp", "to_timestamp", "to_char",
    "to_date", "age", "date_trunc", "jsonb_build_object"};

constexpr std::array<std::string_view, 40> kImmutableFunctions{
    "lower", "upper", "length", "char_length", "btrim", "trim", "ltrim", "rtrim", "substr", "substring",
    "replace", "concat_ws", "md5", "abs", "round", "trunc", "floor", "ceil", "ceiling", "greatest",
    "least", "coalesce", "nullif", "make_date", "make_interval", "make_time", "int4", "int8", "numeric",
    "text", "to_jsonb", "jsonb_build_array", "array_length", "cardinality", "uuid_nil", "uuid_ns_dns",
    "uuid_ns_url", "uuid_generate_v3", "uuid_generate_v5", "encode"};

// Listed for documentation; they are volatile like any unknown function, but naming them keeps the
// intent visible and protects them from being added to the lists above by mistake.
constexpr std::array<std::string_view, 11> kVolatileFunctions{
    "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "random",
    "clock_timestamp", "timeofday", "nextval", "setval", "txid_current", "gen_random_bytes"};

constexpr int kMaxDepth = 200;

Volatility worst(Volatility a, Volatility b) {
  // Inside a larger expression a NULL operand is just a constant.
  auto rank = [](Volatility v) { return v == Volatility::Null ? Volatility::Constant : v; };
  return std::max(rank(a), rank(b));
}

Volatility of(const Node* node, int depth);

Volatility of_list(Node* const* items, std::size_t count, int depth, Volatility start = Volatility::Constant) {
  Volatility result = start;
  for (std::size_t i = 0; i < count && result != Volatility::Volatile; ++i) result = worst(result, of(items[i], depth));
  return result;
}

Volatility of_function(const PgQuery__FuncCall* call, int depth) {
  std::vector<std::string> names = string_values(call->funcname, call->n_funcname);
  if (names.empty()) return Volatility::Volatile;
  // A function in a user schema may be anything, whatever its name: only pg_catalog/public names and
  // unqualified names are looked up.
  if (names.size() >= 2 && names[names.size() - 2] != "pg_catalog" && names[names.size() - 2] != "public") {
    return Volatility::Volatile;
  }
  Volatility own = function_volatility(names.back());
  if (own == Volatility::Volatile) return own;
  return of_list(call->args, call->n_args, depth, own);
}

Volatility of(const Node* node, int depth) {
  // Deeper than any real default: give up conservatively instead of recursing further.
  if (node == nullptr) return Volatility::Constant;
  if (depth > kMaxDepth) return Volatility::Volatile;
  ++depth;
  switch (node->node_case) {
    case PG_QUERY__NODE__NODE_A_CONST:
      return node->a_const->isnull ? Volatility::Null : Volatility::Constant;
    case PG_QUERY__NODE__NODE_TYPE_CAST:
      // A cast keeps the operand's nature: NULL::text is still NULL, '0'::int a constant. Casts of
      // constants are folded when the default is stored ('now'::timestamptz becomes a fixed time).
      return of(node->type_cast->arg, depth);
    case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION:
      // CURRENT_DATE, CURRENT_TIMESTAMP, LOCALTIME, CURRENT_USER, ...: all STABLE.
      return Volatility::Stable;
    case PG_QUERY__NODE__NODE_FUNC_CALL:
      return of_function(node->func_call, depth);
    case PG_QUERY__NODE__NODE_A_EXPR:
      // Built-in operators are immutable or stable; user-defined operators are rare in defaults.
      return worst(of(node->a_expr->lexpr, depth), of(node->a_expr->rexpr, depth));
    case PG_QUERY__NODE__NODE_BOOL_EXPR:
      return of_list(node->bool_expr->args, node->bool_expr->n_args, depth);
    case PG_QUERY__NODE__NODE_COALESCE_EXPR:
      return of_list(node->coalesce_expr->args, node->coalesce_expr->n_args, depth);
    case PG_QUERY__NODE__NODE_MIN_MAX_EXPR:
      return of_list(node->min_max_expr->args, node->min_max_expr->n_args, depth);
    case PG_QUERY__NODE__NODE_A_ARRAY_EXPR:
      return of_list(node->a_array_expr->elements, node->a_array_expr->n_elements, depth);
    case PG_QUERY__NODE__NODE_ROW_EXPR:
      return of_list(node->row_expr->args, node->row_expr->n_args, depth);
    case PG_QUERY__NODE__NODE_LIST:
      return of_list(node->list->items, node->list->n_items, depth);
    case PG_QUERY__NODE__NODE_NULL_TEST:
      return of(node->null_test->arg, depth);
    case PG_QUERY__NODE__NODE_BOOLEAN_TEST:
      return of(node->boolean_test->arg, depth);
    case PG_QUERY__NODE__NODE_COLLATE_CLAUSE:
      return of(node->collate_clause->arg, depth);
    case PG_QUERY__NODE__NODE_CASE_EXPR: {
      const PgQuery__CaseExpr* expr = node->case_expr;
      Volatility result = worst(of(expr->arg, depth), of(expr->defresult, depth));
      return worst(result, of_list(expr->args, expr->n_args, depth));
    }
    case PG_QUERY__NODE__NODE_CASE_WHEN:
      return worst(of(node->case_when->expr, depth), of(node->case_when->result, depth));
    default:
      // Sub-queries, column references, parameters and anything not understood: assume the worst, so a
      // rewrite is never missed.
      return Volatility::Volatile;
  }
}

}  // namespace

Volatility function_volatility(std::string_view name) {
  if (std::find(kVolatileFunctions.begin(), kVolatileFunctions.end(), name) != kVolatileFunctions.end()) {
    return Volatility::Volatile;
  }
  if (std::find(kStableFunctions.begin(), kStableFunctions.end(), name) != kStableFunctions.end()) {
    return Volatility::Stable;
  }
  if (std::find(kImmutableFunctions.begin(), kImmutableFunctions.end(), name) != kImmutableFunctions.end()) {
    return Volatility::Constant;
  }
  // An unknown function may be a user function declared VOLATILE (the default for CREATE FUNCTION), and
  // a volatile default rewrites the whole table: a false alarm is cheaper than a missed outage.
  return Volatility::Volatile;
}

Volatility expression_volatility(const Node* expression) {
  if (expression == nullptr) return Volatility::Unknown;
  return of(expression, 0);
}

}  // namespace migsafe::pg
