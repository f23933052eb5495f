// Static values in a revision file: which module an imported name stands for (`sa` -> `sqlalchemy`,
// `from sqlalchemy.dialects import postgresql as pg` -> `sqlalchemy.dialects.postgresql`), what a local
// or module variable was last assigned, and literal strings/booleans/lists. Nothing is evaluated:
// a value migsafe cannot know statically is reported as unknown (std::nullopt), never guessed.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "linter/alembic/python_ast.h"

namespace migsafe::alembic {

using python::Expr;
using python::ExprKind;
using python::ExprPtr;
using python::Keyword;

class Values {
 public:
  explicit Values(std::string_view text);

  // Import bindings (`import sqlalchemy as sa`, `from alembic import op`).
  void add_import(const python::ImportedName& imported);
  // Variable scopes: the module scope always exists; functions push their own.
  void push_scope();
  void pop_scope();
  void bind(const std::string& name, ExprPtr value);
  // Binds every Name in an assignment target (tuple unpacking binds nothing useful: values unknown).
  void bind_target(const Expr& target, ExprPtr value);

  // The expression a Name stands for (following variables), or `expr` itself.
  const Expr& follow(const Expr& expr) const;
  // Import-resolved dotted name of a Name/Attribute chain (`sa.Column` -> `sqlalchemy.Column`), following
  // variables bound to such chains. Empty when the expression is no such chain.
  std::string canonical(const Expr& expr) const;
  // Canonical name of a call's callee.
  std::string callee(const Expr& call) const;

  std::string_view source(const Expr& expr) const;
  std::string_view source(ByteRange range) const;

  // A string known statically: literals (not f-strings with fields), variables holding one, `op.f(...)`,
  // `conv(...)`, `sa.text(...)`-free plain concatenation with `+`.
  std::optional<std::string> string(const Expr& expr) const;
  std::optional<bool> boolean(const Expr& expr) const;
  std::optional<long> integer(const Expr& expr) const;
  bool is_none(const Expr& expr) const;
  // Elements of a list/tuple (or a single element for a non-sequence value).
  std::vector<const Expr*> elements(const Expr& expr) const;
  // Strings of a list/tuple of names; elements that are not static strings are given as source text.
  std::vector<std::string> names(const Expr& expr) const;

 private:
  std::string_view text_;
  std::map<std::string, std::string> imports_;  // local name -> canonical dotted module/object
  std::vector<std::map<std::string, ExprPtr>> scopes_;
};

// "sqlalchemy.dialects.postgresql.ENUM" -> "ENUM" when the name lives in SQLAlchemy (or SQLModel),
// empty otherwise.
std::string sqlalchemy_symbol(std::string_view canonical);
// "postgresql", "mysql", "sqlite", "mssql", "oracle" for names from sqlalchemy.dialects.<name>; empty otherwise.
std::string sqlalchemy_dialect(std::string_view canonical);
// "alembic.op.add_column" -> "add_column"; empty when the name is not an `op.` directive.
std::string op_directive(std::string_view canonical);

}  // namespace migsafe::alembic
