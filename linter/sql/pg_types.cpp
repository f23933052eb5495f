#include "linter/sql/pg_types.h"

#include <array>
#include <utility>

namespace migsafe::pg {

namespace {

// Spellings a user can write as a plain identifier (and that other front ends hand over); the SQL-standard keywords (INTEGER, VARCHAR,
// TIMESTAMP WITH TIME ZONE, ...) already arrive as pg_catalog.<canonical name> from the grammar.
constexpr std::array<std::pair<std::string_view, std::string_view>, 20> kAliases{{
    {"integer", "int4"},       {"int", "int4"},          {"smallint", "int2"},
    {"bigint", "int8"},        {"serial", "serial4"},    {"bigserial", "serial8"},
    {"smallserial", "serial2"}, {"boolean", "bool"},     {"real", "float4"},
    {"float", "float8"},       {"double precision", "float8"}, {"decimal", "numeric"},
    {"character varying", "varchar"}, {"character", "bpchar"}, {"int2", "int2"},
    {"timestamp with time zone", "timestamptz"}, {"timestamp without time zone", "timestamp"},
    {"time with time zone", "timetz"}, {"time without time zone", "time"}, {"dec", "numeric"},
}};

bool is_type_stop_word(const Token& token) {
  static constexpr std::array<std::string_view, 15> kStop{
      "not", "null", "default", "constraint", "primary", "unique", "references", "check",
      "collate", "generated", "using", "compression", "storage", "deferrable", "initially"};
  for (std::string_view word : kStop) {
    if (token.is_keyword(word)) return true;
  }
  return false;
}

// The type as written: from its first token through words, dots, `(...)`, `[...]` and `%TYPE`.
std::string written_text(const StatementContext& context, std::int32_t location) {
  std::optional<std::size_t> first = context.token_at_location(location);
  if (!first) return {};
  std::span<const Token> tokens = context.tokens();
  std::size_t i = *first;
  while (i < tokens.size()) {
    const Token& token = tokens[i];
    if (token.is('(') || token.is('[')) {
      i = context.after_matching(i);
    } else if ((token.kind == TokenKind::Word && !is_type_stop_word(token)) ||
               token.kind == TokenKind::QuotedIdentifier || token.is('.') ||
               (token.kind == TokenKind::Operator && token.text == "%")) {
      ++i;
    } else {
      break;
    }
  }
  return context.span_text(*first, i);
}

}  // namespace

std::string canonical_type_name(std::string_view name) {
  for (const auto& [alias, canonical] : kAliases) {
    if (name == alias) return std::string(canonical);
  }
  return std::string(name);
}

TypeRef type_ref(const StatementContext& context, const TypeName* type) {
  TypeRef ref;
  if (type == nullptr) return ref;
  NameParts names = name_parts(type->names);
  if (names.count == 0) return ref;
  bool builtin = names.count == 2 && names.before_last == "pg_catalog";
  if (builtin || names.count == 1) {
    ref.name = canonical_type_name(names.last);
  } else {
    // A user type in a schema keeps its qualification: the name is how later statements refer to it.
    ref.name.reserve(names.before_last.size() + 1 + names.last.size());
    ref.name.append(names.before_last).append(".").append(names.last);
  }
  // float(p): the grammar already chose float4/float8; its precision is not a modifier of the result.
  bool keep_modifiers = ref.name != "interval" && ref.name != "float4" && ref.name != "float8";
  if (keep_modifiers) {
    for (const Node* modifier : nodes(type->typmods)) {
      if (std::optional<long> value = integer_value(modifier)) ref.modifiers.push_back(*value);
    }
  }
  ref.is_array = type->arrayBounds != nullptr;
  ref.written = written_text(context, type->location);
  if (ref.written.empty()) {
    ref.written = ref.name;
    if (!ref.modifiers.empty()) {
      ref.written += "(";
      for (std::size_t i = 0; i < ref.modifiers.size(); ++i) {
        ref.written += (i ? "," : "") + std::to_string(ref.modifiers[i]);
      }
      ref.written += ")";
    }
    if (ref.is_array) ref.written += "[]";
  }
  return ref;
}

}  // namespace migsafe::pg
