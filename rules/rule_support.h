// Small text helpers shared by the rules: rendering the user's own names and types back into the
// help text, PostgreSQL's default object names, and expression volatility when the front end could
// not classify a default.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "linter/engine/context.h"
#include "linter/model/operation.h"
#include "linter/util/text.h"

namespace migsafe::rules {

// A message or help text from its pieces, in reading order, allocated once at its final size. Findings
// are built for every unsafe statement, and a chain of `+` reallocated and copied the growing sentence
// several times per finding.
inline std::string concat(std::initializer_list<std::string_view> pieces) {
  std::size_t size = 0;
  for (std::string_view piece : pieces) size += piece.size();
  std::string text;
  text.reserve(size);
  for (std::string_view piece : pieces) text.append(piece);
  return text;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator = ", ");

// The type as the user wrote it ("varchar(255)"), else its canonical name with modifiers ("numeric(12,2)").
std::string type_text(const TypeRef& type);
// The SQL type to write for a plain column holding what a serial column holds (serial8 -> bigint).
std::string plain_type_for_serial(const TypeRef& type);

// PostgreSQL's default name for an index or constraint: <table>_<col>[_<col>...]_<suffix>, cut to 63 bytes.
std::string postgres_default_name(const QualifiedName& table, const std::vector<std::string>& columns,
                                  std::string_view suffix);

// The volatility of a default: the front end's classification, or, when it left it Unknown, a
// classification from well-known function names and literal shapes.
Volatility default_volatility(const Expression& expression);

// One-line rendering of a statement for help texts: whitespace runs folded, trailing `;` dropped.
// Returns an empty string when the statement is too long to quote usefully.
std::string one_line(std::string_view statement, std::size_t max_length = 240);

// Inserts `word` after the first occurrence of the keyword sequence `after` (case-insensitive, whole
// words, whitespace-insensitive) in a one-line statement, e.g. CONCURRENTLY after "CREATE UNIQUE INDEX".
// Returns an empty string when the keywords are not found.
// (`after` is an initializer list of views: this runs for every index build reported, and a vector of
// strings allocated per call.)
std::string insert_after_keywords(std::string_view statement, std::initializer_list<std::string_view> after,
                                  std::string_view word);

// The operation's own SQL clause on one line ("ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES b (id)") when
// it is an ALTER TABLE ... ADD clause written in SQL; empty otherwise (Alembic calls, long clauses).
std::string add_clause_text(const OperationContext& context);

// A string literal found in SQL text: its offset in the text and its value with escapes resolved.
struct StringLiteral {
  std::size_t offset = 0;
  std::string value;
};
// Every '...' / E'...' literal of SQL text, skipping comments and quoted identifiers; the bodies of
// dollar-quoted strings (DO blocks, function bodies) are scanned too, since their statements run.
std::vector<StringLiteral> sql_string_literals(std::string_view text);
// Every '...' and "..." literal of Python source, skipping comments (for Alembic op.execute texts).
std::vector<StringLiteral> python_string_literals(std::string_view text);

// Where the statement runs in a transaction block, for messages ("inside the BEGIN ... COMMIT block").
// Both are fixed texts: string_views of literals, so that computing one costs no allocation.
std::string_view transaction_description(TransactionSource source);
// How to get the statement out of that transaction, for help texts.
std::string_view leave_transaction_advice(TransactionSource source);

// True for a table not created earlier in this migration: the catalog's "existing table", which
// may hold rows in production.
inline bool is_existing_table(const OperationContext& context, const QualifiedName& table) {
  return !context.state.is_new_table(table);
}

// "PostgreSQL 10" for messages.
std::string postgres_version_text(const Version& version);

}  // namespace migsafe::rules
