// One parsed statement as the translators see it: the source text, the statement's byte range, and a
// lazily built token list used to find where clauses and expressions end (parse-tree nodes only carry
// their start offset).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "linter/model/source.h"
#include "linter/sql/pg_lexer.h"

namespace migsafe::pg {

class StatementContext {
 public:
  // `buffer_base`: file offset of byte 0 of the text libpg_query parsed (node locations are relative
  // to it). `statement`: the statement's trimmed range in the file. `region_tokens`: the tokens of
  // the text around the statement when the splitter kept them (SplitResult::tokens), else empty.
  StatementContext(std::string_view file_text, std::size_t buffer_base, ByteRange statement,
                   std::span<const Token> region_tokens = {});
  // `statement_tokens` are exactly the statement's tokens (the splitter's piece that the statement is):
  // tokens() returns them without searching the region's tokens.
  struct ExactTokens {
    std::span<const Token> tokens;
  };
  StatementContext(std::string_view file_text, std::size_t buffer_base, ByteRange statement,
                   ExactTokens statement_tokens);
  // tokens() may point into this object's own token vector.
  StatementContext(const StatementContext&) = delete;
  StatementContext& operator=(const StatementContext&) = delete;

  ByteRange statement() const { return statement_; }
  std::string_view text(ByteRange range) const;
  // A node location (relative to the parsed buffer; -1 when unknown) as a file offset inside the statement.
  std::optional<std::size_t> offset_of(std::int32_t location) const;

  // The statement's tokens: a slice of the region's tokens when they were kept, else lexed on first use.
  std::span<const Token> tokens() const { return tokens_ ? *tokens_ : first_tokens(); }
  // Index of the token that starts at or contains `offset`, or tokens().size().
  std::size_t token_at(std::size_t offset) const;
  std::optional<std::size_t> token_at_location(std::int32_t location) const;
  // Byte range from the start of token `first` to the end of token `last_exclusive - 1`.
  ByteRange span(std::size_t first, std::size_t last_exclusive) const;
  std::string span_text(std::size_t first, std::size_t last_exclusive) const;

  // Index one past the matching `)` / `]` of the opening bracket at `open`, or tokens().size().
  std::size_t after_matching(std::size_t open) const;
  // Scans from `first` to the end of a list item: stops before a `,`, `;` or unbalanced closing bracket
  // at bracket depth 0, or before a word for which `stop_word(index)` returns true (never at `first`).
  template <class StopWord>
  std::size_t item_end(std::size_t first, StopWord stop_word) const {
    std::span<const Token> all = tokens();
    int depth = 0;
    for (std::size_t i = first; i < all.size(); ++i) {
      const Token& token = all[i];
      if (token.is('(') || token.is('[')) {
        ++depth;
      } else if (token.is(')') || token.is(']')) {
        if (depth == 0) return i;
        --depth;
      } else if (depth == 0 && (token.is(',') || token.is(';'))) {
        return i;
      } else if (depth == 0 && i != first && token.kind == TokenKind::Word && stop_word(i)) {
        return i;
      }
    }
    return all.size();
  }
  std::size_t item_end(std::size_t first) const {
    return item_end(first, [](std::size_t) { return false; });
  }
  // Index of the first word `keyword` at bracket depth 0 in [first, last), or `last`.
  std::size_t find_keyword(std::size_t first, std::size_t last, std::string_view keyword) const;
  // Index of the first `(` at bracket depth 0 in [first, last), or `last`.
  std::size_t find_open_paren(std::size_t first, std::size_t last) const;
  // Skips a possibly qualified, possibly quoted name starting at `first` (and a trailing `*`).
  std::size_t skip_name(std::size_t first) const;

 private:
  std::string_view file_text_;
  std::size_t buffer_base_;
  ByteRange statement_;
  // Finds or lexes the tokens on the first call to tokens(), which is inline for the common case of
  // later calls (the translators ask for them in their loops).
  std::span<const Token> first_tokens() const;

  std::span<const Token> region_tokens_;
  mutable std::optional<std::span<const Token>> tokens_;
  mutable std::vector<Token> lexed_tokens_;
};

}  // namespace migsafe::pg
