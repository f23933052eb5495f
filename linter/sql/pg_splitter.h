// Splits PostgreSQL SQL into statements without parsing it, for error recovery: one streaming pass of
// the lexer, so that a statement the parser rejects costs only itself.
//
// libpg_query's own pg_query_split_with_scanner is not used: it silently drops pieces it does not
// recognise as statements (`SELEC 1;`, `bad;`, an unbalanced `(` at the end), which would hide exactly
// the statements that need an error.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "linter/sql/pg_lexer.h"

namespace migsafe::pg {

struct StatementPiece {
  std::size_t begin = 0;      // first token (absolute offset)
  std::size_t end = 0;        // end of the last token before the terminating `;`
  std::size_t text_end = 0;   // end of the text to hand to the parser: includes the `;` when there is one
  // First token where the statement's nesting estimate exceeds `max_nesting`: code walking its tree
  // recursively could overflow the stack, so it must not be parsed.
  std::optional<std::size_t> too_deep_at;
  // The statement runs into a string, quoted identifier, dollar quote or comment that never ends.
  std::optional<std::size_t> unterminated_at;
  // The statement's tokens in SplitResult::tokens (without the terminating `;`), when they were kept:
  // a statement that is exactly this piece takes them without searching.
  std::size_t first_token = 0;
  std::size_t end_token = 0;
};

struct SplitResult {
  std::vector<StatementPiece> pieces;
  bool any_too_deep = false;
  bool unterminated = false;
  // The largest nesting of any statement, counted more generously than for too_deep_at (also CASE,
  // UNION, INTERSECT, EXCEPT, which nest without brackets): decides whether parsing needs a large stack.
  long deepest = 0;
  // Every token of the text, in order, kept for texts up to kKeptTokensBytes (about 10 bytes of tokens
  // per byte of SQL): the translators find clause ends in them instead of lexing each statement again.
  // Empty for larger texts.
  std::vector<Token> tokens;
};

constexpr std::size_t kKeptTokensBytes = std::size_t{1} << 20;

// `text` starts at absolute offset `base`. A `;` ends a statement outside brackets and outside the
// BEGIN ATOMIC ... END body of CREATE FUNCTION / PROCEDURE (as psql splits).
SplitResult split_statements(std::string_view text, std::size_t base, int max_nesting);
// The same into `result`, whose previous contents are replaced but whose vectors keep their capacity:
// for callers that split many texts in turn.
void split_statements(std::string_view text, std::size_t base, int max_nesting, SplitResult& result);

}  // namespace migsafe::pg
