// A syntax tree for the part of Python that Alembic revision files use. Expressions are parsed with
// Python's full precedence grammar (so that any valid expression is read, even one migsafe does not
// interpret); statements migsafe does not interpret (class, try, while, match, decorators, del, ...)
// become StmtKind::Other with their nested blocks still read, so op.* calls inside them are found.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "linter/alembic/python_lexer.h"
#include "linter/model/source.h"

namespace migsafe::python {

enum class ExprKind {
  Name,       // name
  Attribute,  // base.name
  Call,       // base(items..., keywords...)
  String,     // one literal or implicitly concatenated literals
  Number,     // name = the literal text
  Constant,   // True, False, None, ... (name = the keyword)
  Tuple,
  List,
  Set,
  Dict,       // items = key, value, key, value (a null key for **mapping)
  Subscript,  // base[items[0]]
  Unary,      // name = operator ("-", "not", "~", "+", "await"); base = operand
  Binary,     // name = operator; items = left, right ("|", "%", "+", comparisons, and/or)
  Starred,    // *base / **base
  Other,      // lambda, conditional expression, comprehension, slice, yield, walrus: read, not interpreted
};

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

struct Keyword {
  std::string name;  // empty for **mapping
  ByteRange range;   // `name=value`
  ExprPtr value;
};

struct Expr {
  ExprKind kind = ExprKind::Other;
  ByteRange range;
  std::string name;
  ExprPtr base;
  std::vector<ExprPtr> items;
  std::vector<Keyword> keywords;
  // String literals: the decoded value, where each value byte came from in the file (size value+1, the
  // last entry is the closing quote), and whether the value is known statically (false for f-strings
  // with replacement fields).
  std::string value;
  std::vector<std::size_t> value_offsets;
  bool is_static = true;
  bool is_bytes = false;
  bool has_escapes = false;  // some piece was decoded (escape sequences, several literals)

  const Keyword* keyword(std::string_view keyword_name) const;
  // Positional argument `index`, or the keyword `keyword_name`; null when neither is given.
  const Expr* argument(std::size_t index, std::string_view keyword_name) const;
  bool is_name(std::string_view n) const { return kind == ExprKind::Name && name == n; }
  bool is_constant(std::string_view c) const { return kind == ExprKind::Constant && name == c; }
  // Dotted text of a Name/Attribute chain ("op.get_context"); empty for anything else.
  std::string dotted() const;
};

enum class StmtKind {
  Expr,         // value
  Assign,       // targets = value (chained assignment: several targets)
  AnnAssign,    // targets[0]: annotation = value (value may be null)
  AugAssign,    // targets[0] op= value
  Import,       // imports
  FunctionDef,  // name, params, body
  With,         // with_items, body
  For,          // targets[0] in value: body, orelse
  If,           // value: body, orelse (elif chains nest in orelse)
  Pass,
  Raise,        // value may be null
  Return,       // value may be null
  Other,        // keyword; body holds nested blocks read through
};

struct ImportedName {
  std::string module;  // "sqlalchemy" / "sqlalchemy.dialects"
  std::string name;    // imported name for `from m import name`; empty for `import m`
  std::string alias;   // bound local name
};

struct WithItem {
  ExprPtr context;
  ExprPtr target;  // null without `as`
};

struct Stmt;
using StmtPtr = std::shared_ptr<const Stmt>;

struct Stmt {
  StmtKind kind = StmtKind::Other;
  ByteRange range;  // the whole statement including its block
  ExprPtr value;
  std::vector<ExprPtr> targets;
  ExprPtr annotation;
  std::string name;          // FunctionDef name / Other keyword / AugAssign operator
  ByteRange header;          // FunctionDef/With/For/If/Other: the header line(s), up to the ':'
  std::vector<std::string> params;
  std::vector<ImportedName> imports;
  std::vector<WithItem> with_items;
  std::vector<StmtPtr> body;
  std::vector<StmtPtr> orelse;
};

struct ParseError {
  std::string message;
  std::size_t offset = 0;
};

struct Module {
  std::vector<StmtPtr> body;
  std::vector<Comment> comments;
  std::optional<ParseError> error;  // the first error; body holds the statements before it
};

Module parse_module(std::string_view text);

// Decodes one string-literal token (prefix and quotes included) into `out`, appending the value and the
// source offset of every value byte. Returns false for f-strings with replacement fields.
bool decode_string_token(std::string_view token, std::size_t token_offset, Expr& out);

}  // namespace migsafe::python
