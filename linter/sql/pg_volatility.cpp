#include "linter/sql/pg_volatility.h"

#include <algorithm>
#include <array>

#include "linter/sql/pg_translate.h"

namespace migsafe::pg {

namespace {

// From pg_proc.provolatile (PostgreSQL 15). Only functions people put in column defaults and simple
// expressions are listed; everything else is treated as volatile (see function_volatility).
constexpr std::array<std::string_view, 25> kStableFunctions{
    "now", "transaction_timestamp", "statement_timestamp", "current_setting", "current_database",
    "current_schema", "current_schemas", "current_user", "session_user", "current_role", "localtime",
    "localtimestamp", "current_date", "current_time", "current_timestamp", "to_timestamp", "to_char",
    "to_date", "age", "date_trunc", "jsonb_build_object", "jsonb_build_array", "to_jsonb", "concat",
    "concat_ws"};

constexpr std::array<std::string_view, 37> kImmutableFunctions{
    "lower", "upper", "length", "char_length", "btrim", "trim", "ltrim", "rtrim", "substr", "substring",
    "replace", "md5", "abs", "round", "trunc", "floor", "ceil", "ceiling", "greatest", "least", "coalesce",
    "nullif", "make_date", "make_interval", "make_time", "int4", "int8", "numeric", "text", "array_length",
    "cardinality", "uuid_nil", "uuid_ns_dns", "uuid_ns_url", "uuid_generate_v3", "uuid_generate_v5",
    "encode"};

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

Volatility of_list(const List* items, int depth, Volatility start = Volatility::Constant) {
  Volatility result = start;
  for (const Node* item : nodes(items)) {
    if (result == Volatility::Volatile) break;
    result = worst(result, of(item, depth));
  }
  return result;
}

Volatility of_function(const FuncCall& call, int depth) {
  NameParts names = name_parts(call.funcname);
  if (names.count == 0) return Volatility::Volatile;
  // A function in a user schema may be anything, whatever its name: only pg_catalog/public names and
  // unqualified names are looked up.
  if (names.count >= 2 && names.before_last != "pg_catalog" && names.before_last != "public") {
    return Volatility::Volatile;
  }
  Volatility own = function_volatility(names.last);
  if (own == Volatility::Volatile) return own;
  return of_list(call.args, depth, own);
}

Volatility of(const Node* node, int depth) {
  // Deeper than any real default: give up conservatively instead of recursing further.
  if (node == nullptr) return Volatility::Constant;
  if (depth > kMaxDepth) return Volatility::Volatile;
  ++depth;
  switch (nodeTag(node)) {
    case T_A_Const:
      return as<A_Const>(node)->isnull ? Volatility::Null : Volatility::Constant;
    // A cast keeps the operand's nature: NULL::text is still NULL, '0'::int a constant. Casts of
    // constants are folded when the default is stored ('now'::timestamptz becomes a fixed time).
    case T_TypeCast:
      return of(as<TypeCast>(node)->arg, depth);
    // CURRENT_DATE, CURRENT_TIMESTAMP, LOCALTIME, CURRENT_USER, ...: all STABLE.
    case T_SQLValueFunction:
      return Volatility::Stable;
    case T_FuncCall:
      return of_function(*as<FuncCall>(node), depth);
    // Built-in operators are immutable or stable; user-defined operators are rare in defaults.
    case T_A_Expr: {
      const A_Expr* expression = as<A_Expr>(node);
      return worst(of(expression->lexpr, depth), of(expression->rexpr, depth));
    }
    case T_BoolExpr:
      return of_list(as<BoolExpr>(node)->args, depth);
    case T_CoalesceExpr:
      return of_list(as<CoalesceExpr>(node)->args, depth);
    case T_MinMaxExpr:
      return of_list(as<MinMaxExpr>(node)->args, depth);
    case T_RowExpr:
      return of_list(as<RowExpr>(node)->args, depth);
    case T_A_ArrayExpr:
      return of_list(as<A_ArrayExpr>(node)->elements, depth);
    case T_List:
      return of_list(as<List>(node), depth);
    case T_NullTest:
      return of(reinterpret_cast<const Node*>(as<NullTest>(node)->arg), depth);
    case T_BooleanTest:
      return of(reinterpret_cast<const Node*>(as<BooleanTest>(node)->arg), depth);
    case T_CollateClause:
      return of(as<CollateClause>(node)->arg, depth);
    case T_CaseExpr: {
      const CaseExpr* expression = as<CaseExpr>(node);
      Volatility result = worst(of(reinterpret_cast<const Node*>(expression->arg), depth),
                                of(reinterpret_cast<const Node*>(expression->defresult), depth));
      return worst(result, of_list(expression->args, depth));
    }
    case T_CaseWhen: {
      const CaseWhen* when = as<CaseWhen>(node);
      return worst(of(reinterpret_cast<const Node*>(when->expr), depth),
                   of(reinterpret_cast<const Node*>(when->result), depth));
    }
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
